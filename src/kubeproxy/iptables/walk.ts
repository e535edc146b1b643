// The chain walk: a packet evaluated against a node's ruleset as netfilter does it. Rules are
// tried in order; a rule matches when every one of its matches does; jumps descend, RETURN (or
// the end of a user chain) comes back, ACCEPT / DROP / REJECT end the table, DNAT and MASQUERADE
// end the nat table, MARK and a target-less rule continue. Every rule that matched is a hop (the
// kernel counts a target-less rule too).
//
// Long chains (KUBE-SERVICES, KUBE-NODEPORTS…) are looked up through an index keyed by
// destination, protocol and port; the candidates are still checked rule by rule in chain order,
// so the index only skips rules that cannot match (a property test checks it against the plain
// walk).
import { ipv4ToInt, cidrContains, hostPort } from '../../net/ip';
import type { Hop } from '../../net/trace';
import { posOf } from '../../model/types';
import type { Chain, ChainIndex } from './build';
import { indexKey } from './assembled';
import { ruleComment, ruleText, type AddrMatch, type Match, type Rule, type TableName } from './rules';
import type { Proto } from '../serviceports';

export interface WalkPacket {
  proto: Proto;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  /** skb mark (kube-proxy uses 0x4000) */
  mark: number;
  /** IPv4 addresses as uint32, -1 for IPv6 */
  srcInt: number;
  dstInt: number;
}

/** `-m recent` lists of one node: list name → source address → last seen (seconds). */
export type RecentLists = Map<string, Map<string, number>>;

export interface RulesetView {
  chain(table: TableName, name: string): Chain | undefined;
}

export interface WalkEnv {
  rs: RulesetView;
  node: string;
  /** addrtype LOCAL */
  isLocal(ip: string): boolean;
  random(): number;
  now: number;
  recent: RecentLists;
  /** the connection was DNATed (conntrack --ctstate DNAT) */
  ctDnat: boolean;
  /** the packet came in over a bridge port (physdev-is-in) */
  bridged: boolean;
  /** the input interface's name ("" for a locally generated packet) */
  iif?: string;
  /** ipset membership (ipvs mode) */
  ipset?(name: string, dirs: string, pkt: WalkPacket): boolean;
  /** the IPVS virtual service this packet is for (ipvs mode, `-m ipvs`) */
  ipvsService?: { vaddr: string; proto: Proto; port: number };
  /** false: check every rule in order (no index) */
  useIndex: boolean;
  /** rules evaluated (for the benchmark) */
  evaluated: number;
}

export type WalkVerdict = 'continue' | 'accept' | 'drop' | 'reject';

export interface WalkResult {
  verdict: WalkVerdict;
  /** the rule that ended the walk (ACCEPT / DROP / REJECT / DNAT / MASQUERADE), if any */
  decidedBy?: Rule;
  dnat?: { rule: Rule; before: string; after: string };
  masquerade?: Rule;
  hops: Hop[];
}

const INDEX_MIN = 12;

function addrMatches(a: AddrMatch, ip: string, ipInt: number): boolean {
  let inside: boolean;
  if (a.cidr.family === 4) inside = ipInt >= 0 && ((ipInt & a.mask4) >>> 0) === a.base4;
  else inside = ipInt < 0 && cidrContains(a.cidr, ip);
  return a.neg ? !inside : inside;
}

function matchOne(m: Match, p: WalkPacket, env: WalkEnv): boolean {
  switch (m.m) {
    case 'comment': return true;
    case 'l4': return p.proto === m.proto && (m.dport === undefined || p.dport === m.dport);
    case 'addrtype': { const local = env.isLocal(m.dir === 'src' ? p.src : p.dst); return m.neg ? !local : local; }
    case 'statistic': return Math.floor(env.random() * 0x80000000) < m.raw;
    case 'recent': {
      let list = env.recent.get(m.name);
      if (m.mode === 'set') {
        if (!list) { list = new Map(); env.recent.set(m.name, list); }
        list.set(p.src, env.now);
        return true;
      }
      const seen = list?.get(p.src);
      if (seen === undefined) return false;
      const fresh = m.seconds === undefined || env.now - seen <= m.seconds;
      if (!fresh && m.reap) list!.delete(p.src);
      return fresh;
    }
    case 'mark': { const hit = (p.mark & m.mask) === m.value; return m.neg ? !hit : hit; }
    case 'conntrack': {
      // every connection netspec makes is NEW; DNAT once a nat rule rewrote the destination
      const hit = m.states.some((s) => s === 'NEW' || (s === 'DNAT' && env.ctDnat));
      return m.neg ? !hit : hit;
    }
    case 'set': { const hit = env.ipset ? env.ipset(m.name, m.dirs, p) : false; return m.neg ? !hit : hit; }
    case 'physdev-not-in': return !env.bridged;
    case 'ipvs': return !!env.ipvsService && env.ipvsService.vaddr === m.vaddr && env.ipvsService.proto === m.vproto && env.ipvsService.port === m.vport;
  }
}

