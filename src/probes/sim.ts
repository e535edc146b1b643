// The kubelet on a virtual clock (design §1 "Virtual time"): a discrete-event simulation of one pod's
// containers from t=0 (the containers start) to a horizon. Pure: the network's say on a probe (is
// anyone listening?) is handed in; the app's behaviour comes from the script (script.ts).
//
// What it follows (each fact named in sim.test.ts):
// - pkg/kubelet/prober/worker.go: one worker a probe; it probes at once when it starts (t=0) and then
//   on a ticker every periodSeconds (the random first-probe delay, only after a kubelet restart, is
//   left out). A probe is skipped while the container is not running, before initialDelaySeconds of
//   the instance, and (liveness, readiness) until the startup probe succeeded. A result changes the
//   state after failureThreshold / successThreshold consecutive results; the run restarts on each new
//   container. Readiness starts as Failure, liveness and startup as Success. After a liveness or
//   startup failure the worker holds (onHold) until the container ID changes.
// - pkg/kubelet/kuberuntime killContainer: the grace period is the pod's deletionGracePeriodSeconds,
//   else spec.terminationGracePeriodSeconds (API default 30), overridden by the probe's own
//   terminationGracePeriodSeconds for a liveness or startup kill; the preStop hook runs first and its
//   time is taken from the grace period; the process always gets at least 2 s
//   (minimumGracePeriodInSeconds) between SIGTERM and SIGKILL. SIGKILL → exit code 137.
// - kuberuntime doBackOff + client-go flowcontrol.Backoff (initial 10 s, max 300 s): the back-off is
//   keyed per container and measured from the finished time of the exited container; the first exit
//   restarts at once, then 10 s, 20 s, 40 s … 300 s; Next() stamps lastUpdate with the restart time,
//   and an exit more than 2 × 300 s after it (the container ran over 10 minutes) resets the sequence.
// - restartPolicy Always restarts every exit, OnFailure a non-zero exit, Never none. Terminated reason:
//   Completed for exit code 0, Error otherwise; waiting reason CrashLoopBackOff during a back-off.

import type { Answer, AppScript } from './script';

export type ProbeKind = 'startup' | 'liveness' | 'readiness';
export const PROBE_KINDS: readonly ProbeKind[] = ['startup', 'liveness', 'readiness'];
export const PROBE_FIELD: Record<ProbeKind, string> = { startup: 'startupProbe', liveness: 'livenessProbe', readiness: 'readinessProbe' };

/** Probe API defaults (core/v1 Probe). */
export const PROBE_DEFAULTS = { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 } as const;
export const BACKOFF_INITIAL_MS = 10_000;
export const BACKOFF_MAX_MS = 300_000;
/** flowcontrol hasExpired: an event more than 2 × maxDuration after the last update starts afresh */
export const BACKOFF_RESET_MS = 2 * BACKOFF_MAX_MS;
/** kuberuntime minimumGracePeriodInSeconds */
export const MIN_GRACE_MS = 2000;
/** core/v1 PodSpec.terminationGracePeriodSeconds default */
export const DEFAULT_GRACE_MS = 30_000;
/** Go's http.Client stops after 10 redirects */
export const MAX_REDIRECTS = 10;

export interface ProbeSpec {
  kind: ProbeKind;
  initialDelayMs: number;
  periodMs: number;
  timeoutMs: number;
  successThreshold: number;
  failureThreshold: number;
  /** "httpGet" | "tcpSocket" | "grpc" | "exec" */
  mechanism: string;
  /** e.g. "httpGet http://:8080/healthz", "exec [cat /tmp/healthy]" */
  describe: string;
  /** httpGet: the path and host asked for (redirects: same host followed) */
  path?: string;
  host?: string;
  /** the probe's own terminationGracePeriodSeconds (liveness, startup), ms */
  graceMs?: number;
}

export interface Attempt {
  ok: boolean;
  detail: string;
  /** success with a warning (a redirect to another host: "Probe terminated redirects") */
  warning?: string;
}

export type Action = 'created' | 'restart' | 'ready' | 'not-ready' | 'killed' | 'started' | 'exited' | 'sigterm' | 'sigkill' | 'back-off' | 'deleted' | 'gone' | 'prestop';

