Feature: The rules kube-proxy writes in iptables mode, as iptables-save shows them
  In iptables mode kube-proxy writes its rules with iptables-restore; `iptables-save` (or
  `netspec iptables-save --node NODE`) shows them back. The nat table carries the translation:
  - PREROUTING and OUTPUT jump to KUBE-SERVICES, which holds one rule per service address and
    port, and ends with the jump to KUBE-NODEPORTS for packets addressed to the node itself.
  - Each service port has a KUBE-SVC-<hash> chain: first a rule marking off-cluster clients for
    masquerade, then one jump per ready endpoint. The hash is the first 16 characters of
    base32(sha256("namespace/name:port" + protocol)), so the names are the same on every node
    and every cluster. The endpoint pick is `-m statistic --mode random --probability 1/n` for
    each endpoint but the last, with n the endpoints left: 1/3, then 1/2, then the last one,
    so each gets a third. kube-proxy writes the probability with ten decimals; the kernel keeps
    it as a fraction of 2^31, so iptables-save prints 0.33333333349 for 1/3.
  - Each endpoint has a KUBE-SEP-<hash> chain: a hairpin masquerade mark, then the DNAT.
  - KUBE-MARK-MASQ sets the 0x4000 mark; KUBE-POSTROUTING masquerades what carries it.
  The filter table rejects connections to services without endpoints (KUBE-SERVICES) and drops
  external traffic that a Local policy cannot serve (KUBE-EXTERNAL-SERVICES).

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata: {name: web-1, namespace: shop, labels: {app: web}}
      spec: {nodeName: node-a, containers: [{name: app, image: nginx, ports: [{containerPort: 8080}]}]}
      status: {podIP: 10.244.0.10}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: web-2, namespace: shop, labels: {app: web}}
      spec: {nodeName: node-b, containers: [{name: app, image: nginx, ports: [{containerPort: 8080}]}]}
      status: {podIP: 10.244.1.11}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: web-3, namespace: shop, labels: {app: web}}
      spec: {nodeName: node-b, containers: [{name: app, image: nginx, ports: [{containerPort: 8080}]}]}
      status: {podIP: 10.244.1.12}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: shop}
      spec:
        clusterIP: 10.96.0.20
        selector: {app: web}
        ports: [{port: 80, targetPort: 8080}]
      """

  Scenario: the KUBE-SVC chain of a 3-endpoint service: a third, then a half, then the rest
    Then node "node-a"'s iptables nat chain "KUBE-SVC-E3PXEPMWAWIUT6ZV" is:
      """
      -A KUBE-SVC-E3PXEPMWAWIUT6ZV ! -s 10.244.0.0/16 -d 10.96.0.20/32 -p tcp -m comment --comment "shop/web cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
      -A KUBE-SVC-E3PXEPMWAWIUT6ZV -m comment --comment "shop/web -> 10.244.0.10:8080" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-TAEKUFL5NCGFWENG
      -A KUBE-SVC-E3PXEPMWAWIUT6ZV -m comment --comment "shop/web -> 10.244.1.11:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-FBUQD36J3XDXJWPV
      -A KUBE-SVC-E3PXEPMWAWIUT6ZV -m comment --comment "shop/web -> 10.244.1.12:8080" -j KUBE-SEP-IRSVATMN7ADH7EG4
      """
    And the KUBE-SVC chain of service "web" in namespace "shop" is "KUBE-SVC-E3PXEPMWAWIUT6ZV"

  Scenario: KUBE-SERVICES catches the cluster IP, and sends what is addressed to the node to KUBE-NODEPORTS last
    Then iptables-save on node "node-b" shows, in this order:
      """
      *nat
      :PREROUTING ACCEPT [0:0]
      :KUBE-SERVICES - [0:0]
      :KUBE-SVC-E3PXEPMWAWIUT6ZV - [0:0]
      -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
      -A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "shop/web cluster IP" -m tcp --dport 80 -j KUBE-SVC-E3PXEPMWAWIUT6ZV
      -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
      COMMIT
      """

  Scenario: each endpoint's KUBE-SEP chain: the hairpin mark, then the DNAT
    Then node "node-a"'s iptables nat chain "KUBE-SEP-TAEKUFL5NCGFWENG" is:
      """
      -A KUBE-SEP-TAEKUFL5NCGFWENG -s 10.244.0.10/32 -m comment --comment "shop/web" -j KUBE-MARK-MASQ
      -A KUBE-SEP-TAEKUFL5NCGFWENG -p tcp -m comment --comment "shop/web" -m tcp -j DNAT --to-destination 10.244.0.10:8080
      """

  Scenario: the mark and the masquerade
    Then iptables-save on node "node-a" shows, in this order:
      """
      -A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
      -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
      -A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
      -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
      """

  Scenario: a service without endpoints is REJECTed in the filter table
    Given a service "empty" in namespace "shop" selecting "app=nothing" mapping port 80 to 8080
    And service "empty" in namespace "shop" has the cluster IP 10.96.0.30
    Then node "node-a"'s iptables filter chain "KUBE-SERVICES" is:
      """
      -A KUBE-SERVICES -d 10.96.0.30/32 -p tcp -m comment --comment "shop/empty has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable
      """
    And node "node-a"'s iptables nat chain "KUBE-SERVICES" does not contain "shop/empty"

  Scenario: a NodePort adds a KUBE-NODEPORTS rule and a KUBE-EXT chain that marks for masquerade
    Given a NodePort service "web-np" in namespace "shop" selecting "app=web" mapping port 80 to 8080 with node port 30080
    Then node "node-a"'s iptables nat chain "KUBE-NODEPORTS" contains "-p tcp -m comment --comment \"shop/web-np\" -m tcp --dport 30080 -j KUBE-EXT-"
    And node "node-a"'s iptables nat chain "KUBE-EXT of shop/web-np" has 2 rules
    And node "node-a"'s iptables nat chain "KUBE-EXT of shop/web-np" contains "masquerade traffic for shop/web-np external destinations"

  Scenario: the walk follows the rules: the trace shows each jump and the DNAT with its rule
    Given a pod "client" in namespace "shop" on node "node-a"
    When pod "client" in namespace "shop" connects to "10.96.0.20" on TCP port 80
    Then the trace passes through "node/node-a/iptables/nat/KUBE-SVC-E3PXEPMWAWIUT6ZV"
    And the trace mentions "-m statistic --mode random --probability"
    And the trace mentions "-j DNAT --to-destination"
