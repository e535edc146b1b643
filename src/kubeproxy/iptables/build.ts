// kube-proxy's iptables mode, one node's ruleset: syncProxyRules of pkg/proxy/iptables/proxier.go
// (v1.30, the iptables backend; v1.31+ adds `-m nfacct` counters to two rules, not modelled).
//
// What a node writes depends on the node only through endpoint locality (traffic policies Local)
// and whether its IP lies in a loadBalancerSourceRange, so the rules of every other service port
// are built once for the whole cluster and shared by every node's ruleset.
import { cidrContains, type Cidr, type Family } from '../../net/ip';
import type { RNode, Realised } from '../../model/realised';
import {
  categorize, detectorFor, servicePorts, usesClusterEndpoints, usesLocalEndpoints, type Detector,
  type KpEndpoint, type KpServicePort,
} from '../serviceports';
import { nodePortAddressList, nodePortIPs } from '../addresses';
import { AssembledChain, SharedBody } from './assembled';
import { masqMark, addr, comment, jump, mkRule, probabilityRaw, type AddrMatch, type Match, type Rule, type TableName, type Target } from './rules';

export interface Chain {
  readonly table: TableName;
  readonly name: string;
  readonly builtin: boolean;
  readonly rules: Rule[];
  /** lookup index for long chains (built on first walk) */
  index?: ChainIndex;
  /** an assembled chain's own lookup: the rules that can match, in chain order */
  lookup?(dst: string, proto: string, dport: number): Rule[];
}

export interface ChainIndex {
  /** "dst|proto|dport" → rule positions */
  byDst: Map<string, number[]>;
  /** "proto|dport" (rules without a destination) → rule positions */
  byPort: Map<string, number[]>;
  /** every other rule */
  wild: number[];
}

/** What one service port contributes to a node's ruleset. */
export interface Fragment {
  natServices: Rule[];
  natNodePorts: Rule[];
  filterServices: Rule[];
  filterExternal: Rule[];
  filterFirewall: Rule[];
  filterNodePorts: Rule[];
  /** the service port's own nat chains: KUBE-SVC/SVL/EXT/FW/SEP */
  chains: Chain[];
}

export interface BuildContext {
  family: Family;
  /** local-traffic detector (detectLocalMode: clusterCIDR, the node's podCIDR, an interface); null: no detector */
  detector: Detector;
  masqueradeAll: boolean;
  /** more than 1000 endpoints: comments dropped from KUBE-SEP rules and SVC → SEP jumps */
  largeCluster: boolean;
  /** the masquerade mark, 1 << iptables.masqueradeBit */
  mark: number;
}

export const CHAINS = {
  services: 'KUBE-SERVICES',
  external: 'KUBE-EXTERNAL-SERVICES',
  nodePorts: 'KUBE-NODEPORTS',
  postrouting: 'KUBE-POSTROUTING',
  markMasq: 'KUBE-MARK-MASQ',
  forward: 'KUBE-FORWARD',
  proxyFirewall: 'KUBE-PROXY-FIREWALL',
  canary: 'KUBE-PROXY-CANARY',
  kubeletFirewall: 'KUBE-FIREWALL',
} as const;

const LARGE_CLUSTER_ENDPOINTS = 1000;

const statistics: Match[] = [];
/** The statistic match for the i-th of n remaining endpoints (1/n), shared. */
function statistic(n: number): Match {
  return (statistics[n] ??= { m: 'statistic', raw: probabilityRaw(n) });
}

function newChain(table: TableName, name: string, builtin = false): Chain {
  return { table, name, builtin, rules: [] };
}

function rejectOrDrop(t: string): Target { return { t: t === 'DROP' ? 'DROP' : 'REJECT' }; }

/** -m comment … -m <proto> -p <proto> -d <ip> --dport <port> */
function vipMatch(c: string, sp: KpServicePort, ip: string, port: number): { dst: AddrMatch; proto: KpServicePort['proto']; matches: Match[] } {
  return { dst: addr(ip), proto: sp.proto, matches: [comment(c), { m: 'l4', proto: sp.proto, dport: port }] };
}

