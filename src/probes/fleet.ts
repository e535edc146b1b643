// The clock drives the controllers (issue 9 item 3): a Deployment rolled out, restarted or scaled at
// time t, or one of its (or a ReplicaSet's) pods deleted, runs the deployment and ReplicaSet
// controllers of src/controllers/rollout.ts over the kubelet model of this folder. New pods are made,
// scheduled and given IPs by the control plane itself: the cluster is realised once more with each
// involved ReplicaSet given a pool of spare pods (named by its seeded generateName, placed by the
// scheduler, addressed by IPAM); a pod of the pool exists from when the ReplicaSet creates it. The
// realised pool is the base every at(t) is patched from, so at(t) stays incremental.
import { patchPods, realise } from '../controllers';
import { parseSelectorString } from '../model/selector';
import { cidrContains, nthAddress, type Cidr } from '../net/ip';
import { maxSurge, simulateFleet, strategyOf, DEFAULT_PROGRESS_DEADLINE_S, type Fleet, type FleetPod, type PodLife, type Revision } from '../controllers/rollout';
import { templateHash } from '../controllers/util';
import { Diagnostics, type InputError, type Warning } from '../model/errors';
import type { RPod, Realised } from '../model/realised';
import { originOf, posOf, setOrigin, type KObject } from '../model/types';
import type { SourcePos } from '../net/trace';
import type { Script, ScriptEvent } from './script';

const ALL = parseSelectorString('');

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

export interface FleetSpec {
  /** "ns/name" of the Deployment, or of a standalone ReplicaSet */
  key: string;
  ns: string;
  deployment?: KObject;
  rs: KObject;
  /** revisions in rollout order, from the one at t=0 */
  revisions: { at: number; revision: Revision; template: any; cause: string }[];
  scales: { at: number; replicas: number }[];
  deletes: { at: number; pod: string }[];
  pool: number;
  /** the ReplicaSet's pods at t=0 (keys) */
  initialPods: string[];
  /** the ReplicaSets the rollouts make, as realised with their pools */
  added?: KObject[];
}

