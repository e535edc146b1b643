// The kubelet's prober on a virtual clock (design §1 "Virtual time"): a discrete-event simulation of
// one pod's containers from t=0 (the containers start) to a horizon. Pure: the network outcome of a
// probe (is anyone listening?) is handed in, the app's behaviour comes from the scenario's script.
//
// What it follows (pkg/kubelet/prober/worker.go, kuberuntime back-off, the Probe API defaults):
// - one worker a probe; it probes at once when it starts (t=0) and then on a ticker every
//   periodSeconds. The kubelet adds a random delay before the first probe only when the kubelet
//   itself has just started; netspec models a running kubelet: no jitter, the grid is 0, P, 2P, …
// - a probe is skipped while the container is not running, while fewer than initialDelaySeconds
//   have passed since the container started, and (liveness, readiness) until the startup probe
//   has succeeded;
// - a result changes the reported state only after failureThreshold consecutive failures or
//   successThreshold consecutive successes; the run restarts from zero on each new container;
// - liveness or startup failure → the container is killed and restarted per restartPolicy;
//   readiness failure → not ready (the pod leaves the Service's ready endpoints); the readiness
//   result of a new container starts as failure, so a restarted container is not ready until its
//   readiness probe succeeds; a container without a readiness probe is ready once started;
// - CrashLoopBackOff: the first restart is immediate, then 10s, 20s, 40s … capped at 300s; a
//   container that ran 10 minutes before it stopped starts the sequence again.

export type ProbeKind = 'startup' | 'liveness' | 'readiness';
export const PROBE_KINDS: readonly ProbeKind[] = ['startup', 'liveness', 'readiness'];
export const PROBE_FIELD: Record<ProbeKind, string> = { startup: 'startupProbe', liveness: 'livenessProbe', readiness: 'readinessProbe' };

/** Probe API defaults (core/v1 Probe). */
export const PROBE_DEFAULTS = { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 } as const;
export const BACKOFF_INITIAL_MS = 10_000;
export const BACKOFF_MAX_MS = 300_000;
export const BACKOFF_RESET_MS = 600_000;

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
}

/** What the app does, scripted by the scenario: probes of `probe` (all when absent) fail in [from, to). */
export interface Behaviour {
  container?: string;
  probe?: ProbeKind;
  from: number;
  /** exclusive; absent: for ever */
  to?: number;
  /** 'failure' (exit code 1 / connection reset), 'timeout' (no answer within timeoutSeconds), or an HTTP status */
  result: 'failure' | 'timeout' | { status: number };
}

export interface Attempt {
  ok: boolean;
  detail: string;
}

export type Action = 'restart' | 'ready' | 'not-ready' | 'killed' | 'started';

export interface SimEvent {
  t: number;
  container: string;
  /** the probe, or 'restart' for a container (re)start */
  probe: ProbeKind | 'restart';
  result: 'success' | 'failure' | '';
  detail: string;
  action?: Action;
}

export interface ContainerState {
  name: string;
  running: boolean;
  started: boolean;
  ready: boolean;
  restartCount: number;
  /** when the running container started (ms), or when it stopped */
  since: number;
  /** killed and not restarted (restartPolicy Never) */
  terminated?: boolean;
  /** when the startup probe succeeded (ms) */
  startedAt?: number;
  /** the back-off before the next restart (ms) while waiting, for the CrashLoopBackOff reason */
  waitingBackoff?: number;
}

export interface ContainerSpec {
  name: string;
  probes: Partial<Record<ProbeKind, ProbeSpec>>;
}

export interface SimInput {
  containers: ContainerSpec[];
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
  until: number;
  behaviour: readonly Behaviour[];
  /** the network's say on a probe (null: reachable, the app decides); called once per probe */
  network: (container: string, kind: ProbeKind) => Attempt | null;
}

export interface SimResult {
  events: SimEvent[];
  /** each container's state after every change, in time order */
  snapshots: { t: number; state: ContainerState }[];
}

