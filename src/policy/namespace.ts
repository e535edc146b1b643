// The NetworkPolicy tier: networking.k8s.io/v1 NetworkPolicy as a CNI enforces it.
// The semantics (kubernetes.io "Network Policies" and the NetworkPolicySpec API reference):
// - A policy selects pods in its own namespace (podSelector; {} selects all). policyTypes, when
//   absent or empty, is defaulted by the API server to [Ingress], plus Egress when spec.egress has
//   at least one rule (SetDefaults_NetworkPolicySpec: `len(obj.Egress) != 0`).
// - A pod is isolated for ingress when any policy with Ingress in its policyTypes selects it;
//   likewise for egress. A direction nobody isolates is left to the Baseline tier (then allowed).
// - Policies are additive: a connection is allowed when ANY rule of ANY selecting policy allows it.
//   There are no deny rules and no order. A rule without from/to (or with an empty list) matches
//   every peer; without ports every port; a policy type with no rules denies that direction.
// - Peers: podSelector alone = pods of the policy's namespace; namespaceSelector alone = every pod
//   of the matching namespaces; both in ONE element = pods matching podSelector in namespaces
//   matching namespaceSelector (AND); separate elements are ORed. ipBlock {cidr, except}.
// - Ports: protocol (default TCP), a number or a container port NAME (resolved against the
//   destination pod's declared ports), endPort makes port..endPort a range.
// - Both ends must allow: the source pod's egress and the destination pod's ingress. Only the
//   first packet is checked: the reply of an allowed connection is allowed (conntrack).
// Choices where the spec leaves room (documented in features/network-policy/):
// - Egress is checked on the source node right after nat PREROUTING, as iptables/eBPF CNIs do
//   (Calico's filter FORWARD chains): the destination is the Service's backend pod and targetPort.
// - ipBlock matches any address, pod IPs included (Calico; the upstream e2e "should allow egress
//   access to server in CIDR block" relies on it). Peers that are pods are also matched by selectors.
// - "traffic to and from the node where a Pod is running is always allowed" and "a pod cannot
//   block access to itself" (kubernetes.io): both are allowed with a hop saying why.
// - hostNetwork pods are never selected (they live in the node's network namespace), and as
//   peers they are their node's address: only ipBlock can match them.
import type { RPod, Realised } from '../model/realised';
import { compileLabelSelector, type CompiledSelector } from '../model/selector';
import { posOf, type KObject } from '../model/types';
import { parseCIDR, type Cidr } from '../net/ip';
import type { Protocol } from '../net/packet';
import type { Decider, PolicyRef, SourcePos } from '../net/trace';
import { isObj, list, namedPortMatches, memoOf, memoize, remoteIn, type Direction, type PolicyContext, type PolicyHop, type Remote, type Verdict } from './shared';

export interface CompiledPeer {
  podSelector?: CompiledSelector;
  namespaceSelector?: CompiledSelector;
  ipBlock?: { cidr: Cidr; except: Cidr[] };
  /** e.g. "podSelector app=frontend", "namespaceSelector team=a AND podSelector app=x", "ipBlock 10.0.0.0/8 except 10.1.0.0/16" */
  text: string;
}

export interface CompiledPort {
  protocol: Protocol;
  /** undefined: every port of the protocol */
  port?: number | string;
  endPort?: number;
  text: string;
}

export interface CompiledRule {
  /** 0-based index in spec.ingress / spec.egress */
  index: number;
  /** null: every peer (no from/to, or an empty list) */
  peers: CompiledPeer[] | null;
  /** null: every port */
  ports: CompiledPort[] | null;
  /** the rule's position in its manifest */
  pos?: SourcePos;
}

export interface CompiledPolicy {
  obj: KObject;
  ns: string;
  name: string;
  /** "ns/name" */
  key: string;
  podSelector: CompiledSelector;
  /** policyTypes after API defaulting */
  types: { ingress: boolean; egress: boolean };
  ingress: CompiledRule[];
  egress: CompiledRule[];
  decider: Decider;
}

function selector(sel: unknown): CompiledSelector {
  return compileLabelSelector((sel ?? {}) as never);
}

