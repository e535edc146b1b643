Feature: The shop joins the service mesh
  The same shop as examples/shop (its cluster and apps are loaded from there unchanged), after the
  platform team installed Istio and labelled the namespace istio-injection=enabled:

    k8s/namespaces.yaml   shop and marketing are meshed; ops is not
    k8s/neighbours.yaml   a meshed caller in marketing, an un-meshed export job in ops
    k8s/istio.yaml        PeerAuthentication STRICT for shop; the cart accepts callers from shop only

  Check it by hand:
    netspec get pods -f ../shop/k8s/cluster -f ../shop/k8s/apps/cart.yaml -f k8s -o yaml
    netspec iptables-save -f … --pod shop/toolbox
    netspec connect -f … --from shop/toolbox --to cart.shop.svc.cluster.local --port 7070 -o json
    netspec connect -f … --from shop/frontend --to cart.shop.svc.cluster.local --port 7070 -o json

  Background:
    Given the manifests in "../shop/k8s/cluster"
    And the manifests in "../shop/k8s/apps/frontend.yaml"
    And the manifests in "../shop/k8s/apps/cart.yaml"
    And the manifests in "../shop/k8s/apps/redis.yaml"
    And the manifests in "../shop/k8s/apps/toolbox.yaml"
    And the manifests in "k8s"

  Scenario: every shop pod runs a sidecar; the ops job does not
    Then every pod labelled "app.kubernetes.io/part-of=shop" in namespace "shop" has a sidecar
    And pod "toolbox" in namespace "shop" has a sidecar
    And pod "nightly-export" in namespace "ops" has no sidecar

  Scenario: the toolbox's connections are redirected to its sidecar, except the sidecar's own
    Then the interception rules of pod "toolbox" in namespace "shop" include, in order:
      """
      -A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001
      -A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006
      -A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN
      -A ISTIO_OUTPUT -j ISTIO_REDIRECT
      """

  Scenario: the cart still answers inside the shop, over mutual TLS, after STRICT was turned on
    When pod "toolbox" in namespace "shop" connects to "cart.shop.svc.cluster.local" on TCP port 7070
    Then the connection was delivered to one of the pods of service "cart" in namespace "shop"
    And the connection went through the sidecar of pod "toolbox" in namespace "shop"
    And the connection was mutually authenticated as "spiffe://cluster.local/ns/shop/sa/default"

  Scenario: the un-meshed export job is refused at the cart's sidecar
    When pod "nightly-export" in namespace "ops" connects to "cart.shop.svc.cluster.local" on TCP port 7070
    Then the connection was refused because of PeerAuthentication "shop/default"

  Scenario: marketing is in the mesh but not in the shop: the cart's AuthorizationPolicy denies it
    When pod "campaigns" in namespace "marketing" connects to "cart.shop.svc.cluster.local" on TCP port 7070
    Then the connection was denied by AuthorizationPolicy "shop/cart-from-shop"

  Scenario: redis is headless: the sidecar still connects to the replica itself, over mutual TLS
    When pod "toolbox" in namespace "shop" connects to "redis-0.redis.shop.svc.cluster.local" on TCP port 6379
    Then the connection is delivered to pod "redis-0"
    And the connection was mutually authenticated
