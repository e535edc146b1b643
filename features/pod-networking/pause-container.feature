Feature: Containers of a pod share one network namespace
  Before any container of a pod starts, the kubelet asks the container runtime for a sandbox: a
  tiny "pause" container whose only job is to hold the pod's network namespace. The CNI plugin
  gives that namespace its eth0 and the pod IP, and every app container then joins it. So the
  containers of a pod share one IP address and one set of ports: they reach each other on
  localhost, and two of them cannot listen on the same port. Because the address belongs to the
  sandbox, not to an app container, it survives the restart of a container.

  Background:
    Given a cluster with node "node-a"
    And a pod "web-1" in namespace "shop" with containers:
      | container | port | protocol |
      | app       | 8080 | TCP      |
      | metrics   | 9090 | TCP      |
      | log-agent |      |          |

  Scenario: a sidecar reaches the app on localhost, without leaving the pod
    When container "metrics" of pod "web-1" in namespace "shop" connects to "localhost" on TCP port 8080
    Then the connection is delivered to container "app"
    And the trace passes through "pod/shop/web-1/lo"
    And the trace does not pass through "node/node-a"

  Scenario: the pod IP is local to every container of the pod
    When container "log-agent" of pod "web-1" in namespace "shop" connects to "shop/web-1" on TCP port 9090
    Then the connection is delivered to container "metrics"
    And the trace does not pass through "node/node-a/cni0"

  Scenario: a port that no container declares is refused, even on localhost
    When container "app" of pod "web-1" in namespace "shop" connects to "127.0.0.1" on TCP port 5000
    Then the connection is refused

  Scenario: the pod IP survives the restart of an app container
    When container "app" of pod "web-1" in namespace "shop" restarts
    Then pod "web-1" in namespace "shop" keeps its IP

  Scenario: two containers of a pod declaring the same port: the API server warns, and only the first can listen
    The API server accepts the pod with a warning (pkg/api/pod/warnings.go, "duplicate port
    definition"); on the node the second container would fail to bind. netspec warns at the repeat
    and sends the connections to the container listed first.
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: clash
        namespace: shop
      spec:
        containers:
        - name: app
          image: nginx
          ports:
          - containerPort: 8080
        - name: proxy
          image: envoyproxy/envoy
          ports:
          - containerPort: 8080
      """
    Then the cluster loads with these warnings:
      | code              | line | message                                                                                 |
      | NS-CONTAINER-PORT | 56   | spec.containers[1].ports[0]: duplicate port definition with spec.containers[0].ports[0] |
    When container "metrics" of pod "web-1" in namespace "shop" connects to "shop/clash" on TCP port 8080
    Then the connection is delivered to container "app"
