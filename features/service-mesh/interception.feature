Feature: Interception: the pod's own iptables send every connection through the sidecar
  The istio-init container runs istio-iptables inside the pod's network namespace. Outbound TCP
  goes through ISTIO_OUTPUT to ISTIO_REDIRECT (REDIRECT to Envoy's 15001); inbound TCP goes through
  ISTIO_INBOUND to ISTIO_IN_REDIRECT (REDIRECT to 15006). Envoy's own connections (UID 1337) return
  untouched, so they are not captured twice; the agent and health ports 15020, 15021 and 15090 are
  never redirected. The traffic.sidecar.istio.io/* annotations exclude ports and address ranges.
  `netspec iptables-save --pod NS/POD` prints the rules.

  Background:
    Given a cluster with node "node-a"
    And a namespace "shop" labelled "istio-injection=enabled"
    And the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: api
        namespace: shop
        annotations:
          traffic.sidecar.istio.io/excludeOutboundPorts: "5432"
      spec: {containers: [{name: api, image: api:1, ports: [{containerPort: 8080}]}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: db, namespace: shop, labels: {app: db}}
      spec: {containers: [{name: db, image: postgres:16, ports: [{containerPort: 5432}]}]}
      """

  Scenario: outbound to 15001, inbound to 15006, the proxy's UID exempt
    Then the interception rules of pod "api" in namespace "shop" include, in order:
      """
      -A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001
      -A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006
      -A PREROUTING -p tcp -j ISTIO_INBOUND
      -A ISTIO_INBOUND -p tcp -m multiport --dports 15090,15021,15020 -j RETURN
      -A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT
      -A OUTPUT -j ISTIO_OUTPUT
      -A ISTIO_OUTPUT -p tcp --dport 5432 -j RETURN
      -A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN
      -A ISTIO_OUTPUT -j ISTIO_REDIRECT
      """

  Scenario: an excluded port bypasses the client's sidecar (the server's still takes it)
    When pod "api" in namespace "shop" connects to pod "db" on TCP port 5432
    Then the connection is delivered
    And the connection went through the sidecar of pod "db" in namespace "shop"
    And the connection was plaintext
