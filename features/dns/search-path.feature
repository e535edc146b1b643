Feature: The search path, ndots:5, and what a short name costs
  The kubelet writes every ClusterFirst pod a resolv.conf with three search domains of its own —
  <namespace>.svc.<domain>, svc.<domain>, <domain> — then the node's, and "options ndots:5". The
  stub resolver in the container (glibc, or musl in Alpine images) decides which names it actually
  asks. glibc: a name with fewer than ndots dots goes through the search list first and is asked
  as is last; with ndots dots or more, as is first; a trailing dot makes it absolute — asked as is,
  alone. NXDOMAIN moves on to the next name, NODATA and SERVFAIL too, an answer stops.

  ndots:5 is what makes "web" and "web.shop" work, and it has a price: "example.com" has one dot,
  so every lookup of it walks the whole search list — four NXDOMAINs before the real question.

  musl differs in two ways. With ndots dots or more it never searches. And through the search list
  only NXDOMAIN moves on: a search domain that answers NODATA, or fails, ends the lookup there —
  why some names resolve in a Debian image and not in an Alpine one.

  Background:
    Given a cluster with node "node-a"
    And the node's resolv.conf:
      """
      nameserver 192.168.0.1
      search corp.example
      """
    And the upstream DNS serves the zone:
      """
      example.com.            300 IN A   93.184.216.34
      img.eu.west.cdn.example.com. 300 IN A 93.184.216.35
      example.com.corp.example. 300 IN TXT "a record of another type"
      """
    And a pod "client" in namespace "shop"
    And the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: web
        namespace: shop
      spec:
        clusterIP: 10.96.0.20
        selector:
          app: web
        ports:
        - port: 80
      """

  Scenario: the pod's resolv.conf: the cluster's search domains, then the node's
    Then the resolv.conf of pod "client" in namespace "shop" is:
      """
      search shop.svc.cluster.local svc.cluster.local cluster.local corp.example
      nameserver 10.96.0.10
      options ndots:5
      """

  Scenario: a short external name walks the whole search list first
    When pod "client" in namespace "shop" looks up "example.com"
    Then the names tried are:
      | name                                | rcode    |
      | example.com.shop.svc.cluster.local. | NXDOMAIN |
      | example.com.svc.cluster.local.      | NXDOMAIN |
      | example.com.cluster.local.          | NXDOMAIN |
      | example.com.corp.example.           | NOERROR  |
      | example.com.                        | NOERROR  |
    And the answer is A 93.184.216.34

  Scenario: a trailing dot makes the name absolute: one query
    When pod "client" in namespace "shop" looks up "example.com."
    Then the lookup sent 1 query
    And the answer is A 93.184.216.34

  Scenario: a service's full name has only four dots: it still walks the search list
    web.shop.svc.cluster.local has 4 dots, fewer than 5: the search list comes first, and the
    name as is comes fifth. With a trailing dot it is one query.
    When pod "client" in namespace "shop" looks up "web.shop.svc.cluster.local"
    Then the lookup sent 5 queries
    And the answer is A 10.96.0.20
    When pod "client" in namespace "shop" looks up "web.shop.svc.cluster.local."
    Then the lookup sent 1 query

  Scenario: a name with at least ndots dots is asked as is first
    When pod "client" in namespace "shop" looks up "img.eu.west.cdn.example.com"
    Then the names tried are:
      | name                         | rcode   |
      | img.eu.west.cdn.example.com. | NOERROR |

  Scenario: lowering ndots in dnsConfig saves the walk for external names
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: lean
        namespace: shop
      spec:
        dnsConfig:
          options:
          - name: ndots
            value: "1"
        containers:
        - name: app
          image: app
      """
    When pod "lean" in namespace "shop" looks up "example.com"
    Then the lookup sent 1 query
    And the answer is A 93.184.216.34
    When pod "lean" in namespace "shop" looks up "web"
    Then the first name tried is "web.shop.svc.cluster.local"
    And the answer is A 10.96.0.20

  Scenario: glibc goes past a search domain that answers NODATA; musl stops there
    example.com.corp.example exists upstream, with a TXT record but no address.
    When pod "client" in namespace "shop" looks up "example.com" with the glibc resolver
    Then the answer is A 93.184.216.34
    When pod "client" in namespace "shop" looks up "example.com" with the musl resolver
    Then the name exists without a record of that type (NODATA)
    And the names tried are:
      | name                                | rcode    |
      | example.com.shop.svc.cluster.local. | NXDOMAIN |
      | example.com.svc.cluster.local.      | NXDOMAIN |
      | example.com.cluster.local.          | NXDOMAIN |
      | example.com.corp.example.           | NOERROR  |

  Scenario: with ndots:1, musl never searches a dotted name; glibc still falls back to the search list
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: alpine
        namespace: blog
      spec:
        dnsConfig:
          options:
          - name: ndots
            value: "1"
        containers:
        - name: app
          image: alpine
      """
    When pod "alpine" in namespace "blog" looks up "web.shop" with the glibc resolver
    Then the answer is A 10.96.0.20
    And the answer came from "web.shop.svc.cluster.local"
    When pod "alpine" in namespace "blog" looks up "web.shop" with the musl resolver
    Then the name does not exist (NXDOMAIN)
    And the names tried are:
      | name      | rcode    |
      | web.shop. | NXDOMAIN |
