Feature: Every Service has a DNS name: <service>.<namespace>.svc.<cluster domain>
  CoreDNS, the cluster's DNS server, watches the API server and answers for every Service. A
  Service "web" in namespace "shop" is web.shop.svc.cluster.local: namespaces are subdomains of
  svc.cluster.local, so two teams can both have a "web" without clashing. The answer is the
  Service's ClusterIP — one stable address, whatever pods come and go behind it. Names are
  case-insensitive; a name that does not exist is NXDOMAIN, and a name that exists but has no
  record of the asked type is NODATA (NOERROR with no answers); both carry the zone's SOA so
  resolvers know how long to remember the miss.

  Background:
    Given a cluster with node "node-a"
    And a pod "client" in namespace "shop"
    And the upstream DNS answers "example.com" with A 93.184.216.34
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
        - name: http
          port: 80
          targetPort: 8080
        - name: metrics
          port: 9090
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: web
        namespace: blog
      spec:
        clusterIP: 10.96.0.30
        selector:
          app: web
        ports:
        - port: 80
      """

  Scenario: the fully qualified name answers the ClusterIP
    When the cluster DNS is asked for "web.shop.svc.cluster.local"
    Then the answer is:
      | name                        | ttl | type | data       |
      | web.shop.svc.cluster.local. | 30  | A    | 10.96.0.20 |

  Scenario: namespaces are subdomains: the same service name in two namespaces
    Then these names resolve from pod "client" in namespace "shop":
      | name                       | answer        |
      | web                        | A 10.96.0.20  |
      | web.shop                   | A 10.96.0.20  |
      | web.blog                   | A 10.96.0.30  |
      | web.blog.svc.cluster.local | A 10.96.0.30  |
      | web.nowhere                | NXDOMAIN      |

  Scenario: a short name is the service in the pod's own namespace
    When pod "client" in namespace "shop" looks up "web"
    Then the answer is A 10.96.0.20
    And the first name tried is "web.shop.svc.cluster.local."

  Scenario: "web.shop" resolves through the second search domain, after an NXDOMAIN on the first
    The first search domain makes it web.shop.shop.svc.cluster.local — a service "shop" in
    namespace "shop", which does not exist. The second, svc.cluster.local, finds it.
    When pod "client" in namespace "shop" looks up "web.shop"
    Then the names tried are:
      | name                             | rcode    |
      | web.shop.shop.svc.cluster.local. | NXDOMAIN |
      | web.shop.svc.cluster.local.      | NOERROR  |
    And the answer is A 10.96.0.20

  Scenario: names are case-insensitive
    When the cluster DNS is asked for "WEB.Shop.SVC.cluster.local"
    Then the answer is A 10.96.0.20

  Scenario: a service that does not exist is NXDOMAIN, with the zone's SOA
    The SOA is CoreDNS's own: ns.dns.<zone>, hostmaster.<zone>, refresh 7200, retry 1800,
    expire 86400, and the plugin's TTL as the minimum. (CoreDNS's serial is the time of the last
    change it saw; netspec has no clock and keeps it at 1.)
    When the cluster DNS is asked for "api.shop.svc.cluster.local"
    Then the name does not exist (NXDOMAIN)
    And the authority section is:
      | name           | ttl | type | data                                                               |
      | cluster.local. | 30  | SOA  | ns.dns.cluster.local. hostmaster.cluster.local. 1 7200 1800 86400 30 |

  Scenario: a namespace name exists, with no records of its own (NODATA)
    When the cluster DNS is asked for "shop.svc.cluster.local"
    Then the name exists without a record of that type (NODATA)
    When the cluster DNS is asked for "nowhere.svc.cluster.local"
    Then the name does not exist (NXDOMAIN)

  Scenario: an IPv4-only service has no AAAA record: NODATA, not NXDOMAIN
    When the cluster DNS is asked for the AAAA record of "web.shop.svc.cluster.local"
    Then the name exists without a record of that type (NODATA)

  Scenario: SRV records name the port: _<port name>._<protocol>.<service>
    When the cluster DNS is asked for the SRV record of "_http._tcp.web.shop.svc.cluster.local"
    Then the answer is SRV 0 100 80 web.shop.svc.cluster.local.
    And the additional section is:
      | type | data       |
      | A    | 10.96.0.20 |

  Scenario: an SRV query for the service lists every port, weights shared out
    CoreDNS gives each record the weight 100 divided by the number of records.
    When the cluster DNS is asked for the SRV records of "web.shop.svc.cluster.local"
    Then the answer is:
      | type | data                                  |
      | SRV  | 0 50 80 web.shop.svc.cluster.local.   |
      | SRV  | 0 50 9090 web.shop.svc.cluster.local. |

  Scenario: a port name that does not exist is NXDOMAIN
    When the cluster DNS is asked for the SRV record of "_grpc._tcp.web.shop.svc.cluster.local"
    Then the name does not exist (NXDOMAIN)

  Scenario: wildcard names are gone: "*" and "any" are ordinary labels (CoreDNS 1.9.0 removed them)
    Old kube-dns and CoreDNS before 1.9.0 answered *.shop.svc.cluster.local with every service of
    the namespace. CoreDNS 1.9.0 removed wildcard queries (release notes, coredns/coredns#5019):
    now no service is called "*", so the name does not exist.
    When the cluster DNS is asked for "*.shop.svc.cluster.local"
    Then the name does not exist (NXDOMAIN)
    When the cluster DNS is asked for the SRV records of "_any._tcp.web.shop.svc.cluster.local"
    Then the name does not exist (NXDOMAIN)

  Scenario: the reverse name of a ClusterIP points at the service
    When the cluster DNS is asked for the PTR record of "20.0.96.10.in-addr.arpa"
    Then the answer is PTR web.shop.svc.cluster.local.

  Scenario: the cluster DNS says which version of the schema it follows
    When the cluster DNS is asked for the TXT record of "dns-version.cluster.local"
    Then the answer is TXT "1.1.0"

  Scenario: the cluster DNS itself: kube-dns in kube-system, at the 10th address of the service range
    When the cluster DNS is asked for "kube-dns.kube-system.svc.cluster.local"
    Then the answer is A 10.96.0.10
    When the cluster DNS is asked for the NS record of "cluster.local"
    Then the answer is NS kube-dns.kube-system.svc.cluster.local.

  Scenario: the cluster domain is configurable
    Given the cluster domain is "corp.internal"
    When pod "client" in namespace "shop" looks up "web"
    Then the answer came from "web.shop.svc.corp.internal"
    And the answer is A 10.96.0.20

  Scenario: connecting to a name resolves it through the pod's DNS first
    Given a deployment "web" in namespace "shop" with 2 replicas labelled "app=web" listening on TCP port 8080
    When pod "client" in namespace "shop" connects to "web" on TCP port 80
    Then the connection is delivered to a pod labelled "app=web" on port 8080
    And the trace passes through "dns/coredns/kubernetes"
    And the trace mentions "web → 10.96.0.20"
