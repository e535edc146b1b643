Feature: A NetworkPolicy isolates the pods it selects, and then only allowed traffic gets in
  Out of the box every pod accepts connections from everywhere: namespaces are not walls. A
  NetworkPolicy changes that for the pods its podSelector picks in its own namespace ({} picks them
  all): once any policy with Ingress in its policyTypes selects a pod, the pod is "isolated for
  ingress", and only connections some rule of some selecting policy allows reach it. There are no
  deny rules and no order: policies only add allowances, and their union is what gets in. A policy
  with Ingress in its policyTypes and no ingress rules therefore allows nothing: that is the
  namespace's "default deny".

  When the API server stores a policy without policyTypes, it writes ["Ingress"], plus "Egress" if
  the policy has egress rules. A policy that does not name Egress leaves the pods' outgoing
  traffic alone.

  Most CNIs drop a denied packet silently: the client sees a timeout, not a refusal. netspec says
  "dropped" and puts a deny hop at policy/NAMESPACE/POLICY naming every policy that isolates the
  pod and why none of its rules matched. Only the first packet is checked: the reply of an allowed
  connection always comes back (conntrack). Two exceptions the Kubernetes documentation names: a
  pod cannot block access to itself, and traffic from the node where the pod runs is always
  allowed (the kubelet's probes must get through).

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a pod "client" in namespace "shop" on node "node-a" labelled "app=client"
    And a pod "frontend" in namespace "shop" on node "node-a" labelled "app=frontend"
    And a pod "web" in namespace "shop" on node "node-b" labelled "app=web" listening on TCP port 8080

  Scenario: without a policy, every pod reaches every pod
    When pod "client" in namespace "shop" connects to pod "web" on TCP port 8080
    Then the connection is delivered to pod "web"
    And no network policy was consulted

  Scenario: a default-deny policy drops everything coming in, silently
    Given a network policy "default-deny" in namespace "shop" that denies all ingress
    When pod "client" in namespace "shop" connects to pod "web" on TCP port 8080
    Then the connection is dropped
    And the connection is denied by network policy "default-deny" in namespace "shop"
    And the trace passes through "policy/shop/default-deny"
    And the trace mentions "has no ingress rules"
    And the trace does not pass through "pod/shop/web/container/app"

  Scenario: the deny hop points at the policy in its manifest
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata:
        name: default-deny
        namespace: shop
      spec:
        podSelector: {}
      """
    When pod "client" in namespace "shop" connects to pod "web" on TCP port 8080
    Then the connection is denied by network policy "default-deny" in namespace "shop"
    And the trace mentions "NetworkPolicy shop/default-deny"
    And the trace mentions "default-deny.feature:44"

  Scenario: a denied port is dropped before the pod could refuse it
    Given a network policy "default-deny" in namespace "shop" that denies all ingress
    When pod "client" in namespace "shop" connects to pod "web" on TCP port 9999
    Then the connection is dropped

  Scenario: an ingress-only policy leaves the pods' own outgoing connections alone
    Given a network policy "default-deny" in namespace "shop" that denies all ingress
    When pod "web" in namespace "shop" connects to "93.184.216.34" on TCP port 443
    Then the connection is delivered
    And pod "web" in namespace "shop" is isolated for ingress
    And pod "web" in namespace "shop" is not isolated for egress

  Scenario: a policy that selects no pod isolates nothing
    Given a network policy "deny-db" in namespace "shop" that allows ingress to pods labelled "app=db" from pods labelled "app=backend"
    When pod "client" in namespace "shop" connects to pod "web" on TCP port 8080
    Then the connection is delivered to pod "web"
    And pod "web" in namespace "shop" is not isolated for ingress

  Scenario: policies only apply in their own namespace
    Given a network policy "default-deny" in namespace "other" that denies all ingress
    When pod "client" in namespace "shop" connects to pod "web" on TCP port 8080
    Then the connection is delivered to pod "web"

  Scenario: a label allows one client in, and the others stay out
    Given a network policy "allow-frontend" in namespace "shop" that allows ingress to pods labelled "app=web" from pods labelled "app=frontend"
    Then these connections have these verdicts:
      | from          | to       | port | verdict   |
      | shop/frontend | shop/web | 8080 | delivered |
      | shop/client   | shop/web | 8080 | dropped   |

  Scenario: the allow hop names the policy and the rule that let the connection in
    Given a network policy "allow-frontend" in namespace "shop" that allows ingress to pods labelled "app=web" from pods labelled "app=frontend"
    When pod "frontend" in namespace "shop" connects to pod "web" on TCP port 8080
    Then the connection is delivered to pod "web"
    And the connection is allowed by network policy "allow-frontend" in namespace "shop"
    And the trace mentions "ingress rule 1 (from[0]: podSelector app=frontend"

  Scenario: policies add up: a default deny plus an allow lets exactly the allowed traffic in
    Given a network policy "default-deny" in namespace "shop" that denies all ingress
    And a network policy "allow-frontend" in namespace "shop" that allows ingress to pods labelled "app=web" from pods labelled "app=frontend"
    Then these connections have these verdicts:
      | from          | to       | port | verdict   |
      | shop/frontend | shop/web | 8080 | delivered |
      | shop/client   | shop/web | 8080 | dropped   |

  Scenario: the deny hop says why each selecting policy did not allow the connection
    Given a network policy "default-deny" in namespace "shop" that denies all ingress
    And a network policy "allow-frontend" in namespace "shop" that allows ingress to pods labelled "app=web" from pods labelled "app=frontend"
    When pod "client" in namespace "shop" connects to pod "web" on TCP port 8080
    Then the connection is denied by network policy "default-deny" in namespace "shop"
    And the connection is denied by network policy "allow-frontend" in namespace "shop"
    And the trace mentions "NetworkPolicy shop/allow-frontend isolates shop/web for ingress and does not allow TCP 8080 from pod shop/client"
    And the trace mentions "matches none of podSelector app=frontend"
    And the trace mentions "no NetworkPolicy selecting shop/web for ingress allows it (2 select it)"

  Scenario: an allowed connection's reply comes back: only the first packet is checked
    Given a network policy "default-deny" in namespace "shop" that denies all ingress and egress
    And a network policy "allow-in" in namespace "shop" that allows all ingress to pods labelled "app=web"
    And a pod "tester" in namespace "other" on node "node-a"
    When pod "tester" in namespace "other" connects to pod "web" in namespace "shop" on TCP port 8080
    Then the connection is delivered to pod "web"
    And the reply comes back to the client

  Scenario: traffic from the pod's own node is always allowed (kubelet probes)
    Given a network policy "default-deny" in namespace "shop" that denies all ingress
    When node "node-b" connects to pod "web" in namespace "shop" on TCP port 8080
    Then the connection is delivered to pod "web"
    And the trace mentions "from the node where the pod runs (node-b) is always allowed"

  Scenario: another node is not the pod's node: its traffic needs a rule like any other
    Given a network policy "default-deny" in namespace "shop" that denies all ingress
    When node "node-a" connects to pod "web" in namespace "shop" on TCP port 8080
    Then the connection is dropped

  Scenario: a pod cannot block access to itself
    Given a network policy "default-deny" in namespace "shop" that denies all ingress and egress
    When pod "web" in namespace "shop" connects to pod "web" on TCP port 8080
    Then the connection is delivered to pod "web"
    And no network policy was consulted

  Scenario: hostNetwork pods share their node's network namespace: no policy selects them
    Given a hostNetwork pod "agent" in namespace "shop" on node "node-b" labelled "app=web" listening on TCP port 9100
    And a network policy "default-deny" in namespace "shop" that denies all ingress
    When pod "client" in namespace "shop" connects to pod "agent" on TCP port 9100
    Then the connection is delivered to pod "agent"
    And pod "agent" in namespace "shop" is not isolated for ingress
