// netspec connect -f PATH… --from SOURCE --to TARGET --port N [--protocol TCP|UDP|SCTP] [--via NODE]
//                 [--seed N] [-c CONTAINER] [--upstream IP=ZONEFILE]… [-o json]
// Where a connection goes, hop by hop. Exit 0, or 1 when --expect/--expect-to differ; 2 on bad input or usage.
import { connectJSON, decidingHop, renderConnect, type ConnectResult } from '../../cni';
import type { Cluster } from '../../cluster';
import { parseRole } from '../../roles';
import { EXPECT, EXPECT_TO, expectFlag, expectToFailure, verdictExit } from '../expect';
import { FILENAME, TIME_FLAGS, TIME_USAGE, OUTPUT, intFlag, one, noArguments, parseArgs, required, UsageError, type FlagSpec, type Parsed } from '../args';
import { applyIpvsState, IPVS_STATE_FLAG, IPVS_STATE_USAGE, json, loadFromFlags, upstreamFlags } from '../common';
import type { Command, IO } from '../main';

const USAGE = [
  'netspec connect -f PATH… --from SOURCE --to TARGET --port N [-n NS] [--protocol TCP|UDP|SCTP] [--via NODE] [--seed N] [-c CONTAINER] [--upstream IP=ZONEFILE]… [--ipvs-state NODE=FILE]… [--at DURATION [--script FILE]] [--expect VERDICT] [--expect-to TARGET] [-o json]',
  '',
  '  SOURCE  NS/POD, a workload ([NS/]deployment/NAME, statefulset/…, daemonset/…, job/…), [NS/]svc/NAME',
  '          (a pod of its endpoints), [NS/]KEY=VALUE[,…] (a pod the label selector matches): one',
  '          representative pod, the first ready one in name order, named in the trace;',
  '          node/NAME (a node\'s host network) or external:IP (a client outside the cluster)',
  '  TARGET  an IP, NS/POD, a workload or selector (a representative pod), [NS/]svc/NAME (its cluster IP),',
  '          node/NAME, localhost, or a DNS name (resolved from the source pod: its resolv.conf,',
  '          search path and the cluster DNS, shown first in the trace)',
  '  -n      the namespace of SOURCE and TARGET written without one (default: default; TARGET: the source\'s)',
  '  --expect VERDICT     exit 1 with a one-line reason unless the verdict is this (delivered, refused, rejected, dropped, unreachable)',
  '  --expect-to TARGET   exit 1 unless delivered to a pod TARGET names (NS/POD, workload, svc/NAME, selector)',
  '  --via   the node the network hands an external client\'s traffic to (default: the first ready node)',
  '  --seed  seed for random choices (source port, masquerade port, load balancing)',
  '  -c      the source container (default: the pod\'s first container)',
  '  --upstream IP=ZONEFILE  an upstream DNS server as a zone-file fixture (repeatable)',
  IPVS_STATE_USAGE,
  TIME_USAGE,
  '  --method M --path P --header K:V  an HTTP request on the connection, for the mesh\'s sidecars',
  '          (VirtualService matches, AuthorizationPolicy methods and paths)',
].join('\n');

const VERDICTS = ['delivered', 'refused', 'rejected', 'dropped', 'unreachable'] as const;

/** connect's flags that describe the connection (draw path takes them too) */
export const CONNECT_FLAGS: FlagSpec[] = [
  FILENAME, ...TIME_FLAGS,
  { name: 'from', value: true },
  { name: 'to', value: true },
  { name: 'port', value: true },
  { name: 'protocol', value: true, choices: ['TCP', 'UDP', 'SCTP'] },
  { name: 'via', value: true },
  { name: 'seed', value: true },
  { name: 'container', short: 'c', value: true },
  { name: 'upstream', value: true, repeat: true },
  IPVS_STATE_FLAG,
  { name: 'namespace', short: 'n', value: true },
  { name: 'method', value: true },
  { name: 'path', value: true },
  { name: 'header', value: true, repeat: true },
];

/** The connection the flags describe, asked of the cluster the -f sources make. */
export function connectFromFlags(p: Parsed, io: IO): { cluster: Cluster; res: ConnectResult; query: Parameters<Cluster['connect']>[0] } {
  noArguments(p);
  const from = required(p, 'from');
  const to = required(p, 'to');
  if (one(p, 'port') === undefined) throw new UsageError('--port is required');
  const port = intFlag(p, 'port', 1, 65535)!;
  const seed = intFlag(p, 'seed', 0, 4294967295);
  const upstreams = upstreamFlags(p);
  const cluster = loadFromFlags(p, io);
  if (upstreams) cluster.dnsUpstreams = upstreams;
  applyIpvsState(p, cluster);
  const headers: Record<string, string> = {};
  for (const h of p.flags.get('header') ?? []) {
    const i = h.indexOf(':');
    if (i <= 0) throw new UsageError(`--header takes NAME:VALUE (got "${h}")`);
    headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
  }
  const httpGiven = one(p, 'method') !== undefined || one(p, 'path') !== undefined || Object.keys(headers).length > 0;
  const query = {
    from, to, port,
    protocol: one(p, 'protocol') ?? 'TCP',
    via: one(p, 'via'),
    seed,
    container: one(p, 'container'),
    namespace: one(p, 'namespace'),
    ...(httpGiven ? { http: { method: one(p, 'method') ?? 'GET', path: one(p, 'path') ?? '/', headers } } : {}),
  };
  return { cluster, res: cluster.connect(query), query };
}

export const command: Command = {
  summary: 'where a connection goes, hop by hop',
  usage: USAGE,
  run(argv, io) {
    const p = parseArgs(argv, [...CONNECT_FLAGS, OUTPUT(['json']), EXPECT, EXPECT_TO]);
    const expect = expectFlag(p, VERDICTS, VERDICTS.join(', '));
    const { cluster, res } = connectFromFlags(p, io);
    io.out(one(p, 'output') === 'json' ? json(connectJSON(res)) : renderConnect(res));
    const why = res.verdict === 'delivered' ? '' : ` (${decidingHop(res)?.detail ?? 'no hops'})`;
    const failures: string[] = [];
    if (expect !== undefined && res.verdict !== expect) failures.push(`expected ${expect}, got ${res.verdict}${why}`);
    const expectTo = one(p, 'expect-to');
    if (expectTo !== undefined) {
      // without -n, a target written without a namespace is in the source's
      const ns = one(p, 'namespace') ?? parseRole(required(p, 'from'), 'default')?.ns;
      const f = expectToFailure(cluster, expectTo, ns, res.delivered?.pod ?? null, `${res.verdict}${why}`);
      if (f) failures.push(f);
    }
    return verdictExit(io, 'connect', failures);
  },
};
