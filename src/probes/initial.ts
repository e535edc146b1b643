// Whether a pod is Ready at t=0 (the moment its containers start), from its spec alone, so that the
// cluster without a clock and the cluster at(0) agree (pkg/kubelet/prober/worker.go; status/generate.go):
// - a readinessProbe's result starts as Failure: the container is ready only after a success; the
//   first probe runs at t=0 only when initialDelaySeconds is 0 and there is no startupProbe (readiness
//   waits for the startup probe's success, and then for its next tick);
// - a startupProbe with an initial delay leaves the container not started, hence not ready;
// - that first probe succeeds when a declared container port answers it (exec: the app decides: yes);
// - spec.readinessGates: Ready needs every gate's condition True; a missing condition is not True.
// Pure, and cached per spec object (a workload's pods share their template's frozen spec).
import { PROBE_FIELD } from './sim';

export interface StartReadiness { ready: boolean; containersReady: boolean; reason?: string; message?: string }

const cache = new WeakMap<object, StartReadiness>();
const READY: StartReadiness = Object.freeze({ ready: true, containersReady: true });

function probePort(ctr: any, port: unknown): number | undefined {
  if (typeof port === 'number') return port;
  if (typeof port === 'string' && /^\d+$/.test(port)) return Number(port);
  const hit = (Array.isArray(ctr.ports) ? ctr.ports : []).find((p: any) => p && p.name === port);
  return hit ? hit.containerPort : undefined;
}

function containerReadyAtStart(ctr: any, listening: ReadonlyMap<string, unknown> | null): boolean {
  const rp = ctr[PROBE_FIELD.readiness];
  const sp = ctr[PROBE_FIELD.startup];
  if (sp && typeof sp === 'object') {
    if ((sp.initialDelaySeconds ?? 0) > 0) return false;
    if (rp && typeof rp === 'object') return false; // readiness begins on the tick after the startup success
  }
  const p = rp && typeof rp === 'object' ? rp : sp && typeof sp === 'object' ? sp : null;
  if (!p) return true;
  if ((p.initialDelaySeconds ?? 0) > 0) return false;
  const h = p.httpGet ?? p.tcpSocket ?? p.grpc;
  if (!h) return true; // exec: the app answers
  if (!listening || (typeof h.host === 'string' && h.host)) return true; // the control plane's own pods; another host: the network decides later
  const port = probePort(ctr, h.port);
  return port !== undefined && listening.has(`TCP/${port}`);
}

/** listening: the pod's declared ports (null: the control plane's own pods, whose processes listen on undeclared probe ports) */
export function readyAtStart(spec: any, conditions: readonly any[] | undefined, listening: ReadonlyMap<string, unknown> | null): StartReadiness {
  const cacheable = !conditions && listening !== null && Object.isFrozen(spec);
  if (cacheable) { const c = cache.get(spec); if (c) return c; }
  const ctrs: any[] = Array.isArray(spec?.containers) ? spec.containers : [];
  const unready = ctrs.filter((c) => c && typeof c === 'object' && !containerReadyAtStart(c, listening)).map((c) => c.name);
  let out: StartReadiness = READY;
  if (unready.length) out = { ready: false, containersReady: false, reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` };
  else {
    const gates: string[] = (Array.isArray(spec?.readinessGates) ? spec.readinessGates : []).map((g: any) => g?.conditionType).filter((x: unknown) => typeof x === 'string');
    for (const g of gates) {
      const c = (conditions ?? []).find((x) => x && x.type === g);
      if (!c) { out = { ready: false, containersReady: true, reason: 'ReadinessGatesNotReady', message: `corresponding condition of pod readiness gate "${g}" does not exist.` }; break; }
      if (c.status !== 'True') { out = { ready: false, containersReady: true, reason: 'ReadinessGatesNotReady', message: `the status of pod readiness gate "${g}" is not "True", but ${c.status}` }; break; }
    }
  }
  if (cacheable) cache.set(spec, out);
  return out;
}
