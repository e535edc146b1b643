Feature: Label selectors pick objects exactly as Kubernetes does
  Services find their pods, Deployments count their replicas and NetworkPolicies choose whom
  they protect through label selectors. A selector is a list of requirements, all of which must
  hold: matchLabels (key equals value) and matchExpressions with four operators — In, NotIn,
  Exists, DoesNotExist. Two rules surprise people:

  - NotIn and DoesNotExist match objects that do not have the label at all: "env notin
    (prod)" picks the pods with no env label too;
  - an empty selector ({}) matches everything, while In with several values is an OR over them.

  kubectl's -l syntax says the same in one line: `app=web`, `env!=prod`, `tier in (a,b)`,
  `tier notin (a)`, `canary`, `!canary`. netspec evaluates both forms with Kubernetes' rules.

  Background:
    Given a cluster with node "node-a"
    And a pod "web-prod" in namespace "shop" labelled "app=web,env=prod"
    And a pod "web-staging" in namespace "shop" labelled "app=web,env=staging"
    And a pod "web-canary" in namespace "shop" labelled "app=web,env=prod,canary=true"
    And a pod "debug" in namespace "shop" labelled "app=debug"
    And a pod "bare" in namespace "shop"

  Scenario: equality, and a conjunction of requirements
    Then the selector "app=web" selects exactly the pods "web-prod", "web-staging" and "web-canary" in namespace "shop"
    And the selector "app=web,env=prod" selects exactly the pods "web-prod" and "web-canary" in namespace "shop"
    And the selector "app=web,env=prod,!canary" selects exactly the pods "web-prod" in namespace "shop"

  Scenario: NotIn and != match pods that lack the label
    Then the selector "env notin (prod)" selects exactly the pods "web-staging", "debug" and "bare" in namespace "shop"
    And the selector "env!=prod" selects exactly the pods "web-staging", "debug" and "bare" in namespace "shop"

  Scenario: Exists and DoesNotExist look only at the key
    Then the selector "canary" selects exactly the pods "web-canary" in namespace "shop"
    And the selector "!env" selects exactly the pods "debug" and "bare" in namespace "shop"

  Scenario: In is an OR over its values; a value nobody has selects nothing
    Then the selector "env in (prod,staging)" selects exactly the pods "web-prod", "web-staging" and "web-canary" in namespace "shop"
    And the selector "env=dev" selects no pod in namespace "shop"

  Scenario: matchLabels and matchExpressions, as written in a manifest, are ANDed
    Then this label selector selects exactly the pods "web-staging" in namespace "shop":
      """yaml
      matchLabels:
        app: web
      matchExpressions:
      - key: env
        operator: NotIn
        values: [prod]
      """

  Scenario: DoesNotExist in a manifest's selector
    Then this label selector selects exactly the pods "debug" and "bare" in namespace "shop":
      """yaml
      matchExpressions:
      - key: env
        operator: DoesNotExist
      """

  Scenario: an empty selector selects every pod of the namespace
    Then this label selector selects exactly the pods "web-prod", "web-staging", "web-canary", "debug" and "bare" in namespace "shop":
      """yaml
      {}
      """

  Scenario: an operator Kubernetes does not know is an input error, not a selector that matches nothing
    Given the manifest:
      """yaml
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: shop
      spec:
        selector:
          matchExpressions:
          - key: app
            operator: Equals
            values: [web]
        template:
          metadata:
            labels: {app: web}
          spec:
            containers:
            - name: nginx
              image: nginx
      """
    Then loading fails with these errors:
      | code                 | line | message                                          |
      | NS-SELECTOR-OPERATOR | 76   | "Equals" is not a valid label selector operator  |
