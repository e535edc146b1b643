// The deployment controller on the clock (rollout.ts): each fact named after the Kubernetes source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../cluster';
import { InputErrors } from '../model/errors';
import { maxSurge, maxUnavailable, rankForDeletion, resolveFenceposts, scaledValue, simulateFleet, strategyOf, type FleetInput, type FleetPod, type PodLife } from './rollout';

const deploy = (strategy: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
${strategy}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: nginx}]
`;
function errorsOf(text: string): string[] {
  try { Cluster.load([{ text, name: 'd.yaml' }]); } catch (e) {
    if (e instanceof InputErrors) return e.errors.map((x) => `${x.pos?.line}:${x.pos?.col} ${x.code}: ${x.message}`);
    throw e;
  }
  return [];
}

test('apps/v1 SetDefaults_Deployment: RollingUpdate with maxSurge and maxUnavailable 25%', () => {
  assert.deepEqual(strategyOf({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: {} }), { type: 'RollingUpdate', maxSurge: '25%', maxUnavailable: '25%' });
});

test('intstr.GetScaledValueFromIntOrPercent via ResolveFenceposts: surge rounds up, unavailable rounds down; 0/0 after rounding makes maxUnavailable 1', () => {
  const s = strategyOf({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: {} });
  assert.deepEqual(resolveFenceposts(s, 10), [3, 2]); // 2.5 → 3 up, 2.5 → 2 down
  assert.deepEqual(resolveFenceposts(s, 1), [1, 0]);
  assert.deepEqual(resolveFenceposts({ type: 'RollingUpdate', maxSurge: '10%', maxUnavailable: '10%' }, 5).slice(), [1, 0]);
  assert.deepEqual(resolveFenceposts({ type: 'RollingUpdate', maxSurge: 0, maxUnavailable: '10%' }, 5), [0, 1]); // both 0 after rounding
  assert.equal(scaledValue('5', 10, true), null); // a string must be a percentage
  assert.equal(maxUnavailable({ type: 'RollingUpdate', maxSurge: 0, maxUnavailable: 7 }, 3), 3); // MaxUnavailable caps at replicas
  assert.equal(maxSurge({ type: 'Recreate', maxSurge: 0, maxUnavailable: 0 }, 3), 0);
});

test('ValidateRollingUpdateDeployment in the API server\'s words, located: 0/0, over 100%, not a percentage, negative; rollingUpdate with Recreate', () => {
  assert.deepEqual(errorsOf(deploy('  strategy:\n    rollingUpdate: {maxSurge: 0, maxUnavailable: 0}')), ['8:50 NS-DEPLOYMENT-STRATEGY: Deployment shop/web: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0']);
  assert.deepEqual(errorsOf(deploy('  strategy:\n    rollingUpdate: {maxSurge: "0%", maxUnavailable: "0%"}')).map((e) => e.split(' NS')[1]), ['-DEPLOYMENT-STRATEGY: Deployment shop/web: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0']);
  const e = errorsOf(deploy('  strategy:\n    rollingUpdate: {maxSurge: "five", maxUnavailable: "110%"}'));
  assert.equal(e.length, 2);
  assert.match(e.join('\n'), /maxSurge: Invalid value: "five": must be an integer or percentage \(e\.g '5%'\)/);
  assert.match(e.join('\n'), /maxUnavailable: Invalid value: "110%": must not be greater than 100%/);
  assert.match(errorsOf(deploy('  strategy:\n    rollingUpdate: {maxSurge: -1}')).join(), /must be greater than or equal to 0/);
  assert.match(errorsOf(deploy('  strategy:\n    type: Recreate\n    rollingUpdate: {maxSurge: 1}')).join(), /Forbidden: may not be specified when strategy `type` is 'Recreate'/);
  assert.deepEqual(errorsOf(deploy('  strategy:\n    rollingUpdate: {maxSurge: 0, maxUnavailable: 1}')), []);
});

/** pods Ready `readyAfter` ms after creation, gone `grace` ms after deletion */
function fleet(over: Partial<FleetInput> & { readyAfter?: (p: FleetPod) => number | null; grace?: number } = {}) {
  let n = 0;
  const readyAfter = over.readyAfter ?? (() => 10_000);
  const life = (p: FleetPod): PodLife => {
    const ra = p.initial ? 0 : readyAfter(p);
    const at = ra === null ? null : p.createdAt + ra;
    return { readySince: (t) => (at !== null && t >= at ? at : null), changes: at === null ? [] : [at], restarts: () => 0, goneAfter: () => over.grace ?? 30_000 };
  };
  return simulateFleet({
    deployment: 'web', replicas: 4, strategy: { type: 'RollingUpdate', maxSurge: '25%', maxUnavailable: '25%' }, minReadySeconds: 0, progressDeadlineSeconds: 600,
    initial: { revision: { hash: 'old', template: null }, rs: 'web-old', pods: [1, 2, 3, 4].map((i) => ({ name: `web-old-${i}`, node: `n${i % 2}` })) },
    events: [{ at: 60_000, kind: 'rollout', revision: { hash: 'new', template: null }, cause: 'image v2' }],
    until: 600_000, newName: (rs) => `${rs}-${++n}`, schedule: () => 'n0', life, ...over,
  });
}

test('rolling.go: reconcileNewReplicaSet up to replicas + maxSurge, reconcileOldReplicaSets keeps minAvailable available; the rollout completes', () => {
  const f = fleet();
  const times = [...new Set([60_000, 60_001, 69_999, 70_000, 80_000, 90_000, 100_000, 130_000, 300_000])];
  for (const t of times) {
    const live = f.pods.filter((p) => p.createdAt <= t && (p.deletedAt === undefined || p.deletedAt > t));
    assert.ok(live.length <= 5, `at ${t}: ${live.length} pods not terminating > replicas + maxSurge 5`);
    assert.ok(live.filter((p) => f.available(p, t)).length >= 3, `at ${t}: fewer than minAvailable 3 available`);
  }
  // at 60s: new ReplicaSet up by maxSurge 1, the old one down by maxUnavailable 1, then the new one up again (room made)
  assert.equal(f.rsReplicasAt(f.replicaSets[1], 60_000), 2);
  assert.equal(f.rsReplicasAt(f.replicaSets[0], 60_000), 3);
  // two waves of 10 s readiness: done at 80 s
  assert.equal(f.rsReplicasAt(f.replicaSets[0], 80_000), 0);
  assert.equal(f.rsReplicasAt(f.replicaSets[1], 80_000), 4);
  assert.deepEqual(f.conditionsAt(300_000).map((c) => `${c.type}=${c.status} ${c.reason}`), ['Available=True MinimumReplicasAvailable', 'Progressing=True NewReplicaSetAvailable']);
  assert.equal(f.conditionsAt(65_000)[1].reason, 'NewReplicaSetCreated');
  // old pods terminate with their grace period: gone 30 s after deletion
  const old = f.pods.filter((p) => p.initial);
  assert.ok(old.every((p) => p.goneAt === p.deletedAt! + 30_000));
  assert.equal(f.podsAt(300_000).length, 4);
});

test('rolling.go: a new template that never becomes Ready stalls the rollout at maxUnavailable; progress.go: ProgressDeadlineExceeded after progressDeadlineSeconds', () => {
  const f = fleet({ readyAfter: () => null, until: 700_000 });
  const t = 500_000;
  const live = f.pods.filter((p) => p.createdAt <= t && p.deletedAt === undefined);
  assert.equal(live.filter((p) => p.initial).length, 3); // minAvailable 3 old pods stay
  assert.equal(live.filter((p) => !p.initial).length, 2);
  assert.deepEqual(f.conditionsAt(t).map((c) => c.reason), ['MinimumReplicasAvailable', 'NewReplicaSetCreated']);
  assert.equal(f.conditionsAt(659_000)[1].reason, 'NewReplicaSetCreated');
  assert.equal(f.conditionsAt(661_000)[1].reason, 'ProgressDeadlineExceeded'); // 600 s after the last progress at 60 s
});

test('minReadySeconds (IsPodAvailable): a Ready pod counts as available only after minReadySeconds, which slows the rollout', () => {
  const f = fleet({ minReadySeconds: 20 });
  assert.equal(f.rsReplicasAt(f.replicaSets[0], 75_000), 3); // ready at 70 s, available only at 90 s
  assert.equal(f.rsReplicasAt(f.replicaSets[0], 90_000), 1);
});

test('recreate.go: old pods to 0, the new ReplicaSet only once no old pod runs (terminating ones count)', () => {
  const f = fleet({ strategy: { type: 'Recreate', maxSurge: 0, maxUnavailable: 0 } });
  assert.equal(f.rsReplicasAt(f.replicaSets[0], 60_000), 0);
  assert.equal(f.replicaSets[1].createdAt, 90_000); // old pods gone after their 30 s grace period
  assert.equal(f.rsReplicasAt(f.replicaSets[1], 90_000), 4);
});

test('sync.go scale: scaling mid-rollout spreads the change proportionally (getReplicaSetFraction), leftovers to the largest', () => {
  const f = fleet({ readyAfter: () => null, events: [{ at: 60_000, kind: 'rollout', revision: { hash: 'new', template: null }, cause: 'v2' }, { at: 100_000, kind: 'scale', replicas: 8, cause: 'scale' }] });
  // before: old 3, new 2 (allowed 5); after: allowed 8 + 2 = 10: old 3·10/5 = 6, new 2·10/5 = 4
  assert.equal(f.rsReplicasAt(f.replicaSets[0], 100_000), 6);
  assert.equal(f.rsReplicasAt(f.replicaSets[1], 100_000), 4);
  const g = fleet({ events: [{ at: 50_000, kind: 'scale', replicas: 2, cause: 'down' }] });
  assert.equal(g.rsReplicasAt(g.replicaSets[0], 50_000), 2); // one active ReplicaSet: scaled to replicas
});

test('replica_set.go manageReplicas: a deleted pod is replaced at once; ActivePodsWithRanks: not ready, doubled-up, newer first', () => {
  const f = fleet({ events: [{ at: 30_000, kind: 'delete', pod: 'web-old-1', cause: 'kubectl delete' }] });
  const repl = f.pods.find((p) => p.createdAt === 30_000)!;
  assert.equal(repl.rs, 'web-old');
  assert.equal(f.podsAt(40_000).length, 5); // 4 active + the terminating one
  const mk = (name: string, node: string | undefined, createdAt: number): FleetPod => ({ name, rs: 'r', hash: 'h', createdAt, initial: false, ...(node ? { node } : {}) });
  const a = mk('a', 'n1', 0), b = mk('b', 'n2', 0), c = mk('c', 'n2', 5), d = mk('d', undefined, 0), e = mk('e', 'n1', 9);
  const order = rankForDeletion([a, b, c, d, e], [a, b, c, e, mk('x', 'n2', 0)], 100, (p) => (p === e ? null : p.createdAt), () => 0).map((p) => p.name);
  assert.deepEqual(order, ['d', 'e', 'c', 'b', 'a']);
});
