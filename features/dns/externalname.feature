Feature: ExternalName services are DNS aliases
  A Service of type ExternalName has no address and no endpoints: its DNS name is a CNAME to
  another name. CoreDNS follows the CNAME itself when the target is inside the cluster domain, and
  asks upstream (through its own plugins, so usually `forward`) when it is outside, returning the
  CNAME and the records it found in one answer. kube-proxy writes no rules for such a service:
  everything happens in DNS. Upstream servers are fixtures here, never the real network.

  Background:
    Given a cluster with node "node-a"
    And a pod "client" in namespace "shop"
    And the upstream DNS serves the zone:
      """
      $ORIGIN example.com.
      $TTL 300
      @       IN SOA ns1.example.com. hostmaster.example.com. 2024010101 7200 3600 1209600 60
      db      IN A     192.0.2.10
      www     IN CNAME edge.example.com.
      edge    IN A     192.0.2.80
      """
    And the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: database
        namespace: shop
      spec:
        type: ExternalName
        externalName: db.example.com
      ---
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
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: frontend
        namespace: shop
      spec:
        type: ExternalName
        externalName: web.shop.svc.cluster.local
      """

  Scenario: an ExternalName answers a CNAME and the upstream's addresses
    The cache plugin gives every record of a reply the same TTL: the lowest in it, at most 30 s here.
    When pod "client" in namespace "shop" looks up "database"
    Then the answer is:
      | name                             | ttl | type  | data            |
      | database.shop.svc.cluster.local. | 30  | CNAME | db.example.com. |
      | db.example.com.                  | 30  | A     | 192.0.2.10      |

  Scenario: asked for the CNAME itself
    When the cluster DNS is asked for the CNAME record of "database.shop.svc.cluster.local"
    Then the answer is CNAME db.example.com.

  Scenario: a target inside the cluster is followed by CoreDNS itself
    When pod "client" in namespace "shop" looks up "frontend"
    Then the answer is:
      | type  | data                        |
      | CNAME | web.shop.svc.cluster.local. |
      | A     | 10.96.0.20                  |
    And the DNS trace mentions "Service shop/frontend is an ExternalName for web.shop.svc.cluster.local."

  Scenario: a target the upstream does not know: the CNAME alone, still NOERROR
    CoreDNS adds whatever the upstream answered after the CNAME, even nothing.
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata:
        name: legacy
        namespace: shop
      spec:
        type: ExternalName
        externalName: gone.example.com
      """
    When the cluster DNS is asked for "legacy.shop.svc.cluster.local"
    Then the rcode is NOERROR
    And the answer is CNAME gone.example.com.

  Scenario: an ExternalName has no ports: SRV lookups find nothing
    When the cluster DNS is asked for the SRV record of "_http._tcp.database.shop.svc.cluster.local"
    Then the name does not exist (NXDOMAIN)

  Scenario: an SRV query on the ExternalName itself finds no record (NODATA)
    The kubernetes plugin serves no SRV record for an ExternalName: its Services() drops the alias
    for SRV ("SRV for external services is not yet implemented", coredns plugin/kubernetes
    kubernetes.go). The name exists, so the answer is NODATA, not NXDOMAIN.
    When the cluster DNS is asked for the SRV record of "database.shop.svc.cluster.local"
    Then the name exists without a record of that type (NODATA)
