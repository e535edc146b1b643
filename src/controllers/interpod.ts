// kube-scheduler's InterPodAffinity and PodTopologySpread filter plugins
// (pkg/scheduler/framework/plugins/interpodaffinity/filtering.go, podtopologyspread/filtering.go),
// evaluated as pods are placed one by one: every placement updates per-topology-domain counts kept
// by trackers (one per distinct term or constraint), so a pod's rules are checked against counts,
// never by scanning the pods placed so far.
//
// Facts modelled (names from the scheduler source):
// - AffinityTerm: namespaces default to the pod's own namespace when neither `namespaces` nor
//   `namespaceSelector` is set (getNamespacesFromPodAffinityTerm); a nil labelSelector or
//   namespaceSelector selects nothing, an empty one everything (metav1.LabelSelectorAsSelector);
//   Matches = (namespace listed || namespaceSelector matches its labels) && labelSelector matches.
//   matchLabelKeys / mismatchLabelKeys are merged into the labelSelector as the API server does
//   (key In / NotIn the pod's own value, keys the pod lacks skipped, nil labelSelector untouched).
// - satisfyPodAffinity: every required term's topologyKey must be on the node, and some pod that
//   matches ALL the terms must sit in the node's domain of each term; when no pod anywhere matches
//   (affinityCounts empty) and the pod matches all its own terms, it may go to any node that has
//   the keys (the first pod of a group). Failure: "node(s) didn't match pod affinity rules"
//   (UnschedulableAndUnresolvable).
// - satisfyPodAntiAffinity: no pod matching a term in the node's domain of that term (a node that
//   lacks the key passes). "node(s) didn't match pod anti-affinity rules" (Unschedulable).
// - satisfyExistingPodsAntiAffinity (the symmetric check): no placed pod whose required
//   anti-affinity term matches the incoming pod sits in the node's domain of that term.
//   "node(s) didn't satisfy existing pods anti-affinity rules" (Unschedulable).
// - PodTopologySpread, DoNotSchedule constraints only (ScheduleAnyway is scoring): a node lacking a
//   constraint's topologyKey fails with "node(s) didn't match pod topology spread constraints
//   (missing required label)" (UnschedulableAndUnresolvable); otherwise
//   matchNum(node's domain) + selfMatch − minMatchNum > maxSkew fails with "node(s) didn't match
//   pod topology spread constraints" (Unschedulable). Domains are those of eligible nodes: nodes
//   carrying every constraint's key that pass the inclusion policies (nodeAffinityPolicy default
//   Honor: nodeSelector and required node affinity; nodeTaintsPolicy default Ignore); counts are
//   of pods in the pod's namespace matching the selector, on eligible nodes, terminating pods
//   skipped (countPodsMatchSelector); an empty selector counts nothing. minMatchNum is the
//   smallest count over the eligible domains, or 0 while there are fewer than minDomains of them.
//   matchLabelKeys add `key In (the pod's value)` to the selector.
// The scheduler's informer holds no Succeeded or Failed pods: those are not counted anywhere.
import { compileLabelSelector, compileRequirements, type CompiledSelector, type Requirement } from '../model/selector';
import type { RNode } from '../model/realised';
import type { Labels } from '../model/types';
import type { Taint } from './nodes';
import { nodeAffinityMatches, nodeSelectorMatches, taintsTolerated } from './scheduling';

export const REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const REASON_SPREAD = "node(s) didn't match pod topology spread constraints";
export const REASON_SPREAD_LABEL = REASON_SPREAD + ' (missing required label)';

/** A placed (or incoming) pod as the filters see it. */
export interface PodInfo { ns: string; labels: Labels; terminating: boolean }

const NOTHING: CompiledSelector = { requirements: [], empty: false, matches: () => false, text: '<none>' };

