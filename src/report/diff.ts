// `netspec diff OLD NEW`: what behaviour changed between two manifest sets, each change with the
// manifest change that caused it. Cost grows with the change: only pairs whose source, destination,
// policies or Services the changed objects touch are asked again (both sides), never the whole
// matrix — unless a change is of a kind whose reach is not bounded (cluster configuration, Nodes…),
// which the result says (`scope.full`).
import type { Cluster } from '../cluster';
import { compileLabelSelector } from '../model/selector';
import { posOf, type KObject } from '../model/types';
import type { Decider, SourcePos } from '../net/trace';
import { factChanges, type FactChange } from './facts';
import { reachPairs, ReachIndex, type Destination, type Group, type ReachAnswer } from './reach';

export interface ObjectChange {
  op: 'added' | 'removed' | 'changed';
  kind: string;
  /** "ns/name" or "name" */
  name: string;
  /** where it is now (added, changed) or was (removed) */
  pos?: SourcePos;
}

export interface PairChange {
  change: 'lost' | 'gained' | 'changed';
  from: string;
  to: Destination;
  before: ReachAnswer | null;
  after: ReachAnswer | null;
  /** the object changes that put this pair in scope */
  causes: ObjectChange[];
}

export interface BehaviourDiff {
  objects: ObjectChange[];
  pairs: PairChange[];
  /** DNS answers, exposure outside the cluster and Ingress routes of the changed objects */
  facts: FactChange[];
  /** how many pairs were asked (each on both sides), and whether every pair had to be */
  scope: { asked: number; full: boolean; why?: string };
}

/** Kinds whose change moves reachability only through the pairs below; any other kind asks every pair. */
const WORKLOAD_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod']);
/** Kinds that change nothing `diff` compares (DNS, ingress and the rest are named by the object list). */
const INERT_KINDS = new Set(['ConfigMap', 'Secret', 'Ingress', 'IngressClass', 'EndpointSlice', 'Endpoints']);

/** JSON with sorted keys: two objects equal field by field print the same. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as any)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

const keyOf = (o: KObject) => `${o.kind}/${o.metadata.namespace ? o.metadata.namespace + '/' : ''}${o.metadata.name}`;

/** The input objects that were added, removed or changed (metadata that does not reach the network ignored). */
export function objectChanges(before: readonly KObject[], after: readonly KObject[]): { change: ObjectChange; old?: KObject; now?: KObject }[] {
  const strip = (o: KObject) => {
    const { resourceVersion, uid, generation, creationTimestamp, managedFields, annotations, ...meta } = (o.metadata ?? {}) as any;
    const a = { ...(annotations ?? {}) };
    delete a['kubectl.kubernetes.io/last-applied-configuration'];
    return canonical({ ...o, metadata: { ...meta, annotations: a }, status: undefined });
  };
  const old = new Map(before.map((o) => [keyOf(o), o]));
  const now = new Map(after.map((o) => [keyOf(o), o]));
  const out: { change: ObjectChange; old?: KObject; now?: KObject }[] = [];
  const name = (o: KObject) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name);
  for (const [k, o] of now) {
    const p = old.get(k);
    if (!p) out.push({ change: { op: 'added', kind: o.kind, name: name(o), pos: posOf(o) }, now: o });
    else if (strip(p) !== strip(o)) out.push({ change: { op: 'changed', kind: o.kind, name: name(o), pos: posOf(o) }, old: p, now: o });
  }
  for (const [k, o] of old) if (!now.has(k)) out.push({ change: { op: 'removed', kind: o.kind, name: name(o), pos: posOf(o) }, old: o });
  return out.sort((a, b) => cmp(`${a.change.kind}/${a.change.name}`, `${b.change.kind}/${b.change.name}`));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The pairs a set of changes can move, with the changes that move each. */
