Feature: netspec reads the manifests you already have
  You do not describe your cluster twice. netspec reads the same YAML and JSON you give kubectl:
  a folder of manifests (read recursively, in name order, .yaml, .yml and .json files only),
  multi-document YAML separated by ---, the `kind: List` that `kubectl get … -o yaml` prints,
  Helm or kustomize output as it is, or a manifest written right into a feature as a doc string.
  Every object remembers the file and line it came from, so that an error, or the trace of a
  packet, can point at the very line that decided. A kind netspec does not model (a CRD such
  as a cert-manager Certificate) is not silently dropped: loading warns and names it.

  Scenario: a folder of manifests, read recursively; every object keeps its file and line
    The folder k8s/shop holds a List dump of the nodes, a multi-document web.yaml, a JSON pod
    in a sub-folder and a README that is not a manifest.
    Given the manifests in "k8s/shop"
    Then these objects were loaded:
      | kind       | namespace | name     | file                   | line |
      | Node       |           | worker-1 | k8s/shop/nodes.yaml    | 5    |
      | Node       |           | worker-2 | k8s/shop/nodes.yaml    | 15   |
      | Namespace  |           | shop     | k8s/shop/web.yaml      | 1    |
      | Deployment | shop      | web      | k8s/shop/web.yaml      | 6    |
      | Service    | shop      | web      | k8s/shop/web.yaml      | 27   |
      | Pod        | shop      | cache    | k8s/shop/data/cache.json | 1 |
    And the cluster holds 2 objects of kind "Node" read from the input
    And pod "cache" in namespace "shop" runs on node "worker-2"
    And the pods labelled "app=web" in namespace "shop" are spread over the nodes like this:
      | node     | pods |
      | worker-1 | 1    |
      | worker-2 | 1    |

  Scenario: a manifest written in the feature; its lines are the feature file's lines
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Node
      metadata:
        name: node-a
      ---
      # a comment and an empty document are fine
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: client
        namespace: shop
      spec:
        containers:
        - name: app
          image: busybox
      """
    Then these objects were loaded:
      | kind | namespace | name   | line |
      | Node |           | node-a | 32   |
      | Pod  | shop      | client | 39   |
    And pod "client" in namespace "shop" runs on node "node-a"

  Scenario: a kubectl List dump, typed lists included, is unpacked into its items
    `kubectl get pods -o yaml` prints a List; the API itself returns typed lists (a PodList)
    whose items carry no kind. Both are read item by item, each at its own line.
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: List
      metadata:
        resourceVersion: ""
      items:
      - apiVersion: v1
        kind: Node
        metadata:
          name: node-a
      - apiVersion: v1
        kind: Pod
        metadata:
          name: web-1
          namespace: shop
        spec:
          nodeName: node-a
          containers:
          - name: app
            image: nginx
      ---
      apiVersion: v1
      kind: PodList
      items:
      - metadata:
          name: web-2
          namespace: shop
        spec:
          nodeName: node-a
          containers:
          - name: app
            image: nginx
      """
    Then these objects were loaded:
      | kind | namespace | name   | line |
      | Node |           | node-a | 65   |
      | Pod  | shop      | web-1  | 69   |
      | Pod  | shop      | web-2  | 83   |

  Scenario: JSON is read too, with positions
    Given the manifest:
      """json
      {
        "apiVersion": "v1",
        "kind": "List",
        "items": [
          { "apiVersion": "v1", "kind": "Node", "metadata": { "name": "node-a" } },
          { "apiVersion": "v1", "kind": "Node", "metadata": { "name": "node-b" } }
        ]
      }
      """
    Then these objects were loaded:
      | kind | name   | line |
      | Node | node-a | 105  |
      | Node | node-b | 106  |

  Scenario: a kind netspec does not model is a warning that names it, never a silent drop
    Given a cluster with node "node-a"
    And the manifest:
      """yaml
      apiVersion: cert-manager.io/v1
      kind: Certificate
      metadata:
        name: shop-tls
        namespace: shop
      spec:
        secretName: shop-tls
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: client
        namespace: shop
      spec:
        containers:
        - name: app
          image: busybox
      """
    Then the cluster loads with these warnings:
      | code            | line | message                                   |
      | NS-UNKNOWN-KIND | 119  | Certificate "shop-tls" (cert-manager.io/v1) |
    And the cluster holds 1 object of kind "Pod" read from the input
