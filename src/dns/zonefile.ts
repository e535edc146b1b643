// Upstream DNS servers are fixtures, never the network (design §5): a zone file in RFC 1035 master
// format per upstream address. This reads the format ($ORIGIN, $TTL, @, blank owners, relative
// names, parentheses, comments, quoted TXT strings; A AAAA CNAME TXT MX SRV NS SOA PTR) and answers
// queries the way a recursive resolver in front of those zones would: CNAMEs followed inside the
// fixture, wildcards (RFC 4592), NODATA for names that exist with other types or only as empty
// non-terminals, NXDOMAIN for names the fixture lacks, the enclosing SOA in negative answers with
// the RFC 2308 negative TTL.
import type { InputError } from '../model/errors';
import type { SourcePos } from '../net/trace';
import { canonicalIP, ipFamily } from '../net/ip';
import { fqdn, isSubdomain } from './names';
import { message, rr, type DnsMessage, type RR, type RRType } from './types';

const ZONE_TYPES = new Set<RRType>(['A', 'AAAA', 'CNAME', 'TXT', 'MX', 'SRV', 'NS', 'SOA', 'PTR']);
const DEFAULT_TTL = 3600;
/** How many CNAMEs a resolver follows before giving up (CoreDNS and BIND use 8-ish). */
const MAX_CNAME = 8;

export class UpstreamZone {
  private readonly byName = new Map<string, RR[]>();
  /** every owner name and each of its ancestors (to tell empty non-terminals from NXDOMAIN) */
  private readonly exists = new Set<string>();
  readonly records: RR[] = [];

  constructor(
    /** the upstream's address, for messages */
    readonly server: string,
    /** where the fixture came from (file or feature step), for traces */
    readonly source: string,
  ) {}

  add(r: RR): void {
    const list = this.byName.get(r.name);
    if (list) {
      if (list.some((x) => x.type === r.type && x.data === r.data)) return;
      list.push(r);
    } else this.byName.set(r.name, [r]);
    this.records.push(r);
    let n = r.name;
    while (n !== '.' && !this.exists.has(n)) {
      this.exists.add(n);
      const i = n.indexOf('.');
      n = i === n.length - 1 ? '.' : n.slice(i + 1);
    }
  }

  /** Adds every record of another fixture (a second doc string for the same upstream). */
  merge(other: UpstreamZone): void {
    for (const r of other.records) this.add(r);
  }

  /** The answer a resolver in front of these zones gives. */
  answer(qname: string, qtype: RRType): DnsMessage {
    const answers: RR[] = [];
    let name = fqdn(qname);
    for (let hop = 0; hop <= MAX_CNAME; hop++) {
      const own = this.recordsAt(name);
      if (own === null) {
        // the name does not exist: NXDOMAIN (RFC 6604: the rcode speaks of the last name in a chain)
        return message('NXDOMAIN', answers, this.negativeSOA(name));
      }
      const match = own.filter((r) => r.type === qtype);
      if (match.length) return message('NOERROR', [...answers, ...match]);
      const cname = qtype !== 'CNAME' ? own.find((r) => r.type === 'CNAME') : undefined;
      if (!cname) return message('NOERROR', answers, this.negativeSOA(name));
      answers.push(cname);
      name = cname.data;
    }
    return message('SERVFAIL', answers);
  }

  /** Records owned by `name` (wildcards synthesised), [] for an empty non-terminal, null when absent. */
  private recordsAt(name: string): RR[] | null {
    const own = this.byName.get(name);
    if (own) return own;
    if (this.exists.has(name)) return [];
    // RFC 4592: the closest encloser's wildcard answers for names below it that do not exist
    let n = name;
    while (n !== '.') {
      const i = n.indexOf('.');
      n = i === n.length - 1 ? '.' : n.slice(i + 1);
      if (n === '.' || this.exists.has(n)) {
        const wild = this.byName.get(n === '.' ? '*.' : `*.${n}`);
        if (wild) return wild.map((r) => rr(name, r.type, r.ttl, r.data));
        return null;
      }
    }
    return null;
  }

  /** The SOA of the zone enclosing `name`, with the negative-caching TTL (RFC 2308 §5). */
  private negativeSOA(name: string): RR[] {
    let best: RR | undefined;
    for (const r of this.records) {
      if (r.type !== 'SOA' || !isSubdomain(r.name, name)) continue;
      if (!best || r.name.length > best.name.length) best = r;
    }
    if (!best) return [];
    const min = Number(best.data.split(/\s+/)[6]);
    return [rr(best.name, 'SOA', Number.isFinite(min) ? Math.min(best.ttl, min) : best.ttl, best.data)];
  }
}

// ------------------------------------------------------------------------------------------------
// Parsing

interface Tok { text: string; quoted: boolean; line: number; col: number }

