import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLIENT_POD, WEB_PODS_HEADLESS, WEB_SERVICE, manifestDir, runCli as run, yamlDocs } from '../testkit';

const m = manifestDir({ 'app.yaml': yamlDocs(CLIENT_POD, WEB_SERVICE, WEB_PODS_HEADLESS) });

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
