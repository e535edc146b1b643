// Sidecar injection as istiod's mutating webhook (sidecar-injector, pkg/kube/inject) decides and
// writes it, applied to each pod as the API server admits it:
// - never for hostNetwork pods, nor in kube-system / kube-public (the injector's ignored namespaces);
// - the pod label sidecar.istio.io/inject "false" or the namespace label istio-injection=disabled
//   → not injected; the pod label "true", istio-injection=enabled or an istio.io/rev namespace
//   label → injected; neither → not (enableNamespacesByDefault is false). The deprecated pod
//   annotation sidecar.istio.io/inject: "false" still opts a pod out.
// - A pod already carrying sidecar.istio.io/status was injected (e.g. `istioctl kube-inject`).
// What it adds: the istio-init init container running istio-iptables (or, with the annotation
// sidecar.istio.io/nativeSidecar: "true", istio-proxy as a native sidecar: an init container with
// restartPolicy Always), the istio-proxy container (UID/GID 1337, port 15090 http-envoy-prom,
// readiness /healthz/ready on 15021), the labels security.istio.io/tlsMode=istio and
// service.istio.io/canonical-name/-revision, the sidecar.istio.io/status annotation. HTTP probes
// of the app are rewritten to the agent's port 15020 (/app-health/CONTAINER/livez|readyz|startupz)
// unless sidecar.istio.io/rewriteAppHTTPProbers is "false", so they keep working under STRICT mTLS.
import type { KObject, Labels, ObjectMeta } from '../model/types';

export const PROXY_UID = 1337;
export const PROXY_IMAGE = 'docker.io/istio/proxyv2:1.24.2';
/** Envoy's and the agent's ports in a sidecar */
export const PORTS = { outbound: 15001, inbound: 15006, agent: 15020, health: 15021, prometheus: 15090, hbone: 15008 } as const;
export const STATUS_ANNOTATION = 'sidecar.istio.io/status';
const IGNORED_NAMESPACES = new Set(['kube-system', 'kube-public']);

export interface InjectDecision {
  inject: boolean;
  /** why, in the injector's terms */
  why: string;
}

/** Whether the injector injects a pod (see the file comment). */
export function injectionDecision(meta: ObjectMeta, spec: any, nsLabels: Labels | undefined): InjectDecision {
  const ns = meta.namespace ?? 'default';
  if (meta.annotations?.[STATUS_ANNOTATION] !== undefined) return { inject: false, why: `already injected (${STATUS_ANNOTATION} is set)` };
  if (spec?.hostNetwork === true) return { inject: false, why: 'hostNetwork pods are never injected' };
  if (IGNORED_NAMESPACES.has(ns)) return { inject: false, why: `${ns} is one of the injector's ignored namespaces` };
  const podLabel = meta.labels?.['sidecar.istio.io/inject'];
  const nsLabel = nsLabels?.['istio-injection'];
  if (podLabel === 'false') return { inject: false, why: 'pod label sidecar.istio.io/inject=false' };
  if (nsLabel === 'disabled') return { inject: false, why: `namespace ${ns} is labelled istio-injection=disabled` };
  if (meta.annotations?.['sidecar.istio.io/inject'] === 'false') return { inject: false, why: 'pod annotation sidecar.istio.io/inject: "false"' };
  if (podLabel === 'true') return { inject: true, why: 'pod label sidecar.istio.io/inject=true' };
  if (nsLabel === 'enabled') return { inject: true, why: `namespace ${ns} is labelled istio-injection=enabled` };
  if (nsLabel === undefined && nsLabels?.['istio.io/rev'] !== undefined) return { inject: true, why: `namespace ${ns} is labelled istio.io/rev=${nsLabels['istio.io/rev']}` };
  return { inject: false, why: `neither namespace ${ns} (istio-injection / istio.io/rev) nor the pod (sidecar.istio.io/inject) asks for a sidecar` };
}

/** True when the pod runs an injected sidecar. */
export function hasSidecar(pod: { obj: KObject; hostNetwork: boolean }): boolean {
  return !pod.hostNetwork && pod.obj.metadata.annotations?.[STATUS_ANNOTATION] !== undefined;
}

function istioIptablesArgs(ann: Record<string, string>): string[] {
  const a = (k: string, d: string) => ann[`traffic.sidecar.istio.io/${k}`] ?? d;
  const excludeIn = ['15090', '15021', '15020', ...a('excludeInboundPorts', '').split(',').map((s) => s.trim()).filter(Boolean)].join(',');
  return [
    'istio-iptables', '-p', String(PORTS.outbound), '-z', String(PORTS.inbound), '-u', String(PROXY_UID), '-m', 'REDIRECT',
    '-i', a('includeOutboundIPRanges', '*'), '-x', a('excludeOutboundIPRanges', ''),
    '-b', a('includeInboundPorts', '*'), '-d', excludeIn,
    '-o', a('excludeOutboundPorts', ''),
    '--log_output_level=default:info',
  ];
}

