Feature: Services give pods a stable virtual IP
  Pods come and go, and with them their addresses. A Service gives a set of pods one address that
  stays: the ClusterIP, allocated from the service range when the Service is created. No interface
  holds that address. kube-proxy, on every node, writes netfilter rules that catch packets sent to
  ClusterIP:port and rewrite their destination (DNAT) to one of the ready pods behind the Service,
  chosen at random for each new connection. Conntrack remembers the rewrite, so the reply comes back
  from the ClusterIP the client talked to, and the client never learns which pod answered.

  Pod-to-service traffic keeps the pod's own address: the chosen pod sees the real client.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a pod "client" in namespace "shop" on node "node-a"
    And a deployment "web" in namespace "shop" with 3 replicas labelled "app=web" listening on TCP port 8080
    And a service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080

  Scenario: traffic to the ClusterIP reaches a ready pod
    When pod "client" in namespace "shop" connects to "web.shop.svc.cluster.local" on TCP port 80
    Then the connection is delivered to a pod labelled "app=web" on port 8080
    And kube-proxy rewrote the destination from the service IP to the pod IP
    And the client sees the reply from the service address

  Scenario: the pod sees the client's own address (no source NAT for pod-to-service traffic)
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80
    Then the connection is delivered to a pod labelled "app=web" on port 8080
    And kube-proxy did not masquerade the source
    And the source seen by the pod is the client's own address

  Scenario: the trace names the rules that rewrote the packet
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80
    Then the trace passes through "node/node-a/iptables/nat/KUBE-SERVICES"
    And the trace mentions "shop/web cluster IP"
    And the trace mentions "-j DNAT --to-destination"

  Scenario: new connections spread evenly over the ready pods
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80 3000 times
    Then each of the 3 pods gets a third, within 5 %

  Scenario: a port the Service does not expose goes nowhere
    When pod "client" in namespace "shop" connects to service "web" on TCP port 8080
    Then the connection is dropped
    And kube-proxy did not rewrite the destination

  Scenario: a Service can expose several ports, each to its own target port
    Given a deployment "api" in namespace "shop" with 2 replicas labelled "app=api" listening on TCP ports 8080 and 9090
    And a service "api" in namespace "shop" selecting "app=api" with ports:
      | name    | port | targetPort |
      | http    | 80   | 8080       |
      | metrics | 9100 | 9090       |
    When pod "client" in namespace "shop" connects to service "api" on TCP port 9100
    Then the connection is delivered to a pod labelled "app=api" on port 9090
    And the client sees the reply from the service address
