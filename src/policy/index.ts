// Network policy as the CNI enforces it, in the three tiers of the Network Policy API
// (ClusterNetworkPolicySpec.Tier): the Admin tier (admin.ts) → NetworkPolicy (namespace.ts) → the
// Baseline tier (baseline.ts) → Kubernetes' default (allowed). Each direction is decided on its own:
// a connection needs the source pod's egress and the destination pod's ingress. The reachability
// matrix over many pods is matrix.ts.
import { connect, type NameResolver } from '../cni';
import type { NetfilterHooks, PolicyCheck, PolicyDecision } from '../cni/types';
import { podResolvConf } from '../dns';
import type { RPod, Realised } from '../model/realised';
import type { Warning } from '../model/errors';
import type { Packet } from '../net/packet';
import { adminPolicies } from './admin';
import { baselinePolicies } from './baseline';
import { describeMatch, evaluateTier, selects, type ClusterPolicy, type TierMatch } from './clusterscoped';
import { NamespaceTier, type Isolation } from './namespace';
import { PolicyContext, type Direction, type PolicyHop, type Remote, type Verdict } from './shared';

export type { Direction, Tier, Verdict, Remote } from './shared';
export { compilePolicy, policyTypes, type CompiledPolicy } from './namespace';
export { compileClusterPolicy, type ClusterPolicy } from './clusterscoped';
export { checkAdminPolicies } from './validate';
export { reachability, type MatrixQuery, type Matrix, type MatrixCell } from './matrix';
export { renderMatrix, renderDiffs, describeCell, gridToExpected, parseExpectedMatrix, compareMatrix, ExpectError, type MatrixFormat, type MatrixDiff, type ExpectedCell } from './matrixformat';
export type { MatrixPort } from './matrix';

/** One direction decided, with the trace's hops when explained. */
export interface DirectionDecision { verdict: Verdict; hops: PolicyHop[] }

const DEFAULT_ALLOW: Verdict = Object.freeze({ allow: true });
const NO_HOPS: PolicyHop[] = [];
const matchVerdicts = new WeakMap<object, Verdict>();

/** The (shared, frozen) verdict of an admin-tier rule that allowed or denied. */
function matchVerdict(m: TierMatch): Verdict {
  let v = matchVerdicts.get(m.rule);
  if (!v) {
    v = Object.freeze({ allow: m.rule.action === 'allow', tier: m.policy.tier, policy: m.policy.ref, rule: m.rule.index, pos: m.rule.pos ?? m.policy.pos });
    matchVerdicts.set(m.rule, v);
  }
  return v;
}

/** The hop of an admin-tier rule: tier, policy, rule index and name, what matched, and its file:line. */
function tierHop(m: TierMatch, dir: Direction, what: string, after: string): PolicyHop {
  const verb = m.rule.action === 'allow' ? 'allows' : m.rule.action === 'deny' ? 'denies' : 'passes';
  return {
    at: m.policy.at,
    action: m.rule.action === 'pass' ? 'pass' : undefined,
    detail: `${m.policy.tier} tier: ${m.policy.label} ${describeMatch(m, dir)} ${verb} ${what}${after}`,
    source: { what: `${m.policy.ref} ${dir} rule ${m.rule.index + 1}${m.rule.name ? ` "${m.rule.name}"` : ''}`, pos: m.rule.pos ?? m.policy.pos },
    policy: { tier: m.policy.tier, kind: m.policy.kind, name: m.policy.name, direction: dir, rule: m.rule.index, ...(m.rule.name ? { ruleName: m.rule.name } : {}), action: m.rule.action },
  };
}

/** Every tier of a realised cluster, indexed; one per Realised (policyIndex). */
export class PolicyIndex {
  readonly ctx: PolicyContext;
  readonly namespace: NamespaceTier;
  readonly admin: readonly ClusterPolicy[];
  readonly baseline: readonly ClusterPolicy[];
  /** NetworkPolicies + admin-tier policies: 0 means the walk skips policy altogether */
  readonly count: number;
  /** equal priorities within a tier (undefined behaviour in the API) */
  readonly warnings: Warning[] = [];

  constructor(readonly realised: Realised) {
    this.ctx = new PolicyContext(realised);
    this.namespace = new NamespaceTier(realised, this.ctx);
    const a = adminPolicies(realised), b = baselinePolicies(realised);
    this.admin = a.ordered;
    this.baseline = b.ordered;
    for (const group of [...a.ties, ...b.ties]) {
      this.warnings.push({
        code: 'NS-POLICY-SAME-PRIORITY',
        message: `${group.map((p) => p.ref).join(', ')} share priority ${group[0].priority} in the ${group[0].tier} tier: which one applies to a connection they both match is undefined in the Network Policy API (implementations may pick either); netspec evaluates them in name order — give them distinct priorities`,
        pos: group[1].pos,
      });
    }
    this.count = this.namespace.count + this.admin.length + this.baseline.length;
  }

