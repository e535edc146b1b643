import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { loadSources, limits, readSources, validateObjects } from './index';
import { readBytes } from './load';
import { Diagnostics } from '../model/errors';
import { originOf, posOf, type KObject } from '../model/types';
import { formatPos } from '../net/trace';
import { expectError, expectWarning, listed } from './testutil';

function load(text: string, name = 'm.yaml', line?: number, col?: number): { objs: KObject[]; diag: Diagnostics } {
  const diag = new Diagnostics();
  const objs = loadSources([{ text, name, line, col }], diag);
  return { objs, diag };
}

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'netspec-manifests-'));
}

const POD = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: app\n    image: nginx\n`;

test('multi-document YAML: each object remembers its document and line', () => {
  const text = `# leading comment\n${POD('a')}---\n${POD('b')}---\n\n---\n${POD('c')}`;
  const { objs, diag } = load(text);
  assert.deepEqual(listed(diag.errors), []);
  assert.deepEqual(objs.map((o) => o.metadata.name), ['a', 'b', 'c']);
  assert.deepEqual(objs.map((o) => formatPos(posOf(o))), ['m.yaml:2:1', 'm.yaml:11:1', 'm.yaml:22:1']);
  assert.deepEqual(objs.map((o) => originOf(o)!.doc), [0, 1, 3]);
  // the origin is not part of the object (it never shows in -o yaml / JSON)
  assert.equal(JSON.stringify(objs[0]).includes('m.yaml'), false);
});

test('field paths point at the field; a missing field falls back to its nearest ancestor', () => {
  const text = [
    'apiVersion: v1', //            1
    'kind: Service', //             2
    'metadata:', //                 3
    '  name: web', //               4
    'spec:', //                     5
    '  selector: {app: web}', //    6
    '  ports:', //                  7
    '  - name: http', //            8
    '    port: 80', //              9
    '    targetPort: 8080', //      10
    '  - name: https', //           11
    '    port: 443', //             12
  ].join('\n');
  const { objs } = load(text);
  const svc = objs[0];
  assert.equal(formatPos(posOf(svc, ['spec', 'ports', 0, 'port'])), 'm.yaml:9:11');
  assert.equal(formatPos(posOf(svc, ['spec', 'ports', 1, 'port'])), 'm.yaml:12:11');
  assert.equal(formatPos(posOf(svc, ['spec', 'ports', 1])), 'm.yaml:11:5');
  assert.equal(formatPos(posOf(svc, ['spec', 'selector', 'app'])), 'm.yaml:6:19');
  assert.equal(formatPos(posOf(svc, ['spec', 'ports'])), 'm.yaml:7:3', 'a collection points at its key');
  assert.equal(formatPos(posOf(svc, ['spec', 'ports', 1, 'nodePort'])), 'm.yaml:11:5', 'absent → the port entry');
  assert.equal(formatPos(posOf(svc, ['spec', 'ports', 7, 'port'])), 'm.yaml:7:3', 'absent index → the list');
  assert.equal(formatPos(posOf(svc, ['status', 'x'])), 'm.yaml:1:1', 'absent top-level field → the object');
  // the origin survives a spread copy (controllers copy origins onto derived objects)
  const copy = { ...originOf(svc)!, derived: 'test' };
  assert.equal(formatPos(copy.at!(['spec', 'ports', 0, 'port'])), 'm.yaml:9:11');
});

