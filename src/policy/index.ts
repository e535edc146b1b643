// NetworkPolicy (networking.k8s.io/v1) as a CNI enforces it, for the connect query's walk.
// The semantics (kubernetes.io "Network Policies" and the NetworkPolicySpec API reference):
// - A policy selects pods in its own namespace (podSelector; {} selects all). policyTypes, when
//   absent or empty, is defaulted by the API server to [Ingress], plus Egress when spec.egress has
//   at least one rule (SetDefaults_NetworkPolicySpec: `len(obj.Egress) != 0`).
// - A pod is isolated for ingress when any policy with Ingress in its policyTypes selects it;
//   likewise for egress. A direction nobody isolates allows everything (no hop in the trace).
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
import { connect, type NameResolver } from '../cni';
import { netIndex } from '../cni/netindex';
import type { NetfilterHooks, PolicyCheck, PolicyDecision } from '../cni/types';
import { podResolvConf } from '../dns';
import type { RPod, Realised } from '../model/realised';
import { compileLabelSelector, type CompiledSelector } from '../model/selector';
import { posOf, type KObject, type Labels } from '../model/types';
import { cidrContains, parseCIDR, type Cidr } from '../net/ip';
import type { Packet, Protocol } from '../net/packet';
import type { Decider } from '../net/trace';

