Feature: Default backends, missing services and unavailable backends
  A request that matches no rule goes to the Ingress's spec.defaultBackend; with none, the
  controller's own default backend answers 404. netspec applies a host's defaultBackend to paths of
  that host that match nothing, and any Ingress's defaultBackend to hosts no rule names (an Ingress
  with only a defaultBackend is ingress-nginx's catch-all).

  A backend names a Service in the Ingress's namespace and one of its ports, by number or by the
  Service port's name. When the Service does not exist, has no such port, or has no ready endpoints,
  ingress-nginx answers 503. ingress-nginx sends traffic to the endpoints themselves, not to the
  ClusterIP. A resource backend (spec.rules[].http.paths[].backend.resource) is not routed by
  ingress-nginx: 503 as well.

  Background:
    Given a cluster with nodes "node-a"
    And a deployment "web" in namespace "shop" with 1 replica labelled "app=web" listening on TCP port 8080
    And a deployment "fallback" in namespace "shop" with 1 replica labelled "app=fallback" listening on TCP port 8080
    And a service "web" in namespace "shop" selecting "app=web" with ports:
      | name | port | targetPort |
      | http | 80   | 8080       |
    And a service "fallback" in namespace "shop" selecting "app=fallback" mapping port 80 to 8080
    And a service "empty" in namespace "shop" selecting "app=nobody" mapping port 80 to 8080
    And an ingress class "nginx" served by ingress-nginx as the default class

  Scenario: without a defaultBackend, unmatched requests get the controller's 404
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: shop, namespace: shop}
      spec:
        rules:
        - host: shop.example.com
          http: {paths: [{path: /app, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}]}
      """
    When a request for "http://shop.example.com/app" arrives at the ingress controller
    Then it is routed to service "web" on the port named "http"
    When a request for "http://shop.example.com/other" arrives at the ingress controller
    Then the ingress controller answers 404
    And the ingress trace says "the controller's own default backend answers 404"
    When a request for "http://unknown.example.com/" arrives at the ingress controller
    Then the ingress controller answers 404

  Scenario: the defaultBackend catches what no rule matches
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: shop, namespace: shop}
      spec:
        defaultBackend: {service: {name: fallback, port: {number: 80}}}
        rules:
        - host: shop.example.com
          http: {paths: [{path: /app, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
      """
    Then requests are routed like this:
      | url                              | service  | port | status |
      | http://shop.example.com/app      | web      | 80   | 200    |
      | http://shop.example.com/other    | fallback | 80   | 200    |
      | http://unknown.example.com/      | fallback | 80   | 200    |

  Scenario: missing Services, unknown ports, empty Services and resource backends answer 503
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: broken, namespace: shop}
      spec:
        rules:
        - host: shop.example.com
          http:
            paths:
            - {path: /gone, pathType: Prefix, backend: {service: {name: gone, port: {number: 80}}}}
            - {path: /port, pathType: Prefix, backend: {service: {name: web, port: {number: 8080}}}}
            - {path: /empty, pathType: Prefix, backend: {service: {name: empty, port: {number: 80}}}}
            - path: /assets
              pathType: Prefix
              backend: {resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: static}}
      """
    Then requests are routed like this:
      | url                            | status |
      | http://shop.example.com/gone   | 503    |
      | http://shop.example.com/port   | 503    |
      | http://shop.example.com/empty  | 503    |
      | http://shop.example.com/assets | 503    |
    When a request for "http://shop.example.com/empty" arrives at the ingress controller
    Then the ingress trace says "Service shop/empty port 80 has no ready endpoints"
    When a request for "http://shop.example.com/gone" arrives at the ingress controller
    Then the ingress trace says "no Service shop/gone"

  Scenario: with a controller pod in the cluster, its connection to the endpoint is walked too
    A running pod labelled app.kubernetes.io/name=ingress-nginx (how the project's manifests and
    Helm chart label the controller) makes the proxied connection itself, to the endpoint's own
    address. A refused connection is a 502 Bad Gateway; one a NetworkPolicy drops times out: 504.

    Given a pod "ingress-nginx-controller" in namespace "ingress-nginx" on node "node-a" labelled "app.kubernetes.io/name=ingress-nginx"
    And a service "wrong-port" in namespace "shop" selecting "app=web" mapping port 80 to 9999
    And a deployment "admin" in namespace "admin" with 1 replica labelled "app=admin" listening on TCP port 8080
    And a service "admin" in namespace "admin" selecting "app=admin" mapping port 80 to 8080
    And the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: shop, namespace: shop}
      spec:
        rules:
        - host: shop.example.com
          http:
            paths:
            - {path: /app, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
            - {path: /wrong, pathType: Prefix, backend: {service: {name: wrong-port, port: {number: 80}}}}
      ---
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: admin, namespace: admin}
      spec:
        rules:
        - host: admin.example.com
          http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: admin, port: {number: 80}}}}]}
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: deny-all, namespace: admin}
      spec:
        podSelector: {}
        policyTypes: [Ingress]
      """
    Then requests are routed like this:
      | url                            | service | port | status |
      | http://shop.example.com/app    | web     | 80   | 200    |
      | http://shop.example.com/wrong  |         |      | 502    |
      | http://admin.example.com/      |         |      | 504    |
    When a request for "http://admin.example.com/" arrives at the ingress controller
    Then the ingress trace says "controller pod ingress-nginx/ingress-nginx-controller connects to the first endpoint"
    And the ingress trace says "504 Gateway Timeout"