test('kind: List is flattened; every item keeps its own position, field paths work inside items', () => {
  const text = [
    'apiVersion: v1', //            1
    'kind: List', //                2
    'items:', //                    3
    '- apiVersion: v1', //          4
    '  kind: Namespace', //         5
    '  metadata: {name: shop}', //  6
    '- apiVersion: v1', //          7
    '  kind: Service', //           8
    '  metadata:', //               9
    '    name: web', //             10
    '    namespace: shop', //       11
    '  spec:', //                   12
    '    ports:', //                13
    '    - port: 80', //            14
  ].join('\n');
  const { objs, diag } = load(text, 'dump.yaml');
  assert.deepEqual(listed(diag.errors), []);
  assert.deepEqual(objs.map((o) => `${o.kind}@${formatPos(posOf(o))}`), ['Namespace@dump.yaml:4:3', 'Service@dump.yaml:7:3']);
  assert.equal(formatPos(posOf(objs[1], ['spec', 'ports', 0, 'port'])), 'dump.yaml:14:13');
  assert.equal(formatPos(posOf(objs[1], ['metadata', 'namespace'])), 'dump.yaml:11:16');
});

test('typed lists from the API (PodList) give their items kind and apiVersion', () => {
  const text = JSON.stringify({ apiVersion: 'v1', kind: 'PodList', items: [{ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } }] }, null, 2);
  const { objs, diag } = load(text, 'pods.json');
  assert.deepEqual(listed(diag.errors), []);
  assert.equal(objs[0].kind, 'Pod');
  assert.equal(objs[0].apiVersion, 'v1');
  assert.equal(formatPos(posOf(objs[0])), 'pods.json:5:5');
  assert.equal(formatPos(posOf(objs[0], ['metadata', 'name'])), 'pods.json:7:17');
});

test('doc strings report positions in the feature file (line and indentation offsets)', () => {
  // the doc string's first line is line 12 of the feature, indented by 6 columns
  const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 99999\n';
  const { objs, diag } = load(text, 'features/x.feature', 12, 7);
  assert.equal(formatPos(posOf(objs[0])), 'features/x.feature:12:7');
  assert.equal(formatPos(posOf(objs[0], ['spec', 'ports', 0, 'port'])), 'features/x.feature:18:17');
  expectError(diag, 'NS-PORT-RANGE', 'features/x.feature:18:17');
  // YAML syntax errors are offset too
  const bad = load('apiVersion: v1\nkind: Pod\nmetadata: {name: [x}\n', 'features/y.feature', 20, 5);
  assert.ok(bad.diag.errors.length >= 1);
  assert.ok(bad.diag.errors.every((e) => e.code === 'NS-YAML-SYNTAX' && e.pos!.file === 'features/y.feature' && e.pos!.line === 22), JSON.stringify(listed(bad.diag.errors)));
});

test('NS-YAML-SYNTAX: each syntax error with its position, all documents read', () => {
  const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n   bad: indent\n---\n' + POD('ok') + '---\nkey: "unterminated\n';
  const { objs, diag } = load(text);
  assert.deepEqual(objs.map((o) => o.metadata.name), ['ok'], 'the good document between two broken ones is read');
  expectError(diag, 'NS-YAML-SYNTAX', 'm.yaml:4:9');
  assert.ok(diag.errors.some((e) => e.code === 'NS-YAML-SYNTAX' && e.pos!.line >= 16), JSON.stringify(listed(diag.errors)));
  assert.equal(new Set(listed(diag.errors)).size, diag.errors.length, 'the same error is not reported twice');
});

test('NS-YAML-DUPLICATE-KEY: a key given twice in one mapping', () => {
  const { diag } = load('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n');
  expectError(diag, 'NS-YAML-DUPLICATE-KEY', 'm.yaml:5:3');
});

test('NS-NOT-AN-OBJECT: a document that is a scalar or a list; a List item that is not a mapping', () => {
  const { diag } = load('just a string\n---\n- a\n- b\n---\napiVersion: v1\nkind: List\nitems:\n- 42\n');
  expectError(diag, 'NS-NOT-AN-OBJECT', 'm.yaml:1:1');
  expectError(diag, 'NS-NOT-AN-OBJECT', 'm.yaml:3:1');
  expectError(diag, 'NS-NOT-AN-OBJECT', 'm.yaml:9:3');
  assert.equal(diag.errors.length, 3);
});