/** The CrashLoopBackOff delay before restart n (0-based): 0, 10s, 20s, 40s … ≤ 300s. */
export function backoffDelay(n: number): number {
  if (n <= 0) return 0;
  return Math.min(BACKOFF_MAX_MS, BACKOFF_INITIAL_MS * 2 ** Math.min(n - 1, 30));
}

function behaviourAt(list: readonly Behaviour[], container: string, kind: ProbeKind, t: number): Behaviour | undefined {
  let found: Behaviour | undefined;
  for (const b of list) {
    if (b.container !== undefined && b.container !== container) continue;
    if (b.probe !== undefined && b.probe !== kind) continue;
    if (t < b.from || (b.to !== undefined && t >= b.to)) continue;
    found = b; // the last matching line of the script wins
  }
  return found;
}

/** One probe attempt at time t. */
export function attempt(spec: ProbeSpec, container: string, t: number, input: Pick<SimInput, 'behaviour'>, network: Attempt | null): Attempt {
  if (network) return network;
  const b = behaviourAt(input.behaviour, container, spec.kind, t);
  if (!b) return { ok: true, detail: `${spec.describe}: success` };
  if (b.result === 'timeout') return { ok: false, detail: `${spec.describe}: timeout (no answer within timeoutSeconds ${spec.timeoutMs / 1000}s)` };
  if (b.result === 'failure') {
    return { ok: false, detail: spec.mechanism === 'exec' ? `${spec.describe}: command exited with code 1` : spec.mechanism === 'httpGet' ? `${spec.describe}: HTTP probe failed with statuscode: 500` : `${spec.describe}: failure` };
  }
  const s = b.result.status;
  const ok = s >= 200 && s < 400; // httpGet: any status in [200, 400) is success
  return { ok, detail: `${spec.describe}: HTTP ${s} (${ok ? 'success: 200–399' : 'HTTP probe failed'})` };
}

interface Pending { t: number; order: number; seq: number; run: () => void }

