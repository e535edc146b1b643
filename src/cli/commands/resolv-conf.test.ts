import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLIENT_POD, WEB_PODS_HEADLESS, WEB_SERVICE, manifestDir, runCli as run, yamlDocs } from '../testkit';

// shop/agent: a hostNetwork pod with four nameservers in all (the node's and three of its own)
const m = manifestDir({ 'app.yaml': yamlDocs(CLIENT_POD, `apiVersion: v1
kind: Pod
metadata:
  name: agent
  namespace: shop
spec:
  hostNetwork: true
  dnsConfig:
    nameservers: [1.1.1.1, 8.8.8.8, 9.9.9.9]
  containers:
  - name: agent
    image: agent
`, WEB_SERVICE, WEB_PODS_HEADLESS) });

test('resolv-conf --pod: the file, and -o json in the contract\'s shape', async () => {
  const t = await run('resolv-conf', '-f', m, '--pod', 'shop/client');
  assert.equal(t.code, 0, t.err);
  assert.equal(t.out, 'search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  const j = JSON.parse((await run('resolv-conf', '-f', m, '--pod', 'shop/client', '-o', 'json')).out);
  assert.deepEqual(Object.keys(j).slice(0, 4), ['nameservers', 'searches', 'options', 'warnings']);
  assert.deepEqual(j.nameservers, ['10.96.0.10']);
  assert.equal((await run('resolv-conf', '-f', m)).code, 2);
});

test('resolv-conf: a hostNetwork pod falls back to Default, and the kubelet\'s cuts are warnings', async () => {
  const r = await run('resolv-conf', '-f', m, '--pod', 'shop/agent');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'nameserver 192.168.0.1\nnameserver 1.1.1.1\nnameserver 8.8.8.8\n');
  assert.match(r.err, /Nameserver limits were exceeded/);
  assert.match(r.err, /falls back to Default/);
  const j = JSON.parse((await run('resolv-conf', '-f', m, '--pod', 'shop/agent', '-o', 'json')).out);
  assert.equal(j.warnings.length, 1);
  assert.equal(j.dnsPolicy, 'ClusterFirst');
  assert.equal(j.applied, 'host');
});
