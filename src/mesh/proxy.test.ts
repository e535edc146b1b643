import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meshCluster, trace } from './testkit';
import type { MeshConnectQuery } from './proxy';

const STRICT_NS = `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: shop}
spec: {mtls: {mode: STRICT}}`;

const connect = (c: ReturnType<typeof meshCluster>, q: MeshConnectQuery) => c.connect(q);

test('sidecar to sidecar: both sidecars are hops, the client sidecar picks the endpoint (no kube-proxy DNAT), automatic mTLS with SPIFFE identities', () => {
  const c = meshCluster(STRICT_NS);
  const cart = c.realised.podByKey.get('shop/cart')!;
  const svcIP = c.realised.serviceByKey.get('shop/cart')!.clusterIPs[0];
  const res = connect(c, { from: 'shop/frontend', to: svcIP, port: 7070 });
  assert.equal(res.verdict, 'delivered', trace(res));
  assert.deepEqual(res.delivered, { pod: 'shop/cart', ip: cart.ip, port: 7070, container: 'cart' });
  assert.deepEqual(res.mesh?.sidecars, ['shop/frontend', 'shop/cart']);
  assert.equal(res.mesh?.mtls, true);
  assert.equal(res.mesh?.identity, 'spiffe://cluster.local/ns/shop/sa/frontend');
  assert.equal(res.mesh?.peer, 'spiffe://cluster.local/ns/shop/sa/cart');
  assert.equal(res.nat.filter((n) => n.by.startsWith('kube-proxy') && n.kind === 'DNAT').length, 0, 'kube-proxy does not DNAT a meshed connection');
  assert.equal(res.nat[0].after, '127.0.0.1:15001', 'REDIRECT to the sidecar is a DNAT in the pod');
  assert.equal(res.reply?.source, `${svcIP}:7070`, 'the app sees replies from the address it dialled');
  const at = res.hops.map((h) => `${h.action} ${h.at}`);
  assert.ok(at.includes('dnat pod/shop/frontend/iptables/nat/ISTIO_OUTPUT'));
  assert.ok(at.includes('forward pod/shop/frontend/container/istio-proxy'));
  assert.ok(at.includes('dnat pod/shop/cart/iptables/nat/ISTIO_INBOUND'));
  assert.ok(at.includes('deliver pod/shop/cart/container/cart'));
  assert.ok(res.hops.some((h) => /127\.0\.0\.6/.test(h.detail)), 'the inbound sidecar connects to the app from 127.0.0.6');
});

test('PeerAuthentication STRICT: plaintext from a pod without a sidecar is refused at the server sidecar, naming the policy', () => {
  const c = meshCluster(STRICT_NS);
  const res = connect(c, { from: 'legacy/job', to: 'shop/cart', port: 7070 });
  assert.equal(res.verdict, 'refused', trace(res));
  const last = res.hops.filter((h) => h.action !== 'reply' && h.action !== 'unnat').pop()!;
  assert.equal(last.at, 'pod/shop/cart/container/istio-proxy');
  assert.match(last.detail, /STRICT/);
  assert.equal(last.source?.what, 'PeerAuthentication shop/default');
  assert.equal(last.source?.pos?.file, 'mesh.yaml');
});

test('PeerAuthentication PERMISSIVE (Istio default): plaintext from outside the mesh is accepted', () => {
  const c = meshCluster();
  const res = connect(c, { from: 'legacy/job', to: 'shop/cart', port: 7070 });
  assert.equal(res.verdict, 'delivered', trace(res));
  assert.equal(res.mesh?.mtls, false);
});

test('PeerAuthentication levels: workload beats namespace, port-level beats workload, mesh-wide (root namespace) applies last', () => {
  const meshWide = `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec: {mtls: {mode: STRICT}}`;
  const c1 = meshCluster(meshWide);
  assert.equal(connect(c1, { from: 'legacy/job', to: 'shop/cart', port: 7070 }).verdict, 'refused');
  const workload = `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: cart, namespace: shop}
spec: {selector: {matchLabels: {app: cart}}, mtls: {mode: PERMISSIVE}}`;
  assert.equal(connect(meshCluster(STRICT_NS, workload), { from: 'legacy/job', to: 'shop/cart', port: 7070 }).verdict, 'delivered');
  const portLevel = `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: cart, namespace: shop}
spec: {selector: {matchLabels: {app: cart}}, mtls: {mode: PERMISSIVE}, portLevelMtls: {"7070": {mode: STRICT}}}`;
  assert.equal(connect(meshCluster(portLevel), { from: 'legacy/job', to: 'shop/cart', port: 7070 }).verdict, 'refused');
});

