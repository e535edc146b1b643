// The nftables walk: a packet evaluated against one base chain of a node's kube-proxy table as
// the kernel does it. Rules are tried in order; `jump` descends and comes back, `goto` replaces
// the current chain (its end returns to the caller's caller), a verdict map looks the packet's
// key up (a hash lookup in the kernel too, so there is nothing to index), `numgen random mod N`
// picks an element, `drop` / `reject` end every chain, `dnat` / `masquerade` end the nat chain.
// Every rule that took effect is a hop.
import { hostPort, ipv4ToInt, cidrContains } from '../../net/ip';
import type { Action, Hop } from '../../net/trace';
import { posOf } from '../../model/types';
import type { WalkPacket } from '../iptables/walk';
import { ipX, nftRuleText } from './render';
import { TABLE, type NftChain, type NftMatch, type NftRule, type NftRuleset, type NftVerdict } from './build';

/** The packet as the walk sees it: the iptables walk's packet without its IPv4 fast-path fields. */
export type NftPacket = Pick<WalkPacket, 'proto' | 'src' | 'sport' | 'dst' | 'dport' | 'mark'>;

/** Dynamic set contents of one node: set name → source address → last update (seconds). */
export type DynamicSets = Map<string, Map<string, number>>;

export interface NftEnv {
  rs: NftRuleset;
  /** fib … type local */
  isLocal(ip: string): boolean;
  /** the input interface's name ("" for locally generated packets) */
  iif: string;
  random(): number;
  now: number;
  dyn: DynamicSets;
  /** rules evaluated (for the benchmark) */
  evaluated: number;
}

export interface NftWalkResult {
  verdict: 'continue' | 'drop' | 'reject';
  dnat?: { before: string; after: string; rule: NftRule };
  masquerade?: NftRule;
  hops: Hop[];
}

function inCidrs(m: Extract<NftMatch, { m: 'addr' }>, ip: string): boolean {
  const n = ipv4ToInt(ip);
  for (const c of m.cidrs) {
    if (c.family === 4) {
      if (n < 0) continue;
      const mask = c.prefix === 0 ? 0 : (0xffffffff << (32 - c.prefix)) >>> 0;
      if (((n & mask) >>> 0) === Number(c.base)) return true;
    } else if (n < 0 && cidrContains(c, ip)) return true;
  }
  return false;
}

function iifMatches(pattern: string, iif: string): boolean {
  return pattern.endsWith('*') ? iif.startsWith(pattern.slice(0, -1)) : iif === pattern;
}

function matchOne(m: NftMatch, p: NftPacket, env: NftEnv): boolean {
  switch (m.m) {
    case 'ct-new': return true; // every connection netspec makes is new
    case 'addr': { const hit = inCidrs(m, m.dir === 'saddr' ? p.src : p.dst); return m.neg ? !hit : hit; }
    case 'set': {
      const ip = m.dir === 'saddr' ? p.src : p.dst;
      const s = env.rs.sets.get(m.set);
      if (s && s.timeout !== undefined) {
        const seen = env.dyn.get(m.set)?.get(ip);
        return seen !== undefined && env.now - seen < s.timeout;
      }
      return !!s && s.elems.has(ip);
    }
    case 'dport': return p.proto === m.proto && p.dport === m.port;
    case 'fib-local': return env.isLocal(m.dir === 'saddr' ? p.src : p.dst);
    case 'iif': { const hit = iifMatches(m.name, env.iif); return m.neg ? !hit : hit; }
    case 'unmarked': return (p.mark & m.mark) === 0;
    case 'l4proto': return p.proto === m.proto;
  }
}

function view(p: NftPacket) { return { src: hostPort(p.src, p.sport), dst: hostPort(p.dst, p.dport), proto: p.proto.toUpperCase() }; }

