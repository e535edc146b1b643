// The stub resolver inside a container: how a short name becomes the list of names actually asked.
//
// glibc (res_query.c __res_context_search): a name with a trailing dot is asked as is, alone. A
// name with at least ndots dots is asked as is first; otherwise the search list comes first and the
// name as is last. Through the search list an answer stops the walk; NXDOMAIN goes on; NODATA goes
// on but is remembered (it is what the caller gets if nothing answers); SERVFAIL goes on; any other
// error (REFUSED) ends the search list. Nameservers are asked in order; SERVFAIL or REFUSED from
// one that is not the last sends glibc to the next (res_send.c).
//
// musl (lookup_name.c name_from_dns_search, Alpine images): with at least ndots dots — or a
// trailing dot — there is no search at all, only the name as is. Otherwise each search domain in
// turn, and only NXDOMAIN moves on: NODATA, SERVFAIL or REFUSED end the lookup right there (so a
// search domain whose DNS answers NODATA, or fails, hides the real name — the classic Alpine-in-
// Kubernetes surprise). musl asks every nameserver at once and takes the first NOERROR or NXDOMAIN.
import type { Hop } from '../net/trace';
import type { StubSettings } from './resolvconf';
import { message, type DnsMessage, type RRType, type Try } from './types';

export type Flavor = 'glibc' | 'musl';

export interface StubOutcome {
  final: DnsMessage;
  /** the name whose answer is returned, null when every try failed */
  finalName: string | null;
  finalServer: string;
  tried: Try[];
}

/** Asks one nameserver for one fully qualified name. */
export type Ask = (server: string, name: string) => DnsMessage;

const success = (m: DnsMessage) => m.rcode === 'NOERROR' && m.answers.length > 0;

function countDots(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 46) n++;
  return n;
}

