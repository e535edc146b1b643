Feature: NAT both ways: kube-proxy rewrites the destination, and the source only where it must
  Every connection to a Service address is DNATed by kube-proxy on the first node it enters: the
  destination becomes ENDPOINT_IP:TARGET_PORT. Conntrack records the translation and reverses it
  on the reply, so the client sees the reply come from the address it connected to.

  The source address is left alone, except where the reply would otherwise not come back through
  the node that did the DNAT. kube-proxy then marks the packet (KUBE-MARK-MASQ sets 0x4000) and
  masquerades it on the way out (KUBE-POSTROUTING). That happens exactly:
  - for traffic to a ClusterIP from outside the pod network (a node, a hostNetwork pod, a router
    that routes the service range to a node): `! -s <clusterCIDR> -j KUBE-MARK-MASQ`;
  - for NodePort, load-balancer and external-IP traffic under externalTrafficPolicy Cluster;
  - for hairpin traffic: a pod that reaches itself through its own Service (otherwise it would
    answer itself directly and drop the reply as unknown): `-s <podIP>/32 -j KUBE-MARK-MASQ` in
    each KUBE-SEP chain;
  - and everywhere if kube-proxy runs with masqueradeAll.
  Pod-to-service traffic keeps the pod's address; the Local policy keeps the client's.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a pod "client" in namespace "shop" on node "node-a"
    And a pod "web-1" in namespace "shop" on node "node-b" labelled "app=web" listening on TCP port 8080
    And a service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080

  Scenario: the DNAT and its reversal
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80
    Then the connection is delivered to pod "web-1"
    And kube-proxy rewrote the destination from the service IP to the pod IP
    And the client sees the reply from the service address
    And the trace mentions "reverses the DNAT by kube-proxy"

  Scenario: pod to service: the pod's own address arrives
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80
    Then kube-proxy did not masquerade the source
    And the destination sees the source address of pod "client" in namespace "shop"

  Scenario: a node reaching a ClusterIP is masqueraded (its address is outside the cluster CIDR)
    When node "node-a" connects to service "web" in namespace "shop" on TCP port 80
    Then the connection is delivered to pod "web-1"
    And kube-proxy masqueraded the source
    And the trace mentions "! -s 10.244.0.0/16"
    And the client sees the reply from the service address

  Scenario: hairpin: a pod reaching itself through its own Service is masqueraded
    When pod "web-1" in namespace "shop" connects to service "web" on TCP port 80
    Then the connection is delivered to pod "web-1"
    And kube-proxy masqueraded the source
    And the source seen by the pod is an address of node "node-b"
    And the client sees the reply from the service address

  Scenario: masqueradeAll masquerades pod-to-service traffic too
    Given kube-proxy masquerades all service traffic
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80
    Then kube-proxy masqueraded the source

  Scenario: without a cluster CIDR kube-proxy cannot tell pods from the rest, and masquerades none of it
    Given kube-proxy has no cluster CIDR
    When node "node-a" connects to service "web" in namespace "shop" on TCP port 80
    Then kube-proxy did not masquerade the source
    And node "node-a"'s iptables nat chain "KUBE-SVC of shop/web" does not contain "KUBE-MARK-MASQ"
