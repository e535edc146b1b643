Feature: Cluster administrators decide above and below the namespaces: the Admin and Baseline tiers
  A NetworkPolicy belongs to a namespace and its developers. Above it, cluster administrators write
  policies of the Network Policy API (policy.networking.k8s.io): AdminNetworkPolicy and
  BaselineAdminNetworkPolicy in v1alpha1, ClusterNetworkPolicy with `tier: Admin` or
  `tier: Baseline` in v1alpha2. A connection is decided direction by direction (the source's
  egress, then the destination's ingress), tier by tier:

    1. the Admin tier, policies by priority (the lowest number first), each policy's rules in the
       order written: the first rule that matches decides. Allow (v1alpha2: Accept) and Deny are
       final — no NetworkPolicy can override them. Pass skips the rest of the Admin tier and hands
       the connection down;
    2. NetworkPolicy, as always: if a NetworkPolicy isolates the pod for that direction, it
       decides (allowed when some rule allows, else dropped);
    3. the Baseline tier, only where no NetworkPolicy isolates the pod: the administrator's
       default, which developers override by writing a NetworkPolicy;
    4. Kubernetes' default: allowed.

  Admin policies select pods but do not isolate them: a connection none of their rules matches
  simply goes on to the next tier. Two policies of one tier with the same priority are undefined
  behaviour in the API; netspec warns and evaluates them in name order. The deny hop names the tier,
  the policy, the rule (its index and name) and its file:line.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a namespace "shop" labelled "team=shop"
    And a namespace "ops" labelled "team=ops"
    And a pod "client" in namespace "shop" on node "node-a" labelled "app=client"
    And a pod "web" in namespace "shop" on node "node-b" labelled "app=web" listening on TCP port 8080
    And a pod "prom" in namespace "ops" on node "node-a" labelled "app=prom"
    And the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: web-from-client, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress: [{from: [{podSelector: {matchLabels: {app: client}}}]}]
      """

  Scenario: an Admin Deny at priority 10 beats the namespace's NetworkPolicy Allow
    Given the manifest:
      """
      apiVersion: policy.networking.k8s.io/v1alpha1
      kind: AdminNetworkPolicy
      metadata: {name: freeze-web}
      spec:
        priority: 10
        subject: {pods: {namespaceSelector: {matchLabels: {team: shop}}, podSelector: {matchLabels: {app: web}}}}
        ingress:
        - name: nobody
          action: Deny
          from: [{namespaces: {}}]
      """
    When pod "client" in namespace "shop" connects to pod "web" on TCP port 8080
    Then the connection is dropped
    And the connection is denied by the admin tier's policy "freeze-web"
    And the trace says "Admin tier: AdminNetworkPolicy freeze-web (priority 10) ingress rule 1 \"nobody\""
    And the trace does not pass through "policy/shop/web-from-client"

  Scenario: a Pass at priority 5 hands the decision to the NetworkPolicy
    Given the manifest:
      """
      apiVersion: policy.networking.k8s.io/v1alpha1
      kind: AdminNetworkPolicy
      metadata: {name: shop-decides}
      spec:
        priority: 5
        subject: {namespaces: {matchLabels: {team: shop}}}
        ingress:
        - {action: Pass, from: [{namespaces: {matchLabels: {team: shop}}}]}
      ---
      apiVersion: policy.networking.k8s.io/v1alpha1
      kind: AdminNetworkPolicy
      metadata: {name: freeze-web}
      spec:
        priority: 10
        subject: {namespaces: {matchLabels: {team: shop}}}
        ingress:
        - {action: Deny, from: [{namespaces: {}}]}
      """
    When pod "client" in namespace "shop" connects to pod "web" on TCP port 8080
    Then the connection is delivered to pod "web"
    And the connection is passed by the admin tier's policy "shop-decides"
    And the connection is allowed by network policy "web-from-client" in namespace "shop"
    When pod "prom" in namespace "ops" connects to pod "web" in namespace "shop" on TCP port 8080
    Then the connection is denied by the admin tier's policy "freeze-web"

  Scenario: a Baseline Deny applies only where no NetworkPolicy selects the pod
    Given a pod "db" in namespace "shop" on node "node-b" labelled "app=db" listening on TCP port 5432
    And the manifest:
      """
      apiVersion: policy.networking.k8s.io/v1alpha1
      kind: BaselineAdminNetworkPolicy
      metadata: {name: default}
      spec:
        subject: {namespaces: {}}
        ingress:
        - {name: closed-by-default, action: Deny, from: [{namespaces: {}}]}
      """
    When pod "client" in namespace "shop" connects to pod "db" on TCP port 5432
    Then the connection is dropped
    And the connection is denied by the baseline tier's policy "default"
    When pod "client" in namespace "shop" connects to pod "web" on TCP port 8080
    Then the connection is delivered to pod "web"
    And the connection is allowed by network policy "web-from-client" in namespace "shop"

  Scenario: the same with ClusterNetworkPolicy (v1alpha2): Accept, Deny and Pass in the Admin and Baseline tiers
    Given a pod "db" in namespace "shop" on node "node-b" labelled "app=db" listening on TCP port 5432
    And the manifest:
      """
      apiVersion: policy.networking.k8s.io/v1alpha2
      kind: ClusterNetworkPolicy
      metadata: {name: shop-decides}
      spec:
        tier: Admin
        priority: 5
        subject: {namespaces: {matchLabels: {team: shop}}}
        ingress:
        - {action: Pass, from: [{namespaces: {matchLabels: {team: shop}}}]}
      ---
      apiVersion: policy.networking.k8s.io/v1alpha2
      kind: ClusterNetworkPolicy
      metadata: {name: freeze-shop}
      spec:
        tier: Admin
        priority: 10
        subject: {namespaces: {matchLabels: {team: shop}}}
        ingress:
        - action: Deny
          from: [{namespaces: {}}]
          protocols: [{tcp: {destinationPort: {range: {start: 8000, end: 8999}}}}]
      ---
      apiVersion: policy.networking.k8s.io/v1alpha2
      kind: ClusterNetworkPolicy
      metadata: {name: closed-by-default}
      spec:
        tier: Baseline
        priority: 0
        subject: {namespaces: {}}
        ingress:
        - {action: Deny, from: [{namespaces: {}}]}
      """
    When pod "client" in namespace "shop" connects to pod "web" on TCP port 8080
    Then the connection is delivered to pod "web"
    And the connection is passed by the admin tier's policy "shop-decides"
    When pod "prom" in namespace "ops" connects to pod "web" in namespace "shop" on TCP port 8080
    Then the connection is denied by the admin tier's policy "freeze-shop"
    When pod "client" in namespace "shop" connects to pod "db" on TCP port 5432
    Then the connection is denied by the baseline tier's policy "closed-by-default"

  Scenario: an admin Allow does not isolate: what its rules do not match goes on to NetworkPolicy
    Given the manifest:
      """
      apiVersion: policy.networking.k8s.io/v1alpha1
      kind: AdminNetworkPolicy
      metadata: {name: monitoring}
      spec:
        priority: 1
        subject: {namespaces: {}}
        ingress:
        - {action: Allow, from: [{namespaces: {matchLabels: {team: ops}}}]}
      """
    When pod "prom" in namespace "ops" connects to pod "web" in namespace "shop" on TCP port 8080
    Then the connection is delivered to pod "web"
    And the connection is allowed by the admin tier's policy "monitoring"
    When pod "client" in namespace "shop" connects to pod "web" on TCP port 8080
    Then the connection is allowed by network policy "web-from-client" in namespace "shop"

  Scenario: egress to CIDRs matches pod addresses too
    Given the manifest:
      """
      apiVersion: policy.networking.k8s.io/v1alpha1
      kind: AdminNetworkPolicy
      metadata: {name: ops-stays-home}
      spec:
        priority: 20
        subject: {namespaces: {matchLabels: {team: ops}}}
        egress:
        - {action: Deny, to: [{networks: [10.244.0.0/16]}]}
      """
    When pod "prom" in namespace "ops" connects to pod "web" in namespace "shop" on TCP port 8080
    Then the connection is denied by the admin tier's policy "ops-stays-home"

  Scenario: the whole truth table at once, as netspec matrix prints it
    Rows are sources, columns destinations; "." the connection is allowed, "X" it is blocked. Rows
    and columns name pods, or label selectors standing for every pod they match. Every differing
    cell is reported with the tier, policy and rule that decided it.

    Given the manifest:
      """
      apiVersion: policy.networking.k8s.io/v1alpha1
      kind: AdminNetworkPolicy
      metadata: {name: monitoring}
      spec:
        priority: 1
        subject: {namespaces: {}}
        ingress:
        - {action: Allow, from: [{namespaces: {matchLabels: {team: ops}}}]}
      ---
      apiVersion: policy.networking.k8s.io/v1alpha1
      kind: BaselineAdminNetworkPolicy
      metadata: {name: default}
      spec:
        subject: {namespaces: {}}
        ingress:
        - {action: Deny, from: [{namespaces: {}}]}
      """
    Then the reachability on TCP port 8080 is:
      | from \ to | client | web | prom |
      | client    | .      | .   | X    |
      | web       | X      | .   | X    |
      | prom      | .      | .   | .    |
    And the reachability on TCP port 8080 is:
      | from \ to | app=client | app=prom |
      | app=web   | X          | X        |
      | app=prom  | .          | .        |

  Scenario: equal priorities are undefined behaviour, and netspec says so
    Given the manifest:
      """
      apiVersion: policy.networking.k8s.io/v1alpha1
      kind: AdminNetworkPolicy
      metadata: {name: allow-ops}
      spec:
        priority: 7
        subject: {namespaces: {}}
        ingress: [{action: Allow, from: [{namespaces: {matchLabels: {team: ops}}}]}]
      ---
      apiVersion: policy.networking.k8s.io/v1alpha1
      kind: AdminNetworkPolicy
      metadata: {name: deny-ops}
      spec:
        priority: 7
        subject: {namespaces: {}}
        ingress: [{action: Deny, from: [{namespaces: {matchLabels: {team: ops}}}]}]
      """
    Then the cluster loads with these warnings:
      | code                    | line | message                                                                    |
      | NS-POLICY-SAME-PRIORITY | 229  | AdminNetworkPolicy allow-ops, AdminNetworkPolicy deny-ops share priority 7 |

  Scenario: what the API server would reject is a located error
    Given the manifest:
      """
      apiVersion: policy.networking.k8s.io/v1alpha1
      kind: BaselineAdminNetworkPolicy
      metadata: {name: my-baseline}
      spec:
        subject: {namespaces: {}}
        ingress: [{action: Pass, from: [{namespaces: {}}]}]
      """
    Then loading fails with these errors:
      | code                | line | message                                 |
      | NS-POLICY-BANP-NAME | 246  | must be named "default"                 |
      | NS-POLICY-ACTION    | 249  | action "Pass" is not one of Allow, Deny |
