// A container's environment as the kubelet builds it (pkg/kubelet/kubelet_pods.go
// makeEnvironmentVariables, getServiceEnvVarMap; pkg/kubelet/envvars FromServices).
//
// Service links: for every Service of the pod's namespace with a ClusterIP (not headless, not
// ExternalName) — when enableServiceLinks is not false — and always for the `kubernetes` Service
// of `default` (a Service of the pod's own namespace with that name wins):
//   WEB_SERVICE_HOST=10.96.0.12  WEB_SERVICE_PORT=80  WEB_SERVICE_PORT_HTTP=80 (named ports)
//   WEB_PORT=tcp://10.96.0.12:80 (first port)  WEB_PORT_80_TCP=tcp://10.96.0.12:80
//   WEB_PORT_80_TCP_PROTO=tcp  WEB_PORT_80_TCP_PORT=80  WEB_PORT_80_TCP_ADDR=10.96.0.12
// Names are upper-cased with dashes turned into underscores. The kubelet only knows the services
// that exist when the container starts; netspec has no clock, so every service in the inputs is
// taken to exist first (a pod started before its service would lack these variables).
// The container's own env (and envFrom) win over service variables; $(VAR) references are
// expanded against the variables defined before them and the service variables.
import type { RPod, RService, Realised } from '../model/realised';
import type { KObject } from '../model/types';
import { hostPort } from '../net/ip';

export interface ContainerEnv {
  /** the container the environment is for */
  container: string;
  env: Record<string, string>;
  /** where each variable came from: "service shop/web", "env", "envFrom ConfigMap shop/cfg", "fieldRef status.podIP" */
  origin: Record<string, string>;
  /** facts: values netspec could not know, skipped entries */
  notes: string[];
}

/** makeEnvVariableName: upper case, dashes to underscores. */
export function envName(s: string): string {
  return s.replace(/-/g, '_').toUpperCase();
}

function ipSet(s: RService): boolean {
  return s.type !== 'ExternalName' && !s.headless && s.clusterIPs.length > 0 && s.clusterIPs[0] !== 'None' && s.clusterIPs[0] !== '';
}

/** envvars.FromServices for one service, in the kubelet's order. */
export function serviceEnv(s: RService): [string, string][] {
  const out: [string, string][] = [];
  if (!ipSet(s) || s.ports.length === 0) return out;
  const prefix = envName(s.name);
  const ip = s.clusterIPs[0];
  out.push([`${prefix}_SERVICE_HOST`, ip]);
  out.push([`${prefix}_SERVICE_PORT`, String(s.ports[0].port)]);
  for (const p of s.ports) if (p.name) out.push([`${prefix}_SERVICE_PORT_${envName(p.name)}`, String(p.port)]);
  s.ports.forEach((p, i) => {
    const proto = (p.protocol || 'TCP').toUpperCase();
    const url = `${proto.toLowerCase()}://${hostPort(ip, p.port)}`;
    if (i === 0) out.push([`${prefix}_PORT`, url]);
    const pp = `${prefix}_PORT_${p.port}_${proto}`;
    out.push([pp, url]);
    out.push([`${pp}_PROTO`, proto.toLowerCase()]);
    out.push([`${pp}_PORT`, String(p.port)]);
    out.push([`${pp}_ADDR`, ip]);
  });
  return out;
}

/** getServiceEnvVarMap: the services whose variables a pod of `ns` gets. */
export function linkedServices(realised: Realised, ns: string, enableServiceLinks: boolean): RService[] {
  const byName = new Map<string, RService>();
  for (const s of realised.services) {
    if (!ipSet(s)) continue;
    if (s.ns === 'default' && s.name === 'kubernetes') {
      if (!byName.has(s.name)) byName.set(s.name, s);
    } else if (s.ns === ns && enableServiceLinks) {
      byName.set(s.name, s);
    }
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * expansion.Expand: $(VAR) becomes VAR's value when VAR is defined, $$ is a literal $, anything
 * else is kept as written.
 */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c !== '$' || i + 1 >= input.length) { out += c; continue; }
    const n = input[i + 1];
    if (n === '$') { out += '$'; i++; continue; }
    if (n === '(') {
      const end = input.indexOf(')', i + 2);
      if (end < 0) { out += input.slice(i); break; }
      const name = input.slice(i + 2, end);
      const v = lookup(name);
      out += v !== undefined ? v : `$(${name})`;
      i = end;
      continue;
    }
    out += c;
  }
  return out;
}

function fieldRef(pod: RPod, path: string): string | undefined {
  const o = pod.obj;
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return ((o.metadata as any)[m[1]] ?? {})[m[2]];
  switch (path) {
    case 'metadata.name': return o.metadata.name;
    case 'metadata.namespace': return o.metadata.namespace;
    case 'metadata.uid': return o.metadata.uid;
    case 'spec.nodeName': return o.spec?.nodeName ?? pod.node?.name;
    case 'spec.serviceAccountName': return o.spec?.serviceAccountName ?? 'default';
    case 'status.hostIP': return o.status?.hostIP ?? pod.node?.ip;
    case 'status.hostIPs': return (o.status?.hostIPs ?? []).map((x: any) => x.ip).join(',') || pod.node?.ips.join(',');
    case 'status.podIP': return pod.ip;
    case 'status.podIPs': return pod.ips.join(',');
  }
  return undefined;
}

