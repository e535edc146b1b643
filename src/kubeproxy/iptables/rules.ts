// Structured iptables rules: what kube-proxy writes, held as data so the same object is both
// printed (exactly as `iptables-save` prints it back) and executed by the chain walk.
//
// iptables-save prints a rule in a fixed order, whatever order iptables-restore got the
// arguments in: `-A CHAIN`, then [!] -s, [!] -d, -p, then every `-m` match in the order it was
// given, then `-j TARGET` with its options as the target module saves them. Addresses gain their
// prefix length (/32), comments are quoted unless they are plain words, `--or-mark 0x4000` comes
// back as `--set-xmark 0x4000/0x4000`, `--xor-mark 0x4000` as `--set-xmark 0x4000/0x0`, and
// `-m recent` prints its defaults (`--mask 255.255.255.255 --rsource`).
import { intToIpv4, ipv4ToInt, parseCIDR, type Cidr, type Family } from '../../net/ip';
import type { KpServicePort, Proto } from '../serviceports';

export type TableName = 'filter' | 'nat';

export interface AddrMatch {
  readonly cidr: Cidr;
  readonly neg: boolean;
  /** IPv4 fast path: network and mask as uint32 (unused for IPv6) */
  readonly base4: number;
  readonly mask4: number;
}

export type Match =
  | { readonly m: 'comment'; readonly text: string }
  /** -m tcp / udp / sctp [--dport N] */
  | { readonly m: 'l4'; readonly proto: Proto; readonly dport?: number }
  | { readonly m: 'addrtype'; readonly dir: 'src' | 'dst'; readonly neg?: boolean }
  /** probability as the kernel holds it: numerator over 2^31 */
  | { readonly m: 'statistic'; readonly raw: number }
  | { readonly m: 'recent'; readonly mode: 'rcheck' | 'set'; readonly name: string; readonly seconds?: number; readonly reap?: boolean }
  | { readonly m: 'mark'; readonly value: number; readonly mask: number; readonly neg?: boolean }
  | { readonly m: 'conntrack'; readonly states: readonly string[]; readonly neg?: boolean }
  /** -m set --match-set NAME dst,dst (ipvs mode) */
  | { readonly m: 'set'; readonly name: string; readonly dirs: string; readonly neg?: boolean }
  /** -m physdev ! --physdev-is-in (ipvs mode, external IPs) */
  | { readonly m: 'physdev-not-in' }
  /** -m ipvs --vaddr … --vproto … --vport … (ipvs mode) */
  | { readonly m: 'ipvs'; readonly vaddr: string; readonly vproto: Proto; readonly vport: number };

export type Target =
  | { readonly t: 'jump'; readonly chain: string }
  | { readonly t: 'ACCEPT' | 'DROP' | 'RETURN' | 'REJECT' }
  | { readonly t: 'DNAT'; readonly ip: string; readonly port: number }
  | { readonly t: 'MARK'; readonly value: number; readonly mask: number }
  | { readonly t: 'MASQUERADE'; readonly randomFully: boolean }
  /** a rule with no target (counts and falls through), e.g. the end of a KUBE-FW chain */
  | { readonly t: 'none' };

export interface Rule {
  readonly table: TableName;
  readonly chain: string;
  readonly family: Family;
  readonly src?: AddrMatch;
  readonly dst?: AddrMatch;
  /** -i NAME / ! -i NAME ("cali+" matches every name starting with cali) */
  readonly iif?: { readonly name: string; readonly neg: boolean };
  readonly proto?: Proto;
  readonly matches: readonly Match[];
  readonly target: Target;
  /** the service port the rule was written for (its Service decides the hop) */
  readonly sp?: KpServicePort;
  /** an ipset match (ipvs mode) is resolved against this node's sets */
  text?: string;
}

export const MASQ_MARK = 0x4000;

/** The masquerade mark kube-proxy uses: 1 << iptables.masqueradeBit (default 14: 0x4000). */
export function masqMark(config: { masqueradeBit: number }): number {
  return (1 << config.masqueradeBit) >>> 0;
}

export function addr(text: string, neg = false): AddrMatch {
  // IPv4 fast path (no parser objects): "a.b.c.d" or "a.b.c.d/n"
  const slash = text.indexOf('/');
  const ipText = slash >= 0 ? text.slice(0, slash) : text;
  const n = ipv4ToInt(ipText);
  if (n >= 0) {
    const prefix = slash >= 0 ? Number(text.slice(slash + 1)) : 32;
    if (Number.isInteger(prefix) && prefix >= 0 && prefix <= 32) {
      const mask4 = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
      const base4 = (n & mask4) >>> 0;
      const cidr: Cidr = { family: 4, base: BigInt(base4), prefix, text: `${intToIpv4(base4)}/${prefix}`, size: 1n << BigInt(32 - prefix) };
      return { cidr, neg, base4, mask4 };
    }
  }
  const cidr = parseCIDR(slash >= 0 ? text : text + (text.includes(':') ? '/128' : '/32'));
  return { cidr, neg, base4: 0, mask4: 0 };
}