test('PeerAuthentication DISABLE: automatic mTLS sends plaintext to that workload', () => {
  const c = meshCluster(`apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: shop}
spec: {mtls: {mode: DISABLE}}`);
  const res = connect(c, { from: 'shop/frontend', to: c.realised.serviceByKey.get('shop/cart')!.clusterIPs[0], port: 7070 });
  assert.equal(res.verdict, 'delivered', trace(res));
  assert.equal(res.mesh?.mtls, false);
  assert.equal(res.mesh?.identity, undefined);
});

const ALLOW_FRONTEND = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: cart-callers, namespace: shop}
spec:
  selector: {matchLabels: {app: cart}}
  action: ALLOW
  rules:
  - from: [{source: {principals: ["cluster.local/ns/shop/sa/frontend"]}}]
    to: [{operation: {ports: ["7070"]}}]`;

test('AuthorizationPolicy ALLOW by principal: the named caller passes, anyone else meets the implicit deny', () => {
  const c = meshCluster(ALLOW_FRONTEND);
  const ok = connect(c, { from: 'shop/frontend', to: 'cart.shop.svc.cluster.local', port: 7070 });
  assert.equal(ok.verdict, 'delivered', trace(ok));
  assert.ok(ok.hops.some((h) => h.action === 'allow' && h.source?.what === 'AuthorizationPolicy shop/cart-callers'));
  const no = connect(c, { from: 'legacy/job', to: 'shop/cart', port: 7070 });
  assert.equal(no.verdict, 'rejected', trace(no));
  const deny = no.hops.find((h) => h.action === 'deny')!;
  assert.match(deny.detail, /implicit deny/);
  assert.equal(deny.source?.what, 'AuthorizationPolicy shop/cart-callers');
});

test('AuthorizationPolicy DENY wins over ALLOW; HTTP paths are matched on HTTP requests and deny 403', () => {
  const c = meshCluster(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: no-admin, namespace: shop}
spec:
  selector: {matchLabels: {app: reviews}}
  action: DENY
  rules: [{to: [{operation: {paths: ["/admin*"]}}]}]`);
  const svc = c.realised.serviceByKey.get('shop/reviews')!.clusterIPs[0];
  const admin = connect(c, { from: 'shop/frontend', to: svc, port: 9080, http: { method: 'GET', path: '/admin/users' } });
  assert.equal(admin.verdict, 'rejected', trace(admin));
  assert.equal(admin.mesh?.status, 403);
  assert.equal(connect(c, { from: 'shop/frontend', to: svc, port: 9080, http: { method: 'GET', path: '/reviews/1' } }).verdict, 'delivered');
  // on plain TCP, a DENY rule's HTTP-only fields are ignored: the rule matches (Istio docs)
  assert.equal(connect(c, { from: 'shop/frontend', to: svc, port: 9080 }).verdict, 'rejected');
});

