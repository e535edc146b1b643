// netspec ipvsadm -f PATH… --node NODE [--ipvs-state NODE=FILE]…
// A node's IPVS virtual and real servers as `ipvsadm -Ln` prints them (kube-proxy in ipvs mode).
import { FILENAME, noArguments, parseArgs } from '../args';
import { applyIpvsState, IPVS_STATE_FLAG, IPVS_STATE_USAGE, loadWithNode } from '../common';
import type { Command } from '../main';

const USAGE = ['netspec ipvsadm -f PATH… --node NODE [--ipvs-state NODE=FILE]…', '', IPVS_STATE_USAGE].join('\n');

export const command: Command = {
  summary: "a node's IPVS virtual and real servers as ipvsadm -Ln prints them",
  usage: USAGE,
  run(argv, io) {
    const p = parseArgs(argv, [FILENAME, { name: 'node', value: true }, IPVS_STATE_FLAG]);
    noArguments(p);
    const { cluster, node } = loadWithNode(p, io);
    applyIpvsState(p, cluster);
    const r = cluster.realised;
    if (r.config.proxyMode !== 'ipvs') {
      io.err(`note: kube-proxy runs in ${r.config.proxyMode} mode here, so IPVS holds no virtual server (set mode: ipvs in a KubeProxyConfiguration to see them)`);
    }
    const text = cluster.ipvsadm(node.name);
    io.out(text.endsWith('\n') ? text.slice(0, -1) : text);
    return 0;
  },
};
