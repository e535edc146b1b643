// kube-proxy's ipvs mode on one node (pkg/proxy/ipvs/proxier.go): a virtual server per cluster IP,
// external IP, load-balancer IP and, for NodePorts, per node address; real servers are the
// endpoints (weight 1); every VIP is bound to the kube-ipvs0 dummy interface; masquerading is
// decided by a handful of iptables rules matching ipsets (writeIptablesRules).
import { cidrContains, ipToBigInt, ipv4ToInt, type Family } from '../../net/ip';
import type { Protocol } from '../../net/packet';
import type { RNode, Realised } from '../../model/realised';
import { familyOf, nodeAddrs } from '../addresses';
import { isLoopback } from '../../cni';
import { categorize, localDetectorCIDR, servicePorts, type KpEndpoint, type KpServicePort } from '../serviceports';
import type { Chain } from '../iptables/build';
import { byteOrder } from '../iptables/build';
import { masqMark, addr, comment, jump, mkRule, type Match, type Rule, type TableName } from '../iptables/rules';
import { addNet, newSets, type IpSet } from './ipset';

export type VsKind = 'cluster IP' | 'external IP' | 'load balancer IP' | 'node port';

export interface RealServer {
  ip: string;
  port: number;
  weight: number;
  ep: KpEndpoint;
}

export interface VirtualServer {
  /** "TCP|10.96.0.10|53" */
  key: string;
  protocol: Protocol;
  vip: string;
  port: number;
  scheduler: string;
  /** sessionAffinity ClientIP: persistence timeout (seconds) */
  persistent?: number;
  kind: VsKind;
  sp: KpServicePort;
  /** real servers in the kernel's list order (netspec: address then port, as ipvsadm lists them) */
  reals: RealServer[];
  /** externalTrafficPolicy Local without a local endpoint: kube-proxy falls back to every endpoint */
  localFallback: boolean;
}

export const IPVS_CHAINS = {
  services: 'KUBE-SERVICES', postrouting: 'KUBE-POSTROUTING', nodePort: 'KUBE-NODE-PORT', loadBalancer: 'KUBE-LOAD-BALANCER',
  markMasq: 'KUBE-MARK-MASQ', forward: 'KUBE-FORWARD', proxyFirewall: 'KUBE-PROXY-FIREWALL',
  sourceRanges: 'KUBE-SOURCE-RANGES-FIREWALL', ipvsFilter: 'KUBE-IPVS-FILTER', ipvsOutFilter: 'KUBE-IPVS-OUT-FILTER',
} as const;

export function vsKey(protocol: string, vip: string, port: number): string { return `${protocol.toUpperCase()}|${vip}|${port}`; }

const PROTO_ORDER: Record<string, number> = { TCP: 6, UDP: 17, SCTP: 132 };

