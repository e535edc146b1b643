// Probe validation at load, as the API server's (pkg/apis/core/validation: validateProbe,
// validateLivenessProbe, validateReadinessProbe, validateStartupProbe) — each a located error:
// - a probe has exactly one handler: "may not specify more than 1 handler type" / "must specify a handler type"
// - liveness and startup probes: successThreshold "must be 1"
// - readinessProbe.terminationGracePeriodSeconds: "must not be set for readinessProbes"
// - a probe's terminationGracePeriodSeconds "must be greater than 0"
// - periodSeconds, timeoutSeconds, successThreshold, failureThreshold, initialDelaySeconds: non-negative
import type { Diagnostics } from '../model/errors';
import { posOf, type KObject } from '../model/types';
import { PROBE_FIELD, PROBE_KINDS } from './sim';
import { specFacts, undeclaredProbePorts } from '../controllers/podspec';

const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const COUNTS = ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'successThreshold', 'failureThreshold'] as const;

/** Where a kind keeps its pod spec. */
function specPath(o: KObject): (string | number)[] | null {
  switch (o.kind) {
    case 'Pod': return ['spec'];
    case 'Deployment': case 'ReplicaSet': case 'StatefulSet': case 'DaemonSet': case 'Job': case 'ReplicationController': return ['spec', 'template', 'spec'];
    case 'CronJob': return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
    default: return null;
  }
}

function get(o: any, path: readonly (string | number)[]): any {
  let v = o;
  for (const p of path) { if (v == null) return undefined; v = v[p]; }
  return v;
}

export function checkProbes(objects: readonly KObject[], diag: Diagnostics): void {
  for (const o of objects) {
    const sp = specPath(o);
    if (!sp) continue;
    const spec = get(o, sp);
    if (!spec || typeof spec !== 'object') continue;
    undeclaredProbeWarnings(o, sp, spec, diag);
    for (const list of ['containers', 'initContainers'] as const) {
      const ctrs = spec[list];
      if (!Array.isArray(ctrs)) continue;
      ctrs.forEach((c: any, i: number) => {
        if (!c || typeof c !== 'object') return;
        for (const kind of PROBE_KINDS) {
          const field = PROBE_FIELD[kind];
          const p = c[field];
          if (!p || typeof p !== 'object') continue;
          const base = [...sp, list, i, field];
          const where = `${o.kind} ${o.metadata?.namespace ? o.metadata.namespace + '/' : ''}${o.metadata?.name}: ${list}[${i}].${field}`;
          const handlers = HANDLERS.filter((h) => p[h] != null);
          if (handlers.length === 0) diag.error('NS-PROBE-HANDLER', `${where}: must specify a handler type`, posOf(o, base), 'give exactly one of exec, httpGet, tcpSocket, grpc');
          else if (handlers.length > 1) diag.error('NS-PROBE-HANDLER', `${where}: may not specify more than 1 handler type (has ${handlers.join(', ')})`, posOf(o, [...base, handlers[1]]), 'keep exactly one of exec, httpGet, tcpSocket, grpc');
          for (const k of COUNTS) {
            if (p[k] !== undefined && !(typeof p[k] === 'number' && Number.isInteger(p[k]) && p[k] >= 0)) diag.error('NS-PROBE-FIELD', `${where}.${k}: must be a non-negative integer (got ${JSON.stringify(p[k])})`, posOf(o, [...base, k]), 'whole seconds or a count, 0 or more');
          }
          if (kind !== 'readiness' && p.successThreshold !== undefined && p.successThreshold !== 1) {
            diag.error('NS-PROBE-SUCCESS-THRESHOLD', `${where}.successThreshold: must be 1 (got ${JSON.stringify(p.successThreshold)})`, posOf(o, [...base, 'successThreshold']), `a ${kind} probe acts on its first success; drop successThreshold or set it to 1`);
          }
          if (p.terminationGracePeriodSeconds !== undefined) {
            if (kind === 'readiness') diag.error('NS-PROBE-GRACE', `${where}.terminationGracePeriodSeconds: must not be set for readinessProbes`, posOf(o, [...base, 'terminationGracePeriodSeconds']), 'a readiness failure kills nothing; set it on the livenessProbe or startupProbe');
            else if (!(typeof p.terminationGracePeriodSeconds === 'number' && Number.isInteger(p.terminationGracePeriodSeconds) && p.terminationGracePeriodSeconds > 0)) diag.error('NS-PROBE-GRACE', `${where}.terminationGracePeriodSeconds: must be greater than 0 (got ${JSON.stringify(p.terminationGracePeriodSeconds)})`, posOf(o, [...base, 'terminationGracePeriodSeconds']), 'whole seconds, 1 or more');
          }
        }
      });
    }
  }
}

/**
 * A probe on a port no container of the pod declares: netspec takes the app to listen there (the
 * probe is its own health endpoint; declared ports are informational, a process may listen on any),
 * and says so once per pod spec, at the probe's port.
 */
function undeclaredProbeWarnings(o: KObject, sp: (string | number)[], spec: any, diag: Diagnostics): void {
  const declared = new Map<string, true>();
  for (const p of specFacts(spec).ports) if (p.protocol === 'TCP') declared.set(`TCP/${p.port}`, true);
  for (const list of ['containers', 'initContainers'] as const) {
    const ctrs = spec[list];
    if (!Array.isArray(ctrs)) continue;
    ctrs.forEach((c: any, i: number) => {
      if (!c || typeof c !== 'object' || (list === 'initContainers' && c.restartPolicy !== 'Always')) return;
      for (const u of undeclaredProbePorts(c, declared)) {
        const who = `${o.kind} ${o.metadata?.namespace ? o.metadata.namespace + '/' : ''}${o.metadata?.name}`;
        diag.warn('NS-PROBE-PORT-UNDECLARED',
          `${who}: ${list}[${i}].${u.probe} probes TCP ${u.port}, which no container of the pod declares: netspec takes container ${c.name} to listen there (its own health endpoint), for the probe and for connections`,
          posOf(o, [...sp, list, i, u.probe, u.handler, 'port']),
          `declare the port (ports: [{containerPort: ${u.port}}]) to say so; if nothing listens there, give the probe's answer in an app script (refused)`);
      }
    });
  }
}
