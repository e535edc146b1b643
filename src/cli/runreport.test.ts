import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readRunMessages, renderUnmatched } from './runreport';
import { closest, editDistance } from '../model/suggest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { manifestDir, runCli } from './testkit';

const msgs = (...m: object[]) => m.map((x) => JSON.stringify(x)).join('\n');

test('the message stream: scenarios that ran, undefined steps with the closest known phrases', () => {
  const nd = msgs(
    { stepDefinition: { id: 'd1', pattern: { source: 'pod {string} in namespace {string} connects to {string} on {protocol} port {int}' } } },
    { stepDefinition: { id: 'd2', pattern: { source: 'the connection is {verdict}' } } },
    { stepDefinition: { id: 'd3', pattern: { source: 'a cluster with nodes {string}' } } },
    { gherkinDocument: { feature: { children: [{ scenario: { steps: [{ id: 'a1', location: { line: 7 } }] } }] } } },
    { pickle: { uri: 'features/x.feature', steps: [{ id: 'p1', text: 'pod "a" in namespace "b" conects to "c" on TCP port 80', astNodeIds: ['a1'] }] } },
    { testRunStarted: {} },
    { testCase: { id: 't1', testSteps: [{ id: 's1', pickleStepId: 'p1' }] } },
    { testCaseStarted: { testCaseId: 't1' } },
    { testStepFinished: { testStepId: 's1', testStepResult: { status: 'UNDEFINED' } } },
  );
  const r = readRunMessages(nd);
  assert.equal(r.started, true);
  assert.equal(r.testCases, 1);
  assert.equal(r.unmatched.length, 1);
  assert.equal(r.unmatched[0].where, 'features/x.feature:7');
  assert.equal(r.unmatched[0].closest[0], 'pod {string} in namespace {string} connects to {string} on {protocol} port {int}');
  assert.match(renderUnmatched(r.unmatched)[0], /features\/x\.feature:7: undefined step: pod "a"[\s\S]*closest known phrases:/);
  assert.deepEqual(readRunMessages(''), { started: false, testCases: 0, unmatched: [] });
});

test('edit distance counts a transposition as one edit; closest keeps the candidates\' order on ties', () => {
  assert.equal(editDistance('conect', 'connect'), 1);
  assert.equal(editDistance('featrues', 'features'), 1);
  assert.deepEqual(closest('dsn', ['dns', 'get', 'env']), ['dns', 'get', 'env']);
  assert.deepEqual(closest('dsn', ['get', 'env', 'dns'], 2), ['dns', 'get']);
});

test('netspec run with a path that does not exist exits 2 and suggests the near name', async () => {
  const r = await runCli('run', 'featrues');
  assert.equal(r.code, 2);
  assert.match(r.err, /no such file or folder: featrues \(did you mean "features"\?\)/);
});

test('an undefined step\'s snippet never offers {rdata}: the DNS answer type matches any text, so cucumber would make the whole phrase one parameter', async () => {
  const dir = manifestDir({ 'x.feature': 'Feature: x\n  Scenario: y\n    Given the pod web answers TXT records\n' });
  // the compiled CLI in a process of its own (npm test builds dist/ first): cucumber prints the snippet
  const r = spawnSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'netspec.js'), 'run', dir], { encoding: 'utf8', timeout: 60_000 });
  const out = r.stdout + r.stderr;
  assert.equal(r.status, 1, out);
  assert.match(out, /undefined step: the pod web answers TXT records/);
  assert.doesNotMatch(out, /\{rdata\}/);
  assert.match(out, /the pod web answers \{dnstype\} records/);
});
