// Issue 9's benchmark: the cluster on the clock at real size (150 000 pods, 10 000 Services).
// Figures: the timeline of one pod whose readiness flips (deleted at 10s, terminating: ready false),
// the cluster at(t) after that event (target < 50 ms), a 10-minute timeline of a 50-replica
// Deployment whose pods crash-loop, and a 10-minute timeline of a 50-replica Deployment rolled out
// at 60 s (the deployment and ReplicaSet controllers over the kubelet model; the spare pods are
// realised once with the whole cluster), with at(t) in the middle of the rollout.
import { rmSync } from 'node:fs';
import { Cluster } from '../src/cluster';
import { generate, REAL } from './generate';

const S = 1000;

export async function run(): Promise<Record<string, string | number>> {
  const { dir } = generate(REAL);
  const cluster = Cluster.load([{ path: dir }]);
  rmSync(dir, { recursive: true, force: true });
  const r = cluster.realised;
  global.gc?.();
  const victim = r.pods.find((p) => p.ns.startsWith('team-'))!;

  const t0 = performance.now();
  const tl = cluster.timeline({ until: 15 * S, script: { apps: [{ target: { pod: victim.key }, clock: 'pod', answers: [], sigterm: { ignore: true } }], events: [{ at: 10 * S, kind: 'delete', target: { pod: victim.key } }] } });
  const t1 = performance.now();
  const later = tl.at(15 * S);
  const t2 = performance.now();
  const ep = [...later.realised.slicesByService.values()].flat().flatMap((s) => s.endpoints).find((e) => e.addresses.includes(victim.ip));

  const owner = victim.owner!.replace(/^ReplicaSet /, '').replace(/-[a-z0-9]+$/, '');
  const t3 = performance.now();
  const roll = cluster.timeline({ pod: owner, until: 600 * S, script: { apps: [{ target: { pod: owner }, clock: 'instance', answers: [], exit: { after: 50 * S, code: 1 } }], events: [] } });
  const t4 = performance.now();

  const dep = r.objects.find((o) => o.kind === 'Deployment' && `${o.metadata.namespace}/${o.metadata.name}` === owner)!;
  const ctr = dep.spec.template.spec.containers[0].name;
  global.gc?.();
  const t5 = performance.now();
  const ru = cluster.timeline({ pod: owner, until: 600 * S, script: { apps: [], events: [{ at: 60 * S, kind: 'rollout', deployment: owner, images: { [ctr]: 'registry.example/app:2' } }] } });
  const t6 = performance.now();
  const mid = ru.at(75 * S);
  const t7 = performance.now();
  const end = ru.at(600 * S);
  const endPods = end.realised.podIndex(dep.metadata.namespace!).select(end.realised.services.find((s) => s.ns === dep.metadata.namespace && s.selector && s.selector.matches(dep.spec.template.metadata.labels))!.selector!);
  const fleet = ru.fleets[0].fleet;
  const done = fleet.log.filter((l) => /Scaled down replica set .* to 0/.test(l.what)).map((l) => l.t).pop();

  return {
    pods: r.pods.length,
    'timeline of one pod, deleted at 10s (ms)': Math.round(t1 - t0),
    'at(15s) after the event (ms, target < 50)': Math.round(t2 - t1),
    'the endpoint at 15s': ep ? `ready ${ep.ready}, serving ${ep.serving}, terminating ${ep.terminating}` : 'absent',
    [`10-minute timeline of ${owner}, ${roll.pods.length} replicas crash-looping (ms)`]: Math.round(t4 - t3),
    'events in it': roll.events.length,
    [`10-minute timeline of a rolling update of ${owner}, ${dep.spec.replicas} replicas (ms)`]: Math.round(t6 - t5),
    'pods created / events in it': `${fleet.pods.filter((p) => !p.initial).length} / ${ru.events.length}`,
    'old ReplicaSet at 0 at': done !== undefined ? `${done / S}s` : 'not within 10 min',
    'at(75s) mid-rollout (ms)': Math.round(t7 - t6),
    'pods of the new template at 600s': endPods.filter((p) => p.obj.spec.containers[0].image === 'registry.example/app:2' && !p.terminating).length,
  };
}
