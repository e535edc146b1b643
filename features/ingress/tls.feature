Feature: TLS termination and the redirect to HTTPS
  An Ingress lists in spec.tls the hosts it serves over HTTPS and the Secret holding their
  certificate. The Secret must live in the Ingress's namespace and have type kubernetes.io/tls;
  when it is missing or of another type, ingress-nginx still serves the host over HTTPS but with its
  own default, self-signed "Kubernetes Ingress Controller Fake Certificate". A host listed in no
  spec.tls gets that default certificate too.

  ingress-nginx's ssl-redirect is on by default: a plain-HTTP request for a host with TLS is
  answered with 308 Permanent Redirect to the same URL over HTTPS, and never reaches the backend.
  The Location keeps the request URI as sent, query string included (nginx.tmpl:
  `return 308 https://$redirect_host$request_uri`).

  Background:
    Given a cluster with nodes "node-a"
    And a deployment "web" in namespace "shop" with 1 replica labelled "app=web" listening on TCP port 8080
    And a service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080
    And an ingress class "nginx" served by ingress-nginx as the default class
    And the manifest:
      """
      apiVersion: v1
      kind: Secret
      metadata: {name: shop-tls, namespace: shop}
      type: kubernetes.io/tls
      data: {tls.crt: Y2VydA==, tls.key: a2V5}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: plain, namespace: shop}
      type: Opaque
      data: {tls.crt: Y2VydA==, tls.key: a2V5}
      ---
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: shop, namespace: shop}
      spec:
        tls:
        - {hosts: [shop.example.com], secretName: shop-tls}
        - {hosts: [wrong-type.example.com], secretName: plain}
        - {hosts: [missing.example.com], secretName: not-there}
        rules:
        - http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
      """

  Scenario: HTTPS to a host in spec.tls presents that Secret's certificate
    When a request for "https://shop.example.com/cart" arrives at the ingress controller
    Then it is routed to service "web" on port 80
    And the ingress controller presents the certificate of secret "shop-tls"

  Scenario: a Secret of the wrong type or a missing one: the default certificate
    When a request for "https://wrong-type.example.com/" arrives at the ingress controller
    Then the ingress controller presents its default certificate
    And the ingress trace says "has type Opaque, not kubernetes.io/tls"
    When a request for "https://missing.example.com/" arrives at the ingress controller
    Then the ingress controller presents its default certificate
    And the ingress trace says "no Secret shop/not-there"

  Scenario: a host listed in no spec.tls gets the default certificate over HTTPS
    When a request for "https://other.example.com/" arrives at the ingress controller
    Then it is routed to service "web" on port 80
    And the ingress controller presents its default certificate

  Scenario: plain HTTP to a TLS host is redirected with 308; other hosts are served over HTTP
    When a request for "http://shop.example.com/cart?page=2" arrives at the ingress controller
    Then the ingress controller answers 308
    And the ingress controller redirects to "https://shop.example.com/cart?page=2"
    When a request for "http://other.example.com/" arrives at the ingress controller
    Then it is routed to service "web" on port 80
