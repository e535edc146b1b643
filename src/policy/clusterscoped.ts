// The cluster-scoped policies of the Network Policy API (kubernetes-sigs/network-policy-api), in
// both API versions, compiled to one shape; the Admin and Baseline tiers (admin.ts, baseline.ts)
// order them and evaluate them with `evaluateTier` below.
//
// policy.networking.k8s.io/v1alpha1 (apis/v1alpha1):
//   AdminNetworkPolicy: spec.priority 0..1000, spec.subject {namespaces | pods {namespaceSelector,
//   podSelector}}, spec.ingress[] {name, action Allow|Deny|Pass, from[] {namespaces | pods}, ports[]},
//   spec.egress[] {name, action, to[] {namespaces | pods | nodes | networks}, ports[]}; a port is one
//   of portNumber {protocol (TCP), port}, namedPort, portRange {protocol (TCP), start, end}.
//   BaselineAdminNetworkPolicy: a singleton named "default", actions Allow|Deny, no priority.
// policy.networking.k8s.io/v1alpha2 (apis/v1alpha2, ClusterNetworkPolicy): spec.tier Admin|Baseline,
//   spec.priority, the same subject and peers, actions Accept|Deny|Pass, and `protocols[]` instead of
//   ports: one of tcp|udp|sctp {destinationPort {number | range {start, end}}} or destinationNamedPort.
//
// Semantics (the types' doc comments):
// - Rules of one policy are evaluated in the order written; the first rule whose peers AND ports
//   match decides: Allow/Accept and Deny are final for that direction; Pass skips the rest of the
//   tier and hands the decision to the next tier. A policy selecting a pod does not isolate it: a
//   connection no rule matches goes on (no implicit deny, unlike NetworkPolicy).
// - No ports/protocols: every port of every protocol. Peers are ORed.
// - `namespaces` peers select every pod of the namespaces, `pods` peers pods in namespaces;
//   host-networked pods are never subjects nor namespaces/pods peers. `nodes` selects node IPs
//   (status.addresses); `networks` are CIDRs and "cluster-internal traffic will be checked against
//   the rule as well" (so 0.0.0.0/0 matches pod IPs).
// - Named ports resolve on the destination pod (ingress: the subject; egress: the peer).
// - NetworkPolicy's exceptions (a pod to itself, its own node) are not the admin tiers'. Hairpin
//   through a Service reaches the pod masqueraded to its node's bridge address (kube-proxy's
//   KUBE-MARK-MASQ), so only networks/nodes peers see it; the conformance test CNPHairpin ("Under
//   CNP, this hairpin traffic is subject to ingress policy", an extended feature) is not modelled.
import type { RPod } from '../model/realised';
import { compileLabelSelector, type CompiledSelector } from '../model/selector';
import { posOf, type KObject } from '../model/types';
import { parseCIDR, type Cidr } from '../net/ip';
import type { SourcePos } from '../net/trace';
import { inCidrs, isObj, list, namedPortMatches, memoOf, memoize, type Direction, type PolicyContext, type Remote, type Tier } from './shared';

export type ClusterKind = 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'ClusterNetworkPolicy';
export type RuleAction = 'allow' | 'deny' | 'pass';

export type ClusterPeer =
  | { kind: 'namespaces'; ns: CompiledSelector; text: string }
  | { kind: 'pods'; ns: CompiledSelector; pod: CompiledSelector; text: string }
  | { kind: 'nodes'; node: CompiledSelector; text: string }
  | { kind: 'networks'; cidrs: Cidr[]; text: string }
  /** a peer netspec does not model (domainNames): it matches nothing, and a warning says so */
  | { kind: 'unmodelled'; text: string };

export interface ClusterPort {
  /** undefined with `named`: the named container port's own protocol */
  protocol?: string;
  start?: number;
  end?: number;
  named?: string;
  text: string;
}

export interface ClusterRule {
  index: number;
  name?: string;
  action: RuleAction;
  /** as written: Allow, Accept, Deny, Pass */
  actionText: string;
  peers: ClusterPeer[];
  /** null: every port of every protocol */
  ports: ClusterPort[] | null;
  pos?: SourcePos;
}