test('NS-MISSING-FIELD: apiVersion, kind, metadata.name', () => {
  const text = 'kind: Pod\nmetadata: {name: a}\n---\napiVersion: v1\nmetadata: {name: b}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  labels: {a: b}\n---\napiVersion: v1\nkind: ConfigMap\n';
  const { objs, diag } = load(text);
  assert.equal(objs.length, 0);
  expectError(diag, 'NS-MISSING-FIELD', 'm.yaml:1:1'); // apiVersion
  expectError(diag, 'NS-MISSING-FIELD', 'm.yaml:4:1'); // kind
  expectError(diag, 'NS-MISSING-FIELD', 'm.yaml:9:1'); // metadata.name → the metadata key
  expectError(diag, 'NS-MISSING-FIELD', 'm.yaml:12:1'); // no metadata at all
  assert.equal(diag.errors.length, 4);
});

test('kubeadm, kube-proxy and kubelet documents need no metadata.name', () => {
  const { objs, diag } = load('apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\n');
  assert.deepEqual(listed(diag.errors), []);
  assert.equal(objs[0].kind, 'KubeProxyConfiguration');
});

test('NS-UNKNOWN-KIND: a warning naming the kind and its position; the object is dropped, never a crash', () => {
  const text = POD('a') + '---\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: tls}\n---\napiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: k}\n';
  const { objs, diag } = load(text);
  assert.deepEqual(listed(diag.errors), []);
  assert.deepEqual(objs.map((o) => o.kind), ['Pod']);
  const w = expectWarning(diag, 'NS-UNKNOWN-KIND', 'm.yaml:10:1');
  assert.match(w.message, /Certificate "tls" \(cert-manager\.io\/v1\)/);
  const k = expectWarning(diag, 'NS-UNKNOWN-KIND', 'm.yaml:14:1');
  assert.match(k.message, /Service "k" \(serving\.knative\.dev\/v1\)/, 'a Knative Service is not a core Service');
});

test('NS-API-VERSION: a known kind under a version Kubernetes no longer serves', () => {
  const { objs, diag } = load('apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: old}\n');
  assert.equal(objs.length, 0);
  const e = expectError(diag, 'NS-API-VERSION', 'm.yaml:1:13');
  assert.match(e.hint, /apps\/v1/);
});

test('JSON files keep positions', () => {
  const dir = tmpdir();
  const f = path.join(dir, 'svc.json');
  fs.writeFileSync(f, '{\n  "apiVersion": "v1",\n  "kind": "Service",\n  "metadata": {"name": "web"},\n  "spec": {"ports": [{"port": 0}]}\n}\n');
  const diag = new Diagnostics();
  const objs = loadSources([{ path: f }], diag);
  assert.equal(objs.length, 1);
  expectError(diag, 'NS-PORT-RANGE', `${f}:5:31`);
});

