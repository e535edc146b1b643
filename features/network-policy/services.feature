Feature: Policies see the Service's pod and targetPort, not the ClusterIP
  NetworkPolicy knows nothing of Services. By the time a policy judges a connection to a Service,
  kube-proxy has already rewritten its destination to one of the Service's pods and the
  targetPort (DNAT in nat PREROUTING, on the client's node). So an ingress rule names the port the
  container listens on (8080), not the Service port (80), and a named port in a policy means the
  container port of that name, exactly like a Service's named targetPort. Traffic from a pod to a
  Service keeps the pod's address, so podSelector rules recognise the client.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a pod "client" in namespace "shop" on node "node-a" labelled "app=client"
    And a pod "other" in namespace "shop" on node "node-a" labelled "app=other"
    And a pod "web-1" in namespace "shop" on node "node-b" labelled "app=web" with containers:
      | container | port | protocol | name |
      | app       | 8080 | TCP      | http |
    And a service "web" in namespace "shop" selecting "app=web" mapping port 80 to the port named "http"

  Scenario: an ingress rule on the targetPort lets service traffic in
    Given a network policy "allow-client" in namespace "shop" that allows ingress to pods labelled "app=web" from pods labelled "app=client" on TCP port 8080
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80
    Then the connection is delivered to pod "web-1"
    And kube-proxy rewrote the destination from the service IP to the pod IP
    And the connection is allowed by network policy "allow-client" in namespace "shop"

  Scenario: an ingress rule on the Service port does not: the pod never sees port 80
    Given a network policy "allow-client" in namespace "shop" that allows ingress to pods labelled "app=web" from pods labelled "app=client" on TCP port 80
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80
    Then the connection is dropped
    And the trace mentions "TCP 8080 is not in ports TCP 80"

  Scenario: a named port in the policy is the container port of that name
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-http, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
        - from: [{podSelector: {matchLabels: {app: client}}}]
          ports: [{port: http}]
      """
    Then these connections have these verdicts:
      | from        | to             | port | verdict   |
      | shop/client | web.shop.svc   | 80   | delivered |
      | shop/client | shop/web-1     | 8080 | delivered |
      | shop/other  | web.shop.svc   | 80   | dropped   |

  Scenario: the deny comes at the pod, after the Service translated the packet
    Given a network policy "default-deny" in namespace "shop" that denies all ingress
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80
    Then the connection is dropped
    And the trace passes through "node/node-a/iptables/nat/KUBE-SERVICES"
    And the trace passes through "policy/shop/default-deny"
    And the trace mentions "does not allow TCP 8080 from pod shop/client"
