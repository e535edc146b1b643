import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineCounter, parseAllDocuments, isMap, isSeq, isScalar, isPair, type Node as YNode } from 'yaml';
import { fastParse } from './fastyaml';
import { loaderOptions } from './load';
import { loadSources } from './index';
import { yamlOptions } from './yamlopts';
import { Diagnostics } from '../model/errors';
import { originOf, type KObject } from '../model/types';

// ---------------------------------------------------------------------------------------------
// What the yaml package makes of a text, in the fast reader's terms.

interface Ref { docs: { value: unknown; start: number | null; end: number | null; items?: { start: number; end: number }[] }[]; lineStarts: number[]; clean: boolean }

function reference(text: string): Ref {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { ...yamlOptions(), lineCounter: lines });
  const list = Array.isArray(docs) ? docs : [];
  const clean = Array.isArray(docs) && list.every((d) => d.errors.length === 0 && d.warnings.length === 0);
  return {
    clean,
    lineStarts: lines.lineStarts,
    docs: list.map((d) => {
      const root = d.contents as YNode | null;
      const out: Ref['docs'][number] = { value: clean ? d.toJS({ maxAliasCount: 100 }) : undefined, start: root?.range?.[0] ?? null, end: root?.range?.[2] ?? null };
      if (root && isMap(root)) {
        const pair = root.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === 'items');
        const v = pair?.value as YNode | undefined;
        if (v && isSeq(v)) out.items = v.items.map((it) => ({ start: (it as YNode).range![0], end: (it as YNode).range![2] }));
      }
      return out;
    }),
  };
}

/** deepStrictEqual, and the same key order everywhere (JSON and -o yaml print keys in order). */
function sameValue(a: unknown, b: unknown, where: string): void {
  assert.deepStrictEqual(a, b, where);
  const walk = (x: unknown, y: unknown, path: string) => {
    if (x && typeof x === 'object') {
      assert.deepEqual(Object.keys(x), Object.keys(y as object), `${where}: key order at ${path}`);
      for (const k of Object.keys(x)) walk((x as any)[k], (y as any)[k], `${path}.${k}`);
    }
  };
  walk(a, b, '');
}

/**
 * Two node ends that enclose the same content: only spaces, line breaks and comment lines lie
 * between them (the yaml package counts trailing comments and newlines into a node sometimes; the
 * position finder re-reads the node's text and never looks at them).
 */
