// netspec ipvsadm -f PATH… --node NODE
// A node's IPVS virtual and real servers as `ipvsadm -Ln` prints them (kube-proxy in ipvs mode).
import { FILENAME, UsageError, parseArgs, required } from '../args';
import { loadFromFlags } from '../common';
import type { Command } from '../main';

const USAGE = 'netspec ipvsadm -f PATH… --node NODE';

export const command: Command = {
  summary: "a node's IPVS virtual and real servers as ipvsadm -Ln prints them",
  usage: USAGE,
  run(argv, io) {
    const p = parseArgs(argv, [FILENAME, { name: 'node', value: true }]);
    if (p.positional.length) throw new UsageError(`unexpected argument "${p.positional[0]}"`);
    const nodeName = required(p, 'node');
    const cluster = loadFromFlags(p, io);
    const r = cluster.realised;
    if (!r.nodeByName.has(nodeName)) {
      const names = r.nodes.slice(0, 8).map((n) => n.name);
      throw new UsageError(`no node "${nodeName}" (${names.length ? `nodes: ${names.join(', ')}${r.nodes.length > 8 ? ', …' : ''}` : 'the cluster has no nodes'})`);
    }
    if (r.config.proxyMode !== 'ipvs') {
      io.err(`note: kube-proxy runs in ${r.config.proxyMode} mode here, so IPVS holds no virtual server (set mode: ipvs in a KubeProxyConfiguration to see them)`);
    }
    const text = cluster.ipvsadm(nodeName);
    io.out(text.endsWith('\n') ? text.slice(0, -1) : text);
    return 0;
  },
};
