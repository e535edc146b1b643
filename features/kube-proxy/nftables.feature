Feature: kube-proxy's nftables mode: one table, verdict maps instead of long chains
  nftables mode (`mode: nftables` in the KubeProxyConfiguration; GA in Kubernetes 1.33, KEP-3866)
  writes a single table per IP family, `ip kube-proxy` and `ip6 kube-proxy`, that no other
  component touches. A new connection is not walked through a chain rule by rule as in iptables
  mode: the `services` chain looks its destination up in the verdict map `service-ips`
  (address . protocol . port → goto the service's chain), which is a hash lookup however many
  Services there are. The service's chain `service-HASH-NAMESPACE/NAME/PROTOCOL/PORTNAME` then picks
  an endpoint with one rule, `numgen random mod N vmap { 0 : goto endpoint-…, … }`, and the
  endpoint's chain DNATs. Chain names carry the names they stand for, prefixed with eight base32
  characters of their sha256 (kube-proxy's hashAndTruncate). Masquerading is `masquerade
  fully-random`; session affinity keeps a dynamic set per endpoint whose elements time out.

  `netspec nft -f DIR --node NODE` prints the table as `nft list ruleset` would; the text loads with
  `nft -f`.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And the manifest:
      """yaml
      apiVersion: kubeproxy.config.k8s.io/v1alpha1
      kind: KubeProxyConfiguration
      mode: nftables
      """
    And a pod "client" in namespace "shop" on node "node-a"
    And a deployment "web" in namespace "shop" with 3 replicas labelled "app=web" listening on TCP port 8080
    And a service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080

  Scenario: a pod reaches a ClusterIP: the service-ips map, numgen, DNAT
    When pod "client" in namespace "shop" connects to "web.shop.svc.cluster.local" on TCP port 80
    Then the connection is delivered to a pod labelled "app=web" on port 8080
    And kube-proxy rewrote the destination from the service IP to the pod IP
    And the client sees the reply from the service address
    And the trace passes through "node/node-a/nftables/services"
    And the trace mentions "is in @service-ips → goto service-"
    And the trace mentions "numgen random mod 3 vmap"
    And the trace does not pass through "node/node-a/iptables/nat/KUBE-SERVICES"

  Scenario: the table lists the service's chains and its element in the service-ips map
    Then nft list ruleset on node "node-a" shows, in this order:
      """
      table ip kube-proxy {
      map service-ips {
      type ipv4_addr . inet_proto . inet_service : verdict
      chain nat-prerouting {
      type nat hook prerouting priority dstnat; policy accept;
      jump services
      chain services {
      ip daddr . meta l4proto . th dport vmap @service-ips
      ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports
      chain masquerading {
      masquerade fully-random
      """

  Scenario: sessionAffinity ClientIP: a dynamic set per endpoint with the affinity timeout
    Given service "web" in namespace "shop" has sessionAffinity ClientIP with a timeout of 600 seconds
    When pod "client" in namespace "shop" connects to service "web" on TCP port 80 20 times
    Then every connection went to the same pod

  Scenario: a ClusterIP on a port the Service does not declare is rejected
    kube-proxy puts every ClusterIP in the set `cluster-ips`; the chain cluster-ips-check (from
    filter-forward and filter-output-post-dnat, after DNAT) rejects what is still addressed to one.
    When pod "client" in namespace "shop" connects to "web.shop.svc.cluster.local" on TCP port 81
    Then the connection is rejected
    And the trace mentions "Reject traffic to invalid ports of ClusterIPs"

  Scenario: an address of the service range that no Service holds is dropped
    When pod "client" in namespace "shop" connects to "10.111.255.254" on TCP port 80
    Then the connection is dropped
    And the trace mentions "Drop traffic to unallocated ClusterIPs"