const PROBES: [string, string][] = [['livenessProbe', 'livez'], ['readinessProbe', 'readyz'], ['startupProbe', 'startupz']];

/** The app's HTTP probes rewritten through the agent; the originals for ISTIO_KUBE_APP_PROBERS. */
function rewriteProbes(containers: any[]): { containers: any[]; originals: Record<string, unknown> } {
  const originals: Record<string, unknown> = {};
  const out = containers.map((c) => {
    if (!c || typeof c !== 'object') return c;
    let copy: any;
    for (const [field, suffix] of PROBES) {
      const p = c[field];
      if (!p?.httpGet) continue;
      const path = `/app-health/${c.name}/${suffix}`;
      originals[path] = { httpGet: p.httpGet, timeoutSeconds: p.timeoutSeconds ?? 1 };
      copy ??= { ...c };
      copy[field] = { ...p, httpGet: { path, port: PORTS.agent, scheme: 'HTTP' } };
    }
    return copy ?? c;
  });
  return { containers: out, originals };
}

function proxyContainer(ns: string, probers: Record<string, unknown>, native: boolean): any {
  const env = [
    { name: 'PILOT_CERT_PROVIDER', value: 'istiod' },
    { name: 'CA_ADDR', value: 'istiod.istio-system.svc:15012' },
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    { name: 'INSTANCE_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    { name: 'SERVICE_ACCOUNT', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
    { name: 'ISTIO_META_INTERCEPTION_MODE', value: 'REDIRECT' },
  ];
  if (Object.keys(probers).length) env.push({ name: 'ISTIO_KUBE_APP_PROBERS', value: JSON.stringify(probers) });
  const c: any = {
    name: 'istio-proxy',
    image: PROXY_IMAGE,
    args: ['proxy', 'sidecar', '--domain', `${ns}.svc.cluster.local`, '--proxyLogLevel=warning', '--proxyComponentLogLevel=misc:error', '--log_output_level=default:info'],
    ports: [{ containerPort: PORTS.prometheus, name: 'http-envoy-prom', protocol: 'TCP' }],
    env,
    readinessProbe: { httpGet: { path: '/healthz/ready', port: PORTS.health, scheme: 'HTTP' }, initialDelaySeconds: 0, periodSeconds: 15, timeoutSeconds: 3, failureThreshold: 4 },
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true, runAsGroup: PROXY_UID, runAsNonRoot: true, runAsUser: PROXY_UID },
  };
  if (native) c.restartPolicy = 'Always';
  return c;
}

function initContainer(ann: Record<string, string>): any {
  return {
    name: 'istio-init',
    image: PROXY_IMAGE,
    args: istioIptablesArgs(ann),
    securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: false, runAsGroup: 0, runAsNonRoot: false, runAsUser: 0 },
  };
}

/** Injected specs by (original spec, annotations) so a template's pods share one (benchmarks: 150 000 pods). */
const specCache = new WeakMap<object, Map<string, any>>();
const labelCache = new WeakMap<object, Labels>();

/** The pod spec after injection. */
export function injectSpec(spec: any, ns: string, ann: Record<string, string>): any {
  const key = ns + '\u0000' + JSON.stringify(Object.entries(ann).filter(([k]) => k.startsWith('traffic.sidecar.istio.io/') || k.startsWith('sidecar.istio.io/')));
  let byKey = specCache.get(spec);
  const hit = byKey?.get(key);
  if (hit) return hit;
  const native = ann['sidecar.istio.io/nativeSidecar'] === 'true';
  const rewrite = ann['sidecar.istio.io/rewriteAppHTTPProbers'] !== 'false';
  const apps: any[] = Array.isArray(spec.containers) ? spec.containers : [];
  const { containers, originals } = rewrite ? rewriteProbes(apps) : { containers: apps, originals: {} };
  const proxy = proxyContainer(ns, originals, native);
  const inits: any[] = [...(Array.isArray(spec.initContainers) ? spec.initContainers : []), initContainer(ann)];
  const out = { ...spec, initContainers: native ? [...inits, proxy] : inits, containers: native ? containers : [...containers, proxy] };
  if (Object.isFrozen(spec)) Object.freeze(out);
  if (!byKey) { byKey = new Map(); specCache.set(spec, byKey); }
  byKey.set(key, out);
  return out;
}

