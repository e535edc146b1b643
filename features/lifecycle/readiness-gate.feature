Feature: A readiness gate holds the pod out of the Service until its condition is True
  spec.readinessGates names extra conditions — set by a load balancer controller, a mesh, an
  operator — that must be True before the pod is Ready (pkg/kubelet/status: the Ready condition is
  False with reason ReadinessGatesNotReady while a gate's condition is missing or not True). The
  containers can all be ready (ContainersReady True) and the pod still out of the endpoints. The app
  script sets the condition at a time, as the outside controller would.

  Background:
    Given a cluster with node "node-a"
    And a service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080
    And the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata: {name: web-1, namespace: shop, labels: {app: web}}
      spec:
        nodeName: node-a
        readinessGates:
        - conditionType: target-health.elbv2.k8s.aws/web
        containers:
        - name: app
          image: nginx
          ports: [{containerPort: 8080}]
      """

  Scenario: not Ready until the gate flips at 20s
    Given the condition "target-health.elbv2.k8s.aws/web" of pod "web-1" in namespace "shop" becomes "True" at 20s
    Then pod "web-1" in namespace "shop" is not ready
    And the condition "ContainersReady" of pod "web-1" in namespace "shop" is "True"
    And the condition "Ready" of pod "web-1" in namespace "shop" is "False"
    And the endpoints of service "web" in namespace "shop" are the pods ""
    When the clock is at t=19s
    Then pod "web-1" in namespace "shop" is not ready
    When 1s more has passed
    Then pod "web-1" in namespace "shop" is ready
    And the condition "target-health.elbv2.k8s.aws/web" of pod "web-1" in namespace "shop" is "True"
    And the endpoints of service "web" in namespace "shop" are the pods "web-1"

  Scenario: the gate turning False takes the pod out again
    Given the app script:
      """yaml
      events:
      - {at: 10s, condition: {pod: shop/web-1, type: target-health.elbv2.k8s.aws/web, status: "True"}}
      - {at: 40s, condition: {pod: shop/web-1, type: target-health.elbv2.k8s.aws/web, status: "False"}}
      """
    When the clock is at t=40s
    Then pod "web-1" in namespace "shop" is not ready
    And the condition "Ready" of pod "web-1" in namespace "shop" is "False"