export type Direction = 'ingress' | 'egress';

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

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function isObj(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
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

function compileRules(spec: Record<string, any>, dir: Direction): CompiledRule[] {
  const peersKey = dir === 'ingress' ? 'from' : 'to';
  return list(spec[dir]).map((r, index) => {
    const rule = isObj(r) ? r : {};
    const peers = list(rule[peersKey]);
    const ports = list(rule.ports);
    return {
      index,
      peers: peers.length ? peers.map((p) => compilePeer(isObj(p) ? p : {})) : null,
      ports: ports.length ? ports.map((p) => compilePort(isObj(p) ? p : {})) : null,
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
    ingress: compileRules(spec, 'ingress'),
    egress: compileRules(spec, 'egress'),
    decider: { what: `NetworkPolicy ${ns}/${name}`, pos: posOf(obj) },
  };
}

/** The other end of a connection, as the selected pod's policy sees it. */
interface Remote {
  ip: string;
  /** a pod with its own network namespace holding ip */
  pod?: RPod;
  text: string;
}

interface Isolation {
  ingress: CompiledPolicy[];
  egress: CompiledPolicy[];
}

const NOT_ISOLATED: Isolation = { ingress: [], egress: [] };

function inIpBlock(b: { cidr: Cidr; except: Cidr[] }, ip: string): boolean {
  if (!cidrContains(b.cidr, ip)) return false;
  for (const x of b.except) if (cidrContains(x, ip)) return false;
  return true;
}

/** The NetworkPolicies of a realised cluster, indexed: per namespace, and each pod's isolation (lazily). */
export class PolicyIndex {
  readonly byNamespace = new Map<string, CompiledPolicy[]>();
  readonly count: number;
  private readonly isolation = new Map<RPod, Isolation>();
  private readonly nsLabels = new Map<string, Labels>();

  constructor(readonly realised: Realised) {
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

  private labelsOfNamespace(ns: string): Labels {
    let l = this.nsLabels.get(ns);
    if (!l) {
      // every namespace carries kubernetes.io/metadata.name (the API server sets it)
      l = { ...(this.realised.namespaces.get(ns)?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns };
      this.nsLabels.set(ns, l);
    }
    return l;
  }

  peerMatches(policy: CompiledPolicy, peer: CompiledPeer, remote: Remote): boolean {
    if (peer.ipBlock) return inIpBlock(peer.ipBlock, remote.ip);
    if (!peer.podSelector && !peer.namespaceSelector) return false;
    const pod = remote.pod;
    if (!pod) return false;
    if (peer.namespaceSelector) {
      if (!peer.namespaceSelector.matches(this.labelsOfNamespace(pod.ns))) return false;
    } else if (pod.ns !== policy.ns) return false;
    return !peer.podSelector || peer.podSelector.matches(pod.labels);
  }

  /** The port a rule port names on `dst` (named ports resolve against the destination pod). */
  static portMatches(p: CompiledPort, proto: string, dport: number, dst: RPod | undefined): boolean {
    if (p.protocol !== proto) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number') return p.endPort !== undefined ? dport >= p.port && dport <= p.endPort : dport === p.port;
    if (!dst) return false;
    for (const cp of dst.ports) if (cp.name === p.port && cp.protocol === proto && cp.port === dport) return true;
    return false;
  }

  private remote(ip: string): Remote {
    const pod = this.realised.podByIP.get(ip);
    if (pod && !pod.hostNetwork) return { ip, pod, text: `pod ${pod.key} (${ip})` };
    const node = this.realised.nodeByIP.get(ip) ?? netIndex(this.realised).localAddr.get(ip)?.node;
    if (node) return { ip, text: `node ${node.name} (${ip})` };
    return { ip, text: ip };
  }

  /**
   * Decides one direction for `pod`: null when the pod is not isolated for it.
   * `remoteIP` is the peer's address as seen at the pod; proto/dport the destination port.
   */
  decide(pod: RPod, dir: Direction, remoteIP: string, proto: string, dport: number): PolicyDecision | null {
    const iso = this.isolationOf(pod);
    const policies = dir === 'ingress' ? iso.ingress : iso.egress;
    if (policies.length === 0) return null;
    const remote = this.remote(remoteIP);
    const ns = pod.ns;
    const what = dir === 'ingress' ? `${proto} ${dport} from ${remote.text} to ${pod.key}` : `${proto} ${dport} from ${pod.key} to ${remote.text}`;
    // the exceptions the documentation names
    if (pod.ips.includes(remoteIP)) {
      return allowed(`policy/${ns}/${policies[0].name}`, `${what}: a pod cannot block access to itself (NetworkPolicy does not apply)`, policies[0].decider);
    }
    const ownNode = pod.node ? netIndex(this.realised).localAddr.get(remoteIP)?.node === pod.node : false;
    if (ownNode) {
      return allowed(`policy/${ns}/${policies[0].name}`, `${what}: traffic ${dir === 'ingress' ? 'from' : 'to'} the node where the pod runs (${pod.node!.name}) is always allowed`, policies[0].decider);
    }
    const dstPod = dir === 'ingress' ? pod : remote.pod;
    const peersKey = dir === 'ingress' ? 'from' : 'to';
    const denies: PolicyDecision['hops'] = [];
    for (const p of policies) {
      const rules = dir === 'ingress' ? p.ingress : p.egress;
      const reasons: string[] = [];
      if (rules.length === 0) reasons.push(`it has no ${dir} rules (it denies all ${dir})`);
      for (const r of rules) {
        let peerText: string | undefined;
        if (r.peers === null) peerText = `no ${peersKey}: every peer`;
        else {
          for (let i = 0; i < r.peers.length; i++) {
            if (this.peerMatches(p, r.peers[i], remote)) { peerText = `${peersKey}[${i}]: ${r.peers[i].text}`; break; }
          }
        }
        let portText: string | undefined;
        if (r.ports === null) portText = 'every port';
        else {
          for (const pt of r.ports) if (PolicyIndex.portMatches(pt, proto, dport, dstPod)) { portText = pt.text; break; }
        }
        if (peerText !== undefined && portText !== undefined) {
          return allowed(`policy/${ns}/${p.name}`,
            `NetworkPolicy ${p.key} ${dir} rule ${r.index + 1} (${peerText}; ports: ${portText}) allows ${what}`,
            { what: `NetworkPolicy ${p.key} ${dir} rule ${r.index + 1}`, pos: posOf(p.obj, ['spec', dir, r.index]) ?? p.decider.pos });
        }
        const why: string[] = [];
        if (peerText === undefined) why.push(`${remote.text} matches none of ${r.peers!.map((x) => x.text).join(' | ')}`);
        if (portText === undefined) why.push(`${proto} ${dport} is not in ports ${r.ports!.map((x) => x.text).join(', ')}`);
        reasons.push(`${dir} rule ${r.index + 1}: ${why.join(', and ')}`);
      }
      denies.push({ at: `policy/${ns}/${p.name}`, detail: `NetworkPolicy ${p.key} isolates ${pod.key} for ${dir} and does not allow ${what}: ${reasons.join('; ')}`, source: p.decider });
    }
    const last = denies[denies.length - 1];
    last.detail += ` — no NetworkPolicy selecting ${pod.key} for ${dir} allows it (${policies.length} select${policies.length === 1 ? 's' : ''} it): the CNI drops the packet`;
    return { allow: false, hops: denies };
  }
}

function allowed(at: string, detail: string, source: Decider | undefined): PolicyDecision {
  return { allow: true, hops: [{ at, detail, source }] };
}

const cache = new WeakMap<Realised, PolicyIndex>();

/** The cluster's policy index, built once per Realised. */
export function policyIndex(realised: Realised): PolicyIndex {
  let ix = cache.get(realised);
  if (!ix) { ix = new PolicyIndex(realised); cache.set(realised, ix); }
  return ix;
}

/** The walk's policy check; undefined when the cluster has no NetworkPolicy (the walk then skips it). */
export function policyCheck(realised: Realised): PolicyCheck | undefined {
  const ix = policyIndex(realised);
  if (ix.count === 0) return undefined;
  return {
    egress: (pod: RPod, pkt: Packet) => ix.decide(pod, 'egress', pkt.dst, pkt.proto, pkt.dport),
    ingress: (pod: RPod, pkt: Packet) => ix.decide(pod, 'ingress', pkt.src, pkt.proto, pkt.dport),
  };
}

/** Is the pod isolated for egress (a check for callers that must walk more, e.g. DNS lookups)? */
export function egressIsolated(realised: Realised, pod: RPod): boolean {
  const ix = policyIndex(realised);
  return ix.count > 0 && ix.isolationOf(pod).egress.length > 0;
}

/**
 * A pod's lookup is itself a connection (UDP to its resolv.conf nameserver, port 53): when the
 * pod is isolated for egress, that query is walked first, and a policy that drops it leaves the
 * name unresolved (the default-deny-egress pitfall). Pods not isolated for egress skip this.
 */
export function policyAwareResolver(inner: NameResolver, netfilter: () => NetfilterHooks): NameResolver {
  return (realised, from, name) => {
    if (from.kind !== 'pod' || from.pod.hostNetwork || !egressIsolated(realised, from.pod)) return inner(realised, from, name);
    const ns = podResolvConf(realised, from.pod).nameservers[0];
    if (ns) {
      const q = connect(realised, { from: { kind: 'pod', pod: from.pod }, to: ns, port: 53, protocol: 'UDP' }, netfilter());
      if (q.verdict !== 'delivered') {
        return {
          ip: null,
          hops: [...q.hops, { at: `pod/${from.pod.key}`, action: 'resolve', detail: `"${name}" does not resolve: the DNS query to ${ns}:53/UDP was ${q.verdict} (a pod isolated for egress needs a rule allowing UDP and TCP 53 to the cluster DNS)` }],
        };
      }
    }
    return inner(realised, from, name);
  };
}
