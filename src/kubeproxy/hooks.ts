// kube-proxy in the data plane: the NetfilterHooks the CNI's packet walk calls on every node the
// packet crosses. iptables mode walks the node's real ruleset (nat, then filter INPUT / FORWARD /
// OUTPUT after the routing decision); ipvs mode walks its iptables rules for the masquerade
// decisions, then looks the virtual server up and schedules a real server.
//
// State that outlives one connection — `-m recent` lists (sessionAffinity), IPVS round-robin
// positions, active connections and persistence templates — lives with the hooks, one set per
// realised cluster (kubeProxyHooks returns the same object for the same cluster).
import { cidrContains, hostPort, ipv4ToInt, parseCIDR, type Cidr, type Family } from '../net/ip';
import type { Packet } from '../net/packet';
import type { Hop } from '../net/trace';
import { posOf } from '../model/types';
import type { RNode, Realised } from '../model/realised';
import type { HookContext, HookResult, NatEntry, NetfilterHooks } from '../cni/types';
import { familyOf, masqueradeAddress, nodeAddrs } from './addresses';
import { isLoopback } from '../cni';
import { servicePorts } from './serviceports';
import { nodeRuleset } from './iptables/build';
import { masqMark, ruleText } from './iptables/rules';
import { toWalkPacket, walkTable, type RecentLists, type WalkEnv, type WalkPacket } from './iptables/walk';
import { buildIpvsNode, type IpvsNode } from './ipvs/build';
import { setMatches } from './ipvs/ipset';
import { newSchedState, rsKey, schedule, type SchedState } from './ipvs/sched';
import { nftRuleset } from './nftables/build';
import { nftWalk, type DynamicSets, type NftEnv, type NftPacket } from './nftables/walk';
import { nftRuleText } from './nftables/render';
import { createHash } from 'node:crypto';

export const BY = 'kube-proxy';

/** Per-cluster kube-proxy state: quick "could this packet concern kube-proxy" sets and the runtime state. */
export class ProxyState {
  /** every VIP kube-proxy programs (cluster IPs, external IPs, LB IPs) */
  readonly vips = new Set<string>();
  /** "tcp|30080": every NodePort (and health check node port) */
  readonly nodePorts = new Set<string>();
  private readonly nodePortNums = new Set<number>();
  /**
   * One bit per IPv4 /16 holding a VIP: an address in any other /16 (most pod addresses) is no VIP
   * without a look into `vips` (a small table that stays in the CPU cache, where `vips` does not).
   */
  private readonly vip16 = new Uint32Array(2048);
  readonly recent = new Map<string, RecentLists>();
  /** nftables mode: the dynamic (affinity) sets of each node */
  readonly dynSets = new Map<string, DynamicSets>();
  /** the service ranges (nftables mode drops what is sent to an unallocated address in them) */
  private readonly svcCIDRs: Cidr[];
  readonly sched: SchedState = newSchedState();
  private readonly ipvsNodes = new Map<string, IpvsNode>();
  /** virtual clock (seconds) for -m recent and IPVS persistence; steps may advance it */
  now = 0;

  constructor(readonly realised: Realised) {
    for (const fam of [4, 6] as Family[]) {
      for (const sp of servicePorts(realised, fam)) {
        this.vips.add(sp.clusterIP);
        for (const ip of sp.externalIPs) this.vips.add(ip);
        for (const ip of sp.lbIPs) this.vips.add(ip);
        if (sp.nodePort) { this.nodePorts.add(`${sp.proto}|${sp.nodePort}`); this.nodePortNums.add(sp.nodePort); }
        if (sp.healthCheckNodePort) { this.nodePorts.add(`tcp|${sp.healthCheckNodePort}`); this.nodePortNums.add(sp.healthCheckNodePort); }
      }
    }
    this.svcCIDRs = realised.config.serviceSubnets.map((c) => parseCIDR(c));
    for (const ip of this.vips) {
      const n = ipv4ToInt(ip);
      if (n >= 0) this.vip16[n >>> 21] |= 1 << ((n >>> 16) & 31);
    }
  }