function compilePeer(p: Record<string, any>): CompiledPeer {
  const peer: CompiledPeer = { text: '' };
  const parts: string[] = [];
  if (isObj(p.ipBlock)) {
    const except = list(p.ipBlock.except).map((x) => parseCIDR(String(x)));
    peer.ipBlock = { cidr: parseCIDR(String(p.ipBlock.cidr)), except };
    parts.push(`ipBlock ${String(p.ipBlock.cidr)}${except.length ? ` except ${list(p.ipBlock.except).join(', ')}` : ''}`);
  }
  if (isObj(p.namespaceSelector)) {
    peer.namespaceSelector = selector(p.namespaceSelector);
    parts.push(`namespaceSelector ${peer.namespaceSelector.text || '{} (every namespace)'}`);
  }
  if (isObj(p.podSelector)) {
    peer.podSelector = selector(p.podSelector);
    parts.push(`podSelector ${peer.podSelector.text || '{} (every pod)'}`);
  }
  peer.text = parts.length ? parts.join(' AND ') : 'an empty peer (selects nothing)';
  return peer;
}

function compilePort(p: Record<string, any>): CompiledPort {
  const protocol = (typeof p.protocol === 'string' ? p.protocol : 'TCP') as Protocol;
  const port = typeof p.port === 'number' || typeof p.port === 'string' ? p.port : undefined;
  const endPort = typeof p.endPort === 'number' && typeof port === 'number' ? p.endPort : undefined;
  const text = port === undefined ? `${protocol} (every port)`
    : endPort !== undefined ? `${protocol} ${port}-${endPort}`
    : typeof port === 'string' ? `${protocol} port named "${port}"` : `${protocol} ${port}`;
  return { protocol, port, endPort, text };
}

function compileRules(obj: KObject, spec: Record<string, any>, dir: Direction): CompiledRule[] {
  const peersKey = dir === 'ingress' ? 'from' : 'to';
  return list(spec[dir]).map((r, index) => {
    const rule = isObj(r) ? r : {};
    const peers = list(rule[peersKey]);
    const ports = list(rule.ports);
    return {
      index,
      peers: peers.length ? peers.map((p) => compilePeer(isObj(p) ? p : {})) : null,
      ports: ports.length ? ports.map((p) => compilePort(isObj(p) ? p : {})) : null,
      pos: posOf(obj, ['spec', dir, index]),
    };
  });
}

/** policyTypes as the API server defaults them. */
export function policyTypes(spec: Record<string, any>): { ingress: boolean; egress: boolean } {
  const given = list(spec.policyTypes);
  if (given.length) return { ingress: given.includes('Ingress'), egress: given.includes('Egress') };
  return { ingress: true, egress: list(spec.egress).length !== 0 };
}

export function compilePolicy(obj: KObject): CompiledPolicy {
  const spec = isObj(obj.spec) ? obj.spec : {};
  const ns = obj.metadata.namespace ?? 'default';
  const name = obj.metadata.name;
  return {
    obj, ns, name, key: `${ns}/${name}`,
    podSelector: selector(spec.podSelector),
    types: policyTypes(spec),
    ingress: compileRules(obj, spec, 'ingress'),
    egress: compileRules(obj, spec, 'egress'),
    decider: { what: `NetworkPolicy ${ns}/${name}`, pos: posOf(obj) },
  };
}

export interface Isolation {
  ingress: CompiledPolicy[];
  egress: CompiledPolicy[];
}

const NOT_ISOLATED: Isolation = { ingress: [], egress: [] };

function inIpBlock(b: { cidr: Cidr; except: Cidr[] }, r: Remote): boolean {
  if (!remoteIn(r, b.cidr)) return false;
  for (const x of b.except) if (remoteIn(r, x)) return false;
  return true;
}

/** The port a rule port names on `dst` (named ports resolve against the destination pod). */
export function portMatches(p: CompiledPort, proto: string, dport: number, dst: RPod | undefined): boolean {
  if (p.protocol !== proto) return false;
  if (p.port === undefined) return true;
  if (typeof p.port === 'number') return p.endPort !== undefined ? dport >= p.port && dport <= p.endPort : dport === p.port;
  return namedPortMatches(dst, p.port, proto, dport);
}

/** A tier decision with its trace (hops only when asked to explain). */
export interface TierResult { verdict: Verdict; hops: PolicyHop[] }