test('directories: recursive, only .yaml/.yml/.json, sorted; three broken files → three errors', () => {
  const dir = tmpdir();
  fs.mkdirSync(path.join(dir, 'sub', 'deeper'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'b.yaml'), POD('b'));
  fs.writeFileSync(path.join(dir, 'a.yml'), POD('a'));
  fs.writeFileSync(path.join(dir, 'sub', 'c.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'c' } }));
  fs.writeFileSync(path.join(dir, 'sub', 'deeper', 'd.yaml'), POD('d'));
  fs.writeFileSync(path.join(dir, 'README.md'), '# not a manifest: {');
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'kind: [');
  const diag = new Diagnostics();
  const objs = loadSources([{ path: dir }], diag);
  assert.deepEqual(listed(diag.errors), []);
  assert.deepEqual(objs.map((o) => o.metadata.name), ['a', 'b', 'c', 'd']);

  const bad = tmpdir();
  fs.writeFileSync(path.join(bad, '1.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: [oops}\n');
  fs.writeFileSync(path.join(bad, '2.yaml'), 'apiVersion: v1\nmetadata: {name: x}\n');
  fs.mkdirSync(path.join(bad, 'more'));
  fs.writeFileSync(path.join(bad, 'more', '3.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n  - port: 123456\n');
  const d2 = new Diagnostics();
  loadSources([{ path: bad }], d2);
  const files = [...new Set(d2.errors.map((e) => e.pos!.file))];
  assert.deepEqual(files, [path.join(bad, '1.yaml'), path.join(bad, '2.yaml'), path.join(bad, 'more', '3.yaml')]);
  assert.ok(d2.errors.some((e) => e.code === 'NS-YAML-SYNTAX' && e.pos!.line === 3));
  expectError(d2, 'NS-MISSING-FIELD', `${path.join(bad, '2.yaml')}:1:1`);
  expectError(d2, 'NS-PORT-RANGE', `${path.join(bad, 'more', '3.yaml')}:6:11`);
});

test('NS-PATH-NOT-FOUND: a missing path is an error naming it; other inputs are still read', () => {
  const dir = tmpdir();
  fs.writeFileSync(path.join(dir, 'ok.yaml'), POD('ok'));
  const diag = new Diagnostics();
  const missing = path.join(dir, 'nope.yaml');
  const objs = loadSources([{ path: missing }, { path: path.join(dir, 'ok.yaml') }, { path: path.join(dir, 'ok.yaml', 'x') }], diag);
  assert.equal(objs.length, 1);
  expectError(diag, 'NS-PATH-NOT-FOUND', `${missing}:1:1`);
  expectError(diag, 'NS-PATH-NOT-FOUND', `${path.join(dir, 'ok.yaml', 'x')}:1:1`);
});

test('NS-EMPTY-INPUT: a directory without manifests is a warning', () => {
  const dir = tmpdir();
  const diag = new Diagnostics();
  loadSources([{ path: dir }], diag);
  expectWarning(diag, 'NS-EMPTY-INPUT', `${dir}:1:1`);
});

/** Runs f with some limits changed, restoring them after. */
function withLimits<T>(changes: Partial<typeof limits>, f: () => T): T {
  const saved = { ...limits };
  Object.assign(limits, changes);
  try { return f(); } finally { Object.assign(limits, saved); }
}

test('limits are per object, where the API server has them (3 MiB a request, 1.5 MiB in etcd, 1 MiB of ConfigMap/Secret data), never per file', () => {
  assert.equal(limits.maxObjectBytes, 3 * 1024 * 1024, 'kube-apiserver: MaxRequestBodyBytes = 3 MiB');
  assert.equal(limits.maxStoredBytes, 1.5 * 1024 * 1024, 'etcd: --max-request-bytes defaults to 1.5 MiB');
  assert.equal(limits.maxDataBytes, 1048576, 'core.MaxSecretSize: ConfigMap and Secret data at most 1 MiB');
  assert.equal((limits as any).maxFileBytes, undefined, 'no limit on a file: a snapshot of a whole cluster is one file');
});

test('NS-TOO-LARGE: a ConfigMap with more than 1 MiB of data is refused with the API server\'s words, at its data', () => {
  const big = 'x'.repeat(1024 * 1024 + 1);
  const { objs, diag } = load(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\ndata:\n  blob: ${big}\n`, 'cm.yaml');
  assert.equal(objs.length, 0);
  expectError(diag, 'NS-TOO-LARGE', 'cm.yaml:5:1');
  assert.match(diag.errors[0].message, /ConfigMap "huge" is invalid: \[\]: Too long: must have at most 1048576 bytes/);
  // exactly 1 MiB is allowed; a Secret counts decoded bytes (base64 of 1 MiB is 1.33 MiB of text)
  const ok = load(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fits\ndata:\n  blob: ${'x'.repeat(1024 * 1024)}\n`);
  assert.deepEqual(listed(ok.diag.errors), []);
  const secret = load(`apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  blob: ${Buffer.alloc(1024 * 1024).toString('base64')}\n`);
  assert.deepEqual(listed(secret.diag.errors), []);
});

test('NS-TOO-LARGE: a 20 MiB object in a large file is refused quickly, unread, naming it; the objects around it load', () => {
  const dir = tmpdir();
  const f = path.join(dir, 'big.yaml');
  const data = 'x'.repeat(1024) + '\n';
  const lines = ['apiVersion: v1', 'data:', '  blob: |'];
  const body = `    ${data}`.repeat(20 * 1024);
  fs.writeFileSync(f, `${POD('before')}---\n${lines.join('\n')}\n${body}kind: ConfigMap\nmetadata:\n  name: huge\n  namespace: x\n---\n${POD('after')}`);
  const t0 = process.hrtime.bigint();
  const diag = new Diagnostics();
  const objs = loadSources([{ path: f }], diag);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.deepEqual(objs.map((o) => o.metadata.name), ['before', 'after']);
  expectError(diag, 'NS-TOO-LARGE', `${f}:10:1`);
  assert.match(diag.errors[0].message, /ConfigMap "huge" is 20\.\d MiB, more than the 3 MiB the API server accepts/);
  assert.ok(ms < 5000, `refused in ${ms} ms`);
});

test('pathological nesting is refused quickly with a position, never a crash', () => {
  let text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n';
  for (let i = 0; i < 5000; i++) text += ' '.repeat(2 + i) + `k${i}:\n`;
  const t0 = Date.now();
  const { objs, diag } = load(text, 'deep.yaml');
  assert.ok(Date.now() - t0 < 10000);
  assert.equal(objs.length, 0);
  assert.ok(diag.errors.length > 0 && diag.errors.every((e) => e.pos?.file === 'deep.yaml'), listed(diag.errors).join('\n'));
});

/** kubectl get -o yaml's shape: one List, items at the first column, kind last. */
function kubectlList(objs: string[]): string {
  const item = (o: string) => o.trimEnd().split('\n').map((l, i) => (i === 0 ? '- ' : '  ') + l).join('\n') + '\n';
  return `apiVersion: v1\nitems:\n${objs.map(item).join('')}kind: List\nmetadata:\n  resourceVersion: ""\n`;
}

const SNAP_POD = (name: string, extra = '') => `apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    note: |\n      {"a":"b"}\n  labels:\n    app: web\n  managedFields:\n  - apiVersion: v1\n    fieldsType: FieldsV1\n    fieldsV1:\n      f:metadata:\n        f:labels:\n          .: {}\n          f:app: {}\n      f:spec:\n        f:containers:\n          k:{"name":"app"}:\n            .: {}\n    manager: kubectl\n    operation: Update\n    time: "2026-11-30T09:12:44Z"\n  name: ${name}\n  namespace: shop\nspec:\n  containers:\n  - image: nginx\n    name: app\n    ports:\n    - containerPort: 8080\n      protocol: TCP\n${extra}status:\n  phase: Running\n  podIP: 10.244.0.7\n`;

test('a large input is read object by object: the same objects, positions and errors as reading it whole, managedFields dropped', () => {
  const dir = tmpdir();
  const docs = [
    kubectlList([SNAP_POD('a'), SNAP_POD('b', '  hostNetwork: yes\n'), SNAP_POD('c', '  odd: &x 1\n  odder: *x\n')]),
    POD('plain'),
    `apiVersion: v1\nkind: PodList\nitems:\n- metadata:\n    name: typed\n  spec:\n    containers:\n    - name: c\n      image: i\n`,
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: broken\nspec:\n  ports:\n  - port: "x\n`,
  ];
  const f = path.join(dir, 'snap.yaml');
  fs.writeFileSync(f, docs.join('---\n'));
  const whole = (() => { const diag = new Diagnostics(); return { objs: loadSources([{ path: f }], diag), diag }; })();
  const streamed = withLimits({ streamAbove: 16 }, () => { const diag = new Diagnostics(); return { objs: loadSources([{ path: f }], diag), diag }; });
  assert.deepEqual(streamed.objs, whole.objs);
  assert.deepEqual(streamed.objs.map((o) => o.metadata.name), ['a', 'b', 'c', 'plain', 'typed']);
  assert.equal(streamed.objs[2].kind, 'Pod', 'a typed List\'s items take their kind from it');
  assert.ok(streamed.objs.every((o) => !('managedFields' in o.metadata)), 'managedFields are dropped, as kubectl get hides them');
  assert.deepEqual(streamed.objs.map((o) => formatPos(posOf(o))), whole.objs.map((o) => formatPos(posOf(o))));
  assert.deepEqual(streamed.objs.map((o) => originOf(o)!.doc), whole.objs.map((o) => originOf(o)!.doc));
  for (const path of [['spec', 'containers', 0, 'ports', 0, 'containerPort'], ['metadata', 'name'], ['status', 'podIP'], ['spec', 'odder']] as const) {
    assert.deepEqual(streamed.objs.map((o) => formatPos(originOf(o)!.at!(path as any))), whole.objs.map((o) => formatPos(originOf(o)!.at!(path as any))), path.join('.'));
  }
  assert.deepEqual(listed(streamed.diag.errors), listed(whole.diag.errors));
  assert.ok(streamed.diag.errors.length > 0, 'the broken Service is reported');
});

test('fields of a Pod netspec never reads (service-account volumes, mounts, runtime ids, last-applied) are passed over, on both parsers; a ConfigMap keeps keys of those names', () => {
  const pod = SNAP_POD('p', '  volumes:\n  - name: v\n    emptyDir: {}\n').replace('    name: app\n', '    name: app\n    volumeMounts:\n    - name: v\n      mountPath: /v\n    terminationMessagePath: /dev/termination-log\n');
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  volumes: "3"\n  containerID: x\n';
  for (const text of [pod, pod + 'odd: &a 1\n'.replace('odd', 'status2')]) {
    const { objs } = load(`${text}---\n${cm}`);
    const p = objs.find((o) => o.kind === 'Pod')!;
    assert.equal(p.spec.volumes, undefined);
    assert.equal(p.spec.containers[0].volumeMounts, undefined);
    assert.equal(p.spec.containers[0].terminationMessagePath, undefined);
    assert.equal(p.spec.containers[0].image, 'nginx', 'what netspec reads stays');
    assert.equal(p.metadata.annotations!.note, '{"a":"b"}\n');
    assert.deepEqual(objs.find((o) => o.kind === 'ConfigMap')!.data, { volumes: '3', containerID: 'x' });
  }
});

test('a large JSON input (kubectl get -o json) is read item by item with the same objects and positions', () => {
  const dir = tmpdir();
  const list = { apiVersion: 'v1', kind: 'List', items: ['a', 'b'].map((n) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: n, managedFields: [{ manager: 'x' }] }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }] }] } })), metadata: { resourceVersion: '' } };
  const f = path.join(dir, 'snap.json');
  fs.writeFileSync(f, JSON.stringify(list, null, 4));
  const whole = loadSources([{ path: f }], new Diagnostics());
  const streamed = withLimits({ streamAbove: 16 }, () => loadSources([{ path: f }], new Diagnostics()));
  assert.deepEqual(streamed, whole);
  assert.deepEqual(streamed.map((o) => o.metadata.name), ['a', 'b']);
  assert.deepEqual(streamed.map((o) => formatPos(originOf(o)!.at!(['spec', 'containers', 0, 'ports', 0, 'containerPort']))), whole.map((o) => formatPos(originOf(o)!.at!(['spec', 'containers', 0, 'ports', 0, 'containerPort']))));
});