/** metav1.LabelSelectorAsSelector: nil → nothing; {} → everything; an invalid selector (reported by validation) → nothing. */
function selectorOf(sel: any, extra: Requirement[] = []): CompiledSelector {
  if (sel === undefined || sel === null) return NOTHING;
  try {
    const c = compileLabelSelector(sel);
    return extra.length ? compileRequirements([...c.requirements, ...extra]) : c;
  } catch { return NOTHING; }
}

/** A compiled PodAffinityTerm (framework.AffinityTerm). */
export interface Term {
  namespaces: ReadonlySet<string>;
  nsSelector: CompiledSelector;
  selector: CompiledSelector;
  key: string;
  /** identity of the term's meaning (for sharing trackers) */
  sig: string;
}

export function compileTerm(t: any, pod: PodInfo): Term {
  const listed: string[] = Array.isArray(t?.namespaces) ? t.namespaces.map(String) : [];
  const hasNsSel = t?.namespaceSelector !== undefined && t?.namespaceSelector !== null;
  const namespaces = new Set(listed.length === 0 && !hasNsSel ? [pod.ns] : listed);
  const extra: Requirement[] = [];
  if (t?.labelSelector) {
    for (const k of Array.isArray(t.matchLabelKeys) ? t.matchLabelKeys : []) if (Object.prototype.hasOwnProperty.call(pod.labels, k)) extra.push({ key: k, op: 'In', values: [pod.labels[k]] });
    for (const k of Array.isArray(t.mismatchLabelKeys) ? t.mismatchLabelKeys : []) if (Object.prototype.hasOwnProperty.call(pod.labels, k)) extra.push({ key: k, op: 'NotIn', values: [pod.labels[k]] });
  }
  const selector = selectorOf(t?.labelSelector, extra);
  const nsSelector = hasNsSel ? selectorOf(t.namespaceSelector) : NOTHING;
  const key = typeof t?.topologyKey === 'string' ? t.topologyKey : '';
  const sig = JSON.stringify([[...namespaces].sort(), hasNsSel ? nsSelector.text + (nsSelector === NOTHING ? '!' : '') : null, selector === NOTHING ? null : selector.text, key]);
  return { namespaces, nsSelector, selector, key, sig };
}

/** "*": the dispatch keys of terms that may reach any namespace (a namespace name cannot start with it) */
const STAR = '*'.charCodeAt(0);

/** One "key=value" equality every pod a selector matches carries, for dispatch (or null). */
function equalityOf(sel: CompiledSelector): string | null {
  for (const r of sel.requirements) if (r.op === 'In' && r.values.length === 1) return `${r.key}=${r.values[0]}`;
  return null;
}

/** Counts of matching placed pods per topology domain, kept as pods are placed. */
class Tracker {
  /** topologyKey → domain value → count (AffinityTerm counts: over every node carrying the key) */
  readonly byKey = new Map<string, Map<string, number>>();
  /** node index → count (for spread views built later) */
  readonly perNode = new Map<number, number>();
  /** how many (pod, key) pairs were counted: 0 is the scheduler's empty affinityCounts */
  pairs = 0;
  readonly views: SpreadView[] = [];
  constructor(readonly sig: string, readonly match: (p: PodInfo) => boolean, keys: readonly string[]) {
    for (const k of keys) if (!this.byKey.has(k)) this.byKey.set(k, new Map());
  }
  add(node: RNode): void {
    this.perNode.set(node.index, (this.perNode.get(node.index) ?? 0) + 1);
    for (const [k, m] of this.byKey) {
      const v = node.labels[k];
      if (v !== undefined) { m.set(v, (m.get(v) ?? 0) + 1); this.pairs++; }
    }
    for (const v of this.views) v.add(node.index);
  }
  count(key: string, node: RNode): number {
    const v = node.labels[key];
    return v === undefined ? 0 : this.byKey.get(key)?.get(v) ?? 0;
  }
}

