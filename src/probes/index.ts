// The kubelet prober on the virtual clock, and what it does to readiness → EndpointSlices.
// sim.ts is the pure simulation; this file reads probes from the pod, asks the network whether
// anyone listens on a probed port (the kubelet probes from the node's network namespace), turns
// events into trace hops, and gives the objects as the API server would hold them at a time t.
import { connect, type NetfilterHooks } from '../cni';
import { InputErrors, type InputError, type Warning } from '../model/errors';
import { parseSelectorString } from '../model/selector';
import { closest } from '../model/suggest';
import type { RPod, Realised } from '../model/realised';
import { originOf, posOf, setOrigin, type KObject } from '../model/types';
import type { Hop } from '../net/trace';
import { DEFAULT_GRACE_MS, PROBE_DEFAULTS, PROBE_FIELD, PROBE_KINDS, podStateAt, simulate, stateAt, type Attempt, type ContainerSpec, type ContainerState, type PodState, type ProbeKind, type ProbeSpec, type SimEvent } from './sim';
import type { AppScript, Script, Target } from './script';
import { patchPods, servicesIn } from '../controllers';
import { Diagnostics } from '../model/errors';
import { planFleets, realisePools, runFleet, fleetObjectsAt, type FleetRun, type FleetSpec } from './fleet';
import type { PodLife } from '../controllers/rollout';

export * from './sim';
export * from './script';
export { checkProbes } from './validate';
export { mergePatch, RESTARTED_AT, type FleetRun } from './fleet';

export interface TimelineQuery {
  /** "ns/name"; absent: every pod from the input (not the control plane's own) the kubelet or the script has something to do with */
  pod?: string;
  /** horizon in ms */
  until: number;
  /** the apps' behaviour and the events on the clock */
  script?: Script;
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
  /** the pod as the API server holds it at t; null once it is gone */
  objectAt(t: number): KObject | null;
  /** the pod's Ready condition at t (containers ready and every readiness gate True) */
  readyAt(t: number): boolean;
  /** when anything about the pod changed (its object differs before and after) */
  changes: number[];
  /** when the pod was created (0: it was there at t=0; later: a controller made it) */
  createdAt: number;
  /** when the API server removed it (deleted, grace period over) */
  goneAt?: number;
}

