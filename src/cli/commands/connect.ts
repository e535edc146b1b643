// netspec connect -f PATH… --from SOURCE --to TARGET --port N [--protocol TCP|UDP|SCTP] [--via NODE]
//                 [--seed N] [-c CONTAINER] [--upstream IP=ZONEFILE]… [-o json]
// Where a connection goes, hop by hop. A query: exit 0 whatever the verdict; 2 on bad input or usage.
import { connectJSON, renderConnect } from '../../cni';
import { FILENAME, OUTPUT, intFlag, one, noArguments, parseArgs, required, UsageError } from '../args';
import { json, loadFromFlags, upstreamFlags } from '../common';
import type { Command } from '../main';

const USAGE = [
  'netspec connect -f PATH… --from SOURCE --to TARGET --port N [--protocol TCP|UDP|SCTP] [--via NODE] [--seed N] [-c CONTAINER] [--upstream IP=ZONEFILE]… [-o json]',
  '',
  '  SOURCE  NS/POD, node/NAME (a node\'s host network) or external:IP (a client outside the cluster)',
  '  TARGET  an IP, NS/POD, node/NAME, localhost, or a DNS name (resolved from the source pod:',
  '          its resolv.conf, search path and the cluster DNS, shown first in the trace)',
  '  --via   the node the network hands an external client\'s traffic to (default: the first ready node)',
  '  --seed  seed for random choices (source port, masquerade port, load balancing)',
  '  -c      the source container (default: the pod\'s first container)',
  '  --upstream IP=ZONEFILE  an upstream DNS server as a zone-file fixture (repeatable)',
  '  --method M --path P --header K:V  an HTTP request on the connection, for the mesh\'s sidecars',
  '          (VirtualService matches, AuthorizationPolicy methods and paths)',
].join('\n');

export const command: Command = {
  summary: 'where a connection goes, hop by hop',
  usage: USAGE,
  run(argv, io) {
    const p = parseArgs(argv, [
      FILENAME, OUTPUT(['json']),
      { name: 'from', value: true },
      { name: 'to', value: true },
      { name: 'port', value: true },
      { name: 'protocol', value: true, choices: ['TCP', 'UDP', 'SCTP'] },
      { name: 'via', value: true },
      { name: 'seed', value: true },
      { name: 'container', short: 'c', value: true },
      { name: 'upstream', value: true, repeat: true },
      { name: 'method', value: true },
      { name: 'path', value: true },
      { name: 'header', value: true, repeat: true },
    ]);
    noArguments(p);
    const from = required(p, 'from');
    const to = required(p, 'to');
    if (one(p, 'port') === undefined) throw new UsageError('--port is required');
    const port = intFlag(p, 'port', 1, 65535)!;
    const seed = intFlag(p, 'seed', 0, 4294967295);
    const upstreams = upstreamFlags(p);
    const cluster = loadFromFlags(p, io);
    if (upstreams) cluster.dnsUpstreams = upstreams;
    const headers: Record<string, string> = {};
    for (const h of p.flags.get('header') ?? []) {
      const i = h.indexOf(':');
      if (i <= 0) throw new UsageError(`--header takes NAME:VALUE (got "${h}")`);
      headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
    }
    const httpGiven = one(p, 'method') !== undefined || one(p, 'path') !== undefined || Object.keys(headers).length > 0;
    const res = cluster.connect({
      from, to, port,
      protocol: one(p, 'protocol') ?? 'TCP',
      via: one(p, 'via'),
      seed,
      container: one(p, 'container'),
      ...(httpGiven ? { http: { method: one(p, 'method') ?? 'GET', path: one(p, 'path') ?? '/', headers } } : {}),
    });
    io.out(one(p, 'output') === 'json' ? json(connectJSON(res)) : renderConnect(res));
    return 0;
  },
};
