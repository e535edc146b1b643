// The table as `nft list ruleset` prints it (nft 1.0.x): sets and maps first, then chains, each
// in creation order; marks as 0x%08x; `dstnat - 10` priorities; rule comments last. The same text
// loads with `nft -f`.
import { ipToBigInt, ipv4ToInt, isIP, type Cidr } from '../../net/ip';
import { TABLE, type NftChain, type NftMap, type NftMatch, type NftRule, type NftRuleset, type NftSet, type NftStmt } from './build';

const hex8 = (n: number) => '0x' + n.toString(16).padStart(8, '0');

function cidrText(c: Cidr): string {
  const full = c.family === 4 ? 32 : 128;
  return c.prefix === full ? c.text.slice(0, c.text.lastIndexOf('/')) : c.text;
}

function matchText(m: NftMatch, ipX: string): string {
  switch (m.m) {
    case 'ct-new': return 'ct state new';
    case 'addr': {
      // an anonymous set of one element is listed without braces; several are listed sorted
      const list = m.cidrs.length > 1 ? [...m.cidrs].sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : a.prefix - b.prefix)).map(cidrText) : m.cidrs.map(cidrText);
      const v = list.length > 1 ? `{ ${list.join(', ')} }` : list[0];
      return `${ipX} ${m.dir} ${m.neg ? '!= ' : ''}${v}`;
    }
    case 'set': return `${ipX} ${m.dir} @${m.set}`;
    case 'dport': return `${m.proto} dport ${m.port}`;
    case 'fib-local': return `fib ${m.dir} type local`;
    case 'iif': return `iifname ${m.neg ? '!= ' : ''}"${m.name}"`;
    case 'unmarked': return `meta mark & ${hex8(m.mark)} == ${hex8(0)}`;
    case 'l4proto': return `meta l4proto ${m.proto}`;
  }
}

function stmtText(s: NftStmt, ipX: string): string {
  switch (s.s) {
    case 'jump': case 'goto': return `${s.s} ${s.chain}`;
    case 'vmap': return `${s.key === 'addr' ? `${ipX} daddr . ` : ''}meta l4proto . th dport vmap @${s.map}`;
    case 'numgen': return `numgen random mod ${s.targets.length} vmap { ${s.targets.map((t, i) => `${i} : goto ${t}`).join(', ')} }`;
    case 'drop': case 'reject': case 'return': return s.s;
    case 'masquerade': return 'masquerade fully-random';
    case 'mark-or': return `meta mark set meta mark | ${hex8(s.mark)}`;
    case 'mark-xor': return `meta mark set meta mark ^ ${hex8(s.mark)}`;
    case 'dnat': return `dnat to ${s.ip.includes(':') ? `[${s.ip}]` : s.ip}:${s.port}`;
    case 'update': return `update @${s.set} { ${ipX} saddr }`;
  }
}

export function ipX(rs: NftRuleset): string { return rs.family === 4 ? 'ip' : 'ip6'; }

/** One rule as `nft list` prints it (cached on the rule). */
export function nftRuleText(r: NftRule, ip: string): string {
  if (r.text !== undefined) return r.text;
  const parts = r.matches.map((m) => matchText(m, ip));
  parts.push(stmtText(r.stmt, ip));
  if (r.comment) parts.push(`comment "${r.comment}"`);
  r.text = parts.join(' ');
  return r.text;
}

/** Seconds as nft prints a timeout: 3h, 1h30m, 10s… */
export function nftDuration(sec: number): string {
  const d = Math.floor(sec / 86400), h = Math.floor((sec % 86400) / 3600), m = Math.floor((sec % 3600) / 60), s = sec % 60;
  return `${d ? d + 'd' : ''}${h ? h + 'h' : ''}${m ? m + 'm' : ''}${s || sec === 0 ? s + 's' : ''}`;
}

/** Element keys in address order (the kernel lists a hash set in hash order, which varies by boot). */
function keyOrder(a: string, b: string): number {
  const pa = a.split(' . '), pb = b.split(' . ');
  for (let i = 0; i < pa.length; i++) {
    const x = pa[i], y = pb[i];
    if (x === y) continue;
    const ix = ipToBig(x), iy = ipToBig(y);
    if (ix !== null && iy !== null) return ix < iy ? -1 : 1;
    const nx = Number(x), ny = Number(y);
    if (Number.isInteger(nx) && Number.isInteger(ny)) return nx - ny;
    return x < y ? -1 : 1;
  }
  return 0;
}

function ipToBig(s: string): bigint | number | null {
  const n = ipv4ToInt(s);
  if (n >= 0) return n;
  if (!s.includes(':') || !isIP(s)) return null;
  return ipToBigInt(s) + (1n << 32n);
}

function setText(s: NftSet | NftMap, out: string[]): void {
  out.push(`\t${s.kind} ${s.name} {`, `\t\ttype ${s.type}`);
  if (s.kind === 'set' && s.timeout !== undefined) out.push('\t\tsize 65535', '\t\tflags dynamic,timeout', `\t\ttimeout ${nftDuration(s.timeout)}`);
  if (s.comment) out.push(`\t\tcomment "${s.comment}"`);
  let elems: string[];
  // nft puts as many elements on a line as their width allows: two IPv4 addresses, one IPv6 address or map element
  let perLine = 1;
  if (s.kind === 'set') {
    elems = [...s.elems].sort(keyOrder);
    if (s.type === 'ipv4_addr') perLine = 2;
  } else {
    elems = [...s.elems.values()].sort((a, b) => keyOrder(a.key, b.key))
      .map((e) => `${e.key}${e.comment ? ` comment "${e.comment}"` : ''} : ${e.value.v === 'drop' ? 'drop' : `goto ${e.value.chain}`}`);
  }
  if (elems.length) {
    const lines: string[] = [];
    for (let i = 0; i < elems.length; i += perLine) lines.push(elems.slice(i, i + perLine).join(', '));
    out.push(`\t\telements = { ${lines.join(',\n\t\t\t     ')} }`);
  }
  out.push('\t}');
}

function chainText(c: NftChain, ip: string, out: string[]): void {
  out.push(`\tchain ${c.name} {`);
  if (c.comment) out.push(`\t\tcomment "${c.comment}"`);
  if (c.base) out.push(`\t\ttype ${c.base.type} hook ${c.base.hook} priority ${c.base.priority}; policy accept;`);
  for (const r of c.rules) out.push('\t\t' + nftRuleText(r, ip));
  out.push('\t}');
}

/** The table as `nft list ruleset` prints it. */
export function renderNft(rs: NftRuleset): string {
  const ip = ipX(rs);
  const out: string[] = [`table ${ip} ${TABLE} {`, '\tcomment "rules for kube-proxy"'];
  let first = true;
  const gap = () => { if (!first) out.push(''); first = false; };
  for (const s of rs.setOrder) { gap(); setText(s, out); }
  for (const c of rs.chains.values()) { gap(); chainText(c, ip, out); }
  out.push('}');
  return out.join('\n') + '\n';
}
