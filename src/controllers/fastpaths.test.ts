// The controllers' fast paths give exactly what their plain definitions give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assignOwn, copyOf, fnv1a32, KUBE_ALPHANUMS, makeUid, randomSuffix, Rng } from './util';
import { KIND_ORDER } from './index';
import { deployment, node, pod, run, service } from './testkit';
import { intToIpv4, parseCIDR } from '../net/ip';
import type { KObject } from '../model/types';

// the definitions the fast versions replaced, written plainly
function hex8(x: number): string { return (x >>> 0).toString(16).padStart(8, '0'); }
function plainUid(seed: number, kind: string, ns: string | undefined, name: string): string {
  const s = `${kind}/${ns ?? ''}/${name}`;
  const a = hex8(fnv1a32(s, 0x811c9dc5 ^ seed)), b = hex8(fnv1a32(s, 0x01234567 ^ seed));
  const c = hex8(fnv1a32(s, 0x89abcdef ^ seed)), d = hex8(fnv1a32(s, 0x5bd1e995 ^ seed));
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${['8', '9', 'a', 'b'][parseInt(c[0], 16) & 3]}${c.slice(1, 4)}-${c.slice(4, 8)}${d}`;
}
function plainSuffix(rng: Rng, n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += KUBE_ALPHANUMS[rng.int(KUBE_ALPHANUMS.length)];
  return s;
}

test('makeUid (one pass, written at once) ≡ four FNV-1a hashes of "kind/ns/name" formatted as a UID', () => {
  fc.assert(fc.property(fc.integer(), fc.string(), fc.option(fc.string(), { nil: undefined }), fc.string({ unit: 'grapheme' }), (seed, kind, ns, name) => {
    assert.equal(makeUid(seed, kind, ns, name), plainUid(seed, kind, ns, name));
  }), { numRuns: 2000 });
  assert.match(makeUid(0, 'Pod', 'shop', 'web-1'), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('randomSuffix (one string) ≡ the characters drawn one by one', () => {
  fc.assert(fc.property(fc.integer(), fc.string(), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 20 }), (seed, ctx, n, draws) => {
    const a = new Rng(seed, ctx), b = new Rng(seed, ctx);
    for (let i = 0; i < draws; i++) assert.equal(randomSuffix(a, n), plainSuffix(b, n));
    for (let i = 0; i < draws; i++) assert.equal(randomSuffix(a), plainSuffix(b));
  }), { numRuns: 500 });
});

/** Own keys (strings and symbols) in order, with their descriptors, and the prototype. */
function shape(o: object): unknown {
  return { proto: Object.getPrototypeOf(o), keys: Reflect.ownKeys(o).map((k) => [k, Object.getOwnPropertyDescriptor(o, k)]) };
}

const SYM = Symbol('s'), HIDDEN = Symbol.for('netspec.origin');
const sourceArb = fc.oneof(
  fc.constantFrom(null, undefined, 7, 'ab', true),
  fc.array(fc.tuple(fc.constantFrom('a', 'b', 'spec', '__proto__', 'constructor', 'toString', '0', '10', '1.5', 'nodeName'), fc.jsonValue()), { maxLength: 6 })
    .chain((entries) => fc.record({ entries: fc.constant(entries), sym: fc.boolean(), hidden: fc.boolean(), frozen: fc.boolean() }))
    .map(({ entries, sym, hidden, frozen }) => {
      const o: any = {};
      // (defineProperty: an own "__proto__" key, as the YAML reader makes one)
      for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
      if (sym) o[SYM] = 'symbol value';
      if (hidden) Object.defineProperty(o, HIDDEN, { value: { file: 'x' }, enumerable: false });
      return frozen ? Object.freeze(o) : o;
    }),
);

test('copyOf(x) ≡ { ...x } and assignOwn(copyOf(x), y) ≡ { ...x, ...y }: same keys, order, values and prototype (an own "__proto__" key included)', () => {
  fc.assert(fc.property(sourceArb, sourceArb, (x, y) => {
    assert.deepStrictEqual(shape(copyOf(x)), shape({ ...(x as object) }));
    const merged = copyOf(x);
    assignOwn(merged, y);
    assert.deepStrictEqual(shape(merged), shape({ ...(x as object), ...(y as object) }));
  }), { numRuns: 2000 });
});

test('host-local hands out consecutive addresses across octet boundaries (a /22 per node: …0.255, …1.0, …1.1)', () => {
  const pods: KObject[] = [];
  for (let i = 0; i < 600; i++) pods.push(pod(`p-${String(i).padStart(3, '0')}`, { nodeName: 'a' }));
  const { r, diag } = run([node('a'), ...pods], { nodeCidrMaskSizeV4: 22 });
  assert.deepEqual(diag.errors, []);
  const cidr = parseCIDR(r.nodeByName.get('a')!.podCIDRs[0].text);
  const got = r.pods.filter((p) => p.node?.name === 'a').map((p) => p.ip);
  assert.deepEqual(got, got.map((_, i) => intToIpv4(Number(cidr.base) + 2 + i)));
  assert.ok(got.includes('10.244.0.255') && got.includes('10.244.1.0') && got.includes('10.244.2.0'), 'crosses octet boundaries');
});

test('objects come out ordered by KIND_ORDER, then kind, namespace and name — the order a plain comparator sort gives', () => {
  const rank = (k: string) => { const i = KIND_ORDER.indexOf(k); return i < 0 ? KIND_ORDER.length : i; };
  const cmp = (a: KObject, b: KObject) => {
    if (rank(a.kind) !== rank(b.kind)) return rank(a.kind) - rank(b.kind);
    if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
    const na = a.metadata.namespace ?? '', nb = b.metadata.namespace ?? '';
    if (na !== nb) return na < nb ? -1 : 1;
    return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
  };
  const { r } = run([
    node('b'), node('a'),
    deployment('web', 'shop', 3, { app: 'web' }), deployment('api', 'a-b', 2, { app: 'api' }),
    service('web', 'shop', { selector: { app: 'web' }, ports: [{ port: 80 }] }),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' }, data: {} },
    { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' } },
    pod('lone', { ns: 'a' }),
  ]);
  assert.deepEqual(r.objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`), [...r.objects].sort(cmp).map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`));
  assert.ok(r.objects.length > 20);
});
