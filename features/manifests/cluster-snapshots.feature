Feature: A snapshot of the cluster you really run
  The quickest way to point netspec at a live cluster is a snapshot of it:

      kubectl get pods,services,deployments,replicasets,statefulsets,daemonsets,ingresses,ingressclasses,networkpolicies,configmaps -A -o yaml > snapshot.yaml

  (add `nodes` if you may list them, and `endpointslices` if you want the slices as the cluster has
  them; `-o json` works as well). The kinds that matter are the ones that carry traffic: pods,
  Services, Ingresses, NetworkPolicies, and the `coredns` ConfigMap. `--show-managed-fields` is not
  needed: netspec passes over `metadata.managedFields`, as `kubectl get` hides it.

  A snapshot is one file of any size — netspec limits objects, not files, where the API server does:
  a request body over 3 MiB is refused by kube-apiserver, an object over 1.5 MiB by etcd, ConfigMap
  and Secret data over 1 MiB by validation. A large file is read object by object, so memory follows
  the objects, not the text.

  What a snapshot says is taken as the truth: a pod's node, hostIP, podIP(s), phase and conditions
  are kept as given (a pod whose Ready condition is False is not an endpoint); pods a ReplicaSet
  already owns are not made again; a Service keeps its clusterIP and its status.loadBalancer.
  Nodes the pods name but the snapshot lacks (you may not be allowed to list Nodes) are made from
  their pods — the pods' hostIP as the node's address, a podCIDR covering the pods' addresses — and
  said in a warning. Pod addresses outside the configured pod subnet are taken as pod network too
  (the cluster evidently routes them), with a warning: give the cluster's kubeadm
  ClusterConfiguration or CNI configuration alongside to be exact.

  Background:
    Given the manifest:
      """yaml
      apiVersion: v1
      items:
      - apiVersion: v1
        kind: Pod
        metadata:
          labels:
            app: frontend
          managedFields:
          - apiVersion: v1
            fieldsType: FieldsV1
            fieldsV1:
              f:metadata:
                f:labels:
                  .: {}
                  f:app: {}
              f:spec:
                f:containers:
                  k:{"name":"main"}:
                    .: {}
                    f:image: {}
            manager: kube-controller-manager
            operation: Update
            time: "2026-11-30T09:12:44Z"
          name: frontend-7d4b9c-x2x9q
          namespace: shop
          resourceVersion: "48213"
          uid: 7f1e0d52-3a8c-4a1e-9d51-0c6f1b1a2e01
        spec:
          containers:
          - image: registry.example/frontend:1.4.2
            name: main
          nodeName: worker-7
        status:
          hostIP: 172.18.0.9
          phase: Running
          podIP: 10.244.7.12
          podIPs:
          - ip: 10.244.7.12
      - apiVersion: v1
        kind: Pod
        metadata:
          labels:
            app: cart
          name: cart-5f8d6-q8m2w
          namespace: shop
          resourceVersion: "48377"
          uid: 1c2b7e0a-5d3f-4b8e-8a11-7e2d9c4f3b02
        spec:
          containers:
          - image: registry.example/cart:2.0.1
            name: main
            ports:
            - containerPort: 7070
              name: grpc
              protocol: TCP
          nodeName: worker-3
        status:
          conditions:
          - lastProbeTime: null
            lastTransitionTime: "2026-11-30T09:13:02Z"
            status: "True"
            type: Ready
          hostIP: 172.18.0.5
          phase: Running
          podIP: 10.244.3.4
          podIPs:
          - ip: 10.244.3.4
      - apiVersion: v1
        kind: Service
        metadata:
          annotations:
            kubectl.kubernetes.io/last-applied-configuration: |
              {"apiVersion":"v1","kind":"Service","metadata":{"annotations":{},"name":"cart","namespace":"shop"},"spec":{"ports":[{"port":7070,"targetPort":"grpc"}],"selector":{"app":"cart"}}}
          name: cart
          namespace: shop
          resourceVersion: "40007"
          uid: 9a0c3e51-2b7d-4f6a-b1c8-3d5e7f9a1b03
        spec:
          clusterIP: 10.96.140.23
          clusterIPs:
          - 10.96.140.23
          ports:
          - port: 7070
            protocol: TCP
            targetPort: grpc
          selector:
            app: cart
          type: ClusterIP
        status:
          loadBalancer: {}
      kind: List
      metadata:
        resourceVersion: ""
      """

  Scenario: a snapshot without Node objects: the nodes are made from the pods that ran on them
    Then the cluster loads with these warnings:
      | code             | line | message                                                      |
      | NS-INFERRED-NODE | 83   | 2 nodes named by pods but absent from the input              |
    And the nodes are, in order:
      | node     | IP         | podCIDR        |
      | worker-3 | 172.18.0.5 | 10.244.3.0/24  |
      | worker-7 | 172.18.0.9 | 10.244.7.0/24  |
    And pod "cart-5f8d6-q8m2w" in namespace "shop" has IP 10.244.3.4

  Scenario: the snapshot answers as the cluster would, through the Service it holds
    When pod "frontend-7d4b9c-x2x9q" in namespace "shop" connects to "cart.shop.svc.cluster.local" on TCP port 7070
    Then the connection is delivered to pod "cart-5f8d6-q8m2w"
