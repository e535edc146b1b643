Feature: Pods reach the API server through the kubernetes Service
  Every cluster has a Service called `kubernetes` in the `default` namespace. The API server
  creates it itself, at the first address of the service range (10.96.0.1 with kubeadm's
  10.96.0.0/12), and keeps its endpoints pointing at the API servers: on a kubeadm cluster,
  kube-apiserver is a static pod on each control-plane node, in the node's network namespace,
  listening on 6443. Client libraries inside pods find it as `kubernetes.default.svc` on port 443;
  kube-proxy translates 10.96.0.1:443 to a control-plane node's address on 6443.

  Background:
    Given a node "app-1"
    And a node "control-plane" labelled "node-role.kubernetes.io/control-plane="
    And a pod "client" in namespace "shop" on node "app-1"

  Scenario: kubernetes.default.svc is the first address of the service range, backed by the control plane
    Nodes get addresses in name order, so app-1 is 172.18.0.2 and control-plane 172.18.0.3; only
    the node labelled as control plane runs an API server.
    Then the cluster has the service "kubernetes" in namespace "default" at 10.96.0.1
    And the endpoints of service "kubernetes" in namespace "default" are "172.18.0.3:6443"

  Scenario: a pod's API call goes to kube-apiserver on the control-plane node
    When pod "client" in namespace "shop" connects to "kubernetes.default.svc" on TCP port 443
    Then the connection is delivered to node "control-plane"
    And the trace passes through "node/control-plane/kube-apiserver"
    And kube-proxy rewrote the destination to "172.18.0.3:6443"
    And the client sees the reply from the service address

  Scenario: a worker node runs no API server
    When pod "client" in namespace "shop" connects to node "app-1" on TCP port 6443
    Then the connection is refused
