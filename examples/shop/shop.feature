Feature: The shop: a small real app, specified end to end
  This is the example to copy. examples/shop/k8s holds the manifests of a small online shop as
  they would be applied with `kubectl apply -f k8s/`, plus what describes the cluster they run on:
  kubeadm's ClusterConfiguration and the nodes as `kubectl get nodes -o yaml` lists them.

    k8s/cluster/kubeadm.yaml   pod and service ranges, DNS domain
    k8s/cluster/nodes.yaml     a tainted control-plane node and two workers
    k8s/apps/frontend.yaml     nginx ×2, a ClusterIP Service and a LoadBalancer for customers
    k8s/apps/cart.yaml         the cart API ×2, its Service targeting the container port named grpc
    k8s/apps/redis.yaml        a StatefulSet with a headless Service: one DNS name per replica
    k8s/apps/toolbox.yaml      a debugging pod an operator would exec into

  The scenarios below say how traffic is meant to flow, in the words you would use to explain
  it to a new team member. netspec checks them against the cluster these files describe, offline;
  run the same checks by hand with `netspec get pods -f examples/shop/k8s -o wide` or
  `netspec connect -f examples/shop/k8s --from shop/deployment/frontend --to svc/cart -n shop --port 7070 --expect delivered`
  (exit 1 with a one-line reason when the verdict differs: a CI step can assert with it).

  The specs name workloads, labels and Services, never a generated pod name (frontend-54df79778b-…)
  or an allocated IP: bumping an image tag renames every pod and the specs still hold. "A pod of
  deployment frontend" is one representative, the first ready pod in name order, named in the trace.

  Background:
    Given the manifests in "k8s"

  Scenario: the cluster is built as kubeadm and the node list say
    Then the cluster configuration is:
      | setting        | value         |
      | pod subnet     | 10.244.0.0/16 |
      | service subnet | 10.96.0.0/16  |
      | DNS domain     | cluster.local |
      | cluster DNS    | 10.96.0.10    |
    And the nodes are, in order:
      | node     | podCIDR       | IP            |
      | cp-1     | 10.244.0.0/24 | 192.168.56.10 |
      | worker-1 | 10.244.1.0/24 | 192.168.56.11 |
      | worker-2 | 10.244.2.0/24 | 192.168.56.12 |

  Scenario: the control-plane taint keeps the shop's pods on the workers, spread evenly
    Then the pods labelled "app.kubernetes.io/part-of=shop" in namespace "shop" are spread over the nodes like this:
      | node     | pods |
      | worker-1 | 3    |
      | worker-2 | 3    |
    And the pods labelled "app.kubernetes.io/name=redis" in namespace "shop" are named "redis-0" and "redis-1"
    And every pod IP lies in the podCIDR of its node

  Scenario: inside the cluster, the storefront answers at its Service name
    When pod "toolbox" in namespace "shop" connects to "frontend.shop.svc.cluster.local" on TCP port 80
    Then the connection is delivered to a pod labelled "app.kubernetes.io/name=frontend" on port 8080
    And kube-proxy rewrote the destination from the service IP to the pod IP

  Scenario: the cart's Service reaches the container port named grpc
    When pod "toolbox" in namespace "shop" connects to "cart.shop.svc.cluster.local" on TCP port 7070
    Then the connection was delivered to one of the pods of service "cart" in namespace "shop"
    And the connection is delivered to container "cart"
    And the connection lands on a pod of deployment "cart" in namespace "shop" on its port named "grpc"

  Scenario: the storefront talks to the cart, whichever of its pods asks
    When a pod of deployment "frontend" in namespace "shop" connects to "svc/cart" on TCP port 7070
    Then the connection is delivered to a pod of deployment "cart" in namespace "shop" on its port named "grpc"
    And the trace mentions "one of 2 pods of deployment shop/frontend"
    And every pod of deployment "frontend" in namespace "shop" connecting to "svc/cart" on TCP port 7070 is delivered
    And every pod labelled "app.kubernetes.io/name=frontend" in namespace "shop" connecting to "cart" on TCP port 7070 is delivered

  Scenario: service names resolve to what the control plane allocated, whatever it was
    When a pod of deployment "frontend" in namespace "shop" looks up "cart"
    Then the answer is the cluster IP of service "cart" in namespace "shop"
    When a pod of deployment "frontend" in namespace "shop" looks up "redis.shop.svc.cluster.local"
    Then the answers are the pod IPs of statefulset "redis" in namespace "shop"

  Scenario: each redis replica has its own name, with no virtual IP in front of it
    The Service "redis" is headless (clusterIP: None): DNS answers with the pod's own address,
    so the connection goes straight to it and kube-proxy has nothing to rewrite.
    When pod "toolbox" in namespace "shop" connects to "redis-0.redis.shop.svc.cluster.local" on TCP port 6379
    Then the connection is delivered to pod "redis-0" in namespace "shop"
    And kube-proxy did not rewrite the destination
    And no address translation happened

  Scenario: customers come in through any worker's node port, or the load balancer
    The cloud provider gives the LoadBalancer its address (without one it stays <pending>).
    Given the cloud provider assigns load balancer addresses from 198.51.100.0/24
    When a client at 203.0.113.50 outside the cluster connects to the node port of service "frontend-public" in namespace "shop" on node "worker-1"
    Then the connection is delivered to a pod labelled "app.kubernetes.io/name=frontend" on port 8080
    And kube-proxy masqueraded the source
    When a client at 203.0.113.50 outside the cluster connects to the load balancer IP of service "frontend-public" in namespace "shop" through node "worker-2"
    Then the connection is delivered to a pod labelled "app.kubernetes.io/name=frontend" on port 8080

  Scenario: what the toolbox can reach, at a glance
    Then these connections have these verdicts:
      | from         | to                                    | port | verdict   |
      | shop/toolbox | frontend.shop.svc.cluster.local       | 80   | delivered |
      | shop/toolbox | cart.shop.svc.cluster.local           | 7070 | delivered |
      | shop/toolbox | cart                                  | 7070 | delivered |
      | shop/toolbox | redis-1.redis.shop.svc.cluster.local  | 6379 | delivered |
      | shop/toolbox | shop/redis-1                          | 6379 | delivered |
      | shop/toolbox | shop/redis-1                          | 6380 | refused   |
      | shop/toolbox | svc/frontend                          | 80   | delivered |
      | shop/toolbox | shop/statefulset/redis                | 6379 | delivered |
      | shop/deployment/frontend | svc/cart                  | 7070 | delivered |
      | shop/app.kubernetes.io/name=cart | svc/redis         | 6379 | delivered |