export interface SimEvent {
  t: number;
  container: string;
  /** the probe, or what happened to the container: 'restart' (a start), 'exit', 'signal', 'pod' */
  probe: ProbeKind | 'restart' | 'exit' | 'signal' | 'pod';
  result: 'success' | 'failure' | '';
  detail: string;
  action?: Action;
}

export interface Terminated {
  exitCode: number;
  reason: 'Completed' | 'Error';
  startedAt: number;
  finishedAt: number;
}

export interface ContainerState {
  name: string;
  running: boolean;
  started: boolean;
  ready: boolean;
  restartCount: number;
  /** when the running container started (ms), or when it stopped */
  since: number;
  /** stopped and not restarted (restartPolicy, or the pod is being deleted) */
  terminated?: Terminated;
  /** the previous instance's end (containerStatuses[].lastState.terminated) */
  lastState?: Terminated;
  /** when the startup probe succeeded (ms) */
  startedAt?: number;
  /** the back-off before the next restart (ms) while waiting: reason CrashLoopBackOff */
  waitingBackoff?: number;
  /** SIGTERM (or preStop) under way: the container still runs */
  stopping?: boolean;
}

export interface ContainerSpec {
  name: string;
  probes: Partial<Record<ProbeKind, ProbeSpec>>;
  /** lifecycle.preStop: how long it runs (ms); absent: no hook */
  preStopMs?: number;
}

export interface SimInput {
  containers: ContainerSpec[];
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
  /** spec.terminationGracePeriodSeconds in ms (default 30 s) */
  graceMs?: number;
  until: number;
  /** the app's behaviour: the script's entries that apply to this pod */
  apps: readonly AppScript[];
  /** the pod is deleted at this time (deletionTimestamp set, grace period runs) */
  deleteAt?: number;
  /** the network's say on a probe (null: reachable, the app decides); called once per probe */
  network: (container: string, kind: ProbeKind) => Attempt | null;
}

export interface PodState {
  /** deletionTimestamp set */
  deleting: boolean;
  /** every container stopped after deletion: the API server removed the pod */
  gone: boolean;
}

export interface SimResult {
  events: SimEvent[];
  /** each container's state after every change, in time order */
  snapshots: { t: number; state: ContainerState }[];
  deletedAt?: number;
  goneAt?: number;
}

/** The CrashLoopBackOff delay before restart n (0-based) when every instance fails fast: 0, 10s, 20s, 40s … ≤ 300s. */
export function backoffDelay(n: number): number {
  if (n <= 0) return 0;
  return Math.min(BACKOFF_MAX_MS, BACKOFF_INITIAL_MS * 2 ** Math.min(n - 1, 30));
}

/** The app's scripts for a container (every container's when the entry names none). */
export function appsFor(apps: readonly AppScript[], container: string): AppScript[] {
  return apps.filter((a) => a.container === undefined || a.container === container);
}

/** The scripted answer for a probe at pod time t in an instance started at `start` (the last matching line wins). */
export function answerAt(apps: readonly AppScript[], kind: ProbeKind, path: string | undefined, t: number, start: number): Answer | undefined {
  let found: Answer | undefined;
  for (const a of apps) {
    const now = a.clock === 'pod' ? t : t - start;
    for (const r of a.answers) {
      if (r.probe !== undefined && r.probe !== kind) continue;
      if (r.path !== undefined && r.path !== path) continue;
      if (now < r.from || (r.to !== undefined && now >= r.to)) continue;
      found = r.answer;
    }
  }
  return found;
}