export function ruleMatches(r: Rule, p: WalkPacket, env: WalkEnv): boolean {
  env.evaluated++;
  if (r.proto && r.proto !== p.proto) return false;
  if (r.dst && !addrMatches(r.dst, p.dst, p.dstInt)) return false;
  if (r.src && !addrMatches(r.src, p.src, p.srcInt)) return false;
  if (r.iif) {
    const n = r.iif.name, iif = env.iif ?? '';
    const hit = n.endsWith('+') ? iif.startsWith(n.slice(0, -1)) : iif === n;
    if (hit === r.iif.neg) return false;
  }
  for (const m of r.matches) if (!matchOne(m, p, env)) return false;
  return true;
}

function buildIndex(c: Chain): ChainIndex {
  const idx: ChainIndex = { byDst: new Map(), byPort: new Map(), wild: [] };
  c.rules.forEach((r, i) => {
    const k = indexKey(r);
    if (k.k === 'wild') { idx.wild.push(i); return; }
    const m = k.k === 'dst' ? idx.byDst : idx.byPort;
    const l = m.get(k.key); if (l) l.push(i); else m.set(k.key, [i]);
  });
  return idx;
}

const EMPTY: number[] = [];

/** The rules of `c` that can match `p`, in chain order; null: the chain is short, try every rule. */
function candidates(c: Chain, p: WalkPacket): Rule[] | null {
  if (c.lookup) return c.lookup(p.dst, p.proto, p.dport);
  if (c.rules.length < INDEX_MIN) return null;
  if (!c.index) c.index = buildIndex(c);
  const a = c.index.byDst.get(`${p.dst}|${p.proto}|${p.dport}`) ?? EMPTY;
  const b = c.index.byPort.get(`${p.proto}|${p.dport}`) ?? EMPTY;
  const w = c.index.wild;
  const out: Rule[] = [];
  let i = 0, j = 0, k = 0;
  while (i < a.length || j < b.length || k < w.length) {
    const x = i < a.length ? a[i] : Infinity, y = j < b.length ? b[j] : Infinity, z = k < w.length ? w[k] : Infinity;
    if (x <= y && x <= z) { out.push(c.rules[x]); i++; } else if (y <= z) { out.push(c.rules[y]); j++; } else { out.push(c.rules[z]); k++; }
  }
  return out;
}

export function toWalkPacket(pkt: { proto: string; src: string; sport: number; dst: string; dport: number }, mark = 0): WalkPacket {
  return {
    proto: pkt.proto.toLowerCase() as Proto, src: pkt.src, sport: pkt.sport, dst: pkt.dst, dport: pkt.dport, mark,
    srcInt: ipv4ToInt(pkt.src), dstInt: ipv4ToInt(pkt.dst),
  };
}

function view(p: WalkPacket) { return { src: hostPort(p.src, p.sport), dst: hostPort(p.dst, p.dport), proto: p.proto.toUpperCase() }; }

function decider(r: Rule) {
  return { what: `${r.table} ${ruleText(r)}`, pos: r.sp ? posOf(r.sp.svc.obj) : undefined };
}

function describe(r: Rule): string {
  const c = ruleComment(r);
  const svc = r.sp ? `Service ${r.sp.svc.key}` : '';
  const why = c ? `"${c}"` : svc;
  switch (r.target.t) {
    case 'jump': return `${why ? why + ': ' : ''}jump to ${r.target.chain}`;
    case 'MARK': return r.target.mask === 0 ? `clear the masquerade mark 0x${r.target.value.toString(16)} before SNAT` : `mark 0x${r.target.value.toString(16)}: masquerade this connection on the way out (KUBE-POSTROUTING)`;
    default: return why;
  }
}

