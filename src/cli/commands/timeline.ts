// netspec timeline -f PATH… [--script FILE] [--pod NS/POD] --until DURATION [-o json]
// The kubelet on the virtual clock: every probe and its result, SIGTERM, SIGKILL, exits, restarts
// with their back-off, deletions, readiness-gate conditions, and the pod's endpoint turning ready,
// not ready, terminating or gone — each with its time and its cause (the manifest line it comes from).
import { formatPos } from '../../net/trace';
import { fmtTime, type TimelineEvent } from '../../probes';
import { parseRole, rolePods } from '../../roles';
import { FILENAME, WARNINGS, OUTPUT, noArguments, one, parseArgs, UsageError } from '../args';
import { durationFlag, json, loadFromFlags, printWarnings, scriptFlag } from '../common';
import type { Command } from '../main';

const USAGE = [
  'netspec timeline -f PATH… [--script FILE] [--pod NS/POD] --until DURATION [-o json]',
  '',
  '  --until   the horizon (300s, 10m); t=0 is when the containers start',
  '  --pod     one pod, or a workload\'s pods (NS/NAME, NS/deployment/NAME, statefulset/…); default: every pod with a probe, a readiness',
  '            gate, or a line in the script',
  '  --script  the apps\' behaviour over time (YAML):',
  '              apps:',
  '              - pod: shop/web            # a pod or a workload; or namespace: + selector:',
  '                container: app           # default: every container',
  '                clock: instance          # instance (replayed on every restart) or pod (from t=0)',
  '                probes: {liveness: [{from: 35s, answer: hang}]}   # ok fail hang refused 503',
  '                paths: {/login: [{answer: 200}]}                  # {status: 302, location: /x}',
  '                exit: {after: 50s, code: 1}                       # the process exits by itself',
  '                sigterm: ignore          # or {exitCode: 0}; default: ends on SIGTERM (143)',
  '                preStop: 5s              # how long the preStop hook runs',
  '              events:',
  '              - {at: 60s, delete: shop/web-1}',
  '              - {at: 20s, condition: {pod: shop/web-1, type: example.com/lb, status: "True"}}',
  '              - {at: 60s, rollout: {deployment: shop/web, image: {app: "web:1.1"}}}   # or template: {…}',
  '              - {at: 90s, restart: shop/web}               # kubectl rollout restart',
  '              - {at: 30s, scale: {deployment: shop/web, replicas: 5}}',
  '            a deleted pod of a Deployment or ReplicaSet is replaced; the controllers\' new pods are',
  '            made, scheduled and addressed by the control plane and probed from their creation',
].join('\n');

/** what an event is about: a probe, the container, the pod, or (the controllers on the clock) the workload */
const kindOf = (e: TimelineEvent): string => (e.hop.at.startsWith('deployment/') ? 'deployment' : e.hop.at.startsWith('replicaset/') ? 'replicaset' : e.probe);

function row(e: TimelineEvent): object {
  return {
    t: e.t / 1000, at: fmtTime(e.t), pod: e.pod, container: e.container || undefined, event: kindOf(e),
    result: e.result || undefined, action: e.action, detail: e.detail,
    source: e.hop.source ? { what: e.hop.source.what, ...(e.hop.source.pos ? { pos: formatPos(e.hop.source.pos).trim() } : {}) } : undefined,
    ...(e.network ? { network: e.network } : {}),
  };
}

export const command: Command = {
  summary: 'the kubelet on the clock: probes, exits, kills, restarts, endpoint changes',
  usage: USAGE,
  run(argv, io) {
    const p = parseArgs(argv, [FILENAME, WARNINGS, OUTPUT(['json']), { name: 'until', value: true }, { name: 'pod', value: true }, { name: 'script', value: true }]);
    noArguments(p);
    const until = durationFlag(p, 'until');
    if (until === undefined) throw new UsageError('--until is required (a duration: 300s, 10m)');
    let pod = one(p, 'pod');
    const ref = pod === undefined ? undefined : parseRole(pod);
    if (pod !== undefined && (!ref || (ref.kind !== 'pod' && ref.kind !== 'workload') || !/^[^/]+\//.test(pod))) {
      throw new UsageError(`--pod takes NS/POD, NS/WORKLOAD or NS/deployment/NAME (statefulset, daemonset, job) (got "${pod}")`);
    }
    const script = scriptFlag(p);
    const cluster = loadFromFlags(p, io);
    // NS/deployment/NAME: the workload's pods, as NS/NAME names them (an unknown workload is an error here)
    if (ref?.kind === 'workload') { rolePods(cluster.realised, ref); pod = `${ref.ns}/${ref.name}`; }
    const tl = cluster.timeline({ until, ...(pod !== undefined ? { pod } : {}), ...(script ? { script } : {}) });
    printWarnings(p, io, tl.warnings);
    if (one(p, 'output') === 'json') {
      const end = tl.pods.map((x) => {
        const o = x.objectAt(until);
        return { pod: x.pod.key, gone: o === null, ready: x.readyAt(until), ...(o ? { phase: o.status?.phase, containerStatuses: o.status?.containerStatuses } : {}) };
      });
      io.out(json({ until: until / 1000, pods: tl.pods.map((x) => x.pod.key), events: tl.events.map(row), end }));
      return 0;
    }
    if (!tl.pods.length) { io.out(`no pod with a probe, a readiness gate or a script line (until ${fmtTime(until)})`); return 0; }
    const w = Math.max(...tl.events.map((e) => fmtTime(e.t).length), 2);
    const pw = Math.max(...tl.events.map((e) => e.pod.length + (e.container ? e.container.length + 1 : 0)), 3);
    for (const e of tl.events) {
      const who = e.container ? `${e.pod}/${e.container}` : e.pod;
      const what = e.probe === 'liveness' || e.probe === 'readiness' || e.probe === 'startup' ? `${e.probe} ${e.result}` : kindOf(e);
      io.out(`${fmtTime(e.t).padStart(w)}  ${who.padEnd(pw)}  ${what.padEnd(17)} ${e.action ? `[${e.action}] ` : ''}${e.detail}${e.hop.source?.pos ? `  (${formatPos(e.hop.source.pos).trim()})` : ''}`);
    }
    return 0;
  },
};