export interface ClusterPolicy {
  obj: KObject;
  kind: ClusterKind;
  name: string;
  tier: Exclude<Tier, 'NetworkPolicy'>;
  /** BaselineAdminNetworkPolicy has none: it sorts after every Baseline ClusterNetworkPolicy */
  priority: number;
  subject: { ns: CompiledSelector; pod: CompiledSelector | null; text: string };
  ingress: ClusterRule[];
  egress: ClusterRule[];
  /** the trace's `at`: policy/KIND/NAME */
  at: string;
  /** "AdminNetworkPolicy deny-shop (priority 10)" */
  label: string;
  /** "AdminNetworkPolicy deny-shop" */
  ref: string;
  pos?: SourcePos;
}

function sel(v: unknown): CompiledSelector {
  return compileLabelSelector((isObj(v) ? v : {}) as never);
}

function selText(s: CompiledSelector, every: string): string {
  return s.text || `{} (${every})`;
}

function compilePeer(p: unknown): ClusterPeer {
  const o = isObj(p) ? p : {};
  if (isObj(o.namespaces)) { const ns = sel(o.namespaces); return { kind: 'namespaces', ns, text: `namespaces ${selText(ns, 'every namespace')}` }; }
  if (isObj(o.pods)) {
    const ns = sel(o.pods.namespaceSelector), pod = sel(o.pods.podSelector);
    return { kind: 'pods', ns, pod, text: `pods ${selText(pod, 'every pod')} in namespaces ${selText(ns, 'every namespace')}` };
  }
  if (isObj(o.nodes)) { const node = sel(o.nodes); return { kind: 'nodes', node, text: `nodes ${selText(node, 'every node')}` }; }
  if (Array.isArray(o.networks)) {
    const cidrs = o.networks.map((c: unknown) => parseCIDR(String(c)));
    return { kind: 'networks', cidrs, text: `networks ${o.networks.join(', ')}` };
  }
  if (Array.isArray(o.domainNames)) return { kind: 'unmodelled', text: `domainNames ${o.domainNames.join(', ')} (not modelled: matches nothing)` };
  return { kind: 'unmodelled', text: 'an unknown peer' };
}

/** v1alpha1 ports[]: portNumber | namedPort | portRange. */
function compileV1Port(p: unknown): ClusterPort {
  const o = isObj(p) ? p : {};
  if (isObj(o.portNumber)) {
    const protocol = typeof o.portNumber.protocol === 'string' ? o.portNumber.protocol : 'TCP';
    const n = Number(o.portNumber.port);
    return { protocol, start: n, end: n, text: `${protocol} ${n}` };
  }
  if (typeof o.namedPort === 'string') return { named: o.namedPort, text: `port named "${o.namedPort}"` };
  if (isObj(o.portRange)) {
    const protocol = typeof o.portRange.protocol === 'string' ? o.portRange.protocol : 'TCP';
    const start = Number(o.portRange.start), end = Number(o.portRange.end);
    return { protocol, start, end, text: `${protocol} ${start}-${end}` };
  }
  return { text: 'an unknown port', protocol: '?' };
}

/** v1alpha2 protocols[]: tcp|udp|sctp {destinationPort {number | range}} | destinationNamedPort. */
function compileV2Protocol(p: unknown): ClusterPort {
  const o = isObj(p) ? p : {};
  for (const [key, protocol] of [['tcp', 'TCP'], ['udp', 'UDP'], ['sctp', 'SCTP']] as const) {
    if (!isObj(o[key])) continue;
    const dp = o[key].destinationPort;
    if (isObj(dp) && typeof dp.number === 'number') return { protocol, start: dp.number, end: dp.number, text: `${protocol} ${dp.number}` };
    if (isObj(dp) && isObj(dp.range)) return { protocol, start: Number(dp.range.start), end: Number(dp.range.end), text: `${protocol} ${dp.range.start}-${dp.range.end}` };
    return { protocol, text: `${protocol} (every port)` };
  }
  if (typeof o.destinationNamedPort === 'string') return { named: o.destinationNamedPort, text: `port named "${o.destinationNamedPort}"` };
  return { text: 'an unknown protocol', protocol: '?' };
}

