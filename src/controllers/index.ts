// The simulated control plane: a pure, deterministic function from the desired state (the API
// objects given) to what the cluster would hold once the API server, kube-controller-manager,
// kube-scheduler and the kubelets have run over it (design §1).
//
//   namespaces   every referenced namespace exists, labelled kubernetes.io/metadata.name
//   nodes/IPAM   node addresses, podCIDRs (range allocator)                      → nodes.ts
//   defaults     Service default/kubernetes, kube-dns + the CoreDNS Deployment  → services.ts, here
//   workloads    Deployment → ReplicaSet → Pods, StatefulSet, DaemonSet, Job      → workloads.ts
//   scheduler    spread over eligible nodes; pod IPs from the node's podCIDR      → pods.ts
//   services     defaulting, ClusterIP and NodePort allocators, LB addresses      → services.ts
//   slices       EndpointSlice controller, mirroring, hand-made slices           → endpointslices.ts
import type { ClusterConfig } from '../model/config';
import type { Diagnostics, Warning } from '../model/errors';
import type { RNode, RPod, RService, RSlice, Realised } from '../model/realised';
import { LabelIndex } from '../model/selector';
import { NAMESPACED_KINDS, ref, setOrigin, type KObject } from '../model/types';
import { realiseSlices } from './endpointslices';
import { realiseEndpoints } from './endpoints';
import { extraIPs, fmtPos, realiseNodes } from './nodes';
import { inputPodDraft, realisePods } from './pods';
import { inferNodes } from './infer';
import { apiserverServiceIP, clusterDnsIP, kubeDnsService, kubernetesService, realiseServices, reconcileKubernetesService } from './services';
import { assignOwn, at, cmpStr, copyOf, derivedOrigin, keepOrigin, makeUid } from './util';
import { fillWorkloadStatus, runWorkloads } from './workloads';
import { injectSidecars, sidecarListeners } from '../mesh/injection';

export { templateHash, randomSuffix, Rng, KUBE_ALPHANUMS } from './util';
export { patchPods } from './incremental';
export { clusterIPBandOffset, nodePortBandOffset } from './services';
export { MAX_ENDPOINTS_PER_SLICE } from './endpointslices';

/** Namespaces every cluster has. */
export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

/** The order `objects` lists kinds in (then namespace, then name); other kinds follow, by name. */
export const KIND_ORDER = [
  'Namespace', 'Node', 'ServiceCIDR', 'IngressClass', 'ConfigMap', 'Secret', 'Service', 'Endpoints', 'EndpointSlice',
  'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job', 'Pod', 'Ingress', 'NetworkPolicy',
];
const kindRank = new Map(KIND_ORDER.map((k, i) => [k, i] as const));

/**
 * Sorts objects by KIND_ORDER rank, then kind, namespace and name (stably, as Array.prototype.sort
 * does), with each object's sort key read once instead of at every comparison (175 000 objects at
 * the benchmark's size).
 */
function sortObjects(all: KObject[]): void {
  const n = all.length;
  const rank = new Int32Array(n);
  const kinds: string[] = new Array(n), nss: string[] = new Array(n), names: string[] = new Array(n);
  const idx: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const o = all[i];
    rank[i] = kindRank.get(o.kind) ?? KIND_ORDER.length;
    kinds[i] = o.kind; nss[i] = o.metadata.namespace ?? ''; names[i] = o.metadata.name;
    idx[i] = i;
  }
  idx.sort((a, b) => {
    if (rank[a] !== rank[b]) return rank[a] - rank[b];
    if (kinds[a] !== kinds[b]) return kinds[a] < kinds[b] ? -1 : 1;
    if (nss[a] !== nss[b]) return nss[a] < nss[b] ? -1 : 1;
    if (names[a] !== names[b]) return names[a] < names[b] ? -1 : 1;
    return a - b; // equal keys keep their order, as a stable sort of `all` would
  });
  const copy = all.slice();
  for (let i = 0; i < n; i++) all[i] = copy[idx[i]];
}

/** The CoreDNS Deployment kubeadm installs (k8s-app=kube-dns, 2 replicas, dnsPolicy Default). */
export function corednsDeployment(): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'coredns',
          tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          dnsPolicy: 'Default',
          containers: [{
            name: 'coredns',
            image: 'registry.k8s.io/coredns/coredns:v1.11.3',
            args: ['-conf', '/etc/coredns/Corefile'],
            ports: [
              { containerPort: 53, name: 'dns', protocol: 'UDP' },
              { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
              { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
            ],
            livenessProbe: { httpGet: { path: '/health', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 60, timeoutSeconds: 5, successThreshold: 1, failureThreshold: 5 },
            readinessProbe: { httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' } },
            volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
          }],
          volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
        },
      },
    },
  };
}