/** The detector's IfLocal / IfNotLocal arguments: `-s CIDR` or `-i NAME` (a prefix as "cali+"), negated with `!`. */
function ifLocal(d: NonNullable<Detector>, neg: boolean): { src?: AddrMatch; iif?: { name: string; neg: boolean } } {
  if (d.kind === 'cidr') return { src: addr(d.cidr.text, neg) };
  return { iif: { name: d.name.endsWith('*') ? d.name.slice(0, -1) + '+' : d.name, neg } };
}

/**
 * One service port's rules on a node (the body of syncProxyRules' per-service loop).
 * `entriesOnly`: only the rules in the six shared chains (KUBE-SERVICES…), not the service port's
 * own chains (KUBE-SVC/EXT/FW and a KUBE-SEP per endpoint), which are the bulk of the work.
 */
export function buildFragment(sp: KpServicePort, ctx: BuildContext, nodeName: string, nodeIP: string | undefined, entriesOnly = false): Fragment {
  const fam = ctx.family;
  const f: Fragment = { natServices: [], natNodePorts: [], filterServices: [], filterExternal: [], filterFirewall: [], filterNodePorts: [], chains: [] };
  const name = sp.name;
  const cat = categorize(sp, nodeName);
  const clusterPolicyChain = sp.svcChain;
  const usesClusterPolicyChain = cat.cluster.length > 0 && usesClusterEndpoints(sp);
  const localPolicyChain = sp.svlChain;
  const usesLocalPolicyChain = cat.local.length > 0 && usesLocalEndpoints(sp);

  let internalPolicyChain = clusterPolicyChain;
  let hasInternal = cat.hasAny;
  if (sp.internalLocal) { internalPolicyChain = localPolicyChain; if (cat.local.length === 0) hasInternal = false; }
  let externalPolicyChain = clusterPolicyChain;
  let hasExternal = cat.hasAny;
  if (sp.externalLocal) { externalPolicyChain = localPolicyChain; if (cat.local.length === 0) hasExternal = false; }
  const extChain = sp.extChain;
  const usesExt = cat.hasAny && sp.externallyAccessible;
  const usesFW = cat.hasAny && sp.lbIPs.length > 0 && sp.sourceRanges.length > 0;
  const lbChain = usesFW ? sp.fwChain : extChain;

  let intTarget = '', intComment = '', extTarget = '', extComment = '';
  if (!cat.hasAny) {
    intTarget = extTarget = 'REJECT';
    intComment = extComment = `${name} has no endpoints`;
  } else {
    if (!hasInternal) { intTarget = 'DROP'; intComment = `${name} has no local endpoints`; }
    if (!hasExternal) { extTarget = 'DROP'; extComment = `${name} has no local endpoints`; }
  }

  const nat = (chain: string, spec: Parameters<typeof mkRule>[3]) => mkRule('nat', chain, fam, spec, sp);
  const filter = (chain: string, spec: Parameters<typeof mkRule>[3]) => mkRule('filter', chain, fam, spec, sp);

  // the cluster IP
  if (hasInternal) f.natServices.push(nat(CHAINS.services, { ...vipMatch(`${name} cluster IP`, sp, sp.clusterIP, sp.port.port), target: jump(internalPolicyChain) }));
  else f.filterServices.push(filter(CHAINS.services, { ...vipMatch(intComment, sp, sp.clusterIP, sp.port.port), target: rejectOrDrop(intTarget) }));

  // external IPs
  for (const ip of sp.externalIPs) {
    if (cat.hasAny) f.natServices.push(nat(CHAINS.services, { ...vipMatch(`${name} external IP`, sp, ip, sp.port.port), target: jump(extChain) }));
    if (!hasExternal) f.filterExternal.push(filter(CHAINS.external, { ...vipMatch(extComment, sp, ip, sp.port.port), target: rejectOrDrop(extTarget) }));
  }

  // load-balancer ingress IPs
  for (const ip of sp.lbIPs) {
    if (cat.hasAny) f.natServices.push(nat(CHAINS.services, { ...vipMatch(`${name} loadbalancer IP`, sp, ip, sp.port.port), target: jump(lbChain) }));
    if (usesFW) f.filterFirewall.push(filter(CHAINS.proxyFirewall, { ...vipMatch(`${name} traffic not accepted by ${sp.fwChain}`, sp, ip, sp.port.port), target: { t: 'DROP' } }));
  }
  if (!hasExternal) {
    for (const ip of sp.lbIPs) f.filterExternal.push(filter(CHAINS.external, { ...vipMatch(extComment, sp, ip, sp.port.port), target: rejectOrDrop(extTarget) }));
  }

  // the node port
  if (sp.nodePort) {
    if (cat.hasAny) {
      f.natNodePorts.push(nat(CHAINS.nodePorts, { proto: sp.proto, matches: [comment(name), { m: 'l4', proto: sp.proto, dport: sp.nodePort }], target: jump(extChain) }));
    }
    if (!hasExternal) {
      f.filterExternal.push(filter(CHAINS.external, {
        proto: sp.proto,
        matches: [comment(extComment), { m: 'addrtype', dir: 'dst' }, { m: 'l4', proto: sp.proto, dport: sp.nodePort }],
        target: rejectOrDrop(extTarget),
      }));
    }
  }

  // the health check node port (LoadBalancer with externalTrafficPolicy Local)
  if (sp.healthCheckNodePort) {
    f.filterNodePorts.push(filter(CHAINS.nodePorts, {
      proto: 'tcp', matches: [comment(`${name} health check node port`), { m: 'l4', proto: 'tcp', dport: sp.healthCheckNodePort }], target: { t: 'ACCEPT' },
    }));
  }

  if (entriesOnly) return f;

  const chains = new Map<string, Chain>();
  const chainOf = (n: string) => { let c = chains.get(n); if (!c) { c = newChain('nat', n); chains.set(n, c); } return c; };
  // chain declaration order as kube-proxy writes them: EXT, FW, SVC, SVL, then SEPs
  const extRules: Rule[] = [], fwRules: Rule[] = [];
  const internalMasq: Rule[] = [];

  // internal traffic: masquerade what does not come from a pod (or everything, masqueradeAll)
  if (hasInternal) {
    const base = vipMatch(`${name} cluster IP`, sp, sp.clusterIP, sp.port.port);
    if (ctx.masqueradeAll) internalMasq.push(nat(internalPolicyChain, { ...base, target: jump(CHAINS.markMasq) }));
    else if (ctx.detector) internalMasq.push(nat(internalPolicyChain, { ...base, ...ifLocal(ctx.detector, true), target: jump(CHAINS.markMasq) }));
  }

  if (usesExt) {
    if (!sp.externalLocal) {
      extRules.push(nat(extChain, { matches: [comment(`masquerade traffic for ${name} external destinations`)], target: jump(CHAINS.markMasq) }));
    } else {
      if (ctx.detector) {
        extRules.push(nat(extChain, { ...ifLocal(ctx.detector, false), matches: [comment(`pod traffic for ${name} external destinations`)], target: jump(clusterPolicyChain) }));
      }
      extRules.push(nat(extChain, { matches: [comment(`masquerade LOCAL traffic for ${name} external destinations`), { m: 'addrtype', dir: 'src' }], target: jump(CHAINS.markMasq) }));
      extRules.push(nat(extChain, { matches: [comment(`route LOCAL traffic for ${name} external destinations`), { m: 'addrtype', dir: 'src' }], target: jump(clusterPolicyChain) }));
    }
    if (hasExternal) extRules.push(nat(extChain, { target: jump(externalPolicyChain) }));
    chainOf(extChain).rules.push(...extRules);
  }

  if (usesFW) {
    const c = comment(`${name} loadbalancer IP`);
    let allowFromNode = false;
    for (const cidr of sp.sourceRanges) {
      fwRules.push(nat(sp.fwChain, { src: addr(cidr.text), matches: [c], target: jump(extChain) }));
      if (nodeIP && cidrContains(cidr, nodeIP)) allowFromNode = true;
    }
    if (allowFromNode) for (const ip of sp.lbIPs) fwRules.push(nat(sp.fwChain, { src: addr(ip), matches: [c], target: jump(extChain) }));
    fwRules.push(nat(sp.fwChain, { matches: [comment(`other traffic to ${name} will be dropped by KUBE-PROXY-FIREWALL`)], target: { t: 'none' } }));
    chainOf(sp.fwChain).rules.push(...fwRules);
  }

  const NONE: Match[] = [];
  const writeEndpointRules = (chain: Chain, eps: KpEndpoint[]) => {
    if (sp.affinity) {
      for (const ep of eps) {
        const m: Match[] = ctx.largeCluster ? [] : [comment(`${name} -> ${ep.str}`)];
        m.push({ m: 'recent', mode: 'rcheck', name: ep.sep, seconds: sp.affinitySeconds, reap: true });
        chain.rules.push(nat(chain.name, { matches: m, target: jump(ep.sep) }));
      }
    }
    const n = eps.length;
    eps.forEach((ep, i) => {
      let m: Match[];
      if (ctx.largeCluster) m = i < n - 1 ? [statistic(n - i)] : NONE;
      else {
        m = [comment(`${name} -> ${ep.str}`)];
        if (i < n - 1) m.push(statistic(n - i));
      }
      chain.rules.push(nat(chain.name, { matches: m, target: jump(ep.sep) }));
    });
  };

  if (usesClusterPolicyChain) {
    const c = chainOf(clusterPolicyChain);
    if (internalPolicyChain === clusterPolicyChain) c.rules.push(...internalMasq);
    writeEndpointRules(c, cat.cluster);
  }
  if (usesLocalPolicyChain) {
    const c = chainOf(localPolicyChain);
    if (internalPolicyChain === localPolicyChain) c.rules.push(...internalMasq);
    writeEndpointRules(c, cat.local);
  }

  // the KUBE-SEP rules of one service port share their match lists (rules are immutable)
  const sepBase: Match[] = ctx.largeCluster ? NONE : [comment(name)];
  const l4: Match = { m: 'l4', proto: sp.proto };
  const dnatMatches: Match[] = [...sepBase, l4];
  const masqJump = jump(CHAINS.markMasq);
  for (const ep of cat.reachable) {
    const c = chainOf(ep.sep);
    // a pod reaching itself through the service (hairpin) must be masqueraded
    c.rules.push(nat(ep.sep, { src: addr(ep.ip), matches: sepBase, target: masqJump }));
    const m = sp.affinity ? [...sepBase, { m: 'recent', mode: 'set', name: ep.sep } as Match, l4] : dnatMatches;
    c.rules.push(nat(ep.sep, { proto: sp.proto, matches: m, target: { t: 'DNAT', ip: ep.ip, port: ep.port } }));
  }
  f.chains = [...chains.values()];
  return f;
}