/** ConfigMaps and Secrets by "Kind/ns/name" (the first of a name wins), built once per Realised. */
const configObjects = new WeakMap<Realised, Map<string, KObject>>();

function findObject(realised: Realised, kind: string, ns: string, name: string): KObject | undefined {
  let ix = configObjects.get(realised);
  if (!ix) {
    ix = new Map();
    for (const o of realised.objects) {
      if ((o.kind !== 'ConfigMap' && o.kind !== 'Secret') || o.metadata.namespace === undefined) continue;
      const k = `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
      if (!ix.has(k)) ix.set(k, o);
    }
    configObjects.set(realised, ix);
  }
  return ix.get(`${kind}/${ns}/${name}`);
}

function dataOf(o: KObject): Record<string, string> {
  if (o.kind === 'Secret') {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries((o as any).data ?? {})) out[k] = Buffer.from(String(v), 'base64').toString('utf8');
    for (const [k, v] of Object.entries((o as any).stringData ?? {})) out[k] = String(v);
    return out;
  }
  return { ...(o.data ?? {}) };
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** The environment of one container of a pod (the first app container when none is named). */
export function containerEnv(realised: Realised, pod: RPod, containerName?: string): ContainerEnv {
  const spec = pod.obj.spec ?? {};
  const containers: any[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  const name = containerName ?? pod.containers[0] ?? (spec.containers?.[0]?.name as string);
  const c = containers.find((x) => x?.name === name);
  if (!c) {
    const names = (spec.containers ?? []).map((x: any) => x.name).join(', ');
    throw new Error(`pod ${pod.key} has no container "${name}" (containers: ${names || 'none'})`);
  }
  const notes: string[] = [];
  const links = spec.enableServiceLinks !== false;
  const svcVars = new Map<string, string>();
  const svcOrigin = new Map<string, string>();
  for (const s of linkedServices(realised, pod.ns, links)) {
    for (const [k, v] of serviceEnv(s)) { svcVars.set(k, v); svcOrigin.set(k, `service ${s.ns}/${s.name}`); }
  }
  if (!links) notes.push('enableServiceLinks: false — only the kubernetes service of default is linked');
  const env = new Map<string, string>();
  const origin = new Map<string, string>();
  const lookup = (n: string) => env.get(n) ?? svcVars.get(n);
  for (const ef of c.envFrom ?? []) {
    const ref = ef.configMapRef ? { kind: 'ConfigMap', r: ef.configMapRef } : ef.secretRef ? { kind: 'Secret', r: ef.secretRef } : null;
    if (!ref) continue;
    const o = findObject(realised, ref.kind, pod.ns, ref.r.name);
    if (!o) { notes.push(`envFrom ${ref.kind} ${pod.ns}/${ref.r.name} is not in the inputs${ref.r.optional ? ' (optional: skipped)' : '; the kubelet would not start the container'}`); continue; }
    for (const [k, v] of Object.entries(dataOf(o))) {
      const key = `${ef.prefix ?? ''}${k}`;
      if (!ENV_NAME.test(key)) { notes.push(`envFrom ${ref.kind} ${pod.ns}/${ref.r.name}: key "${key}" is not a valid variable name and is skipped`); continue; }
      env.set(key, v);
      origin.set(key, `envFrom ${ref.kind} ${pod.ns}/${ref.r.name}`);
    }
  }
  for (const e of c.env ?? []) {
    if (!e || typeof e.name !== 'string') continue;
    if (e.valueFrom) {
      const vf = e.valueFrom;
      let v: string | undefined;
      let from = '';
      if (vf.fieldRef) { v = fieldRef(pod, vf.fieldRef.fieldPath); from = `fieldRef ${vf.fieldRef.fieldPath}`; }
      else if (vf.configMapKeyRef || vf.secretKeyRef) {
        const kind = vf.configMapKeyRef ? 'ConfigMap' : 'Secret';
        const r = vf.configMapKeyRef ?? vf.secretKeyRef;
        const o = findObject(realised, kind, pod.ns, r.name);
        v = o ? dataOf(o)[r.key] : undefined;
        from = `${kind} ${pod.ns}/${r.name} key ${r.key}`;
      } else if (vf.resourceFieldRef) {
        notes.push(`${e.name}: resourceFieldRef ${vf.resourceFieldRef.resource} depends on the node; not set`);
        continue;
      }
      if (v === undefined) { notes.push(`${e.name}: ${from || 'valueFrom'} has no value in the inputs; not set`); continue; }
      env.set(e.name, v);
      origin.set(e.name, from);
      continue;
    }
    env.set(e.name, expand(e.value === undefined || e.value === null ? '' : String(e.value), lookup));
    origin.set(e.name, 'env');
  }
  for (const [k, v] of svcVars) {
    if (env.has(k)) { notes.push(`${k} is set by the container; its value wins over the service variable`); continue; }
    env.set(k, v);
    origin.set(k, svcOrigin.get(k)!);
  }
  const keys = [...env.keys()].sort();
  const out: Record<string, string> = {};
  const outOrigin: Record<string, string> = {};
  for (const k of keys) { out[k] = env.get(k)!; outOrigin[k] = origin.get(k)!; }
  return { container: name, env: out, origin: outOrigin, notes };
}
