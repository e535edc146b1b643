Feature: A pod that fails its readiness probe stops receiving Service traffic
  The kubelet runs each container's readinessProbe every periodSeconds (default 10s). After
  failureThreshold consecutive failures (default 3) it marks the container, and so the pod, not
  Ready; the EndpointSlice controller then lists the pod's address with ready: false and serving:
  false, and kube-proxy stops sending new connections to it. The container is not restarted: a
  readiness failure only takes the pod out of rotation. After successThreshold consecutive
  successes (default 1) the pod is Ready again and back in the endpoints.

  netspec runs the kubelet on a virtual clock: t=0 is when the containers start, the prober probes
  at once and then every periodSeconds (the kubelet's random delay before the first probe, which
  happens only when the kubelet itself has just started, is left out so the timeline is exact).
  "When the clock is at t=40s" sets the clock to that moment (counted from when the containers
  started); "When 10s more have passed" moves it on from where it is. The steps that follow see the
  cluster at that time.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a pod "client" in namespace "shop" on node "node-a"
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
          readinessProbe:
            httpGet: {path: /ready, port: 8080}
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
          readinessProbe:
            httpGet: {path: /ready, port: 8080}
      """

  Scenario: two failures are not enough; the third takes the pod out of the endpoints
    Given the app in pod "web-1" in namespace "shop" fails its readiness probe from 30s
    When the clock is at t=40s
    Then the endpoints of service "web" in namespace "shop" are the pods "web-1" and "web-2"
    When 10s more have passed
    Then pod "web-1" in namespace "shop" is not ready
    And the endpoints of service "web" in namespace "shop" are the pods "web-2"
    And the container "app" of pod "web-1" in namespace "shop" has restarted 0 times
    And the probe timeline of pod "web-1" in namespace "shop" shows:
      | t   | probe     | result  | action    |
      | 0s  | readiness | success | ready     |
      | 30s | readiness | failure |           |
      | 40s | readiness | failure |           |
      | 50s | readiness | failure | not-ready |

  Scenario: connections through the Service go to the pods that are still ready
    Given the app in pod "web-1" in namespace "shop" fails its readiness probe from 30s
    When the clock is at t=1m
    And pod "client" in namespace "shop" connects to service "web" on TCP port 80 50 times
    Then every connection went to the same pod
    And the connection is delivered to pod "web-2"

  Scenario: one success brings the pod back (successThreshold 1)
    Given the app in pod "web-1" in namespace "shop" fails its readiness probe from 30s to 1m10s
    When the clock is at t=1m
    Then the endpoints of service "web" in namespace "shop" are the pods "web-2"
    When 10s more have passed
    Then pod "web-1" in namespace "shop" is ready
    And the endpoints of service "web" in namespace "shop" are the pods "web-1" and "web-2"

  Scenario: an HTTP status from 200 to 399 is a success, anything else a failure
    Given the app in pod "web-1" in namespace "shop" answers its readiness probe with HTTP 302 from 0s
    And the app in pod "web-2" in namespace "shop" answers its readiness probe with HTTP 503 from 0s
    When the clock is at t=30s
    Then pod "web-1" in namespace "shop" is ready
    And pod "web-2" in namespace "shop" is not ready
    And the endpoints of service "web" in namespace "shop" are the pods "web-1"

  Scenario: when every pod fails, kube-proxy rejects connections to the Service
    Given the app in pod "web-1" in namespace "shop" fails its readiness probe from 0s
    And the app in pod "web-2" in namespace "shop" fails its readiness probe from 0s
    When the clock is at t=30s
    And pod "client" in namespace "shop" connects to service "web" on TCP port 80
    Then the connection is rejected

  Scenario: a default-deny ingress policy does not stop the kubelet's probes
    Traffic from the node a pod runs on is always allowed by NetworkPolicy, so the kubelet's
    probes get through even when every other ingress is denied.
    Given a network policy "deny-all" in namespace "shop" that denies all ingress
    When the clock is at t=1m
    Then pod "web-1" in namespace "shop" is ready
    And the endpoints of service "web" in namespace "shop" are the pods "web-1" and "web-2"
