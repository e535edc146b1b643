Feature: The CNI's own configuration decides how pods talk across nodes
  netspec does not ask you to describe your network twice. Give it the manifests you deploy, and
  it reads the pod network's shape from the same configuration the plugin reads: flannel's
  net-conf.json in the kube-flannel-cfg ConfigMap (Backend vxlan or host-gw), a Calico IPPool
  (vxlanMode, ipipMode, else routed by BGP), Cilium's cilium-config (routing-mode, tunnel). With no
  such configuration the network is flannel's default, a VXLAN overlay. The trace names the
  document, and the line, that decided.

  Scenario: flannel with the host-gw backend routes pod traffic without encapsulation
    Given the manifests in "k8s/host-gw"
    When pod "client" in namespace "shop" connects to pod "server" in namespace "shop" on TCP port 8080
    Then the connection is delivered to pod "server"
    And it was not encapsulated
    And the trace mentions "host-gw"
    And no address translation happened

  Scenario: a Calico IPPool with IP-in-IP encapsulates in IP protocol 4
    Given the manifest:
      """yaml
      apiVersion: crd.projectcalico.org/v1
      kind: IPPool
      metadata:
        name: default-ipv4-ippool
      spec:
        cidr: 10.244.0.0/16
        ipipMode: Always
        vxlanMode: Never
        natOutgoing: true
      ---
      apiVersion: v1
      kind: Node
      metadata:
        name: node-a
      ---
      apiVersion: v1
      kind: Node
      metadata:
        name: node-b
      """
    And a pod "client" in namespace "shop" on node "node-a"
    And a pod "server" in namespace "shop" on node "node-b" listening on TCP port 8080
    When pod "client" in namespace "shop" connects to pod "server" on TCP port 8080
    Then the connection is delivered to pod "server"
    And the packet was encapsulated between node "node-a" and node "node-b"
    And the trace mentions "IP-in-IP"
    And the trace mentions "ipipMode"