class Scope {
  /** source ids × every destination */
  readonly sources = new Map<string, ObjectChange[]>();
  /** every source × destination ids */
  readonly dests = new Map<string, ObjectChange[]>();
  full: string | undefined;
  constructor(readonly a: ReachIndex, readonly b: ReachIndex) {}

  private add(m: Map<string, ObjectChange[]>, id: string, c: ObjectChange) {
    const l = m.get(id);
    if (!l) m.set(id, [c]); else if (!l.includes(c)) l.push(c);
  }
  source(g: Group, c: ObjectChange) { this.add(this.sources, g.id, c); }
  dest(d: Destination, c: ObjectChange) { this.add(this.dests, d.id, c); }
  /** a group as a source, and everything that is about it as a destination, on both sides */
  group(id: string, c: ObjectChange) {
    for (const ix of [this.a, this.b]) {
      const g = ix.groups.get(id);
      if (!g) continue;
      this.source(g, c);
      for (const d of ix.destsAbout(g)) this.dest(d, c);
    }
  }
}

function policySelected(ix: ReachIndex, obj: KObject): { groups: Group[]; ingress: boolean; egress: boolean } {
  const spec = (obj.spec ?? {}) as Record<string, any>;
  const ns = obj.metadata.namespace ?? 'default';
  const types: unknown[] = Array.isArray(spec.policyTypes) ? spec.policyTypes : [];
  // the API server's defaulting of policyTypes (src/policy policyTypes)
  const ingress = types.length ? types.includes('Ingress') : true;
  const egress = types.length ? types.includes('Egress') : Array.isArray(spec.egress) && spec.egress.length > 0;
  const sel = compileLabelSelector(spec.podSelector ?? {});
  const ids = new Set<string>();
  const groups: Group[] = [];
  for (const g of ix.groupsByNs.get(ns) ?? []) {
    if (!ids.has(g.id) && g.pods.some((p) => sel.matches(p.labels))) { ids.add(g.id); groups.push(g); }
  }
  return { groups, ingress, egress };
}

function scopeOf(scope: Scope, changes: ReturnType<typeof objectChanges>): void {
  const { a, b } = scope;
  for (const { change: c, old, now } of changes) {
    if (c.kind === 'NetworkPolicy') {
      for (const [ix, obj] of [[a, old], [b, now]] as const) {
        if (!obj) continue;
        const sel = policySelected(ix, obj);
        for (const g of sel.groups) {
          if (sel.egress) scope.source(g, c);
          if (sel.ingress) for (const x of [a, b]) { const gx = x.groups.get(g.id); if (gx) for (const d of x.destsAbout(gx)) scope.dest(d, c); }
        }
      }
    } else if (c.kind === 'Service') {
      for (const [ix, obj] of [[a, old], [b, now]] as const) {
        const s = obj && ix.realised.serviceByKey.get(`${obj.metadata.namespace ?? 'default'}/${obj.metadata.name}`);
        if (!s) continue;
        for (const d of ix.serviceDests(s)) scope.dest(d, c);
        // pods a Service no longer (or newly) fronts gain or lose their own port destinations
        for (const g of ix.backingGroups(s)) for (const x of [a, b]) { const gx = x.groups.get(g.id); if (gx) for (const d of x.groupDests(gx)) scope.dest(d, c); }
      }
    } else if (c.kind === 'Namespace') {
      // namespaceSelectors read its labels: every pod in it, both ways
      const ns = c.name;
      for (const ix of [a, b]) for (const g of ix.groupsByNs.get(ns) ?? []) scope.group(g.id, c);
    } else if (WORKLOAD_KINDS.has(c.kind)) {
      const ns = (old ?? now)!.metadata.namespace ?? 'default';
      const name = (old ?? now)!.metadata.name;
      const ids = new Set<string>();
      for (const ix of [a, b]) {
        for (const g of ix.groupsByNs.get(ns) ?? []) {
          // the group this object owns (a Deployment's pods, a bare Pod) or, for a ReplicaSet/Job, its pods' group
          if (g.id.endsWith(`/${name}`) || g.pods.some((p) => (p.obj.metadata.ownerReferences as any[] | undefined)?.some((r) => r.name === name && r.kind === c.kind))) ids.add(g.id);
        }
      }
      for (const id of ids) scope.group(id, c);
    } else if (!INERT_KINDS.has(c.kind)) {
      scope.full ??= `${c.kind} ${c.name} ${c.op}`;
    }
  }
}

