Feature: Discovery by environment variables, and why DNS is better
  Before cluster DNS, Kubernetes told containers about services through environment variables,
  Docker-links style, and the kubelet still sets them: for every service of the pod's namespace
  with a ClusterIP — and always for the `kubernetes` service of `default` — WEB_SERVICE_HOST,
  WEB_SERVICE_PORT (the first port), WEB_SERVICE_PORT_<NAME> for named ports, and WEB_PORT_80_TCP
  with its _PROTO, _PORT and _ADDR. Names are upper-cased, dashes become underscores.

  They have limits DNS does not: only services that existed when the container started are there
  (a service created later is invisible until the pod restarts; netspec treats every service as
  created first), only the pod's own namespace is covered, and headless and ExternalName services
  have no address to give. `enableServiceLinks: false` turns them off (the `kubernetes` service
  stays). A container's own `env` wins over a service variable of the same name.

  Background:
    Given a cluster with node "node-a"
    And the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: web-api
        namespace: shop
      spec:
        clusterIP: 10.96.0.20
        selector:
          app: web
        ports:
        - name: http
          port: 80
          targetPort: 8080
        - name: grpc
          port: 9000
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: db
        namespace: shop
      spec:
        clusterIP: None
        selector:
          app: db
        ports:
        - port: 5432
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: partner
        namespace: shop
      spec:
        type: ExternalName
        externalName: api.partner.example
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: web-api
        namespace: blog
      spec:
        clusterIP: 10.96.0.30
        selector:
          app: web
        ports:
        - port: 80
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: client
        namespace: shop
      spec:
        containers:
        - name: app
          image: app
          env:
          - name: WEB_API_SERVICE_PORT
            value: "8443"
          - name: API_URL
            value: http://$(WEB_API_SERVICE_HOST):$(WEB_API_SERVICE_PORT_HTTP)
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: quiet
        namespace: shop
      spec:
        enableServiceLinks: false
        containers:
        - name: app
          image: app
      """

  Scenario: each service of the namespace becomes a set of variables
    Then pod "client" in namespace "shop" has the environment variables:
      | name                         | value                |
      | WEB_API_SERVICE_HOST         | 10.96.0.20           |
      | WEB_API_SERVICE_PORT_HTTP    | 80                   |
      | WEB_API_SERVICE_PORT_GRPC    | 9000                 |
      | WEB_API_PORT                 | tcp://10.96.0.20:80  |
      | WEB_API_PORT_80_TCP          | tcp://10.96.0.20:80  |
      | WEB_API_PORT_80_TCP_PROTO    | tcp                  |
      | WEB_API_PORT_80_TCP_PORT     | 80                   |
      | WEB_API_PORT_80_TCP_ADDR     | 10.96.0.20           |
      | WEB_API_PORT_9000_TCP        | tcp://10.96.0.20:9000 |
      | KUBERNETES_SERVICE_HOST      | 10.96.0.1            |
      | KUBERNETES_SERVICE_PORT      | 443                  |

  Scenario: the container's own env wins, and can use service variables
    Then pod "client" in namespace "shop" has the environment variables:
      | name                 | value                   |
      | WEB_API_SERVICE_PORT | 8443                    |
      | API_URL              | http://10.96.0.20:80    |

  Scenario: headless and ExternalName services have no variables; other namespaces neither
    Then pod "client" in namespace "shop" has no environment variables starting with "DB_"
    And pod "client" in namespace "shop" has no environment variables starting with "PARTNER_"
    And pod "client" in namespace "shop" has the environment variables:
      | name                 | value      |
      | WEB_API_SERVICE_HOST | 10.96.0.20 |

  Scenario: enableServiceLinks false keeps only the kubernetes service
    Then pod "quiet" in namespace "shop" has no environment variables starting with "WEB_API_"
    And pod "quiet" in namespace "shop" has the environment variables:
      | name                    | value     |
      | KUBERNETES_SERVICE_HOST | 10.96.0.1 |

  Scenario: DNS finds what the variables cannot: other namespaces and headless services
    Given the upstream DNS answers "example.com" with A 93.184.216.34
    Then these names resolve from pod "quiet" in namespace "shop":
      | name         | answer        |
      | web-api      | A 10.96.0.20  |
      | web-api.blog | A 10.96.0.30  |
