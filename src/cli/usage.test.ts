// Every usage error exits 2 with a one-line reason and the command's usage: a table of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manifestDir, runCli, CLIENT_POD } from './testkit';

const dir = manifestDir({ 'x.yaml': CLIENT_POD });
const CASES: [string[], RegExp][] = [
  [['get', 'pods', '-f', dir, '--bogus'], /unknown flag --bogus/],
  [['get', 'pods', '-f', dir, '--namspace', 'shop'], /unknown flag --namspace \(did you mean "--namespace"/],
  [['get', 'pods', '-f', dir, '-o'], /flag --output needs a value/],
  [['get', 'pods', '-f', dir, '-o', 'xml'], /--output must be one of yaml, json, wide, name \(got "xml"\)/],
  [['get', 'pods', '-f', dir, '--at', 'soon'], /--at takes a duration like 90s/],
  [['get', 'servces', '-f', dir], /did you mean "services"/],
  [['connect', '-f', dir, '--from', 'shop/client', '--to', '10.0.0.1', '--port', 'abc'], /--port must be a whole number/],
  [['connect', '-f', dir, '--from', 'shop/client', '--to', '10.0.0.1', '--port', '80', '--at', '5 minutes'], /--at takes a duration/],
  [['dns', '-f', dir], /--name is required/],
  [['request', '-f', dir, '-o', 'yaml'], /--output must be one of json/],
  [['timeline', '-f', dir, '--until', 'x'], /--until takes a duration/],
  [['matrix', '-f', dir, '-o', 'pdf'], /--output must be one of/],
  [['diff', 'a'], /two manifest sets/],
  [['iptables-save', '-f', dir, '--node', 'nod-a'], /no node "nod-a"/],
  [['resolv-conf', '-f', dir, '--pod', 'x'], /--pod takes NS\/POD/],
  [['get', 'pods', '-f', dir, '--warnings', 'loud'], /--warnings must be one of none, summary, all/],
  [['conect'], /unknown command "conect" \(did you mean "connect"/],
];

for (const [argv, message] of CASES) {
  test(`usage error → exit 2: netspec ${argv.map((a) => (a === dir ? 'DIR' : a)).join(' ')}`, async () => {
    const r = await runCli(...argv);
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(r.err, message);
    assert.equal(r.out, '');
  });
}
