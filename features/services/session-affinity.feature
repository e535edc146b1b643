Feature: Session affinity sends a client back to the same pod
  With sessionAffinity: ClientIP, kube-proxy remembers which pod each client address was sent to
  and sends its next connections there too, for sessionAffinityConfig.clientIP.timeoutSeconds
  (10800 s, three hours, by default) after the last one. In iptables mode this is the `recent`
  match: each KUBE-SEP chain records the client (--set), and the KUBE-SVC chain first checks
  whether the client is in one of those lists (--rcheck --seconds … --reap) before rolling the
  dice. In ipvs mode it is the virtual server's persistence ("persistent 10800" in ipvsadm -Ln).

  Affinity follows the client's address, so many clients behind one NAT all land on one pod.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a pod "client" in namespace "shop" on node "node-a"
    And a deployment "web" in namespace "shop" with 3 replicas labelled "app=web" listening on TCP port 8080
    And a service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080
    And service "web" in namespace "shop" has sessionAffinity ClientIP with a timeout of 600 seconds

  Scenario: every connection from one client goes to the same pod
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80 300 times
    Then every connection went to the same pod
    And the trace mentions "--rcheck --seconds 600 --reap"

  Scenario: the rules: a recent-list check per endpoint before the random pick
    Then node "node-a"'s iptables nat chain "KUBE-SVC of shop/web" has 7 rules
    And node "node-a"'s iptables nat chain "KUBE-SVC of shop/web" contains "-m recent --rcheck --seconds 600 --reap --name KUBE-SEP-"

  Scenario: connections further apart than the timeout are spread again
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80 30 times, 601 seconds apart
    Then the connections went to more than one pod

  Scenario: connections within the timeout keep the pod
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80 30 times, 599 seconds apart
    Then every connection went to the same pod

  Scenario: ipvs mode keeps the client on its real server with a persistent virtual server
    Given kube-proxy runs in "ipvs" mode with scheduler "rr"
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80 30 times
    Then every connection went to the same pod
    And the trace mentions "persistence template"
