Feature: Paths, path types and which rule wins
  Each path of a rule has a pathType. Exact matches the URL path exactly, case included: "/foo"
  does not match "/foo/". Prefix matches element by element, split by "/": "/foo" matches "/foo",
  "/foo/" and "/foo/bar", but not "/foobar". The spec leaves ImplementationSpecific to the
  controller: ingress-nginx writes it as a plain nginx prefix location, so "/old" would match
  "/oldies" too (nginx.tmpl buildLocation).

  ingress-nginx turns a Prefix path "/foo" into two nginx locations, "= /foo" and "/foo/"
  (controller.go updateServerLocations). A Prefix or ImplementationSpecific path that already ends
  in "/" gets only "/foo/", and nginx answers "/foo" with a 301 that adds the slash, query kept.
  Paths are matched after nginx normalises the URI: percent-decoded, "//" merged, "." and ".."
  resolved.

  When several paths match, the longest one wins; at equal length an Exact path beats a Prefix one.
  Ingresses of the same class that name the same host merge their rules: one can own /cart and
  another /help. When two claim the same path, the oldest Ingress keeps it (ingress-nginx's rule);
  netspec orders by metadata.creationTimestamp, then by namespace/name.

  Background:
    Given a cluster with nodes "node-a"
    And a deployment "web" in namespace "shop" with 1 replica labelled "app=web" listening on TCP port 8080
    And a deployment "cart" in namespace "shop" with 1 replica labelled "app=cart" listening on TCP port 9000
    And a service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080
    And a service "cart" in namespace "shop" selecting "app=cart" mapping port 8080 to 9000
    And an ingress class "nginx" served by ingress-nginx as the default class
    And the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: shop, namespace: shop, creationTimestamp: "2024-05-01T10:00:00Z"}
      spec:
        rules:
        - host: shop.example.com
          http:
            paths:
            - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
            - {path: /cart, pathType: Prefix, backend: {service: {name: cart, port: {number: 8080}}}}
            - {path: /cart/checkout, pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}
            - {path: /Exact, pathType: Exact, backend: {service: {name: cart, port: {number: 8080}}}}
            - {path: /old/, pathType: ImplementationSpecific, backend: {service: {name: cart, port: {number: 8080}}}}
      """

  Scenario: Prefix matches whole path elements; Exact matches the path exactly
    Then requests are routed like this:
      | url                                         | service | port |
      | http://shop.example.com/                    | web     | 80   |
      | http://shop.example.com/cart                | cart    | 8080 |
      | http://shop.example.com/cart/               | cart    | 8080 |
      | http://shop.example.com/cart/items/42?x=1   | cart    | 8080 |
      | http://shop.example.com/cartoon             | web     | 80   |
      | http://shop.example.com/Exact               | cart    | 8080 |
      | http://shop.example.com/exact               | web     | 80   |
      | http://shop.example.com/Exact/              | web     | 80   |

  Scenario: the longest matching path wins, and Exact beats Prefix
    Then requests are routed like this:
      | url                                         | service | port |
      | http://shop.example.com/cart/checkout       | web     | 80   |
      | http://shop.example.com/cart/checkout/done  | cart    | 8080 |

  Scenario: ingress-nginx writes ImplementationSpecific as an nginx prefix location
    When a request for "http://shop.example.com/old/page" arrives at the ingress controller
    Then it is routed to service "cart" on port 8080
    And the ingress trace says 'ImplementationSpecific "/old/" as nginx location /old/'

  Scenario: a path ending in "/" answers the path without it with a 301 that adds the slash
    When a request for "http://shop.example.com/old?x=1" arrives at the ingress controller
    Then the ingress controller answers 301 with the header "Location" set to "http://shop.example.com/old/?x=1"

  Scenario: paths are matched on the URI as nginx normalises it
    Then requests are routed like this:
      | url                                         | service | port |
      | http://shop.example.com//cart//items        | cart    | 8080 |
      | http://shop.example.com/x/../cart/%69tems   | cart    | 8080 |

  Scenario: Ingresses for the same host merge; the oldest keeps a contested path
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: help, namespace: shop, creationTimestamp: "2025-01-01T00:00:00Z"}
      spec:
        rules:
        - host: shop.example.com
          http:
            paths:
            - {path: /help, pathType: Prefix, backend: {service: {name: cart, port: {number: 8080}}}}
            - {path: /cart, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      """
    When a request for "http://shop.example.com/help/faq" arrives at the ingress controller
    Then it is routed to service "cart" on port 8080
    And it is routed by ingress "shop/help"
    When a request for "http://shop.example.com/cart" arrives at the ingress controller
    Then it is routed to service "cart" on port 8080
    And it is routed by ingress "shop/shop"
