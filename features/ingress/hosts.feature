Feature: Host rules: exact names, wildcards and the catch-all
  An Ingress rule may name a host. The match is on the request's Host header, without regard to
  case. A wildcard host "*.example.com" stands for exactly one more DNS label: it matches
  foo.example.com but neither bar.foo.example.com nor example.com itself. A rule without a host
  matches every host. When several rules could serve a host, the precise one wins over a wildcard,
  and a wildcard over the host-less rules: ingress-nginx makes one server per host, and only that
  server's paths are consulted.

  Background:
    Given a cluster with nodes "node-a"
    And a deployment "shop" in namespace "web" with 1 replica labelled "app=shop" listening on TCP port 8080
    And a deployment "tenants" in namespace "web" with 1 replica labelled "app=tenants" listening on TCP port 8080
    And a deployment "landing" in namespace "web" with 1 replica labelled "app=landing" listening on TCP port 8080
    And a service "shop" in namespace "web" selecting "app=shop" mapping port 80 to 8080
    And a service "tenants" in namespace "web" selecting "app=tenants" mapping port 80 to 8080
    And a service "landing" in namespace "web" selecting "app=landing" mapping port 80 to 8080
    And an ingress class "nginx" served by ingress-nginx as the default class
    And the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: sites, namespace: web}
      spec:
        rules:
        - host: shop.example.com
          http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: shop, port: {number: 80}}}}]}
        - host: "*.example.com"
          http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: tenants, port: {number: 80}}}}]}
        - http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: landing, port: {number: 80}}}}]}
      """

  Scenario: the exact host wins over the wildcard, and case does not matter
    Then requests are routed like this:
      | url                           | service |
      | http://shop.example.com/      | shop    |
      | http://SHOP.Example.COM/cart  | shop    |
      | http://acme.example.com/      | tenants |

  Scenario: a wildcard covers one label only; everything else falls to the host-less rule
    Then requests are routed like this:
      | url                            | service |
      | http://a.b.example.com/        | landing |
      | http://example.com/            | landing |
      | http://10.0.0.1/               | landing |

  Scenario: the trace names how the host matched and the rule that decided
    When a request for "http://acme.example.com/" arrives at the ingress controller
    Then it is routed to service "tenants" on port 80
    And the ingress trace says "wildcard host *.example.com (one label)"
    And the ingress trace points at line 28
