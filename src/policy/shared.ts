// What every policy tier shares: the other end of a connection as a policy sees it, namespace
// labels (with the kubernetes.io/metadata.name label the API server sets), named-port lookup, and
// the shape of a decision (tier, policy, rule index, file:line) that the walk and the matrix read.
import { netIndex } from '../cni/netindex';
import type { RNode, RPod, Realised } from '../model/realised';
import type { Labels } from '../model/types';
import { cidrContains, type Cidr } from '../net/ip';
import type { Action, Decider, PolicyRef, SourcePos } from '../net/trace';

export type Direction = 'ingress' | 'egress';

/** The tiers in evaluation order (the network-policy-api's ClusterNetworkPolicySpec.Tier doc). */
export type Tier = 'Admin' | 'NetworkPolicy' | 'Baseline';

/** The other end of a connection, as the selected (subject) pod's policy sees it. */
export interface Remote {
  ip: string;
  /** a pod with its own network namespace holding ip (hostNetwork pods are their node's address) */
  pod?: RPod;
  /** the node holding ip, when it is a node address */
  node?: RNode;
  text: string;
  /** memo of what policies asked about this address (CIDR membership, peer matches) */
  memo?: Map<object, boolean>;
}

/** What was memoised for key (a CIDR, a compiled peer) about this remote address, if anything. */
export function memoOf(r: Remote, key: object): boolean | undefined {
  return r.memo === undefined ? undefined : r.memo.get(key);
}

export function memoize(r: Remote, key: object, v: boolean): boolean {
  (r.memo ??= new Map()).set(key, v);
  return v;
}

/** Is the remote's address in the CIDR? (memoised: parsing an address is the costly part) */
export function remoteIn(r: Remote, c: Cidr): boolean {
  return memoOf(r, c) ?? memoize(r, c, cidrContains(c, r.ip));
}

/** One direction's decision: which tier, policy and rule decided, or none (the default: allowed). */
export interface Verdict {
  allow: boolean;
  /** undefined: no tier decided; Kubernetes' default (every pod reaches every pod) allowed it */
  tier?: Tier;
  /** "AdminNetworkPolicy deny-shop", "NetworkPolicy shop/web", "ClusterNetworkPolicy base (Baseline)" */
  policy?: string;
  /** 0-based index in the policy's spec.ingress / spec.egress; undefined for "isolated, no rule allowed" */
  rule?: number;
  /** the rule's (or the policy's) position in its manifest */
  pos?: SourcePos;
  /** Admin tier policies whose Pass rule handed the decision down, in order */
  passed?: string[];
  /** why no policy could decide (e.g. a pod to its own IP never leaves it) */
  note?: string;
}

export interface PolicyHop { at: string; detail: string; source?: Decider; action?: Action; policy?: PolicyRef }

export function isObj(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function inCidrs(cidrs: readonly Cidr[], r: Remote): Cidr | undefined {
  for (const c of cidrs) if (remoteIn(r, c)) return c;
  return undefined;
}

/** Is there a container port named `name` on `pod` for proto/dport? (named ports resolve on the destination pod) */
export function namedPortMatches(pod: RPod | undefined, name: string, proto: string, dport: number): boolean {
  if (!pod) return false;
  for (const cp of pod.ports) if (cp.name === name && cp.protocol === proto && cp.port === dport) return true;
  return false;
}

/** The cluster as policies see it: namespace labels and remote addresses, cached per Realised. */
export class PolicyContext {
  private readonly nsLabelCache = new Map<string, Labels>();
  private readonly remotes = new Map<string, Remote>();

  constructor(readonly realised: Realised) {}

  labelsOfNamespace(ns: string): Labels {
    let l = this.nsLabelCache.get(ns);
    if (!l) {
      // every namespace carries kubernetes.io/metadata.name (the API server sets it)
      l = { ...(this.realised.namespaces.get(ns)?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns };
      this.nsLabelCache.set(ns, l);
    }
    return l;
  }

  remote(ip: string): Remote {
    let r = this.remotes.get(ip);
    if (r) return r;
    const pod = this.realised.podByIP.get(ip);
    const node = this.realised.nodeByIP.get(ip) ?? netIndex(this.realised).localAddr.get(ip)?.node;
    if (pod && !pod.hostNetwork) r = { ip, pod, text: `pod ${pod.key} (${ip})` };
    else if (node) r = { ip, node, text: `node ${node.name} (${ip})` };
    else r = { ip, text: ip };
    this.remotes.set(ip, r);
    return r;
  }

  /** Is ip an address of the node `pod` runs on? */
  ownNode(pod: RPod, ip: string): boolean {
    return pod.node ? netIndex(this.realised).localAddr.get(ip)?.node === pod.node : false;
  }
}
