// netspec env -f PATH… --pod NS/POD [--container NAME] [-o json]
// A container's environment as the kubelet sets it: its env and envFrom, then the service links
// (WEB_SERVICE_HOST, WEB_PORT_80_TCP…) of the services in the pod's namespace and the kubernetes
// service. Variables a container image or runtime adds (PATH, HOSTNAME) are not the kubelet's.
import { FILENAME, WARNINGS, OUTPUT, one, noArguments, parseArgs, UsageError } from '../args';
import { json, loadWithPod } from '../common';
import type { Command } from '../main';

const USAGE = [
  'netspec env -f PATH… --pod NS/POD [--container NAME] [-o json]',
  '',
  '  --pod        the pod',
  '  --container  the container (default: the pod\'s first container)',
].join('\n');

export const command: Command = {
  summary: "a container's environment as the kubelet sets it",
  usage: USAGE,
  run(argv, io) {
    const p = parseArgs(argv, [FILENAME, WARNINGS, OUTPUT(['json']), { name: 'pod', value: true }, { name: 'container', short: 'c', value: true }]);
    noArguments(p);
    const { cluster, pod } = loadWithPod(p, io);
    const container = one(p, 'container');
    const spec = pod.obj.spec ?? {};
    const names: string[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].map((c: any) => c?.name).filter(Boolean);
    if (container !== undefined && !names.includes(container)) {
      throw new UsageError(`pod ${pod.key} has no container "${container}" (containers: ${names.join(', ') || 'none'})`);
    }
    const res = cluster.env(pod, container);
    for (const n of res.notes) io.err(`note: ${n}`);
    if (one(p, 'output') === 'json') { io.out(json(res.env)); return 0; }
    io.out(Object.entries(res.env).map(([k, v]) => `${k}=${v}`).join('\n'));
    return 0;
  },
};
