Feature: An app that hangs a while after every start
  Some apps leak, deadlock or exhaust a pool some time after they start — every time they start. The
  app script says so on the clock of the container instance: "from 35s, every probe hangs" is
  replayed from zero on each restart. The kubelet's liveness probe then fails failureThreshold times
  in a row, the kubelet kills the container (SIGTERM), and restarts it: at once the first time, then
  after a back-off of 10s, 20s, 40s … measured from the moment the container finished
  (kuberuntime doBackOff, client-go flowcontrol.Backoff). The readiness probe takes the pod out of
  the Service before the kill, and the new instance comes back on its first readiness success.

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
        containers:
        - name: app
          image: shop:1.4
          ports: [{containerPort: 8080}]
          livenessProbe:
            httpGet: {path: /healthz, port: 8080}
            periodSeconds: 10
          readinessProbe:
            httpGet: {path: /ready, port: 8080}
            periodSeconds: 5
      """
    And the app script:
      """yaml
      apps:
      - pod: shop/web-1
        clock: instance
        probes:
          all: [{from: 35s, answer: hang}]
      """

  Scenario: the kills follow the hang, the restarts follow the back-off
    When the clock is at t=5m
    Then the probe timeline of pod "web-1" in namespace "shop" shows:
      | t     | probe    | result  | action  |
      | 40s   | liveness | failure |         |
      | 1m    | liveness | failure | killed  |
      | 1m    | restart  |         | restart |
      | 2m    | liveness | failure | killed  |
      | 2m10s | restart  |         | restart |
      | 3m10s | liveness | failure | killed  |
      | 3m30s | restart  |         | restart |
    And between 55s and 66s the container "app" of pod "web-1" in namespace "shop" restarts 1 time
    And between 2m and 2m9s the container "app" of pod "web-1" in namespace "shop" restarts 0 times

  Scenario: the endpoint leaves before the kill and returns with the new instance
    When the clock is at t=50s
    Then pod "web-1" in namespace "shop" is not ready
    And the endpoints of service "web" in namespace "shop" are the pods ""
    When 10s more have passed
    Then pod "web-1" in namespace "shop" is ready
    And the container "app" of pod "web-1" in namespace "shop" has restarted 1 time
    And the last state of container "app" of pod "web-1" in namespace "shop" is "terminated with reason Error and exit code 143"

  Scenario: while the kubelet backs off, the container waits in CrashLoopBackOff
    When the clock is at t=2m5s
    Then the container "app" of pod "web-1" in namespace "shop" is "waiting with reason CrashLoopBackOff"
    And the condition "ContainersReady" of pod "web-1" in namespace "shop" is "False"
    And pod "web-1" in namespace "shop" is in phase "Running"