/** The pod's labels after injection (shared per original labels object). */
export function injectLabels(labels: Labels | undefined, workload: string): Labels {
  const base = labels ?? {};
  let out = labelCache.get(base);
  if (out && out['service.istio.io/canonical-name'] === (base['service.istio.io/canonical-name'] ?? base['app.kubernetes.io/name'] ?? base.app ?? workload)) return out;
  out = {
    ...base,
    'security.istio.io/tlsMode': 'istio',
    'service.istio.io/canonical-name': base['service.istio.io/canonical-name'] ?? base['app.kubernetes.io/name'] ?? base.app ?? workload,
    'service.istio.io/canonical-revision': base['service.istio.io/canonical-revision'] ?? base['app.kubernetes.io/version'] ?? base.version ?? 'latest',
  };
  if (Object.isFrozen(base)) Object.freeze(out);
  labelCache.set(base, out);
  return out;
}

const statusText = new Map<boolean, string>();

/** The sidecar.istio.io/status annotation (one string per mode, shared by every pod). */
export function statusAnnotation(native: boolean): string {
  let t = statusText.get(native);
  if (t === undefined) { t = statusJSON(native); statusText.set(native, t); }
  return t;
}

function statusJSON(native: boolean): string {
  return JSON.stringify({
    initContainers: native ? ['istio-init', 'istio-proxy'] : ['istio-init'],
    containers: native ? [] : ['istio-proxy'],
    volumes: ['workload-socket', 'credential-socket', 'workload-certs', 'istio-envoy', 'istio-data', 'istio-podinfo', 'istio-token', 'istiod-ca-cert'],
    imagePullSecrets: null,
    revision: 'default',
  });
}

/** A pod draft (metadata + spec) as the injector returns it, or null when it does not inject. */
export function injectPod(meta: ObjectMeta, spec: any, nsLabels: Labels | undefined, workload: string): { metadata: ObjectMeta; spec: any } | null {
  if (!injectionDecision(meta, spec, nsLabels).inject) return null;
  const ann = meta.annotations ?? {};
  const native = ann['sidecar.istio.io/nativeSidecar'] === 'true';
  const firstApp = Array.isArray(spec?.containers) && spec.containers[0]?.name;
  const annotations: Record<string, string> = { ...ann, [STATUS_ANNOTATION]: statusAnnotation(native), 'prometheus.io/path': '/stats/prometheus', 'prometheus.io/port': String(PORTS.agent), 'prometheus.io/scrape': 'true', 'istio.io/rev': 'default' };
  if (firstApp) annotations['kubectl.kubernetes.io/default-container'] = firstApp;
  const metadata: ObjectMeta = { ...meta, labels: injectLabels(meta.labels, workload), annotations };
  return { metadata, spec: injectSpec(spec, meta.namespace ?? 'default', ann) };
}

/** The workload a pod belongs to, as Istio names it (a ReplicaSet's pods: the Deployment's name). */
function workloadName(owner: string | undefined, pod: string): string {
  if (!owner) return pod;
  const m = /^(\w+) [^/]+\/(.+)$/.exec(owner);
  if (!m) return pod;
  return m[1] === 'ReplicaSet' ? m[2].replace(/-[a-z0-9]{6,10}$/, '') : m[2];
}

/** The mutating webhook over every pod draft (in place); namespaces are the input Namespace objects. */
export function injectSidecars(drafts: { ns: string; name: string; metadata: ObjectMeta; spec: any; owner?: string }[], namespaces: readonly KObject[]): void {
  const nsLabels = new Map<string, Labels | undefined>();
  for (const n of namespaces) nsLabels.set(n.metadata.name, n.metadata.labels);
  for (const d of drafts) {
    const r = injectPod(d.metadata, d.spec, nsLabels.get(d.ns), workloadName(d.owner, d.name));
    if (!r) continue;
    d.metadata = r.metadata;
    d.spec = r.spec;
  }
}

/** Envoy's listeners and the agent's port in a sidecar, beside the declared 15090 (the kubelet probes the sidecar on 15021). */
export function addSidecarListeners(listening: Map<string, { container: string; port: number; protocol: any; name?: string }>): void {
  for (const [port, name] of [[PORTS.outbound, 'envoy-outbound'], [PORTS.inbound, 'envoy-inbound'], [PORTS.agent, 'pilot-agent'], [PORTS.health, 'envoy-health']] as const) {
    const k = `TCP/${port}`;
    if (!listening.has(k)) listening.set(k, { container: 'istio-proxy', port, protocol: 'TCP', name });
  }
}

/** Whether a pod's metadata says the injector gave it a sidecar (before the pod is realised). */
export function injectedMetadata(metadata: { annotations?: Record<string, string> }, hostNetwork: boolean): boolean {
  return !hostNetwork && metadata.annotations?.[STATUS_ANNOTATION] !== undefined;
}

export function sidecarListeners(pods: readonly { obj: KObject; hostNetwork: boolean; listening: Map<string, { container: string; port: number; protocol: any; name?: string }> }[]): void {
  for (const p of pods) {
    if (hasSidecar(p)) addSidecarListeners(p.listening);
  }
}
