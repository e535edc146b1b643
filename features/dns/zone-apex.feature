Feature: SOA and NS questions, and the case of the names CoreDNS answers with
  CoreDNS answers SOA and NS only at the apex of its zone (cluster.local). Asked for the SOA of a
  name below the apex it looks nothing up: NODATA, with the zone's SOA in the authority section,
  whether the name exists or not. Asked for NS below the apex it checks whether the name exists:
  NODATA when it does, NXDOMAIN when it does not (coredns plugin/kubernetes handler.go and
  handler_test.go).

  Names match case-insensitively, and the answer keeps the question's spelling: the owner names,
  and every name CoreDNS builds from the zone — SRV targets, their additional records, the SOA —
  spell the zone as the question did ("maintain case of original query").

  Background:
    Given a cluster with node "node-a"
    And a deployment "web" in namespace "shop" with 1 replica labelled "app=web" listening on TCP port 8080
    And the manifest:
      """yaml
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: shop}
      spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: 8080}]}
      """

  Scenario: SOA at the apex, NODATA below it
    When the cluster DNS is asked for the SOA record of "cluster.local"
    Then the answer is SOA ns.dns.cluster.local. hostmaster.cluster.local. 1 7200 1800 86400 30
    When the cluster DNS is asked for the SOA record of "web.shop.svc.cluster.local"
    Then the name exists without a record of that type (NODATA)
    When the cluster DNS is asked for the SOA record of "nothing-here.shop.svc.cluster.local"
    Then the name exists without a record of that type (NODATA)

  Scenario: NS below the apex: NODATA for a name that exists, NXDOMAIN for one that does not
    When the cluster DNS is asked for the NS record of "web.shop.svc.cluster.local"
    Then the name exists without a record of that type (NODATA)
    When the cluster DNS is asked for the NS record of "nothing-here.shop.svc.cluster.local"
    Then the name does not exist (NXDOMAIN)

  Scenario: an SRV target keeps the case the question used for the zone
    When the cluster DNS is asked for the SRV record of "_http._tcp.web.shop.svc.Cluster.Local"
    Then the answer is SRV 0 100 80 web.shop.svc.Cluster.Local.
