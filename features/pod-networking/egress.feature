Feature: Traffic leaving the cluster is masqueraded to the node's IP
  Pod addresses mean nothing outside the cluster: the routers beyond the nodes do not know the pod
  network, and a reply addressed to a pod IP would never find its way back. So when a pod talks to
  an address outside the pod network, its node rewrites the packet's source to the node's own
  address on the way out (MASQUERADE in nat POSTROUTING), and conntrack rewrites the reply back.
  flannel installs this rule itself: masquerade whatever leaves the pod network, never pod-to-pod
  traffic. Some clusters (GKE among them) run the ip-masq-agent instead, which masquerades
  everything except the ranges listed in its nonMasqueradeCIDRs (RFC 1918 by default). Leave the
  pod range out of that list, and pod-to-pod traffic across nodes loses its source address.

  For a destination outside the cluster, netspec's verdict "delivered" means the packet left the
  cluster through a node's eth0 towards that address; no pod receives it, and what lies beyond the
  node is outside the model.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a pod "client" in namespace "shop" on node "node-a"
    And a pod "web-2" in namespace "shop" on node "node-b" listening on TCP port 8080

  Scenario: a pod reaches the internet from its node's IP
    When pod "client" in namespace "shop" connects to "93.184.216.34" on TCP port 443
    Then the connection is delivered
    And the connection leaves the cluster through node "node-a"
    And the source was masqueraded to node "node-a"'s IP
    And the destination sees the source address of node "node-a"
    And the trace mentions "MASQUERADE"

  Scenario: traffic between pods is never masqueraded
    When pod "client" in namespace "shop" connects to pod "web-2" on TCP port 8080
    Then the connection is delivered to pod "web-2"
    And no address translation happened

  Scenario: with the ip-masq-agent, the listed ranges keep the pod's address
    Given the ip-masq-agent runs with nonMasqueradeCIDRs "10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16"
    When pod "client" in namespace "shop" connects to "192.168.50.10" on TCP port 5432
    Then the connection leaves the cluster through node "node-a"
    And no address translation happened
    And the destination sees the source address of pod "client" in namespace "shop"

  Scenario: with the ip-masq-agent, everything else is masqueraded
    Given the ip-masq-agent runs with nonMasqueradeCIDRs "10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16"
    When pod "client" in namespace "shop" connects to "8.8.8.8" on UDP port 53
    Then the source was masqueraded to node "node-a"'s IP
    And the trace mentions "ip-masq-agent"

  Scenario: an ip-masq-agent list without the pod range masquerades pod-to-pod traffic
    Given the pod network is "routed"
    And the ip-masq-agent runs with nonMasqueradeCIDRs "192.168.0.0/16"
    When pod "client" in namespace "shop" connects to pod "web-2" on TCP port 8080
    Then the connection is delivered to pod "web-2"
    But the source was masqueraded to node "node-a"'s IP
    And the destination sees the source address of node "node-a"
