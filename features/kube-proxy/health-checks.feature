Feature: kube-proxy answers the load balancer's health checks
  A LoadBalancer Service with externalTrafficPolicy: Local sends outside traffic only to pods on the
  node it arrives at, so the cloud load balancer must learn which nodes have such a pod. The API
  server gives the Service a healthCheckNodePort, and kube-proxy on every node serves HTTP there
  (pkg/proxy/healthcheck, service_health.go): any path answers 200 when the node has at least one
  ready endpoint of the Service, 503 when it has none, with a small JSON body naming the Service
  and its count of local endpoints (EndpointsMap.LocalReadyEndpoints: distinct addresses of ready
  endpoints on that node; terminating or not-ready ones do not count). The load balancer stops
  sending traffic to a node that answers 503.

  kube-proxy also serves its own /healthz on port 10256 (proxy_health.go): 200 while its rules are
  in sync and the node is eligible, 503 once the node is being deleted or tainted
  ToBeDeletedByClusterAutoscaler, so the load balancer drains it first.

  `netspec request --url http://NODE-IP:PORT/` and `netspec connect` to that address answer the
  same.

  Background:
    Given a cluster with nodes "node-a", "node-b" and "node-c"
    And a pod "web-1" in namespace "shop" on node "node-a" labelled "app=web" listening on TCP port 8080
    And a pod "web-2" in namespace "shop" on node "node-b" labelled "app=web" listening on TCP port 8080
    And a LoadBalancer service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080 with node port 30081
    And service "web" in namespace "shop" has externalTrafficPolicy "Local"

  Scenario: a node with a ready endpoint answers 200, a node without one 503
    Then the health check of service "web" in namespace "shop" on node "node-a" answers 200
    And the health check of service "web" in namespace "shop" on node "node-b" answers 200
    And the health check of service "web" in namespace "shop" on node "node-c" answers 503

  Scenario: the answer is JSON with the count of local endpoints
    When the load balancer asks the health check of service "web" in namespace "shop" on node "node-c"
    Then it answers 503 with 0 local endpoints
    And the answer has the header "Content-Type" set to "application/json"
    And the answer has the header "X-Content-Type-Options" set to "nosniff"

  Scenario: two ready pods on one node count twice
    Given a pod "web-3" in namespace "shop" on node "node-a" labelled "app=web" listening on TCP port 8080
    When the load balancer asks the health check of service "web" in namespace "shop" on node "node-a"
    Then it answers 200 with 2 local endpoints

  Scenario: a pod that is not ready is no local endpoint
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata: {name: web-3, namespace: shop, labels: {app: web}}
      spec:
        nodeName: node-c
        containers: [{name: app, image: nginx, ports: [{containerPort: 8080}]}]
      status:
        phase: Running
        podIP: 10.244.2.9
        conditions: [{type: Ready, status: "False"}]
      """
    Then the health check of service "web" in namespace "shop" on node "node-c" answers 503

  Scenario: kube-proxy's own /healthz answers 200 on an eligible node
    Then kube-proxy's "/healthz" on node "node-c" answers 200
    And kube-proxy's "/metrics" on node "node-c" answers 404
