import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type IO } from '../main';

const m = mkdtempSync(join(tmpdir(), 'netspec-env-'));
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

test('env --pod: service links as NAME=value, -o json, unknown container is a usage error', async () => {
  const t = await run('env', '-f', m, '--pod', 'shop/client');
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /^WEB_SERVICE_HOST=10\.96\.0\.20$/m);
  assert.match(t.out, /^WEB_PORT_80_TCP=tcp:\/\/10\.96\.0\.20:80$/m);
  assert.doesNotMatch(t.out, /WEB_PODS_/, 'headless services have no variables');
  const j = JSON.parse((await run('env', '-f', m, '--pod', 'shop/client', '-o', 'json')).out);
  assert.equal(j.WEB_SERVICE_PORT_HTTP, '80');
  assert.equal(j.KUBERNETES_SERVICE_HOST, '10.96.0.1');
  const bad = await run('env', '-f', m, '--pod', 'shop/client', '--container', 'nope');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /containers: app/);
});