/** The behaviour that differs between two clusters, each difference with the changes behind it. */
export function behaviourDiff(before: Cluster, after: Cluster): BehaviourDiff {
  const changes = objectChanges(before.inputs, after.inputs);
  const a = new ReachIndex(before), b = new ReachIndex(after);
  const scope = new Scope(a, b);
  // provenance says where each setting came from: files move between the two sides, settings matter
  const settings = (c: Cluster) => canonical({ ...c.realised.config, provenance: undefined });
  if (settings(before) !== settings(after)) scope.full = 'the cluster configuration changed';
  scopeOf(scope, changes);

  // the pairs to ask: (source in scope) × every destination, every source × (destination in scope)
  const pairs = new Map<string, { from: string; to: string; causes: ObjectChange[] }>();
  const put = (from: string, to: string, causes: readonly ObjectChange[]) => {
    const k = `${from}\u0000${to}`;
    const p = pairs.get(k);
    if (!p) pairs.set(k, { from, to, causes: [...causes] });
    else for (const c of causes) if (!p.causes.includes(c)) p.causes.push(c);
  };
  const allSources = [...new Set([...a.groups.keys(), ...b.groups.keys()])];
  if (scope.full) {
    const cause: ObjectChange[] = changes.map((x) => x.change);
    const dests = new Set([...a.destinations().keys(), ...b.destinations().keys()]);
    for (const s of allSources) for (const d of dests) put(s, d, cause);
  } else {
    const allDests = scope.sources.size ? [...new Set([...a.destinations().keys(), ...b.destinations().keys()])] : [];
    for (const [s, causes] of scope.sources) for (const d of allDests) put(s, d, causes);
    for (const [d, causes] of scope.dests) for (const s of allSources) put(s, d, causes);
  }

  // ask each side only the pairs it has (a source or destination may exist on one side only)
  const list = [...pairs.values()].sort((x, y) => cmp(x.to, y.to) || cmp(x.from, y.from));
  const side = (ix: ReachIndex) => {
    const asked: { from: string; to: Destination }[] = [];
    const at: number[] = [];
    list.forEach((p, i) => {
      const to = ix.destination(p.to);
      if (to && ix.groups.has(p.from)) { asked.push({ from: p.from, to }); at.push(i); }
    });
    const answers = reachPairs(ix, asked);
    const out: (ReachAnswer | null)[] = new Array(list.length).fill(null);
    at.forEach((i, j) => { out[i] = answers[j]; });
    return { out };
  };
  const before_ = side(a), after_ = side(b);
  const result: PairChange[] = [];
  list.forEach((p, i) => {
    const x = before_.out[i], y = after_.out[i];
    const wasOk = !!x?.reachable, isOk = !!y?.reachable;
    if (!x && !y) return;
    let change: PairChange['change'] | null = null;
    if (wasOk && !isOk) change = 'lost';
    else if (!wasOk && isOk) change = 'gained';
    else if (x && y && !wasOk && !isOk && x.verdict !== y.verdict) change = 'changed';
    if (!change) return;
    const to = (y ? b.destination(p.to) : a.destination(p.to))!;
    result.push({ change, from: p.from, to, before: x, after: y, causes: p.causes });
  });
  return { objects: changes.map((c) => c.change), pairs: result, facts: factChanges(before, after, changes), scope: { asked: list.length, full: !!scope.full, why: scope.full } };
}

export function deciderText(d: Decider): string {
  return d.pos ? `${d.what} (${d.pos.file}:${d.pos.line})` : d.what;
}
