Feature: ipBlock rules, and the source address a pod really sees
  An ipBlock peer admits (or, for egress, reaches) addresses in a CIDR, minus its except ranges.
  It is meant for addresses outside the cluster: pod addresses change with every restart. Whether
  it also matches pod addresses is left to the implementation; netspec matches any address, as
  Calico does and as the upstream e2e test "should allow egress access to server in CIDR block"
  expects. Pods are matched by their selectors as well.

  The catch is the word "sees". An ingress rule judges the source address as it arrives at the
  pod. A client outside the cluster reaching a NodePort or LoadBalancer Service with
  externalTrafficPolicy: Cluster is masqueraded by kube-proxy: the pod sees an address of the node
  the client reached (its overlay device's address with flannel's VXLAN), so an ipBlock naming the
  client's network matches nothing. externalTrafficPolicy: Local keeps the client's address, and
  the ipBlock works. Kubernetes says as much: whether NetworkPolicy sees the address before or
  after such rewriting is not defined, and with kube-proxy it is after.

  Background:
    Given a cluster with nodes "node-a", "node-b" and "node-c"
    And a pod "web-1" in namespace "shop" on node "node-a" labelled "app=web" listening on TCP port 8080
    And a pod "client" in namespace "shop" on node "node-b" labelled "app=client"
    And a NodePort service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080 with node port 30080
    And the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-office, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
        - from:
          - ipBlock:
              cidr: 203.0.113.0/24
              except: [203.0.113.128/25]
      """

  Scenario: with externalTrafficPolicy Cluster, the pod sees a node, and the ipBlock matches nothing
    When a client at 203.0.113.7 outside the cluster connects to the node port of service "web" in namespace "shop" on node "node-c"
    Then the connection is dropped
    And kube-proxy masqueraded the source
    And the trace mentions "matches none of ipBlock 203.0.113.0/24 except 203.0.113.128/25"

  Scenario: with externalTrafficPolicy Local, the client's address survives and the ipBlock lets it in
    Given service "web" in namespace "shop" has externalTrafficPolicy "Local"
    When a client at 203.0.113.7 outside the cluster connects to the node port of service "web" in namespace "shop" on node "node-a"
    Then the connection is delivered to pod "web-1"
    And the source seen by the pod is the client's own address
    And the connection is allowed by network policy "allow-office" in namespace "shop"
    And the trace mentions "from[0]: ipBlock 203.0.113.0/24 except 203.0.113.128/25"

  Scenario: the except ranges stay out
    Given service "web" in namespace "shop" has externalTrafficPolicy "Local"
    When a client at 203.0.113.200 outside the cluster connects to the node port of service "web" in namespace "shop" on node "node-a"
    Then the connection is dropped
    And the connection is denied by network policy "allow-office" in namespace "shop"

  Scenario: on a routed network, the pod address is reachable from outside, and the client keeps its address
    Given the pod network is "routed"
    When a client at 203.0.113.7 outside the cluster connects to "shop/web-1" on TCP port 8080
    Then the connection is delivered to pod "web-1"
    And the connection is allowed by network policy "allow-office" in namespace "shop"

  Scenario: an ipBlock matches pod addresses too (netspec's choice, Calico's behaviour)
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-pod-range, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
        - from:
          - ipBlock: {cidr: 10.244.0.0/16}
      """
    When pod "client" in namespace "shop" connects to pod "web-1" on TCP port 8080
    Then the connection is delivered to pod "web-1"
    And the connection is allowed by network policy "allow-pod-range" in namespace "shop"

  Scenario: masqueraded to the pod's own node, the connection counts as the node's and is let in
    # with externalTrafficPolicy Cluster and the pod on the node the client reached, kube-proxy
    # masquerades to that node's bridge address (cni0): "traffic from the node where a Pod is
    # running is always allowed" then lets in what the ipBlock alone would have kept out
    When a client at 198.51.100.9 outside the cluster connects to the node port of service "web" in namespace "shop" on node "node-a"
    Then the connection is delivered to pod "web-1"
    And kube-proxy masqueraded the source
    And the trace mentions "from the node where the pod runs (node-a) is always allowed"
