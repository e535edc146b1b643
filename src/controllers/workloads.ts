// Workload controllers of kube-controller-manager: Deployment → ReplicaSet → Pods, StatefulSet,
// DaemonSet, Job (CronJob makes nothing until its schedule fires, and netspec has no wall clock, so
// a CronJob has no Jobs and no pods here). Names, labels and ownerReferences are the ones the real
// controllers write. Pods made from one template share one frozen spec object (memory at 150 000
// pods); only metadata and status are their own.
import type { ClusterConfig } from '../model/config';
import type { Diagnostics } from '../model/errors';
import type { RNode } from '../model/realised';
import { compileLabelSelector, SelectorError } from '../model/selector';
import { ref, setOrigin, type KObject, type Labels, type ObjectMeta, type Origin, type OwnerReference } from '../model/types';
import type { Taint } from './nodes';
import { frozenTemplateSpec, specFacts } from './podspec';
import { daemonSetTolerations, unfit } from './scheduling';
import { at, copyOf, deepFreeze, derivedOrigin, makeUid, randomSuffix, Rng, templateHash, templatePathMapper } from './util';

/** A pod's spec, labels and annotations come from its owner's spec.template. */
const fromTemplate = templatePathMapper(['spec', 'template']);

/** A pod before scheduling and addressing. */
export interface PodDraft {
  ns: string;
  name: string;
  key: string;
  metadata: ObjectMeta;
  /** the spec (shared and frozen for pods made from a template) */
  spec: any;
  /** per-pod spec fields the controller sets (hostname, subdomain, affinity) */
  extra?: Record<string, unknown>;
  /** the input's status, honoured (absent: Running and Ready) */
  status?: any;
  origin?: Origin;
  /** "ReplicaSet shop/web-6d4b8c9f7" */
  owner?: string;
  /** the input Pod, when it came from the inputs */
  input?: KObject;
  /** node chosen by a controller (DaemonSet) */
  pinned?: string;
  /** other top-level fields of an input pod */
  apiVersion: string;
  /** made for an object the control plane itself installs (CoreDNS): scheduled and addressed first, as at bootstrap */
  builtin?: boolean;
}

export interface WorkloadResult {
  /** objects the controllers made besides pods (ReplicaSets) */
  derived: KObject[];
  pods: PodDraft[];
}

interface Ctx {
  config: ClusterConfig;
  diag: Diagnostics;
  /** every pod name in use, by namespace */
  names: NameSet;
  /** "Kind/ns/name" of a controller → its pods among the inputs */
  ownedPods: Map<string, KObject[]>;
  pods: PodDraft[];
  derived: KObject[];
}

/** Names in use per namespace (no "ns/name" string built just to ask). */
class NameSet {
  private readonly byNs = new Map<string, Set<string>>();
  has(ns: string, name: string): boolean { return this.byNs.get(ns)?.has(name) ?? false; }
  add(ns: string, name: string): void {
    let s = this.byNs.get(ns);
    if (!s) { s = new Set(); this.byNs.set(ns, s); }
    s.add(name);
  }
}

function controllerRef(o: KObject): OwnerReference | undefined {
  return (o.metadata.ownerReferences ?? []).find((r) => r && r.controller) ?? (o.metadata.ownerReferences ?? [])[0];
}

function ownerRefTo(o: KObject): OwnerReference {
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, uid: o.metadata.uid!, controller: true, blockOwnerDeletion: true } as OwnerReference;
}

/** Validates spec.selector against the template's labels as the API server does. */
function checkSelector(o: KObject, diag: Diagnostics, required: boolean): boolean {
  const tmplLabels: Labels = o.spec?.template?.metadata?.labels ?? {};
  if (o.spec?.selector === undefined || o.spec?.selector === null) {
    if (!required) return true;
    diag.error('NS-SELECTOR-MISSING', `${ref(o)} has no spec.selector`, at(o, 'spec'), `${o.kind} (apps/v1) needs spec.selector.matchLabels matching spec.template.metadata.labels`);
    return false;
  }
  try {
    const sel = compileLabelSelector(o.spec.selector);
    if (sel.empty) {
      diag.error('NS-SELECTOR', `${ref(o)}: spec.selector is empty`, at(o, 'spec', 'selector'), 'an empty selector would adopt every pod in the namespace; the API server rejects it');
      return false;
    }
    if (!sel.matches(tmplLabels)) {
      diag.error('NS-SELECTOR-MISMATCH', `${ref(o)}: spec.selector (${sel.text}) does not match the template's labels`, at(o, 'spec', 'selector'),
        'the API server rejects this ("selector does not match template labels"); make spec.template.metadata.labels satisfy the selector');
      return false;
    }
    return true;
  } catch (e) {
    if (e instanceof SelectorError) {
      diag.error('NS-SELECTOR-OPERATOR', `${ref(o)}: ${e.message}`, at(o, 'spec', 'selector', ...e.path), 'operators are In, NotIn, Exists and DoesNotExist');
      return false;
    }
    throw e;
  }
}