function sameContent(text: string, a: number, b: number): boolean {
  return text.slice(Math.min(a, b), Math.max(a, b)).split('\n').every((l) => /^ *(#.*)?$/.test(l));
}

function check(text: string): boolean {
  const fast = fastParse(text);
  if (!fast) return false;
  const ref = reference(text);
  assert.ok(ref.clean, `fast path took a text the yaml package reports problems in:\n${text}`);
  assert.deepEqual(fast.lineStarts, ref.lineStarts, 'line starts');
  assert.equal(fast.docs.length, ref.docs.length, `document count:\n${text}`);
  fast.docs.forEach((d, i) => {
    const r = ref.docs[i];
    sameValue(d.value, r.value, `document ${i} of:\n${text}`);
    if (r.value === null || r.start === null) { assert.equal(d.value, null); return; } // empty documents are skipped by the loader
    assert.equal(d.start, r.start, `document ${i} start`);
    assert.ok(sameContent(text, d.end, r.end!), `document ${i} end ${d.end} vs ${r.end}:\n${text}`);
    if (r.items && d.value && typeof d.value === 'object' && !Array.isArray(d.value) && Array.isArray((d.value as any).items)) {
      assert.ok(d.items, 'items spans');
      assert.equal(d.items!.length, r.items.length);
      d.items!.forEach((s, j) => {
        assert.equal(s.start, r.items![j].start, `item ${j} start`);
        assert.ok(sameContent(text, s.end, r.items![j].end), `item ${j} end`);
      });
    }
  });
  return true;
}

// ---------------------------------------------------------------------------------------------
// Generated documents: manifest-like trees written in the many ways people write block YAML.

// keys and scalars the fast path reads, and ones it must decline (drawn less often, so that most
// texts exercise the fast path and many still exercise the declining)
const KEYS = ['apiVersion', 'kind', 'metadata', 'name', 'namespace', 'labels', 'app', 'app.kubernetes.io/name', 'spec', 'items', 'ports',
  'port', 'x_y', 'a-b', 'k8s.io/x', '.dot', '1a', '__proto__', 'constructor', 'toString',
  // managedFields' keys as kubectl prints them (plain keys in YAML's block-key context)
  'f:metadata', 'f:app.kubernetes.io/name', 'k:{"name":"main"}', 'k:{"containerPort":8080,"protocol":"TCP"}', 'k:{"type":"Ready"}'];
const ODD_KEYS = ['on', 'y', 'n', 'yes', 'No', 'null', '~', '1', '0x1', '1.5', 'true', '-x', '<<', 'a b', 'é', 'a#b', 'key:x'];
const SCALARS = ['web', '80', '8080', '0', '-1', '+1', '0755', '08', '0o7', '0x1F', '0b101', '1_000', '1.5', '1e3', '-2.5E-3', '.inf', '-.Inf',
  '.nan', '1.', '.5', '._', 'yes', 'No', 'on', 'OFF', 'y', 'n', 'true', 'False', 'null', '~', 'NULL', '10.96.0.0/12', '25%', '128Mi',
  'registry.example/app:1.0', 'a:b', 'a #b', 'a#b', '-conf', '?x', ':x', 'http://x/?a=1&b=2', '"quoted"', "'single'", '"a #b"', '""', "''",
  '"x" #c', '{}', '[]', '12:30', '1:20:30.5', '2001-12-14', 'é', 'a  b', 'a ', 'true ', '#c', '9007199254740993',
  '123456789012345678901234567890', '-0', '0.0', 'a,b', 'a[0]', 'x}', 'a\'b', 'a"b', '日本',
  // quoted strings as go-yaml writes them
  '"a\\"b"', "'it''s'", '"2024-05-01T10:00:00Z"', '"\\u00e9t\\u00e9"', '"x\\ny"', '"a\\\\b"', "'*'", '"true"', '"8080"'];
const ODD_SCALARS = ['a: b', 'a:', '- x', '-', '? x', ': x', '"a\\x41"', '"a\\ b"', '{ }', '{a: 1}', '[1, 2]', '&a x', '*a', '!tag x', '!!str 1',
  '|', '>-', '%x', '@x', '`x', '{x', '"unterminated', '---', '...', 'a\tb', 'a\rb', '\u2028', '\ufeff'];
const keyArb = fc.oneof({ weight: 40, arbitrary: fc.constantFrom(...KEYS) }, { weight: 1, arbitrary: fc.constantFrom(...ODD_KEYS) });
const scalarArb = fc.oneof({ weight: 25, arbitrary: fc.constantFrom(...SCALARS) }, { weight: 1, arbitrary: fc.constantFrom(...ODD_SCALARS) });

/** Mapping entries, keys mostly distinct (a duplicate key now and then, which the fast path must decline). */
function entries(value: fc.Arbitrary<Tree>, minLength: number, maxLength: number): fc.Arbitrary<[string, Tree][]> {
  return fc.oneof(
    { weight: 15, arbitrary: fc.uniqueArray(fc.tuple(keyArb, value), { minLength, maxLength, selector: (e) => e[0] }) },
    { weight: 1, arbitrary: fc.array(fc.tuple(keyArb, value), { minLength, maxLength }) },
  );
}

type Tree = { t: 's'; v: string } | { t: 'm'; e: [string, Tree][] } | { t: 'q'; e: Tree[] }
  // a literal block scalar (`|` or `|-`) and a plain scalar folded over several lines (go-yaml's 80 columns)
  | { t: 'lit'; lines: string[]; strip: boolean } | { t: 'ml'; parts: string[] };

const LIT_LINES = ['{"apiVersion":"v1","kind":"Service"}', 'line two', '  indented more', '', '# not a comment', 'key: value', '- item', 'x'];
const ML_PARTS = ['a long', 'description that', 'go-yaml', 'folded at', '80', 'columns', 'x:y', 'a#b', 'true'];
const litArb = fc.record({ lines: fc.array(fc.constantFrom(...LIT_LINES), { minLength: 1, maxLength: 4 }), strip: fc.boolean() }).map((r) => ({ t: 'lit' as const, ...r }));
const mlArb = fc.array(fc.constantFrom(...ML_PARTS), { minLength: 2, maxLength: 4 }).map((parts) => ({ t: 'ml' as const, parts }));

const treeArb: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarArb.map((v) => ({ t: 's' as const, v })),
    litArb,
    mlArb,
    entries(tie('tree'), 0, 4).map((e) => ({ t: 'm' as const, e })),
    fc.array(tie('tree'), { maxLength: 3 }).map((e) => ({ t: 'q' as const, e })),
  ),
})).tree;