/** Walks `chain` of `table` (a built-in chain) with the packet; mutates `p` (DNAT, mark). */
export function walkTable(env: WalkEnv, table: TableName, chain: string, p: WalkPacket): WalkResult {
  const hops: Hop[] = [];
  const at = (c: string) => `node/${env.node}/iptables/${table}/${c}`;
  const res: WalkResult = { verdict: 'continue', hops };

  // returns true when the walk ended (a terminal target)
  const run = (c: Chain, depth: number): boolean => {
    if (depth > 32) throw new Error(`iptables walk too deep at ${c.name}`);
    const cand = env.useIndex ? candidates(c, p) : null;
    const list = cand ?? c.rules;
    for (let k = 0; k < list.length; k++) {
      const r = list[k];
      if (!ruleMatches(r, p, env)) continue;
      const t = r.target;
      switch (t.t) {
        case 'none':
          // a rule without a target still matched: the kernel counts it (iptables-save -c), so the
          // trace names it, e.g. KUBE-FW's last rule "other traffic to … will be dropped by KUBE-PROXY-FIREWALL"
          hops.push({ at: at(c.name), action: 'match', detail: describe(r) || 'matched (no target: the walk goes on)', packet: view(p), source: decider(r) });
          continue;
        case 'jump': {
          const next = env.rs.chain(table, t.chain);
          if (!next) throw new Error(`iptables ${table}: rule jumps to missing chain ${t.chain}: ${ruleText(r)}`);
          hops.push({ at: at(c.name), action: 'jump', detail: describe(r), packet: view(p), source: decider(r) });
          if (run(next, depth + 1)) return true;
          continue;
        }
        case 'RETURN':
          hops.push({ at: at(c.name), action: 'return', detail: r.matches.some((m) => m.m === 'mark') ? 'not marked for masquerade: no SNAT' : `return from ${c.name}`, packet: view(p), source: decider(r) });
          return false;
        case 'MARK':
          p.mark = t.mask === 0 ? (p.mark ^ t.value) >>> 0 : ((p.mark & ~t.mask) ^ t.value) >>> 0;
          hops.push({ at: at(c.name), action: 'match', detail: describe(r), packet: view(p), source: decider(r) });
          continue;
        case 'ACCEPT':
          hops.push({ at: at(c.name), action: 'accept', detail: describe(r) || 'accepted', packet: view(p), source: decider(r) });
          res.verdict = 'accept'; res.decidedBy = r; return true;
        case 'DROP':
          hops.push({ at: at(c.name), action: 'drop', detail: `dropped${describe(r) ? ': ' + describe(r) : ''}`, packet: view(p), source: decider(r) });
          res.verdict = 'drop'; res.decidedBy = r; return true;
        case 'REJECT':
          hops.push({ at: at(c.name), action: 'reject', detail: `rejected with ICMP port unreachable${describe(r) ? ': ' + describe(r) : ''}`, packet: view(p), source: decider(r) });
          res.verdict = 'reject'; res.decidedBy = r; return true;
        case 'DNAT': {
          const before = hostPort(p.dst, p.dport);
          p.dst = t.ip; p.dport = t.port; p.dstInt = ipv4ToInt(t.ip);
          const after = hostPort(p.dst, p.dport);
          env.ctDnat = true;
          const svc = r.sp ? ` for Service ${r.sp.svc.key}${r.sp.port.name ? ` port ${r.sp.port.name}` : ''}` : '';
          hops.push({ at: at(c.name), action: 'dnat', detail: `DNAT ${before} → ${after}${svc}`, packet: view(p), source: decider(r) });
          res.verdict = 'accept'; res.decidedBy = r; res.dnat = { rule: r, before, after };
          return true;
        }
        case 'MASQUERADE':
          res.verdict = 'accept'; res.decidedBy = r; res.masquerade = r;
          return true;
      }
    }
    return false;
  };
  const start = env.rs.chain(table, chain);
  if (start) run(start, 0);
  if (res.verdict === 'accept' && !res.dnat && !res.masquerade) res.verdict = 'continue';
  return res;
}
