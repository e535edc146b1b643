import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, node, pod, run } from './testkit';

const perNode = (r: ReturnType<typeof run>['r'], ns: string) => {
  const m: Record<string, number> = {};
  for (const p of r.pods) if (p.ns === ns && p.node) m[p.node.name] = (m[p.node.name] ?? 0) + 1;
  return m;
};

test('unpinned pods spread: each goes to the eligible node with the fewest pods, ties by node order', () => {
  const { r } = run([node('a'), node('b'), node('c'), deployment('web', 'shop', 7, { app: 'web' })]);
  assert.deepEqual(perNode(r, 'shop'), { a: 3, b: 2, c: 2 });
});

test('pinned pods count: the spread fills the other nodes first', () => {
  const { r } = run([node('a'), node('b'), pod('p1', { nodeName: 'a' }), pod('p2', { nodeName: 'a' }), pod('q1'), pod('q2')]);
  assert.equal(r.podByKey.get('default/q1')!.node!.name, 'b');
  assert.equal(r.podByKey.get('default/q2')!.node!.name, 'b');
});

test('nodeSelector restricts the nodes', () => {
  const { r } = run([node('a'), node('b', { labels: { disk: 'ssd' } }), node('c', { labels: { disk: 'ssd' } }), deployment('db', 'x', 4, { app: 'db' }, { nodeSelector: { disk: 'ssd' } })]);
  assert.deepEqual(perNode(r, 'x'), { b: 2, c: 2 });
});

test('required node affinity (In, NotIn, Exists; terms ORed) restricts the nodes', () => {
  const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
    { matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }, { key: 'spot', operator: 'DoesNotExist' }] },
    { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['d'] }] },
  ] } } };
  const { r } = run([node('a', { labels: { zone: 'z1' } }), node('b', { labels: { zone: 'z1', spot: 'y' } }), node('c', { labels: { zone: 'z2' } }), node('d'), deployment('w', 'x', 4, { app: 'w' }, { affinity })]);
  assert.deepEqual(perNode(r, 'x'), { a: 2, d: 2 });
});

test('unschedulable (cordoned) and not-ready nodes get no new pods', () => {
  const { r } = run([node('a', { unschedulable: true }), node('b', { ready: false }), node('c'), deployment('w', 'x', 3, { app: 'w' })]);
  assert.deepEqual(perNode(r, 'x'), { c: 3 });
});

test('NoSchedule taints keep pods away unless tolerated; PreferNoSchedule does not', () => {
  const objs = [node('a', { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }), node('b', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] })];
  assert.deepEqual(perNode(run([...objs, deployment('w', 'x', 2, { app: 'w' })]).r, 'x'), { b: 2 });
  const tol = { tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }] };
  assert.deepEqual(perNode(run([...objs, deployment('w', 'x', 2, { app: 'w' }, tol)]).r, 'x'), { a: 1, b: 1 });
});

test('no eligible node: the pods stay Pending with one warning per workload, not an error', () => {
  const { r, diag } = run([node('a'), deployment('w', 'x', 3, { app: 'w' }, { nodeSelector: { disk: 'ssd' } })]);
  assert.deepEqual(diag.errors, []);
  const pods = r.pods.filter((p) => p.ns === 'x');
  assert.ok(pods.every((p) => p.phase === 'Pending' && p.node === null && p.ip === ''));
  const w = diag.warnings.filter((x) => x.code === 'NS-UNSCHEDULABLE');
  assert.equal(w.length, 1);
  // NodeAffinity's ErrReasonPod, aggregated as framework.FitError.Error(); DefaultPreemption cannot help (UnschedulableAndUnresolvable)
  const msg = "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
  assert.equal(w[0].message.replace(/^.*stays? Pending: /, ''), msg);
  assert.match(w[0].message, /^3 pods of ReplicaSet x\/w-/);
  assert.equal(pods[0].obj.status.phase, 'Pending');
  assert.deepEqual(pods[0].obj.status.conditions, [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: msg }]);
  assert.equal(pods[0].obj.spec.nodeName, undefined);
});

test('reasons per node follow the filter order (NodeUnschedulable, TaintToleration, NodeAffinity) and are counted as the scheduler sorts them', () => {
  const { diag } = run([
    node('a', { unschedulable: true }), node('b', { taints: [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }] }), node('c', { ready: false }), node('d'),
    deployment('w', 'x', 1, { app: 'w' }, { nodeSelector: { disk: 'ssd' } }),
  ]);
  const w = diag.warnings.find((x) => x.code === 'NS-UNSCHEDULABLE')!;
  assert.equal(w.message.replace(/^.*stays? Pending: /, ''), "0/4 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {gpu: yes}, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) were unschedulable. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.");
});
