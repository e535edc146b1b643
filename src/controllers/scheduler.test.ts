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
  assert.match(w[0].message, /3 pods of ReplicaSet x\/w-.* 0\/1 nodes are available: 1 node: nodeSelector does not match/);
  assert.equal(pods[0].obj.status.phase, 'Pending');
  assert.equal(pods[0].obj.spec.nodeName, undefined);
});
