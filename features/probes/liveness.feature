Feature: A failing liveness probe restarts the container, not the pod
  After failureThreshold consecutive liveness failures (default 3, every periodSeconds) the kubelet
  kills the container and restarts it according to the pod's restartPolicy (Always by default).
  Only the container is replaced: the pod sandbox (the pause container) and its network namespace
  survive, so the pod keeps its IP; restartCount goes up by one.

  Does the pod leave the Service's endpoints? Only while it is not Ready. A container without a
  readinessProbe counts as ready as soon as it runs, so such a pod is out of the endpoints only
  while its container is down (the first restart is immediate; later ones wait in
  CrashLoopBackOff). A container with a readinessProbe starts every life not ready, and is back in
  the endpoints only after its readiness probe succeeds again.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080
    And the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata: {name: web-1, namespace: shop, labels: {app: web}}
      spec:
        nodeName: node-a
        containers:
        - name: app
          image: nginx
          ports: [{containerPort: 8080}]
          livenessProbe:
            httpGet: {path: /healthz, port: 8080}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: web-2, namespace: shop, labels: {app: web}}
      spec:
        nodeName: node-b
        containers:
        - name: app
          image: nginx
          ports: [{containerPort: 8080}]
          livenessProbe:
            httpGet: {path: /healthz, port: 8080}
            initialDelaySeconds: 10
          readinessProbe:
            httpGet: {path: /ready, port: 8080}
            initialDelaySeconds: 15
            periodSeconds: 5
      """

  Scenario: three failed liveness probes restart the container; the pod keeps its IP
    Given the app in pod "web-1" in namespace "shop" fails its liveness probe from 30s to 1m
    When the clock is at t=1m
    Then the container "app" of pod "web-1" in namespace "shop" has restarted 1 time
    And pod "web-1" in namespace "shop" still has the IP it had at the start
    And the probe timeline of pod "web-1" in namespace "shop" shows:
      | t   | probe    | result  | action  |
      | 30s | liveness | failure |         |
      | 40s | liveness | failure |         |
      | 50s | liveness | failure | killed  |
      | 50s | restart  |         | restart |
      | 1m  | liveness | success |         |

  Scenario: without a readiness probe the restarted container is ready again at once
    Given the app in pod "web-1" in namespace "shop" fails its liveness probe from 30s to 1m
    When the clock is at t=55s
    Then pod "web-1" in namespace "shop" is ready
    And the endpoints of service "web" in namespace "shop" are the pods "web-1" and "web-2"

  Scenario: with a readiness probe the restarted container is out of the endpoints until it passes
    Given the app in pod "web-2" in namespace "shop" fails its liveness probe from 30s to 1m
    When the clock is at t=50s
    Then the container "app" of pod "web-2" in namespace "shop" has restarted 1 time
    And pod "web-2" in namespace "shop" is not ready
    And the endpoints of service "web" in namespace "shop" are the pods "web-1"
    When 25s more have passed
    Then pod "web-2" in namespace "shop" is ready
    And the endpoints of service "web" in namespace "shop" are the pods "web-1" and "web-2"

  Scenario: a probe that does not answer within timeoutSeconds counts as a failure
    Given the app in pod "web-1" in namespace "shop" does not answer its liveness probe from 1m
    When the clock is at t=1m20s
    Then the container "app" of pod "web-1" in namespace "shop" has restarted 1 time
    And the liveness probe of pod "web-1" in namespace "shop" fails with "timeout"