/** The NetworkPolicies of a realised cluster, indexed per namespace, and each pod's isolation (lazily). */
export class NamespaceTier {
  readonly byNamespace = new Map<string, CompiledPolicy[]>();
  readonly count: number;
  private readonly isolation = new Map<RPod, Isolation>();

  constructor(realised: Realised, private readonly ctx: PolicyContext) {
    let n = 0;
    for (const o of realised.objects) {
      if (o.kind !== 'NetworkPolicy') continue;
      const p = compilePolicy(o);
      let l = this.byNamespace.get(p.ns);
      if (!l) { l = []; this.byNamespace.set(p.ns, l); }
      l.push(p);
      n++;
    }
    for (const l of this.byNamespace.values()) l.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.count = n;
  }

  /** The policies isolating a pod, per direction (hostNetwork pods are never selected). */
  isolationOf(pod: RPod): Isolation {
    let iso = this.isolation.get(pod);
    if (iso) return iso;
    const ps = pod.hostNetwork ? undefined : this.byNamespace.get(pod.ns);
    if (!ps) iso = NOT_ISOLATED;
    else {
      iso = { ingress: [], egress: [] };
      for (const p of ps) {
        if (!p.podSelector.matches(pod.labels)) continue;
        if (p.types.ingress) iso.ingress.push(p);
        if (p.types.egress) iso.egress.push(p);
      }
      if (!iso.ingress.length && !iso.egress.length) iso = NOT_ISOLATED;
    }
    this.isolation.set(pod, iso);
    return iso;
  }

  /** Does the peer (of `policy`) match the remote end? Memoised per remote address. */
  peerMatches(policy: CompiledPolicy, peer: CompiledPeer, remote: Remote): boolean {
    return memoOf(remote, peer) ?? memoize(remote, peer, this.peerMatchesNow(policy, peer, remote));
  }

  private peerMatchesNow(policy: CompiledPolicy, peer: CompiledPeer, remote: Remote): boolean {
    if (peer.ipBlock) return inIpBlock(peer.ipBlock, remote);
    if (!peer.podSelector && !peer.namespaceSelector) return false;
    const pod = remote.pod;
    if (!pod) return false;
    if (peer.namespaceSelector) {
      if (!peer.namespaceSelector.matches(this.ctx.labelsOfNamespace(pod.ns))) return false;
    } else if (pod.ns !== policy.ns) return false;
    return !peer.podSelector || peer.podSelector.matches(pod.labels);
  }

