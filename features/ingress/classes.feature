Feature: Ingress classes decide which controller serves an Ingress
  A cluster can run several ingress controllers. Each IngressClass names one (spec.controller, e.g.
  k8s.io/ingress-nginx), and an Ingress says which class it belongs to with spec.ingressClassName.
  Older manifests use the annotation kubernetes.io/ingress.class instead; it still works and names
  the class. An Ingress with neither gets the default class: the IngressClass annotated
  ingressclass.kubernetes.io/is-default-class: "true" — the API server's DefaultIngressClass
  admission writes its name into spec.ingressClassName when the Ingress is created, so `netspec get
  ingresses` shows it. With several default classes current Kubernetes picks the newest (by
  creationTimestamp, then name). The admission runs only at creation: an Ingress whose
  creationTimestamp is older than the default class stays class-less, and ingress-nginx ignores it.

  An Ingress whose class does not exist is served by no controller: it is ignored, and the trace of
  a request says so. netspec models one controller per IngressClass (its hops are at
  ingress/<class name>), each behaving as ingress-nginx does.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a deployment "web" in namespace "shop" with 2 replicas labelled "app=web" listening on TCP port 8080
    And a service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080
    And an ingress class "public" served by ingress-nginx as the default class
    And an ingress class "internal" served by ingress-nginx

  Scenario: spec.ingressClassName, the legacy annotation and the default class each pick a controller
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: named, namespace: shop}
      spec:
        ingressClassName: internal
        rules:
        - host: admin.shop.test
          http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
      ---
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: legacy
        namespace: shop
        annotations: {kubernetes.io/ingress.class: internal}
      spec:
        rules:
        - host: old.shop.test
          http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
      ---
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: defaulted, namespace: shop}
      spec:
        rules:
        - host: www.shop.test
          http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
      """
    Then requests are routed like this:
      | url                     | class    | service | port | status |
      | http://admin.shop.test/ | internal | web     | 80   | 200    |
      | http://admin.shop.test/ | public   |         |      | 404    |
      | http://old.shop.test/   | internal | web     | 80   | 200    |
      | http://old.shop.test/   | public   |         |      | 404    |
      | http://www.shop.test/   | public   | web     | 80   | 200    |
      | http://www.shop.test/   |          | web     | 80   | 200    |
      | http://www.shop.test/   | internal |         |      | 404    |

  Scenario: an Ingress naming a class that does not exist is ignored, and the trace says so
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: typo, namespace: shop}
      spec:
        ingressClassName: ngnix
        rules:
        - host: www.shop.test
          http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
      """
    When a request for "http://www.shop.test/" arrives at the ingress controller
    Then the ingress controller answers 404
    And the ingress trace says "Ingress shop/typo is ignored"
    And the ingress trace says "names no IngressClass"

  Scenario: with two default classes the newest one is written into the Ingress
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: IngressClass
      metadata:
        name: newer-default
        creationTimestamp: "2030-01-01T00:00:00Z"
        annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
      spec: {controller: k8s.io/ingress-nginx}
      ---
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: unclassed, namespace: shop}
      spec:
        defaultBackend: {service: {name: web, port: {number: 80}}}
      """
    When a request for "http://any.example.com/" arrives at the ingress controller of class "newer-default"
    Then it is routed by ingress "unclassed"
    And the ingress trace says "the newest of 2 default classes"