function hostOf(location: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(location);
  if (!m) return undefined;
  // URL.Hostname(): without the port (and without the brackets of an IPv6 literal)
  const h = m[1].replace(/^.*@/, '');
  return h.startsWith('[') ? h.slice(1, h.indexOf(']')) : h.replace(/:\d*$/, '');
}
function pathOf(location: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(location);
  const p = m ? m[1] : location.replace(/[?#].*$/, '');
  return p.startsWith('/') ? p : '/' + p;
}

/** One probe attempt: the handler's answer turned into the kubelet's result (pkg/probe http, tcp, exec, grpc). */
export function attempt(spec: ProbeSpec, apps: readonly AppScript[], t: number, start: number, network: Attempt | null): Attempt {
  if (network) return network;
  const d = spec.describe;
  let path = spec.path;
  for (let hop = 0; ; hop++) {
    const a = answerAt(apps, spec.kind, path, t, start);
    const where = path !== spec.path ? ` (redirected to ${path})` : '';
    if (!a || a.kind === 'ok') return { ok: true, detail: `${d}${where}: success` };
    switch (a.kind) {
      case 'fail':
        return { ok: false, detail: spec.mechanism === 'exec' ? `${d}: command exited with code 1` : spec.mechanism === 'httpGet' ? `${d}${where}: HTTP probe failed with statuscode: 500` : spec.mechanism === 'grpc' ? `${d}: service unhealthy (responded with "NOT_SERVING")` : `${d}: dial tcp: connect: connection refused` };
      case 'hang':
        return { ok: false, detail: spec.mechanism === 'exec' ? `${d}: command timed out after ${spec.timeoutMs / 1000}s (timeoutSeconds)` : `${d}${where}: timeout (no answer within timeoutSeconds ${spec.timeoutMs / 1000}s)` };
      case 'refused':
        return { ok: false, detail: `${d}: dial tcp: connect: connection refused` };
      case 'exit':
        return a.code === 0 ? { ok: true, detail: `${d}: command exited with code 0` } : { ok: false, detail: `${d}: command exited with code ${a.code}` };
      case 'grpc':
        return a.serving ? { ok: true, detail: `${d}: SERVING` } : { ok: false, detail: `${d}: service unhealthy (responded with "NOT_SERVING")` };
      case 'tcp':
        return a.open ? { ok: true, detail: `${d}: connection established` } : { ok: false, detail: `${d}: dial tcp: connect: connection refused` };
      case 'http': {
        const s = a.status;
        if (s >= 300 && s < 400 && a.location !== undefined) {
          const host = hostOf(a.location);
          if (host !== undefined && host !== spec.host) {
            // followNonLocalRedirects is false for probes: a redirect to another hostname is not
            // followed; the 3xx is the answer, a success with a warning (pkg/probe/http)
            return { ok: true, detail: `${d}${where}: HTTP ${s} to another host (${a.location}): Probe terminated redirects`, warning: `Probe terminated redirects, Response: HTTP ${s} Location ${a.location}` };
          }
          if (hop + 1 > MAX_REDIRECTS) return { ok: false, detail: `${d}: stopped after ${MAX_REDIRECTS} redirects` };
          path = pathOf(a.location);
          continue;
        }
        const ok = s >= 200 && s < 400; // any status in [200, 400) is a success
        return { ok, detail: `${d}${where}: HTTP ${s} (${ok ? 'success: 200–399' : 'HTTP probe failed'})` };
      }
    }
  }
}

interface Pending { t: number; order: number; seq: number; run: () => void }

/** A binary heap on (t, order, seq): the event loop stays O(log n) at long horizons. */
class Queue {
  private h: Pending[] = [];
  private less(a: Pending, b: Pending): boolean { return a.t < b.t || (a.t === b.t && (a.order < b.order || (a.order === b.order && a.seq < b.seq))); }
  get size(): number { return this.h.length; }
  push(p: Pending): void {
    const h = this.h; h.push(p);
    for (let i = h.length - 1; i > 0;) { const j = (i - 1) >> 1; if (!this.less(h[i], h[j])) break; [h[i], h[j]] = [h[j], h[i]]; i = j; }
  }
  pop(): Pending {
    const h = this.h; const top = h[0]; const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1, r = l + 1; let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]]; i = m;
      }
    }
    return top;
  }
}

const fmt = (ms: number) => `${ms / 1000}s`;

