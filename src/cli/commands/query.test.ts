import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { manifestDir, manifestFile, runCli, yamlDocs, CLIENT_POD, WEB_SERVICE } from '../testkit';
import { parseQuestion } from './query';

const WEB_POD = `apiVersion: v1
kind: Pod
metadata:
  name: web-1
  namespace: shop
  labels: {app: web}
spec:
  containers:
  - name: app
    image: nginx
    ports:
    - containerPort: 8080
`;
const dir = manifestDir({ 'all.yaml': yamlDocs(CLIENT_POD, WEB_POD, WEB_SERVICE) });
const lines = (out: string) => out.trim().split('\n').map((l) => JSON.parse(l));

test('query: one answer a line, in order, each the single command\'s -o json under its kind; a bad line is a located error and the rest still run', async () => {
  const questions = manifestFile('q.jsonl', [
    '{"connect": {"from": "shop/client", "to": "web.shop.svc.cluster.local", "port": 80}}',
    'not json',
    '',
    '{"dns": {"from": "shop/client", "name": "web"}}',
    '{"connect": {"from": "shop/client", "to": "web", "port": 81}}',
    '{"request": {"url": "http://shop.example.com/"}}',
    '{"connect": {"from": "shop/nobody", "to": "web", "port": 80}}',
  ].join('\n'));
  const r = await runCli('query', '-f', dir, '--queries', questions);
  assert.equal(r.code, 2, 'some lines were not questions');
  const out = lines(r.out);
  assert.deepEqual(out.map((o) => o.line), [1, 2, 4, 5, 6, 7], 'a blank line is skipped, numbering stays the file\'s');
  assert.equal(out[0].connect.verdict, 'delivered');
  assert.equal(out[0].connect.delivered.pod, 'shop/web-1');
  assert.deepEqual(out[0].connect.nat[0], { kind: 'DNAT', by: 'kube-proxy', before: '10.96.0.20:80', after: `${out[0].connect.delivered.ip}:8080` });
  assert.equal(out[1].error.code, 'NS-QUERY-JSON');
  assert.deepEqual([out[1].error.file, out[1].error.line], [questions, 2]);
  assert.equal(out[2].dns.rcode, 'NOERROR');
  assert.deepEqual(out[2].dns.answers.map((a: { data: string }) => a.data), ['10.96.0.20']);
  assert.notEqual(out[3].connect.verdict, 'delivered', 'port 81 is not a port of the Service: kube-proxy has no rule for it');
  assert.equal(out[4].error.code, 'NS-NO-INGRESS-CLASS', 'a question the cluster cannot answer is a located error too');
  assert.deepEqual([out[4].error.file, out[4].error.line], [questions, 6]);
  assert.equal(out[5].error.line, 7);
  assert.match(out[5].error.message, /no pod shop\/nobody/);
  assert.match(r.err, /3 lines were answered with an error/);
});

test('query: answers equal the single commands\' -o json', async () => {
  const q = manifestFile('q.jsonl', '{"connect": {"from": "shop/client", "to": "10.96.0.20", "port": 80, "seed": 3}}\n');
  const batch = lines((await runCli('query', '-f', dir, '--queries', q)).out)[0].connect;
  const single = JSON.parse((await runCli('connect', '-f', dir, '--from', 'shop/client', '--to', '10.96.0.20', '--port', '80', '--seed', '3', '-o', 'json')).out);
  assert.deepEqual(batch, single);
});

