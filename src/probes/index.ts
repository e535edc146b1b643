// The kubelet prober on the virtual clock, and what it does to readiness → EndpointSlices.
// sim.ts is the pure simulation; this file reads probes from the pod, asks the network whether
// anyone listens on a probed port (the kubelet probes from the node's network namespace), turns
// events into trace hops, and gives the objects as the API server would hold them at a time t.
import { connect, type NetfilterHooks } from '../cni';
import { InputErrors } from '../model/errors';
import type { RPod, Realised } from '../model/realised';
import { originOf, posOf, setOrigin, type KObject } from '../model/types';
import type { Hop } from '../net/trace';
import { PROBE_DEFAULTS, PROBE_FIELD, PROBE_KINDS, simulate, stateAt, type Attempt, type Behaviour, type ContainerSpec, type ContainerState, type ProbeKind, type ProbeSpec, type SimEvent } from './sim';

export * from './sim';

export interface TimelineQuery {
  /** "ns/name"; absent: every pod from the input (not the control plane's own) that has a probe */
  pod?: string;
  /** horizon in ms */
  until: number;
  behaviour?: readonly (Behaviour & { pod?: string })[];
}

export interface TimelineEvent extends SimEvent {
  pod: string;
  hop: Hop;
  /** the connect trace from the node, when the network decided the probe's outcome */
  network?: Hop[];
}

export interface PodTimeline {
  pod: RPod;
  events: TimelineEvent[];
  stateAt(t: number): ContainerState[];
}

export interface Timeline {
  pods: PodTimeline[];
  /** every pod's events, by time (then pod order) */
  events: TimelineEvent[];
  hops: Hop[];
  /** the cluster's objects at time t: the simulated pods carry their conditions and containerStatuses */
  objectsAt(t: number): KObject[];
}

const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);

function describe(p: any): { mechanism: string; text: string } {
  if (p.httpGet) {
    const h = p.httpGet;
    return { mechanism: 'httpGet', text: `httpGet ${String(h.scheme ?? 'HTTP').toLowerCase()}://${h.host ?? ''}:${h.port}${h.path ?? '/'}` };
  }
  if (p.tcpSocket) return { mechanism: 'tcpSocket', text: `tcpSocket :${p.tcpSocket.port}` };
  if (p.grpc) return { mechanism: 'grpc', text: `grpc :${p.grpc.port}${p.grpc.service ? ` service ${p.grpc.service}` : ''}` };
  if (p.exec) return { mechanism: 'exec', text: `exec [${(Array.isArray(p.exec.command) ? p.exec.command : []).join(' ')}]` };
  return { mechanism: 'none', text: 'no handler' };
}

/** A container's probes with the API defaults filled in (liveness and startup: successThreshold is always 1). */
export function probeSpecs(ctr: any): Partial<Record<ProbeKind, ProbeSpec>> {
  const out: Partial<Record<ProbeKind, ProbeSpec>> = {};
  for (const kind of PROBE_KINDS) {
    const p = ctr?.[PROBE_FIELD[kind]];
    if (!p || typeof p !== 'object') continue;
    const d = describe(p);
    out[kind] = {
      kind,
      initialDelayMs: num(p.initialDelaySeconds, PROBE_DEFAULTS.initialDelaySeconds) * 1000,
      periodMs: Math.max(1, num(p.periodSeconds, PROBE_DEFAULTS.periodSeconds)) * 1000,
      timeoutMs: num(p.timeoutSeconds, PROBE_DEFAULTS.timeoutSeconds) * 1000,
      successThreshold: kind === 'readiness' ? Math.max(1, num(p.successThreshold, PROBE_DEFAULTS.successThreshold)) : 1,
      failureThreshold: Math.max(1, num(p.failureThreshold, PROBE_DEFAULTS.failureThreshold)),
      mechanism: d.mechanism,
      describe: d.text,
    };
  }
  return out;
}

export function hasProbe(pod: RPod): boolean {
  return (pod.obj.spec?.containers ?? []).some((c: any) => PROBE_KINDS.some((k) => c && c[PROBE_FIELD[k]]));
}

