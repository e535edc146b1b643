Feature: kube-proxy's modes compared: where iptables, ipvs and nftables answer differently
  The three modes agree on the common case (a pod reaches a Service and lands on one of its
  pods). They part where a packet is addressed to something kube-proxy did not program, and in a
  few defaults. Each table below is one question asked of every mode; each row names the setting
  that decides. Sources: pkg/proxy/iptables/proxier.go, pkg/proxy/ipvs/proxier.go,
  pkg/proxy/nftables/proxier.go, cmd/kube-proxy/app/server_linux.go (nftables defaults
  nodePortAddresses to "primary").

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a pod "client" in namespace "shop" on node "node-a"
    And a deployment "web" in namespace "shop" with 1 replica labelled "app=web" listening on TCP port 8080
    And a NodePort service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080 with node port 30080

  Scenario Outline: a NodePort on 127.0.0.1, from the node itself (<mode>, localhostNodePorts <localhost>)
    iptables mode serves NodePorts on 127.0.0.1 (it sets route_localnet) unless
    iptables.localhostNodePorts is false, which adds `! -d 127.0.0.0/8` to the NodePort rule.
    nftables mode never does: its NodePort rule needs `ip daddr @nodeport-ips`, or `ip daddr !=
    127.0.0.0/8`, whatever iptables.localhostNodePorts says.
    Given the manifest:
      """yaml
      apiVersion: kubeproxy.config.k8s.io/v1alpha1
      kind: KubeProxyConfiguration
      mode: <mode>
      iptables:
        localhostNodePorts: <localhost>
      """
    When node "node-a" connects to "127.0.0.1" on TCP port 30080
    Then the connection is <verdict>

    Examples:
      | mode     | localhost | verdict   |
      | iptables | true      | delivered |
      | iptables | false     | refused   |
      | nftables | true      | refused   |
      | nftables | false     | refused   |

  Scenario Outline: a ClusterIP on a port the Service does not declare, or an address no Service holds (<mode>)
    iptables mode has no rule for it: the packet falls through and follows the default route, where
    it is lost (netspec says unreachable for an address no Service holds). ipvs mode binds every service address to kube-ipvs0 and rejects new connections
    to it that no virtual server takes (KUBE-IPVS-FILTER). nftables mode rejects a ClusterIP on an
    undeclared port (cluster-ips-check) and drops anything else in the service range.
    Given kube-proxy runs in "<mode>" mode
    When pod "client" in namespace "shop" connects to "<to>" on TCP port <port>
    Then the connection is <verdict>

    Examples:
      | mode     | to                         | port | verdict  |
      | iptables | web.shop.svc.cluster.local | 81   | dropped  |
      | ipvs     | web.shop.svc.cluster.local | 81   | rejected |
      | nftables | web.shop.svc.cluster.local | 81   | rejected |
      | iptables | 10.111.255.254             | 80   | unreachable |
      | nftables | 10.111.255.254             | 80   | dropped  |

  Scenario Outline: a ClusterIP on a protocol the Service does not declare (<mode>)
    web declares TCP 80 only. iptables mode writes one KUBE-SERVICES rule per declared port and
    protocol (-p tcp --dport 80), so UDP 80 matches none and goes on unchanged, to be lost on the
    default route. ipvs mode has no UDP virtual server for it, and KUBE-IPVS-FILTER rejects new
    connections to an address of the KUBE-IPVS-IPS set (proxier.go writeIptablesRules). nftables
    mode finds no element of the service-ips map for it, and cluster-ips-check rejects any other
    port or protocol of a ClusterIP (pkg/proxy/nftables proxier.go).
    Given kube-proxy runs in "<mode>" mode
    When pod "client" in namespace "shop" connects to "web.shop.svc.cluster.local" on UDP port 80
    Then the connection is <verdict>
    And the trace mentions "<why>"

    Examples:
      | mode     | verdict  | why                                                                         |
      | iptables | dropped  | no KUBE-SERVICES rule matches: kube-proxy writes one per declared port and protocol, and shop/web declares 80/TCP |
      | ipvs     | rejected | --match-set KUBE-IPVS-IPS dst -j REJECT                                      |
      | nftables | rejected | Reject traffic to invalid ports of ClusterIPs                               |

  Scenario Outline: which node addresses take NodePort traffic (<mode>, nodePortAddresses <addresses>)
    By default iptables mode serves NodePorts on every local address (here flannel's cni0 address
    10.244.0.1 on node-a); nftables mode defaults to "primary", the node's InternalIP only.
    Given the manifest:
      """yaml
      apiVersion: kubeproxy.config.k8s.io/v1alpha1
      kind: KubeProxyConfiguration
      mode: <mode>
      nodePortAddresses: <addresses>
      """
    When node "node-b" connects to "10.244.0.1" on TCP port 30080
    Then the connection is <verdict>

    Examples:
      | mode     | addresses       | verdict   |
      | iptables | []              | delivered |
      | iptables | [primary]       | refused   |
      | iptables | [10.244.0.0/16] | delivered |
      | nftables | []              | refused   |
      | nftables | [0.0.0.0/0]     | delivered |

  Scenario Outline: a Service without endpoints is rejected in every mode (<mode>)
    Given a service "empty" in namespace "shop" selecting "app=nothing" mapping port 80 to 8080
    And kube-proxy runs in "<mode>" mode
    When pod "client" in namespace "shop" connects to "empty.shop.svc.cluster.local" on TCP port 80
    Then the connection is rejected
    And the trace mentions "<why>"

    Examples:
      | mode     | why                                  |
      | iptables | has no endpoints                     |
      | nftables | @no-endpoint-services → goto reject-chain |

  Scenario Outline: externalTrafficPolicy Local, from outside, through a node with and without a local endpoint (<mode>)
    Given a pod "api-0" in namespace "shop" on node "node-b" labelled "app=api" listening on TCP port 8080
    And a NodePort service "api" in namespace "shop" selecting "app=api" mapping port 80 to 8080 with node port 30081
    And service "api" in namespace "shop" has externalTrafficPolicy "Local"
    And kube-proxy runs in "<mode>" mode
    When a client at 203.0.113.9 outside the cluster connects to the node port of service "api" in namespace "shop" on node "<node>"
    Then the connection is <verdict>

    Examples:
      | mode     | node   | verdict   |
      | iptables | node-a | dropped   |
      | iptables | node-b | delivered |
      | ipvs     | node-a | dropped   |
      | ipvs     | node-b | delivered |
      | nftables | node-a | dropped   |
      | nftables | node-b | delivered |