/** iptables statistic: kube-proxy writes %0.10f of 1/n; the kernel keeps lround(p · 2^31). */
export function probabilityRaw(n: number): number {
  const written = (1 / n).toFixed(10);
  return Math.round(0x80000000 * parseFloat(written));
}

/** What `iptables-save` prints for a statistic probability (libxt_statistic: %.11f). */
export function probabilityText(raw: number): string {
  return (raw / 0x80000000).toFixed(11);
}

const PLAIN = /^[_\-0-9a-zA-Z]+$/;

/** xtables_save_string: plain words bare, anything else in double quotes with " \ ' escaped. */
export function saveString(s: string): string {
  if (PLAIN.test(s)) return s;
  return '"' + s.replace(/["\\']/g, (c) => '\\' + c) + '"';
}

function hex(n: number): string { return '0x' + n.toString(16); }

function cidrText(a: AddrMatch): string { return a.cidr.text; }

const PROTO_NUM: Record<Proto, number> = { tcp: 6, udp: 17, sctp: 132 };

/** libxt_recent prints the (all-ones) source mask of its family: ip6tables-save shows the IPv6 form. */
const RECENT_MASK: Record<Family, string> = { 4: '255.255.255.255', 6: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff' };

function matchText(m: Match, family: Family): string {
  switch (m.m) {
    case 'comment': return ` -m comment --comment ${saveString(m.text)}`;
    case 'l4': return ` -m ${m.proto}` + (m.dport !== undefined ? ` --dport ${m.dport}` : '');
    case 'addrtype': return ` -m addrtype${m.neg ? ' !' : ''} --${m.dir}-type LOCAL`;
    case 'statistic': return ` -m statistic --mode random --probability ${probabilityText(m.raw)}`;
    case 'recent':
      return ` -m recent --${m.mode}` + (m.seconds !== undefined ? ` --seconds ${m.seconds}` : '') + (m.reap ? ' --reap' : '') +
        ` --name ${m.name} --mask ${RECENT_MASK[family]} --rsource`;
    case 'mark': return ` -m mark${m.neg ? ' !' : ''} --mark ${hex(m.value)}/${hex(m.mask)}`;
    case 'conntrack': return ` -m conntrack${m.neg ? ' !' : ''} --ctstate ${m.states.join(',')}`;
    case 'set': return ` -m set${m.neg ? ' !' : ''} --match-set ${m.name} ${m.dirs}`;
    case 'physdev-not-in': return ' -m physdev ! --physdev-is-in';
    case 'ipvs': return ` -m ipvs --vaddr ${m.vaddr}/${m.vaddr.includes(':') ? 128 : 32} --vproto ${PROTO_NUM[m.vproto]} --vport ${m.vport}`;
  }
}

function targetText(t: Target, family: Family): string {
  switch (t.t) {
    case 'jump': return ` -j ${t.chain}`;
    case 'REJECT': return ` -j REJECT --reject-with ${family === 6 ? 'icmp6-port-unreachable' : 'icmp-port-unreachable'}`;
    case 'ACCEPT': case 'DROP': case 'RETURN': return ` -j ${t.t}`;
    case 'DNAT': return ` -j DNAT --to-destination ${t.ip.includes(':') ? `[${t.ip}]` : t.ip}:${t.port}`;
    case 'MARK': return ` -j MARK --set-xmark ${hex(t.value)}/${hex(t.mask)}`;
    case 'MASQUERADE': return ` -j MASQUERADE${t.randomFully ? ' --random-fully' : ''}`;
    case 'none': return '';
  }
}

/** The rule as `iptables-save` prints it (cached on the rule). */
export function ruleText(r: Rule): string {
  if (r.text !== undefined) return r.text;
  let s = `-A ${r.chain}`;
  if (r.src) s += `${r.src.neg ? ' !' : ''} -s ${cidrText(r.src)}`;
  if (r.dst) s += `${r.dst.neg ? ' !' : ''} -d ${cidrText(r.dst)}`;
  if (r.iif) s += `${r.iif.neg ? ' !' : ''} -i ${r.iif.name}`;
  if (r.proto) s += ` -p ${r.proto}`;
  for (const m of r.matches) s += matchText(m, r.family);
  s += targetText(r.target, r.family);
  r.text = s;
  return s;
}

/** The comment of a rule, if it has one. */
export function ruleComment(r: Rule): string | undefined {
  for (const m of r.matches) if (m.m === 'comment') return m.text;
  return undefined;
}

export interface RuleSpec {
  src?: AddrMatch;
  dst?: AddrMatch;
  iif?: { name: string; neg: boolean };
  proto?: Proto;
  matches?: Match[];
  target: Target;
  sp?: KpServicePort;
}

const NO_MATCHES: Match[] = [];

export function mkRule(table: TableName, chain: string, family: Family, spec: RuleSpec, sp?: KpServicePort): Rule {
  return { table, chain, family, src: spec.src, dst: spec.dst, iif: spec.iif, proto: spec.proto, matches: spec.matches ?? NO_MATCHES, target: spec.target, sp: sp ?? spec.sp, text: undefined };
}

export const jump = (chain: string): Target => ({ t: 'jump', chain });
export const comment = (text: string): Match => ({ m: 'comment', text });
