Feature: ipvs mode: what the node's connection table changes about the choice
  In ipvs mode the kernel's scheduler picks the real server for each new connection, and some
  schedulers look at what the node is already carrying. `ipvsadm -Ln` shows it per real server:
  ActiveConn (established connections), InActConn (connections in other states, such as
  TIME_WAIT) and Weight. netspec cannot see a live node's counters, so they are optional input:
  `--ipvs-state NODE=FILE` on `connect` and `ipvsadm` (YAML keyed as ipvsadm lists the table), or
  the steps below. Without it every counter is 0 and every weight 1, as on a freshly synced node.

  - lc (ip_vs_lc.c) takes the real server with the least overhead, activeconns × 256 + inactconns
    (ip_vs_dest_conn_overhead): inactive connections count, far less than active ones.
  - wlc divides that overhead by the weight; sed takes (active + 1) / weight; nq the first idle one.
  - weight 0 quiesces a real server: no scheduler gives it a new connection, while the connections
    it has drain. kube-proxy does this itself when an endpoint goes away (graceful termination), and
    sets expire_quiescent_template so session affinity does not hold on to it either.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a pod "client" in namespace "shop" on node "node-a"
    And a pod "web-1" in namespace "shop" on node "node-a" labelled "app=web" listening on TCP port 8080
    And a pod "web-2" in namespace "shop" on node "node-b" labelled "app=web" listening on TCP port 8080
    And a service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080

  Scenario: without runtime state, lc takes the first real server
    Given kube-proxy runs in "ipvs" mode with scheduler "lc"
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80
    Then the connection is delivered to pod "web-1"

  Scenario: lc avoids the real server with more active connections
    Given kube-proxy runs in "ipvs" mode with scheduler "lc"
    And on node "node-a" the IPVS real servers of service "web" in namespace "shop" hold:
      | pod   | active | inactive |
      | web-1 | 3      | 0        |
      | web-2 | 1      | 200      |
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80
    Then the connection is delivered to pod "web-2"
    And the trace mentions "least connections (overhead 1·256 + 200)"

  Scenario: lc counts inactive connections, 256 of them weigh as much as one active
    Given kube-proxy runs in "ipvs" mode with scheduler "lc"
    And on node "node-a" the IPVS real servers of service "web" in namespace "shop" hold:
      | pod   | active | inactive |
      | web-1 | 1      | 300      |
      | web-2 | 2      | 0        |
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80
    Then the connection is delivered to pod "web-2"

  Scenario: the counters are the node's own: another node's table does not count
    Given kube-proxy runs in "ipvs" mode with scheduler "lc"
    And on node "node-b" the IPVS real servers of service "web" in namespace "shop" hold:
      | pod   | active |
      | web-1 | 50     |
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80
    Then the connection is delivered to pod "web-1"

  Scenario Outline: weight 0 drains a real server under every scheduler (<scheduler>)
    Given kube-proxy runs in "ipvs" mode with scheduler "<scheduler>"
    And on node "node-a" the IPVS real servers of service "web" in namespace "shop" hold:
      | pod   | weight |
      | web-1 | 0      |
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80 20 times
    Then every connection went to the same pod
    And the connection is delivered to pod "web-2"

    Examples:
      | scheduler |
      | rr        |
      | lc        |
      | sh        |

  Scenario: every real server quiesced: IPVS has nowhere to send a new connection
    Given kube-proxy runs in "ipvs" mode with scheduler "rr"
    And on node "node-a" the IPVS real servers of service "web" in namespace "shop" hold:
      | pod   | weight |
      | web-1 | 0      |
      | web-2 | 0      |
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80
    Then the connection is rejected
    And the trace mentions "every real server is quiesced"

  Scenario: the state file names virtual servers as ipvsadm does; anything else is an input error, located
    Given kube-proxy runs in "ipvs" mode with scheduler "lc"
    And the IPVS state of node "node-a" is:
      """yaml
      web.shop:80:
        web-1: {activeConn: 1}
      """
    Then loading fails with these errors:
      | code          | line | col | message                                 |
      | NS-IPVS-STATE | 84   | 7   | "web.shop:80" is not a virtual server   |

  Scenario: a pod that is no real server of the Service is an input error
    Given kube-proxy runs in "ipvs" mode with scheduler "lc"
    And on node "node-a" the IPVS real servers of service "web" in namespace "shop" hold:
      | pod    | active |
      | client | 1      |
    Then loading fails with these errors:
      | code          | line | message                                               |
      | NS-IPVS-STATE | 93   | pod shop/client is no endpoint of Service shop/web    |
