// netspec request -f PATH… --url URL [--method M] [--header K:V]… [--sni NAME] [--no-host]
//                 [--http-version 1.0|1.1|2] [--class NAME] [-o json]
// What an ingress controller does with an HTTP(S) request: which Ingress rule matched, the TLS
// certificate, the backend Service and its endpoints and the request as the backend receives it
// (method, host, path after rewrite-target, the X-Forwarded-* headers), or the redirect / 404 / 503
// it answers itself. Exit 0, or 1 when --expect names another status; 2 on bad input or usage.
import { describeRequest, type RequestResult } from '../../ingress';
import { renderHops } from '../../net/trace';
import { FILENAME, TIME_FLAGS, TIME_USAGE, OUTPUT, UsageError, one, noArguments, parseArgs, required } from '../args';
import { json, loadFromFlags } from '../common';
import type { Command } from '../main';
import { EXPECT, expectFlag, verdictExit } from '../expect';

const USAGE = [
  'netspec request -f PATH… --url URL [--method M] [--header K:V]… [--sni NAME] [--no-host] [--http-version V] [--class NAME] [--at DURATION [--script FILE]] [--expect STATUS] [-o json]',
  '',
  '  --url           http(s)://HOST/PATH?QUERY, as a client sends it to the ingress controller; http://NODEIP:PORT/…',
  '                  where kube-proxy listens (a healthCheckNodePort, /healthz on 10256) is answered by kube-proxy',
  '  --method        the HTTP method (default GET)',
  '  --header        a request header "Name: value" (repeatable); a Host header overrides the URL\'s host',
  '  --sni           https: the TLS server name (default: the host)',
  '  --no-host       send no Host header (HTTP/1.0): the controller\'s default server answers',
  '  --http-version  1.0, 1.1 (default) or 2',
  '  --class         the IngressClass whose controller receives it (default: the default class, else the only one)',
  '  --expect STATUS  exit 1 with a one-line reason unless the HTTP status is this (e.g. 200, 308, 503)',
  TIME_USAGE,
].join('\n');

function header(h: string): [string, string] {
  const c = h.indexOf(':');
  if (c <= 0) throw new UsageError(`--header "${h}": write it as "Name: value"`);
  return [h.slice(0, c).trim(), h.slice(c + 1).trim()];
}

/** The request as the backend receives it, or the controller's own answer, in a few lines. */
function detail(res: RequestResult): string {
  const lines: string[] = [];
  if (res.canary) lines.push(`canary ${res.canary.ingress}: ${res.canary.chosen ? 'chosen' : 'not chosen'} (${res.canary.detail})`);
  const f = res.forwarded;
  if (f) {
    lines.push(`the backend receives: ${f.method} ${f.uri} (${f.protocol}, Host: ${f.host})`);
    for (const [k, v] of Object.entries(f.headers).sort()) lines.push(`  ${k}: ${v}`);
  } else if (res.answeredBy) {
    lines.push(`${res.answeredBy.component} answers ${res.status}${Object.entries(res.response?.headers ?? {}).map(([k, v]) => `, ${k}: ${v}`).join('')}`);
    lines.push(...res.answeredBy.body.split('\n').map((l) => `  ${l}`));
  } else if (res.response) {
    lines.push(`the controller answers ${res.response.status}${Object.entries(res.response.headers).map(([k, v]) => `, ${k}: ${v}`).join('')}`);
  }
  return lines.join('\n');
}

export const command: Command = {
  summary: 'where an ingress controller sends an HTTP(S) request, and what the backend receives',
  usage: USAGE,
  run(argv, io) {
    const p = parseArgs(argv, [FILENAME, OUTPUT(['json']), ...TIME_FLAGS, { name: 'url', value: true }, { name: 'class', value: true },
      { name: 'method', short: 'X', value: true }, { name: 'header', short: 'H', value: true, repeat: true }, { name: 'sni', value: true },
      { name: 'no-host', value: false }, { name: 'http-version', value: true, choices: ['1.0', '1.1', '2'] }, EXPECT]);
    noArguments(p);
    const url = required(p, 'url');
    const expect = expectFlag(p, /^[1-5]\d\d$/, 'an HTTP status code, e.g. 200');
    const headers = (p.flags.get('header') ?? []).map(header);
    const cluster = loadFromFlags(p, io);
    const res = cluster.request({
      url, class: one(p, 'class'), method: one(p, 'method'), headers, sni: one(p, 'sni'),
      noHost: p.flags.has('no-host'), httpVersion: one(p, 'http-version') as '1.0' | '1.1' | '2' | undefined,
    });
    if (one(p, 'output') === 'json') io.out(json(res));
    else {
      const d = detail(res);
      io.out(`${res.url}: ${describeRequest(res)}\n${d ? d + '\n' : ''}${renderHops(res.hops)}`);
    }
    return verdictExit(io, 'request', expect !== undefined && String(res.status) !== expect ? [`expected ${expect} for ${url}, got ${describeRequest(res)}`] : []);
  },
};
