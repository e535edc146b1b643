Feature: A probe on a port nobody listens on fails, and says why
  The kubelet probes from the node: an httpGet or tcpSocket probe is a TCP connection from the
  node's network namespace to the pod's IP. When no container of the pod listens on the probed
  port — a typo, or the app moved to another port and the probe did not follow — the pod's kernel
  answers with a reset, "connection refused", on every attempt. A liveness probe like that restarts
  a healthy app for ever; a readiness probe like that keeps the pod out of every Service.

  A manifest alone cannot tell that story apart from a healthy one: Kubernetes does not ask a
  container to declare the ports it listens on (containerPort is informational), and stock manifests
  probe undeclared ports all the time — ingress-nginx's controller probes /healthz on 10254 and
  declares 80, 443 and 8443; CoreDNS probes 8080 and 8181 and declares 53 and 9153. So netspec takes
  a probe's port as the app's own health endpoint: the container listens there, for the probe and
  for connections, and the load says so (NS-PROBE-PORT-UNDECLARED, at the probe's port). When
  nothing listens there, the app script says so: the probe's answer is "refused".

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a service "api" in namespace "shop" selecting "app=api" mapping port 80 to 8080
    And a pod "client" in namespace "shop" on node "node-a"
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

  Scenario: the load names each probe on an undeclared port, and the app is taken to listen there
    Then the cluster loads with these warnings:
      | code                     | line | message                                                                                                    |
      | NS-PROBE-PORT-UNDECLARED | 32   | containers[0].readinessProbe probes TCP 8081, which no container of the pod declares: netspec takes container app to listen there |
      | NS-PROBE-PORT-UNDECLARED | 34   | containers[0].livenessProbe probes TCP 9090, which no container of the pod declares                         |
    And pod "api-1" in namespace "shop" is ready
    When pod "client" in namespace "shop" connects to pod "api-1" in namespace "shop" on TCP port 9090
    Then the connection is delivered
    And the trace mentions "not declared in ports: assumed from its livenessProbe on that port"

  Scenario: nothing listens on the readiness port: the pod never joins the Service
    Given the app script:
      """yaml
      apps:
      - pod: shop/api-1
        probes:
          readiness: [{from: 0s, answer: refused}]
      """
    When the clock is at t=1m
    Then the readiness probe of pod "api-1" in namespace "shop" fails with "connect: connection refused"
    And pod "api-1" in namespace "shop" is not ready
    And the endpoints of service "api" in namespace "shop" are ""

  Scenario: nothing listens on the liveness port: a healthy app is restarted again and again
    Given the app script:
      """yaml
      apps:
      - pod: shop/api-1
        probes:
          liveness: [{from: 0s, answer: refused}]
      """
    When the clock is at t=5m
    Then the liveness probe of pod "api-1" in namespace "shop" fails with "connect: connection refused"
    And the container "app" of pod "api-1" in namespace "shop" has restarted 5 times