export interface Timeline {
  pods: PodTimeline[];
  /** every pod's events, by time (then pod order) */
  events: TimelineEvent[];
  hops: Hop[];
  /** the cluster's objects at time t: the simulated pods carry their conditions and containerStatuses */
  objectsAt(t: number): KObject[];
  /** what the timeline reads but does not model, by name */
  warnings: Warning[];
  /** the simulated pods at time t, by key: the pod as the API server holds it, or null once gone (or not yet made) */
  podsAt(t: number): Map<string, KObject | null>;
  /** the cluster the times are patched from: the realised one, with the controllers' spare pods when a workload moves */
  base: Realised;
  /** the Deployments and ReplicaSets the clock drives */
  fleets: FleetRun[];
  /** the workload objects (Deployment, ReplicaSets) as they stand at t; null: not made yet */
  replacedAt(t: number): Map<KObject, KObject | null>;
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
    if (p.httpGet) { out[kind]!.path = typeof p.httpGet.path === 'string' && p.httpGet.path ? p.httpGet.path : '/'; if (typeof p.httpGet.host === 'string' && p.httpGet.host) out[kind]!.host = p.httpGet.host; }
    // probe-level terminationGracePeriodSeconds: liveness and startup only (validate.ts rejects it on readiness)
    if (kind !== 'readiness' && typeof p.terminationGracePeriodSeconds === 'number') out[kind]!.graceMs = p.terminationGracePeriodSeconds * 1000;
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
function networkCheck(realised: Realised, pod: RPod, ctr: any, kind: ProbeKind, hooks: () => NetfilterHooks): { attempt: Attempt; hops: Hop[] } | null {
  const p = ctr[PROBE_FIELD[kind]];
  const h = p.httpGet ?? p.tcpSocket ?? p.grpc;
  if (!h) return null;
  const port = probePort(ctr, h.port);
  if (typeof port === 'string') {
    return { attempt: { ok: false, detail: `${describe(p).text}: the container has no port named "${port}"` }, hops: [] };
  }
  if (!pod.node) return null;
  const target = typeof h.host === 'string' && h.host ? h.host : pod.ip;
  const res = connect(realised, { from: { kind: 'node', node: pod.node }, to: target, port, protocol: 'TCP' }, hooks());
  if (res.verdict === 'delivered') return null;
  const why = res.verdict === 'refused' ? `dial tcp ${target}:${port}: connect: connection refused` : `dial tcp ${target}:${port}: ${res.verdict}`;
  return { attempt: { ok: false, detail: `${describe(p).text}: ${why}` }, hops: res.hops };
}

/** How long a container's preStop hook runs: sleep.seconds, else instantaneous (a script can say otherwise). */
function preStopMs(ctr: any): number | undefined {
  const h = ctr?.lifecycle?.preStop;
  if (!h || typeof h !== 'object') return undefined;
  return typeof h.sleep?.seconds === 'number' ? h.sleep.seconds * 1000 : 0;
}

/** The pod's readiness gates and their condition values over time (the script's events, in time order). */
interface Gates { types: string[]; initial: Map<string, boolean>; changes: { t: number; type: string; status: boolean }[] }

function gatesOf(pod: RPod, events: readonly { t: number; type: string; status: boolean }[]): Gates {
  const types = (Array.isArray(pod.obj.spec?.readinessGates) ? pod.obj.spec.readinessGates : []).map((g: any) => String(g?.conditionType ?? '')).filter(Boolean);
  const initial = new Map<string, boolean>();
  for (const c of Array.isArray(pod.obj.status?.conditions) ? pod.obj.status.conditions : []) if (c && types.includes(c.type)) initial.set(c.type, c.status === 'True');
  return { types, initial, changes: events.slice().sort((a, b) => a.t - b.t) };
}

function gateValues(g: Gates, t: number): Map<string, boolean> {
  const v = new Map(g.initial);
  for (const c of g.changes) { if (c.t > t) break; v.set(c.type, c.status); }
  return v;
}

/**
 * One pod's kubelet timeline. `offset`: the pod is created then (a controller's new pod): its containers
 * start then, its instance and pod clocks count from then, and it does not exist before.
 */
export function podTimeline(realised: Realised, pod: RPod, q: TimelineQuery, hooks: () => NetfilterHooks, apps: readonly AppScript[], deleteAt0: number | undefined, gateEvents0: { t: number; type: string; status: boolean }[], offset = 0, extra: SimEvent[] = []): PodTimeline {
  const deleteAt = deleteAt0 === undefined ? undefined : deleteAt0 - offset;
  const gateEvents = gateEvents0.map((g) => ({ ...g, t: Math.max(0, g.t - offset) }));
  const ctrs: any[] = Array.isArray(pod.obj.spec?.containers) ? pod.obj.spec.containers : [];
  const specs: ContainerSpec[] = ctrs.map((c) => {
    const probes = probeSpecs(c);
    for (const k of PROBE_KINDS) if (probes[k] && probes[k]!.mechanism === 'httpGet' && probes[k]!.host === undefined) probes[k]!.host = pod.ip;
    const cs: ContainerSpec = { name: String(c.name), probes };
    const ps = preStopMs(c);
    if (ps !== undefined) cs.preStopMs = ps;
    return cs;
  });
  const rp = pod.obj.spec?.restartPolicy;
  const tgps = pod.obj.spec?.terminationGracePeriodSeconds;
  const netHops = new Map<string, Hop[]>();
  const sim = simulate({
    containers: specs,
    restartPolicy: rp === 'Never' || rp === 'OnFailure' ? rp : 'Always',
    graceMs: typeof tgps === 'number' && tgps >= 0 ? tgps * 1000 : DEFAULT_GRACE_MS,
    until: Math.max(0, q.until - offset),
    apps,
    ...(deleteAt !== undefined ? { deleteAt } : {}),
    network: (name, kind) => {
      const ctr = ctrs.find((c) => c.name === name);
      const r = networkCheck(realised, pod, ctr, kind, hooks);
      if (r) netHops.set(`${name}/${kind}`, r.hops);
      return r ? r.attempt : null;
    },
  });
  const index = new Map(ctrs.map((c, i) => [String(c.name), i] as const));
  const gates = gatesOf(pod, gateEvents);
  const simEvents: SimEvent[] = [...sim.events];
  for (const c of gates.changes) {
    const known = gates.types.includes(c.type);
    simEvents.push({ t: c.t, container: '', probe: 'pod', result: '', detail: `condition ${c.type} set to ${c.status ? 'True' : 'False'}${known ? '' : ' (not one of the pod\'s readinessGates: it does not change readiness)'}`, action: undefined });
  }
  const names = specs.map((s) => s.name);
  const readyAt = (t: number): boolean => {
    const ps = podStateAt(sim, t);
    if (ps.gone) return false;
    const states = stateAt(sim, names, t);
    const g = gateValues(gates, t);
    return states.length > 0 && states.every((s) => s.ready) && gates.types.every((ty) => g.get(ty) === true);
  };
  // the endpoint follows the pod's Ready condition: an event wherever it flips (and at deletion)
  const times = [...new Set([0, ...sim.snapshots.map((x) => x.t), ...gates.changes.map((c) => c.t), ...(sim.deletedAt !== undefined ? [sim.deletedAt] : []), ...(sim.goneAt !== undefined ? [sim.goneAt] : [])])].filter((t) => t <= q.until).sort((a, b) => a - b);
  let prev: string | undefined;
  for (const t of times) {
    const ps = podStateAt(sim, t);
    const r = readyAt(t);
    const now = ps.gone ? 'gone' : `${r}/${ps.deleting}`;
    if (now === prev) continue;
    const detail = ps.gone ? 'endpoint removed: the pod is gone'
      : ps.deleting ? `endpoint terminating: ready false, serving ${r}, terminating true`
      : r ? 'pod Ready: endpoint ready (ready true, serving true)' : `pod not Ready: endpoint not ready (ready false, serving false)${gates.types.length && stateAt(sim, names, t).every((s) => s.ready) ? ' — a readiness gate is not True' : ''}`;
    if ((prev !== undefined || !r) && !ps.gone) simEvents.push({ t, container: '', probe: 'pod', result: '', detail, action: ps.gone ? 'gone' : r && !ps.deleting ? 'ready' : 'not-ready' });
    prev = now;
  }
  if (offset) for (const e of simEvents) e.t += offset;
  simEvents.push(...extra);
  simEvents.sort((a, b) => a.t - b.t);
  const events: TimelineEvent[] = simEvents.map((e) => {
    const i = index.get(e.container) ?? 0;
    const field = PROBE_KINDS.includes(e.probe as ProbeKind) ? PROBE_FIELD[e.probe as ProbeKind] : undefined;
    const pos = posOf(pod.obj, e.container === '' ? [] : field ? ['spec', 'containers', i, field] : ['spec', 'containers', i]);
    const isProbe = field !== undefined;
    const hop: Hop = {
      at: e.container ? `pod/${pod.key}/container/${e.container}` : `pod/${pod.key}`,
      action: isProbe ? 'probe' : e.probe === 'pod' ? (e.action === 'deleted' ? 'delete' : e.action === 'gone' ? 'gone' : 'status') : (e.probe as 'restart' | 'exit' | 'signal'),
      detail: `t=${fmtTime(e.t)} ${isProbe ? `${e.probe} probe ${e.result}: ` : ''}${e.detail}${e.action && isProbe ? ` → ${e.action}` : ''}`,
      source: { what: field ? `${field} of container ${e.container} in Pod ${pod.key}` : e.container ? `container ${e.container} of Pod ${pod.key}` : `Pod ${pod.key}`, pos },
    };
    const ev: TimelineEvent = { ...e, pod: pod.key, hop };
    const nh = isProbe && e.result === 'failure' ? netHops.get(`${e.container}/${e.probe}`) : undefined;
    if (nh && nh.length) ev.network = nh;
    return ev;
  });
  const changes = [...new Set(times)].map((t) => t + offset);
  const out: PodTimeline = {
    pod, events, changes, createdAt: offset,
    readyAt: (t) => t >= offset && readyAt(t - offset),
    stateAt: (t) => (t < offset ? [] : stateAt(sim, names, t - offset)),
    objectAt: (t) => {
      if (t < offset) return null;
      const ps = podStateAt(sim, t - offset);
      return ps.gone ? null : podAt(pod, stateAt(sim, names, t - offset), ps, gateValues(gates, t - offset), gates.types, sim.deletedAt, offset);
    },
  };
  if (sim.goneAt !== undefined) out.goneAt = sim.goneAt + offset;
  return out;
}

/**
 * A StatefulSet's pod deleted at t: the StatefulSet controller (stateful_set_control.go: a missing
 * ordinal is created again) makes the pod of the same name once the old one is gone — the name is free
 * only then. The new instance runs the kubelet model from its creation; it keeps the old one's node
 * and IP here (a simplification: the scheduler and IPAM may choose others).
 */
function statefulReplacement(base: Realised, pod: RPod, tl: PodTimeline, q: TimelineQuery, hooks: () => NetfilterHooks, apps: readonly AppScript[], gates: { t: number; type: string; status: boolean }[]): PodTimeline {
  const ref = pod.obj.metadata.ownerReferences?.find((r) => r && r.controller);
  if (!ref || ref.kind !== 'StatefulSet' || tl.goneAt === undefined || tl.goneAt > q.until) return tl;
  const at = tl.goneAt;
  const created: SimEvent = { t: at, container: '', probe: 'pod', result: '', detail: `Created pod ${pod.name} again (StatefulSet ${pod.ns}/${ref.name}: ordinal missing once the old pod is gone)`, action: 'created' };
  const next = podTimeline(base, pod, q, hooks, apps, undefined, gates, at, [created]);
  return {
    pod, createdAt: 0,
    events: [...tl.events, ...next.events],
    changes: [...tl.changes, ...next.changes],
    stateAt: (t) => (t < at ? tl.stateAt(t) : next.stateAt(t)),
    objectAt: (t) => (t < at ? tl.objectAt(t) : next.objectAt(t)),
    readyAt: (t) => (t < at ? tl.readyAt(t) : next.readyAt(t)),
  };
}

/** "90s", "2m30s", "1.5s" */
export function fmtTime(ms: number): string {
  if (ms % 1000) return `${ms / 1000}s`;
  const s = ms / 1000;
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60), r = s % 60;
  return r ? `${m}m${r}s` : `${m}m`;
}

