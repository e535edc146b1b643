Feature: kube-proxy's modes: iptables and ipvs give the same answers by different means
  kube-proxy runs on every node and turns Services and EndpointSlices into the node's packet
  rewriting. Which machinery it uses is its mode (KubeProxyConfiguration `mode`, or Gherkin):
  - iptables (the default): chains of netfilter rules in the nat table. A new connection walks
    KUBE-SERVICES rule by rule until one matches its destination, then picks an endpoint with
    `-m statistic --mode random` and DNATs to it.
  - ipvs: the kernel's IP Virtual Server, a load balancer keyed by address, port and protocol. Every
    service address is bound to a dummy interface (kube-ipvs0) so the node accepts it; a hash
    lookup finds the virtual server and a scheduler (rr, wrr, lc, wlc, sh, dh, sed, nq) picks the
    real server. iptables is still used beside it, for the masquerade decisions, matching ipsets.
  - userspace: the original mode, where kube-proxy itself accepted every connection and copied
    bytes to a backend. It was deprecated long ago and removed in Kubernetes 1.26; netspec
    documents it as legacy and does not simulate it.
  - nftables (GA in 1.33): one table per IP family with verdict maps instead of long chains; see
    the nftables chapter, and "modes compared" for where the three modes answer differently.
  Whatever the mode, the verdicts are the same: the pods reached, the NAT, the reply's source.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a pod "client" in namespace "shop" on node "node-a"
    And a deployment "web" in namespace "shop" with 3 replicas labelled "app=web" listening on TCP port 8080
    And a service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080

  Scenario Outline: the same verdict in either mode
    Given kube-proxy runs in "<mode>" mode
    When pod "client" in namespace "shop" connects to "web.shop.svc.cluster.local" on TCP port 80
    Then the connection is delivered to a pod labelled "app=web" on port 8080
    And kube-proxy rewrote the destination from the service IP to the pod IP
    And the client sees the reply from the service address
    And the trace passes through "<where>"

    Examples:
      | mode     | where                                 |
      | iptables | node/node-a/iptables/nat/KUBE-SERVICES |
      | ipvs     | node/node-a/ipvs                       |
      | nftables | node/node-a/nftables/services          |

  Scenario: ipvs mode: a virtual server per service address, the pods as real servers
    Given kube-proxy runs in "ipvs" mode with scheduler "rr"
    Then ipvsadm -Ln on node "node-a" shows, in this order:
      """
      IP Virtual Server version 1.2.1 (size=4096)
      Prot LocalAddress:Port Scheduler Flags
        -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
      """
    And the IPVS virtual server of service "web" in namespace "shop" on node "node-a" has 3 real servers

  Scenario: ipvs mode: round robin takes the real servers in turn
    Given kube-proxy runs in "ipvs" mode with scheduler "rr"
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80 300 times
    Then each of the 3 pods gets a third, within 1 %

  Scenario: ipvs mode: source hashing sends a client to the same pod every time
    Given kube-proxy runs in "ipvs" mode with scheduler "sh"
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80 50 times
    Then every connection went to the same pod
    And the trace mentions "source hashing"

  Scenario: ipvs mode: least connections fills the least busy real server first
    Given kube-proxy runs in "ipvs" mode with scheduler "lc"
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80 30 times
    Then each of the 3 pods gets a third, within 1 %
    And the trace mentions "least connections"

  Scenario: ipvs mode: the masquerade decisions are iptables rules matching ipsets
    Given kube-proxy runs in "ipvs" mode
    Then node "node-a"'s iptables nat chain "KUBE-SERVICES" contains "-m set --match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ"
    And node "node-a"'s iptables nat chain "KUBE-POSTROUTING" contains "--match-set KUBE-LOOP-BACK dst,dst,src -j MASQUERADE"

  Scenario: the userspace mode is legacy and not simulated
    Then kube-proxy's "userspace" mode is not simulated because "removed from kube-proxy (1.26)"
