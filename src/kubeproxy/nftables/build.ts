// kube-proxy's nftables mode, one node's table: setupNFTables + syncProxyRules of
// pkg/proxy/nftables/proxier.go (GA in 1.33, KEP-3866). One table per IP family (`ip kube-proxy`,
// `ip6 kube-proxy`) holding base chains named "${type}-${hook}", a few top-level chains, and the
// dispatch maps: service-ips (address . protocol . port → goto the service's chain),
// service-nodeports (protocol . port), no-endpoint-services / no-endpoint-nodeports (drop or
// goto reject-chain), firewall-ips (loadBalancerSourceRanges), the cluster-ips and nodeport-ips
// sets. Per service port: service-HASH-NS/NAME/PROTO/PORT (Cluster policy), local-… (Local
// policy), external-… and firewall-…; per endpoint endpoint-HASH-…__IP/PORT and, with ClientIP
// affinity, a dynamic set affinity-… with the affinity timeout. Load balancing is one rule,
// `numgen random mod N vmap { 0 : goto endpoint-…, … }`.
import { createHash } from 'node:crypto';
import { cidrContains, parseCIDR, type Cidr, type Family } from '../../net/ip';
import type { RNode, Realised } from '../../model/realised';
import { base32Prefix } from '../hash';
import { addr } from '../iptables/rules';
import { nodePortAddressList, nodePortIPs } from '../addresses';
import { categorize, detectorFor, servicePorts, type Detector, usesClusterEndpoints, usesLocalEndpoints, type KpEndpoint, type KpServicePort, type Proto } from '../serviceports';

// ---- chain names (hashAndTruncate) ----------------------------------------------------------

/** knftables.NameLengthMax (256) minus chainNamePrefixLengthMax (16) */
const CHAIN_NAME_BASE_MAX = 240;

/** hashAndTruncate: 8 base32 characters of sha256(name), "-", the name; cut to 240 with "...". */
export function hashAndTruncate(name: string): string {
  let out = base32Prefix(createHash('sha256').update(name).digest(), 8) + '-' + name;
  if (out.length > CHAIN_NAME_BASE_MAX) out = out.slice(0, CHAIN_NAME_BASE_MAX - 3) + '...';
  return out;
}

/** servicePortChainNameBase: "HASH-ns/name/proto/portName" (portName may be empty). */
export function servicePortChainBase(ns: string, name: string, proto: string, portName: string): string {
  return hashAndTruncate(`${ns}/${name}/${proto}/${portName}`);
}

/** servicePortEndpointChainNameBase: "HASH-ns/name/proto/portName__IP/PORT" (IPv6 colons become dots). */
export function endpointChainBase(ns: string, name: string, proto: string, portName: string, ip: string, port: number): string {
  return hashAndTruncate(`${ns}/${name}/${proto}/${portName}__${ip.replace(/:/g, '.')}/${port}`);
}

// ---- the ruleset as data ------------------------------------------------------------------------

export type Dir = 'saddr' | 'daddr';

export type NftMatch =
  | { readonly m: 'ct-new' }
  /** ip daddr 10.96.0.10 / ip saddr != 10.244.0.0/16 / ip saddr != { a, b } */
  | { readonly m: 'addr'; readonly dir: Dir; readonly neg: boolean; readonly cidrs: readonly Cidr[]; readonly braces?: boolean }
  /** ip daddr @cluster-ips */
  | { readonly m: 'set'; readonly dir: Dir; readonly set: string }
  /** tcp dport 80 */
  | { readonly m: 'dport'; readonly proto: Proto; readonly port: number }
  /** fib daddr type local */
  | { readonly m: 'fib-local'; readonly dir: Dir }
  /** iifname "cni0" / iifname != "veth*" */
  | { readonly m: 'iif'; readonly name: string; readonly neg: boolean }
  /** mark and 0x4000 == 0 */
  | { readonly m: 'unmarked'; readonly mark: number }
  /** meta l4proto tcp */
  | { readonly m: 'l4proto'; readonly proto: Proto };

