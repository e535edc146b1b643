// The cluster after some pods changed status (or went away), derived from the cluster before without
// realising everything again: only the changed pods, their namespaces' label indexes and the
// EndpointSlices of the Services that select them are computed anew (issue 9: at(t) after one event
// at 150 000 pods). The result equals what realise() gives for the same objects; the probes tests
// compare the two.
import type { Diagnostics } from '../model/errors';
import type { RPod, RService, RSlice, Realised } from '../model/realised';
import { LabelIndex, parseSelectorString } from '../model/selector';
import type { KObject } from '../model/types';
import { CONTROLLER, MANAGED_BY, SERVICE_NAME, realiseSlices } from './endpointslices';

/** A read-only map: the base map with some keys replaced or removed (undefined). */
class Overlay<K, V> implements ReadonlyMap<K, V> {
  constructor(private readonly base: ReadonlyMap<K, V>, private readonly changes: ReadonlyMap<K, V | undefined>) {}
  get(k: K): V | undefined { return this.changes.has(k) ? this.changes.get(k) : this.base.get(k); }
  has(k: K): boolean { return this.changes.has(k) ? this.changes.get(k) !== undefined : this.base.has(k); }
  get size(): number { let n = 0; for (const _ of this.entries()) n++; return n; }
  *entries(): MapIterator<[K, V]> {
    for (const [k, v] of this.base) { if (this.changes.has(k)) { const c = this.changes.get(k); if (c !== undefined) yield [k, c]; } else yield [k, v]; }
    for (const [k, v] of this.changes) if (v !== undefined && !this.base.has(k)) yield [k, v];
  }
  *keys(): MapIterator<K> { for (const [k] of this.entries()) yield k; }
  *values(): MapIterator<V> { for (const [, v] of this.entries()) yield v; }
  [Symbol.iterator](): MapIterator<[K, V]> { return this.entries(); }
  forEach(cb: (v: V, k: K, m: ReadonlyMap<K, V>) => void): void { for (const [k, v] of this.entries()) cb(v, k, this); }
}

const TERMINAL = new Set(['Succeeded', 'Failed']);

/** The Services of a namespace, indexed once per list of Services (a patched cluster shares its base's). */
const servicesByNs = new WeakMap<readonly RService[], Map<string, RService[]>>();
export function servicesIn(r: Realised, ns: string): readonly RService[] {
  let m = servicesByNs.get(r.services);
  if (!m) {
    m = new Map();
    for (const s of r.services) { const l = m.get(s.ns); if (l) l.push(s); else m.set(s.ns, [s]); }
    servicesByNs.set(r.services, m);
  }
  return m.get(ns) ?? [];
}
const ALL = parseSelectorString('');

/** The pod as realise() would make it from its new object: readiness, phase and deletion from the status the kubelet reports. */
function repod(old: RPod, obj: KObject): RPod {
  const conds: any[] = Array.isArray(obj.status?.conditions) ? obj.status.conditions : [];
  const readyCond = conds.find((c) => c && c.type === 'Ready');
  const phase = (obj.status?.phase ?? old.phase) as RPod['phase'];
  const ready = !!old.node && old.ips.length > 0 && phase === 'Running' && (readyCond ? readyCond.status === 'True' : true);
  const terminating = obj.metadata.deletionTimestamp !== undefined && obj.metadata.deletionTimestamp !== null;
  return { ...old, obj, phase, ready, terminating };
}

/**
 * The cluster once the pods in `changes` (by key: the new object, or null when the pod is gone) are
 * so. Only pod status and existence may change (and whole objects replaced by `objectChanges`, e.g. a
 * Deployment and its ReplicaSets at that time); everything else is shared with `base`.
 */
