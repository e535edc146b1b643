Feature: Egress policies, and the DNS lookups they silently break
  A policy with Egress in its policyTypes isolates the pods it selects for their OUTGOING
  connections: then only destinations some egress rule allows can be reached. The destination is
  judged as the source pod's node sees the packet right after nat PREROUTING, which is where
  iptables and eBPF CNIs enforce it: a Service's ClusterIP has already been translated to one of
  its pods and the targetPort, so egress rules name pods and their ports, never the ClusterIP.

  A connection needs both ends to agree: the source pod's egress and the destination pod's ingress.

  The classic trap: "default deny egress" also denies DNS. Looking a name up is itself a
  connection, UDP to port 53 of the nameserver in the pod's resolv.conf (the kube-dns ClusterIP,
  translated to a CoreDNS pod in kube-system). Without a rule allowing it, every name fails to
  resolve and the application sees a DNS timeout long before it tries to connect. The usual fix
  allows port 53 (UDP and TCP) to the pods labelled k8s-app=kube-dns in kube-system. netspec walks
  that lookup for a pod isolated for egress before it resolves a name, so a connection to a name
  shows the DNS query that was dropped.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a pod "client" in namespace "shop" on node "node-a" labelled "app=client"
    And a deployment "web" in namespace "shop" with 2 replicas labelled "app=web" listening on TCP port 8080
    And a service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080

  Scenario: without an egress policy, a name resolves and the connection goes through
    When pod "client" in namespace "shop" connects to "web.shop.svc.cluster.local" on TCP port 80
    Then the connection is delivered to a pod labelled "app=web" on port 8080

  Scenario: default deny egress: the name does not even resolve
    Given a network policy "default-deny-egress" in namespace "shop" that denies all egress
    When pod "client" in namespace "shop" connects to "web.shop.svc.cluster.local" on TCP port 80
    Then the connection is unreachable
    And the trace passes through "policy/shop/default-deny-egress"
    And the trace mentions "the DNS query to 10.96.0.10:53/UDP was dropped"

  Scenario: allowing DNS lets the name resolve; the connection itself still needs a rule
    Given a network policy "default-deny-egress" in namespace "shop" that denies all egress
    And the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-dns, namespace: shop}
      spec:
        podSelector: {}
        policyTypes: [Egress]
        egress:
        - to:
          - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
            podSelector: {matchLabels: {k8s-app: kube-dns}}
          ports:
          - {protocol: UDP, port: 53}
          - {protocol: TCP, port: 53}
      """
    When pod "client" in namespace "shop" connects to "web.shop.svc.cluster.local" on TCP port 80
    Then the connection is dropped
    And the trace mentions "web.shop.svc.cluster.local → 10.96."
    And the connection is denied by network policy "default-deny-egress" in namespace "shop"

  Scenario: DNS allowed and the backend allowed: the connection goes through
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: client-egress, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: client}}
        policyTypes: [Egress]
        egress:
        - to:
          - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
            podSelector: {matchLabels: {k8s-app: kube-dns}}
          ports:
          - {protocol: UDP, port: 53}
          - {protocol: TCP, port: 53}
        - to:
          - podSelector: {matchLabels: {app: web}}
          ports:
          - {protocol: TCP, port: 8080}
      """
    When pod "client" in namespace "shop" connects to "web.shop.svc.cluster.local" on TCP port 80
    Then the connection is delivered to a pod labelled "app=web" on port 8080
    And the connection is allowed by network policy "client-egress" in namespace "shop"
    And the trace mentions "egress rule 2 (to[0]: podSelector app=web; ports: TCP 8080)"

  Scenario: egress rules see the Service's pod and targetPort, not the ClusterIP and its port
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: client-egress, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: client}}
        policyTypes: [Egress]
        egress:
        - to:
          - ipBlock: {cidr: 10.96.0.0/12}
          ports:
          - {protocol: TCP, port: 80}
      """
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80
    Then the connection is dropped
    And the trace mentions "matches none of ipBlock 10.96.0.0/12"
    And the trace mentions "TCP 8080 is not in ports TCP 80"

  Scenario: both ends must allow: the client's egress lets it out, the server's ingress keeps it out
    Given a network policy "default-deny" in namespace "shop" that denies all ingress
    And the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: client-egress, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: client}}
        egress:
        - to: [{podSelector: {matchLabels: {app: web}}}]
      """
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80
    Then the connection is dropped
    And the connection is allowed by network policy "client-egress" in namespace "shop"
    And the connection is denied by network policy "default-deny" in namespace "shop"

  Scenario: a policy with egress rules and no policyTypes isolates for egress too (API defaulting)
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: client-egress, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: client}}
        egress:
        - to: [{podSelector: {matchLabels: {app: web}}}]
      """
    Then pod "client" in namespace "shop" is isolated for egress
    And pod "client" in namespace "shop" is isolated for ingress

  Scenario: "egress: []" without policyTypes does not isolate for egress (the API defaults only on rules)
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: odd, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: client}}
        egress: []
      """
    Then pod "client" in namespace "shop" is not isolated for egress
    And pod "client" in namespace "shop" is isolated for ingress

  Scenario: egress to the outside world is judged on the pod's own view, before masquerading
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-partner, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: client}}
        policyTypes: [Egress]
        egress:
        - to:
          - ipBlock:
              cidr: 93.184.216.0/24
              except: [93.184.216.128/25]
          ports:
          - {protocol: TCP, port: 443}
      """
    Then these connections have these verdicts:
      | from        | to             | port | verdict   |
      | shop/client | 93.184.216.34  | 443  | delivered |
      | shop/client | 93.184.216.200 | 443  | dropped   |
      | shop/client | 93.184.216.34  | 80   | dropped   |
      | shop/client | 8.8.8.8        | 443  | dropped   |
