Feature: Routing in the sidecar: VirtualService, DestinationRule subsets, the outbound traffic policy
  With a sidecar, kube-proxy does not choose the backend: the client's Envoy takes the connection
  to the Service's ClusterIP, looks up the host's VirtualService, picks a route (by header, path,
  port…) and a destination by weight, finds the subset's pods through the DestinationRule's labels,
  and connects to one of them itself. Destinations outside the registry go through
  (outboundTrafficPolicy ALLOW_ANY) or are black-holed (REGISTRY_ONLY) unless a ServiceEntry
  names them.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a namespace "shop" labelled "istio-injection=enabled"
    And a pod "productpage" in namespace "shop"
    And a deployment "reviews-v1" in namespace "shop" with 2 replicas labelled "app=reviews,version=v1" listening on TCP port 9080
    And a deployment "reviews-v2" in namespace "shop" with 2 replicas labelled "app=reviews,version=v2" listening on TCP port 9080
    And the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata: {name: reviews, namespace: shop}
      spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}
      ---
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: reviews, namespace: shop}
      spec:
        host: reviews
        subsets:
        - {name: v1, labels: {version: v1}}
        - {name: v2, labels: {version: v2}}
      ---
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: reviews, namespace: shop}
      spec:
        hosts: [reviews]
        http:
        - match: [{headers: {end-user: {exact: jason}}}]
          route: [{destination: {host: reviews, subset: v2}}]
        - route:
          - {destination: {host: reviews, subset: v1}, weight: 90}
          - {destination: {host: reviews, subset: v2}, weight: 10}
      """

  Scenario: a canary: requests to reviews are split 90/10 between v1 and v2
    Then connections from pod "productpage" in namespace "shop" to "reviews.shop.svc.cluster.local" on port 9080 are split "90/10" between subsets "v1" and "v2"

  Scenario: a header routes one user to the new version
    When pod "productpage" in namespace "shop" sends GET "/reviews/1" to "reviews.shop.svc.cluster.local" on port 9080 with header "end-user: jason"
    Then the connection took route "shop/reviews http[0]" to subset "v2"

  Scenario: REGISTRY_ONLY black-holes hosts the mesh does not know
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: istio, namespace: istio-system}
      data:
        mesh: |
          outboundTrafficPolicy:
            mode: REGISTRY_ONLY
      """
    When pod "productpage" in namespace "shop" connects to "203.0.113.7" on TCP port 443
    Then the connection is rejected

  Scenario: a ServiceEntry lets the mesh reach an external API under REGISTRY_ONLY
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: istio, namespace: istio-system}
      data:
        mesh: |
          outboundTrafficPolicy:
            mode: REGISTRY_ONLY
      ---
      apiVersion: networking.istio.io/v1
      kind: ServiceEntry
      metadata: {name: payments, namespace: shop}
      spec:
        hosts: [api.payments.example]
        addresses: [203.0.113.0/24]
        ports: [{number: 443, name: tls, protocol: TLS}]
        location: MESH_EXTERNAL
        resolution: NONE
      """
    When pod "productpage" in namespace "shop" connects to "203.0.113.7" on TCP port 443
    Then the connection is delivered
