// kube-proxy: the rules it writes on each node (iptables or ipvs mode) and how they act on packets.
import type { Family } from '../net/ip';
import type { RNode, Realised } from '../model/realised';
import { nodeRuleset } from './iptables/build';
import { renderIptablesSave } from './iptables/save';
import { renderIpvsadm, IPVS_HEADER } from './ipvs/ipvsadm';
import { parseIpvsRuntime } from './ipvs/runtime';
import { proxyState, iptablesDnat } from './hooks';
import { ruleText } from './iptables/rules';
import type { KpServicePort } from './serviceports';
import { mulberry32 } from '../cni';
import { nftRuleset } from './nftables/build';
import { renderNft } from './nftables/render';

export { kubeProxyHooks, proxyState, resetProxyState, iptablesDnat, iptablesSnat, ipvsDnat, ipvsSnat, ProxyState, BY } from './hooks';
export { servicePorts, categorize, localDetectorCIDR, detectorFor, type Detector, type KpServicePort, type KpEndpoint, type Categorized } from './serviceports';
export { nodeRuleset, clusterRules, buildFragment, NodeRuleset, ClusterRules, CHAINS, type Chain, type Fragment } from './iptables/build';
export { ruleText, ruleComment, probabilityRaw, probabilityText, saveString, MASQ_MARK, type Rule, type Match, type Target, type TableName } from './iptables/rules';
export { walkTable, toWalkPacket, type WalkEnv, type WalkPacket, type WalkResult } from './iptables/walk';
export { renderIptablesSave, IPTABLES_VERSION } from './iptables/save';
export { buildIpvsNode, IpvsNode, vsKey, type VirtualServer, type RealServer } from './ipvs/build';
export { renderIpvsadm, IPVS_HEADER } from './ipvs/ipvsadm';
export { schedule, hash32, type SchedState } from './ipvs/sched';
export { portProtoHash, svcChain, sepChain, extChain, fwChain, svlChain } from './hash';
export { realiseFixture, type Fixture } from './fixtures';
export { nftablesDnat, nftablesSnat } from './hooks';
export { nftRuleset, buildNftRuleset, hashAndTruncate, servicePortChainBase, endpointChainBase, NftRuleset, type NftRule, type NftChain } from './nftables/build';
export { renderNft, nftRuleText } from './nftables/render';
export { nftWalk } from './nftables/walk';
export { parseIpvsRuntime, type IpvsRuntime, type RealServerRuntime } from './ipvs/runtime';

/**
 * Gives node `nodeName` the runtime state of its IPVS table (connection counters and weights, YAML
 * keyed as ipvsadm -Ln lists the table): the schedulers see it from then on. Returns the located
 * NS-IPVS-STATE errors (none: applied).
 */
export function setIpvsRuntime(r: Realised, nodeName: string, text: string, file: string, lineOffset = 0, colOffset = 0): import('../model/errors').InputError[] {
  const node = r.nodeByName.get(nodeName);
  if (!node) return [{ code: 'NS-IPVS-STATE', message: `no node "${nodeName}" for the IPVS state in ${file}`, hint: `nodes: ${r.nodes.map((x) => x.name).join(', ') || 'none'}` }];
  if (r.config.proxyMode !== 'ipvs') return [{ code: 'NS-IPVS-STATE', message: `kube-proxy runs in ${r.config.proxyMode} mode: node ${nodeName} has no IPVS table for the state in ${file}`, pos: { file, line: 1 + lineOffset, col: 1 + colOffset }, hint: 'set mode: ipvs in the KubeProxyConfiguration' }];
  const st = proxyState(r);
  const fams: Family[] = r.config.serviceSubnets.some((c) => c.includes(':')) ? [4, 6] : [4];
  const tables = fams.map((f) => st.ipvsNode(node, f));
  const both = {
    lookup: (p: string, vip: string, port: number) => tables.map((t) => t.lookup(p, vip, port)).find(Boolean),
    *[Symbol.iterator]() { for (const t of tables) yield* t; },
  };
  const { runtime, errors } = parseIpvsRuntime(text, file, nodeName, both, lineOffset, colOffset);
  if (!errors.length) st.sched.runtime.set(nodeName, runtime);
  return errors;
}
export { kubeProxyHttp, serviceHealth, proxyHealthz, localReadyEndpoints, healthCheckService, nodeIneligible, KUBE_PROXY_HEALTHZ_PORT, TO_BE_DELETED_TAINT, type HealthAnswer } from './healthcheck';
export { nodeAddrs, nodePortIPs, nodePortAddressList, type NodeAddrs } from './addresses';

function nodeOf(r: Realised, nodeName: string): RNode {
  const n = r.nodeByName.get(nodeName);
  if (!n) throw new Error(`no node "${nodeName}" (nodes: ${r.nodes.map((x) => x.name).join(', ') || 'none'})`);
  return n;
}

/** The node's kube-proxy rules as `iptables-save` prints them (iptables mode, or ipvs mode's helper rules). */
export function iptablesSave(r: Realised, nodeName: string, family: Family = 4): string {
  const node = nodeOf(r, nodeName);
  if (r.config.proxyMode === 'ipvs') return renderIptablesSave(proxyState(r).ipvsNode(node, family));
  // nftables mode writes no iptables rule at all
  if (r.config.proxyMode === 'nftables') return '';
  return renderIptablesSave(nodeRuleset(r, node, family));
}

