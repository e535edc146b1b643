// netspec resolv-conf -f PATH… --pod NS/POD [-o json]
// A pod's /etc/resolv.conf as the kubelet writes it (dnsPolicy, dnsConfig, the node's resolv.conf,
// the kubelet's limits). The file goes to stdout; the kubelet's warning events and notes to stderr.
import { renderResolvConf } from '../../dns';
import { FILENAME, WARNINGS, OUTPUT, one, noArguments, parseArgs } from '../args';
import { json, loadWithPod } from '../common';
import type { Command } from '../main';

const USAGE = [
  'netspec resolv-conf -f PATH… --pod NS/POD [-o json]',
  '',
  '  --pod  the pod whose /etc/resolv.conf to show',
].join('\n');

export const command: Command = {
  summary: "a pod's /etc/resolv.conf as the kubelet writes it",
  usage: USAGE,
  run(argv, io) {
    const p = parseArgs(argv, [FILENAME, WARNINGS, OUTPUT(['json']), { name: 'pod', value: true }]);
    noArguments(p);
    const { cluster, pod } = loadWithPod(p, io);
    const rc = cluster.resolvConf(pod);
    if (one(p, 'output') === 'json') {
      io.out(json({ nameservers: rc.nameservers, searches: rc.searches, options: rc.options, warnings: rc.warnings, dnsPolicy: rc.policy, applied: rc.applied, notes: rc.notes }));
      return 0;
    }
    for (const w of rc.warnings) io.err(`warning (kubelet event DNSConfigForming): ${w}`);
    for (const n of rc.notes) io.err(`note: ${n}`);
    io.out(renderResolvConf(rc).trimEnd());
    return 0;
  },
};
