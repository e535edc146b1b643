Feature: Pod records: <dashed-ip>.<namespace>.pod.<domain>
  CoreDNS can answer A records for pods by their address, written with dashes:
  10-244-0-5.shop.pod.cluster.local. Its `pods` option decides how: `insecure` (kubeadm's default,
  kept for kube-dns compatibility) answers any well-formed dashed address in an existing namespace
  without checking that a pod has it; `verified` answers only when a pod of that namespace has that
  IP; `disabled` (the plugin's own default) answers none.

  Background:
    Given a cluster with node "node-a"
    And the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: worker
        namespace: shop
      spec:
        containers:
        - name: app
          image: app
      status:
        podIP: 10.244.0.77
      """

  Scenario: pods insecure (kubeadm's Corefile) answers any dashed address in an existing namespace
    When the cluster DNS is asked for "10-244-0-77.shop.pod.cluster.local"
    Then the answer is A 10.244.0.77
    When the cluster DNS is asked for "10-1-2-3.shop.pod.cluster.local"
    Then the answer is A 10.1.2.3
    When the cluster DNS is asked for "10-1-2-3.nowhere.pod.cluster.local"
    Then the name does not exist (NXDOMAIN)
    When the cluster DNS is asked for "not-an-ip.shop.pod.cluster.local"
    Then the name does not exist (NXDOMAIN)

  Scenario: pods verified answers only for a pod that has the address
    Given a namespace "blog"
    And the Corefile:
      """
      .:53 {
          kubernetes cluster.local in-addr.arpa ip6.arpa {
              pods verified
          }
      }
      """
    When the cluster DNS is asked for "10-244-0-77.shop.pod.cluster.local"
    Then the answer is A 10.244.0.77
    When the cluster DNS is asked for "10-1-2-3.shop.pod.cluster.local"
    Then the name does not exist (NXDOMAIN)
    When the cluster DNS is asked for "10-244-0-77.blog.pod.cluster.local"
    Then the name does not exist (NXDOMAIN)

  Scenario: pods disabled answers none
    Given the Corefile:
      """
      .:53 {
          kubernetes cluster.local
      }
      """
    When the cluster DNS is asked for "10-244-0-77.shop.pod.cluster.local"
    Then the name does not exist (NXDOMAIN)