export type NftStmt =
  | { readonly s: 'jump' | 'goto'; readonly chain: string }
  /** ip daddr . meta l4proto . th dport vmap @MAP, or meta l4proto . th dport vmap @MAP */
  | { readonly s: 'vmap'; readonly key: 'addr' | 'port'; readonly map: string }
  /** numgen random mod N vmap { 0 : goto C0, … } */
  | { readonly s: 'numgen'; readonly targets: readonly string[] }
  | { readonly s: 'drop' | 'reject' | 'return' | 'masquerade' }
  | { readonly s: 'mark-or' | 'mark-xor'; readonly mark: number }
  | { readonly s: 'dnat'; readonly ip: string; readonly port: number }
  /** update @affinity-… { ip saddr } */
  | { readonly s: 'update'; readonly set: string };

export interface NftRule {
  readonly chain: string;
  readonly matches: readonly NftMatch[];
  readonly stmt: NftStmt;
  readonly comment?: string;
  /** the service port it was written for */
  readonly sp?: KpServicePort;
  text?: string;
}

export interface NftChain {
  readonly name: string;
  /** base chains: type, hook and priority as `nft list` prints them */
  readonly base?: { type: 'filter' | 'nat'; hook: 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting'; priority: string };
  readonly comment?: string;
  readonly rules: NftRule[];
}

/** A map element's value: a verdict. */
export type NftVerdict = { readonly v: 'goto'; readonly chain: string } | { readonly v: 'drop' };

export interface NftMapElem { readonly key: string; readonly value: NftVerdict; readonly comment?: string; readonly sp: KpServicePort }

export interface NftMap {
  readonly kind: 'map';
  readonly name: string;
  readonly type: string;
  readonly comment: string;
  readonly elems: Map<string, NftMapElem>;
}

export interface NftSet {
  readonly kind: 'set';
  readonly name: string;
  readonly type: string;
  readonly comment?: string;
  readonly elems: Set<string>;
  /** affinity sets: flags dynamic,timeout and the timeout in seconds */
  readonly timeout?: number;
}

export const TABLE = 'kube-proxy';
export const REJECT_CHAIN = 'reject-chain';
export const MARK_MASQ = 'mark-for-masquerade';
export const MASQUERADING = 'masquerading';

export class NftRuleset {
  readonly chains = new Map<string, NftChain>();
  readonly sets = new Map<string, NftSet>();
  readonly maps = new Map<string, NftMap>();
  /** listing order (nft lists sets and maps, then chains, each in creation order) */
  readonly setOrder: (NftSet | NftMap)[] = [];
  constructor(readonly node: RNode, readonly family: Family, readonly mark: number, readonly detector: Detector,
    /** nodePortAddresses: null = every local address but loopback (MatchAll) */
    readonly nodePortIPs: string[] | null, readonly serviceCIDRs: Cidr[]) {}

  chain(name: string): NftChain | undefined { return this.chains.get(name); }

  addChain(c: NftChain): NftChain {
    let have = this.chains.get(c.name);
    if (!have) { have = c; this.chains.set(c.name, c); }
    return have;
  }

  addSet(s: NftSet | NftMap): void {
    if (s.kind === 'set') this.sets.set(s.name, s); else this.maps.set(s.name, s);
    this.setOrder.push(s);
  }

