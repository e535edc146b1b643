// Workloads on the clock: a Deployment rolled out, restarted or scaled at a time, and what the
// controllers did about it, asserted at a time or over a window. Glue only: the deployment and
// ReplicaSet controllers live in src/controllers/rollout.ts, their clock in src/probes/fleet.ts.
import { When, Then } from '@cucumber/cucumber';
import type { Cluster } from '../src/cluster';
import { fmtTime } from '../src/probes';
import type { KObject } from '../src/model/types';
import { addScript, clusterAt } from './probes.steps';
import { rolePods, type RoleRef } from '../src/roles';
import { mismatch } from './support';
import type { NetspecWorld } from './world';

function deploymentOf(c: Cluster, ns: string, name: string): KObject {
  // rolePods names the closest Deployments when there is none; the object is the workload's own
  rolePods(c.realised, deployment(ns, name));
  return c.realised.objects.find((o) => o.kind === 'Deployment' && o.metadata.namespace === ns && o.metadata.name === name)!;
}

const deployment = (ns: string, name: string): RoleRef => ({ kind: 'workload', workload: 'Deployment', ns, name, text: `${ns}/deployment/${name}` });

When('deployment {string} in namespace {string} is rolled out to image {string} at t={duration}', function (this: NetspecWorld, name: string, ns: string, image: string, at: number) {
  const d = deploymentOf(this.cluster, ns, name);
  const ctrs: any[] = d.spec?.template?.spec?.containers ?? [];
  if (ctrs.length !== 1) throw new Error(`Deployment ${ns}/${name} has ${ctrs.length} containers (${ctrs.map((c) => c.name).join(', ')}): name the container's image in the app script (rollout: {deployment: ${ns}/${name}, image: {CONTAINER: IMAGE}})`);
  addScript(this, { apps: [], events: [{ at, kind: 'rollout', deployment: `${ns}/${name}`, images: { [ctrs[0].name]: image }, pos: this.place.pos }] });
});

When('deployment {string} in namespace {string} is restarted at t={duration}', function (this: NetspecWorld, name: string, ns: string, at: number) {
  deploymentOf(this.cluster, ns, name);
  addScript(this, { apps: [], events: [{ at, kind: 'rollout', deployment: `${ns}/${name}`, images: {}, restart: true, pos: this.place.pos }] });
});

When('deployment {string} in namespace {string} is scaled to {int} replica(s) at t={duration}', function (this: NetspecWorld, name: string, ns: string, n: number, at: number) {
  deploymentOf(this.cluster, ns, name);
  addScript(this, { apps: [], events: [{ at, kind: 'scale', deployment: `${ns}/${name}`, replicas: n, pos: this.place.pos }] });
});

/** The cluster at each moment of [from, to] where anything changed, and at `from`: constant in between. */
function moments(world: NetspecWorld, from: number, to: number): number[] {
  const c = world.last.probeClock as any;
  const base: Cluster = c?.base ?? world.cluster;
  const tl = base.timeline({ until: to, script: c?.script ?? { apps: [], events: [] } });
  const set = new Set<number>([from]);
  for (const p of tl.pods) for (const t of p.changes) if (t >= from && t <= to) set.add(t);
  for (const e of tl.events) if (e.t >= from && e.t <= to) set.add(e.t);
  return [...set].sort((a, b) => a - b);
}

/** The Deployment's pods, through their ReplicaSets (the owner references the controllers set). */
const podsOf = (c: Cluster, d: KObject) => rolePods(c.realised, deployment(d.metadata.namespace!, d.metadata.name)).pods;

Then('at t={duration} deployment {string} in namespace {string} has condition {string} with reason {string}', function (this: NetspecWorld, at: number, name: string, ns: string, type: string, reason: string) {
  const c = clusterAt(this, at);
  const d = deploymentOf(c, ns, name);
  const cond = (d.status?.conditions ?? []).find((x: any) => x.type === type);
  const all = (d.status?.conditions ?? []).map((x: any) => `${x.type}=${x.status} (${x.reason}: ${x.message})`).join('; ');
  if (!cond || cond.reason !== reason) throw mismatch(`condition ${type} of Deployment ${ns}/${name} at t=${fmtTime(at)}`, `reason ${reason}`, cond ? `reason ${cond.reason}` : 'absent', `conditions: ${all || 'none'}`);
  this.attachText(`Deployment ${ns}/${name} at t=${fmtTime(at)}: ${all}`);
});

