Feature: What the control plane derives: node ranges, pod addresses, placement and names
  Between the manifests you write and the packets that flow sits the control plane. The
  controller manager's range allocator gives each node a block of the pod subnet; the scheduler
  places every pod that is not pinned; the workload controllers turn a Deployment, StatefulSet
  or DaemonSet into pods with predictable names; and on each node the CNI's IPAM hands every pod
  an address from that node's block. netspec runs all of this as pure, deterministic functions:
  the same input gives the same ranges, addresses, nodes and names, every time.

  - Nodes are taken in name order; each gets the next free /24 of 10.244.0.0/16 (kubeadm's
    default), unless its manifest carries a spec.podCIDR, which is kept. A node without an
    address in status.addresses gets one from 172.18.0.0/16 (the node network of a kind cluster).
  - On a node, .1 of its block is the bridge (cni0), so pods get .2, .3, …; a pod whose
    manifest carries status.podIP keeps it, and it must lie in its node's block.
  - The scheduler honours spec.nodeName, nodeSelector, required node affinity and taints, and
    otherwise spreads the pods over the eligible nodes, the least loaded first (inter-pod
    affinity and topology spread constraints: scheduling-constraints.feature).
  - A StatefulSet's pods are named <name>-0, <name>-1, … with that hostname and the Service as
    subdomain; a DaemonSet runs one pod on every eligible node.

  Scenario: nodes get their pod ranges in name order; a range in the manifest is kept
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Node
      metadata:
        name: worker-c
      ---
      apiVersion: v1
      kind: Node
      metadata:
        name: worker-a
      ---
      apiVersion: v1
      kind: Node
      metadata:
        name: worker-b
      spec:
        podCIDR: 10.244.7.0/24
      status:
        addresses:
        - type: InternalIP
          address: 192.168.0.12
      """
    Then the nodes are, in order:
      | node     | podCIDR       | IP           |
      | worker-a | 10.244.0.0/24 | 172.18.0.2   |
      | worker-b | 10.244.7.0/24 | 192.168.0.12 |
      | worker-c | 10.244.1.0/24 | 172.18.0.3   |

  Scenario: pods get .2, .3, … of their node's range; an address in the manifest is kept
    The two CoreDNS pods that kubeadm installs are placed before your own pods, one on each
    node: .2 of each range is theirs, and your first pod on node-a gets .3.
    Given a cluster with nodes "node-a" and "node-b"
    And a pod "first" in namespace "shop" on node "node-a"
    And the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: pinned-ip
        namespace: shop
      spec:
        nodeName: node-b
        containers:
        - name: app
          image: nginx
      status:
        podIP: 10.244.1.200
      """
    Then the pods labelled "k8s-app=kube-dns" in namespace "kube-system" have the IPs "10.244.0.2" and "10.244.1.2"
    And pod "first" in namespace "shop" has IP 10.244.0.3
    And pod "pinned-ip" in namespace "shop" has IP 10.244.1.200
    And every pod IP lies in the podCIDR of its node
    And no two pods share an IP

  Scenario: a StatefulSet's pods are numbered, with stable hostnames under their Service
    Given a cluster with nodes "node-a" and "node-b"
    And a statefulset "redis" in namespace "cache" with 3 replicas labelled "app=redis" listening on TCP port 6379
    Then the pods labelled "app=redis" in namespace "cache" are named "redis-0", "redis-1" and "redis-2"
    And pod "redis-1" in namespace "cache" has hostname "redis-1" and subdomain "redis"

  Scenario: a DaemonSet runs one pod on every node
    Given a cluster with nodes "node-a", "node-b" and "node-c"
    And a daemonset "node-exporter" in namespace "monitoring" labelled "app=node-exporter" listening on TCP port 9100
    Then the pods labelled "app=node-exporter" in namespace "monitoring" are spread over the nodes like this:
      | node   | pods |
      | node-a | 1    |
      | node-b | 1    |
      | node-c | 1    |

  Scenario: the scheduler spreads a Deployment's replicas over the nodes
    Given a cluster with nodes "node-a" and "node-b"
    And a deployment "web" in namespace "shop" with 4 replicas labelled "app=web" listening on TCP port 8080
    Then the pods labelled "app=web" in namespace "shop" are spread over the nodes like this:
      | node   | pods |
      | node-a | 2    |
      | node-b | 2    |

  Scenario: spec.nodeName pins a pod; a nodeSelector narrows the nodes it may go to
    Given a node "node-a" labelled "disktype=hdd"
    And a node "node-b" labelled "disktype=ssd"
    And a node "node-c" labelled "disktype=ssd"
    And a pod "pinned" in namespace "shop" on node "node-a"
    And the manifest:
      """yaml
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: db
        namespace: shop
      spec:
        replicas: 4
        selector:
          matchLabels: {app: db}
        template:
          metadata:
            labels: {app: db}
          spec:
            nodeSelector:
              disktype: ssd
            containers:
            - name: postgres
              image: postgres:16
      """
    Then pod "pinned" in namespace "shop" runs on node "node-a"
    And the pods labelled "app=db" in namespace "shop" are spread over the nodes like this:
      | node   | pods |
      | node-b | 2    |
      | node-c | 2    |