const ACTIONS: Record<string, RuleAction> = { Allow: 'allow', Accept: 'allow', Deny: 'deny', Pass: 'pass' };

function compileRules(obj: KObject, spec: Record<string, any>, dir: Direction, v2: boolean): ClusterRule[] {
  const peersKey = dir === 'ingress' ? 'from' : 'to';
  return list(spec[dir]).map((r, index) => {
    const o = isObj(r) ? r : {};
    const portsRaw = list(v2 ? o.protocols : o.ports);
    return {
      index,
      name: typeof o.name === 'string' && o.name ? o.name : undefined,
      action: ACTIONS[String(o.action)] ?? 'deny',
      actionText: String(o.action),
      peers: list(o[peersKey]).map(compilePeer),
      ports: portsRaw.length ? portsRaw.map(v2 ? compileV2Protocol : compileV1Port) : null,
      pos: posOf(obj, ['spec', dir, index]),
    };
  });
}

/** One AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy, compiled. */
export function compileClusterPolicy(obj: KObject): ClusterPolicy {
  const spec = isObj(obj.spec) ? obj.spec : {};
  const kind = obj.kind as ClusterKind;
  const v2 = kind === 'ClusterNetworkPolicy';
  const tier = kind === 'AdminNetworkPolicy' ? 'Admin' : kind === 'BaselineAdminNetworkPolicy' ? 'Baseline' : spec.tier === 'Baseline' ? 'Baseline' : 'Admin';
  const priority = kind === 'BaselineAdminNetworkPolicy' ? Number.MAX_SAFE_INTEGER : Number(spec.priority ?? 0);
  const subj = isObj(spec.subject) ? spec.subject : {};
  let subject: ClusterPolicy['subject'];
  if (isObj(subj.pods)) {
    const ns = sel(subj.pods.namespaceSelector), pod = sel(subj.pods.podSelector);
    subject = { ns, pod, text: `pods ${selText(pod, 'every pod')} in namespaces ${selText(ns, 'every namespace')}` };
  } else {
    const ns = sel(subj.namespaces);
    subject = { ns, pod: null, text: `namespaces ${selText(ns, 'every namespace')}` };
  }
  const name = obj.metadata.name;
  const prio = kind === 'BaselineAdminNetworkPolicy' ? '' : ` (${v2 ? `${tier} tier, ` : ''}priority ${priority})`;
  return {
    obj, kind, name, tier, priority, subject,
    ingress: compileRules(obj, spec, 'ingress', v2),
    egress: compileRules(obj, spec, 'egress', v2),
    at: `policy/${kind}/${name}`,
    label: `${kind} ${name}${prio}`,
    ref: `${kind} ${name}`,
    pos: posOf(obj),
  };
}

/** Does the policy's subject select the pod? (host-networked pods are never subjects) */
export function selects(ctx: PolicyContext, p: ClusterPolicy, pod: RPod): boolean {
  if (pod.hostNetwork) return false;
  if (p.subject.pod && !p.subject.pod.matches(pod.labels)) return false;
  return p.subject.ns.matches(ctx.labelsOfNamespace(pod.ns));
}

function peerMatches(ctx: PolicyContext, peer: ClusterPeer, remote: Remote): boolean {
  return memoOf(remote, peer) ?? memoize(remote, peer, peerMatchesNow(ctx, peer, remote));
}

function peerMatchesNow(ctx: PolicyContext, peer: ClusterPeer, remote: Remote): boolean {
  switch (peer.kind) {
    case 'namespaces': return remote.pod !== undefined && peer.ns.matches(ctx.labelsOfNamespace(remote.pod.ns));
    case 'pods': return remote.pod !== undefined && peer.pod.matches(remote.pod.labels) && peer.ns.matches(ctx.labelsOfNamespace(remote.pod.ns));
    case 'nodes': return remote.node !== undefined && peer.node.matches(remote.node.labels);
    case 'networks': return inCidrs(peer.cidrs, remote) !== undefined;
    default: return false;
  }
}

