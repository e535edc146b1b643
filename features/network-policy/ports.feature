Feature: Which ports a rule opens: numbers, names, ranges and protocols
  A rule's ports list narrows what it allows; without one, the rule allows every port. Each entry
  has a protocol (TCP when left out) and optionally a port: a number, a range (port to endPort,
  both numbers), or the NAME of a container port. A named port is resolved against the pod the
  connection goes to, by the name in its containerPorts: a policy selecting several kinds of pods
  can open "metrics" on each of them, whatever the number. A port entry without a port allows the
  whole protocol.

  The API server rejects an endPort below port and an endPort with a named port; netspec reports
  both when loading (NS-PORT-RANGE).

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a pod "client" in namespace "shop" on node "node-a" labelled "app=client"
    And a pod "web" in namespace "shop" on node "node-b" labelled "tier=backend" with containers:
      | container | port | protocol | name    |
      | app       | 8080 | TCP      | http    |
      | app       | 9090 | TCP      | metrics |
      | app       | 5353 | UDP      | dns     |
    And a pod "db" in namespace "shop" on node "node-b" labelled "tier=backend" with containers:
      | container | port | protocol | name    |
      | postgres  | 5432 | TCP      | pg      |
      | exporter  | 9187 | TCP      | metrics |

  Scenario: a numeric port opens that port only, for TCP unless the rule says otherwise
    Given a network policy "allow-http" in namespace "shop" that allows ingress to pods labelled "tier=backend" from pods labelled "app=client" on TCP port 8080
    Then these connections have these verdicts:
      | from        | to       | port | protocol | verdict   |
      | shop/client | shop/web | 8080 | TCP      | delivered |
      | shop/client | shop/web | 9090 | TCP      | dropped   |
      | shop/client | shop/web | 5353 | UDP      | dropped   |

  Scenario: the protocol defaults to TCP: a port entry without one does not open UDP
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-5353, namespace: shop}
      spec:
        podSelector: {matchLabels: {tier: backend}}
        ingress:
        - ports:
          - port: 5353
      """
    When pod "client" in namespace "shop" connects to pod "web" on UDP port 5353
    Then the connection is dropped
    And the trace mentions "UDP 5353 is not in ports TCP 5353"

  Scenario: a named port resolves to each destination pod's own number
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-metrics, namespace: shop}
      spec:
        podSelector: {matchLabels: {tier: backend}}
        ingress:
        - ports:
          - port: metrics
      """
    Then these connections have these verdicts:
      | from        | to       | port | verdict   |
      | shop/client | shop/web | 9090 | delivered |
      | shop/client | shop/db  | 9187 | delivered |
      | shop/client | shop/db  | 9090 | dropped   |
      | shop/client | shop/web | 8080 | dropped   |
      | shop/client | shop/db  | 5432 | dropped   |

  Scenario: the allow hop names the rule's port as written
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-metrics, namespace: shop}
      spec:
        podSelector: {matchLabels: {tier: backend}}
        ingress:
        - ports:
          - port: metrics
      """
    When pod "client" in namespace "shop" connects to pod "db" on TCP port 9187
    Then the connection is allowed by network policy "allow-metrics" in namespace "shop"
    And the trace mentions "ports: TCP port named \"metrics\""

  Scenario: port to endPort opens a range, both ends included
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-range, namespace: shop}
      spec:
        podSelector: {matchLabels: {tier: backend}}
        ingress:
        - ports:
          - protocol: TCP
            port: 8000
            endPort: 9090
      """
    Then these connections have these verdicts:
      | from        | to       | port | verdict   |
      | shop/client | shop/web | 8080 | delivered |
      | shop/client | shop/web | 9090 | delivered |
      | shop/client | shop/db  | 9187 | dropped   |
      | shop/client | shop/db  | 5432 | dropped   |

  Scenario: a port entry with a protocol and no port opens the whole protocol
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-udp, namespace: shop}
      spec:
        podSelector: {matchLabels: {tier: backend}}
        ingress:
        - ports:
          - protocol: UDP
      """
    Then these connections have these verdicts:
      | from        | to       | port | protocol | verdict   |
      | shop/client | shop/web | 5353 | UDP      | delivered |
      | shop/client | shop/web | 8080 | TCP      | dropped   |

  Scenario: rules add up: one rule per port, each with its own peers
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: backend, namespace: shop}
      spec:
        podSelector: {matchLabels: {tier: backend}}
        ingress:
        - from: [{podSelector: {matchLabels: {app: client}}}]
          ports: [{port: http}]
        - from: [{podSelector: {matchLabels: {tier: backend}}}]
          ports: [{port: 5432}]
      """
    Then these connections have these verdicts:
      | from        | to       | port | verdict   |
      | shop/client | shop/web | 8080 | delivered |
      | shop/client | shop/db  | 5432 | dropped   |
      | shop/web    | shop/db  | 5432 | delivered |

  Scenario: an endPort below port, or with a named port, is rejected when loading
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: bad-ranges, namespace: shop}
      spec:
        podSelector: {}
        ingress:
        - ports:
          - port: 9000
            endPort: 8000
          - port: metrics
            endPort: 9100
      """
    Then loading fails with these errors:
      | code          | line | message                          |
      | NS-PORT-RANGE | 154  | endPort 8000 is below port 9000  |
      | NS-PORT-RANGE | 156  | endPort needs a numeric port     |