test('AuthorizationPolicy CUSTOM is skipped with a note (ext_authz is not modelled)', () => {
  const c = meshCluster(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ext, namespace: shop}
spec: {selector: {matchLabels: {app: cart}}, action: CUSTOM, provider: {name: opa}, rules: [{}]}`);
  const res = connect(c, { from: 'shop/frontend', to: 'shop/cart', port: 7070 });
  assert.equal(res.verdict, 'delivered', trace(res));
  assert.ok(res.hops.some((h) => h.action === 'note' && /CUSTOM.*not modelled/.test(h.detail)));
});

const SPLIT = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: 90
    - destination: {host: reviews, subset: v2}
      weight: 10
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: shop}
spec:
  host: reviews
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}`;

test('VirtualService weights 90/10 over DestinationRule subsets: over seeds both subsets are reached, about 90/10, and the trace names the route', () => {
  const c = meshCluster(SPLIT);
  const svc = c.realised.serviceByKey.get('shop/reviews')!.clusterIPs[0];
  const counts: Record<string, number> = { v1: 0, v2: 0 };
  for (let seed = 1; seed <= 400; seed++) {
    const res = connect(c, { from: 'shop/frontend', to: svc, port: 9080, seed });
    assert.equal(res.verdict, 'delivered', trace(res));
    const pod = c.realised.podByKey.get(res.delivered!.pod)!;
    assert.equal(pod.labels.version, res.mesh?.subset);
    counts[pod.labels.version]++;
    assert.equal(res.mesh?.route, 'shop/reviews http[0]');
  }
  assert.ok(counts.v1 > 320 && counts.v1 < 390, JSON.stringify(counts));
  assert.ok(counts.v2 > 10, JSON.stringify(counts));
});

test('a route to a subset no DestinationRule defines: 503, no cluster', () => {
  const c = meshCluster(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec: {hosts: [reviews], http: [{route: [{destination: {host: reviews, subset: v3}}]}]}`);
  const res = connect(c, { from: 'shop/frontend', to: c.realised.serviceByKey.get('shop/reviews')!.clusterIPs[0], port: 9080 });
  assert.equal(res.verdict, 'rejected', trace(res));
  assert.equal(res.mesh?.status, 503);
});

test('VirtualService header match: only matching requests take the first route', () => {
  const c = meshCluster(SPLIT.replace('  http:\n  - route:', `  http:
  - match: [{headers: {end-user: {exact: jason}}}]
    route: [{destination: {host: reviews, subset: v2}}]
  - route:`));
  const svc = c.realised.serviceByKey.get('shop/reviews')!.clusterIPs[0];
  const jason = connect(c, { from: 'shop/frontend', to: svc, port: 9080, http: { path: '/', headers: { 'end-user': 'jason' } } });
  assert.equal(jason.mesh?.subset, 'v2', trace(jason));
  assert.equal(jason.mesh?.route, 'shop/reviews http[0]');
  const other = connect(c, { from: 'shop/frontend', to: svc, port: 9080, http: { path: '/' } });
  assert.equal(other.mesh?.route, 'shop/reviews http[1]');
});

test('outboundTrafficPolicy: ALLOW_ANY passes unknown destinations through, REGISTRY_ONLY blackholes them unless a ServiceEntry names them', () => {
  const any = connect(meshCluster(), { from: 'shop/frontend', to: '203.0.113.7', port: 443 });
  assert.equal(any.verdict, 'delivered', trace(any));
  assert.equal(any.mesh?.cluster, 'PassthroughCluster');
  const meshConfig = `apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |
    outboundTrafficPolicy:
      mode: REGISTRY_ONLY`;
  const blocked = connect(meshCluster(meshConfig), { from: 'shop/frontend', to: '203.0.113.7', port: 443 });
  assert.equal(blocked.verdict, 'rejected', trace(blocked));
  assert.equal(blocked.mesh?.cluster, 'BlackHoleCluster');
  assert.match(blocked.hops.find((h) => h.action === 'reject')!.source!.what, /REGISTRY_ONLY/);
  const entry = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: payments, namespace: shop}
spec: {hosts: [api.payments.example], addresses: [203.0.113.0/24], ports: [{number: 443, name: https, protocol: TLS}], location: MESH_EXTERNAL, resolution: NONE}`;
  const allowed = connect(meshCluster(meshConfig, entry), { from: 'shop/frontend', to: '203.0.113.7', port: 443 });
  assert.equal(allowed.verdict, 'delivered', trace(allowed));
  assert.equal(allowed.mesh?.cluster, 'outbound|443||api.payments.example');
});

test('the proxy container itself (UID 1337) and UDP are not redirected', () => {
  const c = meshCluster();
  const svc = c.realised.serviceByKey.get('shop/cart')!.clusterIPs[0];
  const res = connect(c, { from: 'shop/frontend', to: svc, port: 7070, container: 'istio-proxy' });
  assert.ok(!res.hops.some((h) => h.at.endsWith('ISTIO_OUTPUT')), trace(res));
  assert.ok(res.nat.some((n) => n.kind === 'DNAT'), 'kube-proxy DNATs the un-redirected connection');
});

test('a headless Service endpoint gets its own Envoy cluster and automatic mTLS; a bare pod IP goes through PassthroughCluster in plaintext, which STRICT refuses', () => {
  const headless = `apiVersion: v1
kind: Service
metadata: {name: cart-peers, namespace: shop}
spec: {clusterIP: None, selector: {app: cart}, ports: [{name: tcp, port: 7070}]}`;
  const c = meshCluster(STRICT_NS, headless);
  const res = connect(c, { from: 'shop/frontend', to: 'shop/cart', port: 7070 });
  assert.equal(res.verdict, 'delivered', trace(res));
  assert.equal(res.mesh?.cluster, 'outbound|7070||cart-peers.shop.svc.cluster.local');
  assert.equal(res.mesh?.mtls, true);
  const bare = connect(meshCluster(STRICT_NS), { from: 'shop/frontend', to: 'shop/cart', port: 7070 });
  assert.equal(bare.verdict, 'refused', trace(bare));
  assert.equal(bare.mesh?.cluster, 'PassthroughCluster');
});

test('a VirtualService bound only to a gateway does not route the sidecars (gateways must name "mesh")', () => {
  const c = meshCluster(SPLIT.replace('  hosts: [reviews]\n', '  hosts: [reviews]\n  gateways: [shop-gateway]\n'));
  const res = connect(c, { from: 'shop/frontend', to: c.realised.serviceByKey.get('shop/reviews')!.clusterIPs[0], port: 9080 });
  assert.equal(res.verdict, 'delivered', trace(res));
  assert.equal(res.mesh?.route, undefined);
  assert.equal(res.mesh?.subset, undefined);
});
