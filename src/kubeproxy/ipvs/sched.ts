// IPVS schedulers as the kernel implements them (net/netfilter/ipvs/ip_vs_*.c), deterministic:
//  rr   round robin over the real servers in list order, from where the last pick left off; the
//       first pick starts at a seeded offset (kube-proxy adds real servers in Go map order, so
//       which one is first in the kernel's list is not knowable)
//  wrr  interleaved weighted round robin (kube-proxy gives every real server weight 1: rr)
//  lc   least connections: overhead = active·256 + inactive (ip_vs_dest_conn_overhead), first
//       lowest in list order
//  wlc  weighted least connections: overhead / weight, first lowest
//  sed  shortest expected delay: (active + 1) / weight
//  nq   never queue: the first idle server (no active connection), else sed
//  sh   source hashing: 256 buckets filled round robin with the servers (weight times each),
//       bucket = hash_32(source address, 8)
//  dh   destination hashing: the same table, hashed on the destination address
// Every connection netspec makes stays open, so it counts as one active connection on the real
// server it reached (lc, wlc, sed and nq see the earlier connections of the same run). A node's
// runtime state (runtime.ts: ActiveConn, InActConn, weight per real server) adds to those counts
// and overrides the weight; weight 0 (quiesced) takes no new connection under any scheduler.
import { ipv4ToInt, ipToBigInt } from '../../net/ip';
import type { RealServer, VirtualServer } from './build';
import type { IpvsRuntime } from './runtime';

export interface SchedState {
  /** rr / wrr position per virtual server */
  rr: Map<string, { i: number; cw: number }>;
  /** active connections per "vsKey|rs" */
  active: Map<string, number>;
  /** persistence templates: "vsKey|client" → { rs, at } */
  persist: Map<string, { rs: string; at: number }>;
  /** node name → the runtime state given for its IPVS table */
  runtime: Map<string, IpvsRuntime>;
}

export function newSchedState(): SchedState { return { rr: new Map(), active: new Map(), persist: new Map(), runtime: new Map() }; }

const GOLDEN_RATIO_32 = 0x61c88647;
const TAB_BITS = 8;

/** The kernel's hash_32(val, bits). */
export function hash32(val: number, bits: number): number {
  return (Math.imul(val >>> 0, GOLDEN_RATIO_32) >>> 0) >>> (32 - bits);
}

function addrFold(ip: string): number {
  const v4 = ipv4ToInt(ip);
  if (v4 >= 0) return v4;
  const v = ipToBigInt(ip);
  let x = 0;
  for (let i = 0; i < 4; i++) x ^= Number((v >> BigInt(32 * i)) & 0xffffffffn);
  return x >>> 0;
}

/** sh / dh bucket table: bucket i → server (each server takes `weight` consecutive buckets, cycling). */
function bucketServer(reals: RealServer[], bucket: number): RealServer | undefined {
  const live = reals.filter((r) => r.weight > 0);
  if (!live.length) return undefined;
  const total = live.reduce((s, r) => s + r.weight, 0);
  let k = bucket % total;
  for (const r of live) { if (k < r.weight) return r; k -= r.weight; }
  return live[0];
}

export const rsKey = (r: RealServer) => (r.ip.includes(':') ? `[${r.ip}]:${r.port}` : `${r.ip}:${r.port}`);

function gcd(a: number, b: number): number { return b === 0 ? a : gcd(b, a % b); }

export interface Pick { rs: RealServer; why: string }

