// The reachability matrix ("truth table", as cyclonus and policy-assistant print it): for every
// (source pod, destination pod, port/protocol) in scope, would policy let the connection through?
// Pod to pod by pod IP (no Service, no NAT): the source's egress through the tiers, then the
// destination's ingress. Both sides of a cell depend only on what policies can see of a pod — its
// namespace, the labels some selector names, which CIDRs of the policies hold its IP, and its named
// ports when a policy names one — so the tiers are evaluated once per pair of such "shapes", not once
// per pair of pods. A pod to its own IP never leaves the pod (loopback), so no tier sees it. Pods that cannot take part (not running, no IP, hostNetwork) are listed as skipped.
import type { RPod, Realised } from '../model/realised';
import type { CompiledSelector } from '../model/selector';
import type { Protocol } from '../net/packet';
import { policyIndex, type PolicyIndex } from './index';
import type { ClusterPolicy } from './clusterscoped';
import { ipFamily, ipToBigInt, type Cidr } from '../net/ip';
import type { Direction, Verdict } from './shared';

export interface MatrixPort { port: number; protocol: Protocol }

export interface MatrixQuery {
  /** namespaces in scope, for sources and destinations alike; undefined or empty: every namespace */
  namespaces?: readonly string[];
  /** pods in scope must match (both sides); undefined: every pod */
  selector?: CompiledSelector;
  /** undefined: every port/protocol the pods in scope declare */
  ports?: readonly MatrixPort[];
}

export interface MatrixCell {
  allow: boolean;
  egress: Verdict;
  ingress: Verdict;
  /** the direction that decided: the one that denied, else the allowing one a policy decided (ingress first) */
  decided: { direction: Direction; verdict: Verdict };
}

export interface Matrix {
  /** sources and destinations, in namespace/name order */
  pods: readonly RPod[];
  ports: readonly MatrixPort[];
  skipped: readonly { pod: string; why: string }[];
  /** distinct policy-relevant pod shapes, and how many tier evaluations the matrix took */
  shapes: number;
  evaluations: number;
  cell(src: number, dst: number, port: number): MatrixCell;
}

/** The label keys some pod selector of any tier names (other labels cannot change a verdict). */
function relevantLabelKeys(ix: PolicyIndex): string[] {
  const keys = new Set<string>();
  const add = (s: CompiledSelector | null | undefined) => { if (s) for (const r of s.requirements) keys.add(r.key); };
  for (const ps of ix.namespace.byNamespace.values()) {
    for (const p of ps) {
      add(p.podSelector);
      for (const r of [...p.ingress, ...p.egress]) for (const peer of r.peers ?? []) add(peer.podSelector);
    }
  }
  const cluster: readonly ClusterPolicy[] = [...ix.admin, ...ix.baseline];
  for (const p of cluster) {
    add(p.subject.pod);
    for (const r of [...p.ingress, ...p.egress]) for (const peer of r.peers) if (peer.kind === 'pods') add(peer.pod);
  }
  return [...keys].sort();
}

/** Every CIDR any tier names (ipBlock cidr and except, networks), and whether any policy names a port. */
function policyCidrsAndNamedPorts(ix: PolicyIndex): { cidrs: Cidr[]; named: boolean } {
  const cidrs: Cidr[] = [];
  let named = false;
  for (const ps of ix.namespace.byNamespace.values()) {
    for (const p of ps) {
      for (const r of [...p.ingress, ...p.egress]) {
        for (const peer of r.peers ?? []) if (peer.ipBlock) cidrs.push(peer.ipBlock.cidr, ...peer.ipBlock.except);
        for (const pt of r.ports ?? []) if (typeof pt.port === 'string') named = true;
      }
    }
  }
  for (const p of [...ix.admin, ...ix.baseline]) {
    for (const r of [...p.ingress, ...p.egress]) {
      for (const peer of r.peers) if (peer.kind === 'networks') cidrs.push(...peer.cidrs);
      for (const pt of r.ports ?? []) if (pt.named !== undefined) named = true;
    }
  }
  return { cidrs, named };
}

function cmpPorts(a: MatrixPort, b: MatrixPort): number {
  return a.port - b.port || (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0);
}

