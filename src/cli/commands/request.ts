// netspec request -f PATH… --url URL [--class NAME] [--expect STATUS] [-o json]
// What an ingress controller does with an HTTP(S) request: which Ingress rule matched, the TLS
// certificate, the backend Service and its endpoints, or the 308 / 404 / 503 it answers instead.
// Exit 0, or 1 when --expect names another status; 2 on bad input or usage.
import { describeRequest } from '../../ingress';
import { renderHops } from '../../net/trace';
import { FILENAME, OUTPUT, one, noArguments, parseArgs, required } from '../args';
import { json, loadFromFlags } from '../common';
import type { Command } from '../main';
import { EXPECT, expectFlag, verdictExit } from '../expect';

const USAGE = [
  'netspec request -f PATH… --url URL [--class NAME] [--expect STATUS] [-o json]',
  '',
  '  --url    http(s)://HOST/PATH, as a client sends it to the ingress controller',
  '  --class  the IngressClass whose controller receives it (default: the default class, else the only one)',
  '  --expect STATUS  exit 1 with a one-line reason unless the HTTP status is this (e.g. 200, 308, 503)',
].join('\n');

export const command: Command = {
  summary: 'where an ingress controller sends an HTTP(S) request',
  usage: USAGE,
  run(argv, io) {
    const p = parseArgs(argv, [FILENAME, OUTPUT(['json']), { name: 'url', value: true }, { name: 'class', value: true }, EXPECT]);
    noArguments(p);
    const url = required(p, 'url');
    const expect = expectFlag(p, /^[1-5]\d\d$/, 'an HTTP status code, e.g. 200');
    const cluster = loadFromFlags(p, io);
    const res = cluster.request({ url, class: one(p, 'class') });
    if (one(p, 'output') === 'json') io.out(json(res));
    else io.out(`${res.url}: ${describeRequest(res)}\n${renderHops(res.hops)}`);
    return verdictExit(io, 'request', expect !== undefined && String(res.status) !== expect ? [`expected ${expect} for ${url}, got ${describeRequest(res)}`] : []);
  },
};