/** RFC 7386 JSON merge patch (lists replace wholesale; null removes). */
export function mergePatch(target: any, patch: any): any {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: any = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

const stamp = (ms: number) => `+${ms / 1000}s`;

/**
 * Which workloads the script's events set in motion, with their revisions; bad targets are located
 * errors, what is still not modelled a named warning.
 */
export function planFleets(realised: Realised, script: Script, deletes: ReadonlyMap<string, number>, errors: InputError[], warnings: Warning[]): FleetSpec[] {
  const specs = new Map<string, FleetSpec>();
  const byKind = new Map<string, KObject[]>([['Deployment', []], ['ReplicaSet', []]]);
  for (const o of realised.objects) byKind.get(o.kind)?.push(o);
  const objs = (kind: string) => byKind.get(kind)!;
  const deployments = new Map<string, KObject>(objs('Deployment').map((d) => [`${d.metadata.namespace}/${d.metadata.name}`, d] as const));
  const rsByKey = new Map<string, KObject>(objs('ReplicaSet').map((r) => [`${r.metadata.namespace}/${r.metadata.name}`, r] as const));
  const ownerOf = (o: KObject) => (o.metadata.ownerReferences ?? []).find((r) => r && r.controller) ?? (o.metadata.ownerReferences ?? [])[0];
  const spec = (key: string, pos: SourcePos | undefined): FleetSpec | undefined => {
    const hit = specs.get(key);
    if (hit) return hit;
    const d = deployments.get(key);
    const [ns] = key.split('/');
    if (d) {
      const owned = [...rsByKey.values()].filter((r) => r.metadata.namespace === ns && ownerOf(r)?.kind === 'Deployment' && ownerOf(r)?.name === d.metadata.name);
      const live = owned.filter((r) => (r.spec?.replicas ?? 1) > 0);
      if (live.length !== 1) {
        warnings.push({ code: 'NS-ROLLOUT-NOT-MODELLED', message: `Deployment ${key} has ${live.length} ReplicaSets with pods at t=0: the timeline models a rollout from one`, pos });
        return undefined;
      }
      const tmpl = d.spec?.template ?? {};
      const rev: Revision = { hash: templateHash({ metadata: tmpl.metadata ?? {}, spec: tmpl.spec ?? {} }, typeof d.status?.collisionCount === 'number' ? d.status.collisionCount : 0), template: tmpl };
      // the hash the ReplicaSet was made with wins (a dump's ReplicaSet may come from another hashing)
      rev.hash = live[0].metadata.labels?.['pod-template-hash'] ?? rev.hash;
      const s: FleetSpec = { key, ns, deployment: d, rs: live[0], revisions: [{ at: 0, revision: rev, template: tmpl, cause: 'the template at t=0' }], scales: [], deletes: [], pool: 0, initialPods: realised.podIndex(ns).select(ALL).filter((p) => p.owner === `ReplicaSet ${ns}/${live[0].metadata.name}`).map((p) => p.key) };
      specs.set(key, s);
      return s;
    }
    const rs = rsByKey.get(key);
    if (rs) {
      const s: FleetSpec = { key, ns, rs, revisions: [{ at: 0, revision: { hash: rs.metadata.labels?.['pod-template-hash'] ?? 'rs', template: rs.spec?.template }, template: rs.spec?.template, cause: 'the template at t=0' }], scales: [], deletes: [], pool: 0, initialPods: realised.podIndex(ns).select(ALL).filter((p) => p.owner === `ReplicaSet ${key}`).map((p) => p.key) };
      specs.set(key, s);
      return s;
    }
    return undefined;
  };
  const events = script.events.slice().sort((a, b) => a.at - b.at);
  for (const e of events) {
    if (e.kind !== 'rollout' && e.kind !== 'scale') continue;
    if (!deployments.has(e.deployment)) {
      const ns = e.deployment.split('/')[0];
      const near = [...deployments.keys()].filter((k) => k.startsWith(`${ns}/`)).slice(0, 5);
      errors.push({ code: 'NS-SCRIPT-NO-WORKLOAD', message: `no Deployment ${e.deployment}`, pos: e.pos, hint: near.length ? `Deployments in ${ns}: ${near.join(', ')}` : `namespace ${ns} has no Deployment (a StatefulSet's or DaemonSet's rollout is not modelled)` });
      continue;
    }
    const s = spec(e.deployment, e.pos);
    if (!s) continue;
    if (e.kind === 'scale') { s.scales.push({ at: e.at, replicas: e.replicas }); continue; }
    const prev = s.revisions[s.revisions.length - 1].template;
    let tmpl = e.template ? mergePatch(prev, e.template) : prev;
    const names = new Set((tmpl?.spec?.containers ?? []).map((c: any) => c?.name));
    for (const c of Object.keys(e.images)) if (!names.has(c)) errors.push({ code: 'NS-SCRIPT-NO-CONTAINER', message: `Deployment ${e.deployment} has no container ${c}`, pos: e.pos, hint: `containers: ${[...names].join(', ')}` });
    if (Object.keys(e.images).length) tmpl = { ...tmpl, spec: { ...tmpl.spec, containers: tmpl.spec.containers.map((c: any) => (e.images[c.name] ? { ...c, image: e.images[c.name] } : c)) } };
    // kubectl rollout restart: the annotation kubectl.kubernetes.io/restartedAt on the pod template
    if (e.restart) tmpl = { ...tmpl, metadata: { ...(tmpl.metadata ?? {}), annotations: { ...(tmpl.metadata?.annotations ?? {}), [RESTARTED_AT]: stamp(e.at) } } };
    const d = s.deployment!;
    const hash = templateHash({ metadata: tmpl.metadata ?? {}, spec: tmpl.spec ?? {} }, typeof d.status?.collisionCount === 'number' ? d.status.collisionCount : 0);
    const what = e.restart ? 'kubectl rollout restart' : [Object.entries(e.images).map(([c, i]) => `image ${c}=${i}`).join(', '), e.template ? 'template changed' : ''].filter(Boolean).join(', ');
    s.revisions.push({ at: e.at, revision: { hash, template: tmpl }, template: tmpl, cause: `${what} (script ${e.pos ? `${e.pos.file}:${e.pos.line}` : ''})` });
  }
  for (const [key, at] of deletes) {
    const p = realised.podByKey.get(key)!;
    const ref = p.obj.metadata.ownerReferences?.find((r) => r && r.controller);
    if (!ref) continue;
    let s: FleetSpec | undefined;
    if (ref.kind === 'ReplicaSet') {
      const rs = rsByKey.get(`${p.ns}/${ref.name}`);
      const up = rs && ownerOf(rs);
      s = up && up.kind === 'Deployment' ? spec(`${p.ns}/${up.name}`, posOf(p.obj)) : spec(`${p.ns}/${ref.name}`, posOf(p.obj));
    }
    if (s) s.deletes.push({ at, pod: key });
    else if (ref.kind === 'StatefulSet') continue; // the same pod again once the old one is gone (index.ts)
    else warnings.push({ code: 'NS-REPLACEMENT-NOT-MODELLED', message: `pod ${key} is deleted at ${at / 1000}s; its controller (${ref.kind} ${p.ns}/${ref.name}) would create a replacement, which the timeline does not simulate for a ${ref.kind} (Deployments, ReplicaSets and StatefulSets only)`, pos: posOf(p.obj) });
  }
  for (const s of specs.values()) {
    const counts = [s.rs.spec?.replicas ?? 1, ...s.scales.map((x) => x.replicas)];
    const most = Math.max(...counts);
    // spare pods per ReplicaSet: every pod could be replaced once, plus the surge and each deletion
    s.pool = 2 * (most + maxSurge(s.deployment ? strategyOf(s.deployment) : { type: 'Recreate', maxSurge: 0, maxUnavailable: 0 }, most)) + s.deletes.length + 2;
  }
  return [...specs.values()];
}

/** The ReplicaSet object a revision runs as (as the deployment controller makes it: getNewReplicaSet). */
function rsFor(s: FleetSpec, rev: { revision: Revision; template: any }, n: number): KObject {
  const d = s.deployment!;
  const labels = { ...(rev.template.metadata?.labels ?? {}), 'pod-template-hash': rev.revision.hash };
  const name = `${d.metadata.name}-${rev.revision.hash}`;
  const o: KObject = {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name, namespace: s.ns, labels, annotations: { 'deployment.kubernetes.io/revision': String(s.revisions.indexOf(rev as any) + 1) }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, uid: d.metadata.uid!, controller: true, blockOwnerDeletion: true } as any] },
    spec: { replicas: n, selector: { ...d.spec.selector, matchLabels: { ...(d.spec.selector?.matchLabels ?? {}), 'pod-template-hash': rev.revision.hash } }, template: { ...rev.template, metadata: { ...(rev.template.metadata ?? {}), labels } } },
  };
  const org = originOf(d);
  if (org) setOrigin(o, org);
  return o;
}

