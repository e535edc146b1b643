Feature: HTTP requests in detail: method, headers, Host, SNI, and what the backend receives
  A request is more than a URL. netspec takes the method, the headers, the TLS server name (SNI)
  and whether a Host header is sent at all, and answers with the request as the backend receives
  it: the method, the Host, the path after any rewrite, the client's headers, and the headers
  ingress-nginx adds (nginx.tmpl proxy_set_header): X-Request-ID, X-Real-IP, X-Forwarded-For,
  X-Forwarded-Host, X-Forwarded-Port, X-Forwarded-Proto, X-Forwarded-Scheme, X-Scheme and
  X-Original-URI. Without a rewrite the backend gets the URI exactly as the client sent it.

  nginx picks the server by the Host header, not by the address dialled; a request with no Host
  header (HTTP/1.0; netspec sends it as HTTP/1.0) lands on the default server: rules without a host, else a defaultBackend, else
  the controller's 404. Over HTTPS the certificate is chosen by SNI.

  The controller also publishes an address in each Ingress's status.loadBalancer: the load-balancer
  IP of the Service in front of its pods, else the addresses of the nodes it runs on.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a deployment "web" in namespace "shop" with 1 replica labelled "app=web" listening on TCP port 8080
    And a service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080
    And an ingress class "nginx" served by ingress-nginx as the default class
    And the manifest:
      """yaml
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: shop, namespace: shop}
      spec:
        tls: [{hosts: [secure.example.com], secretName: secure-tls}]
        rules:
        - host: shop.example.com
          http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
        - host: secure.example.com
          http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
      """

  Scenario: the method and the client's headers reach the backend, with ingress-nginx's own
    When a DELETE request for "http://shop.example.com/cart/7?force=1" arrives at the ingress controller with these headers:
      | X-Trace | abc |
    Then it is routed to service "web" on port 80
    And the backend receives DELETE "/cart/7?force=1"
    And the backend receives the header "X-Trace" set to "abc"
    And the backend receives the header "Host" set to "shop.example.com"
    And the backend receives the header "X-Forwarded-Host" set to "shop.example.com"
    And the backend receives the header "X-Forwarded-Proto" set to "http"
    And the backend receives the header "X-Forwarded-Port" set to "80"

  Scenario: the Host header, not the address, picks the server; no Host header means the default server
    When a request for "http://192.0.2.1/" with the header "Host: shop.example.com" arrives at the ingress controller
    Then it is routed to service "web" on port 80
    When a request for "http://shop.example.com/" without a Host header arrives at the ingress controller
    Then the ingress controller answers 404

  Scenario: over HTTPS the certificate follows the SNI
    When a request for "https://secure.example.com/" with the TLS server name "shop.example.com" arrives at the ingress controller
    Then the ingress controller presents its default certificate
    And the ingress trace says "SNI shop.example.com"

  Scenario: the address in status.loadBalancer: the nodes running the controller, or its LoadBalancer
    Given a pod "ingress-nginx-controller" in namespace "ingress-nginx" on node "node-b" labelled "app.kubernetes.io/name=ingress-nginx" listening on TCP port 80
    Then the ingress "shop" in namespace "shop" shows the address "172.18.0.3"
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata: {name: ingress-nginx-controller, namespace: ingress-nginx}
      spec:
        type: LoadBalancer
        selector: {app.kubernetes.io/name: ingress-nginx}
        ports: [{name: http, port: 80}]
      status:
        loadBalancer: {ingress: [{ip: 203.0.113.7}]}
      """
    Then the ingress "shop" in namespace "shop" shows the address "203.0.113.7"
