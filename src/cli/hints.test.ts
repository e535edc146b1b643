// Hints name the CLOSEST names (edit distance, src/model/suggest.ts), not the first ones listed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closestList } from '../model/suggest';
import { manifestDir, runCli, yamlDocs } from './testkit';

const pod = (name: string, node: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  nodeName: ${node}\n  containers: [{name: app, image: x}]\n`;
const node = (name: string) => `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}}\n`;
// eight pods and nodes: the closest names come last in the files, so a "first five" hint misses them
const dir = manifestDir({
  'x.yaml': yamlDocs(
    ...['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'].map((n) => node(`worker-${n}`)), node('gpu-large-1'), node('gpu-large-2'),
    ...['a1', 'a2', 'a3', 'a4', 'a5', 'a6'].map((n) => pod(n, 'worker-alpha')), pod('checkout-7d9f', 'worker-alpha'), pod('checkout-5c2a', 'worker-bravo'),
  ),
});

test('closestList: nearest first, ties in the given order, "none" when there is nothing', () => {
  assert.equal(closestList('chekout', ['a1', 'cart', 'checkout', 'checkouts', 'x']), 'checkout, checkouts, cart');
  assert.equal(closestList('x', []), 'none');
});

test('connect: an unknown pod names the closest pods of its namespace', async () => {
  const r = await runCli('connect', '-f', dir, '--from', 'shop/checkout-7d9x', '--to', 'shop/a1', '--port', '80');
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /no pod shop\/checkout-7d9x/);
  assert.match(r.err, /closest pods in shop: shop\/checkout-7d9f, shop\/checkout-5c2a/);
  assert.doesNotMatch(r.err, /shop\/a1, shop\/a2/);
});

test('iptables-save --node and connect --via: an unknown node names the closest nodes', async () => {
  const r = await runCli('iptables-save', '-f', dir, '--node', 'gpu-larg-2');
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /no node "gpu-larg-2" \(closest nodes: gpu-large-2, gpu-large-1/);
  const v = await runCli('connect', '-f', dir, '--from', 'node/gpu-lage-1', '--to', 'shop/a1', '--port', '80');
  assert.equal(v.code, 2, v.err);
  assert.match(v.err, /closest nodes: gpu-large-1, gpu-large-2/);
});

test('get: an unknown kind says "did you mean"; exit 2', async () => {
  const r = await runCli('get', 'servces', '-f', dir);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown kind "servces" \(did you mean "services", "service"/);
  const d = await runCli('get', 'deploymnets', '-f', dir);
  assert.match(d.err, /did you mean "deployments"/);
});
