// netspec dns -f PATH… [--from NS/POD] --name NAME [--type A|AAAA|SRV|PTR|CNAME|TXT|SOA|NS]
//             [--resolver glibc|musl] [--upstream IP=ZONEFILE]… [--expect RCODE] [-o json]
// What cluster DNS answers. With --from, the name goes through the pod's resolv.conf and search
// list (every try is listed); without it, straight to the cluster DNS service as an absolute name.
// A query: exit 0 whatever the rcode; 2 on bad input or usage.
import { coreDns, nameProblem, rrLine, RR_TYPES, type DnsResult, type RRType } from '../../dns';
import { renderHops } from '../../net/trace';
import { FILENAME, WARNINGS, TIME_FLAGS, TIME_USAGE, OUTPUT, one, noArguments, parseArgs, required, UsageError } from '../args';
import { json, loadFromFlags, podArg, printWarnings, upstreamFlags } from '../common';
import type { Command } from '../main';
import { EXPECT, expectFlag, verdictExit } from '../expect';

const USAGE = [
  'netspec dns -f PATH… [--from NS/POD] --name NAME [--type A|AAAA|SRV|PTR|CNAME|TXT|SOA|NS] [--resolver glibc|musl] [--upstream IP=ZONEFILE]… [--at DURATION [--script FILE]] [--expect RCODE] [-o json]',
  '',
  '  --from      the pod that asks: its resolv.conf, search list and ndots apply (default: ask the',
  '              cluster DNS service directly, the name taken as absolute)',
  '  --type      record type (default A)',
  '  --expect    exit 1 with a one-line reason unless the answer\'s rcode is this (NOERROR, NXDOMAIN, SERVFAIL, REFUSED)',
  '  --resolver  the stub resolver\'s search rules: glibc (default; Debian, Ubuntu, distroless) or musl (Alpine)',
  '  --upstream  an upstream DNS server as a fixture: its address and an RFC 1035 zone file (repeatable);',
  '              netspec never asks the real network, an upstream without a fixture answers SERVFAIL',
  TIME_USAGE,
].join('\n');

/** The JSON shape of design §5 (fields may be added, never renamed). */
export function dnsJSON(r: DnsResult): unknown {
  return {
    rcode: r.rcode,
    answers: r.answers,
    authority: r.authority,
    additional: r.additional,
    tried: r.tried.map((t) => ({ name: t.name, rcode: t.rcode, answers: t.answers, server: t.server })),
    server: r.server,
    name: r.name,
    query: r.query,
    type: r.type,
    resolver: r.resolver,
    hops: r.hops,
  };
}

export function renderDns(r: DnsResult, from?: string): string {
  const lines: string[] = [];
  lines.push(`;; ${r.query} ${r.type}${from ? ` from ${from} (${r.resolver})` : ' asked directly'}: ${r.rcode}${r.rcode === 'NOERROR' && !r.answers.length ? ' (NODATA)' : ''} from ${r.server}`);
  if (r.tried.length) {
    lines.push(';; tried:');
    for (const t of r.tried) lines.push(`;;   ${t.name.padEnd(40)} ${t.rcode}${t.rcode === 'NOERROR' ? ` (${t.answers} answer${t.answers === 1 ? '' : 's'})` : ''}`);
  }
  const section = (title: string, list: DnsResult['answers']) => {
    if (!list.length) return;
    lines.push(`;; ${title}`);
    for (const x of list) lines.push(rrLine(x));
  };
  section('ANSWER', r.answers);
  section('AUTHORITY', r.authority);
  section('ADDITIONAL', r.additional);
  lines.push(';; trace:');
  lines.push(renderHops(r.hops));
  return lines.join('\n');
}

const RCODES = ['NOERROR', 'NXDOMAIN', 'SERVFAIL', 'REFUSED'] as const;

export const command: Command = {
  summary: 'what cluster DNS answers, search path included',
  usage: USAGE,
  run(argv, io) {
    const p = parseArgs(argv, [
      FILENAME, WARNINGS, OUTPUT(['json']), ...TIME_FLAGS,
      { name: 'from', value: true },
      { name: 'name', value: true },
      { name: 'type', value: true, choices: RR_TYPES.filter((t) => t !== 'MX') },
      { name: 'resolver', value: true, choices: ['glibc', 'musl'] },
      { name: 'upstream', value: true, repeat: true },
      EXPECT,
    ]);
    noArguments(p);
    const name = required(p, 'name');
    const problem = nameProblem(name);
    if (problem) throw new UsageError(`--name "${name}": ${problem}`);
    const type = (one(p, 'type') ?? 'A') as RRType;
    const expect = expectFlag(p, RCODES, RCODES.join(', '));
    const upstreams = upstreamFlags(p);
    const cluster = loadFromFlags(p, io);
    const fromText = one(p, 'from');
    const from = fromText !== undefined ? podArg(cluster, fromText, '--from') : undefined;
    printWarnings(p, io, coreDns(cluster.realised).warnings);
    const res = cluster.dns({ name, type, from, resolver: (one(p, 'resolver') ?? 'glibc') as 'glibc' | 'musl', upstreams });
    io.out(one(p, 'output') === 'json' ? json(dnsJSON(res)) : renderDns(res, fromText));
    const got = `${res.rcode}${res.answers.length ? ` (${res.answers.map((a) => `${a.type} ${a.data}`).join(', ')})` : ''}`;
    return verdictExit(io, 'dns', expect !== undefined && res.rcode !== expect ? [`expected ${expect} for ${name} ${type}, got ${got}`] : []);
  },
};
