Feature: Traffic policies: the client's address or an even spread
  A connection that arrives at a node from outside (NodePort, load-balancer IP, external IP) may be
  sent by kube-proxy to a pod on another node. The reply must then come back through the same node
  so conntrack can undo the translation, so kube-proxy masquerades such traffic: the pod sees an
  address of the node the client reached, never the client. That is externalTrafficPolicy: Cluster
  (the default): every node accepts the traffic and spreads it over all ready pods.

  externalTrafficPolicy: Local keeps the client's address by never leaving the node: kube-proxy
  sends external traffic only to pods on the node it arrived at, without masquerade. A node with
  no such pod drops it (the load balancer is expected to stop sending traffic there: it asks the
  Service's healthCheckNodePort, which kube-proxy answers 200 or 503: see "kube-proxy answers the
  load balancer's health checks"). The price is spread: each node's pods share that node's traffic.

  internalTrafficPolicy: Local does the same for traffic to the ClusterIP from inside the cluster:
  only endpoints on the client's node, dropped when there is none.

  Which address the pod sees under the Cluster policy depends on the interface the packet leaves
  by: the node's IP on a routed network, the overlay device's address with flannel's VXLAN
  (flannel.1 holds the node podCIDR's network address), the bridge's address (cni0) when the pod
  is on that very node.

  Background:
    Given a cluster with nodes "node-a", "node-b" and "node-c"
    And a pod "web-1" in namespace "shop" on node "node-a" labelled "app=web" listening on TCP port 8080
    And a pod "web-2" in namespace "shop" on node "node-b" labelled "app=web" listening on TCP port 8080
    And a NodePort service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080 with node port 30080

  Scenario: Cluster policy: a node without a local pod forwards the traffic and masquerades it
    When a client at 203.0.113.7 outside the cluster connects to the node port of service "web" in namespace "shop" on node "node-c"
    Then the connection was delivered to one of the pods of service "web" in namespace "shop"
    And kube-proxy masqueraded the source
    And the source seen by the pod is an address of node "node-c"
    And the trace mentions "masquerade traffic for shop/web external destinations"

  Scenario: Cluster policy on a routed network: the pod sees the node's IP
    Given the pod network is "routed"
    When a client at 203.0.113.7 outside the cluster connects to the node port of service "web" in namespace "shop" on node "node-c"
    Then the connection was delivered to one of the pods of service "web" in namespace "shop"
    And the destination sees the source address of node "node-c"

  Scenario: Local policy keeps the client's address
    Given service "web" in namespace "shop" has externalTrafficPolicy "Local"
    When a client at 203.0.113.7 outside the cluster connects to the node port of service "web" in namespace "shop" on node "node-a"
    Then the connection is delivered to pod "web-1"
    And kube-proxy did not masquerade the source
    And the source seen by the pod is the client's own address

  Scenario: Local policy drops external traffic on a node without a local pod
    Given service "web" in namespace "shop" has externalTrafficPolicy "Local"
    When a client at 203.0.113.7 outside the cluster connects to the node port of service "web" in namespace "shop" on node "node-c"
    Then the connection is dropped
    And the trace mentions "shop/web has no local endpoints"
    And the trace passes through "node/node-c/iptables/filter/KUBE-EXTERNAL-SERVICES"

  Scenario: Local policy: pods inside the cluster still reach every endpoint through the ClusterIP
    Given service "web" in namespace "shop" has externalTrafficPolicy "Local"
    And a pod "client" in namespace "shop" on node "node-c"
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80
    Then the connection was delivered to one of the pods of service "web" in namespace "shop"

  Scenario: Local policy: a pod reaching the node port of its own node without a local pod is short-circuited to every endpoint
    # pkg/proxy/iptables/proxier.go: KUBE-EXT's first rule "pod traffic for <svc> external destinations"
    # (-s <clusterCIDR> -j KUBE-SVC-…) acts as if the traffic went out to a load balancer and came back
    Given service "web" in namespace "shop" has externalTrafficPolicy "Local"
    And a pod "client" in namespace "shop" on node "node-c"
    When pod "client" in namespace "shop" connects to node "node-c" on TCP port 30080
    Then the connection was delivered to one of the pods of service "web" in namespace "shop"
    And kube-proxy did not masquerade the source
    And the trace mentions "pod traffic for shop/web external destinations"

  Scenario: Local policy in the rules: KUBE-EXT jumps to KUBE-SVL, which lists only the node's own pods
    Given service "web" in namespace "shop" has externalTrafficPolicy "Local"
    Then node "node-a"'s iptables nat chain "KUBE-EXT of shop/web" contains "-j KUBE-SVL-"
    And node "node-a"'s iptables nat chain "KUBE-SVL of shop/web" has 1 rule
    And node "node-c"'s iptables filter chain "KUBE-EXTERNAL-SERVICES" contains "shop/web has no local endpoints"

  Scenario: internalTrafficPolicy Local: only the client's node, dropped when it has no endpoint
    Given service "web" in namespace "shop" has internalTrafficPolicy "Local"
    And a pod "near" in namespace "shop" on node "node-a"
    And a pod "far" in namespace "shop" on node "node-c"
    When pod "near" in namespace "shop" connects to service "web" on TCP port 80 50 times
    Then every connection went to the same pod
    And the connection is delivered to pod "web-1"
    When pod "far" in namespace "shop" connects to service "web" on TCP port 80
    Then the connection is dropped
    And the trace mentions "shop/web has no local endpoints"

  Scenario: Local policy: the load balancer asks each node's health check which nodes have a pod
    The API server gives an externalTrafficPolicy: Local load balancer a healthCheckNodePort (here
    the next free node port, 30087, after the service's own 30086). kube-proxy answers it on every
    node: 200 where the node has a ready local endpoint, 503 where it has none, so the cloud load
    balancer sends traffic only to nodes that will not drop it.
    Given a LoadBalancer service "web-lb" in namespace "shop" selecting "app=web" mapping port 80 to 8080
    And service "web-lb" in namespace "shop" has externalTrafficPolicy "Local"
    When a client at 203.0.113.7 outside the cluster connects to node "node-a" on TCP port 30087
    Then the connection is delivered to node "node-a"
    And the trace passes through "node/node-a/kube-proxy"
    And the trace says "200, 1 local ready endpoint"
    When a client at 203.0.113.7 outside the cluster connects to node "node-c" on TCP port 30087
    Then the connection is delivered to node "node-c"
    And the trace says "503, no local ready endpoint"

  Scenario: kube-proxy's own health endpoint answers on every node
    When node "node-b" connects to "node/node-c" on TCP port 10256
    Then the connection is delivered to node "node-c"
    And the trace says "kube-proxy serves /healthz on TCP 10256"