  /**
   * Back to a kube-proxy that has seen no connection: clock at 0, no `-m recent` entries, no
   * nftables affinity set elements, no IPVS positions, connections, persistence templates or
   * given runtime state (a realised cluster shared by another scenario starts as a freshly
   * built one does).
   */
  resetRuntime(): void {
    this.now = 0;
    this.recent.clear();
    this.dynSets.clear();
    // every table of the schedulers' state: rr positions, connections made, persistence
    // templates, the IPVS runtime state a scenario gave a node (sched.ts SchedState)
    for (const table of Object.values(this.sched)) if (table instanceof Map) table.clear();
  }

  /** vips.has(ip), answered from the /16 bitmap when it can */
  isVip(ip: string): boolean {
    const n = ipv4ToInt(ip);
    if (n >= 0 && (this.vip16[n >>> 21] & (1 << ((n >>> 16) & 31))) === 0) return false;
    return this.vips.has(ip);
  }

  /** An address in a service range (nftables' cluster-ips-check matches these). */
  inServiceRange(ip: string): boolean {
    for (const c of this.svcCIDRs) if (cidrContains(c, ip)) return true;
    return false;
  }

  dynOf(node: string): DynamicSets {
    let d = this.dynSets.get(node);
    if (!d) { d = new Map(); this.dynSets.set(node, d); }
    return d;
  }

  recentOf(node: string): RecentLists {
    let r = this.recent.get(node);
    if (!r) { r = new Map(); this.recent.set(node, r); }
    return r;
  }

  ipvsNode(node: RNode, family: Family): IpvsNode {
    const key = `${node.name}|${family}`;
    let n = this.ipvsNodes.get(key);
    if (!n) {
      n = buildIpvsNode(this.realised, node, family);
      this.ipvsNodes.set(key, n);
      if (this.ipvsNodes.size > 16) this.ipvsNodes.delete(this.ipvsNodes.keys().next().value as string);
    }
    return n;
  }

  /** addrtype LOCAL on `node` (in ipvs mode the VIPs on kube-ipvs0 too) */
  isLocal(node: RNode, ip: string, ipvs: boolean): boolean {
    if (isLoopback(ip)) return true;
    if (nodeAddrs(this.realised, node).all.has(ip)) return true;
    return ipvs && this.vips.has(ip);
  }

  /**
   * False when no kube-proxy rule can touch the packet at nat PREROUTING / OUTPUT or in the filter
   * table: its destination is no VIP, and not a local address with a NodePort. (Every service
   * rule matches a VIP; the NodePort rules need a local destination and the port; the rest
   * match only marked or DNATed packets.) The property test checks this against the full walk.
   */
  mightMatter(node: RNode, pkt: Packet, ipvs: boolean, nft = false): boolean {
    if (this.isVip(pkt.dst)) return true;
    if (nft && this.inServiceRange(pkt.dst)) return true;
    if (!this.nodePortNums.has(pkt.dport)) return false;
    return this.nodePorts.has(`${pkt.proto.toLowerCase()}|${pkt.dport}`) && this.isLocal(node, pkt.dst, ipvs);
  }
}

const states = new WeakMap<Realised, ProxyState>();

/** Resets the runtime state of a realised cluster's kube-proxy, when it has any (ProxyState.resetRuntime). */
export function resetProxyState(r: Realised): void {
  states.get(r)?.resetRuntime();
}

export function proxyState(r: Realised): ProxyState {
  let s = states.get(r);
  if (!s) { s = new ProxyState(r); states.set(r, s); }
  return s;
}

const NONE: Hop[] = [];
const NO_NAT: NatEntry[] = [];

function pass(pkt: Packet, mark = false): HookResult {
  return { verdict: 'continue', packet: pkt, hops: NONE, nat: NO_NAT, masqueradeMark: mark };
}

function fromWalk(pkt: Packet, wp: WalkPacket): Packet {
  if (wp.dst === pkt.dst && wp.dport === pkt.dport && wp.src === pkt.src && wp.sport === pkt.sport) return pkt;
  return { proto: pkt.proto, src: wp.src, sport: wp.sport, dst: wp.dst, dport: wp.dport };
}

export interface WalkOptions {
  /** use the chain indexes (default true); false walks every rule in order */
  useIndex?: boolean;
  /** skip the "could this concern kube-proxy" shortcut (default false) */
  full?: boolean;
}

function envFor(st: ProxyState, node: RNode, ctx: HookContext, view: WalkEnv['rs'], ipvs: boolean, opts: WalkOptions): WalkEnv {
  return {
    rs: view, node: node.name,
    isLocal: (ip) => st.isLocal(node, ip, ipvs),
    random: ctx.random, now: ctx.now ?? st.now, recent: st.recentOf(node.name),
    ctDnat: false, bridged: ctx.inIface === 'veth', iif: iifName(st.realised, ctx), useIndex: opts.useIndex ?? true, evaluated: 0,
  };
}