/** Chooses a real server for a new connection (undefined: none available). */
export function schedule(vs: VirtualServer, src: string, st: SchedState, random: () => number, now: number, node?: string): Pick | undefined {
  const rt = node === undefined ? undefined : st.runtime.get(node)?.get(vs.key);
  const given = (r: RealServer) => rt?.get(rsKey(r));
  const weight = (r: RealServer) => given(r)?.weight ?? r.weight;
  const reals = rt ? vs.reals.filter((r) => weight(r) > 0) : vs.reals.filter((r) => r.weight > 0);
  if (!reals.length) return undefined;
  if (vs.persistent !== undefined) {
    const t = st.persist.get(`${vs.key}|${src}`);
    if (t && now - t.at <= vs.persistent) {
      const rs = reals.find((r) => rsKey(r) === t.rs);
      if (rs) { t.at = now; return { rs, why: `persistence template for client ${src} (timeout ${vs.persistent}s)` }; }
    }
  }
  const made = (r: RealServer) => st.active.get(`${vs.key}|${rsKey(r)}`) ?? 0;
  const active = (r: RealServer) => made(r) + (given(r)?.active ?? 0);
  const inactive = (r: RealServer) => given(r)?.inactive ?? 0;
  let pick: Pick;
  switch (vs.scheduler) {
    case 'wrr': {
      let s = st.rr.get(vs.key);
      if (!s) { s = { i: Math.floor(random() * reals.length) - 1, cw: 0 }; st.rr.set(vs.key, s); }
      const mw = Math.max(...reals.map(weight));
      const g = reals.reduce((a, r) => gcd(a, weight(r)), 0);
      for (;;) {
        s.i = (s.i + 1) % reals.length;
        if (s.i === 0) { s.cw -= g; if (s.cw <= 0) s.cw = mw; }
        if (weight(reals[s.i]) >= s.cw) break;
      }
      pick = { rs: reals[s.i], why: 'weighted round robin' };
      break;
    }
    case 'lc': case 'wlc': case 'sed': case 'nq': {
      if (vs.scheduler === 'nq') {
        const idle = reals.find((r) => active(r) === 0);
        if (idle) { pick = { rs: idle, why: 'never queue: first idle real server' }; break; }
      }
      let best = reals[0];
      // ip_vs_dest_conn_overhead: activeconns << 8 + inactconns (lc, wlc); (activeconns + 1) for sed and nq
      const overhead = (r: RealServer) => active(r) * 256 + inactive(r);
      const over = (r: RealServer) => (vs.scheduler === 'lc' ? overhead(r) : vs.scheduler === 'wlc' ? overhead(r) / weight(r) : (active(r) + 1) / weight(r));
      for (const r of reals) if (over(r) < over(best)) best = r;
      const name = { lc: 'least connections', wlc: 'weighted least connections', sed: 'shortest expected delay', nq: 'never queue (all busy): shortest expected delay' }[vs.scheduler];
      const figure = vs.scheduler === 'lc' || vs.scheduler === 'wlc' ? `overhead ${active(best)}·256 + ${inactive(best)}${vs.scheduler === 'wlc' ? `, weight ${weight(best)}` : ''}` : `${active(best)} active, weight ${weight(best)}`;
      pick = { rs: best, why: `${name} (${rt ? figure : `${active(best)} active`})` };
      break;
    }
    case 'sh': case 'dh': {
      const key = vs.scheduler === 'sh' ? src : vs.vip;
      const b = hash32(addrFold(key), TAB_BITS);
      const weighed = rt ? reals.map((r) => ({ ...r, weight: weight(r) })) : reals;
      const rs = reals[weighed.indexOf(bucketServer(weighed, b)!)];
      pick = { rs, why: `${vs.scheduler === 'sh' ? 'source' : 'destination'} hashing: ${key} → bucket ${b}` };
      break;
    }
    default: { // rr
      let s = st.rr.get(vs.key);
      if (!s) { s = { i: Math.floor(random() * reals.length) - 1, cw: 0 }; st.rr.set(vs.key, s); }
      s.i = (s.i + 1) % reals.length;
      pick = { rs: reals[s.i], why: 'round robin' };
    }
  }
  st.active.set(`${vs.key}|${rsKey(pick.rs)}`, made(pick.rs) + 1);
  if (vs.persistent !== undefined) st.persist.set(`${vs.key}|${src}`, { rs: rsKey(pick.rs), at: now });
  return pick;
}