/** The node-independent rules every node writes, and the jumps from the built-in chains. */
function baseChains(ctx: BuildContext): { filter: Chain[]; nat: Chain[] } {
  const fam = ctx.family;
  const F = (n: string, b = false) => newChain('filter', n, b);
  const N = (n: string, b = false) => newChain('nat', n, b);
  const newState: Match = { m: 'conntrack', states: ['NEW'] };
  // built-in chains, with the jumps kube-proxy prepends (kubelet's KUBE-FIREWALL jumps were there first)
  const input = F('INPUT', true), forward = F('FORWARD', true), output = F('OUTPUT', true);
  const fr = (c: Chain, spec: Parameters<typeof mkRule>[3]) => c.rules.push(mkRule('filter', c.name, fam, spec));
  fr(input, { matches: [newState, comment('kubernetes load balancer firewall')], target: jump(CHAINS.proxyFirewall) });
  fr(input, { matches: [comment('kubernetes health check service ports')], target: jump(CHAINS.nodePorts) });
  fr(input, { matches: [newState, comment('kubernetes externally-visible service portals')], target: jump(CHAINS.external) });
  fr(input, { target: jump(CHAINS.kubeletFirewall) });
  fr(forward, { matches: [newState, comment('kubernetes load balancer firewall')], target: jump(CHAINS.proxyFirewall) });
  fr(forward, { matches: [comment('kubernetes forwarding rules')], target: jump(CHAINS.forward) });
  fr(forward, { matches: [newState, comment('kubernetes service portals')], target: jump(CHAINS.services) });
  fr(forward, { matches: [newState, comment('kubernetes externally-visible service portals')], target: jump(CHAINS.external) });
  fr(output, { matches: [newState, comment('kubernetes load balancer firewall')], target: jump(CHAINS.proxyFirewall) });
  fr(output, { matches: [newState, comment('kubernetes service portals')], target: jump(CHAINS.services) });
  fr(output, { target: jump(CHAINS.kubeletFirewall) });

  const kfw = F(CHAINS.kubeletFirewall);
  if (fam === 4) {
    // iptables.localhostNodePorts (default true) sets route_localnet and adds kubelet's martian rule
    fr(kfw, {
      src: addr('127.0.0.0/8', true), dst: addr('127.0.0.0/8'),
      matches: [comment('block incoming localnet connections'), { m: 'conntrack', states: ['RELATED', 'ESTABLISHED', 'DNAT'], neg: true }],
      target: { t: 'DROP' },
    });
  }
  const kfwd = F(CHAINS.forward);
  fr(kfwd, { matches: [{ m: 'conntrack', states: ['INVALID'] }], target: { t: 'DROP' } });
  fr(kfwd, { matches: [comment('kubernetes forwarding rules'), { m: 'mark', value: ctx.mark, mask: ctx.mark }], target: { t: 'ACCEPT' } });
  fr(kfwd, { matches: [comment('kubernetes forwarding conntrack rule'), { m: 'conntrack', states: ['RELATED', 'ESTABLISHED'] }], target: { t: 'ACCEPT' } });

  const filter = [input, forward, output, F(CHAINS.external), kfw, kfwd, F(CHAINS.nodePorts), F(CHAINS.canary), F(CHAINS.proxyFirewall), F(CHAINS.services)];

  const pre = N('PREROUTING', true), ninput = N('INPUT', true), nout = N('OUTPUT', true), post = N('POSTROUTING', true);
  const nr = (c: Chain, spec: Parameters<typeof mkRule>[3]) => c.rules.push(mkRule('nat', c.name, fam, spec));
  nr(pre, { matches: [comment('kubernetes service portals')], target: jump(CHAINS.services) });
  nr(nout, { matches: [comment('kubernetes service portals')], target: jump(CHAINS.services) });
  nr(post, { matches: [comment('kubernetes postrouting rules')], target: jump(CHAINS.postrouting) });
  const kpost = N(CHAINS.postrouting), kmark = N(CHAINS.markMasq);
  nr(kpost, { matches: [{ m: 'mark', value: ctx.mark, mask: ctx.mark, neg: true }], target: { t: 'RETURN' } });
  nr(kpost, { target: { t: 'MARK', value: ctx.mark, mask: 0 } });
  nr(kpost, { matches: [comment('kubernetes service traffic requiring SNAT')], target: { t: 'MASQUERADE', randomFully: true } });
  nr(kmark, { target: { t: 'MARK', value: ctx.mark, mask: ctx.mark } });
  const nat = [pre, ninput, nout, post, kmark, N(CHAINS.nodePorts), kpost, N(CHAINS.canary), N(CHAINS.services)];
  return { filter, nat };
}