/**
 * The cluster with every involved ReplicaSet's spare pods, made, scheduled and addressed by the
 * control plane: the nodes and the workloads' namespaces are realised again with the pools (names from
 * the ReplicaSet's seeded generateName, placement by the scheduler over those namespaces' pods only —
 * a simplification — and IPs from each node's podCIDR, moved past any address a pod elsewhere in the
 * cluster holds), then added to the cluster incrementally.
 */
export function realisePools(realised: Realised, specs: readonly FleetSpec[]): { base: Realised; pool: RPod[]; rsObjects: KObject[] } {
  const bump = new Map<KObject, KObject>();
  const extra: KObject[] = [];
  const owners = new Set<string>();
  const nsSet = new Set(specs.map((s) => s.ns));
  for (const s of specs) {
    bump.set(s.rs, { ...s.rs, spec: { ...s.rs.spec, replicas: (s.rs.spec?.replicas ?? 1) + s.pool } });
    owners.add(`ReplicaSet ${s.ns}/${s.rs.metadata.name}`);
    const seen = new Set([s.revisions[0].revision.hash]);
    for (const r of s.revisions.slice(1)) {
      if (seen.has(r.revision.hash)) continue;
      seen.add(r.revision.hash);
      const o = rsFor(s, r, s.pool);
      owners.add(`ReplicaSet ${s.ns}/${o.metadata.name}`);
      extra.push(o);
    }
  }
  // the nodes: the ones the namespaces' pods run on, and the first ten (each with the podCIDRs it
  // has, so the range allocator gives no other); a cluster of up to ten nodes keeps them all
  const nodes = new Set<string>(realised.nodes.slice(0, 10).map((n) => n.name));
  for (const ns of nsSet) for (const p of realised.podIndex(ns).select(ALL)) if (p.node) nodes.add(p.node.name);
  const objects: KObject[] = [];
  for (const o of realised.objects) {
    if (o.kind === 'EndpointSlice' && o.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === 'endpointslice-controller.k8s.io') continue;
    if (o.kind === 'Node') {
      const n = realised.nodeByName.get(o.metadata.name);
      if (n && nodes.has(n.name)) objects.push({ ...o, spec: { ...(o.spec ?? {}), podCIDRs: n.podCIDRs.map((c) => c.text), podCIDR: n.podCIDRs[0]?.text } });
      continue;
    }
    const ns = o.metadata.namespace;
    if (ns === undefined || ns === null || nsSet.has(ns)) objects.push(bump.get(o) ?? o);
  }
  objects.push(...extra);
  const mini = realise(objects, realised.config, new Diagnostics());
  const taken = new Set<string>();
  const pool: RPod[] = [];
  for (const p of mini.pods) {
    if (realised.podByKey.has(p.key) || !p.owner || !owners.has(p.owner)) continue;
    const node = p.node ? realised.nodeByName.get(p.node.name) ?? null : null;
    let ips = p.ips;
    if (node && !p.hostNetwork && ips.some((ip) => realised.podByIP.has(ip) || taken.has(ip))) ips = ips.map((ip) => freeIP(node.podCIDRs.find((c) => cidrContains(c, ip)), realised, taken) ?? ip);
    for (const ip of ips) taken.add(ip);
    const obj: KObject = ips === p.ips ? p.obj : { ...p.obj, status: { ...(p.obj.status ?? {}), podIP: ips[0], podIPs: ips.map((ip) => ({ ip })) } };
    const org = originOf(p.obj);
    if (org && obj !== p.obj) setOrigin(obj, org);
    pool.push({ ...p, node, ips, ip: ips[0] ?? p.ip, obj });
  }
  const rsObjects = mini.objects.filter((o) => o.kind === 'ReplicaSet' && extra.some((e) => e.metadata.namespace === o.metadata.namespace && e.metadata.name === o.metadata.name));
  for (const s of specs) s.added = rsObjects.filter((o) => o.metadata.namespace === s.ns && (o.metadata.ownerReferences ?? []).some((r) => r.kind === 'Deployment' && r.name === s.deployment?.metadata.name));
  return { base: patchPods(realised, new Map(), new Diagnostics(), new Map(), pool, rsObjects), pool, rsObjects };
}