export function stubResolve(
  name: string, qtype: RRType, s: StubSettings, flavor: Flavor, ask: Ask, hops: Hop[] | null, at: string,
  /** the asking address, for the packets in the trace */
  srcIP = '0.0.0.0',
): StubOutcome {
  const tried: Try[] = [];
  const servers = s.nameservers.length ? s.nameservers : ['127.0.0.1'];
  const dots = countDots(name);
  const trailing = name.endsWith('.');
  const bare = trailing ? name.slice(0, -1) : name;
  const asIs = `${bare}.`;

  const send = (fq: string, why: string): { m: DnsMessage; server: string } => {
    let last: { m: DnsMessage; server: string } | null = null;
    for (let i = 0; i < servers.length; i++) {
      const srv = servers[i];
      hops?.push({ at, action: 'query', detail: `${flavor} asks ${srv} for ${fq} ${qtype} (${why})`, packet: { src: `${srcIP}:${53000 + tried.length}`, dst: `${srv}:53`, proto: 'UDP' } });
      const m = ask(srv, fq);
      last = { m, server: srv };
      if (flavor === 'glibc') {
        if ((m.rcode === 'SERVFAIL' || m.rcode === 'REFUSED') && i < servers.length - 1) {
          hops?.push({ at, action: 'reply', detail: `${m.rcode} from ${srv}: glibc tries the next nameserver` });
          continue;
        }
        break;
      }
      if (m.rcode === 'NOERROR' || m.rcode === 'NXDOMAIN') break;
      hops?.push({ at, action: 'reply', detail: `${m.rcode} from ${srv}: musl ignores it and waits for another nameserver` });
      if (i === servers.length - 1) last = { m: message('SERVFAIL'), server: srv };
    }
    tried.push({ name: fq, rcode: last!.m.rcode, answers: last!.m.answers.length, server: last!.server });
    return last!;
  };
  const verdict = (m: DnsMessage, next: string) => {
    const what = m.rcode === 'NOERROR' ? (m.answers.length ? `${m.answers.length} answer${m.answers.length === 1 ? '' : 's'}` : 'NODATA') : m.rcode;
    hops?.push({ at, action: 'reply', detail: `${what}: ${next}` });
  };

  if (flavor === 'musl') {
    const searching = !(dots >= s.ndots || trailing);
    hops?.push({ at, action: 'note', detail: searching
      ? `musl: "${name}" has ${dots} dot${dots === 1 ? '' : 's'} < ndots ${s.ndots}: each search domain in turn, only NXDOMAIN moves on, then the name as is`
      : `musl: "${name}" has ${trailing ? 'a trailing dot' : `${dots} dots ≥ ndots ${s.ndots}`}: asked as is, with no search list` });
    if (searching) {
      const domains = s.search.filter((d) => d !== '.' && d !== '');
      for (let i = 0; i < domains.length; i++) {
        const d = domains[i].endsWith('.') ? domains[i].slice(0, -1) : domains[i];
        if (bare.length + 1 + d.length > 253) continue;
        const fq = `${bare}.${d}.`;
        const r = send(fq, `search domain ${i + 1} of ${domains.length}: ${d}`);
        if (success(r.m)) { verdict(r.m, 'found'); return { final: r.m, finalName: fq, finalServer: r.server, tried }; }
        if (r.m.rcode === 'NXDOMAIN') { verdict(r.m, 'musl goes on'); continue; }
        verdict(r.m, `musl stops here${r.m.rcode === 'NOERROR' ? ' (glibc would go on)' : ''}: ${bare} is never asked as is`);
        return { final: r.m, finalName: r.m.rcode === 'NOERROR' ? fq : null, finalServer: r.server, tried };
      }
    }
    const r = send(asIs, 'the name as is');
    verdict(r.m, success(r.m) ? 'found' : 'the lookup fails');
    return { final: r.m, finalName: success(r.m) || r.m.rcode === 'NOERROR' ? asIs : null, finalServer: r.server, tried };
  }

  // glibc
  let saved: { m: DnsMessage; server: string; name: string } | null = null;
  let triedAsIs = false;
  if (dots >= s.ndots || trailing) {
    hops?.push({ at, action: 'note', detail: trailing
      ? `glibc: "${name}" ends with a dot: it is absolute, asked as is and nothing else`
      : `glibc: "${name}" has ${dots} dot${dots === 1 ? '' : 's'} ≥ ndots ${s.ndots}: asked as is first, then through the search list` });
    const r = send(asIs, 'the name as is');
    if (success(r.m) || trailing) {
      verdict(r.m, success(r.m) ? 'found' : 'an absolute name is not searched');
      return { final: r.m, finalName: success(r.m) || r.m.rcode === 'NOERROR' ? asIs : null, finalServer: r.server, tried };
    }
    verdict(r.m, 'glibc tries the search list');
    saved = { ...r, name: asIs };
    triedAsIs = true;
  } else {
    hops?.push({ at, action: 'note', detail: `glibc: "${name}" has ${dots} dot${dots === 1 ? '' : 's'} < ndots ${s.ndots}: the search list first (${s.search.length} domain${s.search.length === 1 ? '' : 's'}), then the name as is` });
  }
  let nodata: { m: DnsMessage; server: string; name: string } | null = null;
  let servfail: { m: DnsMessage; server: string } | null = null;
  let rootOnList = false;
  let last: { m: DnsMessage; server: string; name: string } | null = null;
  for (let i = 0; i < s.search.length; i++) {
    let d = s.search[i];
    if (d.startsWith('.')) d = d.slice(1);
    if (d.endsWith('.')) d = d.slice(0, -1);
    if (d === '') rootOnList = true;
    const fq = d === '' ? asIs : `${bare}.${d}.`;
    if (fq.length > 254) continue;
    const r = send(fq, d === '' ? 'search domain "." (the root)' : `search domain ${i + 1} of ${s.search.length}: ${d}`);
    last = { ...r, name: fq };
    if (success(r.m)) { verdict(r.m, 'found'); return { final: r.m, finalName: fq, finalServer: r.server, tried }; }
    if (r.m.rcode === 'NXDOMAIN') { verdict(r.m, 'glibc goes on'); continue; }
    if (r.m.rcode === 'NOERROR') { if (!nodata) nodata = last; verdict(r.m, 'glibc goes on (and remembers the NODATA)'); continue; }
    if (r.m.rcode === 'SERVFAIL') { if (!servfail) servfail = r; verdict(r.m, 'glibc goes on with the next search domain'); continue; }
    verdict(r.m, 'glibc ends the search list');
    break;
  }
  if (!(triedAsIs || rootOnList)) {
    const r = send(asIs, 'the name as is');
    last = { ...r, name: asIs };
    if (success(r.m)) { verdict(r.m, 'found'); return { final: r.m, finalName: asIs, finalServer: r.server, tried }; }
    verdict(r.m, 'nothing answered');
  }
  // what the caller sees: the first as-is answer, else a remembered NODATA, else SERVFAIL, else the last
  if (saved) return { final: saved.m, finalName: saved.m.rcode === 'NOERROR' ? saved.name : null, finalServer: saved.server, tried };
  if (nodata) return { final: nodata.m, finalName: nodata.name, finalServer: nodata.server, tried };
  if (servfail) return { final: servfail.m, finalName: null, finalServer: servfail.server, tried };
  if (last) return { final: last.m, finalName: null, finalServer: last.server, tried };
  return { final: message('SERVFAIL'), finalName: null, finalServer: servers[0], tried };
}
