// netspec nft -f PATH… --node NODE
// A node's kube-proxy table as `nft list ruleset` prints it (kube-proxy in nftables mode); the
// text loads with `nft -f`.
import { FILENAME, WARNINGS, noArguments, parseArgs } from '../args';
import { loadWithNode } from '../common';
import type { Command } from '../main';

const USAGE = 'netspec nft -f PATH… --node NODE';

export const command: Command = {
  summary: "a node's kube-proxy table as nft list ruleset prints it (nftables mode)",
  usage: USAGE,
  run(argv, io) {
    const p = parseArgs(argv, [FILENAME, WARNINGS, { name: 'node', value: true }]);
    noArguments(p);
    const { cluster, node } = loadWithNode(p, io);
    const mode = cluster.realised.config.proxyMode;
    if (mode !== 'nftables') {
      io.err(`note: kube-proxy runs in ${mode} mode here, so it writes no nftables table (set mode: nftables in a KubeProxyConfiguration to see it)`);
      return 0;
    }
    const text = cluster.nftListRuleset(node.name);
    io.out(text.endsWith('\n') ? text.slice(0, -1) : text);
    return 0;
  },
};