function count(o: KObject, field: string, dflt: number, diag: Diagnostics): number {
  const v = o.spec?.[field];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    diag.error('NS-INVALID-COUNT', `${ref(o)}: spec.${field} must be a whole number ≥ 0, got ${JSON.stringify(v)}`, at(o, 'spec', field), `write spec.${field}: ${dflt}`);
    return 0;
  }
  return v;
}

/** Pod names the API server would generate from `prefix` (generateName), unique in the namespace. */
function genName(ctx: Ctx, ns: string, prefix: string, rng: Rng): string {
  const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
  for (;;) {
    const name = base + randomSuffix(rng);
    if (!ctx.names.has(ns, name)) return name;
  }
}

function templatePod(ctx: Ctx, owner: KObject, ownerChain: string, ns: string, name: string, generateName: string | undefined, labels: Labels, annotations: Record<string, string> | undefined,
  ownerRefs: OwnerReference[], spec: any, origin: Origin | undefined, extra?: Record<string, unknown>, pinned?: string): PodDraft {
  const uid = makeUid(ctx.config.seed, 'Pod', ns, name);
  // keys in this order: name, namespace, generateName?, uid, labels, annotations?, ownerReferences
  const metadata: ObjectMeta = generateName
    ? (annotations ? { name, namespace: ns, generateName, uid, labels, annotations, ownerReferences: ownerRefs } : { name, namespace: ns, generateName, uid, labels, ownerReferences: ownerRefs })
    : (annotations ? { name, namespace: ns, uid, labels, annotations, ownerReferences: ownerRefs } : { name, namespace: ns, uid, labels, ownerReferences: ownerRefs });
  const key = `${ns}/${name}`;
  ctx.names.add(ns, name);
  const d: PodDraft = { ns, name, key, metadata, spec, origin, owner: ownerChain, apiVersion: 'v1' };
  if (extra) d.extra = extra;
  if (pinned) d.pinned = pinned;
  void owner;
  return d;
}

/** Makes `want` pods for a ReplicaSet (minus the ones it already owns among the inputs). */
function replicaSetPods(ctx: Ctx, rs: KObject, want: number, chain: string, builtin = false) {
  const ns = rs.metadata.namespace!;
  const have = ctx.ownedPods.get(`ReplicaSet/${ns}/${rs.metadata.name}`)?.length ?? 0;
  const n = want - have;
  if (n <= 0) return;
  const spec = rs.spec.template.spec; // frozen, shared
  specFacts(spec);
  const labels = deepFreeze({ ...(rs.spec.template.metadata?.labels ?? {}) });
  const annotations = rs.spec.template.metadata?.annotations ? deepFreeze({ ...rs.spec.template.metadata.annotations }) : undefined;
  const refs = deepFreeze([ownerRefTo(rs)]);
  const podChain = `${chain} → ReplicaSet ${ns}/${rs.metadata.name}`.replace(/^ → /, '');
  const origin = derivedOrigin(rs, podChain, fromTemplate);
  const rng = new Rng(ctx.config.seed, `pod/${ns}/${rs.metadata.name}`);
  const prefix = `${rs.metadata.name}-`;
  for (let i = 0; i < n; i++) {
    const name = genName(ctx, ns, prefix, rng);
    const d = templatePod(ctx, rs, `ReplicaSet ${ns}/${rs.metadata.name}`, ns, name, prefix, labels, annotations, refs, spec, origin);
    if (builtin) d.builtin = true;
    ctx.pods.push(d);
  }
}

