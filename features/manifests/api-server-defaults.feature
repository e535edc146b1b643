Feature: What the API server adds to what you give it
  Your manifests are not all a cluster holds. The API server fills in what you leave out and
  keeps a few objects of its own, and network policies, DNS and Services rely on them:

  - every Namespace carries the label kubernetes.io/metadata.name with its own name, so that a
    NetworkPolicy's namespaceSelector can pick a namespace by name;
  - a namespace that objects only refer to exists too, and so do default, kube-system,
    kube-public and kube-node-lease;
  - the Service "kubernetes" in default fronts the API server at the first address of the
    service range; the Service "kube-dns" in kube-system (CoreDNS, as kubeadm installs it) sits
    at the tenth, and the kubelet writes that address into every pod's resolv.conf.

  netspec adds the same, so a spec can rely on them as a cluster would.

  Background:
    Given a cluster with node "node-a"
    And the manifest:
      """yaml
      apiVersion: v1
      kind: Namespace
      metadata:
        name: shop
        labels:
          team: checkout
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: worker
        namespace: batch
      spec:
        containers:
        - name: app
          image: busybox
      """

  Scenario: every namespace is labelled with its own name, beside its own labels
    Then the cluster has the namespace "shop" labelled "kubernetes.io/metadata.name=shop,team=checkout"
    And the cluster has the namespace "kube-system" labelled "kubernetes.io/metadata.name=kube-system"

  Scenario: a namespace that is only referred to exists, and so do the system namespaces
    Then the cluster has the namespace "batch" labelled "kubernetes.io/metadata.name=batch"
    And the cluster has the namespace "default" labelled "kubernetes.io/metadata.name=default"
    And the cluster has the namespace "kube-public" labelled "kubernetes.io/metadata.name=kube-public"
    And the cluster has the namespace "kube-node-lease" labelled "kubernetes.io/metadata.name=kube-node-lease"

  Scenario: the API server's Service and the cluster DNS Service are there without being declared
    Then the cluster has the service "kubernetes" in namespace "default" at 10.96.0.1
    And the cluster has the service "kube-dns" in namespace "kube-system" at 10.96.0.10
    And the pods labelled "k8s-app=kube-dns" in namespace "kube-system" are spread over the nodes like this:
      | node   | pods |
      | node-a | 2    |

  Scenario: a kube-dns Service of your own replaces the built-in one, and the built-in CoreDNS with it
    Your manifests bring the DNS server's pods too, as a `kubectl get -A -o yaml` dump would.
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: kube-dns
        namespace: kube-system
      spec:
        clusterIP: 10.96.0.53
        selector:
          k8s-app: kube-dns
        ports:
        - name: dns
          port: 53
          protocol: UDP
      """
    Then the cluster has the service "kube-dns" in namespace "kube-system" at 10.96.0.53
    And the selector "k8s-app=kube-dns" selects no pod in namespace "kube-system"