/** Walks base chain `chain` with the packet; mutates `p` (DNAT, mark). */
export function nftWalk(env: NftEnv, chain: string, p: NftPacket): NftWalkResult {
  const hops: Hop[] = [];
  const ip = ipX(env.rs);
  const at = (c: string) => `node/${env.rs.node.name}/nftables/${c}`;
  const res: NftWalkResult = { verdict: 'continue', hops };
  const decider = (r: NftRule) => ({ what: `table ${ip} ${TABLE} chain ${r.chain}: ${nftRuleText(r, ip)}`, pos: r.sp ? posOf(r.sp.svc.obj) : undefined });
  const hop = (r: NftRule, action: Action, detail: string) => hops.push({ at: at(r.chain), action, detail, packet: view(p), source: decider(r) });
  const svcOf = (r: NftRule) => (r.sp ? ` (Service ${r.sp.svc.key}${r.sp.port.name ? ` port ${r.sp.port.name}` : ''})` : '');

  /** 'end': fell off the chain or returned; 'stop': a terminal verdict or statement */
  const go = (target: string, depth: number): 'end' | 'stop' => {
    const next = env.rs.chain(target);
    if (!next) throw new Error(`nftables: jump to missing chain ${target}`);
    return run(next, depth + 1);
  };
  const verdict = (v: NftVerdict, r: NftRule, depth: number, what: string): 'end' | 'stop' => {
    if (v.v === 'drop') {
      hop(r, 'drop', `${what} → drop${svcOf(r)}`);
      res.verdict = 'drop';
      return 'stop';
    }
    if (v.chain === 'reject-chain') {
      hop(r, 'jump', `${what} → goto reject-chain${svcOf(r)}`);
    } else hop(r, 'jump', `${what} → goto ${v.chain}`);
    return go(v.chain, depth);
  };
  const run = (c: NftChain, depth: number): 'end' | 'stop' => {
    if (depth > 32) throw new Error(`nftables walk too deep at ${c.name}`);
    for (const r of c.rules) {
      env.evaluated++;
      let ok = true;
      for (const m of r.matches) if (!matchOne(m, p, env)) { ok = false; break; }
      if (!ok) continue;
      const s = r.stmt;
      switch (s.s) {
        case 'jump': {
          // a jump is a hop only when the chain it enters did something (mark-for-masquerade always
          // marks: the rule that sent the packet there — hairpin, off-cluster source — is the reason)
          const mark = hops.length;
          hop(r, 'jump', `${nftRuleText(r, ip)}`);
          const done = go(s.chain, depth);
          if (hops.length === mark + 1) hops.pop();
          if (done === 'stop') return 'stop';
          continue;
        }
        case 'goto': hop(r, 'jump', nftRuleText(r, ip)); return go(s.chain, depth);
        case 'vmap': {
          const key = s.key === 'addr' ? `${p.dst} . ${p.proto} . ${p.dport}` : `${p.proto} . ${p.dport}`;
          const e = env.rs.maps.get(s.map)?.elems.get(key);
          if (!e) continue;
          const r2: NftRule = e.sp ? { ...r, sp: e.sp } : r;
          return verdict(e.value, r2, depth, `${key} is in @${s.map}`);
        }
        case 'numgen': {
          const i = Math.floor(env.random() * s.targets.length);
          hop(r, 'match', `${nftRuleText(r, ip)}: numgen picked ${i} of ${s.targets.length} → goto ${s.targets[i]}`);
          return go(s.targets[i], depth);
        }
        case 'update': {
          let set = env.dyn.get(s.set);
          if (!set) { set = new Map(); env.dyn.set(s.set, set); }
          set.set(p.src, env.now);
          continue;
        }
        case 'mark-or': p.mark = (p.mark | s.mark) >>> 0; hop(r, 'match', `mark ${'0x' + s.mark.toString(16)}: masquerade this connection on the way out (chain masquerading)`); continue;
        case 'mark-xor': p.mark = (p.mark ^ s.mark) >>> 0; continue;
        case 'return': return 'end';
        case 'drop': hop(r, 'drop', `dropped: ${nftRuleText(r, ip)}`); res.verdict = 'drop'; return 'stop';
        case 'reject':
          hop(r, 'reject', `rejected with ICMP port unreachable: ${nftRuleText(r, ip)}`);
          res.verdict = 'reject';
          return 'stop';
        case 'dnat': {
          const before = hostPort(p.dst, p.dport);
          p.dst = s.ip; p.dport = s.port;
          const after = hostPort(p.dst, p.dport);
          hop(r, 'dnat', `DNAT ${before} → ${after}${r.sp ? ` for Service ${r.sp.svc.key}${r.sp.port.name ? ` port ${r.sp.port.name}` : ''}` : ''} (${nftRuleText(r, ip)})`);
          res.dnat = { before, after, rule: r };
          return 'stop';
        }
        case 'masquerade': res.masquerade = r; return 'stop';
      }
    }
    return 'end';
  };
  const start = env.rs.chain(chain);
  if (start) run(start, 0);
  return res;
}