/** A root: a mapping (what manifests are), with an occasional List shape. */
const rootArb: fc.Arbitrary<Tree> = fc.oneof(
  entries(treeArb, 1, 5).map((e) => ({ t: 'm' as const, e })),
  fc.array(fc.array(fc.tuple(fc.constantFrom(...KEYS.filter((k) => k !== 'items')), treeArb), { minLength: 1, maxLength: 3 }), { maxLength: 3 })
    .map((items) => ({ t: 'm' as const, e: [['kind', { t: 's' as const, v: 'List' }], ['items', { t: 'q' as const, e: items.map((e) => ({ t: 'm' as const, e })) }]] as [string, Tree][] })),
  fc.array(treeArb, { minLength: 1, maxLength: 3 }).map((e) => ({ t: 'q' as const, e })),
);

/** Choices that drive the writing style (indentation, comments, blank lines, trailing spaces). */
class Style {
  private i = 0;
  constructor(private readonly bits: number[]) {}
  pick(n: number): number { const b = this.bits[this.i++ % this.bits.length] ?? 0; return b % n; }
  chance(k: number): boolean { return this.pick(k) === 0; }
}

/** Scalars, mappings and sequences only (block scalars have no flow form). */
function flowable(t: Tree): boolean {
  return t.t === 's' || ((t.t === 'm' || t.t === 'q') && (t.t === 'm' ? t.e.every(([, v]) => flowable(v)) : t.e.every(flowable)));
}

/** `{k: v, k2: [a, b]}` with the spacing varied a little (", " or ",", spaces inside the brackets). */
function flowText(t: Tree, st: Style): string {
  if (t.t === 's') return t.v;
  const sep = st.chance(5) ? ',' : ', ';
  const pad = st.chance(5) ? ' ' : '';
  if (t.t === 'm') return `{${pad}${t.e.map(([k, v]) => `${k}: ${flowText(v, st)}`).join(sep)}${pad}}`;
  if (t.t === 'q') return `[${pad}${t.e.map((v) => flowText(v, st)).join(sep)}${pad}]`;
  return '';
}

