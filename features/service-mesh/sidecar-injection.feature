Feature: The sidecar pattern: Istio injects a proxy into every pod of the mesh
  A service mesh puts a proxy beside each app: Istio's injector, a mutating admission webhook,
  adds an istio-init container (which writes the pod's iptables rules) and an istio-proxy
  container (Envoy, running as UID 1337) to each pod it admits. Which pods it injects is decided
  by labels: a namespace labelled istio-injection=enabled (or istio.io/rev) injects its pods, a
  pod labelled sidecar.istio.io/inject=false opts out, one labelled "true" opts in even in an
  unlabelled namespace, and hostNetwork pods are never injected. `netspec get pods -o yaml` shows
  the pods as the API server holds them, sidecar included.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a namespace "shop" labelled "istio-injection=enabled"
    And a namespace "batch"
    And the manifest:
      """yaml
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: cart, namespace: shop}
      spec:
        replicas: 2
        selector: {matchLabels: {app: cart}}
        template:
          metadata: {labels: {app: cart}}
          spec: {containers: [{name: cart, image: cart:2, ports: [{containerPort: 7070}]}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: migrate, namespace: shop, labels: {sidecar.istio.io/inject: "false"}}
      spec: {containers: [{name: migrate, image: tools:1}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: report, namespace: batch, labels: {sidecar.istio.io/inject: "true"}}
      spec: {containers: [{name: report, image: tools:1}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: agent, namespace: shop}
      spec: {hostNetwork: true, containers: [{name: agent, image: agent:1}]}
      """

  Scenario: a labelled namespace injects every pod of its workloads
    Then every pod labelled "app=cart" in namespace "shop" has a sidecar

  Scenario: the pod label decides over the namespace, either way
    Then pod "migrate" in namespace "shop" has no sidecar
    And pod "report" in namespace "batch" has a sidecar

  Scenario: hostNetwork pods share the node's network namespace and are never injected
    Then pod "agent" in namespace "shop" has no sidecar
