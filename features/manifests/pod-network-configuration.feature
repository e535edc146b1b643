Feature: The pod network's mode is read from the CNI plugin's own configuration
  How a packet crosses from a pod on one node to a pod on another depends on the CNI plugin and
  how it is configured: wrapped in an overlay (VXLAN, IP-in-IP, Geneve), or routed as it is
  between nodes that know each other's pod routes. netspec reads this from the configuration the
  plugin itself reads, when it is among the inputs:

  - flannel: the kube-flannel-cfg ConfigMap, net-conf.json's Backend.Type (vxlan, host-gw);
    its Network is the pod subnet;
  - Calico: an IPPool — vxlanMode or ipipMode Always/CrossSubnet means that encapsulation,
    both Never means plain routes (BGP); its cidr is the pod subnet, its blockSize the per-node block;
  - Cilium: the cilium-config ConfigMap — routing-mode native or tunnel (tunnel-protocol vxlan or
    geneve), or the older `tunnel: disabled|vxlan|geneve`.

  With none of them the network is flannel's default, a VXLAN overlay. The decision names the
  document and the line that made it; traces of cross-node traffic quote it.

  Background:
    Given a cluster with nodes "node-a" and "node-b"

  Scenario: no CNI configuration: flannel's default VXLAN overlay
    Then the pod network mode is "vxlan"
    And the cluster configuration is:
      | setting     | value           | set at line |
      | pod network | vxlan (flannel) | default     |

  Scenario: flannel with the host-gw backend routes pod traffic, and its Network is the pod subnet
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: kube-flannel-cfg
        namespace: kube-flannel
      data:
        net-conf.json: |
          {
            "Network": "10.42.0.0/16",
            "Backend": {
              "Type": "host-gw"
            }
          }
      """
    Then the pod network mode is "routed", decided by "net-conf.json Backend.Type host-gw" at line 35
    And the cluster configuration is:
      | setting     | value            | set at line |
      | pod network | routed (flannel) | 35          |
      | pod subnet  | 10.42.0.0/16     | 35          |
    And the nodes are, in order:
      | node   | podCIDR      |
      | node-a | 10.42.0.0/24 |
      | node-b | 10.42.1.0/24 |

  Scenario: flannel with its vxlan backend
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: kube-flannel-cfg
        namespace: kube-flannel
      data:
        net-conf.json: |
          {"Network": "10.244.0.0/16", "Backend": {"Type": "vxlan"}}
      """
    Then the pod network mode is "vxlan", decided by "Backend.Type vxlan" at line 62

  Scenario Outline: a Calico IPPool: <what>
    Given the manifest:
      """yaml
      apiVersion: crd.projectcalico.org/v1
      kind: IPPool
      metadata:
        name: default-ipv4-ippool
      spec:
        cidr: 192.168.0.0/16
        blockSize: 26
        vxlanMode: <vxlanMode>
        ipipMode: <ipipMode>
        natOutgoing: true
      """
    Then the pod network mode is "<mode>", decided by "<decided by>" at line <line>
    And the cluster configuration is:
      | setting           | value          | set at line |
      | pod subnet        | 192.168.0.0/16 | 75          |
      | node podCIDR size | /26            | 76          |
    And the nodes are, in order:
      | node   | podCIDR          |
      | node-a | 192.168.0.0/26   |
      | node-b | 192.168.0.64/26  |

    Examples:
      | what                              | vxlanMode   | ipipMode    | mode   | decided by                    | line |
      | VXLAN everywhere                  | Always      | Never       | vxlan  | vxlanMode Always              | 77   |
      | VXLAN across subnets              | CrossSubnet | Never       | vxlan  | vxlanMode CrossSubnet         | 77   |
      | IP-in-IP                          | Never       | Always      | ipip   | ipipMode Always               | 78   |
      | no encapsulation: BGP routes      | Never       | Never       | routed | no encapsulation (BGP routes) | 75   |

  Scenario Outline: Cilium's cilium-config: <what>
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: cilium-config
        namespace: kube-system
      data:
        <key>: <value>
        cluster-pool-ipv4-cidr: 10.0.0.0/8
      """
    Then the pod network mode is "<mode>", decided by "<decided by>" at line 107
    And the cluster configuration is:
      | setting    | value      | set at line |
      | pod subnet | 10.0.0.0/8 | 108         |

    Examples:
      | what                       | key             | value  | mode   | decided by                      |
      | native routing             | routing-mode    | native | routed | routing-mode native             |
      | a VXLAN tunnel             | routing-mode    | tunnel | vxlan  | tunnel-protocol vxlan           |
      | a Geneve tunnel            | tunnel-protocol | geneve | geneve | tunnel-protocol geneve          |
      | the pre-1.14 tunnel key    | tunnel          | disabled | routed | tunnel disabled               |

  Scenario: the configuration of two CNI plugins: the first wins, and loading says so
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: kube-flannel-cfg
        namespace: kube-flannel
      data:
        net-conf.json: '{"Network": "10.244.0.0/16", "Backend": {"Type": "host-gw"}}'
      ---
      apiVersion: crd.projectcalico.org/v1
      kind: IPPool
      metadata:
        name: default-ipv4-ippool
      spec:
        cidr: 10.244.0.0/16
        vxlanMode: Always
      """
    Then the cluster loads with these warnings:
      | code               | line | message                                       |
      | NS-CONFIG-CONFLICT | 133  | configuration of more than one CNI plugin found |
    And the pod network mode is "routed", decided by "host-gw" at line 131

  Scenario: a CNI configuration netspec cannot model is an error at its line, not a guess
    Given the manifest:
      """yaml
      apiVersion: crd.projectcalico.org/v1
      kind: IPPool
      metadata:
        name: default-ipv4-ippool
      spec:
        cidr: 10.244.0.0/16
        vxlanMode: Always
        ipipMode: Always
      """
    Then loading fails with these errors:
      | code           | line | message                                   |
      | NS-CONFIG-MODE | 156  | an IPPool cannot enable both VXLAN and IP-in-IP |