function portMatches(p: ClusterPort, proto: string, dport: number, dst: RPod | undefined): boolean {
  if (p.named !== undefined) return namedPortMatches(dst, p.named, proto, dport);
  if (p.protocol !== proto) return false;
  if (p.start === undefined) return true;
  return dport >= p.start && dport <= p.end!;
}

/** The first rule of `p` matching the connection (null: none does). */
export function matchRule(ctx: PolicyContext, p: ClusterPolicy, dir: Direction, subjectPod: RPod, remote: Remote, proto: string, dport: number): { rule: ClusterRule; peer: ClusterPeer; port: ClusterPort | null } | null {
  const rules = dir === 'ingress' ? p.ingress : p.egress;
  const dst = dir === 'ingress' ? subjectPod : remote.pod;
  for (const r of rules) {
    let port: ClusterPort | null = null;
    if (r.ports !== null) {
      let hit: ClusterPort | undefined;
      for (const pt of r.ports) if (portMatches(pt, proto, dport, dst)) { hit = pt; break; }
      if (!hit) continue;
      port = hit;
    }
    for (const peer of r.peers) if (peerMatches(ctx, peer, remote)) return { rule: r, peer, port };
  }
  return null;
}

export interface TierMatch { policy: ClusterPolicy; rule: ClusterRule; peer: ClusterPeer; port: ClusterPort | null }

/**
 * A tier's decision for one direction: the first matching rule of the first policy (in the tier's
 * order) that has one, or null when no rule of any selecting policy matches.
 */
export function evaluateTier(ctx: PolicyContext, ordered: readonly ClusterPolicy[], dir: Direction, subjectPod: RPod, remote: Remote, proto: string, dport: number): TierMatch | null {
  for (const p of selecting(ctx, ordered, dir, subjectPod)) {
    const m = matchRule(ctx, p, dir, subjectPod, remote, proto, dport);
    if (m) return { policy: p, ...m };
  }
  return null;
}

const selectingCache = new WeakMap<readonly ClusterPolicy[], { ingress: Map<RPod, ClusterPolicy[]>; egress: Map<RPod, ClusterPolicy[]> }>();

/** The tier's policies (in order) that select the pod and have rules for the direction; cached per pod. */
function selecting(ctx: PolicyContext, ordered: readonly ClusterPolicy[], dir: Direction, pod: RPod): ClusterPolicy[] {
  let c = selectingCache.get(ordered);
  if (!c) { c = { ingress: new Map(), egress: new Map() }; selectingCache.set(ordered, c); }
  const m = c[dir];
  let l = m.get(pod);
  if (!l) {
    l = ordered.filter((p) => (dir === 'ingress' ? p.ingress : p.egress).length > 0 && selects(ctx, p, pod));
    m.set(pod, l);
  }
  return l;
}

/** "ingress rule 2 \"deny-from-ops\" (Deny: from namespaces team=ops; ports TCP 8080)" */
export function describeMatch(m: TierMatch, dir: Direction): string {
  const peersKey = dir === 'ingress' ? 'from' : 'to';
  const name = m.rule.name ? ` "${m.rule.name}"` : '';
  return `${dir} rule ${m.rule.index + 1}${name} (${m.rule.actionText}: ${peersKey} ${m.peer.text}; ports: ${m.port ? m.port.text : 'every port'})`;
}

/**
 * Orders a tier's policies by priority (lowest number first). Equal priorities are undefined
 * behaviour in the API ("the implementation can apply any of the matching policies"): netspec
 * orders them by kind and name and warns (the caller reports `ties`).
 */
export function orderTier(policies: ClusterPolicy[]): { ordered: ClusterPolicy[]; ties: ClusterPolicy[][] } {
  const ordered = policies.slice().sort((a, b) => a.priority - b.priority || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const ties: ClusterPolicy[][] = [];
  for (let i = 0; i < ordered.length;) {
    let j = i + 1;
    while (j < ordered.length && ordered[j].priority === ordered[i].priority) j++;
    if (j - i > 1 && ordered[i].kind !== 'BaselineAdminNetworkPolicy') ties.push(ordered.slice(i, j));
    i = j;
  }
  return { ordered, ties };
}