const NODEPORTS_TAIL = 'kubernetes service nodeports; NOTE: this must be the last rule in this chain';

/**
 * The last rules of nat KUBE-SERVICES. nodePortAddresses unset (or a zero CIDR): one rule for
 * every local address, `! -d ::1/128` for IPv6 and `! -d 127.0.0.0/8` when iptables.localhostNodePorts
 * is false; otherwise one `-d IP/32` rule per node address in nodePortAddresses (loopback only
 * for IPv4 with localhostNodePorts). pkg/proxy/iptables/proxier.go syncProxyRules.
 */
function nodePortsTail(ctx: BuildContext, npIPs: string[] | null, localhostNodePorts: boolean): Rule[] {
  if (npIPs === null) {
    const m: Match[] = [comment(NODEPORTS_TAIL), { m: 'addrtype', dir: 'dst' }];
    const dst = ctx.family === 6 ? addr('::1/128', true) : !localhostNodePorts ? addr('127.0.0.0/8', true) : undefined;
    return [mkRule('nat', CHAINS.services, ctx.family, { dst, matches: m, target: jump(CHAINS.nodePorts) })];
  }
  const out: Rule[] = [];
  for (const ip of npIPs) {
    const loop = ip.startsWith('127.') || ip === '::1';
    if (loop && (ctx.family === 6 || !localhostNodePorts)) continue;
    out.push(mkRule('nat', CHAINS.services, ctx.family, { dst: addr(ip), matches: [comment(NODEPORTS_TAIL)], target: jump(CHAINS.nodePorts) }));
  }
  return out;
}