/** Copies a workload with its template spec replaced by the shared frozen one. */
function withFrozenTemplate(o: KObject, config: ClusterConfig): KObject {
  // { ...o, metadata: { ...o.metadata, uid }, spec: { ...o.spec, template: { ...o.spec.template, spec: frozen } } }
  const metadata: ObjectMeta = copyOf(o.metadata);
  metadata.uid = o.metadata.uid ?? makeUid(config.seed, o.kind, o.metadata.namespace, o.metadata.name);
  const template: any = copyOf(o.spec?.template);
  template.spec = frozenTemplateSpec(o.spec?.template?.spec);
  const spec: any = copyOf(o.spec);
  spec.template = template;
  const copy: KObject = copyOf(o);
  copy.metadata = metadata; copy.spec = spec;
  const org = (o as any)[Symbol.for('netspec.origin')];
  if (org) setOrigin(copy, org);
  return copy;
}

export interface WorkloadInputs {
  deployments: KObject[];
  replicaSets: KObject[];
  statefulSets: KObject[];
  daemonSets: KObject[];
  jobs: KObject[];
  pods: KObject[];
}

/**
 * Runs the workload controllers. Returns the workloads as the API would show them (templates
 * defaulted), the ReplicaSets made for Deployments, and a draft per pod (input pods included).
 */