Then('at t={duration} deployment {string} in namespace {string} runs {int} pod(s) of image {string} and none of another', function (this: NetspecWorld, at: number, name: string, ns: string, n: number, image: string) {
  const c = clusterAt(this, at);
  const pods = podsOf(c, deploymentOf(c, ns, name));
  const text = pods.map((p) => `${p.key} ${p.obj.spec.containers.map((x: any) => x.image).join(',')}${p.terminating ? ' (terminating)' : ''}`).join('\n  ');
  const want = pods.filter((p) => p.obj.spec.containers.every((x: any) => x.image === image));
  if (want.length !== n || want.length !== pods.length) throw mismatch(`pods of Deployment ${ns}/${name} at t=${fmtTime(at)}`, `${n} of image ${image}, no other`, `${want.length} of image ${image}, ${pods.length - want.length} other`, `pods:\n  ${text}`);
});

Then('at every moment between {duration} and {duration} deployment {string} in namespace {string} has at most {int} pods that are not terminating', function (this: NetspecWorld, from: number, to: number, name: string, ns: string, n: number) {
  const seen: string[] = [];
  for (const t of moments(this, from, to)) {
    const c = clusterAt(this, t);
    const live = podsOf(c, deploymentOf(c, ns, name)).filter((p) => !p.terminating);
    seen.push(`  t=${fmtTime(t)}: ${live.length} (${live.map((p) => p.name).join(', ')})`);
    if (live.length > n) throw mismatch(`pods of Deployment ${ns}/${name} not terminating at t=${fmtTime(t)}`, `at most ${n}`, String(live.length), `the moments checked:\n${seen.join('\n')}`);
  }
  this.attachText(`pods of ${ns}/${name} not terminating:\n${seen.join('\n')}`);
});

Then('at every moment between {duration} and {duration} no new connection from pod {string} in namespace {string} to service {string} on TCP port {int} lands on a terminating pod', function (this: NetspecWorld, from: number, to: number, pod: string, ns: string, svc: string, port: number) {
  const key = `${ns}/${svc}`;
  let tried = 0;
  for (const t of moments(this, from, to)) {
    const c = clusterAt(this, t);
    const s = c.realised.serviceByKey.get(key);
    if (!s) throw new Error(`no service ${key}`);
    // kube-proxy picks among the ready endpoints (terminating ones only when none is ready): 20 connections a moment
    for (let i = 0; i < 20; i++) {
      const res = c.connect({ from: `${ns}/${pod}`, to: s.clusterIPs[0], port, protocol: 'TCP', seed: 1000 + i });
      tried++;
      const to = res.delivered ? c.realised.podByKey.get(res.delivered.pod) : undefined;
      if (to?.terminating) {
        this.attachTrace(`connection at t=${fmtTime(t)}`, res.hops);
        throw mismatch(`new connection ${ns}/${pod} → service ${key} at t=${fmtTime(t)}`, 'a pod that is not terminating', `${to.key} (terminating)`);
      }
    }
  }
  this.attachText(`${tried} connections between ${fmtTime(from)} and ${fmtTime(to)}: none landed on a terminating pod`);
});

When('one pod of deployment {string} in namespace {string} is deleted at t={duration}', function (this: NetspecWorld, name: string, ns: string, at: number) {
  // the first of its pods by name: specs name the workload, not its generated pod names
  const pod = podsOf(this.cluster, deploymentOf(this.cluster, ns, name)).map((p) => p.key).sort()[0];
  if (!pod) throw new Error(`Deployment ${ns}/${name} has no pod at t=0`);
  addScript(this, { apps: [], events: [{ at, kind: 'delete', target: { pod, pos: this.place.pos }, pos: this.place.pos }] });
});