test('stdin of any size is read (object by object past the streaming threshold), the same as whole', () => {
  const bytes = Buffer.from(kubectlList([SNAP_POD('a'), SNAP_POD('b')]));
  const read = () => { const diag = new Diagnostics(); const out: KObject[] = []; readBytes(bytes, '<stdin>', diag, out); validateObjects(out, diag); return { out, diag }; };
  const whole = read();
  const streamed = withLimits({ streamAbove: 64 }, read);
  assert.deepEqual(streamed.out.map((o) => o.metadata.name), ['a', 'b']);
  assert.deepEqual(streamed.out, whole.out);
  assert.deepEqual(streamed.out.map((o) => formatPos(posOf(o))), whole.out.map((o) => formatPos(posOf(o))));
  assert.deepEqual(listed(streamed.diag.errors), []);
});

test('NS-YAML-ALIASES: a billion-laughs document is refused in well under a second', () => {
  const names = 'abcdefghi';
  let text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n';
  text += '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  for (let i = 1; i < names.length; i++) text += `  ${names[i]}: &${names[i]} [${Array(9).fill('*' + names[i - 1]).join(',')}]\n`;
  const t0 = performance.now();
  const { objs, diag } = load(text, 'bomb.yaml');
  const ms = performance.now() - t0;
  assert.equal(objs.length, 0);
  expectError(diag, 'NS-YAML-ALIASES', 'bomb.yaml:1:1');
  assert.ok(ms < 500, `refused in ${ms.toFixed(0)} ms`);
  // a few ordinary aliases are fine
  const ok = load('apiVersion: v1\nkind: Service\nmetadata: {name: web, labels: &l {app: web}}\nspec:\n  selector: *l\n  ports: [{port: 80}]\n');
  assert.deepEqual(listed(ok.diag.errors), []);
  assert.deepEqual(ok.objs[0].spec.selector, { app: 'web' });
});