export function runWorkloads(inp: WorkloadInputs, nodes: readonly RNode[], taints: Map<string, Taint[]>, config: ClusterConfig, diag: Diagnostics, builtins: ReadonlySet<KObject> = new Set()): WorkloadResult & { workloads: KObject[] } {
  const ctx: Ctx = { config, diag, names: new NameSet(), ownedPods: new Map(), pods: [], derived: [] };
  const workloads: KObject[] = [];

  // input pods first: their names are taken, and a controller counts the pods it already owns
  for (const p of inp.pods) {
    const ns = p.metadata.namespace!;
    ctx.names.add(ns, p.metadata.name);
    const r = controllerRef(p);
    if (r) {
      const k = `${r.kind}/${ns}/${r.name}`;
      const list = ctx.ownedPods.get(k);
      if (list) list.push(p); else ctx.ownedPods.set(k, [p]);
    }
  }

  // ReplicaSets among the inputs (standalone, or a Deployment's from a `kubectl get -o yaml` dump)
  const rsOwnedBy = new Map<string, KObject[]>();
  for (const rs0 of inp.replicaSets) {
    const ns = rs0.metadata.namespace!;
    const rs = withFrozenTemplate(rs0, config);
    workloads.push(rs);
    const r = controllerRef(rs);
    if (r && r.kind === 'Deployment') {
      const k = `${ns}/${r.name}`;
      const l = rsOwnedBy.get(k); if (l) l.push(rs); else rsOwnedBy.set(k, [rs]);
    }
    if (!checkSelector(rs, diag, true)) continue;
    replicaSetPods(ctx, rs, count(rs, 'replicas', 1, diag), r ? `${r.kind} ${ns}/${r.name}` : '');
  }

  // Deployments → a ReplicaSet named <deployment>-<pod-template-hash>
  for (const d0 of inp.deployments) {
    const ns = d0.metadata.namespace!;
    const d = withFrozenTemplate(d0, config);
    workloads.push(d);
    if (!checkSelector(d, diag, true)) continue;
    const replicas = count(d, 'replicas', 1, diag);
    if (rsOwnedBy.has(`${ns}/${d.metadata.name}`)) continue; // its ReplicaSets came with the inputs
    const tmpl = d.spec.template;
    const hash = templateHash({ metadata: tmpl.metadata ?? {}, spec: d0.spec?.template?.spec ?? {} }, typeof d.status?.collisionCount === 'number' ? d.status.collisionCount : 0);
    const rsName = `${d.metadata.name}-${hash}`;
    const tmplLabels: Labels = copyOf(tmpl.metadata?.labels); // { ...labels, 'pod-template-hash': hash } (see copyOf)
    tmplLabels['pod-template-hash'] = hash;
    const matchLabels: Labels = copyOf(d.spec.selector.matchLabels);
    matchLabels['pod-template-hash'] = hash;
    const selector: any = copyOf(d.spec.selector);
    selector.matchLabels = matchLabels;
    const rs: KObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName,
        namespace: ns,
        uid: makeUid(config.seed, 'ReplicaSet', ns, rsName),
        labels: tmplLabels,
        annotations: { 'deployment.kubernetes.io/desired-replicas': String(replicas), 'deployment.kubernetes.io/max-replicas': String(replicas + maxSurge(d, replicas)), 'deployment.kubernetes.io/revision': '1' },
        ownerReferences: [ownerRefTo(d)],
      },
      spec: {
        replicas,
        selector,
        template: { metadata: { ...(tmpl.metadata ?? {}), labels: tmplLabels }, spec: tmpl.spec },
      },
    };
    const chain = `Deployment ${ns}/${d.metadata.name}`;
    const org = derivedOrigin(d, chain, (p) => (p[0] === 'spec' ? p : p[0] === 'metadata' && p[1] === 'labels' ? ['spec', 'template', ...p] : null));
    if (org) setOrigin(rs, org);
    ctx.derived.push(rs);
    replicaSetPods(ctx, rs, replicas, chain, builtins.has(d0));
  }

  // StatefulSets: <name>-<ordinal>, hostname = pod name, subdomain = spec.serviceName
  for (const s0 of inp.statefulSets) {
    const ns = s0.metadata.namespace!;
    const s = withFrozenTemplate(s0, config);
    workloads.push(s);
    if (!checkSelector(s, diag, true)) continue;
    const replicas = count(s, 'replicas', 1, diag);
    const start = typeof s.spec?.ordinals?.start === 'number' ? s.spec.ordinals.start : 0;
    const spec = s.spec.template.spec;
    specFacts(spec);
    const revision = `${s.metadata.name}-${templateHash(s0.spec?.template ?? {}, typeof s.status?.collisionCount === 'number' ? s.status.collisionCount : 0)}`;
    const refs = deepFreeze([ownerRefTo(s)]);
    const owned = new Set((ctx.ownedPods.get(`StatefulSet/${ns}/${s.metadata.name}`) ?? []).map((p) => p.metadata.name));
    const chain = `StatefulSet ${ns}/${s.metadata.name}`;
    const origin = derivedOrigin(s, chain, fromTemplate);
    const serviceName = typeof s.spec?.serviceName === 'string' && s.spec.serviceName ? s.spec.serviceName : undefined;
    const annotations = s.spec.template.metadata?.annotations ? deepFreeze({ ...s.spec.template.metadata.annotations }) : undefined;
    for (let i = start; i < start + replicas; i++) {
      const name = `${s.metadata.name}-${i}`;
      if (owned.has(name)) continue;
      if (ctx.names.has(ns, name)) {
        diag.error('NS-DUPLICATE-NAME', `${chain} would create pod ${ns}/${name}, but a pod of that name already exists`, at(s), 'rename the StatefulSet or the pod');
        continue;
      }
      // { ...template labels, pod-index, controller-revision-hash, pod-name } (copyOf: see there)
      const labels: Labels = copyOf(s.spec.template.metadata?.labels);
      labels['apps.kubernetes.io/pod-index'] = String(i);
      labels['controller-revision-hash'] = revision;
      labels['statefulset.kubernetes.io/pod-name'] = name;
      const extra: Record<string, unknown> = { hostname: name };
      if (serviceName) extra.subdomain = serviceName;
      ctx.pods.push(templatePod(ctx, s, chain, ns, name, undefined, labels, annotations, refs, spec, origin, extra));
    }
  }

  // DaemonSets: one pod per eligible node, placed there by the controller (node affinity on metadata.name)
  for (const ds0 of inp.daemonSets) {
    const ns = ds0.metadata.namespace!;
    const ds = withFrozenTemplate(ds0, config);
    workloads.push(ds);
    if (!checkSelector(ds, diag, true)) continue;
    const spec = ds.spec.template.spec;
    specFacts(spec);
    const hash = templateHash(ds0.spec?.template ?? {}, typeof ds.status?.collisionCount === 'number' ? ds.status.collisionCount : 0);
    const labels = deepFreeze({ ...(ds.spec.template.metadata?.labels ?? {}), 'controller-revision-hash': hash, 'pod-template-generation': '1' });
    const annotations = ds.spec.template.metadata?.annotations ? deepFreeze({ ...ds.spec.template.metadata.annotations }) : undefined;
    const refs = deepFreeze([ownerRefTo(ds)]);
    const chain = `DaemonSet ${ns}/${ds.metadata.name}`;
    const origin = derivedOrigin(ds, chain, fromTemplate);
    const extraTol = daemonSetTolerations(spec.hostNetwork === true);
    const ownedOn = new Set((ctx.ownedPods.get(`DaemonSet/${ns}/${ds.metadata.name}`) ?? []).map((p) => p.spec?.nodeName));
    const rng = new Rng(config.seed, `pod/${ns}/${ds.metadata.name}`);
    const prefix = `${ds.metadata.name}-`;
    const tolerations = deepFreeze([...(Array.isArray(spec.tolerations) ? spec.tolerations : []), ...extraTol.filter((t) => !(spec.tolerations ?? []).some((x: any) => x?.key === t.key && x?.effect === t.effect))]);
    for (const n of nodes) {
      if (ownedOn.has(n.name)) continue;
      if (unfit(n, spec, taints.get(n.name) ?? [], extraTol) !== null) continue;
      const name = genName(ctx, ns, prefix, rng);
      // ReplaceDaemonSetPodNodeNameNodeAffinity: the controller pins each pod with node affinity on metadata.name
      // { ...spec.affinity, nodeAffinity: { ...spec.affinity.nodeAffinity, required…: pinned to the node } }
      const nodeAffinity: any = copyOf(spec.affinity?.nodeAffinity);
      nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [n.name] }] }] };
      const affinity: any = copyOf(spec.affinity);
      affinity.nodeAffinity = nodeAffinity;
      ctx.pods.push(templatePod(ctx, ds, chain, ns, name, prefix, labels, annotations, refs, spec, origin, { affinity, tolerations }, n.name));
    }
  }

  // Jobs: `parallelism` pods running at once (capped by completions); Indexed jobs name pods <job>-<index>-<suffix>
  for (const j0 of inp.jobs) {
    const ns = j0.metadata.namespace!;
    const j = withFrozenTemplate(j0, config);
    workloads.push(j);
    const spec = j.spec.template.spec;
    if (j0.spec?.template?.spec?.restartPolicy !== 'Never' && j0.spec?.template?.spec?.restartPolicy !== 'OnFailure') {
      diag.error('NS-JOB-RESTART-POLICY', `${ref(j)}: a Job's pod template needs restartPolicy Never or OnFailure`, at(j, 'spec', 'template', 'spec', ...(j0.spec?.template?.spec?.restartPolicy ? ['restartPolicy'] : [])),
        'set spec.template.spec.restartPolicy: Never (or OnFailure)');
      continue;
    }
    if (j.spec?.suspend === true) continue;
    specFacts(spec);
    const parallelism = count(j, 'parallelism', 1, diag);
    const completions = j.spec?.completions === undefined || j.spec?.completions === null ? null : count(j, 'completions', 1, diag);
    const owned = ctx.ownedPods.get(`Job/${ns}/${j.metadata.name}`)?.length ?? 0;
    // the steady state a Job reaches: its pods ran to completion (Succeeded: no IP, never an
    // endpoint, never a connection source). Without completions the Job is done once its
    // `parallelism` pods have succeeded; with them, `completions` pods have.
    const n = Math.max(0, (completions === null ? parallelism : completions) - owned);
    const uid = j.metadata.uid!;
    const indexed = j.spec?.completionMode === 'Indexed';
    const refs = deepFreeze([ownerRefTo(j)]);
    const chain = `Job ${ns}/${j.metadata.name}`;
    const origin = derivedOrigin(j, chain, fromTemplate);
    const baseLabels = { ...(j.spec.template.metadata?.labels ?? {}), 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': j.metadata.name, 'controller-uid': uid, 'job-name': j.metadata.name };
    const shared = deepFreeze({ ...baseLabels });
    const rng = new Rng(config.seed, `pod/${ns}/${j.metadata.name}`);
    for (let i = 0; i < n; i++) {
      const prefix = indexed ? `${j.metadata.name}-${i}-` : `${j.metadata.name}-`;
      const name = genName(ctx, ns, prefix, rng);
      if (indexed) {
        const labels: Labels = copyOf(baseLabels);
        labels['batch.kubernetes.io/job-completion-index'] = String(i);
        const annotations: Record<string, string> = copyOf(j.spec.template.metadata?.annotations);
        annotations['batch.kubernetes.io/job-completion-index'] = String(i);
        ctx.pods.push(completed(templatePod(ctx, j, chain, ns, name, prefix, labels, annotations, refs, spec, origin, { hostname: `${j.metadata.name}-${i}` }), spec));
      } else {
        const annotations = j.spec.template.metadata?.annotations ? { ...j.spec.template.metadata.annotations } : undefined;
        ctx.pods.push(completed(templatePod(ctx, j, chain, ns, name, prefix, shared, annotations, refs, spec, origin), spec));
      }
    }
  }
  return { derived: ctx.derived, pods: ctx.pods, workloads };
}

