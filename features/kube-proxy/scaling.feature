Feature: Why iptables mode slows down as services grow, and ipvs does not
  In iptables mode every node holds rules for every Service in the cluster. For N ClusterIP
  services with M endpoints each, kube-proxy writes per service one rule in KUBE-SERVICES, one
  masquerade rule and M jumps in its KUBE-SVC chain, and two rules in each of the M KUBE-SEP
  chains: N·(2 + 3M) rules, plus five fixed ones (KUBE-POSTROUTING, KUBE-MARK-MASQ and the final
  jump to KUBE-NODEPORTS). 10 000 services with 10 endpoints are 320 000 rules on each node. (Every
  cluster also has its own Services: kubernetes, and kube-dns with three ports.)

  Two costs grow with that number. Every change anywhere rewrites the node's whole table (kube-proxy
  limits the damage with partial syncs and, past 1000 endpoints, by dropping the comments from the
  per-endpoint rules). And the first packet of every connection walks KUBE-SERVICES rule by rule,
  comparing its destination with each service address until one matches: the services listed
  late cost the most, and the walk grows linearly with N.

  ipvs mode keeps the services in a hash table: finding the virtual server is one lookup, however
  many services there are, and the table changes one entry at a time.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And 40 services in namespace "bench" with 5 endpoints each

  Scenario: N services × M endpoints: N·(2 + 3M) nat rules on every node
    Then the services of namespace "bench" account for 680 nat rules on node "node-a"
    And the services of namespace "bench" account for 680 nat rules on node "node-b"
    And kube-proxy writes 714 nat rules and 4 filter rules on node "node-a"

  Scenario: KUBE-SERVICES is one linear chain: one rule per service port, then the NodePort jump
    # 40 services, the 4 ports of kubernetes and kube-dns, and the jump to KUBE-NODEPORTS
    Then KUBE-SERVICES on node "node-a" has 45 rules
    # kube-proxy writes the services in Go map order, which changes from sync to sync;
    # netspec keeps them sorted by name, so svc-9 comes last of the forty
    And a new connection to service "svc-0" in namespace "bench" on node "node-a" is checked against 1 rules before kube-proxy finds it
    And a new connection to service "svc-9" in namespace "bench" on node "node-a" is checked against 40 rules before kube-proxy finds it

  Scenario: ipvs holds the same services as a hash table: one virtual server each, found in one lookup
    Given kube-proxy runs in "ipvs" mode
    # the 40 services and the cluster's own 4 service ports
    Then node "node-a" has 44 IPVS virtual servers
    And the IPVS virtual server of service "svc-39" in namespace "bench" on node "node-a" has 5 real servers
    And node "node-a"'s iptables nat chain "KUBE-SERVICES" has 4 rules

  Scenario: the rules are the same on every node when no traffic policy is Local
    Then node "node-b"'s iptables nat chain "KUBE-SVC of bench/svc-7" has 6 rules
    And node "node-a"'s iptables nat chain "KUBE-SVC of bench/svc-7" has 6 rules
