Feature: Mutual TLS between sidecars, and PeerAuthentication's modes
  Between two sidecars Istio uses mutual TLS automatically: the client's Envoy presents the
  workload's certificate, whose SPIFFE identity names its namespace and service account
  (spiffe://cluster.local/ns/NS/sa/SA). PeerAuthentication says what the server's sidecar accepts:
  STRICT (mutual TLS only), PERMISSIVE (both; the default) or DISABLE (plaintext only), for the
  whole mesh (in istio-system), a namespace, a workload (selector) or one of its ports. A pod
  without a sidecar can only speak plaintext, so STRICT refuses it at the server's sidecar.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a namespace "shop" labelled "istio-injection=enabled"
    And a namespace "legacy"
    And the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata: {name: frontend, namespace: shop, labels: {app: frontend}}
      spec: {serviceAccountName: frontend, containers: [{name: web, image: web:1}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: cart, namespace: shop, labels: {app: cart}}
      spec: {serviceAccountName: cart, containers: [{name: cart, image: cart:2, ports: [{containerPort: 7070}]}]}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: cart, namespace: shop}
      spec: {selector: {app: cart}, ports: [{name: grpc, port: 7070}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: cron, namespace: legacy}
      spec: {containers: [{name: cron, image: tools:1}]}
      ---
      apiVersion: security.istio.io/v1
      kind: PeerAuthentication
      metadata: {name: default, namespace: shop}
      spec: {mtls: {mode: STRICT}}
      """

  Scenario: the frontend still reaches the cart after STRICT mTLS was turned on
    When pod "frontend" in namespace "shop" connects to "cart.shop.svc.cluster.local" on TCP port 7070
    Then the connection is delivered to pod "cart"
    And the connection went through the sidecar of pod "frontend" in namespace "shop"
    And the connection went through the sidecar of pod "cart" in namespace "shop"
    And the connection was mutually authenticated as "spiffe://cluster.local/ns/shop/sa/frontend"

  Scenario: a pod without a sidecar is refused at the cart's sidecar, and the trace names the policy
    When pod "cron" in namespace "legacy" connects to "cart.shop.svc.cluster.local" on TCP port 7070
    Then the connection was refused because of PeerAuthentication "shop/default"

  Scenario: a workload-level PERMISSIVE policy lets the legacy job in while it migrates
    Given the manifest:
      """yaml
      apiVersion: security.istio.io/v1
      kind: PeerAuthentication
      metadata: {name: cart-migration, namespace: shop}
      spec: {selector: {matchLabels: {app: cart}}, mtls: {mode: PERMISSIVE}}
      """
    When pod "cron" in namespace "legacy" connects to "cart.shop.svc.cluster.local" on TCP port 7070
    Then the connection is delivered to pod "cart"
    And the connection was plaintext