/** Runs the simulation; deterministic (no randomness: the first-probe jitter is not modelled). */
export function simulate(input: SimInput): SimResult {
  const events: SimEvent[] = [];
  const snapshots: { t: number; state: ContainerState }[] = [];
  const queue = new Queue();
  let seq = 0;
  const push = (t: number, order: number, run: () => void) => { if (t <= input.until) queue.push({ t, order, seq: seq++, run }); };
  const podGrace = input.graceMs ?? DEFAULT_GRACE_MS;
  let deleting = false;
  const res: SimResult = { events, snapshots };
  const stoppedAfterDelete = new Set<string>();
  const checkGone = (t: number) => {
    if (deleting && stoppedAfterDelete.size === input.containers.length && res.goneAt === undefined) {
      res.goneAt = t;
      events.push({ t, container: '', probe: 'pod', result: '', detail: 'every container stopped: the kubelet confirms the deletion, the API server removes the pod and its endpoints go', action: 'gone' });
    }
  };
  const deleters: ((t: number) => void)[] = [];

  input.containers.forEach((c, ci) => {
    const apps = appsFor(input.apps, c.name);
    const st: ContainerState = { name: c.name, running: false, started: false, ready: false, restartCount: 0, since: 0 };
    const run: Record<ProbeKind, { last: boolean | null; n: number }> = { startup: { last: null, n: 0 }, liveness: { last: null, n: 0 }, readiness: { last: null, n: 0 } };
    const hold: Record<ProbeKind, boolean> = { startup: false, liveness: false, readiness: false };
    const net = new Map<ProbeKind, Attempt | null>();
    let instance = 0;
    let backoff: { delay: number; lastUpdate: number } | undefined; // flowcontrol.Backoff's entry for this container
    let pendingRestart: number | undefined;
    const snap = (t: number) => snapshots.push({ t, state: { ...st } });
    const emit = (e: Omit<SimEvent, 'container'>) => { const ev = { ...e, container: c.name }; events.push(ev); return ev; };
    const exitSpec = apps.reduce<AppScript['exit']>((x, a) => a.exit ?? x, undefined);
    const exitClock = apps.reduce<AppScript['clock']>((x, a) => (a.exit ? a.clock : x), 'instance');
    const onTerm = apps.reduce<AppScript['sigterm']>((x, a) => a.sigterm ?? x, undefined);
    const preStopMs = apps.reduce<number | undefined>((x, a) => a.preStopMs ?? x, undefined) ?? c.preStopMs;

    const start = (t: number) => {
      const first = instance === 0;
      instance++;
      pendingRestart = undefined;
      st.running = true; st.since = t; st.stopping = false;
      delete st.waitingBackoff; delete st.startedAt; delete st.terminated;
      for (const k of PROBE_KINDS) { run[k] = { last: null, n: 0 }; hold[k] = false; }
      st.started = !c.probes.startup;
      st.ready = st.started && !c.probes.readiness;
      if (!first) {
        st.restartCount++;
        // flowcontrol Backoff.Next(key, finishedAt): initial after no entry or an expired one, else doubled; lastUpdate = now
        const finishedAt = st.lastState?.finishedAt ?? t;
        backoff = !backoff || finishedAt - backoff.lastUpdate > BACKOFF_RESET_MS
          ? { delay: BACKOFF_INITIAL_MS, lastUpdate: t }
          : { delay: Math.min(backoff.delay * 2, BACKOFF_MAX_MS), lastUpdate: t };
      }
      emit({ t, probe: 'restart', result: '', detail: first ? 'container started' : `container restarted (restartCount ${st.restartCount})`, action: first ? 'started' : 'restart' });
      if (st.ready) emit({ t, probe: 'restart', result: '', detail: 'no readiness probe: ready once started', action: 'ready' });
      snap(t);
      if (exitSpec) {
        const at = exitClock === 'pod' ? exitSpec.after : t + exitSpec.after;
        const inst = instance;
        if (at >= t) push(at, 0, () => { if (inst === instance && st.running && !st.stopping) finish(at, exitSpec.code, `the process exited by itself with code ${exitSpec.code}`); });
      }
    };

    /** The container's process is gone: record it, then restart per restartPolicy and back-off. */
    const finish = (t: number, code: number, why: string) => {
      const term: Terminated = { exitCode: code, reason: code === 0 ? 'Completed' : 'Error', startedAt: st.since, finishedAt: t };
      st.running = false; st.ready = false; st.started = false; st.stopping = false; st.since = t;
      st.lastState = term;
      const restart = !deleting && (input.restartPolicy === 'Always' || (input.restartPolicy === 'OnFailure' && code !== 0));
      let next: string;
      if (!restart) {
        st.terminated = term;
        next = deleting ? 'not restarted: the pod is being deleted' : `restartPolicy ${input.restartPolicy}: not restarted`;
        if (deleting) stoppedAfterDelete.add(c.name);
      } else {
        // kuberuntime doBackOff: in back-off while now − finishedAt < the entry's delay
        const inBackoff = backoff !== undefined && !(t - backoff.lastUpdate > BACKOFF_RESET_MS);
        const delay = inBackoff ? backoff!.delay : 0;
        if (delay) st.waitingBackoff = delay;
        pendingRestart = t + delay;
        push(t + delay, 0, () => { if (!deleting && pendingRestart === t + delay) start(t + delay); });
        next = delay ? `back-off ${fmt(delay)} restarting failed container (CrashLoopBackOff)` : backoff && !inBackoff && instance > 1 ? 'restarted at once (ran over 10 minutes: the back-off starts afresh)' : 'restarted at once (first restart: no back-off yet)';
      }
      emit({ t, probe: 'exit', result: '', detail: `${why}: terminated, exit code ${code} (${term.reason}); ${next}`, action: 'exited' });
      snap(t);
      if (deleting) checkGone(t);
    };

    /** killContainer: preStop, SIGTERM, then SIGKILL when the grace period runs out. */
    const kill = (t: number, graceMs: number, why: string) => {
      if (!st.running || st.stopping) return;
      st.stopping = true;
      const inst = instance;
      let termAt = t;
      let left = graceMs;
      if (preStopMs !== undefined) {
        const took = Math.min(preStopMs, graceMs);
        emit({ t, probe: 'signal', result: '', detail: `${why}: preStop hook runs (${fmt(preStopMs)}${preStopMs > graceMs ? `, cut at the grace period ${fmt(graceMs)}` : ''})`, action: 'prestop' });
        termAt = t + took; left = graceMs - took;
      }
      left = Math.max(left, MIN_GRACE_MS);
      snap(t);
      push(termAt, 0, () => {
        if (inst !== instance || !st.running) return;
        const ignores = onTerm?.ignore === true;
        emit({ t: termAt, probe: 'signal', result: '', detail: `${preStopMs === undefined ? why + ': ' : ''}SIGTERM, grace period ${fmt(left)}${ignores ? ' (the process ignores SIGTERM)' : ''}`, action: 'sigterm' });
        if (ignores) {
          push(termAt + left, 0, () => {
            if (inst !== instance || !st.running) return;
            emit({ t: termAt + left, probe: 'signal', result: '', detail: `grace period ${fmt(left)} over: SIGKILL`, action: 'sigkill' });
            finish(termAt + left, 137, 'killed by SIGKILL');
          });
        } else {
          const code = onTerm?.exitCode ?? 143;
          finish(termAt, code, code === 143 ? 'the process ended on SIGTERM' : `the process exited on SIGTERM with code ${code}`);
        }
      });
    };

    deleters.push((t: number) => {
      if (st.running) kill(t, podGrace, 'the pod is deleted');
      else {
        // waiting in back-off, or already terminated: nothing to stop
        pendingRestart = undefined;
        if (!st.terminated && st.lastState) { st.terminated = st.lastState; delete st.waitingBackoff; snap(t); }
        stoppedAfterDelete.add(c.name);
        checkGone(t);
      }
    });

    const probeAt = (kind: ProbeKind, t: number) => {
      const spec = c.probes[kind]!;
      push(t + spec.periodMs, 1 + PROBE_KINDS.indexOf(kind), () => probeAt(kind, t + spec.periodMs));
      if (!st.running || hold[kind]) return;
      if (t - st.since < spec.initialDelayMs) return;
      if (kind === 'startup' && st.started) return;
      // liveness and readiness read `started` from the pod status the startup worker's result
      // reaches asynchronously: they begin on their first tick after the startup success
      if (kind !== 'startup' && (!st.started || (st.startedAt !== undefined && t <= st.startedAt))) return;
      if (!net.has(kind)) net.set(kind, input.network(c.name, kind));
      const a = attempt(spec, apps, t, st.since, net.get(kind) ?? null);
      const r = run[kind];
      if (r.last === a.ok) r.n++; else { r.last = a.ok; r.n = 1; }
      const ev = emit({ t, probe: kind, result: a.ok ? 'success' : 'failure', detail: a.warning ? `${a.detail} (warning: ${a.warning})` : a.detail });
      const reached = a.ok ? r.n >= spec.successThreshold : r.n >= spec.failureThreshold;
      if (!reached) return;
      if (kind === 'readiness') {
        if (a.ok && !st.ready) { st.ready = true; ev.action = 'ready'; snap(t); }
        else if (!a.ok && st.ready) { st.ready = false; ev.action = 'not-ready'; snap(t); }
        return;
      }
      if (a.ok) {
        if (kind === 'startup') {
          st.started = true; st.startedAt = t;
          if (!c.probes.readiness) { st.ready = true; ev.action = 'ready'; }
          snap(t);
        }
        return;
      }
      if (st.stopping) return; // already being killed: a failure kills nothing more
      hold[kind] = true;
      const grace = spec.graceMs ?? podGrace;
      ev.action = 'killed';
      ev.detail += `; failed ${r.n} times (failureThreshold ${spec.failureThreshold}): the kubelet kills the container (grace period ${fmt(grace)}${spec.graceMs !== undefined ? `, the ${kind} probe's terminationGracePeriodSeconds` : ''})`;
      kill(t, grace, `${kind} probe failed`);
    };

    push(0, 0, () => start(0));
    for (const k of PROBE_KINDS) if (c.probes[k]) push(0, 1 + PROBE_KINDS.indexOf(k), () => probeAt(k, 0));
    void ci;
  });

  if (input.deleteAt !== undefined) {
    const d = input.deleteAt;
    push(d, -1, () => {
      deleting = true; res.deletedAt = d;
      events.push({ t: d, container: '', probe: 'pod', result: '', detail: `the pod is deleted: deletionTimestamp set, grace period ${fmt(podGrace)}; its endpoints turn terminating`, action: 'deleted' });
      for (const del of deleters) del(d);
    });
  }

  // the event loop: earliest first; at one instant pod events, then restarts and exits, then probes, FIFO
  while (queue.size) queue.pop().run();
  const idx = new Map(input.containers.map((c, i) => [c.name, i] as const));
  const stable = events.map((e, i) => ({ e, i }));
  stable.sort((a, b) => a.e.t - b.e.t || (idx.get(a.e.container) ?? -1) - (idx.get(b.e.container) ?? -1) || a.i - b.i);
  res.events = stable.map((x) => x.e);
  res.snapshots = snapshots.map((s, i) => ({ s, i })).sort((a, b) => a.s.t - b.s.t || a.i - b.i).map((x) => x.s);
  return res;
}

/** Each container's state at time t (the last snapshot at or before t). */
export function stateAt(res: SimResult, containers: readonly string[], t: number): ContainerState[] {
  const out = new Map<string, ContainerState>();
  // binary search for the last snapshot at or before t, then walk back once per container
  let lo = 0, hi = res.snapshots.length;
  while (lo < hi) { const m = (lo + hi) >> 1; if (res.snapshots[m].t <= t) lo = m + 1; else hi = m; }
  for (let i = lo - 1; i >= 0 && out.size < containers.length; i--) {
    const s = res.snapshots[i].state;
    if (!out.has(s.name)) out.set(s.name, s);
  }
  return containers.map((c) => out.get(c) ?? { name: c, running: false, started: false, ready: false, restartCount: 0, since: 0 });
}

/** The pod's own state at time t. */
export function podStateAt(res: SimResult, t: number): PodState {
  return { deleting: res.deletedAt !== undefined && t >= res.deletedAt, gone: res.goneAt !== undefined && t >= res.goneAt };
}