/** Runs the simulation; deterministic (no randomness: the first-probe jitter is not modelled). */
export function simulate(input: SimInput): SimResult {
  const events: SimEvent[] = [];
  const snapshots: { t: number; state: ContainerState }[] = [];
  const queue: Pending[] = [];
  let seq = 0;
  const push = (t: number, order: number, run: () => void) => { queue.push({ t, order, seq: seq++, run }); };

  input.containers.forEach((c, ci) => {
    const st: ContainerState = { name: c.name, running: false, started: false, ready: false, restartCount: 0, since: 0 };
    const run: Record<ProbeKind, { last: boolean | null; n: number }> = { startup: { last: null, n: 0 }, liveness: { last: null, n: 0 }, readiness: { last: null, n: 0 } };
    const net = new Map<ProbeKind, Attempt | null>();
    let restarts = 0; // back-off steps taken since the last reset
    const snap = (t: number) => snapshots.push({ t, state: { ...st } });
    const emit = (e: SimEvent) => events.push(e);

    const start = (t: number, first: boolean) => {
      st.running = true; st.since = t; delete st.waitingBackoff; delete st.startedAt;
      for (const k of PROBE_KINDS) run[k] = { last: null, n: 0 };
      st.started = !c.probes.startup;
      st.ready = st.started && !c.probes.readiness;
      if (!first) st.restartCount++;
      emit({ t, container: c.name, probe: 'restart', result: '', detail: first ? 'container started' : `container restarted (restartCount ${st.restartCount})`, action: first ? 'started' : 'restart' });
      if (st.ready) emit({ t, container: c.name, probe: 'restart', result: '', detail: 'no readiness probe: ready once started', action: 'ready' });
      snap(t);
    };

    /** Stops the container; returns what happens next, for the deciding probe event's detail. */
    const kill = (t: number): string => {
      const ranFor = t - st.since;
      st.running = false; st.ready = false; st.started = false; st.since = t;
      if (ranFor >= BACKOFF_RESET_MS) restarts = 0;
      const restartable = input.restartPolicy !== 'Never';
      const delay = backoffDelay(restarts);
      if (restartable) {
        st.waitingBackoff = delay;
        restarts++;
        push(t + delay, 0, () => start(t + delay, false));
      } else st.terminated = true;
      snap(t);
      return restartable ? (delay ? `back-off ${delay / 1000}s restarting failed container (CrashLoopBackOff)` : 'restarted at once (first restart: no back-off yet)') : 'restartPolicy Never: not restarted';
    };

    const probeAt = (kind: ProbeKind, t: number) => {
      const spec = c.probes[kind]!;
      if (t + spec.periodMs <= input.until) push(t + spec.periodMs, 1 + PROBE_KINDS.indexOf(kind), () => probeAt(kind, t + spec.periodMs));
      if (!st.running) return;
      if (t - st.since < spec.initialDelayMs) return;
      if (kind === 'startup' && st.started) return;
      // liveness and readiness read `started` from the pod status the startup worker's result
      // reaches asynchronously: they begin on their first tick after the startup success
      if (kind !== 'startup' && (!st.started || (st.startedAt !== undefined && t <= st.startedAt))) return;
      if (!net.has(kind)) net.set(kind, input.network(c.name, kind));
      const a = attempt(spec, c.name, t, input, net.get(kind) ?? null);
      const r = run[kind];
      if (r.last === a.ok) r.n++; else { r.last = a.ok; r.n = 1; }
      const ev: SimEvent = { t, container: c.name, probe: kind, result: a.ok ? 'success' : 'failure', detail: a.detail };
      emit(ev);
      const reached = a.ok ? r.n >= spec.successThreshold : r.n >= spec.failureThreshold;
      if (!reached) return;
      if (kind === 'startup') {
        if (a.ok) {
          st.started = true; st.startedAt = t;
          if (!c.probes.readiness) { st.ready = true; ev.action = 'ready'; }
          snap(t);
        } else { ev.action = 'killed'; ev.detail += `; failed ${r.n} times (failureThreshold ${spec.failureThreshold}): container killed, ${kill(t)}`; }
      } else if (kind === 'liveness') {
        if (!a.ok) { ev.action = 'killed'; ev.detail += `; failed ${r.n} times (failureThreshold ${spec.failureThreshold}): container killed, ${kill(t)}`; }
      } else if (a.ok && !st.ready) { st.ready = true; ev.action = 'ready'; snap(t); }
      else if (!a.ok && st.ready) { st.ready = false; ev.action = 'not-ready'; snap(t); }
    };

    push(0, 0, () => start(0, true));
    for (const k of PROBE_KINDS) if (c.probes[k]) push(0, 1 + PROBE_KINDS.indexOf(k), () => probeAt(k, 0));
    void ci;
  });

  // the event loop: earliest first; at one instant restarts come before probes, then by container, then FIFO
  while (queue.length) {
    let bi = 0;
    for (let i = 1; i < queue.length; i++) {
      const a = queue[i], b = queue[bi];
      if (a.t < b.t || (a.t === b.t && (a.order < b.order || (a.order === b.order && a.seq < b.seq)))) bi = i;
    }
    const next = queue.splice(bi, 1)[0];
    if (next.t > input.until) continue;
    next.run();
  }
  const idx = new Map(input.containers.map((c, i) => [c.name, i] as const));
  const stable = events.map((e, i) => ({ e, i }));
  stable.sort((a, b) => a.e.t - b.e.t || idx.get(a.e.container)! - idx.get(b.e.container)! || a.i - b.i);
  const snapsSorted = snapshots.map((s, i) => ({ s, i })).sort((a, b) => a.s.t - b.s.t || a.i - b.i).map((x) => x.s);
  return { events: stable.map((x) => x.e), snapshots: snapsSorted };
}

/** Each container's state at time t (the last snapshot at or before t). */
export function stateAt(res: SimResult, containers: readonly string[], t: number): ContainerState[] {
  const out = new Map<string, ContainerState>();
  for (const s of res.snapshots) { if (s.t > t) break; out.set(s.state.name, s.state); }
  return containers.map((c) => out.get(c) ?? { name: c, running: false, started: false, ready: false, restartCount: 0, since: 0 });
}
