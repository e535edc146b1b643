import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cluster } from '../../cluster';
import { manifestDir, runCli } from '../testkit';
import { SCAFFOLD } from '../scaffold';

// folders made at load time (the testkit removes them when the file ends)
const empty = manifestDir();
const sample = manifestDir(Object.fromEntries(SCAFFOLD.filter(([f]) => f.startsWith('k8s/'))));
const taken = manifestDir({ 'cucumber.js': '// ours\n', 'features/api.feature': 'Feature: ours\n' });

test('init DIR writes the scaffold: features, sample manifests, cucumber config, team steps, editor glue, CI workflow', async () => {
  const dir = empty;
  const r = await runCli('init', dir);
  assert.equal(r.code, 0, r.err);
  for (const f of ['features/api.feature', 'k8s/app.yaml', 'cucumber.js', 'steps/team.steps.ts', '.vscode/settings.json', '.github/workflows/netspec.yml']) {
    assert.ok(existsSync(join(dir, f)), f);
  }
  assert.match(readFileSync(join(dir, '.github/workflows/netspec.yml'), 'utf8'), /npx netspec run --profile ci/);
  assert.match(readFileSync(join(dir, 'cucumber.js'), 'utf8'), /junit:reports\/netspec\.xml.*html:reports\/netspec\.html/);
  assert.deepEqual(Object.keys(JSON.parse(readFileSync(join(dir, '.vscode/settings.json'), 'utf8'))), ['cucumber.features', 'cucumber.glue']);
});

test('init: the sample manifests load without errors or warnings, and the policy they hold decides the spec\'s table', () => {
  const c = Cluster.load([{ path: join(sample, 'k8s') }]);
  assert.deepEqual(c.warnings, []);
  assert.equal(c.connect({ from: 'shop/frontend', to: 'api.shop.svc.cluster.local', port: 80 }).verdict, 'delivered');
  assert.equal(c.connect({ from: 'shop/toolbox', to: 'api.shop.svc.cluster.local', port: 80 }).verdict, 'dropped');
});

test('init never overwrites: one existing file and nothing is written, every clash named, exit 2', async () => {
  const dir = taken;
  const r = await runCli('init', dir);
  assert.equal(r.code, 2);
  assert.match(r.err, /cucumber\.js: error NS-INIT-EXISTS/);
  assert.match(r.err, /features\/api\.feature: error NS-INIT-EXISTS/);
  assert.match(r.err, /2 files already exist; nothing was written/);
  assert.equal(readFileSync(join(dir, 'cucumber.js'), 'utf8'), '// ours\n');
  assert.ok(!existsSync(join(dir, 'k8s/app.yaml')));
  writeFileSync(join(dir, 'x'), '');
  assert.equal((await runCli('init', dir, 'other')).code, 2, 'one folder at most');
});