/** The probe's port as a number: a name is looked up among the container's own ports, as the kubelet does. */
function probePort(ctr: any, port: unknown): number | string {
  if (typeof port === 'number') return port;
  if (typeof port === 'string' && /^\d+$/.test(port)) return Number(port);
  const hit = (ctr.ports ?? []).find((p: any) => p && p.name === port);
  return hit ? hit.containerPort : String(port);
}

/** Whether the network lets the probe through; null when a process listens (the app then decides). */
function networkCheck(realised: Realised, pod: RPod, ctr: any, kind: ProbeKind, hooks: NetfilterHooks): { attempt: Attempt; hops: Hop[] } | null {
  const p = ctr[PROBE_FIELD[kind]];
  const h = p.httpGet ?? p.tcpSocket ?? p.grpc;
  if (!h) return null;
  const port = probePort(ctr, h.port);
  if (typeof port === 'string') {
    return { attempt: { ok: false, detail: `${describe(p).text}: the container has no port named "${port}"` }, hops: [] };
  }
  if (!pod.node) return null;
  const target = typeof h.host === 'string' && h.host ? h.host : pod.ip;
  const res = connect(realised, { from: { kind: 'node', node: pod.node }, to: target, port, protocol: 'TCP' }, hooks);
  if (res.verdict === 'delivered') return null;
  const why = res.verdict === 'refused' ? `dial tcp ${target}:${port}: connect: connection refused` : `dial tcp ${target}:${port}: ${res.verdict}`;
  return { attempt: { ok: false, detail: `${describe(p).text}: ${why}` }, hops: res.hops };
}

function podTimeline(realised: Realised, pod: RPod, q: TimelineQuery, hooks: NetfilterHooks): PodTimeline {
  const ctrs: any[] = Array.isArray(pod.obj.spec?.containers) ? pod.obj.spec.containers : [];
  const specs: ContainerSpec[] = ctrs.map((c) => ({ name: String(c.name), probes: probeSpecs(c) }));
  const rp = pod.obj.spec?.restartPolicy;
  const netHops = new Map<string, Hop[]>();
  const sim = simulate({
    containers: specs,
    restartPolicy: rp === 'Never' || rp === 'OnFailure' ? rp : 'Always',
    until: q.until,
    behaviour: (q.behaviour ?? []).filter((b) => b.pod === undefined || b.pod === pod.key),
    network: (name, kind) => {
      const ctr = ctrs.find((c) => c.name === name);
      const r = networkCheck(realised, pod, ctr, kind, hooks);
      if (r) netHops.set(`${name}/${kind}`, r.hops);
      return r ? r.attempt : null;
    },
  });
  const index = new Map(ctrs.map((c, i) => [String(c.name), i] as const));
  const events: TimelineEvent[] = sim.events.map((e) => {
    const i = index.get(e.container) ?? 0;
    const field = e.probe === 'restart' ? undefined : PROBE_FIELD[e.probe];
    const pos = posOf(pod.obj, field ? ['spec', 'containers', i, field] : ['spec', 'containers', i]);
    const hop: Hop = {
      at: `pod/${pod.key}/container/${e.container}`,
      action: e.probe === 'restart' ? 'restart' : 'probe',
      detail: `t=${fmtTime(e.t)} ${e.probe === 'restart' ? '' : `${e.probe} probe ${e.result}: `}${e.detail}${e.action && e.probe !== 'restart' ? ` → ${e.action}` : ''}`,
      source: { what: field ? `${field} of container ${e.container} in Pod ${pod.key}` : `container ${e.container} of Pod ${pod.key}`, pos },
    };
    const ev: TimelineEvent = { ...e, pod: pod.key, hop };
    const nh = e.probe !== 'restart' && e.result === 'failure' ? netHops.get(`${e.container}/${e.probe}`) : undefined;
    if (nh && nh.length) ev.network = nh;
    return ev;
  });
  const names = specs.map((s) => s.name);
  return { pod, events, stateAt: (t) => stateAt(sim, names, t) };
}

/** "90s", "2m30s", "1.5s" */
export function fmtTime(ms: number): string {
  if (ms % 1000) return `${ms / 1000}s`;
  const s = ms / 1000;
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60), r = s % 60;
  return r ? `${m}m${r}s` : `${m}m`;
}

