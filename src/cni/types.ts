// The connect query's contract (design §5) and the netfilter hook the data plane calls on every
// node it crosses. src/cni walks the packet; src/kubeproxy (and later src/policy) plug in here.
import type { Action, Decider, Hop, PolicyRef } from '../net/trace';
import type { Packet, Protocol } from '../net/packet';
import type { RNode, RPod, Realised } from '../model/realised';

/** Where a connection starts. */
export type Endpoint =
  | { kind: 'pod'; pod: RPod; container?: string }
  | { kind: 'node'; node: RNode }
  | { kind: 'external'; ip: string };

export interface ConnectRequest {
  from: Endpoint;
  /** an IP (pod, service, node, LB, external), already resolved from a name by the caller */
  to: string;
  port: number;
  protocol: Protocol;
  /** node the network hands traffic for an LB IP / externalIP / NodePort to (external sources) */
  via?: string;
  /** seed for random choices on this connection (iptables statistic, ipvs schedulers) */
  seed?: number;
  /** source port (default: deterministic ephemeral port from the seed) */
  sport?: number;
}

export type Verdict = 'delivered' | 'refused' | 'rejected' | 'dropped' | 'unreachable';

export interface NatEntry {
  kind: 'DNAT' | 'SNAT';
  /** "kube-proxy", "flannel", "ip-masq-agent", "kube-proxy (KUBE-POSTROUTING)" */
  by: string;
  before: string; // ip:port
  after: string;  // ip:port
  /** the node whose conntrack holds the translation (filled in by the walk when a hook leaves it out) */
  node?: string;
}

export interface ConnectResult {
  verdict: Verdict;
  delivered: { pod: string; ip: string; port: number; container: string } | null;
  /** delivered to a node's host network (hostNetwork pods are reported as pods) */
  deliveredNode?: string;
  nat: NatEntry[];
  /** what the client sees as the source of the reply (conntrack reversed every translation) */
  reply: { source: string } | null;
  hops: Hop[];
  /** the packet as it finally arrived */
  final?: { src: string; dst: string };
  /** true when the packet crossed nodes encapsulated */
  encapsulated: boolean;
  /**
   * Set when the destination is outside the cluster: verdict 'delivered' then means the packet
   * left the cluster through `node`'s eth0 towards ip:port (no pod receives it; `delivered` is null).
   */
  egress?: { ip: string; port: number; node: string };
}

/** A netfilter verdict from a hook. */
export interface HookResult {
  /** continue with `packet` (possibly translated), or stop */
  verdict: 'continue' | 'reject' | 'drop';
  packet: Packet;
  hops: Hop[];
  nat: NatEntry[];
  /** kube-proxy's 0x4000 mark: masquerade on the way out */
  masqueradeMark?: boolean;
  /** translation came from kube-proxy (for conntrack / the trace) */
}

export interface HookContext {
  realised: Realised;
  /** deterministic random numbers in [0,1) for this connection */
  random(): number;
  /** the pod the packet came from, when it came from a pod (own network namespace) on this node */
  fromPod?: RPod;
  /**
   * the interface the packet came in on: a pod veth, the node's eth0, the overlay device
   * (decapsulated traffic from another node's pods), or locally generated (node, hostNetwork pods)
   */
  inIface: 'veth' | 'eth0' | 'tunnel' | 'local';
  /** snat only: the address MASQUERADE would pick, i.e. the outgoing interface's address */
  outAddress?: string;
  /** virtual time in seconds (kube-proxy's `-m recent` affinity and IPVS persistence); default: the hooks' own clock */
  now?: number;
}

/** Netfilter as the node has it: the CNI's own rules, kube-proxy's, later policy. */
export interface NetfilterHooks {
  /** nat PREROUTING (traffic arriving at the node) or nat OUTPUT (generated on the node) */
  dnat(node: RNode, pkt: Packet, hook: 'PREROUTING' | 'OUTPUT', ctx: HookContext): HookResult;
  /** nat POSTROUTING, given the outgoing interface; `masqueradeMark` carries over from dnat */
  snat(node: RNode, pkt: Packet, out: 'veth' | 'cni0' | 'eth0' | 'tunnel' | 'lo', masqueradeMark: boolean, ctx: HookContext): HookResult;
  /** NetworkPolicy enforcement (src/policy); absent when the cluster holds no NetworkPolicy */
  policy?: PolicyCheck;
}

/** What a policy check decided: 'allow' or 'deny' hops at policy/NS/NAME (a deny: one per policy that selects the pod). */
export interface PolicyDecision {
  allow: boolean;
  /** action: when given (e.g. an admin tier's 'pass'), it wins over allow/deny */
  hops: { at: string; detail: string; source?: Decider; action?: Action; policy?: PolicyRef }[];
}

/** NetworkPolicy as the CNI enforces it; null means the pod is not isolated in that direction (no hop). */
export interface PolicyCheck {
  /** a pod's own connection leaving it, as its node sees the packet after nat PREROUTING (DNAT done) */
  egress(pod: RPod, pkt: Packet): PolicyDecision | null;
  /** a connection arriving at a pod through its veth, as the packet is at delivery */
  ingress(pod: RPod, pkt: Packet): PolicyDecision | null;
}