/**
 * A Job's pod once it ran to completion, as the kubelet reports it: phase Succeeded, Ready False
 * with reason PodCompleted, every container terminated with exit code 0 (reason Completed).
 */
function completed(d: PodDraft, spec: any): PodDraft {
  const containers: any[] = Array.isArray(spec?.containers) ? spec.containers : [];
  d.status = {
    phase: 'Succeeded',
    conditions: [
      { type: 'PodReadyToStartContainers', status: 'False' },
      { type: 'Initialized', status: 'True', reason: 'PodCompleted' },
      { type: 'Ready', status: 'False', reason: 'PodCompleted' },
      { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' },
      { type: 'PodScheduled', status: 'True' },
    ],
    containerStatuses: containers.map((c) => ({ name: c?.name, image: c?.image, ready: false, restartCount: 0, started: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } })),
  };
  return d;
}

function maxSurge(d: KObject, replicas: number): number {
  const s = d.spec?.strategy;
  if (s?.type === 'Recreate') return 0;
  const v = s?.rollingUpdate?.maxSurge ?? '25%';
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(String(v));
  return m ? Math.ceil((replicas * Number(m[1])) / 100) : 0;
}

/**
 * Workload status as the controllers report it once their pods run (kept as given when the input
 * already carries a status, e.g. a `kubectl get -o yaml` dump).
 */
