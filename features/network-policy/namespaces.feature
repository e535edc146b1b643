Feature: Peers from other namespaces: namespaceSelector, and the AND/OR pitfall
  A rule's podSelector alone names pods of the policy's own namespace. To let in pods of other
  namespaces, a peer uses a namespaceSelector, which picks namespaces by their labels: alone, it
  admits every pod of every matching namespace. The API server labels every namespace with
  kubernetes.io/metadata.name=NAME, so a namespace can be named without labelling it by hand.

  The pitfall is in the YAML indentation. A podSelector and a namespaceSelector in the SAME peer
  element ("- namespaceSelector: … / podSelector: …") are ANDed: pods matching the podSelector in
  namespaces matching the namespaceSelector. Written as two elements ("- namespaceSelector: …" and
  "- podSelector: …"), they are ORed: every pod of those namespaces, plus matching pods of the
  policy's own namespace. One dash more lets a whole namespace in.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a namespace "monitoring" labelled "team=ops"
    And a namespace "dev" labelled "team=dev"
    And a pod "prometheus" in namespace "monitoring" on node "node-a" labelled "app=prometheus"
    And a pod "debug" in namespace "monitoring" on node "node-a" labelled "app=debug"
    And a pod "prometheus" in namespace "dev" on node "node-a" labelled "app=prometheus"
    And a pod "client" in namespace "shop" on node "node-a" labelled "app=client"
    And a pod "prometheus" in namespace "shop" on node "node-a" labelled "app=prometheus"
    And a pod "web" in namespace "shop" on node "node-b" labelled "app=web" listening on TCP port 8080

  Scenario: a podSelector alone only admits pods of the policy's own namespace
    Given a network policy "allow-prometheus" in namespace "shop" that allows ingress to pods labelled "app=web" from pods labelled "app=prometheus"
    Then these connections have these verdicts:
      | from                  | to       | port | verdict   |
      | shop/prometheus       | shop/web | 8080 | delivered |
      | monitoring/prometheus | shop/web | 8080 | dropped   |
      | shop/client           | shop/web | 8080 | dropped   |

  Scenario: a namespaceSelector alone admits every pod of the matching namespaces
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-ops, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
        - from:
          - namespaceSelector: {matchLabels: {team: ops}}
      """
    Then these connections have these verdicts:
      | from                  | to       | port | verdict   |
      | monitoring/prometheus | shop/web | 8080 | delivered |
      | monitoring/debug      | shop/web | 8080 | delivered |
      | dev/prometheus        | shop/web | 8080 | dropped   |
      | shop/prometheus       | shop/web | 8080 | dropped   |

  Scenario: every namespace can be named by its kubernetes.io/metadata.name label
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-dev, namespace: shop}
      spec:
        podSelector: {}
        ingress:
        - from:
          - namespaceSelector:
              matchExpressions:
              - {key: kubernetes.io/metadata.name, operator: In, values: [dev]}
      """
    Then these connections have these verdicts:
      | from                  | to       | port | verdict   |
      | dev/prometheus        | shop/web | 8080 | delivered |
      | monitoring/prometheus | shop/web | 8080 | dropped   |

  Scenario: namespaceSelector and podSelector in ONE element: both must match (AND)
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-prometheus, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
        - from:
          - namespaceSelector: {matchLabels: {team: ops}}
            podSelector: {matchLabels: {app: prometheus}}
      """
    Then these connections have these verdicts:
      | from                  | to       | port | verdict   |
      | monitoring/prometheus | shop/web | 8080 | delivered |
      | monitoring/debug      | shop/web | 8080 | dropped   |
      | dev/prometheus        | shop/web | 8080 | dropped   |
      | shop/prometheus       | shop/web | 8080 | dropped   |

  Scenario: the same selectors as TWO elements: either may match (OR), and a whole namespace gets in
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-prometheus, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
        - from:
          - namespaceSelector: {matchLabels: {team: ops}}
          - podSelector: {matchLabels: {app: prometheus}}
      """
    Then these connections have these verdicts:
      | from                  | to       | port | verdict   |
      | monitoring/prometheus | shop/web | 8080 | delivered |
      | monitoring/debug      | shop/web | 8080 | delivered |
      | shop/prometheus       | shop/web | 8080 | delivered |
      | dev/prometheus        | shop/web | 8080 | dropped   |

  Scenario: the allow hop says which peer element matched
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-prometheus, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
        - from:
          - namespaceSelector: {matchLabels: {team: ops}}
          - podSelector: {matchLabels: {app: prometheus}}
      """
    When pod "debug" in namespace "monitoring" connects to pod "web" in namespace "shop" on TCP port 8080
    Then the connection is allowed by network policy "allow-prometheus" in namespace "shop"
    And the trace mentions "from[0]: namespaceSelector team=ops"

  Scenario: an empty namespaceSelector selects every namespace
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-prometheus-anywhere, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
        - from:
          - namespaceSelector: {}
            podSelector: {matchLabels: {app: prometheus}}
      """
    Then these connections have these verdicts:
      | from                  | to       | port | verdict   |
      | monitoring/prometheus | shop/web | 8080 | delivered |
      | dev/prometheus        | shop/web | 8080 | delivered |
      | shop/prometheus       | shop/web | 8080 | delivered |
      | monitoring/debug      | shop/web | 8080 | dropped   |
