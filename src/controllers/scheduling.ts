// Node eligibility as kube-scheduler's filters decide it (NodeUnschedulable, NodeName, NodeAffinity
// — nodeSelector and required node affinity — and TaintToleration), and the deterministic spread:
// the eligible node with the fewest pods so far, ties by node order.
import type { RNode } from '../model/realised';
import type { Taint } from './nodes';

export interface Toleration { key?: string; operator?: string; value?: string; effect?: string }

/** A toleration tolerates a taint when effects agree (empty = all) and key/value match (Exists: any value; empty key + Exists: every taint). */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  const op = t.operator ?? 'Equal';
  if (op === 'Exists') return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
}

/** Only NoSchedule and NoExecute taints keep pods away; PreferNoSchedule is a preference. */
export function taintsTolerated(taints: readonly Taint[], tolerations: readonly Toleration[]): Taint | null {
  for (const taint of taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerations.some((t) => tolerates(t, taint))) return taint;
  }
  return null;
}

function exprMatches(e: any, value: string | undefined, has: boolean): boolean {
  const values: string[] = Array.isArray(e?.values) ? e.values.map(String) : [];
  switch (e?.operator) {
    case 'In': return has && values.includes(value!);
    case 'NotIn': return !has || !values.includes(value!);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    case 'Gt': case 'Lt': {
      if (!has || values.length !== 1) return false;
      const a = Number(value), b = Number(values[0]);
      if (!Number.isInteger(a) || !Number.isInteger(b)) return false;
      return e.operator === 'Gt' ? a > b : a < b;
    }
    default: return false;
  }
}

/** requiredDuringSchedulingIgnoredDuringExecution: terms are ORed, a term's requirements ANDed; an empty term matches nothing. */
export function nodeAffinityMatches(node: RNode, required: any): boolean {
  const terms: any[] = Array.isArray(required?.nodeSelectorTerms) ? required.nodeSelectorTerms : [];
  if (!required) return true;
  return terms.some((term) => {
    const exprs: any[] = Array.isArray(term?.matchExpressions) ? term.matchExpressions : [];
    const fields: any[] = Array.isArray(term?.matchFields) ? term.matchFields : [];
    if (exprs.length === 0 && fields.length === 0) return false;
    for (const e of exprs) {
      const has = Object.prototype.hasOwnProperty.call(node.labels, e?.key);
      if (!exprMatches(e, has ? node.labels[e.key] : undefined, has)) return false;
    }
    for (const f of fields) {
      if (f?.key !== 'metadata.name' || !exprMatches(f, node.name, true)) return false;
    }
    return true;
  });
}

export function nodeSelectorMatches(node: RNode, sel: Record<string, string> | undefined): boolean {
  if (!sel) return true;
  for (const [k, v] of Object.entries(sel)) if (node.labels[k] !== String(v)) return false;
  return true;
}

/** A filter plugin's verdict on a node: the scheduler's reason text, and whether preemption could resolve it (Unschedulable) or not (UnschedulableAndUnresolvable). */
export interface NodeReason { reason: string; resolvable: boolean }

/**
 * Why a node does not fit a pod spec, or null when it does: the node filters in the default
 * profile's order with their reason texts — NodeUnschedulable ("node(s) were unschedulable", unless
 * the pod tolerates node.kubernetes.io/unschedulable:NoSchedule), TaintToleration ("node(s) had
 * untolerated taint {key: value}", NoSchedule/NoExecute only), NodeAffinity ("node(s) didn't match
 * Pod's node affinity/selector", nodeSelector and required node affinity). All UnschedulableAndUnresolvable.
 */
