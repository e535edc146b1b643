Feature: Pods reach the API server through the kubernetes Service
  Every cluster has a Service called `kubernetes` in the `default` namespace. The API server
  creates it itself, at the first address of the service range (10.96.0.1 with kubeadm's
  10.96.0.0/12), and keeps its endpoints pointing at the API servers: on a kubeadm cluster,
  kube-apiserver is a static pod on each control-plane node, in the node's network namespace,
  listening on 6443. Client libraries inside pods find it as `kubernetes.default.svc` on port 443;
  kube-proxy translates 10.96.0.1:443 to a control-plane node's address on 6443.

  The Service exists before any manifest: a manifest of default/kubernetes (a cluster dump has
  one) is an update of it. Its clusterIP cannot change, and the API server's reconciler puts its
  ports and type back (pkg/controlplane/controller/kubernetesservice).

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

  Scenario: a manifest of the kubernetes Service cannot move it off the first address
    The Service exists before any manifest is applied, so a manifest of default/kubernetes is an
    update, and spec.clusterIP may not change once set. The API server answers in these words.
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata: {name: kubernetes, namespace: default}
      spec:
        clusterIP: 10.96.0.5
        ports: [{name: https, port: 443, targetPort: 6443}]
      """
    Then loading fails with these errors:
      | code             | line | col | message                                                               |
      | NS-SVC-IMMUTABLE | 44   | 20  | spec.clusterIP: Invalid value: ["10.96.0.5"]: may not change once set |

  Scenario: the API server resets the kubernetes Service's ports and type
    Every API server reconciles the Service it owns (getMasterServiceUpdateIfNeeded in
    pkg/controlplane/controller/kubernetesservice): unless it is exactly one port "https" 443/TCP
    to the API server's secure port, of type ClusterIP, ports and type are put back. Pods keep
    reaching the API server at 10.96.0.1:443.
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata: {name: kubernetes, namespace: default}
      spec:
        type: NodePort
        ports: [{name: web, port: 80, targetPort: 8080}]
      """
    Then the cluster loads with these warnings:
      | code                        | line | message                                                 |
      | NS-KUBERNETES-SERVICE-RESET | 63   | resets spec.ports to https 443/TCP → 6443 (was web 80/TCP → 8080) and spec.type to ClusterIP (was NodePort) |
    And the cluster has the service "kubernetes" in namespace "default" at 10.96.0.1
    When pod "client" in namespace "shop" connects to "kubernetes.default.svc" on TCP port 443
    Then kube-proxy rewrote the destination to "172.18.0.3:6443"
