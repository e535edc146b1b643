Feature: Deleting a pod: its endpoint turns terminating, then disappears
  When a pod is deleted, the API server sets its deletionTimestamp and the kubelet starts the
  graceful shutdown: preStop, SIGTERM, SIGKILL when terminationGracePeriodSeconds runs out. The
  EndpointSlice controller keeps the pod's endpoint while it terminates, with terminating: true and
  ready: false; serving still reports the pod's readiness. kube-proxy sends no new connection to an
  endpoint that is not ready (while another is ready). Once every container has stopped, the pod is
  gone, and its endpoint with it.

  Background:
    Given a cluster with node "node-a"
    And a pod "client" in namespace "shop" on node "node-a"
    And a service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080
    And the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata: {name: web-1, namespace: shop, labels: {app: web}}
      spec:
        nodeName: node-a
        terminationGracePeriodSeconds: 20
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
        nodeName: node-a
        containers:
        - name: app
          image: nginx
          ports: [{containerPort: 8080}]
          readinessProbe:
            httpGet: {path: /ready, port: 8080}
      """

  Scenario: serving and terminating while the grace period runs, gone after SIGKILL
    Given the app script:
      """yaml
      apps:
      - pod: shop/web-1
        sigterm: ignore
      events:
      - {at: 60s, delete: shop/web-1}
      """
    When the clock is at t=1m5s
    Then the endpoint of pod "web-1" in service "web" in namespace "shop" is "ready false, serving true, terminating true"
    And the endpoints of service "web" in namespace "shop" are the pods "web-2"
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80 20 times
    Then every connection went to the same pod
    And the connection is delivered to pod "web-2"
    When 15s more have passed
    Then pod "web-1" in namespace "shop" is gone
    And the endpoint of pod "web-1" in service "web" in namespace "shop" is "absent"

  Scenario: a process that ends on SIGTERM is gone at once; no new connection lands on a terminating pod
    Given pod "web-1" in namespace "shop" is deleted at 30s
    Then at every moment between 0s and 2m no endpoint of service "web" in namespace "shop" is ready while terminating
    And at every moment between 0s and 2m service "web" in namespace "shop" has at least 1 ready endpoint
    When the clock is at t=30s
    Then pod "web-1" in namespace "shop" is gone

  Scenario: a preStop hook keeps the pod terminating for as long as it runs
    Given the app script:
      """yaml
      apps:
      - pod: shop/web-1
        preStop: 8s
      events:
      - {at: 10s, delete: shop/web-1}
      """
    When the clock is at t=17s
    Then the endpoint of pod "web-1" in service "web" in namespace "shop" is "ready false, serving true, terminating true"
    When 1s more has passed
    Then pod "web-1" in namespace "shop" is gone