/** Splits a master file into logical lines (parentheses joined), each a list of tokens. */
function logicalLines(text: string): { toks: Tok[]; blankOwner: boolean; line: number }[] {
  const out: { toks: Tok[]; blankOwner: boolean; line: number }[] = [];
  let cur: Tok[] = [];
  let depth = 0;
  let blankOwner = false;
  let startLine = 1;
  let line = 1, col = 1;
  let i = 0;
  const flush = () => {
    if (cur.length) out.push({ toks: cur, blankOwner, line: startLine });
    cur = [];
  };
  let atLineStart = true;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      if (depth === 0) flush();
      i++; line++; col = 1; atLineStart = true;
      continue;
    }
    if (atLineStart && depth === 0) {
      blankOwner = c === ' ' || c === '\t';
      startLine = line;
    }
    atLineStart = false;
    if (c === ' ' || c === '\t' || c === '\r') { i++; col++; continue; }
    if (c === ';') { while (i < text.length && text[i] !== '\n') { i++; col++; } continue; }
    if (c === '(') { depth++; i++; col++; continue; }
    if (c === ')') { depth = Math.max(0, depth - 1); i++; col++; continue; }
    const tl = line, tc = col;
    if (c === '"') {
      let s = '';
      i++; col++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) { s += text[i + 1]; i += 2; col += 2; continue; }
        if (text[i] === '\n') { line++; col = 0; }
        s += text[i]; i++; col++;
      }
      i++; col++;
      cur.push({ text: s, quoted: true, line: tl, col: tc });
      continue;
    }
    let s = '';
    while (i < text.length && !' \t\r\n;()"'.includes(text[i])) {
      if (text[i] === '\\' && i + 1 < text.length) { s += text[i] + text[i + 1]; i += 2; col += 2; continue; }
      s += text[i]; i++; col++;
    }
    cur.push({ text: s, quoted: false, line: tl, col: tc });
  }
  flush();
  return out;
}

/** BIND TTL syntax: 3600, 1h, 1h30m, 2d, 1w. */
export function parseTTL(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  const m = /^(?:\d+[smhdw])+$/i.test(s) ? s.toLowerCase().match(/\d+[smhdw]/g) : null;
  if (!m) return null;
  const mult: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  return m.reduce((acc, part) => acc + Number(part.slice(0, -1)) * mult[part.slice(-1)], 0);
}

export interface ZoneParse {
  zone: UpstreamZone;
  errors: InputError[];
}

/**
 * Reads a zone file. `file`/`line`/`col` place it (a doc string starts inside a feature file).
 * Without $ORIGIN, names are taken as absolute ("example.com" is "example.com.").
 */
export function parseZoneFile(text: string, server: string, file: string, line0 = 1, col0 = 1): ZoneParse {
  const zone = new UpstreamZone(server, file);
  const errors: InputError[] = [];
  let origin = '.';
  let defaultTTL: number | null = null;
  let lastTTL: number | null = null;
  let lastOwner: string | null = null;
  const pos = (t: { line: number; col: number }): SourcePos => ({ file, line: line0 + t.line - 1, col: col0 + t.col - 1 });
  const err = (t: { line: number; col: number }, message: string, hint: string) =>
    errors.push({ code: 'NS-ZONEFILE', message, pos: pos(t), hint });
  const qualify = (n: string): string => {
    if (n === '@') return origin;
    if (n.endsWith('.')) return fqdn(n);
    return origin === '.' ? fqdn(n) : fqdn(`${n}.${origin}`);
  };

  for (const ll of logicalLines(text)) {
    const toks = ll.toks;
    const first = toks[0];
    if (!ll.blankOwner && first.text.startsWith('$')) {
      const dir = first.text.toUpperCase();
      if (dir === '$ORIGIN') {
        if (!toks[1]) { err(first, '$ORIGIN needs a domain name', 'e.g. $ORIGIN example.com.'); continue; }
        origin = toks[1].text.endsWith('.') ? fqdn(toks[1].text) : qualify(toks[1].text);
      } else if (dir === '$TTL') {
        const t = toks[1] ? parseTTL(toks[1].text) : null;
        if (t === null) { err(toks[1] ?? first, `$TTL needs a time to live (got "${toks[1]?.text ?? ''}")`, 'e.g. $TTL 3600 or $TTL 1h'); continue; }
        defaultTTL = t;
      } else {
        err(first, `${first.text} is not supported in upstream fixtures`, 'use $ORIGIN and $TTL; put every record in the one file');
      }
      continue;
    }
    let k = 0;
    let owner: string;
    if (ll.blankOwner) {
      if (lastOwner === null) { err(first, 'the first record has no owner name', 'start the line with the name (or @ for the origin)'); continue; }
      owner = lastOwner;
    } else {
      owner = qualify(first.text);
      k = 1;
    }
    let ttl: number | null = null;
    // [ttl] [class] or [class] [ttl], in either order
    for (let n = 0; n < 2 && k < toks.length; n++) {
      const t = toks[k].text.toUpperCase();
      if (ttl === null && parseTTL(toks[k].text) !== null && !ZONE_TYPES.has(t as RRType)) { ttl = parseTTL(toks[k].text); k++; continue; }
      if (t === 'IN' || t === 'CH' || t === 'HS') {
        if (t !== 'IN') err(toks[k], `class ${t} is not supported`, 'upstream fixtures hold IN records');
        k++; continue;
      }
      break;
    }
    const typeTok = toks[k];
    if (!typeTok) { err(first, `record for ${owner} has no type`, 'e.g. www  300  IN  A  93.184.216.34'); continue; }
    const type = typeTok.text.toUpperCase() as RRType;
    if (!ZONE_TYPES.has(type)) {
      err(typeTok, `record type "${typeTok.text}" is not supported`, `supported: ${[...ZONE_TYPES].join(' ')}`);
      continue;
    }
    const rdata = toks.slice(k + 1);
    const data = rdataOf(type, rdata, qualify, (t, m, h) => err(t, m, h), typeTok);
    if (data === null) continue;
    if (ttl === null) {
      if (type === 'SOA' && defaultTTL === null && lastTTL === null) ttl = Number(data.split(' ')[6]);
      else ttl = defaultTTL ?? lastTTL ?? DEFAULT_TTL;
    }
    lastTTL = ttl;
    lastOwner = owner;
    zone.add(rr(owner, type, ttl, data));
  }
  return { zone, errors };
}