const stampAt = (ms: number) => `+${fmtTime(ms)}`;

function terminatedAt(x: { exitCode: number; reason: string; startedAt: number; finishedAt: number }): any {
  return { terminated: { exitCode: x.exitCode, reason: x.reason, startedAt: stampAt(x.startedAt), finishedAt: stampAt(x.finishedAt) } };
}

/**
 * The pod as the API server would show it when its containers are in `states` (times as "+90s" from
 * t=0): phase, the Initialized/Ready/ContainersReady/PodScheduled conditions and the readiness gates'
 * conditions (pkg/kubelet/status generate.go), containerStatuses with state and lastState.
 */
export function podAt(pod: RPod, states: readonly ContainerState[], ps: PodState = { deleting: false, gone: false }, gateValues: ReadonlyMap<string, boolean> = new Map(), gateTypes: readonly string[] = [], deletedAt?: number, offset = 0): KObject {
  const stamp = (ms: number) => stampAt(ms + offset);
  const terminatedStatus = (x: { exitCode: number; reason: string; startedAt: number; finishedAt: number }) => terminatedAt({ ...x, startedAt: x.startedAt + offset, finishedAt: x.finishedAt + offset });
  const containersReady = pod.phase === 'Running' && states.length > 0 && states.every((s) => s.ready);
  const missing = gateTypes.filter((ty) => !gateValues.has(ty));
  const notTrue = gateTypes.filter((ty) => gateValues.get(ty) === false);
  const ready = containersReady && missing.length === 0 && notTrue.length === 0;
  const cstatus = (b: boolean) => (b ? 'True' : 'False');
  const images = new Map<string, string>((pod.obj.spec?.containers ?? []).map((c: any) => [c.name, c.image ?? '']));
  const status: any = { ...(pod.obj.status ?? {}) };
  const unready = states.filter((s) => !s.ready).map((s) => s.name).join(' ');
  const readyCond: any = { type: 'Ready', status: cstatus(ready) };
  if (!containersReady) Object.assign(readyCond, { reason: 'ContainersNotReady', message: `containers with unready status: [${unready}]` });
  else if (!ready) Object.assign(readyCond, { reason: 'ReadinessGatesNotReady', message: missing.length ? `corresponding condition of pod readiness gate "${missing[0]}" does not exist.` : `the status of pod readiness gate "${notTrue[0]}" is not "True", but False` });
  status.conditions = [
    { type: 'Initialized', status: 'True' },
    readyCond,
    { type: 'ContainersReady', status: cstatus(containersReady), ...(containersReady ? {} : { reason: 'ContainersNotReady', message: `containers with unready status: [${unready}]` }) },
    { type: 'PodScheduled', status: 'True' },
    ...gateTypes.filter((ty) => gateValues.has(ty)).map((ty) => ({ type: ty, status: cstatus(gateValues.get(ty)!) })),
  ];
  status.containerStatuses = states.map((s) => {
    const cs: any = { name: s.name, image: images.get(s.name) ?? '', ready: s.ready, started: s.running && s.started, restartCount: s.restartCount };
    if (s.running) cs.state = { running: { startedAt: stamp(s.since) } };
    else if (s.terminated) cs.state = terminatedStatus(s.terminated);
    else cs.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${fmtTime(s.waitingBackoff ?? 0)} restarting failed container=${s.name} pod=${pod.name}_${pod.ns}` } };
    cs.lastState = s.lastState && (s.running || !s.terminated) ? terminatedStatus(s.lastState) : {};
    return cs;
  });
  // every container terminated for good: Succeeded when every exit code was 0, else Failed
  if (states.length && states.every((s) => s.terminated) && !ps.deleting) {
    status.phase = states.every((s) => s.terminated!.exitCode === 0) ? 'Succeeded' : 'Failed';
    const reason = status.phase === 'Succeeded' ? 'PodCompleted' : 'PodFailed';
    status.conditions[1] = { type: 'Ready', status: 'False', reason };
    status.conditions[2] = { type: 'ContainersReady', status: 'False', reason };
  }
  const obj: KObject = { ...pod.obj, status };
  if (ps.deleting && deletedAt !== undefined) {
    const grace = typeof pod.obj.spec?.terminationGracePeriodSeconds === 'number' ? pod.obj.spec.terminationGracePeriodSeconds : DEFAULT_GRACE_MS / 1000;
    obj.metadata = { ...pod.obj.metadata, deletionTimestamp: stamp(deletedAt + grace * 1000), deletionGracePeriodSeconds: grace };
  }
  const o = originOf(pod.obj);
  if (o) setOrigin(obj, o);
  return obj;
}

const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
const CONTROLLER = 'endpointslice-controller.k8s.io';

/** The pods a script line names: a pod, a workload's pods, or a label selector in a namespace. */
export function targetPods(realised: Realised, t: Target): RPod[] {
  if (t.pod) {
    const exact = realised.podByKey.get(t.pod);
    if (exact) return [exact];
    const [ns, name] = t.pod.split('/');
    const rs = new RegExp(`^ReplicaSet ${ns.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[a-z0-9]+$`);
    return [...realised.podIndex(ns).select(parseSelectorString(''))].filter((p) => p.owner !== undefined && (p.owner.endsWith(` ${ns}/${name}`) || rs.test(p.owner)));
  }
  if (t.selector !== undefined && t.namespace !== undefined) {
    const sel = parseSelectorString(t.selector);
    return [...realised.podIndex(t.namespace).select(sel)];
  }
  return [];
}

/**
 * The kubelet's timeline of probes, exits, signals and restarts for one pod (or every input pod with
 * something to simulate), with the script's events. Throws InputErrors for an unknown pod, a pod that
 * does not run, or a script line that names no pod.
 */
/** hooks: the nodes' netfilter, asked for only when a probe goes over the network (building it costs at size) */
export function probeTimeline(realised: Realised, q: TimelineQuery, hooks: NetfilterHooks | (() => NetfilterHooks)): Timeline {
  const netfilter = typeof hooks === 'function' ? hooks : () => hooks;
  const script = q.script ?? { apps: [], events: [] };
  const errors: InputError[] = [];
  const appsByPod = new Map<string, AppScript[]>();
  const deletes = new Map<string, number>();
  const gateEvents = new Map<string, { t: number; type: string; status: boolean }[]>();
  const resolve = (t: Target | undefined, what: string): RPod[] => {
    if (!t) return [];
    let pods: RPod[];
    try { pods = targetPods(realised, t); } catch (e) {
      errors.push({ code: 'NS-SCRIPT-SELECTOR', message: `${what}: ${(e as Error).message}`, pos: t.pos, hint: 'a label selector: app=web,tier in (front)' });
      return [];
    }
    if (!pods.length) {
      const ns = t.pod ? t.pod.split('/')[0] : t.namespace!;
      // a pod name: the closest names of its namespace; a selector: the namespace's first pods
      const inNs = realised.pods.filter((p) => p.ns === ns).map((p) => p.name);
      const near = t.pod ? closest(t.pod.slice(ns.length + 1), inNs, 3) : inNs.slice(0, 5);
      errors.push({ code: 'NS-SCRIPT-NO-POD', message: `${what} ${t.pod ?? `${t.namespace} ${t.selector}`} matches no pod`, pos: t.pos, hint: near.length ? `${t.pod ? 'closest pods' : 'pods'} in ${ns}: ${near.map((n) => `${ns}/${n}`).join(', ')}${!t.pod && inNs.length > 5 ? ', …' : ''} (or name their workload)` : `namespace ${ns} has no pods` });
    }
    return pods;
  };
  // deletions name the pods at t=0; the controllers' new pods come from the pools (fleet.ts)
  for (const e of script.events) if (e.kind === 'delete') for (const p of resolve(e.target, 'delete')) deletes.set(p.key, Math.min(e.at, deletes.get(p.key) ?? Infinity));
  const warnings: Warning[] = [];
  const specs = planFleets(realised, script, deletes, errors, warnings);
  if (errors.length) throw new InputErrors(errors);
  // the controllers run over the cluster with every spare pod; at(t) patches the one with the pods they used
  const pools = specs.length ? realisePools(realised, specs) : undefined;
  const sim = pools ? pools.base : realised;
  const inFleet = new Map<string, FleetSpec>();
  for (const s of specs) {
    const owners = new Set([s.rs, ...(s.added ?? [])].map((o) => `ReplicaSet ${s.ns}/${o.metadata.name}`));
    for (const p of sim.podIndex(s.ns).select(parseSelectorString(''))) if (p.owner !== undefined && owners.has(p.owner)) inFleet.set(p.key, s);
  }
  const resolveBase = (t: Target | undefined, what: string): RPod[] => (sim === realised ? resolve(t, what) : resolve(t, what).length ? targetPods(sim, t!) : []);
  for (const a of script.apps) for (const p of resolveBase(a.target, 'the app')) {
    if (a.image !== undefined && !(p.obj.spec?.containers ?? []).some((c: any) => c?.image === a.image)) continue;
    if (a.container !== undefined && !p.containers.includes(a.container)) errors.push({ code: 'NS-SCRIPT-NO-CONTAINER', message: `pod ${p.key} has no container ${a.container}`, pos: a.pos, hint: `containers: ${p.containers.join(', ')}` });
    (appsByPod.get(p.key) ?? appsByPod.set(p.key, []).get(p.key)!).push(a);
  }
  for (const e of script.events) if (e.kind === 'condition') for (const p of resolveBase(e.target, 'condition')) {
    (gateEvents.get(p.key) ?? gateEvents.set(p.key, []).get(p.key)!).push({ t: e.at, type: e.type, status: e.status });
  }
  if (errors.length) throw new InputErrors(errors);
  for (const e of script.events) if (e.kind === 'condition') {
    for (const p of targetPods(realised, e.target)) {
      const gates = (Array.isArray(p.obj.spec?.readinessGates) ? p.obj.spec.readinessGates : []).map((g: any) => g?.conditionType);
      if (!gates.includes(e.type)) warnings.push({ code: 'NS-CONDITION-NOT-A-GATE', message: `condition ${e.type} set on pod ${p.key} at ${fmtTime(e.at)} is not one of its spec.readinessGates: it does not change the pod's readiness`, pos: e.pos });
    }
  }
  // the controllers on the clock: each pod's life from the kubelet model, from when it is created
  const lifeOf = (pod: RPod, createdAt: number): PodLife => {
    let tl: PodTimeline | undefined;
    const get = () => (tl ??= podTimeline(sim, pod, q, netfilter, appsByPod.get(pod.key) ?? [], undefined, gateEvents.get(pod.key) ?? [], createdAt));
    let flips: { t: number; ready: boolean }[] | undefined;
    const transitions = () => {
      if (flips) return flips;
      flips = [];
      for (const t of [createdAt, ...get().changes].sort((a, b) => a - b)) {
        const r = get().readyAt(t);
        if (!flips.length ? r : flips[flips.length - 1].ready !== r) flips.push({ t, ready: r });
      }
      return flips;
    };
    return {
      get changes() { return transitions().map((f) => f.t); },
      readySince(t) { let since: number | null = null; for (const f of transitions()) { if (f.t > t) break; since = f.ready ? f.t : null; } return since; },
      restarts: (t) => get().stateAt(t).reduce((n, c) => n + c.restartCount, 0),
      goneAfter: (td) => {
        const d = podTimeline(sim, pod, q, netfilter, appsByPod.get(pod.key) ?? [], td, gateEvents.get(pod.key) ?? [], createdAt);
        return d.goneAt !== undefined ? d.goneAt - td : Math.max(1, q.until - td + 1);
      },
    };
  };
  const involved = (p: RPod) => hasProbe(p) || appsByPod.has(p.key) || deletes.has(p.key) || gateEvents.has(p.key) || (Array.isArray(p.obj.spec?.readinessGates) && p.obj.spec.readinessGates.length > 0);
  const runs = specs.map((s) => runFleet(sim, s, q.until, lifeOf, warnings));
  const used = new Set(runs.flatMap((r) => r.fleet.pods.map((p) => `${r.spec.ns}/${p.name}`)));
  const base = pools ? patchPods(realised, new Map(), new Diagnostics(), new Map(), pools.pool.filter((p) => used.has(p.key)), pools.rsObjects) : realised;
  if (pools) servicesIn(base, ''); // indexed now: at(t) reads it
  // a pod of the workload the kubelet model leaves as it was at t=0 (no probe, no script line, not
  // deleted, there from the start) keeps its object: at(t) patches only what changes
  const steady = new Set<string>();
  const fleetTls: PodTimeline[] = [];
  const deployEvents: TimelineEvent[] = [];
  for (const run of runs) {
    const logByPod = new Map<string, typeof run.fleet.log>();
    for (const l of run.fleet.log) if (l.pod !== undefined) { const x = logByPod.get(l.pod); if (x) x.push(l); else logByPod.set(l.pod, [l]); }
    for (const fp of run.fleet.pods) {
      const pod = base.podByKey.get(`${run.spec.ns}/${fp.name}`);
      if (!pod || fp.createdAt > q.until) continue;
      const extra: SimEvent[] = (logByPod.get(fp.name) ?? []).map((l) => ({ t: l.t, container: '', probe: 'pod' as const, result: '' as const, detail: l.what, action: (l.what.startsWith('Created') ? 'created' : 'deleted') as SimEvent['action'] }));
      fleetTls.push(podTimeline(base, pod, q, netfilter, appsByPod.get(pod.key) ?? [], fp.deletedAt, gateEvents.get(pod.key) ?? [], fp.createdAt, extra));
      if (fp.initial && fp.deletedAt === undefined && !involved(pod)) steady.add(pod.key);
    }
    const obj = run.spec.deployment ?? run.spec.rs;
    for (const l of run.fleet.log) if (l.pod === undefined) {
      const kind = run.spec.deployment ? 'Deployment' : 'ReplicaSet';
      deployEvents.push({ t: l.t, container: '', probe: 'pod', result: '', detail: l.what, pod: run.spec.key, hop: { at: `${kind.toLowerCase()}/${run.spec.key}`, action: 'status', detail: `t=${fmtTime(l.t)} ${l.what}`, source: { what: `${kind} ${run.spec.key} (${kind === 'Deployment' ? 'deployment controller' : 'ReplicaSet controller'})`, pos: posOf(obj) } } });
    }
  }
  let pods: RPod[];
  if (q.pod !== undefined) {
    // a pod, or a workload's pods
    pods = /^[^/]+\/[^/]+$/.test(q.pod) ? targetPods(base, { pod: q.pod }) : [];
    if (!pods.length) throw new InputErrors([{ code: 'NS-UNKNOWN-POD', message: `no pod or workload ${q.pod}`, hint: 'name it NS/POD or NS/WORKLOAD, e.g. shop/web-1 or shop/web' }]);
    const p = pods.find((x) => !x.node || x.phase !== 'Running');
    if (p) throw new InputErrors([{ code: 'NS-POD-NOT-RUNNING', message: `pod ${p.key} is ${p.phase}: the kubelet probes only running containers`, hint: 'schedule the pod on a node (check the warnings for NS-UNSCHEDULABLE)' }]);
  } else {
    // the control plane's own pods (coredns) have no input position; the scenario's pods all have one
    pods = realised.pods.filter((p) => p.node && p.phase === 'Running' && originOf(p.obj) && !inFleet.has(p.key) && involved(p));
  }
  const shownKeys = new Set(pods.map((p) => p.key));
  const tlsAll = [...pods.filter((p) => !inFleet.has(p.key)).map((p) => {
    const tl = podTimeline(base, p, q, netfilter, appsByPod.get(p.key) ?? [], deletes.get(p.key), gateEvents.get(p.key) ?? []);
    return statefulReplacement(base, p, tl, q, netfilter, appsByPod.get(p.key) ?? [], gateEvents.get(p.key) ?? []);
  }), ...fleetTls];
  const tls = q.pod === undefined ? tlsAll : tlsAll.filter((t) => shownKeys.has(t.pod.key));
  const order = new Map(tls.map((t, i) => [t.pod.key, i] as const));
  const shownDeploy = q.pod === undefined ? deployEvents : deployEvents.filter((e) => e.pod === q.pod);
  const events = [...tls.flatMap((t) => t.events), ...shownDeploy].map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.t - b.e.t || (order.get(a.e.pod) ?? -1) - (order.get(b.e.pod) ?? -1) || a.i - b.i).map((x) => x.e);
  const hops: Hop[] = [];
  for (const e of events) { if (e.network) hops.push(...e.network); hops.push(e.hop); }
  const replacedAt = (t: number) => fleetObjectsAt(runs, base, t);
  const podsAt = (t: number) => {
    const m = new Map<string, KObject | null>();
    for (const tl of tlsAll) if (!steady.has(tl.pod.key)) m.set(tl.pod.key, tl.objectAt(t));
    return m;
  };
  return {
    pods: tls,
    events,
    hops,
    warnings,
    base,
    fleets: runs,
    podsAt,
    replacedAt,
    objectsAt(t: number): KObject[] {
      const changed = new Map<KObject, KObject | null>(replacedAt(t));
      for (const [key, obj] of podsAt(t)) changed.set(base.podByKey.get(key)!.obj, obj);
      // realise is pure: the same objects (with every derived pod now an input carrying its IP and
      // owner) minus the EndpointSlices the controller made, which it makes again from readiness
      const out: KObject[] = [];
      for (const o of base.objects) {
        if (o.kind === 'EndpointSlice' && o.metadata.labels?.[MANAGED_BY] === CONTROLLER) continue;
        const c = changed.get(o);
        if (c === null) continue; // deleted and gone
        out.push(c ?? o);
      }
      return out;
    },
  };
}
