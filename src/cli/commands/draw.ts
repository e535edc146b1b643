// netspec draw path (connect's flags) | draw topology -f PATH… [-n NS]: SVG pictures on stdout.
import { describeConnectQuery, pathPicture, topologyPicture, TopologyTooLarge } from '../../report';
import { FILENAME, WARNINGS, noArguments, one, parseArgs, UsageError } from '../args';
import { loadFromFlags } from '../common';
import type { Command } from '../main';
import { closestList } from '../../model/suggest';
import { CONNECT_FLAGS, connectFromFlags } from './connect';

const USAGE = [
  'netspec draw path -f PATH… --from SOURCE --to TARGET --port N [connect\'s other flags]   (SVG on stdout)',
  'netspec draw topology -f PATH… [-n NS]                                                  (SVG on stdout)',
  '',
  '  path      the packet path of a connection: every hop, each NAT as the rewritten address, the deciding rule',
  '  topology  nodes and their pods by namespace, Services and their endpoints, Ingress routes, NetworkPolicies',
].join('\n');

export const command: Command = {
  summary: 'SVG pictures of a packet path or of the cluster',
  usage: USAGE,
  run(argv, io) {
    const [what, ...rest] = argv;
    if (what === 'path') {
      const p = parseArgs(rest, CONNECT_FLAGS);
      const { cluster, res, query } = connectFromFlags(p, io);
      io.out(pathPicture(res, { title: describeConnectQuery(query), podNode: (k) => cluster.realised.podByKey.get(k)?.node?.name }));
      return 0;
    }
    if (what === 'topology') {
      const p = parseArgs(rest, [FILENAME, WARNINGS, { name: 'namespace', short: 'n', value: true }]);
      noArguments(p);
      const cluster = loadFromFlags(p, io);
      const ns = one(p, 'namespace');
      if (ns && !cluster.realised.namespaces.has(ns)) throw new UsageError(`no namespace "${ns}" (closest namespaces: ${closestList(ns, cluster.realised.namespaces.keys())})`);
      try {
        io.out(topologyPicture(cluster.realised, { namespace: ns }));
      } catch (e) {
        if (e instanceof TopologyTooLarge) throw new UsageError(e.message);
        throw e;
      }
      return 0;
    }
    throw new UsageError(what ? `draw takes path or topology (got "${what}")` : 'draw takes path or topology');
  },
};