test('deeply nested input is an error, not a crash', () => {
  const { objs, diag } = load('a: ' + '['.repeat(50000) + ']'.repeat(50000) + '\n');
  assert.equal(objs.length, 0);
  assert.ok(diag.errors.length >= 1);
  assert.ok(diag.errors.every((e) => e.code.startsWith('NS-') && e.pos));
});

test('YAML is read as Kubernetes reads it (YAML 1.1 scalars): unquoted yes/on are booleans, dates stay strings', () => {
  const { objs, diag } = load('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  when: 2024-01-02\n  mode: "0755"\n  enabled: on\n');
  assert.equal(objs[0].data!.when, '2024-01-02');
  assert.equal(objs[0].data!.mode, '0755');
  // sigs.k8s.io/yaml turns `on` into true; the schema then refuses a boolean in a string map
  expectError(diag, 'NS-SCHEMA', 'm.yaml:7:12');
});

test('stdin ("-") is read synchronously', () => {
  const script = `
    const { loadSources } = require('./src/manifests');
    const { Diagnostics } = require('./src/model/errors');
    const { posOf } = require('./src/model/types');
    const d = new Diagnostics();
    const objs = loadSources([{ path: '-' }], d);
    console.log(JSON.stringify({ names: objs.map((o) => o.metadata.name), pos: objs.map((o) => posOf(o, ['metadata', 'name'])), errors: d.errors.map((e) => e.code + '@' + e.pos.file + ':' + e.pos.line + ':' + e.pos.col) }));
  `;
  const r = spawnSync(process.execPath, ['--require', path.resolve(__dirname, '..', '..', 'scripts', 'ts-cache.js'), '-e', script], {
    cwd: path.resolve(__dirname, '..', '..'),
    input: POD('from-stdin') + '---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 0}]}\n',
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.deepEqual(out.names, ['from-stdin', 's']);
  assert.deepEqual(out.pos[0], { file: '<stdin>', line: 4, col: 9 });
  assert.deepEqual(out.errors, ['NS-PORT-RANGE@<stdin>:13:23']);
});

test('property: every scalar of a generated object is found at the line and column where YAML wrote it', () => {
  const key = fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,7}$/);
  const scalar = fc.oneof(fc.integer({ min: 0, max: 100000 }), fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), fc.boolean());
  const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(key, tie('node'), { maxKeys: 3 })),
  })).node;
  fc.assert(fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 4 }), fc.boolean(), (spec, flow) => {
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gen' }, spec };
    const text = stringify(obj, { schema: 'yaml-1.1', collectionStyle: flow ? 'flow' : 'block', lineWidth: 0 });
    const { objs } = load(text, 'gen.yaml', 3, 5);
    assert.equal(objs.length, 1);
    const lines = text.split('\n');
    const walk = (v: unknown, p: (string | number)[]) => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
      else {
        const pos = posOf(objs[0], p)!;
        const at = lines[pos.line - 3].slice(pos.col - 5);
        assert.ok(at.startsWith(String(v)) || at.startsWith(`"${v}"`) || at.startsWith(`'${v}'`), `${p.join('.')} = ${String(v)} found at ${pos.line}:${pos.col}: "${at}"`);
      }
    };
    walk(spec, ['spec']);
  }), { numRuns: 60, seed: 4242 });
});