  /**
   * Decides one direction for `pod`: null when no NetworkPolicy isolates it for that direction (the
   * decision goes on to the Baseline tier). `remote` is the peer as seen at the pod; proto/dport the
   * destination port. `explain` builds the hops' sentences (the matrix leaves it off).
   */
  decide(pod: RPod, dir: Direction, remote: Remote, proto: string, dport: number, explain: boolean): TierResult | null {
    const iso = this.isolationOf(pod);
    const policies = dir === 'ingress' ? iso.ingress : iso.egress;
    if (policies.length === 0) return null;
    const ns = pod.ns;
    const what = !explain ? '' : dir === 'ingress' ? `${proto} ${dport} from ${remote.text} to ${pod.key}` : `${proto} ${dport} from ${pod.key} to ${remote.text}`;
    const first = policies[0];
    // the exceptions the documentation names
    if (pod.ips.includes(remote.ip)) {
      return { verdict: policyVerdict(first, true), hops: explain ? [{ at: `policy/${ns}/${first.name}`, detail: `${what}: a pod cannot block access to itself (NetworkPolicy does not apply)`, source: first.decider }] : NO_HOPS };
    }
    if (this.ctx.ownNode(pod, remote.ip)) {
      return { verdict: policyVerdict(first, true), hops: explain ? [{ at: `policy/${ns}/${first.name}`, detail: `${what}: traffic ${dir === 'ingress' ? 'from' : 'to'} the node where the pod runs (${pod.node!.name}) is always allowed`, source: first.decider }] : NO_HOPS };
    }
    const dstPod = dir === 'ingress' ? pod : remote.pod;
    const peersKey = dir === 'ingress' ? 'from' : 'to';
    const denies: PolicyHop[] = explain ? [] : NO_HOPS;
    for (const p of policies) {
      const rules = dir === 'ingress' ? p.ingress : p.egress;
      const reasons: string[] | null = explain ? [] : null;
      if (reasons && rules.length === 0) reasons.push(`it has no ${dir} rules (it denies all ${dir})`);
      for (const r of rules) {
        let peer = -1;
        if (r.peers !== null) {
          for (let i = 0; i < r.peers.length; i++) if (this.peerMatches(p, r.peers[i], remote)) { peer = i; break; }
        }
        let port: CompiledPort | null | undefined = null;
        if (r.ports !== null) {
          port = undefined;
          for (const pt of r.ports) if (portMatches(pt, proto, dport, dstPod)) { port = pt; break; }
        }
        const peerOk = r.peers === null || peer >= 0;
        if (peerOk && port !== undefined) {
          const verdict = ruleVerdict(p, r);
          if (!explain) return { verdict, hops: NO_HOPS };
          const peerText = r.peers === null ? `no ${peersKey}: every peer` : `${peersKey}[${peer}]: ${r.peers[peer].text}`;
          const portText = port === null ? 'every port' : port.text;
          return {
            verdict,
            hops: [{ at: `policy/${ns}/${p.name}`, detail: `NetworkPolicy ${p.key} ${dir} rule ${r.index + 1} (${peerText}; ports: ${portText}) allows ${what}`, source: { what: `NetworkPolicy ${p.key} ${dir} rule ${r.index + 1}`, pos: verdict.pos }, policy: npRef(p, dir, 'allow', r.index) }],
          };
        }
        if (!reasons) continue;
        const why: string[] = [];
        if (!peerOk) why.push(`${remote.text} matches none of ${r.peers!.map((x) => x.text).join(' | ')}`);
        if (port === undefined) why.push(`${proto} ${dport} is not in ports ${r.ports!.map((x) => x.text).join(', ')}`);
        reasons.push(`${dir} rule ${r.index + 1}: ${why.join(', and ')}`);
      }
      if (reasons) denies.push({ at: `policy/${ns}/${p.name}`, detail: `NetworkPolicy ${p.key} isolates ${pod.key} for ${dir} and does not allow ${what}: ${reasons.join('; ')}`, source: p.decider, policy: npRef(p, dir, 'deny') });
    }
    const verdict = policyVerdict(policies[policies.length - 1], false);
    if (explain) {
      denies[denies.length - 1].detail += ` — no NetworkPolicy selecting ${pod.key} for ${dir} allows it (${policies.length} select${policies.length === 1 ? 's' : ''} it): the CNI drops the packet`;
    }
    return { verdict, hops: denies };
  }
}

const NO_HOPS: PolicyHop[] = [];

function npRef(p: CompiledPolicy, direction: Direction, action: 'allow' | 'deny', rule?: number): PolicyRef {
  return { tier: 'NetworkPolicy', kind: 'NetworkPolicy', namespace: p.ns, name: p.name, direction, ...(rule !== undefined ? { rule } : {}), action };
}
const ruleVerdicts = new WeakMap<CompiledRule, Verdict>();
const policyVerdicts = new WeakMap<CompiledPolicy, [Verdict, Verdict]>();

/** The (shared, frozen) verdict of an allowing rule. */
function ruleVerdict(p: CompiledPolicy, r: CompiledRule): Verdict {
  let v = ruleVerdicts.get(r);
  if (!v) { v = Object.freeze({ allow: true, tier: 'NetworkPolicy' as const, policy: `NetworkPolicy ${p.key}`, rule: r.index, pos: r.pos ?? p.decider.pos }); ruleVerdicts.set(r, v); }
  return v;
}

/** The (shared, frozen) verdict naming a policy as a whole: allowed by an exception, or isolated and not allowed. */
function policyVerdict(p: CompiledPolicy, allow: boolean): Verdict {
  let v = policyVerdicts.get(p);
  if (!v) {
    const base = { tier: 'NetworkPolicy' as const, policy: `NetworkPolicy ${p.key}`, pos: p.decider.pos };
    v = [Object.freeze({ allow: false, ...base }), Object.freeze({ allow: true, ...base })];
    policyVerdicts.set(p, v);
  }
  return v[allow ? 1 : 0];
}