/** A spread constraint's counts over the domains of its eligible nodes, with the running minimum. */
class SpreadView {
  readonly counts: Int32Array;
  /** count → how many domains have it */
  private readonly hist = new Map<number, number>();
  min = 0;
  constructor(readonly domainOf: Int32Array, readonly domainIndex: Map<string, number>, tracker: Tracker) {
    this.counts = new Int32Array(domainIndex.size);
    for (const [ni, c] of tracker.perNode) { const d = domainOf[ni]; if (d >= 0) this.counts[d] += c; }
    for (const c of this.counts) this.hist.set(c, (this.hist.get(c) ?? 0) + 1);
    this.min = this.counts.length ? Math.min(...this.counts) : 0;
  }
  get domains(): number { return this.counts.length; }
  add(nodeIndex: number): void {
    const d = this.domainOf[nodeIndex];
    if (d < 0) return;
    const c = this.counts[d]++;
    const left = this.hist.get(c)! - 1;
    if (left) this.hist.set(c, left); else this.hist.delete(c);
    this.hist.set(c + 1, (this.hist.get(c + 1) ?? 0) + 1);
    if (c === this.min && !left) this.min = c + 1;
  }
  countAt(value: string): number { const d = this.domainIndex.get(value); return d === undefined ? 0 : this.counts[d]; }
}

interface Spread { key: string; maxSkew: number; minDomains: number; selector: CompiledSelector; view: SpreadView }

/** A pod's compiled rules for the filters. */
export interface PodRules {
  affinityTerms: Term[];
  affinity: Tracker | null;
  antiTerms: { term: Term; tracker: Tracker }[];
  spreads: Spread[];
  /** placed pods' anti-affinity terms that select the incoming pod (their domains are closed to it) */
  existingAnti: readonly AntiGroup[];
}

/** The part of a pod's rules shared by the pods of one template in one namespace. */
type Base = PodRules;
const NO_BASE: Base = { affinityTerms: [], affinity: null, antiTerms: [], spreads: [], existingAnti: [] };

/** Whether a spec's rules depend on the pod's own labels beyond selfMatch (matchLabelKeys, mismatchLabelKeys). */
function usesLabelKeys(spec: any): boolean {
  const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);
  const terms = [...list(spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution), ...list(spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution), ...list(spec?.topologySpreadConstraints)];
  return terms.some((t: any) => (Array.isArray(t?.matchLabelKeys) && t.matchLabelKeys.length) || (Array.isArray(t?.mismatchLabelKeys) && t.mismatchLabelKeys.length));
}

const NO_ANTI: readonly AntiGroup[] = [];

/** A placed pod's required anti-affinity term, grouped with the same term of other placed pods. */
interface AntiGroup { term: Term; counts: Map<string, number> }

export class InterPod {
  private readonly placed: { p: PodInfo; node: RNode }[] = [];
  /** dispatch key ("ns\0k=v", "*\0k=v", "ns\0", "*\0") → placed pods (built on first tracker) */
  private placedBy: Map<string, { p: PodInfo; node: RNode }[]> | null = null;
  private readonly trackers = new Map<string, Tracker>();
  private readonly trackersBy = new Map<string, Tracker[]>();
  private readonly antiGroups = new Map<string, AntiGroup>();
  private readonly antiGroupsBy = new Map<string, AntiGroup[]>();
  private readonly views = new Map<string, SpreadView>();
  /** eligibility → each node's domain index (-1: not eligible) and the domains, shared by every constraint with that eligibility */
  private readonly layouts = new Map<string, { domainOf: Int32Array; domainIndex: Map<string, number> }>();
  private readonly cache = new WeakMap<object, { labelKeys: boolean; byKey: Map<string, Base | null> }>();
  constructor(private readonly nodes: readonly RNode[], private readonly taints: Map<string, Taint[]>, private readonly nsLabels: (ns: string) => Labels | undefined) {}

  /** (the pods of one template share their labels object: their keys are built once) */
  private static readonly keyCache = new WeakMap<object, { ns: string; keys: string[] }>();
  private static keysOf(p: PodInfo): string[] {
    const c = InterPod.keyCache.get(p.labels);
    if (c && c.ns === p.ns) return c.keys;
    const out = [`${p.ns}\0`, '*\0'];
    for (const k in p.labels) { const e = `${k}=${p.labels[k]}`; out.push(`${p.ns}\0${e}`, `*\0${e}`); }
    InterPod.keyCache.set(p.labels, { ns: p.ns, keys: out });
    return out;
  }

