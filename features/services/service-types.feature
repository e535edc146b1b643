Feature: Every Service type, and what kube-proxy does with each
  The four Service types build on each other:
  - ClusterIP (the default) gets a virtual address inside the cluster.
  - NodePort is a ClusterIP service that is also reachable on one port (30000–32767) of every
    node's addresses: a client outside the cluster connects to any NODE_IP:NODEPORT.
  - LoadBalancer is a NodePort service that also gets an external load-balancer address
    (status.loadBalancer.ingress, set by the cloud provider or a bare-metal LB controller; without
    one it stays <pending>, as netspec leaves it unless a provider pool is configured). kube-proxy catches traffic to that address on the node the load balancer hands it to,
    so LoadBalancer → NodePort → ClusterIP → pod are three doors to the same pods.
  - ExternalName is only a DNS alias (a CNAME, see the DNS chapter): no address, no kube-proxy rule.
  A headless Service (clusterIP: None) has no virtual address either: DNS answers with the pods'
  own addresses and kube-proxy writes nothing for it. Any Service may also list externalIPs:
  addresses routed to the nodes by someone else, which kube-proxy treats like a load-balancer IP.

  Background:
    Given a cluster with nodes "node-a", "node-b" and "node-c"
    And a pod "client" in namespace "shop" on node "node-a"
    And a pod "web-1" in namespace "shop" on node "node-a" labelled "app=web" listening on TCP port 8080
    And a pod "web-2" in namespace "shop" on node "node-b" labelled "app=web" listening on TCP port 8080

  Scenario: NodePort: a client outside the cluster reaches the pods through any node
    Given a NodePort service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080 with node port 30080
    When a client at 203.0.113.7 outside the cluster connects to the node port of service "web" in namespace "shop" on node "node-c"
    Then the connection was delivered to one of the pods of service "web" in namespace "shop"
    And the trace passes through "node/node-c/iptables/nat/KUBE-NODEPORTS"
    And kube-proxy rewrote the destination from the service IP to the pod IP
    And the client sees the reply from the service address

  Scenario: NodePort: the ClusterIP still works inside the cluster
    Given a NodePort service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080 with node port 30080
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80
    Then the connection was delivered to one of the pods of service "web" in namespace "shop"

  Scenario: LoadBalancer → NodePort → ClusterIP → pod: three doors to the same pods
    Given the cloud provider assigns load balancer addresses from 198.51.100.0/24
    And a LoadBalancer service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080 with node port 30081
    When a client at 203.0.113.7 outside the cluster connects to the load balancer IP of service "web" in namespace "shop" through node "node-b"
    Then the connection was delivered to one of the pods of service "web" in namespace "shop"
    And the trace mentions "loadbalancer IP"
    And the client sees the reply from the service address
    When a client at 203.0.113.7 outside the cluster connects to the node port of service "web" in namespace "shop" on node "node-a"
    Then the connection was delivered to one of the pods of service "web" in namespace "shop"
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80
    Then the connection was delivered to one of the pods of service "web" in namespace "shop"

  Scenario: the cloud load balancer listens only on the Service's ports
    Given the cloud provider assigns load balancer addresses from 198.51.100.0/24
    And a LoadBalancer service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080 with node port 30081
    When a client at 203.0.113.7 outside the cluster connects to the load balancer IP of service "web" in namespace "shop" on TCP port 8443 through node "node-b"
    Then the connection is dropped
    And the trace mentions "forwards only the Service's declared ports (80/TCP)"

  Scenario: without a cloud provider, a LoadBalancer Service has no external address
    On a cluster with no load-balancer controller, status.loadBalancer stays empty and kubectl shows
    EXTERNAL-IP <pending>; the Service still works as a NodePort.
    Given a LoadBalancer service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080 with node port 30081
    Then service "web" in namespace "shop" has no load balancer IP
    When a client at 203.0.113.7 outside the cluster connects to the node port of service "web" in namespace "shop" on node "node-a"
    Then the connection was delivered to one of the pods of service "web" in namespace "shop"

  Scenario: externalIPs: an address routed to a node is caught like a load-balancer IP
    Given a service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080
    And service "web" in namespace "shop" has the external IP 192.0.2.50
    When a client at 203.0.113.7 outside the cluster connects to the external IP of service "web" in namespace "shop" through node "node-c"
    Then the connection was delivered to one of the pods of service "web" in namespace "shop"
    And the trace mentions "shop/web external IP"
    And kube-proxy masqueraded the source

  Scenario: a headless Service has no virtual address, so kube-proxy writes nothing for it
    Given a headless service "web" in namespace "shop" selecting "app=web" mapping port 8080 to 8080
    Then node "node-a"'s iptables nat chain "KUBE-SERVICES" does not contain "shop/web"
    When pod "client" in namespace "shop" connects to "web.shop.svc.cluster.local" on TCP port 8080
    Then the connection was delivered to one of the pods of service "web" in namespace "shop"
    And kube-proxy did not rewrite the destination

  Scenario: an ExternalName Service is a DNS alias only
    Given an ExternalName service "search" in namespace "shop" pointing to "search.example.com"
    Then node "node-a"'s iptables nat chain "KUBE-SERVICES" does not contain "shop/search"

  Scenario: UDP and TCP ports of one Service get separate rules (the protocol is part of the chain name)
    Given a pod "dns-1" in namespace "shop" on node "node-b" labelled "app=dns" listening on UDP port 53
    And a service "dns" in namespace "shop" selecting "app=dns" with ports:
      | name    | port | targetPort | protocol |
      | dns     | 53   | 53         | UDP      |
      | dns-tcp | 53   | 53         | TCP      |
    When pod "client" in namespace "shop" connects to service "dns" on UDP port 53
    Then the connection is delivered to pod "dns-1"
    And node "node-a"'s iptables nat chain "KUBE-SERVICES" contains "-p udp -m comment --comment \"shop/dns:dns cluster IP\" -m udp --dport 53"
    When pod "client" in namespace "shop" connects to service "dns" on TCP port 53
    Then the connection is refused
