// netspec request -f PATH… --url URL [--class NAME] [-o json]
// What an ingress controller does with an HTTP(S) request: which Ingress rule matched, the TLS
// certificate, the backend Service and its endpoints, or the 308 / 404 / 503 it answers instead.
// A query: exit 0 whatever the outcome; 2 on bad input or usage.
import { describeRequest } from '../../ingress';
import { renderHops } from '../../net/trace';
import { FILENAME, TIME_FLAGS, TIME_USAGE, OUTPUT, one, noArguments, parseArgs, required } from '../args';
import { json, loadFromFlags } from '../common';
import type { Command } from '../main';

const USAGE = [
  'netspec request -f PATH… --url URL [--class NAME] [--at DURATION [--script FILE]] [-o json]',
  '',
  '  --url    http(s)://HOST/PATH, as a client sends it to the ingress controller',
  '  --class  the IngressClass whose controller receives it (default: the default class, else the only one)',
  TIME_USAGE,
].join('\n');

export const command: Command = {
  summary: 'where an ingress controller sends an HTTP(S) request',
  usage: USAGE,
  run(argv, io) {
    const p = parseArgs(argv, [FILENAME, OUTPUT(['json']), ...TIME_FLAGS, { name: 'url', value: true }, { name: 'class', value: true }]);
    noArguments(p);
    const url = required(p, 'url');
    const cluster = loadFromFlags(p, io);
    const res = cluster.request({ url, class: one(p, 'class') });
    if (one(p, 'output') === 'json') {
      io.out(json(res));
      return 0;
    }
    io.out(`${res.url}: ${describeRequest(res)}\n${renderHops(res.hops)}`);
    return 0;
  },
};