/** nat PREROUTING/OUTPUT then filter INPUT/FORWARD/OUTPUT, iptables mode. */
export function iptablesDnat(r: Realised, node: RNode, pkt: Packet, hook: 'PREROUTING' | 'OUTPUT', ctx: HookContext, opts: WalkOptions = {}): HookResult & { evaluated: number } {
  const st = proxyState(r);
  if (!opts.full && !st.mightMatter(node, pkt, false)) return { verdict: 'continue', packet: pkt, hops: NONE, nat: NO_NAT, masqueradeMark: false, evaluated: 0 };
  const fam = familyOf(pkt.dst);
  const rs = nodeRuleset(r, node, fam);
  const wp = toWalkPacket(pkt);
  const env = envFor(st, node, ctx, rs, false, opts);
  const nat = walkTable(env, 'nat', hook, wp);
  const filterChain = hook === 'OUTPUT' ? 'OUTPUT' : env.isLocal(wp.dst) ? 'INPUT' : 'FORWARD';
  const filt = walkTable(env, 'filter', filterChain, wp);
  const marked = (wp.mark & masqMark(r.config)) !== 0;
  const stopped = filt.verdict === 'drop' || filt.verdict === 'reject';
  const hops: Hop[] = [];
  if (nat.dnat || marked || stopped) hops.push(...nat.hops);
  if (stopped) hops.push(...filt.hops);
  const natEntries: NatEntry[] = nat.dnat ? [{ kind: 'DNAT', by: BY, before: nat.dnat.before, after: nat.dnat.after, node: node.name }] : NO_NAT;
  return {
    verdict: filt.verdict === 'drop' ? 'drop' : filt.verdict === 'reject' ? 'reject' : 'continue',
    packet: fromWalk(pkt, wp), hops, nat: natEntries, masqueradeMark: marked, evaluated: env.evaluated,
  };
}

function outName(out: string): string {
  return out === 'tunnel' ? 'the overlay device' : out === 'veth' ? 'the pod veth' : out;
}

/** Why MASQUERADE picked `to` for a packet leaving by `out`. */
function masqSource(to: string, out: string): string {
  return out === 'lo'
    ? `out by lo, whose only address is host-scope, so the kernel (inet_select_addr) takes ${to}, the node's first global address`
    : `${to} is the address of ${outName(out)}`;
}

/** MASQUERADE as KUBE-POSTROUTING (or ipvs mode's KUBE-LOOP-BACK rule) does it. */
function masq(r: Realised, node: RNode, pkt: Packet, out: string, ctx: HookContext, ruleTextLine: string, why: string, hops: Hop[], randomFully: boolean): HookResult {
  const fam = familyOf(pkt.src);
  const to = masqueradeAddress(r, node, out, fam, ctx.outAddress);
  const sport = randomFully ? 1024 + Math.floor(ctx.random() * 64512) : pkt.sport;
  const after: Packet = { proto: pkt.proto, src: to, sport, dst: pkt.dst, dport: pkt.dport };
  const before = hostPort(pkt.src, pkt.sport), afterText = hostPort(to, sport);
  hops.push({
    at: `node/${node.name}/iptables/nat/KUBE-POSTROUTING`, action: 'masquerade',
    detail: `MASQUERADE ${before} → ${afterText} (${why}; ${masqSource(to, out)})`,
    packet: { src: afterText, dst: hostPort(pkt.dst, pkt.dport), proto: pkt.proto }, source: { what: `nat ${ruleTextLine}` },
  });
  return { verdict: 'continue', packet: after, hops, nat: [{ kind: 'SNAT', by: `${BY} (KUBE-POSTROUTING)`, before, after: afterText, node: node.name }], masqueradeMark: false };
}

