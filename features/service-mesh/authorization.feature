Feature: AuthorizationPolicy: who may call a workload, checked by its sidecar
  The server's sidecar evaluates AuthorizationPolicies after mutual TLS: DENY policies first (any
  match denies), then ALLOW policies (once one applies to a workload, whatever no ALLOW rule matches
  is denied: the implicit deny). Principals and namespaces come from the client's certificate, so
  they only match mutually authenticated callers; HTTP requests are matched by method and path,
  and a denied request gets 403 from the sidecar.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a namespace "shop" labelled "istio-injection=enabled"
    And the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata: {name: frontend, namespace: shop, labels: {app: frontend}}
      spec: {serviceAccountName: frontend, containers: [{name: web, image: web:1}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: job, namespace: shop, labels: {app: job}}
      spec: {serviceAccountName: batch, containers: [{name: job, image: tools:1}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: orders, namespace: shop, labels: {app: orders}}
      spec: {serviceAccountName: orders, containers: [{name: orders, image: orders:3, ports: [{containerPort: 8080}]}]}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: orders, namespace: shop}
      spec: {selector: {app: orders}, ports: [{name: http, port: 80, targetPort: 8080}]}
      ---
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: orders-callers, namespace: shop}
      spec:
        selector: {matchLabels: {app: orders}}
        action: ALLOW
        rules:
        - from: [{source: {principals: ["cluster.local/ns/shop/sa/frontend"]}}]
        - from: [{source: {principals: ["cluster.local/ns/shop/sa/batch"]}}]
          to: [{operation: {methods: [GET], paths: ["/orders*"]}}]
      """

  Scenario: the frontend may call orders
    When pod "frontend" in namespace "shop" sends POST "/orders" to "orders.shop.svc.cluster.local" on port 80
    Then the connection is delivered to pod "orders"

  Scenario: the job may read orders but not call /admin: the implicit deny answers 403
    When pod "job" in namespace "shop" sends GET "/orders/17" to "orders.shop.svc.cluster.local" on port 80
    Then the connection is delivered to pod "orders"
    When pod "job" in namespace "shop" sends GET "/admin" to "orders.shop.svc.cluster.local" on port 80
    Then the connection was denied by AuthorizationPolicy "shop/orders-callers"
    And the sidecar answered HTTP 403
