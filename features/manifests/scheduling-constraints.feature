Feature: Where the scheduler may not put a pod: inter-pod affinity and topology spread
  Replicas are spread to survive the loss of a node or a zone, and some pods must run beside
  others. kube-scheduler enforces these rules as filters before it picks a node: a node that
  breaks a required podAntiAffinity or podAffinity term (the InterPodAffinity plugin) or a
  topologySpreadConstraint with whenUnsatisfiable DoNotSchedule (the PodTopologySpread plugin)
  is not a candidate. When no node is left, the pod stays Pending, unscheduled, with no sandbox
  and no address, and its PodScheduled condition carries the scheduler's reason: how many nodes
  failed for each reason, in the scheduler's own words.

  netspec runs the same filters. Pods are placed one after another, each placement counting for
  the pods after it, so the second haproxy replica sees the first.
  - A required anti-affinity term keeps a pod out of every topology domain (a node for
    kubernetes.io/hostname, a zone for topology.kubernetes.io/zone) that already holds a pod the
    term selects — and, the other way round, keeps any pod an existing pod's term selects out of
    that pod's domain.
  - A required affinity term admits only the domains that hold a pod it selects; the first pod
    of a group that selects itself may go anywhere.
  - A spread constraint admits a node when the pods it counts in that node's domain, plus the
    new one, exceed the fewest in any eligible domain by at most maxSkew (with fewer eligible
    domains than minDomains, the fewest counts as 0).
  - Preferences (preferredDuringScheduling…, whenUnsatisfiable ScheduleAnyway) only rank the
    nodes that pass; netspec does not rank (it takes the node with the fewest pods) and says so
    in a warning naming the field.

  Scenario: two haproxy replicas that must not share a node, on a one-node cluster: one stays Pending
    The Argo CD HA install runs its redis-ha haproxy with a required anti-affinity on the
    hostname. With a single node, the second replica has nowhere to go: a real cluster shows it
    Pending with the scheduler's reason, and so does netspec.
    Given a cluster with nodes "node-a"
    And the manifest:
      """yaml
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: argocd-redis-ha-haproxy
        namespace: argocd
      spec:
        replicas: 2
        selector:
          matchLabels: {app.kubernetes.io/name: argocd-redis-ha-haproxy}
        template:
          metadata:
            labels: {app.kubernetes.io/name: argocd-redis-ha-haproxy}
          spec:
            affinity:
              podAntiAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                - labelSelector:
                    matchLabels: {app.kubernetes.io/name: argocd-redis-ha-haproxy}
                  topologyKey: kubernetes.io/hostname
            containers:
            - name: haproxy
              image: haproxy:2.9
              ports:
              - {name: tcp-haproxy, containerPort: 6379}
      """
    Then the pods of deployment "argocd-redis-ha-haproxy" in namespace "argocd" are placed like this:
      | node      | pods |
      | node-a    | 1    |
      | (Pending) | 1    |
    And 1 pod of deployment "argocd-redis-ha-haproxy" in namespace "argocd" stays Pending, the scheduler saying:
      """
      0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.
      """
    And the cluster loads with these warnings:
      | code             | line | message                                                                                   |
      | NS-UNSCHEDULABLE | 44   | stays Pending: 0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules |
    When the Pending pod of deployment "argocd-redis-ha-haproxy" in namespace "argocd" connects to "10.96.0.1" on TCP port 443
    Then the connection is unreachable
    And the trace mentions "didn't match pod anti-affinity rules"

  Scenario: with three nodes, each haproxy replica gets its own node
    Given a cluster with nodes "node-a", "node-b" and "node-c"
    And the manifest:
      """yaml
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: argocd-redis-ha-haproxy
        namespace: argocd
      spec:
        replicas: 3
        selector:
          matchLabels: {app.kubernetes.io/name: argocd-redis-ha-haproxy}
        template:
          metadata:
            labels: {app.kubernetes.io/name: argocd-redis-ha-haproxy}
          spec:
            affinity:
              podAntiAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                - labelSelector:
                    matchLabels: {app.kubernetes.io/name: argocd-redis-ha-haproxy}
                  topologyKey: kubernetes.io/hostname
            containers:
            - name: haproxy
              image: haproxy:2.9
      """
    Then the pods of deployment "argocd-redis-ha-haproxy" in namespace "argocd" are placed like this:
      | node   | pods |
      | node-a | 1    |
      | node-b | 1    |
      | node-c | 1    |

  Scenario: a web tier spread evenly over zones, whatever the node count in each
    Zone a has three nodes, zones b and c one each. Left to "fewest pods per node", most web
    replicas would land in zone a; maxSkew 1 over topology.kubernetes.io/zone keeps the zones
    within one pod of each other.
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Node
      metadata: {name: a-1, labels: {topology.kubernetes.io/zone: zone-a}}
      ---
      apiVersion: v1
      kind: Node
      metadata: {name: a-2, labels: {topology.kubernetes.io/zone: zone-a}}
      ---
      apiVersion: v1
      kind: Node
      metadata: {name: a-3, labels: {topology.kubernetes.io/zone: zone-a}}
      ---
      apiVersion: v1
      kind: Node
      metadata: {name: b-1, labels: {topology.kubernetes.io/zone: zone-b}}
      ---
      apiVersion: v1
      kind: Node
      metadata: {name: c-1, labels: {topology.kubernetes.io/zone: zone-c}}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        replicas: 6
        selector:
          matchLabels: {app: web}
        template:
          metadata:
            labels: {app: web}
          spec:
            topologySpreadConstraints:
            - maxSkew: 1
              topologyKey: topology.kubernetes.io/zone
              whenUnsatisfiable: DoNotSchedule
              labelSelector:
                matchLabels: {app: web}
            containers:
            - name: web
              image: nginx:1.27
      """
    Then the pods of deployment "web" in namespace "shop" are placed like this:
      | topology.kubernetes.io/zone | pods |
      | zone-a                      | 2    |
      | zone-b                      | 2    |
      | zone-c                      | 2    |

  Scenario: a zone that must hold replicas but cannot take them: the rest stay Pending
    minDomains 3 asks for three zones; with two, the fewest in any zone counts as 0, so each zone
    holds at most maxSkew (1) replica and the third waits for a third zone.
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Node
      metadata: {name: a-1, labels: {topology.kubernetes.io/zone: zone-a}}
      ---
      apiVersion: v1
      kind: Node
      metadata: {name: b-1, labels: {topology.kubernetes.io/zone: zone-b}}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        replicas: 3
        selector:
          matchLabels: {app: web}
        template:
          metadata:
            labels: {app: web}
          spec:
            topologySpreadConstraints:
            - maxSkew: 1
              minDomains: 3
              topologyKey: topology.kubernetes.io/zone
              whenUnsatisfiable: DoNotSchedule
              labelSelector:
                matchLabels: {app: web}
            containers:
            - name: web
              image: nginx:1.27
      """
    Then the pods of deployment "web" in namespace "shop" are placed like this:
      | topology.kubernetes.io/zone | pods |
      | zone-a                      | 1    |
      | zone-b                      | 1    |
      | (Pending)                   | 1    |
    And 1 pod of deployment "web" in namespace "shop" stays Pending, the scheduler saying:
      """
      0/2 nodes are available: 2 node(s) didn't match pod topology spread constraints. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.
      """

  Scenario: an API that must run beside its cache follows the cache's node
    The api pods come first in name order and find no cache pod yet; the scheduler retries an
    unschedulable pod when another pod is bound, so once the cache pod has its node, every api
    replica joins it there.
    Given a cluster with nodes "node-a", "node-b" and "node-c"
    And the manifest:
      """yaml
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: cache, namespace: shop}
      spec:
        replicas: 1
        selector:
          matchLabels: {app: cache}
        template:
          metadata:
            labels: {app: cache}
          spec:
            containers:
            - {name: redis, image: redis:7}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: api, namespace: shop}
      spec:
        replicas: 3
        selector:
          matchLabels: {app: api}
        template:
          metadata:
            labels: {app: api}
          spec:
            affinity:
              podAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                - labelSelector:
                    matchLabels: {app: cache}
                  topologyKey: kubernetes.io/hostname
            containers:
            - {name: api, image: api:1}
      """
    Then every pod of deployment "api" in namespace "shop" runs on a node with a pod of deployment "cache"
    And every pod of deployment "api" in namespace "shop" is Running

  Scenario: preferences are read, not modelled, and said so
    Given a cluster with nodes "node-a" and "node-b"
    And the manifest:
      """yaml
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        replicas: 2
        selector:
          matchLabels: {app: web}
        template:
          metadata:
            labels: {app: web}
          spec:
            affinity:
              podAntiAffinity:
                preferredDuringSchedulingIgnoredDuringExecution:
                - weight: 100
                  podAffinityTerm:
                    labelSelector:
                      matchLabels: {app: web}
                    topologyKey: kubernetes.io/hostname
            containers:
            - {name: web, image: nginx:1.27}
      """
    Then the cluster loads with these warnings:
      | code                | line | message                                                                                           |
      | NS-UNMODELLED-FIELD | 264  | spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution is read past |