export function iptablesSnat(r: Realised, node: RNode, pkt: Packet, out: string, mark: boolean, ctx: HookContext): HookResult {
  // -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN: nothing to do for unmarked packets
  if (!mark) return pass(pkt, false);
  const st = proxyState(r);
  const rs = nodeRuleset(r, node, familyOf(pkt.src));
  const wp = toWalkPacket(pkt, masqMark(r.config));
  const env = envFor(st, node, ctx, rs, false, {});
  const res = walkTable(env, 'nat', 'POSTROUTING', wp);
  if (!res.masquerade) return { ...pass(fromWalk(pkt, wp), false), hops: res.hops };
  return masq(r, node, pkt, out, ctx, ruleText(res.masquerade), `marked 0x${masqMark(r.config).toString(16)} by KUBE-MARK-MASQ`, res.hops, true);
}

// ---- ipvs mode ---------------------------------------------------------------------------------

/** The walk environment of ipvs mode: its iptables rules match against the node's ipsets. */
function ipvsEnv(st: ProxyState, node: RNode, ctx: HookContext, n: IpvsNode, opts: WalkOptions): WalkEnv {
  const env = envFor(st, node, ctx, n, true, opts);
  env.ipset = (name, dirs, p) => { const s = n.sets.get(name); return !!s && setMatches(s, dirs, p); };
  return env;
}

export function ipvsDnat(r: Realised, node: RNode, pkt: Packet, hook: 'PREROUTING' | 'OUTPUT', ctx: HookContext, opts: WalkOptions = {}): HookResult {
  const st = proxyState(r);
  if (!opts.full && !st.mightMatter(node, pkt, true)) return pass(pkt);
  const fam = familyOf(pkt.dst);
  const n = st.ipvsNode(node, fam);
  const wp = toWalkPacket(pkt);
  const env = ipvsEnv(st, node, ctx, n, opts);
  const nat = walkTable(env, 'nat', hook, wp);
  const local = env.isLocal(wp.dst);
  const vs = n.lookup(pkt.proto, wp.dst, wp.dport);
  if (vs) env.ipvsService = { vaddr: vs.vip, proto: vs.sp.proto, port: vs.port };
  const filterChain = hook === 'OUTPUT' ? 'OUTPUT' : local ? 'INPUT' : 'FORWARD';
  const filt = walkTable(env, 'filter', filterChain, wp);
  const marked = (wp.mark & masqMark(r.config)) !== 0;
  const hops: Hop[] = [];
  if (marked || filt.verdict === 'drop' || filt.verdict === 'reject' || vs) hops.push(...nat.hops);
  if (filt.verdict === 'drop' || filt.verdict === 'reject') {
    hops.push(...filt.hops);
    return { verdict: filt.verdict === 'drop' ? 'drop' : 'reject', packet: fromWalk(pkt, wp), hops, nat: NO_NAT, masqueradeMark: marked };
  }
  if (!vs) return { verdict: 'continue', packet: fromWalk(pkt, wp), hops, nat: NO_NAT, masqueradeMark: marked };
  const at = `node/${node.name}/ipvs`;
  const vsText = `${vs.protocol}  ${hostPort(vs.vip, vs.port)} ${vs.scheduler}${vs.persistent !== undefined ? ` persistent ${vs.persistent}` : ''}`;
  const decider = { what: `ipvs virtual server ${vsText} (${vs.kind} of Service ${vs.sp.svc.key})`, pos: posOf(vs.sp.svc.obj) };
  const pick = schedule(vs, wp.src, st.sched, ctx.random, ctx.now ?? st.now, node.name);
  if (!pick) {
    const why = vs.reals.length ? `every real server is quiesced (weight 0 in the IPVS state given for ${node.name})` : `Service ${vs.sp.svc.key} has no ready endpoint`;
    hops.push({ at, action: 'reject', detail: `virtual server ${hostPort(vs.vip, vs.port)}/${vs.protocol} has no ${vs.reals.length ? 'available ' : ''}real server (${why}): IPVS answers ICMP port unreachable`, packet: { src: hostPort(wp.src, wp.sport), dst: hostPort(wp.dst, wp.dport), proto: pkt.proto }, source: decider });
    return { verdict: 'reject', packet: fromWalk(pkt, wp), hops, nat: NO_NAT, masqueradeMark: marked };
  }
  const before = hostPort(wp.dst, wp.dport), afterText = rsKey(pick.rs);
  const after: Packet = { proto: pkt.proto, src: wp.src, sport: wp.sport, dst: pick.rs.ip, dport: pick.rs.port };
  hops.push({ at, action: 'dnat', detail: `IPVS ${vs.kind} ${before} → ${afterText} (Masq forwarding; scheduler ${vs.scheduler}: ${pick.why})`, packet: { src: hostPort(wp.src, wp.sport), dst: afterText, proto: pkt.proto }, source: decider });
  const natEntries: NatEntry[] = [{ kind: 'DNAT', by: BY, before, after: afterText, node: node.name }];
  const fromThisNode = !!ctx.fromPod || ctx.inIface === 'local';
  if (vs.localFallback && !fromThisNode && pick.rs.ep.nodeName !== node.name) {
    hops.push({
      at, action: 'drop',
      detail: `externalTrafficPolicy Local and no endpoint on ${node.name}: kube-proxy (ipvs) still sends it to ${afterText} on ${pick.rs.ep.nodeName ?? 'another node'} without SNAT (kubernetes#97081), so the reply leaves that node with the pod's address and the client ${wp.src} discards it`,
      source: decider,
    });
    return { verdict: 'drop', packet: after, hops, nat: natEntries, masqueradeMark: marked };
  }
  return { verdict: 'continue', packet: after, hops, nat: natEntries, masqueradeMark: marked };
}