/**
 * The node's kube-proxy table as `nft list ruleset` prints it (nftables mode; loadable with
 * `nft -f`). In the other modes kube-proxy writes no nftables table: the empty string.
 */
export function nftListRuleset(r: Realised, nodeName: string, family?: Family): string {
  const node = nodeOf(r, nodeName);
  if (r.config.proxyMode !== 'nftables') return '';
  if (family) return renderNft(nftRuleset(r, node, family));
  // both tables when the cluster has IPv6 services (kube-proxy runs one proxier per family)
  const fams: Family[] = r.config.serviceSubnets.some((c) => c.includes(':')) ? [4, 6] : [4];
  return fams.map((f) => renderNft(nftRuleset(r, node, f))).join('');
}

export interface NftCounts { chains: number; rules: number; elements: number; sets: number }

/** How many chains, rules and set/map elements a node's kube-proxy table holds (nftables mode). */
export function nftCounts(r: Realised, nodeName: string, family: Family = 4): NftCounts {
  return nftRuleset(r, nodeOf(r, nodeName), family).counts();
}

/**
 * The node's IPVS table as `ipvsadm -Ln` prints it. In iptables mode kube-proxy programs no
 * virtual server, so only the header is printed (as on a real iptables-mode node).
 */
export function ipvsadm(r: Realised, nodeName: string, family: Family = 4): string {
  const node = nodeOf(r, nodeName);
  if (r.config.proxyMode !== 'ipvs') return IPVS_HEADER.join('\n') + '\n';
  const st = proxyState(r);
  return renderIpvsadm(st.ipvsNode(node, family), st.sched.runtime.get(node.name));
}

export interface RuleCounts {
  /** rules kube-proxy writes with iptables-restore (its sync_proxy_rules_iptables_total metric) */
  filterRules: number;
  natRules: number;
  /** rules iptables-save shows, with the jumps from the built-in chains */
  filterSaved: number;
  natSaved: number;
  natChains: number;
  filterChains: number;
  /** rules in nat KUBE-SERVICES (the chain every new connection walks) */
  kubeServices: number;
}

/** How many rules a node holds in iptables mode. */
export function ruleCounts(r: Realised, nodeName: string, family: Family = 4): RuleCounts {
  const rs = nodeRuleset(r, nodeOf(r, nodeName), family);
  const c = rs.ruleCounts();
  const builtin = (t: 'filter' | 'nat') => rs.chainNames(t).map((n) => rs.chain(t, n)!).filter((x) => x.builtin).reduce((s, x) => s + x.rules.length, 0);
  return {
    filterRules: c.filter - builtin('filter'), natRules: c.nat - builtin('nat'),
    filterSaved: c.filter, natSaved: c.nat, filterChains: c.filterChains, natChains: c.natChains,
    kubeServices: rs.chain('nat', 'KUBE-SERVICES')!.rules.length,
  };
}

/** How many nat rules on a node belong to the services of namespace `ns` (every chain). */
export function natRulesOfNamespace(r: Realised, nodeName: string, ns: string, family: Family = 4): number {
  const rs = nodeRuleset(r, nodeOf(r, nodeName), family);
  let k = 0;
  for (const name of rs.chainNames('nat')) for (const rule of rs.chain('nat', name)!.rules) if (rule.sp?.svc.ns === ns) k++;
  return k;
}

export interface KubeServicesPosition {
  /** 1-based: the rules the kernel checks in nat KUBE-SERVICES until the service's jump matches */
  position: number;
  /** rules in KUBE-SERVICES */
  of: number;
  /** the matching rule, as iptables-save prints it */
  rule: string;
  /** rules evaluated in all tables by an unindexed walk of a new connection to the service */
  evaluated: number;
}

/**
 * Where a service port's jump sits in nat KUBE-SERVICES on a node (the kernel walks the chain rule
 * by rule), with what a full, unindexed walk of a new connection to its cluster IP evaluates.
 * Null when KUBE-SERVICES holds no rule for it.
 */
export function kubeServicesPosition(r: Realised, nodeName: string, sp: KpServicePort): KubeServicesPosition | null {
  const node = nodeOf(r, nodeName);
  const rules = nodeRuleset(r, node).chain('nat', 'KUBE-SERVICES')!.rules;
  const pos = rules.findIndex((x) => x.sp === sp);
  if (pos < 0) return null;
  const res = iptablesDnat(r, node, { proto: sp.protocol, src: '10.244.0.250', sport: 40000, dst: sp.clusterIP, dport: sp.port.port }, 'PREROUTING',
    { realised: r, random: mulberry32(1), inIface: 'veth' }, { useIndex: false, full: true });
  return { position: pos + 1, of: rules.length, rule: ruleText(rules[pos]), evaluated: res.evaluated };
}

/** An address kube-proxy DNATs from: a service VIP it programs (cluster, external, load balancer IP) or a node's IP (NodePorts). */
export function isServiceAddress(r: Realised, ip: string): boolean {
  return proxyState(r).isVip(ip) || r.nodeByIP.has(ip);
}