test('query --brief: a connect answer keeps verdict, delivery and NAT, and names the deciding hop instead of every hop', async () => {
  const q = manifestFile('q.jsonl', '{"connect": {"from": "shop/client", "to": "10.96.0.20", "port": 80, "seed": 3}}\n{"connect": {"from": "shop/client", "to": "10.96.0.20", "port": 81}}\n');
  const [full, brief, miss] = [lines((await runCli('query', '-f', dir, '--queries', q)).out)[0].connect, ...lines((await runCli('query', '-f', dir, '--queries', q, '--brief')).out).map((o) => o.connect)];
  assert.deepEqual(Object.keys(brief), ['verdict', 'delivered', 'nat', 'decided']);
  assert.deepEqual([brief.verdict, brief.delivered, brief.nat], [full.verdict, full.delivered, full.nat]);
  assert.equal(brief.decided.action, full.hops.filter((h: { action: string }) => h.action !== 'reply' && h.action !== 'unnat').pop().action);
  assert.notEqual(miss.verdict, 'delivered');
  assert.ok(miss.decided, 'an undelivered connection names what decided it');
});

test('query: a question\'s fields are checked as the flags are, each error pointing at its field', () => {
  const cases: [string, string, RegExp, number][] = [
    ['[1]', 'NS-QUERY-SHAPE', /a question is a JSON object/, 1],
    ['{"ping": {}}', 'NS-QUERY-KIND', /unknown question "ping"/, 2],
    ['{"connect": {}, "dns": {}}', 'NS-QUERY-KIND', /one question a line/, 17],
    ['{"connect": 1}', 'NS-QUERY-SHAPE', /takes an object/, 2],
    ['{"connect": {"from": "a/b", "to": "c", "port": 0}}', 'NS-QUERY-FIELD', /port must be a whole number from 1 to 65535/, 40],
    ['{"connect": {"from": "a/b", "to": "c", "port": 80, "proto": "TCP"}}', 'NS-QUERY-FIELD', /connect has no field "proto"/, 52],
    ['{"connect": {"from": "a/b", "to": "c", "port": 80, "protocol": "ICMP"}}', 'NS-QUERY-FIELD', /must be one of TCP, UDP, SCTP/, 52],
    ['{"connect": {"from": "a/b", "port": 80}}', 'NS-QUERY-FIELD', /connect needs "to"/, 2],
    ['{"dns": {"name": 5}}', 'NS-QUERY-FIELD', /dns.name must be a string/, 10],
    ['{"dns": {"name": "a..b"}}', 'NS-QUERY-FIELD', /dns.name "a..b"/, 10],
  ];
  for (const [text, code, message, col] of cases) {
    const r = parseQuestion(text, 'q.jsonl', 9);
    assert.ok('code' in r, text);
    assert.equal(r.code, code, text);
    assert.match(r.message, message, text);
    assert.deepEqual([r.file, r.line, r.col], ['q.jsonl', 9, col], text);
  }
  assert.deepEqual(parseQuestion('{"connect": {"from": "a/b", "to": "c", "port": 80}}', 'f', 1), { kind: 'connect', q: { from: 'a/b', to: 'c', port: 80, protocol: 'TCP' } });
});

test('query: -f - leaves stdin to the manifests, so the questions need --queries; an unreadable --queries is a usage error', async () => {
  assert.equal((await runCli('query', '-f', '-')).code, 2);
  const r = await runCli('query', '-f', dir, '--queries', join(dir, 'missing.jsonl'));
  assert.equal(r.code, 2);
  assert.match(r.err, /--queries .*missing\.jsonl: cannot read it \(ENOENT\)/);
});

test('query: from stdin through the real binary, answers stream out as lines come in', () => {
  const root = resolve(__dirname, '..', '..', '..');
  const r = spawnSync(process.execPath, [join(root, 'bin', 'netspec.js'), 'query', '-f', dir], {
    input: '{"connect": {"from": "shop/client", "to": "shop/web-1", "port": 8080}}\nnot json',
    encoding: 'utf8',
    env: { ...process.env, NETSPEC_FROM_SOURCE: '1' },
  });
  assert.equal(r.status, 2, r.stderr);
  const out = lines(r.stdout);
  assert.equal(out.length, 2);
  assert.equal(out[0].connect.verdict, 'delivered');
  assert.deepEqual([out[1].error.code, out[1].error.file, out[1].error.line], ['NS-QUERY-JSON', '<stdin>', 2]);
});
