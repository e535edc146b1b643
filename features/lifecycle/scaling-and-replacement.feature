Feature: Scaling a workload and replacing the pods it loses
  A ReplicaSet keeps its count (pkg/controller/replicaset manageReplicas): a pod deleted by hand is
  replaced at once by a new one from the same template, which serves only once its readiness probe
  passes, while the deleted one terminates with its grace period. Scaling the Deployment changes the
  count at that time; scaling down deletes the pods that matter least first (controller_utils.go
  ActivePodsWithRanks: not ready before ready, the most recently ready first).

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
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - name: app
              image: shop/web:1.0
              ports: [{containerPort: 8080}]
              readinessProbe:
                httpGet: {path: /ready, port: 8080}
                initialDelaySeconds: 10
                periodSeconds: 5
      """

  Scenario: the SRE deletes a stuck pod; the ReplicaSet replaces it and the service keeps one ready endpoint
    Given the app script:
      """yaml
      apps:
      - pod: shop/web
        sigterm: ignore
      """
    When one pod of deployment "web" in namespace "shop" is deleted at t=30s
    Then at every moment between 25s and 2m service "web" in namespace "shop" has at least 1 ready endpoint
    And at every moment between 25s and 2m no new connection from pod "client" in namespace "shop" to service "web" on TCP port 80 lands on a terminating pod
    And at t=1m30s deployment "web" in namespace "shop" runs 2 pods of image "shop/web:1.0" and none of another

  Scenario: the platform engineer scales up for a sale and back down after it
    When deployment "web" in namespace "shop" is scaled to 5 replicas at t=30s
    And deployment "web" in namespace "shop" is scaled to 2 replicas at t=2m
    Then at every moment between 45s and 1m55s service "web" in namespace "shop" has at least 5 ready endpoints
    And at t=2m1s deployment "web" in namespace "shop" runs 2 pods of image "shop/web:1.0" and none of another
