Feature: The Corefile: where CoreDNS sends what it does not know
  CoreDNS reads its configuration, the Corefile, from the `coredns` ConfigMap in kube-system
  (kubeadm installs one; without it netspec uses kubeadm's). A Corefile is made of server blocks,
  each serving zones: a query goes to the block with the longest zone that contains it. Inside a
  block the plugins run in CoreDNS's fixed order, whatever order they are written in: cache,
  rewrite, hosts, kubernetes, forward. `kubernetes` answers the cluster's names; `forward` sends
  the rest upstream — by default to the node's own resolv.conf, often to a resolver you choose.
  A second server block for one domain is a stub domain: its own forwarder for that domain only.

  Upstream servers are fixtures: a zone file per address. netspec never asks the real network;
  an upstream without a fixture is SERVFAIL, and the trace says so.

  Background:
    Given a cluster with node "node-a"
    And a pod "client" in namespace "shop"
    And the upstream DNS 1.1.1.1 answers "example.com" with A 93.184.216.34
    And the upstream DNS 10.150.0.1 answers "vault.service.consul.local" with A 10.150.3.7

  Scenario: a custom forwarder: everything outside the cluster goes to 1.1.1.1
    Given the Corefile:
      """
      .:53 {
          errors
          health
          kubernetes cluster.local in-addr.arpa ip6.arpa {
              pods insecure
              fallthrough in-addr.arpa ip6.arpa
          }
          forward . 1.1.1.1
          cache 30
      }
      """
    When pod "client" in namespace "shop" looks up "example.com"
    Then the answer is A 93.184.216.34
    And the DNS trace mentions "forward . sends example.com. A to 1.1.1.1:53"

  Scenario: a stub domain: consul.local has its own server block and forwarder
    Given the Corefile:
      """
      .:53 {
          kubernetes cluster.local in-addr.arpa ip6.arpa {
              fallthrough in-addr.arpa ip6.arpa
          }
          forward . 1.1.1.1
      }
      consul.local:53 {
          errors
          cache 30
          forward . 10.150.0.1
      }
      """
    When pod "client" in namespace "shop" looks up "vault.service.consul.local"
    Then the answer is A 10.150.3.7
    And the DNS trace mentions "server block consul.local:53"

  Scenario: an upstream without a fixture is SERVFAIL, never the real network
    Given the Corefile:
      """
      .:53 {
          kubernetes cluster.local
          forward . 8.8.8.8
      }
      """
    When the cluster DNS is asked for "example.org"
    Then the rcode is SERVFAIL
    And the DNS trace mentions "no fixture for upstream 8.8.8.8"

  Scenario: the TTL of the kubernetes plugin, and cache capping what comes from upstream
    The cache plugin rewrites every TTL of a reply to the reply's lowest, at most its own (30 s).
    Given the Corefile:
      """
      .:53 {
          kubernetes cluster.local {
              ttl 10
          }
          forward . 1.1.1.1
          cache 30
      }
      """
    When the cluster DNS is asked for "kube-dns.kube-system.svc.cluster.local"
    Then the answer is:
      | name                                     | ttl | type | data       |
      | kube-dns.kube-system.svc.cluster.local. | 10  | A    | 10.96.0.10 |
    When the cluster DNS is asked for "example.com"
    Then the answer is:
      | name         | ttl | type | data          |
      | example.com. | 30  | A    | 93.184.216.34 |

  Scenario: hosts entries answer before the cluster and the forwarder
    Given the Corefile:
      """
      .:53 {
          hosts {
              10.0.0.5 legacy-db.corp.example
              fallthrough
          }
          kubernetes cluster.local
          forward . 1.1.1.1
      }
      """
    Then these names resolve from pod "client" in namespace "shop":
      | name                    | answer        |
      | legacy-db.corp.example. | A 10.0.0.5    |
      | example.com.            | A 93.184.216.34 |

  Scenario: rewrite name: an old name answers for a service
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: orders
        namespace: shop
      spec:
        clusterIP: 10.96.0.60
        selector:
          app: orders
        ports:
        - port: 80
      """
    And the Corefile:
      """
      .:53 {
          rewrite name exact orders.legacy.corp. orders.shop.svc.cluster.local.
          kubernetes cluster.local
          forward . 1.1.1.1
      }
      """
    When pod "client" in namespace "shop" looks up "orders.legacy.corp."
    Then the answer is:
      | name                | type | data       |
      | orders.legacy.corp. | A    | 10.96.0.60 |

  Scenario: a zone no server block serves is REFUSED
    Given the Corefile:
      """
      cluster.local:53 {
          kubernetes cluster.local
      }
      """
    When the cluster DNS is asked for "example.com"
    Then the rcode is REFUSED

  Scenario: a plugin netspec does not model is a warning with its line
    Given the Corefile:
      """
      .:53 {
          kubernetes cluster.local
          autopath @kubernetes
          forward . 1.1.1.1
      }
      """
    Then CoreDNS warns "plugin \"autopath\" is not modelled" at line 149

  Scenario: forwarding to the node's resolv.conf when it points at 127.0.0.53 loops, and CoreDNS stops
    On nodes running systemd-resolved, /etc/resolv.conf says 127.0.0.53. Inside the CoreDNS pod
    that address is CoreDNS itself: the loop plugin detects the loop and CoreDNS exits.
    Given the node's resolv.conf:
      """
      nameserver 127.0.0.53
      """
    When pod "client" in namespace "shop" looks up "web"
    Then the rcode is SERVFAIL
    And the DNS trace mentions "Loop (127.0.0.53:53 -> :53) detected"