/** One node's complete ruleset (filter and nat), chains shared with the cluster where they can be. */
export class NodeRuleset {
  readonly filter = new Map<string, Chain>();
  readonly nat = new Map<string, Chain>();
  constructor(readonly node: RNode, readonly cluster: ClusterRules) {}

  chain(table: TableName, name: string): Chain | undefined {
    if (table === 'filter') return this.filter.get(name);
    return this.nat.get(name) ?? this.cluster.sharedChain(name);
  }

  /** Chain names of a table, built-in first then the rest sorted (iptables-legacy keeps user chains sorted). */
  chainNames(table: TableName): string[] {
    const own = [...(table === 'filter' ? this.filter : this.nat).values()];
    const builtin = own.filter((c) => c.builtin).map((c) => c.name);
    const user = own.filter((c) => !c.builtin).map((c) => c.name).sort();
    if (table === 'filter') return [...builtin, ...user];
    const shared = this.cluster.sharedNatNames().filter((n) => !this.nat.has(n));
    return [...builtin, ...mergeSorted(user, shared)];
  }

  /** Rules kube-proxy writes (iptables-restore input lines) and rules iptables-save shows (plus the built-in jumps). */
  ruleCounts(): { filter: number; nat: number; filterChains: number; natChains: number } {
    let filter = 0, nat = 0, natChains = 0, filterChains = 0;
    for (const c of this.filter.values()) { filter += c.rules.length; filterChains++; }
    for (const c of this.nat.values()) { nat += c.rules.length; natChains++; }
    this.cluster.buildAll();
    for (const c of this.cluster.sharedNat.values()) if (!this.nat.has(c.name)) { nat += c.rules.length; natChains++; }
    return { filter, nat, filterChains, natChains };
  }
}