function rdataOf(
  type: RRType, t: Tok[], qualify: (n: string) => string,
  err: (t: { line: number; col: number }, m: string, h: string) => void, at: Tok,
): string | null {
  const need = (n: number, example: string): boolean => {
    if (t.length >= n) return true;
    err(t[t.length - 1] ?? at, `${type} needs ${n} field${n === 1 ? '' : 's'} of data (got ${t.length})`, `e.g. ${example}`);
    return false;
  };
  const num = (x: Tok, max: number, what: string): number | null => {
    if (!/^\d+$/.test(x.text) || Number(x.text) > max) { err(x, `${what} must be a whole number from 0 to ${max} (got "${x.text}")`, `check the ${type} record`); return null; }
    return Number(x.text);
  };
  switch (type) {
    case 'A':
    case 'AAAA': {
      if (!need(1, type === 'A' ? 'A 93.184.216.34' : 'AAAA 2606:2800:220:1::1')) return null;
      const fam = ipFamily(t[0].text);
      if (fam !== (type === 'A' ? 4 : 6)) { err(t[0], `"${t[0].text}" is not an IPv${type === 'A' ? 4 : 6} address`, type === 'A' ? 'A records hold IPv4 addresses; use AAAA for IPv6' : 'AAAA records hold IPv6 addresses; use A for IPv4'); return null; }
      return canonicalIP(t[0].text);
    }
    case 'CNAME':
    case 'NS':
    case 'PTR':
      if (!need(1, `${type} target.example.com.`)) return null;
      return qualify(t[0].text);
    case 'MX': {
      if (!need(2, 'MX 10 mail.example.com.')) return null;
      const p = num(t[0], 65535, 'the MX preference');
      return p === null ? null : `${p} ${qualify(t[1].text)}`;
    }
    case 'SRV': {
      if (!need(4, 'SRV 0 100 443 server.example.com.')) return null;
      const v = [num(t[0], 65535, 'the SRV priority'), num(t[1], 65535, 'the SRV weight'), num(t[2], 65535, 'the SRV port')];
      if (v.some((x) => x === null)) return null;
      return `${v.join(' ')} ${qualify(t[3].text)}`;
    }
    case 'TXT':
      if (!need(1, 'TXT "v=spf1 -all"')) return null;
      return t.map((x) => `"${x.text.replace(/(["\\])/g, '\\$1')}"`).join(' ');
    case 'SOA': {
      if (!need(7, 'SOA ns1.example.com. hostmaster.example.com. 1 7200 1800 86400 300')) return null;
      const nums: number[] = [];
      for (const x of t.slice(2, 7)) {
        const v = x === t[2] ? num(x, 4294967295, 'the SOA serial') : parseTTL(x.text);
        if (v === null) { err(x, `"${x.text}" is not a number or a time`, 'SOA: mname rname serial refresh retry expire minimum'); return null; }
        nums.push(v);
      }
      return `${qualify(t[0].text)} ${qualify(t[1].text)} ${nums.join(' ')}`;
    }
  }
  return null;
}

/**
 * One record from a Gherkin step (`answers "example.com" with A 93.184.216.34`): type and data as
 * a zone file would have them. Returns the record or a one-line problem.
 */
export function recordFromText(name: string, type: string, data: string, ttl = DEFAULT_TTL): RR | string {
  const res = parseZoneFile(`${fqdn(name)} ${ttl} IN ${type} ${data}`, '', '<step>');
  if (res.errors.length) return res.errors[0].message;
  const r = res.zone.records[0];
  return r ?? `could not read "${type} ${data}"`;
}

/** Names in a fixture, for "did you mean" hints. */
export function ownerNames(z: UpstreamZone): string[] {
  return [...new Set(z.records.map((r) => r.name))];
}
