// netspec connect -f PATH… --from SOURCE --to TARGET --port N [--protocol TCP|UDP|SCTP] [--via NODE]
//                 [--seed N] [-c CONTAINER] [--upstream IP=ZONEFILE]… [-o json]
// Where a connection goes, hop by hop. A query: exit 0 whatever the verdict; 2 on bad input or usage.
import { connectJSON, renderConnect, type ConnectQuery, type ConnectResult } from '../../cni';
import type { Cluster } from '../../cluster';
import { FILENAME, OUTPUT, intFlag, one, noArguments, parseArgs, required, UsageError, type FlagSpec, type Parsed } from '../args';
import { json, loadFromFlags, upstreamFlags } from '../common';
import type { Command, IO } from '../main';

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
].join('\n');

/** connect's flags (draw path takes them too) */
export const CONNECT_FLAGS: FlagSpec[] = [
  FILENAME,
  { name: 'from', value: true },
  { name: 'to', value: true },
  { name: 'port', value: true },
  { name: 'protocol', value: true, choices: ['TCP', 'UDP', 'SCTP'] },
  { name: 'via', value: true },
  { name: 'seed', value: true },
  { name: 'container', short: 'c', value: true },
  { name: 'upstream', value: true, repeat: true },
];

/** The connection the flags describe, asked of the cluster the -f sources make. */
export function connectFromFlags(p: Parsed, io: IO): { cluster: Cluster; res: ConnectResult; query: ConnectQuery } {
  noArguments(p);
  const from = required(p, 'from');
  const to = required(p, 'to');
  if (one(p, 'port') === undefined) throw new UsageError('--port is required');
  const port = intFlag(p, 'port', 1, 65535)!;
  const seed = intFlag(p, 'seed', 0, 4294967295);
  const upstreams = upstreamFlags(p);
  const cluster = loadFromFlags(p, io);
  if (upstreams) cluster.dnsUpstreams = upstreams;
  const query: ConnectQuery = { from, to, port, protocol: one(p, 'protocol') ?? 'TCP', via: one(p, 'via'), seed, container: one(p, 'container') };
  return { cluster, res: cluster.connect(query), query };
}

export const command: Command = {
  summary: 'where a connection goes, hop by hop',
  usage: USAGE,
  run(argv, io) {
    const p = parseArgs(argv, [OUTPUT(['json']), ...CONNECT_FLAGS]);
    const { res } = connectFromFlags(p, io);
    io.out(one(p, 'output') === 'json' ? json(connectJSON(res)) : renderConnect(res));
    return 0;
  },
};
