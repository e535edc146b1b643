// DNS data as netspec passes it around: resource records in zone-file notation, messages, and the
// result of a query as design §5 shapes it for `netspec dns -o json`.
import type { Hop } from '../net/trace';

export const RR_TYPES = ['A', 'AAAA', 'SRV', 'PTR', 'CNAME', 'TXT', 'SOA', 'NS', 'MX'] as const;
export type RRType = (typeof RR_TYPES)[number];

export function isRRType(s: string): s is RRType {
  return (RR_TYPES as readonly string[]).includes(s);
}

export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';

/** A resource record. `name` is fully qualified with its trailing dot; `data` is zone-file notation. */
export interface RR {
  readonly name: string;
  readonly type: RRType;
  readonly ttl: number;
  /** e.g. `10.96.0.10`, `0 100 80 web.shop.svc.cluster.local.`, `"1.1.0"`, `ext.example.com.` */
  readonly data: string;
}

/** A DNS response. Objects the record store hands out are frozen and shared: copy before changing. */
export interface DnsMessage {
  readonly rcode: Rcode;
  readonly answers: readonly RR[];
  readonly authority: readonly RR[];
  readonly additional: readonly RR[];
  /** the server answered authoritatively (the kubernetes plugin does; forward does not) */
  readonly aa?: boolean;
  /** the lowest TTL of every record (computed once, for the cache plugin) */
  readonly lowTTL?: number;
  /** the lowest SOA minimum in the authority section (negative caching), or Infinity */
  readonly soaMin?: number;
  /** the TTL every record has, or -1 when they differ */
  readonly sameTTL?: number;
}

/** One name the stub resolver asked for, in order. */
export interface Try {
  name: string;
  rcode: Rcode;
  /** number of answer records (NOERROR with 0 is NODATA) */
  answers: number;
  /** the nameserver that gave this answer */
  server: string;
}

/** The answer to `netspec dns` (design §5), plus a few added fields. */
export interface DnsResult {
  /** the name as the user gave it */
  query: string;
  type: RRType;
  rcode: Rcode;
  answers: RR[];
  authority: RR[];
  additional: RR[];
  tried: Try[];
  /** the nameserver that gave the final answer */
  server: string;
  /** the name whose answer was returned (after the search list), or null when every try failed */
  name: string | null;
  /** glibc or musl search rules, or "direct" when the query went straight to the cluster DNS */
  resolver: 'glibc' | 'musl' | 'direct';
  hops: Hop[];
}

export function rr(name: string, type: RRType, ttl: number, data: string): RR {
  return Object.freeze({ name, type, ttl, data });
}

const NONE: readonly RR[] = Object.freeze([]);
const frozen = (l: readonly RR[]): readonly RR[] => (l.length === 0 ? NONE : Object.freeze(l.slice()));

export function message(rcode: Rcode, answers: readonly RR[] = NONE, authority: readonly RR[] = NONE, additional: readonly RR[] = NONE, aa = false): DnsMessage {
  let low = Infinity, soaMin = Infinity, same = -2;
  for (const list of [answers, authority, additional]) {
    for (const r of list) {
      if (r.ttl < low) low = r.ttl;
      same = same === -2 ? r.ttl : same === r.ttl ? same : -1;
      if (r.type === 'SOA' && list === authority) {
        const m = Number(r.data.slice(r.data.lastIndexOf(' ') + 1));
        if (Number.isFinite(m) && m < soaMin) soaMin = m;
      }
    }
  }
  return Object.freeze({ rcode, answers: frozen(answers), authority: frozen(authority), additional: frozen(additional), aa, lowTTL: low, soaMin, sameTTL: same });
}

/** A record as one table cell: `A 10.96.0.10`. */
export function rrCell(r: RR): string {
  return `${r.type} ${r.data}`;
}

/** A record as one zone-file line: `web.shop.svc.cluster.local. 30 IN A 10.96.0.10`. */
export function rrLine(r: RR): string {
  return `${r.name}\t${r.ttl}\tIN\t${r.type}\t${r.data}`;
}

/** NOERROR with no answers. */
export function isNoData(m: DnsMessage): boolean {
  return m.rcode === 'NOERROR' && m.answers.length === 0;
}