export function byteOrder(a: string, b: string): number { return a < b ? -1 : a > b ? 1 : 0; }

function mergeSorted(a: string[], b: readonly string[]): string[] {
  const out: string[] = new Array(a.length + b.length);
  let i = 0, j = 0, k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i] <= b[j] ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

/** The cluster-wide half: node-independent fragments built once, node rulesets on demand (bounded cache). */
export class ClusterRules {
  readonly ctx: BuildContext;
  readonly sps: KpServicePort[];
  readonly sharedNat = new Map<string, Chain>();
  private sharedNames: string[] | null = null;
  /** per service port: its node-independent fragment(s) ([allowFromNode=false, true]) */
  private readonly shared = new Map<KpServicePort, (Fragment | undefined)[]>();
  private readonly nodes = new Map<string, NodeRuleset>();
  static cacheSize = 8;

  constructor(readonly realised: Realised, family: Family) {
    this.sps = servicePorts(realised, family);
    let total = 0;
    for (const sp of this.sps) total += sp.endpoints.length;
    this.ctx = {
      family,
      detector: realised.config.detectLocalMode === 'NodeCIDR' ? null : detectorFor(realised, realised.nodes[0] ?? ({ podCIDRs: [] } as unknown as RNode), family),
      masqueradeAll: realised.config.masqueradeAll,
      mark: masqMark(realised.config),
      largeCluster: total > LARGE_CLUSTER_ENDPOINTS,
    };
  }