export function ipvsSnat(r: Realised, node: RNode, pkt: Packet, out: string, mark: boolean, ctx: HookContext): HookResult {
  // KUBE-LOOP-BACK only matches a packet whose source is its destination (hairpin)
  if (!mark && pkt.src !== pkt.dst) return pass(pkt, false);
  const st = proxyState(r);
  const n = st.ipvsNode(node, familyOf(pkt.src));
  const wp = toWalkPacket(pkt, mark ? masqMark(r.config) : 0);
  const env = ipvsEnv(st, node, ctx, n, {});
  const res = walkTable(env, 'nat', 'POSTROUTING', wp);
  if (!res.masquerade) return { ...pass(fromWalk(pkt, wp), false), hops: mark ? res.hops : NONE };
  const loop = res.masquerade.matches.some((m) => m.m === 'set');
  return masq(r, node, pkt, out, ctx, ruleText(res.masquerade), loop ? 'hairpin: KUBE-LOOP-BACK holds this endpoint talking to itself' : `marked 0x${masqMark(r.config).toString(16)} by KUBE-MARK-MASQ`, res.hops,
    (res.masquerade.target as { randomFully?: boolean }).randomFully === true);
}


// ---- nftables mode -----------------------------------------------------------------------------

/** The name of the interface a packet came in on, as `iifname` sees it. */
function iifName(r: Realised, ctx: HookContext): string {
  switch (ctx.inIface) {
    case 'local': return '';
    case 'eth0': return 'eth0';
    case 'tunnel': return r.config.podNetwork.device;
    case 'veth': {
      // a bridge CNI (flannel) puts pods behind cni0; Calico and Cilium route from per-pod veths
      // (cali + 11 hex characters of a hash of the workload, lxc…): the name's hash part is netspec's own
      const plugin = r.config.podNetwork.plugin;
      if (plugin === 'flannel') return 'cni0';
      const h = createHash('sha1').update(ctx.fromPod?.key ?? '').digest('hex').slice(0, 11);
      return plugin === 'calico' ? 'cali' + h : plugin === 'cilium' ? 'lxc' + h : 'veth' + h.slice(0, 8);
    }
  }
}

function nftEnv(st: ProxyState, node: RNode, ctx: HookContext, fam: Family): NftEnv {
  const r = st.realised;
  return {
    rs: nftRuleset(r, node, fam), isLocal: (ip) => st.isLocal(node, ip, false), iif: iifName(r, ctx),
    random: ctx.random, now: ctx.now ?? st.now, dyn: st.dynOf(node.name), evaluated: 0,
  };
}