// Item 9 of issue 14: errors located where the problem is.
test('NS-NO-OBJECTS: an explicitly named file with no objects is an error, as kubectl apply ("no objects passed to apply")', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netspec-empty-'));
  const f = path.join(dir, 'empty.yaml');
  fs.writeFileSync(f, '# only a comment\n---\n');
  const diag = new Diagnostics();
  readSources([{ path: f }], diag);
  expectError(diag, 'NS-NO-OBJECTS', `${f}:1:1`);
});

test('an unterminated quote is reported at the quote that opens it; an alias to another document\'s anchor at the alias', () => {
  const q = new Diagnostics();
  readSources([{ text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "p\n  namespace: x\nspec: {}\n', name: 'q.yaml' }], q);
  expectError(q, 'NS-YAML-SYNTAX', 'q.yaml:4:9');
  const a = new Diagnostics();
  readSources([{ text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: &d {k: v}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: *d\n', name: 'a.yaml' }], a);
  expectError(a, 'NS-YAML-ALIAS', 'a.yaml:9:7');
});

test('kinds that do not touch networking (RBAC, ServiceAccount, webhooks, PDB, HPA…) are skipped without a warning; a look-alike in another group is not', () => {
  const quiet = [
    ['v1', 'ServiceAccount'], ['rbac.authorization.k8s.io/v1', 'ClusterRole'], ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
    ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration'], ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'],
    ['policy/v1', 'PodDisruptionBudget'], ['autoscaling/v2', 'HorizontalPodAutoscaler'], ['v1', 'PersistentVolumeClaim'], ['scheduling.k8s.io/v1', 'PriorityClass'],
    ['apps/v1', 'ControllerRevision'], ['events.k8s.io/v1', 'Event'], ['coordination.k8s.io/v1', 'Lease'], ['storage.k8s.io/v1', 'CSIDriver'],
    ['snapshot.storage.k8s.io/v1', 'VolumeSnapshot'], ['apiregistration.k8s.io/v1', 'APIService'], ['v1', 'LimitRange'], ['v1', 'PersistentVolume'],
  ];
  const text = quiet.map(([av, k]) => `apiVersion: ${av}\nkind: ${k}\nmetadata: {name: x}\n`).join('---\n') + '---\napiVersion: example.com/v1\nkind: Role\nmetadata: {name: r}\n';
  const { objs, diag } = load(text);
  assert.deepEqual(objs, []);
  assert.deepEqual(listed(diag.errors), []);
  assert.equal(diag.warnings.length, 1);
  assert.match(diag.warnings[0].message, /Role "r" \(example\.com\/v1\)/);
});

test('a source applied to a namespace puts namespaced objects written without one there, as kubectl apply -n does', () => {
  const diag = new Diagnostics();
  const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: b, namespace: other}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: n}\n';
  const objs = loadSources([{ text, name: 'm.yaml', namespace: 'argocd' }], diag);
  assert.deepEqual(objs.filter((o) => o.kind === 'Service').map((o) => o.metadata.namespace), ['argocd', 'other']);
  for (const o of objs) if (o.kind === 'Node') assert.equal(o.metadata.namespace, undefined, 'cluster-scoped kinds get none');
});
