// --warnings none|summary|all on every command that loads manifests (and netspec run's NETSPEC_WARNINGS).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manifestDir, runCli, yamlDocs, CLIENT_POD } from './testkit';
import { translateRunArgs } from './commands/run';

const crd = (kind: string, name: string) => `apiVersion: cert-manager.io/v1\nkind: ${kind}\nmetadata: {name: ${name}, namespace: shop}\n`;
const dir = manifestDir({
  'x.yaml': yamlDocs(CLIENT_POD, crd('Certificate', 'a'), crd('Certificate', 'b'), crd('Certificate', 'c'), crd('Issuer', 'i'),
    'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa, namespace: shop}\n', 'apiVersion: apps/v1\nkind: ControllerRevision\nmetadata: {name: cr, namespace: shop}\nrevision: 1\n'),
});
const warnings = (err: string) => err.split('\n').filter((l) => / warning /.test(l));

test('default (summary): one line per unknown kind with its count; known-quiet kinds say nothing', async () => {
  const r = await runCli('get', 'pods', '-f', dir);
  assert.equal(r.code, 0, r.err);
  const w = warnings(r.err);
  assert.equal(w.length, 2, r.err);
  assert.match(w[0], /warning NS-UNKNOWN-KIND: Certificate "a" .*\[3 NS-UNKNOWN-KIND for kind Certificate \(cert-manager\.io\/v1\) in all; --warnings all lists each\]/);
  assert.match(w[1], /Issuer "i"/);
  assert.doesNotMatch(r.err, /ServiceAccount|ControllerRevision/);
});

test('--warnings all lists each, --warnings none hides them; a bad mode is a usage error (exit 2)', async () => {
  assert.equal(warnings((await runCli('get', 'pods', '-f', dir, '--warnings', 'all')).err).length, 4);
  const none = await runCli('connect', '-f', dir, '--from', 'shop/client', '--to', '10.0.0.1', '--port', '80', '--warnings=none');
  assert.deepEqual(warnings(none.err), []);
  const bad = await runCli('get', 'pods', '-f', dir, '--warnings', 'loud');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--warnings must be one of none, summary, all \(got "loud"\)/);
});

test('bad input: the warnings as --warnings asks, then the errors; exit 2', async () => {
  const broken = manifestDir({ 'x.yaml': yamlDocs(crd('Certificate', 'a'), crd('Certificate', 'b'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: 3}\n') });
  const r = await runCli('get', 'pods', '-f', broken, '--warnings', 'none');
  assert.equal(r.code, 2);
  assert.doesNotMatch(r.err, /NS-UNKNOWN-KIND/);
  assert.match(r.err, / error /);
  const s = await runCli('get', 'pods', '-f', broken);
  assert.equal(warnings(s.err).length, 1);
});

test('netspec run --warnings MODE sets NETSPEC_WARNINGS for the steps; a bad mode or a missing value exits 2', async () => {
  assert.deepEqual(translateRunArgs(['features', '--warnings', 'all']), { args: ['features'], env: { NETSPEC_WARNINGS: 'all' } });
  assert.deepEqual(translateRunArgs(['--warnings=none']).env, { NETSPEC_WARNINGS: 'none' });
  const r = await runCli('run', '--warnings', 'loud');
  assert.equal(r.code, 2);
  assert.match(r.err, /--warnings must be one of none, summary, all \(got "loud"\)/);
  assert.equal((await runCli('run', '--warnings')).code, 2);
});