  /**
   * A shared chain by name. A service port's own chains are built when first asked for (a walk
   * jumps into them, or the whole ruleset is printed): most connections touch few services.
   */
  sharedChain(name: string): Chain | undefined {
    const c = this.sharedNat.get(name);
    if (c || !this.lazy.size) return c;
    const i = this.lazy.get(name);
    if (i === undefined) return undefined;
    this.buildShared(i);
    return this.sharedNat.get(name);
  }

  /** Every service port's own chains (for iptables-save and counts). */
  buildAll(): void {
    for (const i of new Set(this.lazy.values())) this.buildShared(i);
  }

  private buildShared(i: number): void {
    const sp = this.sps[i];
    for (const [n, j] of this.lazy) if (j === i) this.lazy.delete(n);
    this.fragmentFor(sp, this.bodyNode!, this.bodyNodeIP);
  }

  sharedNatNames(): readonly string[] {
    this.buildAll();
    if (!this.sharedNames) this.sharedNames = [...this.sharedNat.keys()].sort(); // ASCII: code-unit order is byte order
    return this.sharedNames;
  }

  private fragmentFor(sp: KpServicePort, node: RNode, nodeIP: string | undefined): { frag: Fragment; shared: boolean } {
    // detectLocalMode NodeCIDR: the detector is the node's own podCIDR, so no rule is shared
    if (this.realised.config.detectLocalMode === 'NodeCIDR') return { frag: buildFragment(sp, { ...this.ctx, detector: detectorFor(this.realised, node, this.ctx.family) }, node.name, nodeIP), shared: false };
    if (usesLocalEndpoints(sp)) return { frag: buildFragment(sp, this.ctx, node.name, nodeIP), shared: false };
    // a node whose IP lies in a loadBalancerSourceRange gets extra KUBE-FW rules: its own variant
    const allow = sp.lbIPs.length > 0 && nodeIP !== undefined && sp.sourceRanges.some((c) => cidrContains(c, nodeIP)) ? 1 : 0;
    let variants = this.shared.get(sp);
    if (!variants) { variants = []; this.shared.set(sp, variants); }
    let frag = variants[allow];
    if (!frag) {
      frag = buildFragment(sp, this.ctx, node.name, nodeIP);
      variants[allow] = frag;
      if (allow === 0) {
        for (const c of frag.chains) this.sharedNat.set(c.name, c);
        this.sharedNames = null;
      }
    }
    return { frag, shared: allow === 0 };
  }

  /** The node's ruleset (cached; at most `cacheSize` nodes are kept). */
  forNode(node: RNode): NodeRuleset {
    const hit = this.nodes.get(node.name);
    if (hit) { this.nodes.delete(node.name); this.nodes.set(node.name, hit); return hit; }
    const rs = this.build(node);
    this.nodes.set(node.name, rs);
    while (this.nodes.size > ClusterRules.cacheSize) this.nodes.delete(this.nodes.keys().next().value as string);
    return rs;
  }

  /** The six chains service ports add to, per part of a fragment. */
  private static readonly PARTS = [
    ['natServices', 'nat', CHAINS.services], ['natNodePorts', 'nat', CHAINS.nodePorts],
    ['filterServices', 'filter', CHAINS.services], ['filterExternal', 'filter', CHAINS.external],
    ['filterFirewall', 'filter', CHAINS.proxyFirewall], ['filterNodePorts', 'filter', CHAINS.nodePorts],
  ] as const;

  /** per part: the rules every node shares, indexed once (null until the first node is built) */
  private bodies: SharedBody[] | null = null;
  /** service ports whose rules depend on the node: traffic policy Local, loadBalancerSourceRanges */
  private ownSps: number[] = [];
  private base: { filter: Chain[]; nat: Chain[] } | undefined;
  /** chain name → the shared service port whose own chains are not built yet */
  private readonly lazy = new Map<string, number>();
  /** the node the shared rules were built on (any node: they do not depend on it) */
  private bodyNode: RNode | undefined;
  private bodyNodeIP: string | undefined;

