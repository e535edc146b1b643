Feature: Istio's resources are read, validated and never silently ignored
  netspec reads PeerAuthentication, AuthorizationPolicy, VirtualService, DestinationRule and
  ServiceEntry (security.istio.io and networking.istio.io, v1 and the older versions Istio still
  serves) and checks them as istiod's validation webhook does: a bad enum value, a port out of
  range, a missing host or a duplicate subset stops everything, each error with its position. A
  field netspec reads but does not model (a fault injection, a retry policy) and an Istio kind it
  does not model (Gateway, Sidecar, EnvoyFilter) are warned about by name. In a doc string the
  positions are lines of the feature file itself.

  Scenario: mistakes in Istio objects are located errors, reported together
    Given the manifest:
      """yaml
      apiVersion: security.istio.io/v1
      kind: PeerAuthentication
      metadata: {name: default, namespace: shop}
      spec:
        mtls: {mode: STRICTLY}
      ---
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: reviews, namespace: shop}
      spec:
        host: reviews
        subsets:
        - {name: v1, labels: {version: v1}}
        - {name: v1, labels: {version: v2}}
      """
    Then loading fails with these errors:
      | code               | line | message                                            |
      | NS-ISTIO-ENUM      | 17   | "STRICTLY" is not one of UNSET, DISABLE, PERMISSIVE, STRICT |
      | NS-ISTIO-DUPLICATE | 26   | subset v1 is defined twice                         |

  Scenario: what netspec does not model is said by name
    Given a cluster with node "node-a"
    And a namespace "shop" labelled "istio-injection=enabled"
    And a pod "web" in namespace "shop"
    And the manifest:
      """yaml
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: web, namespace: shop}
      spec:
        hosts: [web]
        http:
        - route: [{destination: {host: web}}]
          retries: {attempts: 3}
      ---
      apiVersion: networking.istio.io/v1
      kind: Sidecar
      metadata: {name: default, namespace: shop}
      spec: {outboundTrafficPolicy: {mode: REGISTRY_ONLY}}
      """
    Then the cluster loads with these warnings:
      | code                | line | message                                  |
      | NS-ISTIO-UNMODELLED | 46   | retries is not modelled by netspec       |
      | NS-UNKNOWN-KIND     | 48   | Sidecar "default" (networking.istio.io/v1) is not a kind netspec models |