  /** Dispatch keys for a term: its namespaces (or every namespace when a namespaceSelector may widen it) × one equality. */
  private static dispatchOf(namespaces: Iterable<string>, anyNs: boolean, sel: CompiledSelector): string[] {
    const eq = equalityOf(sel) ?? '';
    return anyNs ? [`*\0${eq}`] : [...namespaces].map((ns) => `${ns}\0${eq}`);
  }

  private termMatches(t: Term, p: PodInfo): boolean {
    if (!(t.namespaces.has(p.ns) || (t.nsSelector !== NOTHING && t.nsSelector.matches(this.nsLabels(p.ns))))) return false;
    return t.selector.matches(p.labels);
  }

  /** Records a placement (every pod bound to a node, in order): the trackers' counts and the pod's own anti-affinity terms. */
  add(p: PodInfo, spec: any, node: RNode): void {
    const e = { p, node };
    this.placed.push(e);
    if (this.placedBy) {
      for (const k of InterPod.keysOf(p)) {
        if (k.charCodeAt(0) !== STAR) { const l = this.placedBy.get(k); if (l) l.push(e); else this.placedBy.set(k, [e]); }
        const ts = this.trackersBy.get(k);
        if (ts) for (const t of ts) if (t.match(p)) t.add(node);
      }
    }
    const anti = spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (Array.isArray(anti)) for (const raw of anti) {
      const term = this.termOf(raw, p);
      const v = node.labels[term.key];
      if (v === undefined) continue;
      let g = this.antiGroups.get(term.sig);
      if (!g) {
        g = { term, counts: new Map() };
        this.antiGroups.set(term.sig, g);
        for (const k of InterPod.dispatchOf(term.namespaces, term.nsSelector !== NOTHING, term.selector)) {
          const l = this.antiGroupsBy.get(k); if (l) l.push(g); else this.antiGroupsBy.set(k, [g]);
        }
      }
      g.counts.set(v, (g.counts.get(v) ?? 0) + 1);
    }
  }

  /** A term compiled once per namespace (and per pod labels when it has matchLabelKeys/mismatchLabelKeys). */
  private readonly terms = new WeakMap<object, Map<string, Term>>();
  private termOf(raw: any, p: PodInfo): Term {
    if (raw === null || typeof raw !== 'object') return compileTerm(raw, p);
    let m = this.terms.get(raw);
    if (!m) { m = new Map(); this.terms.set(raw, m); }
    const k = (Array.isArray(raw.matchLabelKeys) && raw.matchLabelKeys.length) || (Array.isArray(raw.mismatchLabelKeys) && raw.mismatchLabelKeys.length) ? `${p.ns}\0${JSON.stringify(p.labels)}` : p.ns;
    let t = m.get(k);
    if (!t) { t = compileTerm(raw, p); m.set(k, t); }
    return t;
  }

  private tracker(sig: string, match: (p: PodInfo) => boolean, keys: string[], dispatch: string[]): Tracker {
    let t = this.trackers.get(sig);
    if (t) return t;
    t = new Tracker(sig, match, keys);
    this.trackers.set(sig, t);
    if (!this.placedBy) {
      this.placedBy = new Map();
      for (const e of this.placed) for (const k of InterPod.keysOf(e.p)) if (k.charCodeAt(0) !== STAR) { const l = this.placedBy.get(k); if (l) l.push(e); else this.placedBy.set(k, [e]); }
    }
    for (const k of dispatch) {
      const l = this.trackersBy.get(k); if (l) l.push(t); else this.trackersBy.set(k, [t]);
      // the pods placed so far: those of the namespace key, or every pod for a "*" key (namespaceSelector, rare)
      for (const e of k.charCodeAt(0) === STAR ? this.placed : this.placedBy.get(k) ?? []) if (match(e.p)) t.add(e.node);
    }
    return t;
  }

