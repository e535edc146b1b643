// The netspec entry point: dispatch, help, and the exit-code contract (design §5):
// 0 ok, 1 an expectation failed, 2 bad input or usage — never a stack trace for either.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS, help } from './main';
import { manifestDir, manifestFile, runCli as run } from './testkit';

/** an empty folder: usage errors are found before anything is loaded */
const dir = manifestDir();

test('no command: the help on stdout and exit 2 (a usage error)', async () => {
  const r = await run();
  assert.equal(r.code, 2);
  assert.equal(r.out.trimEnd(), help());
  for (const name of Object.keys(COMMANDS)) assert.match(r.out, new RegExp(`^  ${name.replace('-', '\\-')} +\\S`, 'm'), name);
  assert.match(r.out, /Exit codes: 0 ok, 1 an expectation failed, 2 bad input or usage/);
});

test('help, --help and -h: the help on stdout, exit 0', async () => {
  for (const a of ['help', '--help', '-h']) {
    const r = await run(a);
    assert.equal(r.code, 0, a);
    assert.equal(r.out.trimEnd(), help(), a);
    assert.equal(r.err, '', a);
  }
});

test('an unknown command: exit 2, named on stderr, followed by the help', async () => {
  const r = await run('gte', 'pods');
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.match(r.err, /^netspec: unknown command "gte" \(did you mean "get"\?\)\n\n/);
  assert.ok(r.err.includes(help()));
});

test('COMMAND --help prints that command\'s usage, exit 0, without running it', async () => {
  const r = await run('get', '--help');
  assert.equal(r.code, 0);
  assert.match(r.out, /^netspec get KIND/);
  assert.equal(r.err, '');
  const h = await run('get', 'pods', '-h');
  assert.equal(h.code, 0);
  assert.equal(h.out, r.out);
});

test('a usage error names the problem and shows the usage: exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['get', 'pods', '--frobnicate'], /netspec get: unknown flag --frobnicate/],
    [['get', 'pods', '-f'], /netspec get: flag --filename needs a value/],
    [['get', 'pods', '-f', dir, '-o', 'xml'], /netspec get: --output must be one of yaml, json, wide, name \(got "xml"\)/],
    [['get', 'pods', '-f', dir, '-n', 'a', '-n', 'b'], /netspec get: flag --namespace given twice/],
  ];
  for (const [argv, msg] of cases) {
    const r = await run(...argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.err, msg, argv.join(' '));
    assert.match(r.err, /\n\nUsage: netspec get /, argv.join(' '));
    assert.equal(r.out, '', argv.join(' '));
  }
});

test('input errors: every error with file:line:col, code and hint, warnings first, then a count; exit 2', async () => {
  const f = manifestFile('mixed.yaml', [
    'apiVersion: example.com/v1', //  1
    'kind: Widget', //                2
    'metadata: {name: w}', //         3
    '---', //                         4
    'apiVersion: v1', //              5
    'kind: Pod', //                   6
    'metadata:', //                   7
    '  name: Bad_Name', //            8
    'spec:', //                       9
    '  containers:', //               10
    '  - name: app', //               11
    '    image: nginx', //            12
    '    ports:', //                  13
    '    - containerPort: 0', //      14
  ].join('\n'));
  const r = await run('get', 'pods', '-f', f);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  const lines = r.err.trimEnd().split('\n');
  assert.match(lines[0], /mixed\.yaml:1:1: warning NS-UNKNOWN-KIND: Widget "w"/);
  const errors = lines.filter((l) => / error NS-/.test(l));
  assert.equal(errors.length, 2, r.err);
  assert.match(errors[0], /mixed\.yaml:8:9: error NS-INVALID-NAME: /);
  assert.match(errors[1], /mixed\.yaml:14:22: error NS-PORT-RANGE: /);
  // each error is followed by its hint, indented
  for (const e of errors) assert.match(lines[lines.indexOf(e) + 1], /^ {4}hint: \S/);
  assert.equal(lines[lines.length - 1], 'netspec get: 2 input errors; nothing was run');
  assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
});

test('a warning alone does not fail the command', async () => {
  const f = manifestFile('warn.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n');
  const r = await run('get', 'nodes', '-f', f, '-o', 'name');
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /warning NS-UNKNOWN-KIND/);
  assert.doesNotMatch(r.err, / error /);
});

test('an empty directory is a warning, not an error', async () => {
  const empty = manifestDir();
  const r = await run('get', 'namespaces', '-f', empty, '-o', 'name');
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /warning NS-EMPTY-INPUT: /);
  // the system namespaces exist even in an empty cluster
  assert.equal(r.out, 'namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n');
});
