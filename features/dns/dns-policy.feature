Feature: dnsPolicy decides which DNS a pod asks
  The kubelet writes each pod's /etc/resolv.conf from its dnsPolicy:
    ClusterFirst (the default)  the cluster DNS, the cluster's search domains, options ndots:5
    Default                     the node's resolv.conf (the kubelet's --resolv-conf), as is
    ClusterFirstWithHostNet     ClusterFirst, also for hostNetwork pods
    None                        nothing: everything comes from the pod's dnsConfig
  A hostNetwork pod with ClusterFirst silently gets Default: it cannot resolve services until it
  says ClusterFirstWithHostNet. dnsConfig is merged last — nameservers and search domains appended
  (duplicates dropped), options merged by name with the pod's value winning — and the kubelet then
  applies its limits: 3 nameservers, 32 search domains, 2048 characters of search line; whatever it
  cuts, it reports as a DNSConfigForming warning event.

  Background:
    Given a cluster with node "node-a"
    And the node's resolv.conf:
      """
      nameserver 192.168.0.1
      search corp.example
      options timeout:2
      """
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
        - port: 80
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: default-dns
        namespace: shop
      spec:
        dnsPolicy: Default
        containers:
        - name: app
          image: app
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: host-agent
        namespace: shop
      spec:
        hostNetwork: true
        containers:
        - name: agent
          image: agent
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: host-agent-cluster-dns
        namespace: shop
      spec:
        hostNetwork: true
        dnsPolicy: ClusterFirstWithHostNet
        containers:
        - name: agent
          image: agent
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: custom
        namespace: shop
      spec:
        dnsPolicy: None
        dnsConfig:
          nameservers: [1.1.1.1]
          searches: [shop.svc.cluster.local]
          options:
          - name: ndots
            value: "2"
        containers:
        - name: app
          image: app
      """

  Scenario: Default: the node's resolv.conf, as the node has it
    Then the resolv.conf of pod "default-dns" in namespace "shop" is:
      """
      search corp.example
      nameserver 192.168.0.1
      options timeout:2
      """
    When pod "default-dns" in namespace "shop" looks up "example.com"
    Then the answer is A 93.184.216.34
    When pod "default-dns" in namespace "shop" looks up "web.shop.svc.cluster.local"
    Then the name does not exist (NXDOMAIN)

  Scenario: a hostNetwork pod with ClusterFirst falls back to Default
    Then the resolv.conf of pod "host-agent" in namespace "shop" is:
      """
      search corp.example
      nameserver 192.168.0.1
      options timeout:2
      """
    When pod "host-agent" in namespace "shop" looks up "web"
    Then the name does not exist (NXDOMAIN)
    And the DNS trace mentions "falls back to Default"

  Scenario: ClusterFirstWithHostNet gives a hostNetwork pod the cluster DNS
    Then the resolv.conf of pod "host-agent-cluster-dns" in namespace "shop" is:
      """
      search shop.svc.cluster.local svc.cluster.local cluster.local corp.example
      nameserver 10.96.0.10
      options ndots:5
      """
    When pod "host-agent-cluster-dns" in namespace "shop" looks up "web"
    Then the answer is A 10.96.0.20

  Scenario: None: only what dnsConfig says
    Then the resolv.conf of pod "custom" in namespace "shop" is:
      """
      search shop.svc.cluster.local
      nameserver 1.1.1.1
      options ndots:2
      """

  Scenario: dnsConfig is merged: servers and searches appended, options by name with the pod's value winning
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: merged
        namespace: shop
      spec:
        dnsConfig:
          nameservers: [10.96.0.10, 1.1.1.1]
          searches: [corp.example, eu.corp.example]
          options:
          - name: ndots
            value: "2"
          - name: edns0
        containers:
        - name: app
          image: app
      """
    Then the resolv.conf of pod "merged" in namespace "shop" is:
      """
      search shop.svc.cluster.local svc.cluster.local cluster.local corp.example eu.corp.example
      nameserver 10.96.0.10
      nameserver 1.1.1.1
      options ndots:2 edns0
      """

  Scenario: the kubelet keeps 3 nameservers and says so
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: many-servers
        namespace: shop
      spec:
        dnsConfig:
          nameservers: [1.1.1.1, 8.8.8.8, 9.9.9.9]
        containers:
        - name: app
          image: app
      """
    Then the resolv.conf of pod "many-servers" in namespace "shop" is:
      """
      search shop.svc.cluster.local svc.cluster.local cluster.local corp.example
      nameserver 10.96.0.10
      nameserver 1.1.1.1
      nameserver 8.8.8.8
      options ndots:5
      """
    And the kubelet warns about pod "many-servers" in namespace "shop": "Nameserver limits were exceeded"

  Scenario: the kubelet keeps 32 search domains
    The node brings 30 search domains; with the cluster's 3 in front that is 33, one too many.
    Given the node's resolv.conf:
      """
      nameserver 192.168.0.1
      search d1.example d2.example d3.example d4.example d5.example d6.example d7.example d8.example d9.example d10.example d11.example d12.example d13.example d14.example d15.example d16.example d17.example d18.example d19.example d20.example d21.example d22.example d23.example d24.example d25.example d26.example d27.example d28.example d29.example d30.example
      """
    And a pod "client" in namespace "shop"
    Then the resolv.conf of pod "client" in namespace "shop" is:
      """
      search shop.svc.cluster.local svc.cluster.local cluster.local d1.example d2.example d3.example d4.example d5.example d6.example d7.example d8.example d9.example d10.example d11.example d12.example d13.example d14.example d15.example d16.example d17.example d18.example d19.example d20.example d21.example d22.example d23.example d24.example d25.example d26.example d27.example d28.example d29.example
      nameserver 10.96.0.10
      options ndots:5
      """
    And the kubelet warns about pod "client" in namespace "shop": "Search Line limits were exceeded"