  /** The pod's filter rules, or null when it has none (then only the node filters apply). */
  rules(p: PodInfo, spec: any): PodRules | null {
    const existingAnti = this.existingAnti(p);
    let base: Base | null;
    if (spec !== null && typeof spec === 'object') {
      let c = this.cache.get(spec);
      if (!c) { c = { labelKeys: usesLabelKeys(spec), byKey: new Map() }; this.cache.set(spec, c); }
      const k = c.labelKeys ? `${p.ns}\0${JSON.stringify(p.labels)}` : p.ns;
      base = c.byKey.get(k) as Base | null;
      if (base === undefined) { base = this.compile(p, spec); c.byKey.set(k, base); }
    } else base = this.compile(p, spec);
    if (!base && !existingAnti.length) return null;
    const b = base ?? NO_BASE;
    return existingAnti.length ? { ...b, existingAnti } : b;
  }

  private compile(p: PodInfo, spec: any): Base | null {
    const aff = spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    const anti = spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    const tsc: any[] = Array.isArray(spec?.topologySpreadConstraints) ? spec.topologySpreadConstraints.filter((c: any) => (c?.whenUnsatisfiable ?? 'DoNotSchedule') === 'DoNotSchedule') : [];
    const hasAff = Array.isArray(aff) && aff.length > 0, hasAnti = Array.isArray(anti) && anti.length > 0;
    if (!hasAff && !hasAnti && !tsc.length) return null;
    const r: Base = { affinityTerms: [], affinity: null, antiTerms: [], spreads: [], existingAnti: NO_ANTI };
    if (hasAff) {
      r.affinityTerms = aff.map((t: any) => compileTerm(t, p));
      const terms = r.affinityTerms;
      const first = terms[0];
      r.affinity = this.tracker('aff' + JSON.stringify(terms.map((t) => t.sig)), (q) => terms.every((t) => this.termMatches(t, q)), terms.map((t) => t.key),
        InterPod.dispatchOf(first.namespaces, first.nsSelector !== NOTHING, first.selector));
    }
    if (hasAnti) for (const raw of anti) {
      const term = compileTerm(raw, p);
      r.antiTerms.push({ term, tracker: this.tracker('anti' + term.sig, (q) => this.termMatches(term, q), [term.key], InterPod.dispatchOf(term.namespaces, term.nsSelector !== NOTHING, term.selector)) });
    }
    if (tsc.length) {
      const keys = tsc.map((c) => String(c?.topologyKey ?? ''));
      for (const c of tsc) {
        const extra: Requirement[] = [];
        for (const k of Array.isArray(c?.matchLabelKeys) ? c.matchLabelKeys : []) if (Object.prototype.hasOwnProperty.call(p.labels, k)) extra.push({ key: k, op: 'In', values: [p.labels[k]] });
        const selector = selectorOf(c?.labelSelector, extra);
        const key = String(c?.topologyKey ?? '');
        const ns = p.ns;
        const tracker = this.tracker(`tsc${JSON.stringify([ns, selector === NOTHING ? null : selector.text])}`,
          (q) => q.ns === ns && !q.terminating && !selector.empty && selector.matches(q.labels), [key], InterPod.dispatchOf([ns], false, selector));
        const honourAffinity = (c?.nodeAffinityPolicy ?? 'Honor') === 'Honor';
        const honourTaints = (c?.nodeTaintsPolicy ?? 'Ignore') === 'Honor';
        const eligibility = JSON.stringify([keys, key, honourAffinity ? [spec?.nodeSelector ?? null, spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null] : null, honourTaints ? spec?.tolerations ?? null : null]);
        const vsig = `${eligibility}\0${tracker.sig}`;
        let view = this.views.get(vsig);
        if (!view) {
          let layout = this.layouts.get(eligibility);
          if (!layout) { layout = this.layout(spec, keys, key, honourAffinity, honourTaints); this.layouts.set(eligibility, layout); }
          view = new SpreadView(layout.domainOf, layout.domainIndex, tracker);
          tracker.views.push(view);
          this.views.set(vsig, view);
        }
        const maxSkew = Number.isInteger(c?.maxSkew) && c.maxSkew > 0 ? c.maxSkew : 1;
        const minDomains = Number.isInteger(c?.minDomains) && c.minDomains > 0 ? c.minDomains : 1;
        r.spreads.push({ key, maxSkew, minDomains, selector, view });
      }
    }
    return r;
  }

