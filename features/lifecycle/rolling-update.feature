Feature: A rolling update keeps the service up
  The platform team ships a new version of the web tier while the shop takes orders. The deployment
  controller (pkg/controller/deployment/rolling.go) adds new pods up to replicas + maxSurge, and takes
  old ones away only while replicas − maxUnavailable pods stay available; a new pod counts once its
  readiness probe passes (and minReadySeconds has run). Old pods terminate with their grace period:
  their endpoints turn terminating and kube-proxy sends them no new connection. With the defaults
  (25 % each) and 4 replicas: at most 5 pods, at least 3 ready.

  Background:
    Given a cluster with node "node-a"
    And a pod "client" in namespace "shop" on node "node-a"
    And a service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080
    And the manifest:
      """yaml
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        replicas: 4
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            terminationGracePeriodSeconds: 20
            containers:
            - name: app
              image: shop/web:1.0
              ports: [{containerPort: 8080}]
              readinessProbe:
                httpGet: {path: /ready, port: 8080}
                initialDelaySeconds: 10
                periodSeconds: 5
      """

  Scenario: the on-call engineer sees the service never drop below three ready endpoints during the rollout
    Given the app script:
      """yaml
      apps:
      - pod: shop/web
        sigterm: ignore
      """
    When deployment "web" in namespace "shop" is rolled out to image "shop/web:1.1" at t=60s
    Then at every moment between 55s and 3m service "web" in namespace "shop" has at least 3 ready endpoints
    And at every moment between 55s and 3m deployment "web" in namespace "shop" has at most 5 pods that are not terminating
    And at every moment between 55s and 3m no endpoint of service "web" in namespace "shop" is ready while terminating
    And at every moment between 55s and 2m no new connection from pod "client" in namespace "shop" to service "web" on TCP port 80 lands on a terminating pod
    And at t=65s deployment "web" in namespace "shop" has condition "Progressing" with reason "NewReplicaSetCreated"
    And at t=3m deployment "web" in namespace "shop" runs 4 pods of image "shop/web:1.1" and none of another
    And at t=3m deployment "web" in namespace "shop" has condition "Progressing" with reason "NewReplicaSetAvailable"

  Scenario: a release whose readiness never passes stalls: the old version keeps serving, and after progressDeadlineSeconds (600 s from the last progress at 60 s) the Deployment says so
    Given the app script:
      """yaml
      apps:
      - pod: shop/web
        image: shop/web:1.1
        probes:
          readiness: [{from: 0s, answer: 503}]
      """
    When deployment "web" in namespace "shop" is rolled out to image "shop/web:1.1" at t=60s
    Then at every moment between 55s and 12m service "web" in namespace "shop" has at least 3 ready endpoints
    And at t=5m deployment "web" in namespace "shop" has condition "Available" with reason "MinimumReplicasAvailable"
    And at t=10m59s deployment "web" in namespace "shop" has condition "Progressing" with reason "NewReplicaSetCreated"
    And at t=11m1s deployment "web" in namespace "shop" has condition "Progressing" with reason "ProgressDeadlineExceeded"

  Scenario: kubectl rollout restart replaces every pod the same careful way
    When deployment "web" in namespace "shop" is restarted at t=30s
    Then at every moment between 25s and 3m service "web" in namespace "shop" has at least 3 ready endpoints
    And at t=3m deployment "web" in namespace "shop" has condition "Progressing" with reason "NewReplicaSetAvailable"
