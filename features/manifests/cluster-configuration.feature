Feature: The cluster's configuration comes from the config files you deploy with
  Some facts about a cluster live in no API object: the pod and service address ranges, the DNS
  domain, kube-proxy's mode, the address the kubelet writes into every pod's resolv.conf. netspec
  starts from kubeadm's defaults — pods in 10.244.0.0/16 with a /24 per node, services in
  10.96.0.0/12, the domain cluster.local, cluster DNS at the 10th address of the service range,
  kube-proxy in iptables mode — and reads the real configuration documents when they are among
  the inputs: kubeadm's ClusterConfiguration (networking.podSubnet, serviceSubnet, dnsDomain,
  and the controller manager's --node-cidr-mask-size), the KubeProxyConfiguration (mode,
  ipvs.scheduler) and the KubeletConfiguration (clusterDNS, clusterDomain). Each setting remembers
  the document and line that set it; traces quote it. Settings made in Gherkin win over both.

  Scenario: with no configuration, kubeadm's defaults
    Given a cluster with node "node-a"
    Then the cluster configuration is:
      | setting           | value              | set at line |
      | pod subnet        | 10.244.0.0/16      | default     |
      | node podCIDR size | /24                | default     |
      | service subnet    | 10.96.0.0/12       | default     |
      | DNS domain        | cluster.local      | default     |
      | cluster DNS       | 10.96.0.10         | default     |
      | kube-proxy mode   | iptables           | default     |
      | NodePort range    | 30000-32767        | default     |
      | pod network       | vxlan (flannel)    | default     |
    And the cluster has the service "kubernetes" in namespace "default" at 10.96.0.1
    And the cluster has the service "kube-dns" in namespace "kube-system" at 10.96.0.10

  Scenario: kubeadm's ClusterConfiguration sets the ranges and the domain
    The API server's own Service takes the first address of the service range, kube-dns the
    tenth; the range allocator cuts the pod subnet into one block per node.
    Given a cluster with nodes "node-a" and "node-b"
    And the manifest:
      """yaml
      apiVersion: kubeadm.k8s.io/v1beta4
      kind: ClusterConfiguration
      kubernetesVersion: v1.33.0
      networking:
        podSubnet: 10.32.0.0/16
        serviceSubnet: 10.100.0.0/16
        dnsDomain: corp.internal
      controllerManager:
        extraArgs:
        - name: node-cidr-mask-size
          value: "25"
      apiServer:
        extraArgs:
        - name: service-node-port-range
          value: 31000-31999
      """
    Then the cluster configuration is:
      | setting           | value          | set at line |
      | pod subnet        | 10.32.0.0/16   | 37          |
      | service subnet    | 10.100.0.0/16  | 38          |
      | DNS domain        | corp.internal  | 39          |
      | node podCIDR size | /25            | 43          |
      | NodePort range    | 31000-31999    | 47          |
      | cluster DNS       | 10.100.0.10    | default     |
    And the nodes are, in order:
      | node   | podCIDR        |
      | node-a | 10.32.0.0/25   |
      | node-b | 10.32.0.128/25 |
    And the cluster has the service "kubernetes" in namespace "default" at 10.100.0.1
    And the cluster has the service "kube-dns" in namespace "kube-system" at 10.100.0.10

  Scenario: kube-proxy's mode and the kubelet's cluster DNS from their own configuration files
    kubeadm init takes several documents in one file; netspec reads them the same way.
    Given a cluster with node "node-a"
    And the manifest:
      """yaml
      apiVersion: kubeproxy.config.k8s.io/v1alpha1
      kind: KubeProxyConfiguration
      mode: ipvs
      ipvs:
        scheduler: lc
      ---
      apiVersion: kubelet.config.k8s.io/v1beta1
      kind: KubeletConfiguration
      clusterDNS:
      - 10.96.0.53
      clusterDomain: cluster.local
      """
    Then the cluster configuration is:
      | setting         | value         | set at line |
      | kube-proxy mode | ipvs          | 71          |
      | IPVS scheduler  | lc            | 73          |
      | cluster DNS     | 10.96.0.53    | 77          |
      | DNS domain      | cluster.local | 79          |
    And the cluster has the service "kube-dns" in namespace "kube-system" at 10.96.0.53

  Scenario: two documents that disagree: the later one in kubeadm → kube-proxy → kubelet order wins, with a warning
    Given a cluster with node "node-a"
    And the manifest:
      """yaml
      apiVersion: kubelet.config.k8s.io/v1beta1
      kind: KubeletConfiguration
      clusterDomain: k8s.example.org
      ---
      apiVersion: kubeadm.k8s.io/v1beta3
      kind: ClusterConfiguration
      networking:
        dnsDomain: corp.internal
      """
    Then the cluster loads with these warnings:
      | code               | line | message                                         |
      | NS-CONFIG-CONFLICT | 95   | dnsDomain is set to "corp.internal" by ClusterConfiguration |
    And the cluster configuration is:
      | setting    | value           | set at line |
      | DNS domain | k8s.example.org | 95          |

  Scenario: a setting made in the feature wins over the documents
    Given a cluster with node "node-a"
    And the manifest:
      """yaml
      apiVersion: kubeadm.k8s.io/v1beta3
      kind: ClusterConfiguration
      networking:
        dnsDomain: corp.internal
      """
    And the cluster domain is "example.test"
    Then the cluster configuration is:
      | setting    | value        |
      | DNS domain | example.test |

  Scenario: configuration values are checked like manifests: every bad one reported at its line
    Given a cluster with node "node-a"
    And the manifest:
      """yaml
      apiVersion: kubeadm.k8s.io/v1beta3
      kind: ClusterConfiguration
      networking:
        podSubnet: 10.244.0.0/33
        dnsDomain: Corp_Internal
      ---
      apiVersion: kubeproxy.config.k8s.io/v1alpha1
      kind: KubeProxyConfiguration
      mode: userspace
      ---
      apiVersion: kubelet.config.k8s.io/v1beta1
      kind: KubeletConfiguration
      clusterDNS: [10.96.0.300]
      """
    Then loading fails with these errors:
      | code            | line | message                              |
      | NS-CONFIG-CIDR  | 130  | "10.244.0.0/33" in podSubnet         |
      | NS-CONFIG-VALUE | 131  | cluster domain "Corp_Internal"       |
      | NS-CONFIG-MODE  | 135  | "userspace" is not a kube-proxy mode |
      | NS-CONFIG-IP    | 139  | "10.96.0.300" is not a valid IP      |