function cmpAddr(a: string, b: string): number {
  const p = ipv4ToInt(a), q = ipv4ToInt(b);
  if (p >= 0 && q >= 0) return p - q;
  const x = ipToBigInt(a), y = ipToBigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export class IpvsNode implements Iterable<VirtualServer> {
  readonly vs = new Map<string, VirtualServer>();
  /** addresses on kube-ipvs0 */
  readonly bound = new Set<string>();
  readonly sets = newSets();
  readonly filter = new Map<string, Chain>();
  readonly nat = new Map<string, Chain>();
  constructor(readonly node: RNode, readonly family: Family) {}

  [Symbol.iterator](): Iterator<VirtualServer> { return this.sorted()[Symbol.iterator](); }

  /** Virtual servers as `ipvsadm -Ln` sorts them: protocol, address, port. */
  sorted(): VirtualServer[] {
    return [...this.vs.values()].sort((a, b) =>
      (PROTO_ORDER[a.protocol] - PROTO_ORDER[b.protocol]) || cmpAddr(a.vip, b.vip) || a.port - b.port);
  }

  lookup(protocol: string, vip: string, port: number): VirtualServer | undefined { return this.vs.get(vsKey(protocol, vip, port)); }

  chain(table: TableName, name: string): Chain | undefined { return (table === 'filter' ? this.filter : this.nat).get(name); }

  chainNames(table: TableName): string[] {
    const cs = [...(table === 'filter' ? this.filter : this.nat).values()];
    return [...cs.filter((c) => c.builtin).map((c) => c.name), ...cs.filter((c) => !c.builtin).map((c) => c.name).sort(byteOrder)];
  }

  set(name: string): IpSet { return this.sets.get(name)!; }
}

function reals(eps: KpEndpoint[]): RealServer[] {
  return eps.map((ep) => ({ ip: ep.ip, port: ep.port, weight: 1, ep })).sort((a, b) => cmpAddr(a.ip, b.ip) || a.port - b.port);
}

/** Builds one node's IPVS table, kube-ipvs0 addresses, ipsets and iptables rules. */
export function buildIpvsNode(r: Realised, node: RNode, family: Family = 4): IpvsNode {
  const n = new IpvsNode(node, family);
  const sched = r.config.ipvsScheduler;
  const addrs = nodeAddrs(r, node);
  const nodeIPs = [...addrs.all].filter((ip) => familyOf(ip) === family && !isLoopback(ip));
  const nodeAddrSet = new Set(nodeIPs);
  const nodeIP = node.ips.find((ip) => familyOf(ip) === family);
  const lbNoNodeAccess: { ip: string; proto: KpServicePort['proto']; port: number }[] = [];
  const S = (name: string) => n.set(name);

  for (const sp of servicePorts(r, family)) {
    const cat = categorize(sp, node.name);
    const proto = sp.proto;
    const pick = (onlyLocal: boolean): { eps: KpEndpoint[]; fallback: boolean } => {
      if (!onlyLocal) return { eps: cat.cluster, fallback: false };
      if (cat.local.length > 0) return { eps: cat.local, fallback: false };
      // kubernetes#97081: no local endpoint, so every endpoint (external clients lose the reply)
      return { eps: cat.cluster, fallback: true };
    };
    const addVS = (vip: string, port: number, kind: VsKind, onlyLocal: boolean) => {
      const { eps, fallback } = pick(onlyLocal);
      const v: VirtualServer = {
        key: vsKey(sp.protocol, vip, port), protocol: sp.protocol, vip, port, scheduler: sched, kind, sp,
        persistent: sp.affinity ? sp.affinitySeconds : undefined, reals: reals(eps), localFallback: fallback && kind !== 'cluster IP',
      };
      if (!n.vs.has(v.key)) n.vs.set(v.key, v);
    };

    // hairpin: local endpoints reaching themselves
    for (const ep of sp.endpoints) if (ep.nodeName === node.name) S('KUBE-LOOP-BACK').entries.add(`${ep.ip},${proto}:${ep.port},${ep.ip}`);

    S('KUBE-CLUSTER-IP').entries.add(`${sp.clusterIP},${proto}:${sp.port.port}`);
    addVS(sp.clusterIP, sp.port.port, 'cluster IP', sp.internalLocal);
    n.bound.add(sp.clusterIP);

    for (const ip of sp.externalIPs) {
      S(sp.externalLocal ? 'KUBE-EXTERNAL-IP-LOCAL' : 'KUBE-EXTERNAL-IP').entries.add(`${ip},${proto}:${sp.port.port}`);
      addVS(ip, sp.port.port, 'external IP', sp.externalLocal);
      if (!nodeAddrSet.has(ip)) n.bound.add(ip);
    }

    for (const ip of sp.lbIPs) {
      const e = `${ip},${proto}:${sp.port.port}`;
      S('KUBE-LOAD-BALANCER').entries.add(e);
      if (sp.externalLocal) S('KUBE-LOAD-BALANCER-LOCAL').entries.add(e);
      if (sp.sourceRanges.length) {
        S('KUBE-LOAD-BALANCER-FW').entries.add(e);
        let allowFromNode = false;
        for (const c of sp.sourceRanges) {
          addNet(S('KUBE-LOAD-BALANCER-SOURCE-CIDR'), ip, proto, sp.port.port, c);
          if (nodeIP && cidrContains(c, nodeIP)) allowFromNode = true;
        }
        if (allowFromNode) S('KUBE-LOAD-BALANCER-SOURCE-IP').entries.add(`${e},${ip}`);
        else lbNoNodeAccess.push({ ip, proto, port: sp.port.port });
      }
      addVS(ip, sp.port.port, 'load balancer IP', sp.externalLocal);
      if (!nodeAddrSet.has(ip)) n.bound.add(ip);
    }

    if (sp.nodePort && nodeIPs.length) {
      if (proto === 'sctp') {
        for (const ip of nodeIPs) {
          S('KUBE-NODE-PORT-SCTP-HASH').entries.add(`${ip},sctp:${sp.nodePort}`);
          if (sp.externalLocal) S('KUBE-NODE-PORT-LOCAL-SCTP-HASH').entries.add(`${ip},sctp:${sp.nodePort}`);
        }
      } else {
        const P = proto.toUpperCase();
        S(`KUBE-NODE-PORT-${P}`).entries.add(String(sp.nodePort));
        if (sp.externalLocal) S(`KUBE-NODE-PORT-LOCAL-${P}`).entries.add(String(sp.nodePort));
      }
      for (const ip of nodeIPs) addVS(ip, sp.nodePort, 'node port', sp.externalLocal);
    }

    if (sp.healthCheckNodePort) S('KUBE-HEALTH-CHECK-NODE-PORT').entries.add(String(sp.healthCheckNodePort));
  }
  for (const ip of n.bound) S('KUBE-IPVS-IPS').entries.add(ip);
  writeRules(r, n, lbNoNodeAccess);
  return n;
}

/** writeIptablesRules of the ipvs proxier, plus the jumps it links from the built-in chains. */
function writeRules(r: Realised, n: IpvsNode, lbNoNodeAccess: { ip: string; proto: KpServicePort['proto']; port: number }[]): void {
  const fam = n.family;
  const C = IPVS_CHAINS;
  const mk = (table: TableName, name: string, builtin = false) => {
    const c: Chain = { table, name, builtin, rules: [] };
    (table === 'filter' ? n.filter : n.nat).set(name, c);
    return c;
  };
  for (const b of ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING']) mk('nat', b, true);
  for (const b of ['INPUT', 'FORWARD', 'OUTPUT']) mk('filter', b, true);
  for (const c of [C.services, C.postrouting, C.nodePort, C.loadBalancer, C.markMasq]) mk('nat', c);
  for (const c of [C.forward, C.nodePort, C.proxyFirewall, C.sourceRanges, C.ipvsFilter, C.ipvsOutFilter]) mk('filter', c);
  const add = (table: TableName, chain: string, spec: Parameters<typeof mkRule>[3]) => n.chain(table, chain)!.rules.push(mkRule(table, chain, fam, spec));
  const empty = (name: string) => n.set(name).entries.size === 0;
  const setMatch = (name: string, dirs: string): Match => ({ m: 'set', name, dirs });
  const withComment = (name: string): Match => comment(n.set(name).comment);

  // jumps from built-in chains (each prepended, so the last one linked comes first)
  add('nat', 'PREROUTING', { matches: [comment('kubernetes service portals')], target: jump(C.services) });
  add('nat', 'OUTPUT', { matches: [comment('kubernetes service portals')], target: jump(C.services) });
  add('nat', 'POSTROUTING', { matches: [comment('kubernetes postrouting rules')], target: jump(C.postrouting) });
  add('filter', 'INPUT', { matches: [comment('kubernetes ipvs access filter')], target: jump(C.ipvsFilter) });
  add('filter', 'INPUT', { matches: [comment('kube-proxy firewall rules')], target: jump(C.proxyFirewall) });
  add('filter', 'INPUT', { matches: [comment('kubernetes health check rules')], target: jump(C.nodePort) });
  add('filter', 'FORWARD', { matches: [comment('kube-proxy firewall rules')], target: jump(C.proxyFirewall) });
  add('filter', 'FORWARD', { matches: [comment('kubernetes forwarding rules')], target: jump(C.forward) });
  add('filter', 'OUTPUT', { matches: [comment('kubernetes ipvs access filter')], target: jump(C.ipvsOutFilter) });

  // dismiss connections from localhost early
  add('nat', C.services, { src: addr(fam === 6 ? '::1/128' : '127.0.0.0/8'), target: { t: 'RETURN' } });

  const withSets: { name: string; table: TableName; from: string; to: string; dirs: string; proto?: 'tcp' | 'udp' | 'sctp' }[] = [
    { name: 'KUBE-LOOP-BACK', table: 'nat', from: C.postrouting, to: 'MASQUERADE', dirs: 'dst,dst,src' },
    { name: 'KUBE-LOAD-BALANCER', table: 'nat', from: C.services, to: C.loadBalancer, dirs: 'dst,dst' },
    { name: 'KUBE-LOAD-BALANCER-LOCAL', table: 'nat', from: C.loadBalancer, to: 'RETURN', dirs: 'dst,dst' },
    { name: 'KUBE-NODE-PORT-LOCAL-TCP', table: 'nat', from: C.nodePort, to: 'RETURN', dirs: 'dst', proto: 'tcp' },
    { name: 'KUBE-NODE-PORT-TCP', table: 'nat', from: C.nodePort, to: C.markMasq, dirs: 'dst', proto: 'tcp' },
    { name: 'KUBE-NODE-PORT-LOCAL-UDP', table: 'nat', from: C.nodePort, to: 'RETURN', dirs: 'dst', proto: 'udp' },
    { name: 'KUBE-NODE-PORT-UDP', table: 'nat', from: C.nodePort, to: C.markMasq, dirs: 'dst', proto: 'udp' },
    { name: 'KUBE-NODE-PORT-LOCAL-SCTP-HASH', table: 'nat', from: C.nodePort, to: 'RETURN', dirs: 'dst,dst', proto: 'sctp' },
    { name: 'KUBE-NODE-PORT-SCTP-HASH', table: 'nat', from: C.nodePort, to: C.markMasq, dirs: 'dst,dst', proto: 'sctp' },
    { name: 'KUBE-LOAD-BALANCER-FW', table: 'filter', from: C.proxyFirewall, to: C.sourceRanges, dirs: 'dst,dst' },
    { name: 'KUBE-LOAD-BALANCER-SOURCE-CIDR', table: 'filter', from: C.sourceRanges, to: 'RETURN', dirs: 'dst,dst,src' },
    { name: 'KUBE-LOAD-BALANCER-SOURCE-IP', table: 'filter', from: C.sourceRanges, to: 'RETURN', dirs: 'dst,dst,src' },
  ];
  for (const s of withSets) {
    if (empty(s.name)) continue;
    const target = s.to === 'MASQUERADE' ? { t: 'MASQUERADE' as const, randomFully: false } : s.to === 'RETURN' ? { t: 'RETURN' as const } : jump(s.to);
    add(s.table, s.from, { proto: s.proto, matches: [withComment(s.name), setMatch(s.name, s.dirs)], target });
  }

  const detector = localDetectorCIDR(r, fam);
  const mark = masqMark(r.config);
  if (!empty('KUBE-CLUSTER-IP')) {
    const base = [withComment('KUBE-CLUSTER-IP')];
    if (r.config.masqueradeAll) add('nat', C.services, { matches: [...base, setMatch('KUBE-CLUSTER-IP', 'dst,dst')], target: jump(C.markMasq) });
    else if (detector) add('nat', C.services, { src: addr(detector.text, true), matches: [...base, setMatch('KUBE-CLUSTER-IP', 'dst,dst')], target: jump(C.markMasq) });
    else add('nat', C.services, { matches: [...base, setMatch('KUBE-CLUSTER-IP', 'src,dst')], target: jump(C.markMasq) });
  }
  const externalIPRules = (name: string) => {
    const base = [withComment(name), setMatch(name, 'dst,dst')];
    add('nat', C.services, { matches: [...base, { m: 'physdev-not-in' }, { m: 'addrtype', dir: 'src', neg: true }], target: { t: 'ACCEPT' } });
    add('nat', C.services, { matches: [...base, { m: 'addrtype', dir: 'dst' }], target: { t: 'ACCEPT' } });
  };
  if (!empty('KUBE-EXTERNAL-IP')) {
    add('nat', C.services, { matches: [withComment('KUBE-EXTERNAL-IP'), setMatch('KUBE-EXTERNAL-IP', 'dst,dst')], target: jump(C.markMasq) });
    externalIPRules('KUBE-EXTERNAL-IP');
  }
  if (!empty('KUBE-EXTERNAL-IP-LOCAL')) externalIPRules('KUBE-EXTERNAL-IP-LOCAL');
  add('nat', C.services, { matches: [{ m: 'addrtype', dir: 'dst' }], target: jump(C.nodePort) });
  add('nat', C.loadBalancer, { target: jump(C.markMasq) });
  add('filter', C.sourceRanges, { target: { t: 'DROP' } });
  for (const e of lbNoNodeAccess) {
    add('filter', C.ipvsOutFilter, { src: addr(e.ip), matches: [{ m: 'ipvs', vaddr: e.ip, vproto: e.proto, vport: e.port }], target: { t: 'DROP' } });
  }
  for (const name of ['KUBE-CLUSTER-IP', 'KUBE-LOAD-BALANCER']) {
    if (!empty(name)) add('nat', C.services, { matches: [setMatch(name, 'dst,dst')], target: { t: 'ACCEPT' } });
  }
  add('filter', C.forward, { matches: [comment('kubernetes forwarding rules'), { m: 'mark', value: mark, mask: mark }], target: { t: 'ACCEPT' } });
  add('filter', C.forward, { matches: [comment('kubernetes forwarding conntrack rule'), { m: 'conntrack', states: ['RELATED', 'ESTABLISHED'] }], target: { t: 'ACCEPT' } });
  add('filter', C.nodePort, { matches: [withComment('KUBE-HEALTH-CHECK-NODE-PORT'), setMatch('KUBE-HEALTH-CHECK-NODE-PORT', 'dst')], target: { t: 'ACCEPT' } });
  for (const name of ['KUBE-LOAD-BALANCER', 'KUBE-CLUSTER-IP', 'KUBE-EXTERNAL-IP', 'KUBE-EXTERNAL-IP-LOCAL']) {
    add('filter', C.ipvsFilter, { matches: [setMatch(name, 'dst,dst')], target: { t: 'RETURN' } });
  }
  add('filter', C.ipvsFilter, { matches: [setMatch('KUBE-HEALTH-CHECK-NODE-PORT', 'dst')], target: { t: 'RETURN' } });
  add('filter', C.ipvsFilter, { matches: [{ m: 'conntrack', states: ['NEW'] }, setMatch('KUBE-IPVS-IPS', 'dst')], target: { t: 'REJECT' } });
  add('nat', C.postrouting, { matches: [{ m: 'mark', value: mark, mask: mark, neg: true }], target: { t: 'RETURN' } });
  add('nat', C.postrouting, { target: { t: 'MARK', value: mark, mask: 0 } });
  add('nat', C.postrouting, { matches: [comment('kubernetes service traffic requiring SNAT')], target: { t: 'MASQUERADE', randomFully: true } });
  add('nat', C.markMasq, { target: { t: 'MARK', value: mark, mask: mark } });
}

