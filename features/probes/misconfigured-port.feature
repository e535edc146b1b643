Feature: A probe on a port nobody listens on fails, and says why
  The kubelet probes from the node: an httpGet or tcpSocket probe is a TCP connection from the
  node's network namespace to the pod's IP. When no container of the pod listens on the probed
  port — a typo, or the app moved to another port and the probe did not follow — the pod's kernel
  answers with a reset, "connection refused", on every attempt. A liveness probe like that restarts
  a healthy app for ever; a readiness probe like that keeps the pod out of every Service.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a service "api" in namespace "shop" selecting "app=api" mapping port 80 to 8080
    And the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata: {name: api-1, namespace: shop, labels: {app: api}}
      spec:
        nodeName: node-b
        containers:
        - name: app
          image: api:3
          ports: [{containerPort: 8080}]
          readinessProbe:
            tcpSocket: {port: 8081}
          livenessProbe:
            httpGet: {path: /healthz, port: 9090}
      """

  Scenario: the readiness probe is refused: the pod never joins the Service
    When the clock is at t=1m
    Then the readiness probe of pod "api-1" in namespace "shop" fails with "connection refused"
    And the failed probe's trace passes through "node/node-b"
    And pod "api-1" in namespace "shop" is not ready
    And the endpoints of service "api" in namespace "shop" are ""

  Scenario: the liveness probe is refused: a healthy app is restarted again and again
    When the clock is at t=5m
    Then the liveness probe of pod "api-1" in namespace "shop" fails with ":9090: connect: connection refused"
    And the container "app" of pod "api-1" in namespace "shop" has restarted 5 times
