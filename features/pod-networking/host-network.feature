Feature: hostNetwork pods live in the node's network namespace
  A pod with hostNetwork: true gets no network namespace of its own: its containers run in the
  node's. They use the node's addresses and share the node's ports with everything else that runs
  there: the kubelet (which serves its API on 10250/TCP), other hostNetwork pods, system daemons.
  Node agents run this way (kube-proxy, the CNI's own daemon, node exporters); ordinary
  applications should not, since two of them cannot bind the same port on one node.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a hostNetwork pod "node-exporter" in namespace "monitoring" on node "node-a" listening on TCP port 9100
    And a pod "prometheus" in namespace "monitoring" on node "node-b"
    And a pod "client" in namespace "shop" on node "node-a"

  Scenario: a hostNetwork pod answers on its node's IP
    When pod "prometheus" in namespace "monitoring" connects to "monitoring/node-exporter" on TCP port 9100
    Then the connection is delivered to pod "node-exporter"
    And the connection is delivered to node "node-a"

  Scenario: the node's port is the hostNetwork pod's port
    When pod "prometheus" in namespace "monitoring" connects to node "node-a" on TCP port 9100
    Then the connection is delivered to pod "node-exporter"

  Scenario: leaving the pod network towards a node address, the pod is masqueraded
    flannel masquerades what leaves the pod network, and node addresses are outside it. A pod on the
    same node reaches the node directly, without crossing POSTROUTING, and keeps its address.
    When pod "prometheus" in namespace "monitoring" connects to node "node-a" on TCP port 9100
    Then the source was masqueraded to node "node-b"'s IP
    When pod "client" in namespace "shop" connects to node "node-a" on TCP port 9100
    Then no address translation happened
    And the destination sees the source address of pod "client" in namespace "shop"

  Scenario: a hostNetwork pod sends from the node's address
    When pod "node-exporter" in namespace "monitoring" connects to "93.184.216.34" on TCP port 443
    Then the connection leaves the cluster through node "node-a"
    And the destination sees the source address of node "node-a"
    And no address translation happened

  Scenario: the ports are per node: nothing listens on 9100 on the other node
    When pod "client" in namespace "shop" connects to node "node-b" on TCP port 9100
    Then the connection is refused

  Scenario: the kubelet's port is the node's too
    When pod "prometheus" in namespace "monitoring" connects to node "node-a" on TCP port 10250
    Then the connection is delivered to node "node-a"
    And the trace passes through "node/node-a/kubelet"

  Scenario: a hostNetwork daemonset listens on every node
    Given a hostNetwork daemonset "agent" in namespace "kube-system" listening on TCP port 9500
    Then these connections have these verdicts:
      | from                  | to          | port | verdict   |
      | monitoring/prometheus | node/node-a | 9500 | delivered |
      | monitoring/prometheus | node/node-b | 9500 | delivered |
      | shop/client           | node/node-a | 9500 | delivered |
      | shop/client           | node/node-b | 9501 | refused   |