/** The first address of the range no pod holds (from the third: the network and the gateway stay free). */
function freeIP(c: Cidr | undefined, r: Realised, taken: ReadonlySet<string>): string | undefined {
  if (!c) return undefined;
  const max = c.size < 65536n ? Number(c.size) - 1 : 65535;
  for (let n = 2; n < max; n++) {
    const ip = nthAddress(c, n);
    if (!r.podByIP.has(ip) && !taken.has(ip)) return ip;
  }
  return undefined;
}

export interface FleetRun {
  spec: FleetSpec;
  fleet: Fleet;
  /** the pool pods, by ReplicaSet name, in the order the ReplicaSet takes them */
  rsObjects: Map<string, KObject>;
}

/** Runs one workload's controllers over the clock; `life` is the kubelet model of a pod created at a time. */
export function runFleet(base: Realised, s: FleetSpec, until: number, life: (pod: RPod, createdAt: number) => PodLife, warnings: Warning[]): FleetRun {
  const inNs = base.podIndex(s.ns).select(ALL);
  const ownedBy = (rs: string) => inNs.filter((p) => p.owner === `ReplicaSet ${s.ns}/${rs}`);
  const initialName = s.rs.metadata.name;
  // the workload's objects are the realised cluster's own (patchPods shares them) and the new ReplicaSets
  const rsObjects = new Map<string, KObject>([s.rs, ...(s.added ?? [])].map((o) => [o.metadata.name, o] as const));
  // the pods at t=0 are the ones the cluster had; every other pod of a ReplicaSet is its pool
  const firstPods = new Set(s.initialPods);
  const pools = new Map<string, RPod[]>();
  for (const rsName of new Set([initialName, ...s.revisions.map((r) => `${s.deployment?.metadata.name}-${r.revision.hash}`)])) {
    pools.set(rsName, ownedBy(rsName).filter((p) => !firstPods.has(p.key)));
  }
  const byName = new Map<string, RPod>(inNs.map((p) => [p.name, p] as const));
  let exhausted = false;
  const fleet = simulateFleet({
    deployment: s.deployment?.metadata.name ?? s.rs.metadata.name,
    replicas: s.rs.spec?.replicas ?? 1,
    strategy: s.deployment ? strategyOf(s.deployment) : { type: 'RollingUpdate', maxSurge: 0, maxUnavailable: 1 },
    minReadySeconds: typeof s.deployment?.spec?.minReadySeconds === 'number' ? s.deployment.spec.minReadySeconds : 0,
    progressDeadlineSeconds: typeof s.deployment?.spec?.progressDeadlineSeconds === 'number' ? s.deployment.spec.progressDeadlineSeconds : DEFAULT_PROGRESS_DEADLINE_S,
    initial: { revision: s.revisions[0].revision, rs: initialName, pods: [...firstPods].filter((k) => base.podByKey.has(k)).map((k) => { const p = base.podByKey.get(k)!; return { name: p.name, ...(p.node ? { node: p.node.name } : {}) }; }) },
    events: [
      ...s.revisions.slice(1).map((r) => ({ at: r.at, kind: 'rollout' as const, revision: r.revision, cause: r.cause })),
      ...s.scales.map((x) => ({ at: x.at, kind: 'scale' as const, replicas: x.replicas, cause: 'script' })),
      ...s.deletes.map((x) => ({ at: x.at, kind: 'delete' as const, pod: x.pod.split('/')[1], cause: 'deleted by the script' })),
    ],
    until,
    newName: (rs) => {
      const p = pools.get(rs)?.shift();
      if (!p) { exhausted = true; return `${rs}-?`; }
      return p.name;
    },
    schedule: (p) => byName.get(p.name)?.node?.name,
    life: (p) => life(byName.get(p.name)!, p.createdAt),
  });
  if (exhausted) warnings.push({ code: 'NS-ROLLOUT-POOL', message: `${s.key}: the controllers wanted more new pods than the timeline prepared; later ones are left out`, pos: posOf(s.deployment ?? s.rs) });
  return { spec: s, fleet, rsObjects };
}

