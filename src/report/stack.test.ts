import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cleanStack, frameFile } from './stack';
import { manifestDir } from '../cli/testkit';

test("a step's stack keeps its message and the user's own frames; netspec's, node's and cucumber's go", () => {
  const stack = [
    'Error: connect shop/client → shop/web TCP port 80',
    '  expected: delivered',
    '    at mismatch (/opt/netspec/dist/steps/support.js:67:12)',
    '    at NetspecWorld.<anonymous> (/home/me/specs/steps/team.steps.js:12:5)',
    '    at Object.run (/home/me/specs/node_modules/@cucumber/cucumber/lib/user_code_runner.js:64:30)',
    '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    '    at file:///home/me/specs/steps/other%20steps.mjs:3:1',
  ].join('\n');
  assert.equal(cleanStack(stack, '/opt/netspec'), [
    'Error: connect shop/client → shop/web TCP port 80',
    '  expected: delivered',
    '    at NetspecWorld.<anonymous> (/home/me/specs/steps/team.steps.js:12:5)',
    '    at file:///home/me/specs/steps/other%20steps.mjs:3:1',
  ].join('\n'));
  // a sibling folder whose name starts like the package's is not the package
  assert.match(cleanStack('Error: x\n    at f (/opt/netspec-team/steps/a.js:1:1)', '/opt/netspec'), /netspec-team/);
  assert.equal(frameFile('    at file:///a/b%20c.js:1:2'), '/a/b c.js');
  assert.equal(frameFile('    at new Promise (<anonymous>)'), undefined);
});

test('netspec run: a failing step prints its trace once and no stack frame of netspec, node or cucumber; the old clock phrase fails naming both new ones; the manifests\' warnings come once, at the end', () => {
  const dir = manifestDir({
    'x.feature': [
      'Feature: x',
      '  Scenario: a policy denies',
      '    Given a cluster with nodes "node-a" and "node-b"',
      '    And a pod "client" in namespace "shop" on node "node-a"',
      '    And a pod "web" in namespace "shop" on node "node-b" labelled "app=web"',
      '    And a network policy "deny-all" in namespace "shop" that denies all ingress',
      '    And the manifest:',
      '      """yaml',
      '      apiVersion: cert-manager.io/v1',
      '      kind: Certificate',
      '      metadata: {name: a, namespace: shop}',
      '      ---',
      '      apiVersion: cert-manager.io/v1',
      '      kind: Certificate',
      '      metadata: {name: b, namespace: shop}',
      '      """',
      '    When pod "client" in namespace "shop" connects to pod "web" in namespace "shop" on TCP port 80',
      '    Then the connection is delivered',
      '  Scenario: the clock',
      '    Given a cluster with nodes "node-a"',
      '    When the clock is at t=10s',
      '    And 20s have passed',
      '',
    ].join('\n'),
  });
  // the compiled CLI in a process of its own (npm test builds dist/ first)
  const r = spawnSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'netspec.js'), 'run', dir], { encoding: 'utf8', timeout: 60_000 });
  const out = r.stdout + r.stderr;
  assert.equal(r.status, 1, out);
  assert.match(out, /expected: delivered\n\s+actual: +dropped/);
  assert.equal(out.match(/7\. deny +policy\/shop\/deny-all/g)?.length, 1, out);
  assert.doesNotMatch(out, /^\s+at .*(dist|steps|src|node_modules|node:internal)/m, out);
  assert.match(out, /"20s have passed" is ambiguous: write "When the clock is at t=20s" \(absolute[^)]*\) or "When 20s more have passed" \(relative: the clock is at t=10s now\)/);
  assert.match(out, /2 scenarios \(2 failed\)/);
  // the manifests' warnings once, at the end of the run: one line for the unknown kind, with its count
  assert.match(r.stderr, /netspec: 2 warnings from the scenarios' manifests[^\n]*\n  \S*x\.feature:\d+:\d+: warning NS-UNKNOWN-KIND: Certificate "a" [^\n]*\[2 NS-UNKNOWN-KIND for kind Certificate \(cert-manager\.io\/v1\) in all/);
  const quiet = spawnSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'netspec.js'), 'run', dir, '--warnings', 'none'], { encoding: 'utf8', timeout: 60_000 });
  assert.doesNotMatch(quiet.stderr, /NS-UNKNOWN-KIND/);
});