/** The pod as the API server would show it when its containers are in `states`. */
export function podAt(pod: RPod, states: readonly ContainerState[]): KObject {
  const ready = pod.phase === 'Running' && states.every((s) => s.ready);
  const cstatus = (b: boolean) => (b ? 'True' : 'False');
  const images = new Map<string, string>((pod.obj.spec?.containers ?? []).map((c: any) => [c.name, c.image ?? '']));
  const status: any = { ...(pod.obj.status ?? {}) };
  status.conditions = [
    { type: 'Initialized', status: 'True' },
    { type: 'Ready', status: cstatus(ready), ...(ready ? {} : { reason: 'ContainersNotReady', message: `containers with unready status: [${states.filter((s) => !s.ready).map((s) => s.name).join(' ')}]` }) },
    { type: 'ContainersReady', status: cstatus(ready) },
    { type: 'PodScheduled', status: 'True' },
  ];
  status.containerStatuses = states.map((s) => ({
    name: s.name, image: images.get(s.name) ?? '', ready: s.ready, started: s.running && s.started, restartCount: s.restartCount,
    state: s.running ? { running: { startedAt: `+${fmtTime(s.since)}` } } : s.terminated ? { terminated: { exitCode: 137, reason: 'Error' } } : { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${(s.waitingBackoff ?? 0) / 1000}s restarting failed container=${s.name} pod=${pod.name}` } },
  }));
  // restartPolicy Never: once every container was killed (exit code 137, a failure) the pod is Failed
  if (states.length && states.every((s) => s.terminated)) { status.phase = 'Failed'; status.conditions[1] = { type: 'Ready', status: 'False', reason: 'PodFailed' }; status.conditions[2] = { type: 'ContainersReady', status: 'False', reason: 'PodFailed' }; }
  const obj: KObject = { ...pod.obj, status };
  const o = originOf(pod.obj);
  if (o) setOrigin(obj, o);
  return obj;
}

const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
const CONTROLLER = 'endpointslice-controller.k8s.io';

/**
 * The kubelet's timeline of probes and restarts for one pod (or every input pod with a probe).
 * Throws InputErrors for an unknown pod or a pod that does not run (no node, no IP).
 */
export function probeTimeline(realised: Realised, q: TimelineQuery, hooks: NetfilterHooks): Timeline {
  let pods: RPod[];
  if (q.pod !== undefined) {
    const p = realised.podByKey.get(q.pod);
    if (!p) throw new InputErrors([{ code: 'NS-UNKNOWN-POD', message: `no pod ${q.pod}`, hint: 'name it NS/POD, e.g. shop/web-1' }]);
    if (!p.node || p.phase !== 'Running') throw new InputErrors([{ code: 'NS-POD-NOT-RUNNING', message: `pod ${q.pod} is ${p.phase}: the kubelet probes only running containers`, hint: 'schedule the pod on a node (check the warnings for NS-UNSCHEDULABLE)' }]);
    pods = [p];
  } else {
    // the control plane's own pods (coredns) have no input position; the scenario's pods all have one
    pods = realised.pods.filter((p) => p.node && p.phase === 'Running' && originOf(p.obj) && hasProbe(p));
  }
  const tls = pods.map((p) => podTimeline(realised, p, q, hooks));
  const order = new Map(pods.map((p, i) => [p.key, i] as const));
  const events = tls.flatMap((t) => t.events).map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.t - b.e.t || order.get(a.e.pod)! - order.get(b.e.pod)! || a.i - b.i).map((x) => x.e);
  const hops: Hop[] = [];
  for (const e of events) { if (e.network) hops.push(...e.network); hops.push(e.hop); }
  return {
    pods: tls,
    events,
    hops,
    objectsAt(t: number): KObject[] {
      const changed = new Map<KObject, KObject>();
      for (const tl of tls) changed.set(tl.pod.obj, podAt(tl.pod, tl.stateAt(t)));
      // realise is pure: the same objects (with every derived pod now an input carrying its IP and
      // owner) minus the EndpointSlices the controller made, which it makes again from readiness
      return realised.objects
        .filter((o) => !(o.kind === 'EndpointSlice' && o.metadata.labels?.[MANAGED_BY] === CONTROLLER))
        .map((o) => changed.get(o) ?? o);
    },
  };
}
