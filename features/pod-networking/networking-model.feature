Feature: The Kubernetes networking model
  Kubernetes asks three things of every cluster network, whatever plugin implements it:
  every pod gets its own IP address; every pod can reach every other pod, on any node, at that
  address and without network address translation (NAT); and the agents on a node (the kubelet,
  system daemons) can reach every pod on that node. So the address a pod believes it has is the
  address its peers see, and namespaces do not wall pods off from each other (NetworkPolicy does).

  netspec models a Linux node with a bridge CNI, as flannel sets it up by default: each pod's
  eth0 is one end of a veth pair whose other end is plugged into the node's bridge cni0, and pods
  on other nodes are reached through a VXLAN overlay unless a scenario says otherwise.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a pod "client" in namespace "shop" on node "node-a"
    And a pod "web-1" in namespace "shop" on node "node-a" labelled "app=web" listening on TCP port 8080
    And a pod "web-2" in namespace "shop" on node "node-b" labelled "app=web" listening on TCP port 8080
    And a pod "db-0" in namespace "data" on node "node-b" listening on TCP port 5432

  Scenario: a pod reaches a pod on another node at its own address, without NAT
    When pod "client" in namespace "shop" connects to pod "web-2" on TCP port 8080
    Then the connection is delivered to pod "web-2"
    And the connection is delivered to a pod labelled "app=web" on port 8080
    And no address translation happened
    And the destination sees the source address of pod "client" in namespace "shop"

  Scenario: every pod reaches every pod, whatever their nodes and namespaces
    Then these connections have these verdicts:
      | from        | to         | port | verdict   |
      | shop/client | shop/web-1 | 8080 | delivered |
      | shop/client | shop/web-2 | 8080 | delivered |
      | shop/web-1  | shop/web-2 | 8080 | delivered |
      | shop/web-2  | shop/web-1 | 8080 | delivered |
      | shop/web-2  | data/db-0  | 5432 | delivered |
      | data/db-0   | shop/web-1 | 8080 | delivered |
      | shop/client | data/db-0  | 8080 | refused   |

  Scenario: pods made by workload controllers follow the same rules
    Given a statefulset "cache" in namespace "data" with 2 replicas labelled "app=cache" listening on TCP port 6379
    When pod "client" in namespace "shop" connects to pod "cache-1" in namespace "data" on TCP port 6379
    Then the connection is delivered to a pod labelled "app=cache" on port 6379
    And no address translation happened

  Scenario: node agents reach the pods on their node, over the bridge and without NAT
    The kubelet's probes come this way. The kernel picks the source address from the route to
    the pod network (10.244.0.0/24 dev cni0 src 10.244.0.1), so the pod sees the bridge's address.
    When node "node-a" connects to pod "web-1" in namespace "shop" on TCP port 8080
    Then the connection is delivered to pod "web-1"
    And the trace passes through "node/node-a/cni0"
    And no address translation happened
    And the destination sees the source address 10.244.0.1

  Scenario: a pod reaches the kubelet of its node
    When pod "client" in namespace "shop" connects to node "node-a" on TCP port 10250
    Then the connection is delivered to node "node-a"
    And the trace passes through "node/node-a/kubelet"

  Scenario: pod addresses are not reachable from outside an overlay network
    Only the nodes know the overlay's routes; a client outside the cluster reaches pods through
    Services (NodePort, LoadBalancer) or an ingress, never at their pod IPs.
    When a client at 203.0.113.7 outside the cluster connects to "shop/web-2" on TCP port 8080
    Then the connection is unreachable
