// Pod specs as the API server stores them (SetDefaults_PodSpec and friends), and the per-spec facts
// every pod made from the same template shares (containers, ports, what listens where).
import type { Diagnostics } from '../model/errors';
import type { RContainerPort } from '../model/realised';
import type { KObject } from '../model/types';
import { isProtocol, type Protocol } from '../net/packet';
import { at, clone, copyOf, deepFreeze } from './util';

/**
 * The API server's defaults for a pod spec: dnsPolicy ClusterFirst, restartPolicy Always,
 * terminationGracePeriodSeconds 30, schedulerName default-scheduler, enableServiceLinks true, an
 * empty securityContext, and protocol TCP on every container port. Returns a new object; parts it
 * does not change are shared with the input.
 */
export function defaultPodSpec(spec: any): any {
  const s: any = copyOf(spec); // { ...spec }, cheap to extend
  if (s.dnsPolicy === undefined) s.dnsPolicy = 'ClusterFirst';
  if (s.restartPolicy === undefined) s.restartPolicy = 'Always';
  if (s.terminationGracePeriodSeconds === undefined) s.terminationGracePeriodSeconds = 30;
  if (s.schedulerName === undefined) s.schedulerName = 'default-scheduler';
  if (s.enableServiceLinks === undefined) s.enableServiceLinks = true;
  if (s.securityContext === undefined) s.securityContext = {};
  for (const field of ['containers', 'initContainers'] as const) {
    if (!Array.isArray(s[field])) continue;
    s[field] = s[field].map((c: any) => {
      if (!c || !Array.isArray(c.ports) || c.ports.every((p: any) => p && p.protocol !== undefined)) return c;
      return { ...c, ports: c.ports.map((p: any) => { if (!(p && p.protocol === undefined)) return p; const q = copyOf(p); q.protocol = 'TCP'; return q; }) };
    });
  }
  if (!Array.isArray(s.containers)) s.containers = [];
  return s;
}

/** A template's spec, defaulted and frozen once: every pod made from it shares this object. */
export function frozenTemplateSpec(spec: any): any {
  return deepFreeze(defaultPodSpec(clone(spec ?? {})));
}

export interface SpecFacts {
  containers: string[];
  ports: RContainerPort[];
  listening: Map<string, RContainerPort>;
}

const factsCache = new WeakMap<object, SpecFacts>();

/**
 * Containers and the ports they listen on. Containers of a pod share one network namespace (the
 * pause container's): when two declare the same port and protocol the first one listed is taken
 * as the listener (the API server only warns, "duplicate port definition": validation in
 * src/manifests/validate.ts says so at the repeat). Sidecars (init containers with restartPolicy
 * Always) run beside the app containers and count. Computed once per spec object (all pods of a
 * ReplicaSet share one).
 */
export function specFacts(spec: any): SpecFacts {
  const hit = spec && typeof spec === 'object' ? factsCache.get(spec) : undefined;
  if (hit) return hit;
  const containers: string[] = [];
  const ports: RContainerPort[] = [];
  const listening = new Map<string, RContainerPort>();
  const lists: [string, any[]][] = [
    ['initContainers', (Array.isArray(spec?.initContainers) ? spec.initContainers : [])],
    ['containers', (Array.isArray(spec?.containers) ? spec.containers : [])],
  ];
  for (const [field, list] of lists) {
    list.forEach((c: any) => {
      if (!c || typeof c !== 'object') return;
      if (field === 'initContainers' && c.restartPolicy !== 'Always') return;
      const cname = String(c.name ?? '');
      containers.push(cname);
      (Array.isArray(c.ports) ? c.ports : []).forEach((p: any) => {
        if (!p || typeof p.containerPort !== 'number') return;
        const protocol: Protocol = isProtocol(p.protocol) ? p.protocol : 'TCP';
        const cp: RContainerPort = { container: cname, port: p.containerPort, protocol };
        if (typeof p.name === 'string' && p.name) cp.name = p.name;
        if (typeof p.hostPort === 'number' && p.hostPort) cp.hostPort = p.hostPort;
        ports.push(cp);
        const key = `${protocol}/${p.containerPort}`;
        if (!listening.has(key)) listening.set(key, cp);
      });
    });
  }
  // a probe on a port no container declares: the probe is the app's own health endpoint, so the
  // app is taken to listen there (declared ports are informational: a container may listen on any)
  for (const [field, list] of lists) {
    list.forEach((c: any) => {
      if (!c || typeof c !== 'object' || (field === 'initContainers' && c.restartPolicy !== 'Always')) return;
      for (const u of undeclaredProbePorts(c, listening)) {
        const key = `TCP/${u.port}`;
        if (!listening.has(key)) listening.set(key, { container: String(c.name ?? ''), port: u.port, protocol: 'TCP', assumedFrom: u.probe });
      }
    });
  }
  const facts: SpecFacts = { containers, ports, listening };
  if (spec && typeof spec === 'object') factsCache.set(spec, facts);
  return facts;
}

const PROBES = ['startupProbe', 'livenessProbe', 'readinessProbe'] as const;

/**
 * The TCP ports a container's own probes (httpGet, tcpSocket, grpc; not those aimed at another
 * host) name by number that `declared` ("TCP/8080" keys) lacks. A string port is a port name (the
 * API server refuses a number written as a string): it resolves to a declared port or to nothing.
 */
export function undeclaredProbePorts(ctr: any, declared: ReadonlyMap<string, unknown>): { probe: string; port: number; handler: string }[] {
  const out: { probe: string; port: number; handler: string }[] = [];
  for (const probe of PROBES) {
    const p = ctr?.[probe];
    if (!p || typeof p !== 'object') continue;
    const handler = p.httpGet ? 'httpGet' : p.tcpSocket ? 'tcpSocket' : p.grpc ? 'grpc' : null;
    if (!handler) continue;
    const h = p[handler];
    if (!h || typeof h !== 'object' || (typeof h.host === 'string' && h.host)) continue;
    const port = h.port;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535 || declared.has(`TCP/${port}`)) continue;
    if (!out.some((x) => x.port === port)) out.push({ probe, port, handler });
  }
  return out;
}