  /** The eligible nodes' domains of one constraint: nodes carrying every constraint's key that pass the inclusion policies. */
  private layout(spec: any, keys: string[], key: string, honourAffinity: boolean, honourTaints: boolean): { domainOf: Int32Array; domainIndex: Map<string, number> } {
    const domainOf = new Int32Array(this.nodes.length).fill(-1);
    const domainIndex = new Map<string, number>();
    for (const n of this.nodes) {
      if (!keys.every((k) => n.labels[k] !== undefined)) continue;
      if (honourAffinity && !(nodeSelectorMatches(n, spec?.nodeSelector) && nodeAffinityMatches(n, spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution))) continue;
      if (honourTaints && taintsTolerated(this.taints.get(n.name) ?? [], Array.isArray(spec?.tolerations) ? spec.tolerations : [])) continue;
      const v = n.labels[key];
      let d = domainIndex.get(v);
      if (d === undefined) { d = domainIndex.size; domainIndex.set(v, d); }
      domainOf[n.index] = d;
    }
    return { domainOf, domainIndex };
  }

  /** The placed pods' anti-affinity terms that select `p` (satisfyExistingPodsAntiAffinity's existingAntiAffinityCounts). */
  private existingAnti(p: PodInfo): readonly AntiGroup[] {
    if (!this.antiGroups.size) return NO_ANTI;
    let out: AntiGroup[] | null = null;
    // (a group is filed under its namespaces or under "*": a pod reaches it by one key at most)
    for (const k of InterPod.keysOf(p)) {
      const gs = this.antiGroupsBy.get(k);
      if (gs) for (const g of gs) if (this.termMatches(g.term, p)) (out ??= []).push(g);
    }
    return out ?? NO_ANTI;
  }

  /**
   * The filters in the scheduler's order (PodTopologySpread, then InterPodAffinity: affinity,
   * anti-affinity, existing pods' anti-affinity): the first failure's reason and whether
   * preemption could resolve it, or null when the node passes.
   */
  filter(r: PodRules, p: PodInfo, node: RNode): { reason: string; resolvable: boolean } | null {
    for (const s of r.spreads) {
      const v = node.labels[s.key];
      if (v === undefined) return { reason: REASON_SPREAD_LABEL, resolvable: false };
      const min = s.view.domains < s.minDomains ? 0 : s.view.min;
      const self = s.selector.matches(p.labels) ? 1 : 0;
      if (s.view.countAt(v) + self - min > s.maxSkew) return { reason: REASON_SPREAD, resolvable: true };
    }
    if (r.affinity) {
      let podsExist = true;
      for (const t of r.affinityTerms) {
        if (node.labels[t.key] === undefined) return { reason: REASON_AFFINITY, resolvable: false };
        if (r.affinity.count(t.key, node) <= 0) podsExist = false;
      }
      if (!podsExist && !(r.affinity.pairs === 0 && r.affinityTerms.every((t) => this.termMatches(t, p)))) return { reason: REASON_AFFINITY, resolvable: false };
    }
    for (const { term, tracker } of r.antiTerms) {
      if (tracker.count(term.key, node) > 0) return { reason: REASON_ANTI_AFFINITY, resolvable: true };
    }
    for (const g of r.existingAnti) {
      const v = node.labels[g.term.key];
      if (v !== undefined && (g.counts.get(v) ?? 0) > 0) return { reason: REASON_EXISTING_ANTI_AFFINITY, resolvable: true };
    }
    return null;
  }
}
