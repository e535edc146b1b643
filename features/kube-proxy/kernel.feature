Feature: The Linux kernel as judge: netspec's kube-proxy rules replayed in real network namespaces
  netspec says what kube-proxy's rules do to a packet; the kernel is the final authority.
  `npm run verify:kernel` (src/verify; Linux, root) builds the cluster below from netspec's own
  model — a network namespace per node, per pod and for a client outside the cluster, veth pairs,
  a bridge cni0 per node (hairpin on, bridge-nf-call-iptables=1, ip_forward=1), flannel host-gw
  routes between the nodes — loads netspec's `iptables-save` output into every node with
  iptables-nft-restore and with iptables-legacy-restore, and netspec's nftables-mode table with
  `nft -f`, starts listeners in the backend pods that answer with the peer address they see, and
  sends real TCP and UDP connections. For every flow it compares with netspec's in-process answer:
  the outcome (REJECT is ECONNREFUSED), the set of backends reached over netspec's seeds, the
  source each backend sees (SNAT or not, and which address), that ClientIP affinity sticks, the
  backend shares within a loose bound (4.5 binomial standard deviations, which netspec's seeded
  choices pass too), and — iptables — the packet counters of kube-proxy's service rules
  (`iptables-save -c` after zeroing) against the rules netspec's traces walked.
  `npm run verify:kernel -- --break masquerade` drops the masquerade mark from a copy of netspec's
  rules: the flows that need SNAT then fail, by name. Without the privileges it prints SKIP.

  The scenarios below are netspec's side of those flows, on the same manifests
  (k8s/kernel/cluster.yaml): what the kernel agreed with when the check last ran.

  Background:
    Given the manifests in "k8s/kernel"

  Scenario: pod → ClusterIP with endpoints on two nodes keeps the pod's address
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80
    Then the connection was delivered to one of the pods of service "web" in namespace "shop"
    And kube-proxy did not masquerade the source
    And the client sees the reply from the service address

  Scenario: a Service without endpoints is REJECTed: the kernel's client gets ECONNREFUSED
    When pod "client" in namespace "shop" connects to service "empty" on TCP port 80
    Then the connection is rejected

  Scenario: ClientIP affinity sticks (kube-proxy's -m recent list)
    When pod "client" in namespace "shop" connects to service "sticky" on TCP port 80 20 times
    Then every connection went to the same pod

  Scenario: hairpin: the pod behind a Service reaching it is masqueraded to cni0's address
    When pod "solo" in namespace "shop" connects to service "solo" on TCP port 80
    Then the connection is delivered to pod "solo" in namespace "shop"
    And kube-proxy masqueraded the source
    And the source seen by the pod is an address of node "node-a"

  Scenario: a NodePort with externalTrafficPolicy Local keeps the outside client's address
    When a client at 172.18.0.200 outside the cluster connects to the node port of service "web-local" in namespace "shop" on node "node-a"
    Then the connection is delivered to pod "web-1" in namespace "shop"
    And the source seen by the pod is the client's own address

  Scenario: an externalIP from outside, taken in by node-a, reaches the Service's pods
    When a client at 172.18.0.200 outside the cluster connects to the external IP of service "web-ext" in namespace "shop" through node "node-a"
    Then the connection was delivered to one of the pods of service "web-ext" in namespace "shop"
    And kube-proxy masqueraded the source

  Scenario: the kernel check's own plan: every flow has netspec's answer before the kernel is asked
    Then the kernel check's flows all have an answer from netspec