/** The pods in scope and those left out (with why), in namespace/name order. */
function scope(realised: Realised, q: MatrixQuery): { pods: RPod[]; skipped: { pod: string; why: string }[] } {
  const nss = q.namespaces && q.namespaces.length ? new Set(q.namespaces) : null;
  const pods: RPod[] = [];
  const skipped: { pod: string; why: string }[] = [];
  for (const p of realised.pods) {
    if (nss && !nss.has(p.ns)) continue;
    if (q.selector && !q.selector.matches(p.labels)) continue;
    if (p.hostNetwork) skipped.push({ pod: p.key, why: 'hostNetwork: it has its node\'s addresses (ask netspec connect about it)' });
    else if (p.phase !== 'Running' || !p.ip) skipped.push({ pod: p.key, why: `${p.phase}${p.ip ? '' : ', no IP'}: it cannot send or receive` });
    else pods.push(p);
  }
  pods.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { pods, skipped };
}

/**
 * Reachability between every pair of pods in scope on every port. Pure: the same realised cluster
 * and query give the same matrix. Cells are computed per pair of shapes and shared.
 */
export function reachability(realised: Realised, q: MatrixQuery = {}): Matrix {
  const ix = policyIndex(realised);
  const { pods, skipped } = scope(realised, q);
  let ports: MatrixPort[];
  if (q.ports) ports = q.ports.slice();
  else {
    const seen = new Map<string, MatrixPort>();
    for (const p of pods) for (const cp of p.ports) seen.set(`${cp.protocol}/${cp.port}`, { port: cp.port, protocol: cp.protocol });
    ports = [...seen.values()].sort(cmpPorts);
  }

  // ---- shapes
  const keys = relevantLabelKeys(ix);
  const found = policyCidrsAndNamedPorts(ix);
  const named = found.named;
  // one check per distinct CIDR, against the address parsed once per pod
  const cidrs = [...new Map(found.cidrs.map((c) => [c.text, c] as const)).values()];
  const shapeIds = new Map<string, number>();
  const reps: RPod[][] = [];
  const shapeOf = new Int32Array(pods.length);
  pods.forEach((p, i) => {
    let key = p.ns;
    for (const k of keys) key += '\u0000' + (Object.prototype.hasOwnProperty.call(p.labels, k) ? '=' + p.labels[k] : '!');
    key += '\u0001';
    if (cidrs.length) {
      const fam = ipFamily(p.ip), v = ipToBigInt(p.ip);
      for (const c of cidrs) key += c.family === fam && v >= c.base && v < c.base + c.size ? '1' : '0';
    }
    if (named) key += '\u0001' + p.ports.map((cp) => `${cp.name ?? ''}/${cp.protocol}/${cp.port}`).sort().join(',');
    let id = shapeIds.get(key);
    if (id === undefined) { id = reps.length; shapeIds.set(key, id); reps.push([]); }
    if (reps[id].length < 2) reps[id].push(p);
    shapeOf[i] = id;
  });

  const K = reps.length, P = ports.length;
  const table: (MatrixCell | undefined)[] = new Array(K * K * P);
  let evaluations = 0;
  const evaluate = (src: RPod, dst: RPod, port: MatrixPort): MatrixCell => {
    evaluations++;
    const egress = ix.decideDirection(src, 'egress', ix.ctx.remote(dst.ip), port.protocol, port.port, false).verdict;
    const ingress = egress.allow ? ix.decideDirection(dst, 'ingress', ix.ctx.remote(src.ip), port.protocol, port.port, false).verdict : NOT_EVALUATED;
    const allow = egress.allow && ingress.allow;
    const decided = !egress.allow ? { direction: 'egress' as const, verdict: egress }
      : !ingress.allow || ingress.tier !== undefined || egress.tier === undefined ? { direction: 'ingress' as const, verdict: ingress }
      : { direction: 'egress' as const, verdict: egress };
    return { allow, egress, ingress, decided };
  };

  return {
    pods, ports, skipped, shapes: K,
    get evaluations() { return evaluations; },
    cell(s: number, d: number, pi: number): MatrixCell {
      if (s === d) return SELF;
      const a = shapeOf[s], b = shapeOf[d];
      const k = (a * K + b) * P + pi;
      let c = table[k];
      if (!c) {
        // two different pods: for one shape on both sides, its second pod stands for the destination
        const src = reps[a][0];
        const dst = a === b ? reps[b][1] : reps[b][0];
        c = evaluate(src, dst, ports[pi]);
        table[k] = c;
      }
      return c;
    },
  } as Matrix;
}

/** A pod to its own IP: over the pod's lo, never through its veth, so no policy of any tier sees it. */
const SELF_VERDICT: Verdict = { allow: true, note: 'a pod to its own IP stays on its loopback interface: no policy sees it' };
const SELF: MatrixCell = { allow: true, egress: SELF_VERDICT, ingress: SELF_VERDICT, decided: { direction: 'ingress', verdict: SELF_VERDICT } };

/** The ingress side of a connection whose egress was already denied: never reached. */
const NOT_EVALUATED: Verdict = { allow: false };
