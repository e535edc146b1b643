import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './testkit';

const SHOP = 'examples/shop/k8s';

test('connect --expect: exit 0 when the verdict matches, 1 with a one-line reason when not', async () => {
  const ok = await runCli('connect', '-f', SHOP, '--from', 'shop/deployment/frontend', '--to', 'svc/cart', '-n', 'shop', '--port', '7070', '--expect', 'delivered');
  assert.equal(ok.code, 0, ok.err);
  const bad = await runCli('connect', '-f', SHOP, '--from', 'shop/deployment/frontend', '--to', 'svc/cart', '-n', 'shop', '--port', '7070', '--expect', 'dropped');
  assert.equal(bad.code, 1);
  assert.equal(bad.err.trim().split('\n').length, 1);
  assert.match(bad.err, /expectation failed: expected dropped, got delivered/);
});

test('connect --expect-to names the destination by role; a wrong one exits 1', async () => {
  const ok = await runCli('connect', '-f', SHOP, '--from', 'shop/toolbox', '--to', 'svc/frontend', '--port', '80', '--expect-to', 'deployment/frontend');
  assert.equal(ok.code, 0, ok.err);
  const bad = await runCli('connect', '-f', SHOP, '--from', 'shop/toolbox', '--to', 'svc/frontend', '--port', '80', '--expect-to', 'shop/deployment/cart');
  assert.equal(bad.code, 1);
  assert.match(bad.err, /expected delivery to deployment shop\/cart \(2 pods\), got delivered to shop\/frontend-/);
});

test('--expect takes only the words the command answers with (usage error, exit 2)', async () => {
  assert.equal((await runCli('connect', '-f', SHOP, '--from', 'shop/toolbox', '--to', 'svc/cart', '--port', '7070', '--expect', 'ok')).code, 2);
  assert.equal((await runCli('dns', '-f', SHOP, '--name', 'cart.shop.svc.cluster.local', '--expect', 'nope')).code, 2);
});

test('dns --expect RCODE', async () => {
  assert.equal((await runCli('dns', '-f', SHOP, '--from', 'shop/toolbox', '--name', 'cart', '--expect', 'NOERROR')).code, 0);
  const bad = await runCli('dns', '-f', SHOP, '--from', 'shop/toolbox', '--name', 'cart', '--expect', 'NXDOMAIN');
  assert.equal(bad.code, 1);
  assert.match(bad.err, /expected NXDOMAIN for cart A, got NOERROR \(A 10\.96\./);
});

test('--version and did-you-mean for a misspelt command', async () => {
  const v = await runCli('--version');
  assert.equal(v.code, 0);
  assert.equal(v.out.trim(), `netspec ${require('../../package.json').version}`);
  const u = await runCli('conect');
  assert.equal(u.code, 2);
  assert.match(u.err, /unknown command "conect" \(did you mean "connect"\?\)/);
});

test('request --expect STATUS on the stock ingress-nginx install: proxied from the controller Deployment\'s pod, never an admission Job\'s', async () => {
  const dir = 'features/ingress/k8s/ingress-nginx-cloud';
  const ok = await runCli('request', '-f', dir, '--url', 'http://hello.example.com/', '--expect', '200', '-o', 'json');
  assert.equal(ok.code, 0, ok.err);
  assert.match(JSON.parse(ok.out).upstream.from, /^ingress-nginx\/ingress-nginx-controller-[a-z0-9]+-[a-z0-9]{5}$/);
  const bad = await runCli('request', '-f', dir, '--url', 'http://hello.example.com/', '--expect', '504');
  assert.equal(bad.code, 1);
  assert.match(bad.err, /expected 504 for http:\/\/hello\.example\.com\/, got 200/);
});