/** Runs every controller over the desired state; semantic errors go to `diag`. Pure and deterministic. */
export function realise(objects: readonly KObject[], config: ClusterConfig, diag: Diagnostics): Realised {
  const warningsBefore = diag.warnings.length;

  // --- normalise: namespaced objects without a namespace live in default; duplicates are errors ---
  const seen = new Map<string, KObject>();
  const input: KObject[] = [];
  for (const o0 of objects) {
    if (!o0 || typeof o0 !== 'object' || !o0.metadata || typeof o0.metadata.name !== 'string') continue;
    let o = o0;
    if (NAMESPACED_KINDS.has(o.kind) && !o.metadata.namespace) o = keepOrigin({ ...o, metadata: { ...o.metadata, namespace: 'default' } }, o0);
    const k = `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const prev = seen.get(k);
    if (prev) {
      diag.error('NS-DUPLICATE-NAME', `${ref(o)} is defined twice`, at(o0), `the first definition is${fmtPos(at(prev)) || ' earlier'}; names are unique per kind${NAMESPACED_KINDS.has(o.kind) ? ' and namespace' : ''}`);
      continue;
    }
    seen.set(k, o);
    input.push(o);
  }
  const byKind = new Map<string, KObject[]>();
  for (const o of input) {
    const l = byKind.get(o.kind);
    if (l) l.push(o); else byKind.set(o.kind, [o]);
  }
  const kind = (k: string) => byKind.get(k) ?? [];

  // --- control-plane defaults ---------------------------------------------------------------------
  const builtins = new Set<KObject>();
  const serviceInputs = kind('Service').slice();
  const deployments = kind('Deployment').slice();
  let kubernetesSvc: KObject | undefined;
  if (!seen.has('Service/default/kubernetes')) {
    kubernetesSvc = kubernetesService(apiserverServiceIP(config));
    builtins.add(kubernetesSvc); serviceInputs.push(kubernetesSvc);
  } else {
    // a manifest of default/kubernetes updates the API server's own Service (its reconciler wins)
    const i = serviceInputs.findIndex((s) => s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes');
    const k = i >= 0 ? reconcileKubernetesService(serviceInputs[i], config, diag) : null;
    if (k) { kubernetesSvc = k; builtins.add(k); serviceInputs[i] = k; } else if (i >= 0) serviceInputs.splice(i, 1);
  }
  if (!seen.has('Service/kube-system/kube-dns')) {
    const svc = kubeDnsService(clusterDnsIP(config));
    builtins.add(svc); serviceInputs.push(svc);
    if (!seen.has('Deployment/kube-system/coredns')) { const d = corednsDeployment(); builtins.add(d); deployments.push(d); }
  }

  // --- nodes and IPAM (nodes a snapshot's pods name but the input lacks are made from those pods) ---
  const inferred = inferNodes(kind('Pod'), kind('Node'), config, diag);
  if (inferred.podSubnets.length) config = { ...config, podSubnets: [...config.podSubnets, ...inferred.podSubnets] };
  const { nodes, taints } = realiseNodes([...kind('Node'), ...inferred.nodes], config, diag, true, new Set(inferred.nodes));
  const nodeByName = new Map<string, RNode>(nodes.map((n) => [n.name, n] as const));

  // --- workloads → pods, scheduling, addresses --------------------------------------------------------
  const wl = runWorkloads({
    deployments, replicaSets: kind('ReplicaSet'), statefulSets: kind('StatefulSet'), daemonSets: kind('DaemonSet'), jobs: kind('Job'), pods: kind('Pod'),
  }, nodes, taints, config, diag, builtins);
  const drafts = [...kind('Pod').map((p) => inputPodDraft(p, config)), ...wl.pods];
  injectSidecars(drafts, kind('Namespace')); // Istio's sidecar injector (a mutating admission webhook)
  const { pods, byKey: podByKey, byIP: podByIP } = realisePods(drafts, nodes, taints, config, diag);
  sidecarListeners(pods);
  fillWorkloadStatus(wl.workloads, wl.derived, pods);

  const podsByNode = new Map<string, RPod[]>(nodes.map((n) => [n.name, []] as const));
  const podIndexes = new Map<string, LabelIndex<RPod>>();
  const labelsOf = (p: RPod) => p.labels;
  for (const p of pods) {
    if (p.node) podsByNode.get(p.node.name)!.push(p);
    let idx = podIndexes.get(p.ns);
    if (!idx) { idx = new LabelIndex<RPod>(labelsOf); podIndexes.set(p.ns, idx); }
    idx.add(p);
  }
  const emptyIndex = new LabelIndex<RPod>(labelsOf);
  const podIndex = (ns: string) => podIndexes.get(ns) ?? emptyIndex;

  // --- services and their endpoints ---------------------------------------------------------------------
  const services = realiseServices(serviceInputs, builtins, config, diag).sort((a, b) => cmpStr(a.key, b.key));
  const serviceByKey = new Map<string, RService>(services.map((s) => [s.key, s] as const));
  const serviceByClusterIP = new Map<string, RService>();
  for (const s of services) for (const ip of s.clusterIPs) serviceByClusterIP.set(ip, s);
  const apiserverSvc = kubernetesSvc ? serviceByKey.get('default/kubernetes') : undefined;
  const sl = realiseSlices({
    services, podIndex, podByKey, nodeByName,
    slices: kind('EndpointSlice'), endpoints: kind('Endpoints'),
    apiserver: apiserverSvc && !seen.has('EndpointSlice/default/kubernetes') ? { service: apiserverSvc, ips: apiserverIPs(nodes) } : undefined,
  }, config, diag);
  const slicesByService = new Map<string, readonly RSlice[]>(sl.byService);

  // --- namespaces -------------------------------------------------------------------------------------
  const nsObjs = new Map<string, KObject>();
  for (const o of kind('Namespace')) {
    const name = o.metadata.name;
    // { ...o, metadata: { ...o.metadata, uid, labels: { ...labels, name label } }, spec: { finalizers, ...o.spec }, status: { phase, ...o.status } }
    // (built with copyOf: see there)
    const labels: Record<string, string> = copyOf(o.metadata.labels);
    labels['kubernetes.io/metadata.name'] = name;
    const metadata: any = copyOf(o.metadata);
    metadata.uid = o.metadata.uid ?? makeUid(config.seed, 'Namespace', undefined, name);
    metadata.labels = labels;
    const spec: any = { finalizers: ['kubernetes'] };
    assignOwn(spec, o.spec);
    const status: any = { phase: 'Active' };
    assignOwn(status, o.status);
    const ns: KObject = copyOf(o);
    ns.metadata = metadata; ns.spec = spec; ns.status = status;
    nsObjs.set(name, keepOrigin(ns, o));
  }
  const mkNs = (name: string, because?: KObject) => {
    const o: KObject = {
      apiVersion: 'v1', kind: 'Namespace',
      metadata: { name, uid: makeUid(config.seed, 'Namespace', undefined, name), labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' },
    };
    const org = because ? derivedOrigin(because, `namespace of ${ref(because)}`, () => ['metadata', 'namespace']) : undefined;
    if (org) setOrigin(o, org);
    nsObjs.set(name, o);
  };
  for (const n of SYSTEM_NAMESPACES) if (!nsObjs.has(n)) mkNs(n);
  for (const o of input) {
    const ns = o.metadata.namespace;
    if (ns && NAMESPACED_KINDS.has(o.kind) && !nsObjs.has(ns)) mkNs(ns, o);
  }

  // --- every object after the control plane ran ---------------------------------------------------------
  const handled = new Set(['Namespace', 'Node', 'Pod', 'Service', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'EndpointSlice']);
  const all: KObject[] = [];
  for (const n of nsObjs.values()) all.push(n);
  for (const n of nodes) all.push(n.obj);
  for (const s of services) all.push(s.obj);
  for (const w of wl.workloads) all.push(w);
  for (const d of wl.derived) all.push(d);
  for (const p of pods) all.push(p.obj);
  for (const s of kind('EndpointSlice')) all.push(s);
  for (const o of sl.objects) all.push(o);
  const handMadeEndpoints = new Set(kind('Endpoints').map((e) => `${e.metadata.namespace ?? 'default'}/${e.metadata.name}`));
  for (const o of realiseEndpoints(services, slicesByService, handMadeEndpoints, config)) all.push(o);
  for (const o of input) if (!handled.has(o.kind)) all.push(o);
  // the workloads the control plane itself made (coredns) are in wl.workloads already
  sortObjects(all);

  const nodeByIP = new Map<string, RNode>();
  for (const n of nodes) {
    for (const ip of n.ips) nodeByIP.set(ip, n);
    for (const ip of extraIPs.get(n) ?? []) if (!nodeByIP.has(ip)) nodeByIP.set(ip, n);
  }

  const warnings: Warning[] = diag.warnings.slice(warningsBefore);
  return {
    config,
    objects: all,
    namespaces: new Map([...nsObjs].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))),
    nodes,
    nodeByName,
    nodeByIP,
    pods,
    podByKey,
    podByIP,
    podsByNode,
    podIndex,
    services,
    serviceByKey,
    serviceByClusterIP,
    slicesByService,
    warnings,
  };
}

/**
 * Where kube-apiserver runs: every control-plane node (kubeadm labels them
 * node-role.kubernetes.io/control-plane; each API server publishes its own address in the
 * `kubernetes` endpoints), else the first node.
 */
function apiserverIPs(nodes: readonly RNode[]): string[] {
  const cp = nodes.filter((n) => Object.prototype.hasOwnProperty.call(n.labels, 'node-role.kubernetes.io/control-plane'));
  return (cp.length ? cp : nodes.slice(0, 1)).map((n) => n.ip).filter(Boolean);
}
