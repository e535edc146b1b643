Feature: Headless services name each pod: the DNS of stateful sets
  A Service with clusterIP: None has no virtual address. Its DNS name answers the addresses of its
  ready endpoints instead — every pod, not one stable IP — so a client can pick one, or all. With
  no ready endpoint the name does not exist at all (NXDOMAIN), not even as an empty answer.

  Each endpoint also gets a name of its own, <hostname>.<service>.<namespace>.svc.<domain>. A
  StatefulSet whose serviceName is the headless service gives its pods the hostname web-0, web-1…
  and the subdomain of the service, so db-0.db.shop.svc.cluster.local always names the same member
  — even after the pod is rescheduled with a new IP. Endpoints without a hostname are named after
  their address, dashes for dots (10-244-0-5). SRV records list one entry per endpoint and port.

  Background:
    Given a cluster with node "node-a"
    And a pod "client" in namespace "shop"
    And a statefulset "db" in namespace "shop" with 2 replicas labelled "app=db" listening on TCP port 5432
    And the manifest:
      """yaml
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
        - name: postgres
          port: 5432
      """

  Scenario: the headless name answers every ready pod
    When pod "client" in namespace "shop" looks up "db"
    Then the answers are the addresses of pods "db-0" and "db-1" in namespace "shop"

  Scenario: each member of the stateful set has a stable name
    When pod "client" in namespace "shop" looks up "db-0.db"
    Then the answer is the address of pod "db-0" in namespace "shop"
    When the cluster DNS is asked for "db-1.db.shop.svc.cluster.local"
    Then the answer is the address of pod "db-1" in namespace "shop"

  Scenario: SRV records name every member, sharing the weight
    When the cluster DNS is asked for the SRV records of "_postgres._tcp.db.shop.svc.cluster.local"
    Then the answer is:
      | type | data                                      |
      | SRV  | 0 50 5432 db-0.db.shop.svc.cluster.local. |
      | SRV  | 0 50 5432 db-1.db.shop.svc.cluster.local. |

  Scenario: a headless service whose pods are not ready does not exist in DNS
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: cache
        namespace: shop
      spec:
        clusterIP: None
        selector:
          app: cache
        ports:
        - port: 6379
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: cache-1
        namespace: shop
        labels:
          app: cache
      spec:
        containers:
        - name: redis
          image: redis
          ports:
          - containerPort: 6379
      status:
        phase: Running
        conditions:
        - type: Ready
          status: "False"
      """
    When the cluster DNS is asked for "cache.shop.svc.cluster.local"
    Then the name does not exist (NXDOMAIN)

  Scenario: an endpoint without a hostname is named after its address
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: api
        namespace: shop
      spec:
        clusterIP: None
        selector:
          app: api
        ports:
        - port: 8080
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: api-1
        namespace: shop
        labels:
          app: api
      spec:
        containers:
        - name: api
          image: api
          ports:
          - containerPort: 8080
      status:
        podIP: 10.244.0.50
      """
    When the cluster DNS is asked for "10-244-0-50.api.shop.svc.cluster.local"
    Then the answer is A 10.244.0.50
    When the cluster DNS is asked for the PTR record of "50.0.244.10.in-addr.arpa"
    Then the answer is PTR 10-244-0-50.api.shop.svc.cluster.local.

  Scenario: a ClusterIP service's endpoints have names too
    Endpoint names are not only for headless services: CoreDNS answers them for any service.
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: db-rw
        namespace: shop
      spec:
        clusterIP: 10.96.0.40
        selector:
          app: db
        ports:
        - port: 5432
      """
    When the cluster DNS is asked for "db-rw.shop.svc.cluster.local"
    Then the answer is A 10.96.0.40
