Feature: Same node and across nodes: the bridge, the overlay and routes
  A pod's eth0 is one end of a veth pair; the other end is plugged into cni0, a Linux bridge on the
  pod's node. The bridge's address, the first address of the node's podCIDR, is every local pod's
  default gateway. Two pods on one node talk through that bridge like two machines on one switch.

  Each node owns a slice of the pod network, its podCIDR. Traffic for another node's slice leaves
  in one of two ways. In an overlay (flannel's default is VXLAN) the node wraps the packet in a UDP
  datagram from its own IP to the peer node's IP (port 8472); the peer unwraps it and hands the
  original packet, pod addresses intact, to its bridge. In a routed network (flannel host-gw,
  Calico with BGP) every node has a plain route "peer podCIDR via peer node IP", and packets cross
  the wire unchanged: no encapsulation overhead, but the nodes must share a layer-2 segment or the
  routers must learn the pod routes. Either way, the pods never notice: no address is translated.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a pod "client" in namespace "shop" on node "node-a"
    And a pod "web-1" in namespace "shop" on node "node-a" listening on TCP port 8080
    And a pod "web-2" in namespace "shop" on node "node-b" listening on TCP port 8080

  Scenario: pods on one node talk over the bridge
    When pod "client" in namespace "shop" connects to pod "web-1" on TCP port 8080
    Then the connection is delivered to pod "web-1"
    And the trace passes through "node/node-a/cni0"
    And it was not encapsulated
    And no address translation happened

  Scenario: across nodes, the overlay wraps the packet between the two node IPs
    When pod "client" in namespace "shop" connects to pod "web-2" on TCP port 8080
    Then the connection is delivered to pod "web-2"
    And the packet was encapsulated between node "node-a" and node "node-b"
    And the trace passes through "node/node-b/flannel.1"
    And the trace passes through "node/node-b/cni0"
    And no address translation happened
    And the destination sees the source address of pod "client" in namespace "shop"

  Scenario: in a routed network, packets cross between nodes unchanged
    Given the pod network is "routed"
    When pod "client" in namespace "shop" connects to pod "web-2" on TCP port 8080
    Then the connection is delivered to pod "web-2"
    And it was not encapsulated
    And the trace mentions "via 172.18.0.3 dev eth0"
    And no address translation happened

  Scenario Outline: every overlay keeps the pod addresses intact (<network>)
    Given the pod network is "<network>"
    When pod "client" in namespace "shop" connects to pod "web-2" on TCP port 8080
    Then the connection is delivered to pod "web-2"
    And the packet was encapsulated between node "node-a" and node "node-b"
    And the trace passes through "node/node-a/<device>"
    And no address translation happened

    Examples:
      | network | device        |
      | vxlan   | flannel.1     |
      | geneve  | cilium_geneve |
      | ipip    | tunl0         |