  /** Rules and elements, for the benchmark: what `nft list ruleset` holds. */
  counts(): { chains: number; rules: number; elements: number; sets: number } {
    let rules = 0, elements = 0;
    for (const c of this.chains.values()) rules += c.rules.length;
    for (const s of this.setOrder) elements += s.kind === 'set' ? s.elems.size : s.elems.size;
    return { chains: this.chains.size, rules, elements, sets: this.setOrder.length };
  }
}

// ---- build --------------------------------------------------------------------------------------

function ifLocal(d: Detector, family: Family, neg: boolean): NftMatch[] {
  if (!d) return [];
  if (d.kind === 'iif') return [{ m: 'iif', name: d.name, neg }];
  return [{ m: 'addr', dir: 'saddr', neg, cidrs: [d.cidr] }];
}

/** ip/32 or ip/128 (IPv4 without the address parser: this runs once per endpoint) */
const host = (ip: string): Cidr => addr(ip).cidr;

// the names hash the service port and endpoint only: computed once, shared by every node
const spBases = new WeakMap<KpServicePort, string>();
const epBases = new WeakMap<KpEndpoint, string>();
function spBase(sp: KpServicePort): string {
  let b = spBases.get(sp);
  if (b === undefined) { b = servicePortChainBase(sp.svc.ns, sp.svc.name, sp.proto, sp.port.name ?? ''); spBases.set(sp, b); }
  return b;
}
function epBase(sp: KpServicePort, ep: KpEndpoint): string {
  let b = epBases.get(ep);
  if (b === undefined) { b = endpointChainBase(sp.svc.ns, sp.svc.name, sp.proto, sp.port.name ?? '', ep.ip, ep.port); epBases.set(ep, b); }
  return b;
}

/** One node's `ip kube-proxy` (or `ip6 kube-proxy`) table. */
export function buildNftRuleset(r: Realised, node: RNode, family: Family): NftRuleset {
  const mark = (1 << r.config.nftMasqueradeBit) >>> 0;
  const det = detectorFor(r, node, family);
  const npIPs = nodePortIPs(r, node, family, nodePortAddressList(r));
  const svcCIDRs = r.config.serviceSubnets.map((c) => parseCIDR(c)).filter((c) => c.family === family);
  const rs = new NftRuleset(node, family, mark, det, npIPs, svcCIDRs);
  const rule = (chain: string, matches: NftMatch[], stmt: NftStmt, comment?: string, sp?: KpServicePort): NftRule => ({ chain, matches, stmt, comment, sp });
  const ch = (name: string, base?: NftChain['base'], comment?: string) => rs.addChain({ name, base, comment, rules: [] });
  const add = (c: NftChain, m: NftMatch[], s: NftStmt, comment?: string, sp?: KpServicePort) => { c.rules.push(rule(c.name, m, s, comment, sp)); };
  const newState: NftMatch[] = [{ m: 'ct-new' }];

  // base chains: filter at dstnat-10 (before DNAT), filter-output-post-dnat at dstnat+10; nft
  // names the priority (dstnat = -100, srcnat = 100) only on the hooks it is defined for
  const fPre = ch('filter-prerouting', { type: 'filter', hook: 'prerouting', priority: 'dstnat - 10' });
  const fIn = ch('filter-input', { type: 'filter', hook: 'input', priority: '-110' });
  const fFwd = ch('filter-forward', { type: 'filter', hook: 'forward', priority: '-110' });
  const fOut = ch('filter-output', { type: 'filter', hook: 'output', priority: '-110' });
  const fOutPost = ch('filter-output-post-dnat', { type: 'filter', hook: 'output', priority: '-90' });
  const nPre = ch('nat-prerouting', { type: 'nat', hook: 'prerouting', priority: 'dstnat' });
  const nOut = ch('nat-output', { type: 'nat', hook: 'output', priority: '-100' });
  const nPost = ch('nat-postrouting', { type: 'nat', hook: 'postrouting', priority: 'srcnat' });
  // nftablesJumpChains, in order
  const npCheck = ch('nodeport-endpoints-check'), svcCheck = ch('service-endpoints-check');
  const fwCheck = ch('firewall-check'), services = ch('services'), masq = ch(MASQUERADING), cipCheck = ch('cluster-ips-check');
  add(fIn, newState, { s: 'jump', chain: npCheck.name });
  add(fIn, newState, { s: 'jump', chain: svcCheck.name });
  add(fFwd, newState, { s: 'jump', chain: svcCheck.name });
  add(fOut, newState, { s: 'jump', chain: svcCheck.name });
  add(fPre, newState, { s: 'jump', chain: fwCheck.name });
  add(fOut, newState, { s: 'jump', chain: fwCheck.name });
  add(nOut, [], { s: 'jump', chain: services.name });
  add(nPre, [], { s: 'jump', chain: services.name });
  add(nPost, [], { s: 'jump', chain: masq.name });
  add(fFwd, newState, { s: 'jump', chain: cipCheck.name });
  add(fOutPost, newState, { s: 'jump', chain: cipCheck.name });
  const markMasq = ch(MARK_MASQ);
  add(markMasq, [], { s: 'mark-or', mark });
  add(masq, [{ m: 'unmarked', mark }], { s: 'return' });
  add(masq, [], { s: 'mark-xor', mark });
  add(masq, [], { s: 'masquerade' });

  const fam = family === 4 ? 'ipv4_addr' : 'ipv6_addr';
  const clusterIPs: NftSet = { kind: 'set', name: 'cluster-ips', type: fam, comment: 'Active ClusterIPs', elems: new Set() };
  rs.addSet(clusterIPs);
  add(cipCheck, [{ m: 'set', dir: 'daddr', set: clusterIPs.name }], { s: 'reject' }, 'Reject traffic to invalid ports of ClusterIPs');
  if (svcCIDRs.length) add(cipCheck, [{ m: 'addr', dir: 'daddr', neg: false, cidrs: svcCIDRs, braces: true }], { s: 'drop' }, 'Drop traffic to unallocated ClusterIPs');
  if (npIPs) {
    // loopback addresses are never put in nodeport-ips ("localhost NodePorts are not supported")
    rs.addSet({ kind: 'set', name: 'nodeport-ips', type: fam, comment: 'IPs that accept NodePort traffic', elems: new Set(npIPs.filter((ip) => !ip.startsWith('127.') && ip !== '::1')) });
  }
  const mk = (name: string, type: string, comment: string): NftMap => { const m: NftMap = { kind: 'map', name, type, comment, elems: new Map() }; rs.addSet(m); return m; };
  const addrKey = `${fam} . inet_proto . inet_service : verdict`;
  const noEpSvc = mk('no-endpoint-services', addrKey, 'vmap to drop or reject packets to services with no endpoints');
  const noEpNp = mk('no-endpoint-nodeports', 'inet_proto . inet_service : verdict', 'vmap to drop or reject packets to service nodeports with no endpoints');
  const reject = ch(REJECT_CHAIN, undefined, 'helper for @no-endpoint-services / @no-endpoint-nodeports');
  add(reject, [], { s: 'reject' });
  add(svcCheck, [], { s: 'vmap', key: 'addr', map: noEpSvc.name });
  const noLocalhost: NftMatch = { m: 'addr', dir: 'daddr', neg: true, cidrs: [parseCIDR(family === 4 ? '127.0.0.0/8' : '::1/128')] };
  const npDest: NftMatch[] = npIPs ? [{ m: 'set', dir: 'daddr', set: 'nodeport-ips' }] : [noLocalhost];
  add(npCheck, npDest, { s: 'vmap', key: 'port', map: noEpNp.name });
  const fwIPs = mk('firewall-ips', addrKey, 'destinations that are subject to LoadBalancerSourceRanges');
  add(fwCheck, [], { s: 'vmap', key: 'addr', map: fwIPs.name });
  const svcIPs = mk('service-ips', addrKey, 'ClusterIP, ExternalIP and LoadBalancer IP traffic');
  const svcNPs = mk('service-nodeports', 'inet_proto . inet_service : verdict', 'NodePort traffic');
  add(services, [], { s: 'vmap', key: 'addr', map: svcIPs.name });
  add(services, npIPs ? npDest : [{ m: 'fib-local', dir: 'daddr' }, noLocalhost], { s: 'vmap', key: 'port', map: svcNPs.name });

  const masqAll = r.config.nftMasqueradeAll;
  const nodeIP = node.ips.find((ip) => (ip.includes(':') ? 6 : 4) === family);
  const elem = (m: NftMap, key: string, value: NftVerdict, sp: KpServicePort, comment?: string) => { if (!m.elems.has(key)) m.elems.set(key, { key, value, comment, sp }); };
  const affinitySets: NftSet[] = [];

  for (const sp of servicePorts(r, family)) {
    const proto = sp.proto;
    const base = spBase(sp);
    const clusterChain = 'service-' + base, localChain = 'local-' + base, extChain = 'external-' + base, fwChain = 'firewall-' + base;
    const cat = categorize(sp, node.name);
    const epChain = (ep: KpEndpoint) => 'endpoint-' + epBase(sp, ep);
    const affSet = (ep: KpEndpoint) => 'affinity-' + epBase(sp, ep);
    const usesCluster = cat.cluster.length > 0 && usesClusterEndpoints(sp);
    const usesLocal = cat.local.length > 0 && usesLocalEndpoints(sp);
    let internalChain = clusterChain, hasInternal = cat.hasAny;
    if (sp.internalLocal) { internalChain = localChain; if (cat.local.length === 0) hasInternal = false; }
    let externalPolicy = clusterChain, hasExternal = cat.hasAny;
    if (sp.externalLocal) { externalPolicy = localChain; if (cat.local.length === 0) hasExternal = false; }
    const usesExt = cat.hasAny && sp.externallyAccessible;
    const intVerdict: NftVerdict = !cat.hasAny ? { v: 'goto', chain: REJECT_CHAIN } : { v: 'drop' };
    const extVerdict = intVerdict;
    const port = String(sp.port.port);

    // chains are created in this order: endpoint chains, the policy chains, external, firewall
    const epChains = new Map<KpEndpoint, NftChain>();
    for (const ep of cat.reachable) epChains.set(ep, ch(epChain(ep)));
    const cChain = usesCluster ? ch(clusterChain) : undefined;
    const lChain = usesLocal ? ch(localChain) : undefined;
    const xChain = usesExt ? ch(extChain) : undefined;
    const usesFW = sp.lbIPs.length > 0 && sp.sourceRanges.length > 0;
    const fChain = usesFW ? ch(fwChain) : undefined;

    clusterIPs.elems.add(sp.clusterIP);
    if (hasInternal) elem(svcIPs, `${sp.clusterIP} . ${proto} . ${port}`, { v: 'goto', chain: internalChain }, sp);
    else elem(noEpSvc, `${sp.clusterIP} . ${proto} . ${port}`, intVerdict, sp, sp.name);
    for (const ip of sp.externalIPs) {
      if (cat.hasAny) elem(svcIPs, `${ip} . ${proto} . ${port}`, { v: 'goto', chain: extChain }, sp);
      if (!hasExternal) elem(noEpSvc, `${ip} . ${proto} . ${port}`, extVerdict, sp, sp.name);
    }
    for (const ip of sp.lbIPs) {
      if (cat.hasAny) elem(svcIPs, `${ip} . ${proto} . ${port}`, { v: 'goto', chain: extChain }, sp);
      if (usesFW) elem(fwIPs, `${ip} . ${proto} . ${port}`, { v: 'goto', chain: fwChain }, sp);
    }
    if (!hasExternal) for (const ip of sp.lbIPs) elem(noEpSvc, `${ip} . ${proto} . ${port}`, extVerdict, sp, sp.name);
    if (sp.nodePort) {
      if (cat.hasAny) elem(svcNPs, `${proto} . ${sp.nodePort}`, { v: 'goto', chain: extChain }, sp);
      if (!hasExternal) elem(noEpNp, `${proto} . ${sp.nodePort}`, extVerdict, sp, sp.name);
    }

    // internal traffic: masquerade what is not from a local pod (or everything, masqueradeAll)
    if (hasInternal) {
      const c = internalChain === clusterChain ? cChain : lChain;
      const vip: NftMatch[] = [{ m: 'addr', dir: 'daddr', neg: false, cidrs: [host(sp.clusterIP)] }, { m: 'dport', proto, port: sp.port.port }];
      if (c && masqAll) add(c, vip, { s: 'jump', chain: MARK_MASQ }, undefined, sp);
      else if (c && det) add(c, [...vip, ...ifLocal(det, family, true)], { s: 'jump', chain: MARK_MASQ }, undefined, sp);
    }
    if (xChain) {
      if (!sp.externalLocal) add(xChain, [], { s: 'jump', chain: MARK_MASQ }, undefined, sp);
      else {
        if (det) add(xChain, ifLocal(det, family, false), { s: 'goto', chain: clusterChain }, 'short-circuit pod traffic', sp);
        add(xChain, [{ m: 'fib-local', dir: 'saddr' }], { s: 'jump', chain: MARK_MASQ }, 'masquerade local traffic', sp);
        add(xChain, [{ m: 'fib-local', dir: 'saddr' }], { s: 'goto', chain: clusterChain }, 'short-circuit local traffic', sp);
      }
      if (hasExternal) add(xChain, [], { s: 'goto', chain: externalPolicy }, undefined, sp);
    }
    if (fChain) {
      const sources = sp.sourceRanges.slice();
      if (nodeIP && sp.sourceRanges.some((c) => cidrContains(c, nodeIP))) for (const ip of sp.lbIPs) sources.push(host(ip));
      add(fChain, [{ m: 'addr', dir: 'saddr', neg: true, cidrs: sources, braces: true }], { s: 'drop' }, undefined, sp);
    }
    if (sp.affinity) {
      for (const ep of cat.reachable) affinitySets.push({ kind: 'set', name: affSet(ep), type: fam, elems: new Set(), timeout: sp.affinitySeconds });
    }
    const lb = (c: NftChain, eps: KpEndpoint[]) => {
      if (sp.affinity) for (const ep of eps) add(c, [{ m: 'set', dir: 'saddr', set: affSet(ep) }], { s: 'goto', chain: epChain(ep) }, undefined, sp);
      add(c, [], { s: 'numgen', targets: eps.map(epChain) }, undefined, sp);
    };
    if (cChain) lb(cChain, cat.cluster);
    if (lChain) lb(lChain, cat.local);
    for (const [ep, c] of epChains) {
      add(c, [{ m: 'addr', dir: 'saddr', neg: false, cidrs: [host(ep.ip)] }], { s: 'jump', chain: MARK_MASQ }, undefined, sp);
      if (sp.affinity) add(c, [], { s: 'update', set: affSet(ep) }, undefined, sp);
      add(c, [{ m: 'l4proto', proto }], { s: 'dnat', ip: ep.ip, port: ep.port }, undefined, sp);
    }
  }
  for (const s of affinitySets) rs.addSet(s);
  return rs;
}

const cache = new WeakMap<Realised, Map<string, NftRuleset>>();
const CACHE_SIZE = 8;

/** The node's nftables ruleset (cached per cluster; at most 8 nodes kept). */
export function nftRuleset(r: Realised, node: RNode, family: Family = 4): NftRuleset {
  let m = cache.get(r);
  if (!m) { m = new Map(); cache.set(r, m); }
  const key = `${node.name}|${family}`;
  let rs = m.get(key);
  if (rs) { m.delete(key); m.set(key, rs); return rs; }
  rs = buildNftRuleset(r, node, family);
  m.set(key, rs);
  while (m.size > CACHE_SIZE) m.delete(m.keys().next().value as string);
  return rs;
}