export function patchPods(base: Realised, changes: ReadonlyMap<string, KObject | null>, diag: Diagnostics, objectChanges: ReadonlyMap<KObject, KObject | null> = new Map(), added: readonly RPod[] = [], addedObjects: readonly KObject[] = []): Realised {
  const byKey = new Map<string, RPod | undefined>();
  const byIP = new Map<string, RPod | undefined>();
  const nsTouched = new Set<string>();
  const nodesTouched = new Set<string>();
  for (const [key, obj] of changes) {
    const old = base.podByKey.get(key);
    if (!old) continue;
    const now = obj ? repod(old, obj) : undefined;
    byKey.set(key, now);
    for (const ip of old.ips) if (base.podByIP.get(ip) === old) byIP.set(ip, now && !TERMINAL.has(now.phase) ? now : undefined);
    nsTouched.add(old.ns);
    if (old.node) nodesTouched.add(old.node.name);
  }
  // pods new to the cluster (a controller's, made later on the clock)
  for (const p of added) {
    byKey.set(p.key, p);
    for (const ip of p.ips) if (!p.hostNetwork) byIP.set(ip, p);
    nsTouched.add(p.ns);
    if (p.node) nodesTouched.add(p.node.name);
  }
  const swap = (p: RPod) => (byKey.has(p.key) ? byKey.get(p.key) : p);
  const podsByNode = new Map<string, readonly RPod[] | undefined>();
  for (const n of nodesTouched) podsByNode.set(n, [...(base.podsByNode.get(n) ?? []).map(swap).filter((x): x is RPod => !!x), ...added.filter((p) => p.node?.name === n)]);
  const indexes = new Map<string, LabelIndex<RPod>>();
  for (const ns of nsTouched) {
    const idx = new LabelIndex<RPod>((p) => p.labels);
    for (const p of base.podIndex(ns).select(ALL)) { const q = swap(p); if (q) idx.add(q); }
    for (const p of added) if (p.ns === ns) idx.add(p);
    indexes.set(ns, idx);
  }
  const podByKey = new Overlay(base.podByKey, byKey);
  const podIndex = (ns: string) => indexes.get(ns) ?? base.podIndex(ns);

  // the Services that select a changed pod: their controller-made slices are made again
  // (indexed: the Services by namespace, the hand-made slices from slicesByService — a scan of every
  // object at 150 000 pods cost more than the rest of at(t))
  const olds = [...[...changes.keys()].map((k) => base.podByKey.get(k)).filter((p): p is RPod => p !== undefined), ...added];
  // pods of one template share their labels object: each distinct one is matched once
  const labelSets = new Map<string, Set<RPod['labels']>>();
  for (const o of olds) (labelSets.get(o.ns) ?? labelSets.set(o.ns, new Set()).get(o.ns)!).add(o.labels);
  const affected = [...nsTouched].flatMap((ns) => servicesIn(base, ns)).filter((s) => s.selector && [...(labelSets.get(s.ns) ?? [])].some((l) => s.selector!.matches(l)));
  const affectedKeys = new Set(affected.map((s) => s.key));
  const sliceObjs = affected.flatMap((s) => (base.slicesByService.get(s.key) ?? []).filter((x) => !x.managed).map((x) => x.obj));
  const sl = realiseSlices({ services: affected, podIndex, podByKey, nodeByName: base.nodeByName, slices: sliceObjs, endpoints: [] }, base.config, diag);
  const bySvc = new Map<string, readonly RSlice[] | undefined>();
  for (const k of affectedKeys) bySvc.set(k, [...(base.slicesByService.get(k) ?? []).filter((s) => !s.managed), ...(sl.byService.get(k) ?? []).filter((s) => s.managed)]);

  // every field of base but the two lists (spreading would read them: a patched base makes them on first read)
  const rest: any = {};
  for (const k of Object.keys(base)) if (k !== 'pods' && k !== 'objects') rest[k] = (base as any)[k];
  const out: Realised = {
    ...rest,
    podByKey,
    podByIP: new Overlay(base.podByIP, byIP),
    podsByNode: new Overlay(base.podsByNode, podsByNode),
    podIndex,
    slicesByService: new Overlay(base.slicesByService, bySvc),
  };
  // the full lists are made when first read (a query at time t rarely needs them)
  let pods: RPod[] | undefined;
  let objects: KObject[] | undefined;
  Object.defineProperty(out, 'pods', { enumerable: true, get: () => (pods ??= [...base.pods.map(swap).filter((x): x is RPod => !!x), ...added.map(swap).filter((x): x is RPod => !!x)]) });
  Object.defineProperty(out, 'objects', { enumerable: true, get: () => (objects ??= buildObjects()) });
  const newSlices = sl.objects.filter((o) => o.kind === 'EndpointSlice' && o.metadata.labels?.[MANAGED_BY] === CONTROLLER);
  function buildObjects(): KObject[] {
    const objects: KObject[] = [];
    let placed = false;
    for (const o of base.objects) {
      if (o.kind === 'Pod') {
        const key = `${o.metadata.namespace}/${o.metadata.name}`;
        if (changes.has(key)) { const c = changes.get(key); if (c) objects.push(c); continue; }
      } else if (o.kind === 'EndpointSlice' && o.metadata.labels?.[MANAGED_BY] === CONTROLLER && affectedKeys.has(`${o.metadata.namespace}/${o.metadata.labels?.[SERVICE_NAME]}`)) {
        if (!placed) { objects.push(...newSlices); placed = true; }
        continue;
      } else if (objectChanges.has(o)) {
        const c = objectChanges.get(o);
        if (c) objects.push(c);
        continue;
      }
      objects.push(o);
    }
    for (const p of added) { const c = changes.has(p.key) ? changes.get(p.key) : p.obj; if (c) objects.push(c); }
    for (const o of addedObjects) { const c = objectChanges.has(o) ? objectChanges.get(o) : o; if (c) objects.push(c); }
    if (!placed) objects.push(...newSlices);
    return objects;
  }
  return out;
}
