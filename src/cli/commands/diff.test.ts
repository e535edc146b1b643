import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { manifestDir, runCli } from '../testkit';

const DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: cart-deny-ingress, namespace: shop}
spec:
  podSelector: {matchLabels: {app.kubernetes.io/name: cart}}
  policyTypes: [Ingress]
`;

/** examples/shop/k8s plus a NetworkPolicy denying ingress to the cart */
const CHANGED = manifestDir({ 'apps/deny-cart.yaml': DENY });
cpSync('examples/shop/k8s', CHANGED, { recursive: true });
const changedShop = () => CHANGED;

test('netspec diff lists the lost callers of the cart with the policy file:line; --fail-on-change exits 1', async () => {
  const changed = changedShop();
  const r = await runCli('diff', 'examples/shop/k8s', changed, '--fail-on-change');
  assert.equal(r.code, 1, r.err);
  const policyAt = `${join(changed, 'apps/deny-cart.yaml')}:1`;
  assert.ok(r.out.includes(`lost    shop/deployment/frontend → Service shop/cart:7070/TCP (grpc)\n          now dropped by NetworkPolicy shop/cart-deny-ingress (${policyAt})`), r.out);
  assert.ok(r.out.includes('lost    shop/pod/toolbox → Service shop/cart:7070/TCP (grpc)'));
  assert.ok(!/→ Service shop\/frontend/.test(r.out), 'unchanged pairs are not listed');
  const md = await runCli('diff', 'examples/shop/k8s', changed, '-o', 'markdown');
  assert.equal(md.code, 0);
  assert.match(md.out, /\| 🔴 lost \| shop\/deployment\/frontend \| Service shop\/cart:7070\/TCP \(grpc\) \|/);
  const js = JSON.parse((await runCli('diff', 'examples/shop/k8s', changed, '-o', 'json')).out);
  assert.ok(js.changes.some((c: any) => c.from === 'shop/pod/toolbox' && c.to.name === 'shop/cart' && c.to.port === 7070 && c.after.verdict === 'dropped'));
});

test('netspec diff of a set with itself prints no change and exits 0 even with --fail-on-change', async () => {
  const r = await runCli('diff', 'examples/shop/k8s', 'examples/shop/k8s', '--fail-on-change');
  assert.equal(r.code, 0);
  assert.match(r.out, /no object changed\n\nno connection changed/);
});

test('netspec diff reads git:REV:PATH, and a bad revision is an input error (exit 2)', async () => {
  const r = await runCli('diff', 'git:HEAD:examples/shop/k8s', 'examples/shop/k8s');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /no connection changed/);
  const bad = await runCli('diff', 'git:no-such-rev:examples/shop/k8s', 'examples/shop/k8s');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /NS-GIT-SOURCE.*no-such-rev/);
});

test('netspec diff needs two sets', async () => {
  const r = await runCli('diff', 'examples/shop/k8s');
  assert.equal(r.code, 2);
  assert.match(r.err, /two manifest sets/);
});

test('netspec draw path is the packet path as SVG naming the deciding policy; draw topology too', async () => {
  const changed = changedShop();
  const r = await runCli('draw', 'path', '-f', changed, '--from', 'shop/toolbox', '--to', 'shop/' + 'frontnd', '--port', '8080');
  assert.equal(r.code, 2, 'NS/NAME targets must name a pod or a workload');
  const p = await runCli('draw', 'path', '-f', changed, '--from', 'shop/toolbox', '--to', 'cart.shop.svc.cluster.local', '--port', '7070');
  assert.equal(p.code, 0, p.err);
  assert.match(p.out, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(p.out, /decided by: NetworkPolicy shop\/cart-deny-ingress/);
  assert.match(p.out, /class="node bad" data-id="[^"]+"><title>deny policy\/shop\/cart-deny-ingress/);
  const again = await runCli('draw', 'path', '-f', changed, '--from', 'shop/toolbox', '--to', 'cart.shop.svc.cluster.local', '--port', '7070');
  assert.equal(again.out, p.out, 'the same question draws the same bytes');
  const t = await runCli('draw', 'topology', '-f', changed, '-n', 'shop');
  assert.equal(t.code, 0, t.err);
  for (const want of ['Service shop/cart', 'NetworkPolicy shop/cart-deny-ingress', 'namespace shop', 'redis-0']) assert.ok(t.out.includes(want), want);
  assert.ok(!t.out.includes('coredns'), '-n shop leaves kube-system out');
  const bad = await runCli('draw', 'topology', '-f', changed, '-n', 'nope');
  assert.equal(bad.code, 2);
});
