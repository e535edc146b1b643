Feature: A Service's pods are chosen by labels, and follow the pods as they come and go
  A Service does not list its pods. It holds a label selector, and the EndpointSlice controller
  keeps the Service's EndpointSlices up to date with the pods that match it in the same namespace:
  each pod's IP, the port its targetPort names, and whether it is ready. kube-proxy only sends new
  connections to ready endpoints, so a pod that fails its readiness probe or goes away stops
  receiving traffic without anyone editing the Service. A pod being deleted is "terminating": it is
  no longer ready, but while it still passes its readiness probe it is "serving", and kube-proxy
  falls back to such pods when no endpoint at all is ready. When no endpoint is left, kube-proxy
  rejects connections to the Service outright (ICMP port unreachable, "connection refused" for the
  client) instead of letting them time out.

  A Service without a selector gets no EndpointSlices from the controller: whoever creates it also
  writes its EndpointSlices by hand (label kubernetes.io/service-name), for instance to put an
  address outside the cluster behind a stable ClusterIP.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a pod "client" in namespace "shop" on node "node-a"
    And a pod "web-1" in namespace "shop" on node "node-a" labelled "app=web" listening on TCP port 8080
    And a pod "web-2" in namespace "shop" on node "node-b" labelled "app=web" listening on TCP port 8080
    And a pod "admin" in namespace "shop" on node "node-b" labelled "app=admin" listening on TCP port 8080
    And a service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080

  Scenario: the selector picks the pods with matching labels
    Then the endpoints of service "web" in namespace "shop" are the pods "web-1" and "web-2"

  Scenario: a pod that stops being ready stops receiving new connections
    When pod "web-1" in namespace "shop" stops being ready
    Then the endpoints of service "web" in namespace "shop" are the pods "web-2"
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80 200 times
    Then every connection went to the same pod
    And the connection is delivered to pod "web-2"

  Scenario: a deleted pod disappears from the endpoints
    When pod "web-2" in namespace "shop" is deleted
    Then the endpoints of service "web" in namespace "shop" are the pods "web-1"

  Scenario: a pod that gains the label joins the Service
    When pod "admin" in namespace "shop" is labelled "app=web"
    Then the endpoints of service "web" in namespace "shop" are the pods "web-1", "web-2" and "admin"

  Scenario: a pod in another namespace never joins, whatever its labels
    Given a pod "web-x" in namespace "other" on node "node-a" labelled "app=web" listening on TCP port 8080
    Then the endpoints of service "web" in namespace "shop" are the pods "web-1" and "web-2"

  Scenario: with no ready endpoint left, kube-proxy rejects the connection
    When pod "web-1" in namespace "shop" is deleted
    And pod "web-2" in namespace "shop" is deleted
    Then service "web" in namespace "shop" has no ready endpoints
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80
    Then the connection is rejected
    And the trace mentions "shop/web has no endpoints"

  Scenario: a terminating pod gets no new connection while another pod is ready
    When pod "web-1" in namespace "shop" is terminating
    Then the endpoints of service "web" in namespace "shop" are the pods "web-2"
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80 200 times
    Then every connection went to the same pod
    And the connection is delivered to pod "web-2"

  Scenario: with no ready pod left, kube-proxy falls back to a terminating pod that still serves
    # KEP-1669 ProxyTerminatingEndpoints: pkg/proxy/topology.go CategorizeEndpoints uses the
    # serving, terminating endpoints when no endpoint is ready
    When pod "web-2" in namespace "shop" is deleted
    And pod "web-1" in namespace "shop" is terminating
    Then service "web" in namespace "shop" has no ready endpoints
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80
    Then the connection is delivered to pod "web-1"

  Scenario: a Service without a selector uses the EndpointSlices written for it
    Given a service "legacy-db" in namespace "shop" without a selector mapping port 5432 to 5432
    And the EndpointSlice "legacy-db-1" in namespace "shop" for service "legacy-db" lists "192.168.10.5" on port 5432
    When pod "client" in namespace "shop" connects to service "legacy-db" on TCP port 5432
    Then kube-proxy rewrote the destination to "192.168.10.5:5432"
    And the connection leaves the cluster through node "node-a"

  Scenario: a Pending pod from a cluster snapshot has no address and is no endpoint
    A pod as `kubectl get pods -o yaml` shows it while its sandbox is being created: scheduled,
    phase Pending, no status.podIP yet. netspec keeps it so (the CNI is not asked for an address
    on its behalf), and the EndpointSlice controller leaves it out altogether, not even as a
    not-ready endpoint: ShouldPodBeInEndpoints (pkg/controller/util/endpoint) skips a pod with
    neither podIP nor podIPs.
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata: {name: web-3, namespace: shop, labels: {app: web}}
      spec:
        nodeName: node-b
        containers: [{name: app, image: nginx, ports: [{containerPort: 8080}]}]
      status:
        phase: Pending
        conditions: [{type: PodScheduled, status: "True"}]
      """
    Then pod "web-3" in namespace "shop" has no IP
    And pod "web-3" in namespace "shop" is no endpoint of service "web"
    And the endpoints of service "web" in namespace "shop" are the pods "web-1" and "web-2"
    When pod "client" in namespace "shop" connects to pod "web-3" in namespace "shop" on TCP port 8080
    Then the connection is unreachable
    And the trace mentions "has no IP (phase Pending, and its status has no podIP yet)"