export function fillWorkloadStatus(workloads: readonly KObject[], derived: readonly KObject[], pods: readonly { obj: KObject; ready: boolean; node: RNode | null }[]): void {
  const tally = new Map<string, { total: number; ready: number; scheduled: number }>();
  // pods of one controller share their ownerReferences list: its tally is looked up once
  const byRefs = new Map<unknown, { ns: unknown; r: unknown; t: { total: number; ready: number; scheduled: number } }>();
  for (const p of pods) {
    const refs = p.obj.metadata.ownerReferences;
    const r = refs?.[0];
    if (!r) continue;
    const ns = p.obj.metadata.namespace;
    const hit = byRefs.get(refs);
    let t = hit && hit.ns === ns && hit.r === r ? hit.t : undefined;
    if (!t) {
      const k = `${r.kind}/${ns}/${r.name}`;
      t = tally.get(k);
      if (!t) { t = { total: 0, ready: 0, scheduled: 0 }; tally.set(k, t); }
      byRefs.set(refs, { ns, r, t });
    }
    t.total++;
    if (p.ready) t.ready++;
    if (p.node) t.scheduled++;
  }
  const of = (kind: string, o: KObject) => tally.get(`${kind}/${o.metadata.namespace}/${o.metadata.name}`) ?? { total: 0, ready: 0, scheduled: 0 };
  const rsByDeployment = new Map<string, { total: number; ready: number }>();
  const made = new Set(derived);
  for (const rs of [...workloads.filter((w) => w.kind === 'ReplicaSet'), ...derived]) {
    const t = of('ReplicaSet', rs);
    if (rs.status === undefined || made.has(rs)) rs.status = { replicas: t.total, fullyLabeledReplicas: t.total, readyReplicas: t.ready, availableReplicas: t.ready, observedGeneration: 1 };
    const d = rs.metadata.ownerReferences?.find((r) => r.kind === 'Deployment');
    if (d) {
      const k = `${rs.metadata.namespace}/${d.name}`;
      const acc = rsByDeployment.get(k) ?? { total: 0, ready: 0 };
      acc.total += t.total; acc.ready += t.ready;
      rsByDeployment.set(k, acc);
    }
  }
  for (const w of workloads) {
    if (w.status !== undefined) continue;
    switch (w.kind) {
      case 'Deployment': {
        const t = rsByDeployment.get(`${w.metadata.namespace}/${w.metadata.name}`) ?? { total: 0, ready: 0 };
        w.status = { observedGeneration: 1, replicas: t.total, updatedReplicas: t.total, readyReplicas: t.ready, availableReplicas: t.ready };
        break;
      }
      case 'StatefulSet': {
        const t = of('StatefulSet', w);
        w.status = { observedGeneration: 1, replicas: t.total, readyReplicas: t.ready, currentReplicas: t.total, updatedReplicas: t.total, availableReplicas: t.ready };
        break;
      }
      case 'DaemonSet': {
        const t = of('DaemonSet', w);
        w.status = { currentNumberScheduled: t.scheduled, desiredNumberScheduled: t.total, numberMisscheduled: 0, numberReady: t.ready, numberAvailable: t.ready, updatedNumberScheduled: t.scheduled, observedGeneration: 1 };
        break;
      }
      case 'Job': {
        const t = of('Job', w);
        w.status = { active: t.total, ready: t.ready };
        break;
      }
    }
  }
}