export type { FleetPod };
export type { ScriptEvent };

/**
 * The workload objects as they stand at t: each ReplicaSet with its spec.replicas and status then
 * (null before the deployment controller made it), the Deployment with its template, replicas,
 * status and conditions then (Progressing, Available: deployment/util and progress.go).
 */
export function fleetObjectsAt(runs: readonly FleetRun[], base: Realised, t: number): Map<KObject, KObject | null> {
  const out = new Map<KObject, KObject | null>();
  for (const run of runs) {
    const f = run.fleet;
    for (const rs of f.replicaSets) {
      const o = run.rsObjects.get(rs.name);
      if (!o) continue;
      if (t < rs.createdAt) { out.set(o, null); continue; }
      const mine = f.pods.filter((p) => p.rs === rs.name && p.createdAt <= t && (p.deletedAt === undefined || p.deletedAt > t));
      const n = f.rsReplicasAt(rs, t);
      const ready = mine.filter((p) => f.lives.get(p.name)!.readySince(t) !== null).length;
      const avail = mine.filter((p) => f.available(p, t)).length;
      const copy: KObject = { ...o, metadata: { ...o.metadata, annotations: { ...(o.metadata.annotations ?? {}), 'deployment.kubernetes.io/desired-replicas': String(rs.desiredAnn), 'deployment.kubernetes.io/max-replicas': String(rs.maxReplicasAnn) } }, spec: { ...o.spec, replicas: n }, status: { replicas: mine.length, fullyLabeledReplicas: mine.length, readyReplicas: ready, availableReplicas: avail } };
      const org = originOf(o);
      if (org) setOrigin(copy, org);
      out.set(o, copy);
    }
    const d = run.spec.deployment;
    if (d) {
      const hash = f.revisionAt(t);
      const rev = run.spec.revisions.filter((r) => r.at <= t && r.revision.hash === hash).pop() ?? run.spec.revisions[0];
      const conds = f.conditionsAt(t).map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message, lastTransitionTime: stamp(c.since) }));
      const copy: KObject = { ...d, spec: { ...d.spec, replicas: f.replicasAt(t), template: rev.template }, status: { ...f.statusAt(t), conditions: conds } };
      const org = originOf(d);
      if (org) setOrigin(copy, org);
      out.set(d, copy);
    }
  }
  return out;
}
