Feature: Bad input is reported all at once, each error at its file, line and column
  A typo in a manifest should cost you one run, not ten. netspec checks its input the way the
  API server would — the Kubernetes schema, names, IP addresses and CIDRs, port ranges, label
  selectors, containers sharing a pod's network namespace — and then the checks the control
  plane makes: pods pinned to nodes that do not exist, addresses outside their range or already
  taken. It collects every problem before it stops, and reports each with a stable code (NS-…),
  its file:line:col, and a one-line hint on how to fix it. Nothing is run on bad input, nothing
  is skipped silently, and there is never a stack trace. `netspec get` and `netspec connect` exit
  with 2 and print the same list.

  In a doc string the positions are lines of the feature file itself.

  Scenario: three mistakes in one manifest are three errors, reported together
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: Web_Shop
        namespace: shop
      spec:
        selector:
          app: web
        ports:
        - name: http
          port: 80
          targetPort: 8080
          protocol: tcp
        - name: https
          port: 443
          targetPort: 100000
      """
    Then loading fails with these errors:
      | code            | line | col | message                           |
      | NS-INVALID-NAME | 19   | 15  | name "Web_Shop" is invalid        |
      | NS-PROTOCOL     | 28   | 21  | protocol "tcp" is not supported   |
      | NS-PORT-RANGE   | 31   | 23  | targetPort 100000 is out of range |

  Scenario: a folder with three broken files reports all three
    Given the manifests in "k8s/broken"
    Then loading fails with these errors:
      | file                            | code                 | line | col |
      | k8s/broken/1-syntax.yaml        | NS-YAML-SYNTAX       | 6    | 1   |
      | k8s/broken/2-service.yaml       | NS-PORT-RANGE        | 10   | 11  |
      | k8s/broken/apps/3-deployment.yml | NS-SELECTOR-OPERATOR | 10  | 17  |

  Scenario: a port two containers of one pod both declare is the API server's warning, at the repeat
    The containers of a pod share one network namespace, so only one of them can listen on
    TCP 8080. The API server accepts the pod and warns (kubectl apply prints "Warning: …"),
    naming the repeat and the first declaration, as pkg/api/pod/warnings.go words it.
    Given a cluster with node "node-a"
    And the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: web-1
        namespace: shop
      spec:
        containers:
        - name: app
          image: nginx
          ports:
          - containerPort: 8080
        - name: metrics
          image: exporter
          ports:
          - containerPort: 8080
      """
    Then the cluster loads with these warnings:
      | code              | line | message                                                                          |
      | NS-CONTAINER-PORT | 68   | spec.containers[1].ports[0]: duplicate port definition with spec.containers[0].ports[0] |

  Scenario: a misspelt field is refused as kubectl's strict field validation refuses it, at the key, with the field meant
    Since Kubernetes 1.27 kubectl asks the API server for strict field validation: a field the
    schema does not declare fails the whole object ("strict decoding error: unknown field …")
    instead of being dropped without a word. Objects that carry a uid and resourceVersion (a
    dump of what an API server already stored) are not checked again.
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: web
        namespace: shop
      spec:
        type: NodePort
        selector:
          app: web
        ports:
        - port: 80
          nodeport: 30080
          targetPort: 8080
      """
    Then loading fails with these errors:
      | code             | line | col | message                                                       | hint                     |
      | NS-UNKNOWN-FIELD | 92   | 11  | strict decoding error: unknown field "spec.ports[0].nodeport" | did you mean "nodePort"? |

  Scenario: a bad label key is reported at the key, "__proto__" included
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: web-1
        namespace: shop
        labels:
          app: web
          __proto__: admin
      spec:
        nodeSelector:
          disk type: ssd
        containers: [{name: app, image: nginx}]
      """
    Then loading fails with these errors:
      | code     | line | col | message                        |
      | NS-LABEL | 109  | 11  | label key "__proto__" is invalid |
      | NS-LABEL | 112  | 11  | label key "disk type" is invalid |

  Scenario: two Services claiming one clusterIP or nodePort: the later one is refused, naming the first
    kubectl apply creates objects in the order it reads them, so the first claim wins and the
    later object is the one the allocator refuses ("provided IP is already allocated").
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: shop}
      spec:
        type: NodePort
        clusterIP: 10.96.0.50
        ports: [{port: 80, nodePort: 30080}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: api, namespace: shop}
      spec:
        type: NodePort
        clusterIP: 10.96.0.50
        ports: [{port: 80, nodePort: 30080}]
      """
    Then loading fails with these errors:
      | code                 | line | message                                                                           |
      | NS-IP-CONFLICT       | 138  | Service shop/api: clusterIP 10.96.0.50 is already allocated to Service shop/web (features/manifests/bad-input.feature:130:20) |
      | NS-NODEPORT-CONFLICT | 139  | Service shop/api: nodePort 30080 is already allocated to Service shop/web (features/manifests/bad-input.feature:131:38) |

  Scenario: the control plane's checks: unknown nodes, addresses outside the range or taken twice
    The pod subnet is 10.244.0.0/16 and node-a, the first node, owns 10.244.0.0/24.
    Given a cluster with nodes "node-a" and "node-b"
    And the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: web-1
        namespace: shop
      spec:
        nodeName: node-a
        containers: [{name: app, image: nginx}]
      status:
        podIP: 10.244.0.50
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: web-2
        namespace: shop
      spec:
        nodeName: node-a
        containers: [{name: app, image: nginx}]
      status:
        podIP: 10.244.0.50
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: web-3
        namespace: shop
      spec:
        nodeName: node-a
        containers: [{name: app, image: nginx}]
      status:
        podIP: 10.244.1.7
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: web-4
        namespace: shop
      spec:
        nodeName: node-c
        containers: [{name: app, image: nginx}]
      """
    Then loading fails with these errors:
      | code            | line | message                                          |
      | NS-IP-CONFLICT  | 171  | IP 10.244.0.50 is already the address of Pod shop/web-1 |
      | NS-POD-IP-RANGE | 182  | IP 10.244.1.7 is outside the podCIDR of its node node-a |
      | NS-UNKNOWN-NODE | 190  | pinned to node "node-c", which does not exist    |

  Scenario: two objects of one kind cannot share a name in a namespace
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Namespace
      metadata:
        name: shop
      ---
      apiVersion: v1
      kind: Namespace
      metadata:
        name: shop
      """
    Then loading fails with these errors:
      | code              | line | message                            |
      | NS-DUPLICATE-NAME | 210  | Namespace shop is defined twice    |

  Scenario: a YAML alias bomb is refused at once, not expanded until memory runs out
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: lol
      data:
        a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
        i: [*h,*h,*h,*h,*h,*h,*h,*h,*h]
      """
    Then loading fails with these errors:
      | code            | line |
      | NS-YAML-ALIASES | 219  |

  Scenario: a file named on purpose that holds no object is an error, as kubectl apply says
    A folder may hold files without objects; a file or stdin named explicitly may not (kubectl
    apply: "error: no objects passed to apply"), since a wrong path would otherwise pass vacuously.
    Given the manifest in "k8s/empty/only-comments.yaml"
    Then loading fails with these errors:
      | file                         | code          | line | col | message                                                        |
      | k8s/empty/only-comments.yaml | NS-NO-OBJECTS | 1    | 1   | holds no objects (kubectl apply says "no objects passed to apply") |

  Scenario: an unterminated quote is reported at the line the quote opens, not where the file ends
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: "web
        namespace: shop
      spec:
        ports: [{port: 80}]
      """
    Then loading fails with these errors:
      | code           | line | col |
      | NS-YAML-SYNTAX | 252  | 15  |

  Scenario: an alias to an anchor of another document is reported at the alias
    An anchor reaches only to the end of its document ("---" starts a new one).
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: a, namespace: shop}
      data: &shared {mode: strict}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: b, namespace: shop}
      data: *shared
      """
    Then loading fails with these errors:
      | code          | line | col | message                                 |
      | NS-YAML-ALIAS | 273  | 13  | refers to no anchor &shared in this document |