function write(root: Tree, st: Style): string {
  const lines: string[] = [];
  const trailer = () => (st.chance(8) ? '   ' : st.chance(8) ? ' # note' : '');
  const extra = () => {
    if (st.chance(10)) lines.push('');
    if (st.chance(10)) lines.push(' '.repeat(st.pick(6)) + '# comment');
  };
  // writes `t` as the value following `head` (a "key:" or "-" prefix at column `col`)
  const value = (head: string, col: number, t: Tree, inSeq: boolean) => {
    if (t.t === 's') { lines.push(`${' '.repeat(col)}${head}${' '.repeat(1 + (st.chance(6) ? st.pick(3) : 0))}${t.v}${trailer()}`); extra(); return; }
    if (t.t === 'lit') {
      lines.push(`${' '.repeat(col)}${head} ${t.strip ? '|-' : '|'}${st.chance(8) ? ' # c' : ''}`);
      const ind = col + 1 + st.pick(3);
      for (const l of t.lines) lines.push(l === '' ? '' : ' '.repeat(ind) + l);
      extra();
      return;
    }
    if (t.t === 'ml') {
      lines.push(`${' '.repeat(col)}${head} ${t.parts[0]}`);
      for (const part of t.parts.slice(1)) lines.push(' '.repeat(col + 1 + st.pick(3)) + part);
      extra();
      return;
    }
    const empty = t.e.length === 0; // (t is a mapping or a sequence here)
    // now and then the whole collection in flow style on the line, as hand-written manifests do
    if (!empty && flowable(t) && st.chance(3)) { lines.push(`${' '.repeat(col)}${head} ${flowText(t, st)}${trailer()}`); extra(); return; }
    if (empty) { lines.push(`${' '.repeat(col)}${head} ${t.t === 'm' ? '{}' : '[]'}${trailer()}`); extra(); return; }
    if (inSeq && t.t === 'm' && !st.chance(4)) {
      // compact: "- key: value" with the rest of the mapping under the first key
      const pad = 1 + (st.chance(5) ? st.pick(3) : 0);
      mapping(t, col + head.length + pad, `${' '.repeat(col)}${head}${' '.repeat(pad)}`);
      return;
    }
    lines.push(`${' '.repeat(col)}${head}${trailer()}`);
    extra();
    const sameIndent = t.t === 'q' && !inSeq && st.chance(2);
    const inner = sameIndent ? col : col + 1 + st.pick(4);
    if (t.t === 'm') mapping(t, inner); else sequence(t, inner);
  };
  const mapping = (t: Extract<Tree, { t: 'm' }>, col: number, firstPrefix?: string) => {
    t.e.forEach(([k, v], i) => {
      if (i === 0 && firstPrefix !== undefined) {
        // the first entry shares the "- " line
        const before = lines.length;
        value(`${k}:`, 0, v, false);
        lines[before] = firstPrefix + lines[before];
        // re-indent what the first entry's value wrote below it
        for (let j = before + 1; j < lines.length; j++) if (lines[j] !== '' && !/^ *#/.test(lines[j])) lines[j] = ' '.repeat(col) + lines[j];
      } else value(`${k}:`, col, v, false);
    });
  };
  const sequence = (t: Extract<Tree, { t: 'q' }>, col: number) => {
    for (const v of t.e) value('-', col, v, true);
  };
  if (root.t === 'm') mapping(root, 0); else if (root.t === 'q') sequence(root, 0); else if (root.t === 's') lines.push(root.v);
  return lines.join('\n') + (st.chance(3) ? '' : '\n');
}

const textArb = fc.tuple(fc.array(rootArb, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(1000), { minLength: 1, maxLength: 64 })).map(([roots, bits]) => {
  const st = new Style(bits);
  let text = st.chance(3) ? '# leading comment\n' : '';
  if (st.chance(3)) text += '---\n';
  roots.forEach((r, i) => {
    if (i > 0) text += text.endsWith('\n') ? '---\n' : '\n---\n';
    if (st.chance(6)) text += '---\n'; // an empty document
    text += write(r, st);
  });
  if (st.chance(4)) text += text.endsWith('\n') ? '---\n' : '\n---\n';
  // now and then a line indented one space more or less than its block (bad or odd indentation)
  if (st.chance(4)) {
    const lines = text.split('\n');
    const i = st.pick(lines.length);
    lines[i] = lines[i].startsWith(' ') && st.chance(2) ? lines[i].slice(1) : ' ' + lines[i];
    text = lines.join('\n');
  }
  return text;
});

test('fast path ≡ yaml package: same documents, values, key order, offsets and line starts on generated manifests', () => {
  let taken = 0, runs = 0;
  fc.assert(fc.property(textArb, (text) => { runs++; if (check(text)) taken++; }), { numRuns: Number(process.env.FASTYAML_RUNS ?? 1500) });
  // not vacuous: a good share of the generated texts stay within the fast path
  assert.ok(taken > runs / 4 && taken < runs, `fast path taken for ${taken} of ${runs} texts`);
  console.log(`# fast path taken for ${taken} of ${runs} texts`);
});

test('fast path ≡ yaml package through the whole loader: objects, origins, field positions and diagnostics', () => {
  const allPaths = (v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) => {
    out.push(prefix);
    if (Array.isArray(v)) { v.forEach((x, i) => allPaths(x, [...prefix, i], out)); out.push([...prefix, v.length]); }
    else if (v && typeof v === 'object') { for (const k of Object.keys(v)) allPaths((v as any)[k], [...prefix, k], out); out.push([...prefix, 'absent']); }
    return out;
  };
  const run = (text: string, fast: boolean) => {
    loaderOptions.fastPath = fast;
    try {
      const diag = new Diagnostics();
      const objs = loadSources([{ text, name: 'g.yaml', line: 3, col: 5 }], diag);
      return {
        objs,
        json: JSON.stringify(objs),
        origins: objs.map((o) => { const g = originOf(o)!; return { file: g.file, line: g.line, col: g.col, doc: g.doc }; }),
        at: objs.map((o) => allPaths(o).map((p) => originOf(o)!.at!(p))),
        diag: JSON.stringify({ e: diag.errors, w: diag.warnings }),
      };
    } finally { loaderOptions.fastPath = true; }
  };
  const objArb = fc.record({
    name: fc.constantFrom('web', 'db', 'on', '0755'),
    kind: fc.constantFrom('Service', 'Pod', 'ConfigMap', 'Widget', 'List', 'PodList'),
    extra: fc.array(fc.tuple(keyArb, treeArb), { maxLength: 3 }),
    bits: fc.array(fc.nat(1000), { minLength: 1, maxLength: 32 }),
  });
  fc.assert(fc.property(fc.array(objArb, { minLength: 1, maxLength: 3 }), (objs) => {
    const text = objs.map(({ name, kind, extra, bits }) => {
      const base: [string, Tree][] = [['apiVersion', { t: 's', v: 'v1' }], ['kind', { t: 's', v: kind }], ['metadata', { t: 'm', e: [['name', { t: 's', v: name }], ['namespace', { t: 's', v: 'shop' }]] }]];
      if (kind.endsWith('List')) base.push(['items', { t: 'q', e: [{ t: 'm', e: [['kind', { t: 's', v: 'Pod' }], ['apiVersion', { t: 's', v: 'v1' }], ['metadata', { t: 'm', e: [['name', { t: 's', v: `${name}-1` }]] }]] }] }]);
      return write({ t: 'm', e: [...base, ...extra.filter(([k]) => !['apiVersion', 'kind', 'metadata', 'items'].includes(k))] }, new Style(bits));
    }).join('---\n');
    const a = run(text, true), b = run(text, false);
    assert.equal(a.json, b.json, text);
    assert.deepEqual(a.origins, b.origins, text);
    assert.deepEqual(a.at, b.at, text);
    assert.equal(a.diag, b.diag, text);
  }), { numRuns: 300 });
});

test('the benchmark cluster\'s documents and the README-style manifests take the fast path', () => {
  const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-0\n  namespace: team-0000\nspec:\n  replicas: 50\n  selector:\n    matchLabels:\n      app: app-0\n  template:\n    metadata:\n      labels:\n        app: app-0\n        tier: t0\n    spec:\n      containers:\n      - name: app\n        image: registry.example/app:1.0\n        ports:\n        - name: http\n          containerPort: 8080\n          protocol: TCP\n';
  const svc = '# Source: chart/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: web   # the name\n  annotations:\n    note: "a: b"\n    other: \'x # y\'\nspec:\n  selector: {}\n  ports:\n    -   name: http\n        port: 80\n        targetPort: "8080"\n';
  for (const t of [deployment, svc, `---\n${deployment}---\n${svc}`]) assert.ok(check(t), t);
  const r = fastParse(svc)!;
  assert.deepEqual(r.docs[0].value, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', annotations: { note: 'a: b', other: 'x # y' } }, spec: { selector: {}, ports: [{ name: 'http', port: 80, targetPort: '8080' }] } });
});

test('the fast path declines what it does not read exactly (the yaml package reads it)', () => {
  const declined = [
    'a: &x 1\nb: *x\n', // anchors, aliases
    'a: >-\n  text\n', // folded block scalars
    'a: |+\n  text\n\n', // keep chomping
    'a: |2\n   text\n', // an indentation indicator
    'a: |\n  text', // a literal with no final line break
    'a: !!str 1\n', // tags
    '<<: {a: 1}\n', // merge keys
    'a:\n\tb: 1\n', // tabs
    'a: 1\r\nb: 2\r\n', // CR
    'a: 1\na: 2\n', // duplicate keys (an error the yaml package reports)
    'on: 1\n', // a key that is not a string in YAML 1.1
    'a: b\n\n  c\n', // a folded plain scalar with a blank line (a line break)
    'a: "x\\ay"\n', // escapes JSON does not have
    'a: "x\n  y"\n', // a double-quoted scalar over two lines
    'a: [1, 2,]\n', // a trailing comma in a flow collection
    'a: {b: 1,\n  c: 2}\n', // a flow collection over two lines
    'a: [b: 1]\n', // a single-pair mapping inside a flow sequence
    'a: {b: &x 1}\n', // an anchor inside a flow collection
    '%YAML 1.1\n---\na: 1\n', // directives
    'a: 1\n...\n', // document end marker
    '--- a: 1\n', // content on the marker line
    'a: b: c\n', // a nested mapping on one line (an error)
    '  a: 1\n', // an indented root
    'just a scalar\n',
    'items:\n- 1\n', // List items that are not objects
  ];
  for (const t of declined) assert.equal(fastParse(t), null, JSON.stringify(t));
});

test('kubectl get -o yaml output (managedFields, last-applied-configuration, go-yaml quoting) takes the fast path, item by item, equal to the yaml package', () => {
  const dir = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'netspec-fy-'));
  const file = require('node:path').join(dir, 's.yaml');
  const { writeSnapshot } = require('../../bench/snapshotgen') as typeof import('../../bench/snapshotgen');
  writeSnapshot(file, { pods: 30, namespaces: 3, nodes: 4, services: 6, managedFields: true });
  const text: string = require('node:fs').readFileSync(file, 'utf8');
  // managedFields' `.` keys resolve as YAML 1.1 floats in the yaml package (go-yaml keeps them as
  // strings): the fast reader declines them when reading them, and passes over them in the loader
  assert.equal(fastParse(text), null);
  const fast = fastParse(text, { skipManagedFields: true })!;
  assert.ok(fast, 'the whole dump takes the fast path');
  const ref = reference(text).docs[0].value as any;
  for (const item of ref.items) delete item.metadata.managedFields;
  sameValue(fast.docs[0].value, ref, 'skipManagedFields');
  assert.ok(ref.items.some((i: any) => i.kind === 'Pod') && ref.items.some((i: any) => i.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']?.endsWith('}}}\n')));
});
