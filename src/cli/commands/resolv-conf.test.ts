import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type IO } from '../main';

const m = mkdtempSync(join(tmpdir(), 'netspec-resolvconf-'));
after(() => rmSync(m, { recursive: true, force: true }));
writeFileSync(join(m, 'app.yaml'), `apiVersion: v1
kind: Pod
metadata:
  name: client
  namespace: shop
spec:
  containers:
  - name: app
    image: busybox
---
apiVersion: v1
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
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  clusterIP: 10.96.0.20
  selector: {app: web}
  ports:
  - name: http
    port: 80
    targetPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: web-pods
  namespace: shop
spec:
  clusterIP: None
  selector: {app: web}
  ports:
  - port: 8080
`);

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const io: IO = { out: (t) => { out += t + '\n'; }, err: (t) => { err += t + '\n'; } };
  const code = await main(argv, io);
  return { code, out, err };
}

test('resolv-conf --pod: the file, and -o json in the contract\'s shape', async () => {
  const t = await run('resolv-conf', '-f', m, '--pod', 'shop/client');
  assert.equal(t.code, 0, t.err);
  assert.equal(t.out, 'search shop.svc.cluster.local svc.cluster.local cluster.local example.internal\nnameserver 10.96.0.10\noptions ndots:5\n');
  const j = JSON.parse((await run('resolv-conf', '-f', m, '--pod', 'shop/client', '-o', 'json')).out);
  assert.deepEqual(Object.keys(j).slice(0, 4), ['nameservers', 'searches', 'options', 'warnings']);
  assert.deepEqual(j.nameservers, ['10.96.0.10']);
  assert.equal((await run('resolv-conf', '-f', m)).code, 2);
});


test('resolv-conf: a hostNetwork pod falls back to Default, and the kubelet\'s cuts are warnings', async () => {
  const r = await run('resolv-conf', '-f', m, '--pod', 'shop/agent');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'search example.internal\nnameserver 192.168.0.1\nnameserver 1.1.1.1\nnameserver 8.8.8.8\n');
  assert.match(r.err, /Nameserver limits were exceeded/);
  assert.match(r.err, /falls back to Default/);
  const j = JSON.parse((await run('resolv-conf', '-f', m, '--pod', 'shop/agent', '-o', 'json')).out);
  assert.equal(j.warnings.length, 1);
  assert.equal(j.dnsPolicy, 'ClusterFirst');
  assert.equal(j.applied, 'host');
});