  /** The NetworkPolicies isolating a pod, per direction. */
  isolationOf(pod: RPod): Isolation {
    return this.namespace.isolationOf(pod);
  }

  /**
   * One direction for `pod` (ingress: pod is the destination; egress: the source), through the
   * tiers. `explain` builds the trace's hops (tier, policy, rule index, file:line); the verdict is
   * the same either way.
   */
  decideDirection(pod: RPod, dir: Direction, remote: Remote, proto: string, dport: number, explain: boolean): DirectionDecision {
    const hops: PolicyHop[] = explain ? [] : NO_HOPS;
    const what = explain ? (dir === 'ingress' ? `${proto} ${dport} from ${remote.text} to ${pod.key}` : `${proto} ${dport} from ${pod.key} to ${remote.text}`) : '';
    let passed: string[] | undefined;
    if (this.admin.length) {
      const m = evaluateTier(this.ctx, this.admin, dir, pod, remote, proto, dport);
      if (m && m.rule.action !== 'pass') {
        if (explain) hops.push(tierHop(m, dir, what, m.rule.action === 'deny' ? ': no NetworkPolicy can override an Admin tier decision — the CNI drops the packet' : ' (final: NetworkPolicy and the Baseline tier are not consulted)'));
        return { verdict: matchVerdict(m), hops };
      }
      if (m) {
        if (explain) hops.push(tierHop(m, dir, what, ': the NetworkPolicy tier decides'));
        passed = [m.policy.ref];
      }
    }
    const np = this.namespace.decide(pod, dir, remote, proto, dport, explain);
    if (np) {
      for (const h of np.hops) hops.push(h);
      return { verdict: passed ? { ...np.verdict, passed } : np.verdict, hops };
    }
    if (this.baseline.length) {
      const m = evaluateTier(this.ctx, this.baseline, dir, pod, remote, proto, dport);
      if (m && m.rule.action !== 'pass') {
        if (explain) hops.push(tierHop(m, dir, what, ` (no NetworkPolicy isolates ${pod.key} for ${dir}, so the Baseline tier decides)`));
        const v = matchVerdict(m);
        return { verdict: passed ? { ...v, passed } : v, hops };
      }
      if (m && explain) hops.push(tierHop(m, dir, what, ': Kubernetes\' default allows it'));
    }
    if (explain && hops.length) {
      hops.push({ at: `policy/default`, action: 'allow', detail: `no tier decided ${what}: no NetworkPolicy isolates ${pod.key} for ${dir}, and what no policy decides is allowed` });
    }
    return { verdict: passed ? { allow: true, passed } : DEFAULT_ALLOW, hops };
  }

  /**
   * The walk's check for one direction: null when no tier had anything to say (no hop: the
   * default allow), else the decision and its hops.
   */
  decide(pod: RPod, dir: Direction, remoteIP: string, proto: string, dport: number): PolicyDecision | null {
    const d = this.decideDirection(pod, dir, this.ctx.remote(remoteIP), proto, dport, true);
    if (d.hops.length === 0) return null;
    return { allow: d.verdict.allow, hops: d.hops };
  }
}

const cache = new WeakMap<Realised, PolicyIndex>();

/** The cluster's policy index, built once per Realised. */
export function policyIndex(realised: Realised): PolicyIndex {
  let ix = cache.get(realised);
  if (!ix) { ix = new PolicyIndex(realised); cache.set(realised, ix); }
  return ix;
}

/** The walk's policy check; undefined when the cluster has no policy of any tier (the walk then skips it). */
export function policyCheck(realised: Realised): PolicyCheck | undefined {
  const ix = policyIndex(realised);
  if (ix.count === 0) return undefined;
  return {
    egress: (pod: RPod, pkt: Packet) => ix.decide(pod, 'egress', pkt.dst, pkt.proto, pkt.dport),
    ingress: (pod: RPod, pkt: Packet) => ix.decide(pod, 'ingress', pkt.src, pkt.proto, pkt.dport),
  };
}

/** Warnings about the cluster's policies (equal priorities within a tier). */
export function policyWarnings(realised: Realised): readonly Warning[] {
  return policyIndex(realised).warnings;
}

/** Could a policy of any tier touch the pod's egress (a check for callers that must walk more, e.g. DNS lookups)? */
export function egressIsolated(realised: Realised, pod: RPod): boolean {
  const ix = policyIndex(realised);
  if (ix.count === 0) return false;
  if (ix.isolationOf(pod).egress.length > 0) return true;
  return [...ix.admin, ...ix.baseline].some((p) => p.egress.length > 0 && selects(ix.ctx, p, pod));
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
