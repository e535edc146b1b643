Feature: A startup probe protects a slow starter from its own liveness probe
  An app that needs a minute to warm up would be killed by a liveness probe tuned for a running
  app: three failures ten seconds apart and it is restarted, again and again, never getting to
  finish starting. A startupProbe holds the liveness and readiness probes back: until it has
  succeeded once, the kubelet runs neither. Its budget is failureThreshold × periodSeconds; when
  it is spent without a success, the container is killed and restarted per restartPolicy, like a
  liveness failure.

  Background:
    Given a cluster with node "node-a"
    And a service "legacy" in namespace "shop" selecting "app=legacy" mapping port 80 to 8080
    And the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata: {name: legacy-1, namespace: shop, labels: {app: legacy}}
      spec:
        containers:
        - name: app
          image: legacy:1.0
          ports: [{containerPort: 8080, name: http}]
          startupProbe:
            httpGet: {path: /healthz, port: http}
            failureThreshold: 30
            periodSeconds: 10
          livenessProbe:
            httpGet: {path: /healthz, port: http}
          readinessProbe:
            httpGet: {path: /ready, port: http}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: unprotected-1, namespace: shop, labels: {app: unprotected}}
      spec:
        containers:
        - name: app
          image: legacy:1.0
          ports: [{containerPort: 8080}]
          livenessProbe:
            httpGet: {path: /healthz, port: 8080}
      """

  Scenario: the app takes 65s to start and is never killed
    Given the app in pod "legacy-1" in namespace "shop" takes 65s to start
    When the clock is at t=2m
    Then the container "app" of pod "legacy-1" in namespace "shop" has restarted 0 times
    And pod "legacy-1" in namespace "shop" is ready
    And the probe timeline of pod "legacy-1" in namespace "shop" shows:
      | t   | probe     | result  | action |
      | 0s  | startup   | failure |        |
      | 1m  | startup   | failure |        |
      | 1m10s | startup | success |        |
      | 1m20s | liveness  | success |      |
      | 1m20s | readiness | success | ready |

  Scenario: not ready, and not in the endpoints, until started
    Given the app in pod "legacy-1" in namespace "shop" takes 65s to start
    When the clock is at t=1m
    Then pod "legacy-1" in namespace "shop" is not ready
    And the endpoints of service "legacy" in namespace "shop" are ""

  Scenario: the same slow app without a startup probe is killed over and over
    Given the app in pod "unprotected-1" in namespace "shop" takes 2m to start
    When the clock is at t=2m
    Then the container "app" of pod "unprotected-1" in namespace "shop" has restarted 3 times

  Scenario: an app that never starts is killed when the startup budget (30 × 10s) is spent
    Given the app in pod "legacy-1" in namespace "shop" fails its startup probe
    When the clock is at t=5m
    Then the probe timeline of pod "legacy-1" in namespace "shop" shows:
      | t     | probe   | result  | action  |
      | 4m50s | startup | failure | killed  |
      | 4m50s | restart |         | restart |
    And the container "app" of pod "legacy-1" in namespace "shop" has restarted 1 time
