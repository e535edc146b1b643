// Issue 10's acceptance through the command line: a shop namespace with istio-injection=enabled
// and PeerAuthentication STRICT; connect goes through both sidecars with an mTLS identity, a pod
// of an un-injected namespace is refused at the server's sidecar naming the policy;
// iptables-save --pod prints the pod's istio-iptables rules; get pods -o yaml shows the sidecar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BASE } from '../../mesh/testkit';
import { manifestDir, runCli as run } from '../testkit';

const dir = manifestDir({
  'shop.yaml': BASE,
  'istio.yaml': 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: shop}\nspec:\n  mtls: {mode: STRICT}\n',
});

test('netspec connect -o json: delivered through both sidecars with the client\'s SPIFFE identity', async () => {
  const r = await run('connect', '-f', dir, '--from', 'shop/frontend', '--to', 'cart.shop.svc.cluster.local', '--port', '7070', '-o', 'json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.verdict, 'delivered');
  assert.deepEqual(j.mesh.sidecars, ['shop/frontend', 'shop/cart']);
  assert.equal(j.mesh.identity, 'spiffe://cluster.local/ns/shop/sa/frontend');
  assert.ok(j.hops.some((h: any) => h.at === 'pod/shop/frontend/container/istio-proxy' && h.action === 'forward'));
  assert.ok(j.hops.some((h: any) => h.at === 'pod/shop/cart/container/istio-proxy' && h.action === 'allow'));
});

test('netspec connect from an un-injected namespace: refused at the cart\'s sidecar, naming the PeerAuthentication with file:line', async () => {
  const r = await run('connect', '-f', dir, '--from', 'legacy/job', '--to', 'cart.shop.svc.cluster.local', '--port', '7070', '-o', 'json');
  const j = JSON.parse(r.out);
  assert.equal(j.verdict, 'refused');
  const refuse = j.hops.find((h: any) => h.action === 'refuse');
  assert.equal(refuse.at, 'pod/shop/cart/container/istio-proxy');
  assert.equal(refuse.source, `PeerAuthentication shop/default (${join(dir, 'istio.yaml')}:5:16)`);
});

test('netspec iptables-save --pod: the 15001/15006 redirects and the UID 1337 exception; a pod without a sidecar is a usage error', async () => {
  const r = await run('iptables-save', '-f', dir, '--pod', 'shop/frontend');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001$/m);
  assert.match(r.out, /^-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006$/m);
  assert.match(r.out, /^-A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN$/m);
  const bare = await run('iptables-save', '-f', dir, '--pod', 'legacy/job');
  assert.equal(bare.code, 2);
  assert.match(bare.err, /no sidecar/);
});

test('netspec get pods -o yaml shows the injected istio-init and istio-proxy containers', async () => {
  const r = await run('get', 'pods', '-f', dir, '-n', 'shop', '-o', 'yaml');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /name: istio-init/);
  assert.match(r.out, /name: istio-proxy/);
  assert.match(r.out, /containerPort: 15090/);
  assert.match(r.out, /sidecar\.istio\.io\/status:/);
});

test('netspec connect --method/--path: the request meets the AuthorizationPolicy', async () => {
  const d = manifestDir({
    'shop.yaml': BASE,
    'ap.yaml': 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: no-admin, namespace: shop}\nspec:\n  selector: {matchLabels: {app: reviews}}\n  action: DENY\n  rules: [{to: [{operation: {paths: ["/admin"]}}]}]\n',
  });
  const r = await run('connect', '-f', d, '--from', 'shop/frontend', '--to', 'reviews.shop.svc.cluster.local', '--port', '9080', '--path', '/admin', '-o', 'json');
  const j = JSON.parse(r.out);
  assert.equal(j.verdict, 'rejected');
  assert.equal(j.mesh.status, 403);
});