  private build(node: RNode): NodeRuleset {
    if (this.realised.config.detectLocalMode === 'NodeCIDR') return this.buildWhole(node);
    const rs = new NodeRuleset(node, this);
    // the built-in chains and kube-proxy's fixed ones are the same on every node: built once
    const base = (this.base ??= baseChains(this.ctx));
    for (const c of base.filter) rs.filter.set(c.name, c);
    for (const c of base.nat) rs.nat.set(c.name, c);
    const nodeIP = node.ips.find((ip) => (ip.includes(':') ? 6 : 4) === this.ctx.family);
    if (!this.bodies) {
      this.bodyNode = node;
      this.bodyNodeIP = nodeIP;
      const perPart: (Rule[] | null)[][] = ClusterRules.PARTS.map(() => []);
      const fixed = new Set<string>([...Object.values(CHAINS), ...base.nat.map((c) => c.name)]);
      this.sps.forEach((sp, i) => {
        const own = usesLocalEndpoints(sp) || (sp.lbIPs.length > 0 && sp.sourceRanges.length > 0);
        if (own) this.ownSps.push(i);
        const frag = own ? null : buildFragment(sp, this.ctx, node.name, nodeIP, true);
        ClusterRules.PARTS.forEach(([part], k) => {
          perPart[k].push(frag ? frag[part] : null);
          if (frag) for (const r of frag[part]) if (r.target.t === 'jump' && !fixed.has(r.target.chain)) this.lazy.set(r.target.chain, i);
        });
      });
      this.bodies = perPart.map((parts) => new SharedBody(parts));
    }
    const own: Map<number, Rule[]>[] = ClusterRules.PARTS.map(() => new Map());
    for (const i of this.ownSps) {
      const { frag, shared } = this.fragmentFor(this.sps[i], node, nodeIP);
      ClusterRules.PARTS.forEach(([part], k) => { if (frag[part].length) own[k].set(i, frag[part]); });
      if (!shared) for (const c of frag.chains) rs.nat.set(c.name, c);
    }
    const tail = nodePortsTail(this.ctx, nodePortIPs(this.realised, node, this.ctx.family, nodePortAddressList(this.realised)), this.realised.config.localhostNodePorts);
    ClusterRules.PARTS.forEach(([part, table, name], k) => {
      (table === 'nat' ? rs.nat : rs.filter).set(name, new AssembledChain(table, name, this.bodies![k], own[k], part === 'natServices' ? tail : []));
    });
    return rs;
  }

  /** detectLocalMode NodeCIDR: no rule is shared, so the node's chains are built whole. */
  private buildWhole(node: RNode): NodeRuleset {
    const rs = new NodeRuleset(node, this);
    const base = baseChains(this.ctx);
    for (const c of base.filter) rs.filter.set(c.name, c);
    for (const c of base.nat) rs.nat.set(c.name, c);
    const nodeIP = node.ips.find((ip) => (ip.includes(':') ? 6 : 4) === this.ctx.family);
    const natSvc = rs.nat.get(CHAINS.services)!.rules;
    for (const sp of this.sps) {
      const { frag, shared } = this.fragmentFor(sp, node, nodeIP);
      for (const [part, table, name] of ClusterRules.PARTS) {
        const into = (table === 'nat' ? rs.nat : rs.filter).get(name)!.rules;
        for (const r of frag[part]) into.push(r);
      }
      if (!shared) for (const c of frag.chains) rs.nat.set(c.name, c);
    }
    for (const t of nodePortsTail(this.ctx, nodePortIPs(this.realised, node, this.ctx.family, nodePortAddressList(this.realised)), this.realised.config.localhostNodePorts)) natSvc.push(t);
    return rs;
  }
}

const clusterCache = new WeakMap<Realised, Map<Family, ClusterRules>>();

export function clusterRules(r: Realised, family: Family = 4): ClusterRules {
  let m = clusterCache.get(r);
  if (!m) { m = new Map(); clusterCache.set(r, m); }
  let c = m.get(family);
  if (!c) { c = new ClusterRules(r, family); m.set(family, c); }
  return c;
}

/** One node's iptables ruleset as kube-proxy (iptables mode) writes it. */
export function nodeRuleset(r: Realised, node: RNode, family: Family = 4): NodeRuleset {
  return clusterRules(r, family).forNode(node);
}