export function nodeFilter(node: RNode, spec: any, taints: readonly Taint[], extraTolerations: readonly Toleration[] = []): NodeReason | null {
  const tol: Toleration[] = extraTolerations.length ? [...(Array.isArray(spec?.tolerations) ? spec.tolerations : []), ...extraTolerations] : Array.isArray(spec?.tolerations) ? spec.tolerations : [];
  if (node.unschedulable && !tol.some((t) => tolerates(t, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' } as Taint))) return { reason: 'node(s) were unschedulable', resolvable: false };
  const t = taintsTolerated(taints, tol);
  if (t) return { reason: `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`, resolvable: false };
  if (!nodeSelectorMatches(node, spec?.nodeSelector) || !nodeAffinityMatches(node, spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution)) return { reason: "node(s) didn't match Pod's node affinity/selector", resolvable: false };
  return null;
}

/** Why a node does not fit a pod spec (the scheduler's reason), or null when it does. */
export function unfit(node: RNode, spec: any, taints: readonly Taint[], extraTolerations: readonly Toleration[] = []): string | null {
  return nodeFilter(node, spec, taints, extraTolerations)?.reason ?? null;
}

/**
 * The scheduler's FitError message: "0/N nodes are available: " + the histogram of reasons
 * ("count reason", sorted as strings, joined by ", ") + "." (framework.FitError.Error), followed by
 * what DefaultPreemption (the PostFilter) reports when it finds no candidate: per node "Preemption
 * is not helpful for scheduling" for UnschedulableAndUnresolvable reasons, "No preemption victims
 * found for incoming pod" for the others — netspec models every pod at the same priority (PriorityClass
 * is not read), so no pod is ever a victim.
 */
export function fitError(reasons: readonly NodeReason[]): string {
  const n = reasons.length;
  if (n === 0) return 'no nodes available to schedule pods';
  const hist = (xs: string[]) => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
    return [...m].map(([r, k]) => `${k} ${r}`).sort().join(', ');
  };
  return `0/${n} nodes are available: ${hist(reasons.map((r) => r.reason))}. preemption: 0/${n} nodes are available: ${hist(reasons.map((r) => (r.resolvable ? 'No preemption victims found for incoming pod' : 'Preemption is not helpful for scheduling')))}.`;
}

/**
 * Tolerations the DaemonSet controller adds to its pods, so daemons run on unschedulable and
 * pressured nodes and survive not-ready/unreachable (hostNetwork daemons also tolerate
 * network-unavailable, which is how CNI daemons start before the network is up).
 */
export function daemonSetTolerations(hostNetwork: boolean): Toleration[] {
  const t: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork) t.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return t;
}

/** A binary min-heap of numbers. */
class NumHeap {
  private a: number[] = [];
  get size(): number { return this.a.length; }
  peek(): number { return this.a[0]; }
  push(v: number): void {
    const a = this.a; a.push(v);
    let i = a.length - 1;
    while (i > 0) { const p = (i - 1) >> 1; if (a[p] <= v) break; a[i] = a[p]; i = p; }
    a[i] = v;
  }
  pop(): number {
    const a = this.a; const top = a[0]; const last = a.pop()!;
    if (a.length) {
      let i = 0; const n = a.length;
      for (;;) {
        const l = 2 * i + 1; if (l >= n) break;
        const r = l + 1; const c = r < n && a[r] < a[l] ? r : l;
        if (a[c] >= last) break;
        a[i] = a[c]; i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

const SHIFT = 1 << 23; // node index < 8M

/**
 * The spread: pods are placed one by one on the eligible node with the fewest pods so far, ties
 * going to the first node in node order. One lazy heap per distinct eligibility (nodeSelector,
 * affinity, tolerations) keeps this O(log n) a pod on 5000 nodes.
 */
export class Spreader {
  readonly counts: Int32Array;
  private readonly heaps = new Map<string, { heap: NumHeap; eligible: number }>();
  constructor(private readonly nodes: readonly RNode[], private readonly taints: Map<string, Taint[]>) {
    this.counts = new Int32Array(nodes.length);
  }
  /** Template specs are deep-frozen and shared by all their pods: their key is computed once. */
  private readonly keys = new WeakMap<object, string>();
  private eligibilityKey(spec: any): string {
    const frozen = spec !== null && typeof spec === 'object' && Object.isFrozen(spec);
    if (frozen) { const k = this.keys.get(spec); if (k !== undefined) return k; }
    const key = JSON.stringify([spec?.nodeSelector ?? null, spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null, spec?.tolerations ?? null]);
    if (frozen) this.keys.set(spec, key);
    return key;
  }

  /** Records a pod placed without the spreader (spec.nodeName). */
  place(nodeIndex: number): void { this.counts[nodeIndex]++; }

  /**
   * Chooses a node for a spec (the fewest pods among the nodes that pass the node filters and
   * `fits`, the inter-pod filters), or returns null.
   */
  choose(spec: any, fits?: (n: RNode) => boolean): RNode | null {
    const key = this.eligibilityKey(spec);
    let h = this.heaps.get(key);
    if (!h) {
      const heap = new NumHeap();
      let eligible = 0;
      for (const n of this.nodes) {
        if (unfit(n, spec, this.taints.get(n.name) ?? []) === null) { heap.push(this.counts[n.index] * SHIFT + n.index); eligible++; }
      }
      h = { heap, eligible };
      this.heaps.set(key, h);
    }
    const heap = h.heap;
    let passed: number[] | null = null;
    let found: RNode | null = null;
    while (heap.size) {
      const top = heap.pop();
      const idx = top % SHIFT;
      const c = (top - idx) / SHIFT;
      if (c !== this.counts[idx]) { heap.push(this.counts[idx] * SHIFT + idx); continue; }
      if (fits && !fits(this.nodes[idx])) { (passed ??= []).push(top); continue; }
      this.counts[idx]++;
      heap.push(this.counts[idx] * SHIFT + idx);
      found = this.nodes[idx];
      break;
    }
    if (passed) for (const x of passed) heap.push(x);
    return found;
  }

  /** Why no node fits, as the scheduler says it (the PodScheduled condition's message). */
  explain(spec: any, more?: (n: RNode) => NodeReason | null): string {
    return fitError(this.nodes.map((n) => nodeFilter(n, spec, this.taints.get(n.name) ?? []) ?? more?.(n) ?? { reason: 'fits', resolvable: true }));
  }
}
