// The adoption test: netspec as a new team gets it. Pack the package, install the tarball into a
// fresh temporary project (npm's cache first: --prefer-offline), `npx netspec init`, `npx netspec
// run`: the scaffolded spec passes; a deliberately broken one fails with exit 1 and a message
// located at its feature file's line. Needs the compiled build (npm run build; npm test builds).
'use strict';
const { test, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const { existsSync, mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const MINUTES = 60_000;
const tmp = mkdtempSync(join(tmpdir(), 'netspec-adopt-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs a command; its exit code and output (stdout and stderr together, as a user would read it). */
function sh(cmd, args, cwd, timeout = 2 * MINUTES) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, npm_config_update_notifier: 'false', NO_COLOR: '1' } });
  if (r.error) throw r.error;
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

test('a new team: npm install the packed tarball, npx netspec init, npx netspec run', { timeout: 5 * MINUTES }, () => {
  assert.ok(existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')), 'the compiled build is missing: run `npm run build` first');
  // the build is already there: pack it as is (no prepare run)
  const pack = sh('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', tmp], ROOT);
  assert.equal(pack.code, 0, pack.out);
  const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball, `npm pack made no tarball: ${pack.out}`);

  const project = join(tmp, 'team');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'team-network-specs', version: '1.0.0', private: true }, null, 2));
  const install = sh('npm', ['install', join(tmp, tarball), '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], project, 4 * MINUTES);
  assert.equal(install.code, 0, install.out);

  const init = sh('npx', ['--no-install', 'netspec', 'init'], project);
  assert.equal(init.code, 0, init.out);
  for (const f of ['features/api.feature', 'k8s/app.yaml', 'cucumber.js', '.vscode/settings.json', '.github/workflows/netspec.yml']) {
    assert.ok(existsSync(join(project, f)), `init wrote ${f}`);
  }
  assert.equal(sh('npx', ['--no-install', 'netspec', 'init'], project).code, 2, 'a second init finds its files and writes nothing');

  const run = sh('npx', ['--no-install', 'netspec', 'run'], project);
  assert.equal(run.code, 0, run.out);
  assert.match(run.out, /3 scenarios \(3 passed\)/, 'the scaffold\'s spec, its team step included, passes');

  // the library facade answers from the team's project; the step library resolves (cucumber loads it)
  const lib = sh(process.execPath, ['-e', `
    const { Cluster } = require('netspec');
    const c = Cluster.load([{ path: 'k8s' }]);
    console.log(c.connect({ from: 'shop/toolbox', to: 'api.shop.svc.cluster.local', port: 80 }).verdict);
    console.log(require('node:path').relative('node_modules/netspec', require.resolve('netspec/steps')));
  `], project);
  assert.equal(lib.code, 0, lib.out);
  assert.deepEqual(lib.out.trim().split('\n'), ['dropped', require('node:path').join('dist', 'steps', 'index.js')]);

  writeFileSync(join(project, 'features', 'broken.feature'), [
    'Feature: a wrong expectation',
    '  Scenario: the toolbox is let in (it is not)',
    '    Given the manifests in "../k8s"',
    '    When pod "toolbox" in namespace "shop" connects to "api.shop.svc.cluster.local" on TCP port 80',
    '    Then the connection is delivered',
    '',
  ].join('\n'));
  const broken = sh('npx', ['--no-install', 'netspec', 'run'], project);
  assert.equal(broken.code, 1, broken.out);
  assert.match(broken.out, /features[/\\]broken\.feature:2/, 'the failure names the scenario\'s file and line');
  assert.match(broken.out, /✖ Then the connection is delivered/, 'and the step that failed');
  assert.match(broken.out, /expected: delivered/);
  assert.match(broken.out, /actual: +dropped/);
});