/** filter-prerouting, nat-prerouting, then filter-input or filter-forward (PREROUTING); filter-output, nat-output, filter-output-post-dnat (OUTPUT). */
export function nftablesDnat(r: Realised, node: RNode, pkt: Packet, hook: 'PREROUTING' | 'OUTPUT', ctx: HookContext, opts: WalkOptions = {}): HookResult & { evaluated: number } {
  const st = proxyState(r);
  if (!opts.full && !st.mightMatter(node, pkt, false, true)) return { ...pass(pkt), evaluated: 0 };
  const fam = familyOf(pkt.dst);
  const env = nftEnv(st, node, ctx, fam);
  const p: NftPacket = { proto: pkt.proto.toLowerCase() as NftPacket['proto'], src: pkt.src, sport: pkt.sport, dst: pkt.dst, dport: pkt.dport, mark: 0 };
  const order = hook === 'OUTPUT' ? ['filter-output', 'nat-output', 'filter-output-post-dnat'] : ['filter-prerouting', 'nat-prerouting', ''];
  const hops: Hop[] = [];
  let dnat: { before: string; after: string } | undefined;
  let verdict: HookResult['verdict'] = 'continue';
  for (let chain of order) {
    if (chain === '') chain = env.isLocal(p.dst) ? 'filter-input' : 'filter-forward';
    const res = nftWalk(env, chain, p);
    hops.push(...res.hops);
    if (res.dnat) dnat = res.dnat;
    if (res.verdict !== 'continue') { verdict = res.verdict; break; }
  }
  const marked = (p.mark & env.rs.mark) !== 0;
  const out: Packet = p.dst === pkt.dst && p.dport === pkt.dport ? pkt : { proto: pkt.proto, src: pkt.src, sport: pkt.sport, dst: p.dst, dport: p.dport };
  return {
    verdict, packet: out, hops: dnat || marked || verdict !== 'continue' ? hops : NONE,
    nat: dnat ? [{ kind: 'DNAT', by: BY, before: dnat.before, after: dnat.after, node: node.name }] : NO_NAT,
    masqueradeMark: marked, evaluated: env.evaluated,
  };
}

/** nat-postrouting: jump masquerading (return unless marked, clear the mark, masquerade fully-random). */
export function nftablesSnat(r: Realised, node: RNode, pkt: Packet, out: string, mark: boolean, ctx: HookContext): HookResult {
  if (!mark) return pass(pkt, false);
  const st = proxyState(r);
  const env = nftEnv(st, node, ctx, familyOf(pkt.src));
  const p: NftPacket = { proto: pkt.proto.toLowerCase() as NftPacket['proto'], src: pkt.src, sport: pkt.sport, dst: pkt.dst, dport: pkt.dport, mark: env.rs.mark };
  const res = nftWalk(env, 'nat-postrouting', p);
  if (!res.masquerade) return { ...pass(pkt, false), hops: res.hops };
  const hops: Hop[] = [];
  const m = masq(r, node, pkt, out, ctx, nftRuleText(res.masquerade, env.rs.family === 4 ? 'ip' : 'ip6'), `marked ${'0x' + env.rs.mark.toString(16)} by mark-for-masquerade`, hops, true);
  for (const h of m.hops) h.at = `node/${node.name}/nftables/masquerading`;
  return m;
}

const hookCache = new WeakMap<Realised, NetfilterHooks>();

/** kube-proxy's hooks for a cluster, in the mode its configuration names (iptables or ipvs). */
export function kubeProxyHooks(realised: Realised): NetfilterHooks {
  let h = hookCache.get(realised);
  if (h) return h;
  const ipvs = realised.config.proxyMode === 'ipvs';
  let st: ProxyState | undefined;
  if (realised.config.proxyMode === 'nftables') {
    h = {
      dnat: (node, pkt, hook, ctx) => (st ??= proxyState(realised)).mightMatter(node, pkt, false, true) ? nftablesDnat(realised, node, pkt, hook, ctx) : pass(pkt),
      snat: (node, pkt, out, mark, ctx) => nftablesSnat(realised, node, pkt, out, mark, ctx),
    };
    hookCache.set(realised, h);
    return h;
  }
  // Most packets a node sees (pod to pod) concern no kube-proxy rule: answer those before any walk
  // (the same test iptablesDnat / ipvsDnat make first; the property test checks it against the walk).
  h = ipvs
    ? {
      dnat: (node, pkt, hook, ctx) => (st ??= proxyState(realised)).mightMatter(node, pkt, true) ? ipvsDnat(realised, node, pkt, hook, ctx) : pass(pkt),
      snat: (node, pkt, out, mark, ctx) => ipvsSnat(realised, node, pkt, out, mark, ctx),
    }
    : {
      dnat: (node, pkt, hook, ctx) => (st ??= proxyState(realised)).mightMatter(node, pkt, false) ? iptablesDnat(realised, node, pkt, hook, ctx) : pass(pkt),
      snat: (node, pkt, out, mark, ctx) => iptablesSnat(realised, node, pkt, out, mark, ctx),
    };
  hookCache.set(realised, h);
  return h;
}

