// The InterPodAffinity and PodTopologySpread filters (kube-scheduler,
// pkg/scheduler/framework/plugins/interpodaffinity/filtering.go and podtopologyspread/filtering.go),
// as a table of cases: the objects, where each workload's pods land (per node), and the scheduler's
// message for the pods left Pending.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../model/types';
import { deployment, node, pod, run } from './testkit';

const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
const z = (name: string, zone: string, extra: Parameters<typeof node>[1] = {}) => node(name, { ...extra, labels: { [ZONE]: zone, ...(extra.labels ?? {}) } });
const anti = (labels: Record<string, string>, topologyKey = HOST, more: any = {}) => ({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey, ...more }] } } });
const aff = (labels: Record<string, string>, topologyKey = HOST, more: any = {}) => ({ affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey, ...more }] } } });
const spread = (labels: Record<string, string>, c: any = {}) => ({ topologySpreadConstraints: [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: labels }, ...c }] });
const withSpec = (p: KObject, spec: any): KObject => { Object.assign(p.spec, spec); return p; };

const NO_VICTIMS = 'No preemption victims found for incoming pod';
const NOT_HELPFUL = 'Preemption is not helpful for scheduling';

interface Case {
  name: string;
  objects: KObject[];
  /** namespace → node → pods placed there */
  placed: Record<string, Record<string, number>>;
  /** namespace → how many pods stay Pending */
  pending?: Record<string, number>;
  /** the PodScheduled message of the first Pending pod (of `pendingNs`, default the first namespace of `pending`) */
  message?: string;
}

const CASES: Case[] = [
  {
    name: 'issue 7: two haproxy replicas with required anti-affinity on the hostname and one node: one runs, one stays Pending (satisfyPodAntiAffinity)',
    objects: [node('a'), deployment('haproxy', 'argocd', 2, { app: 'haproxy' }, anti({ app: 'haproxy' }))],
    placed: { argocd: { a: 1 } }, pending: { argocd: 1 },
    message: `0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules. preemption: 0/1 nodes are available: 1 ${NO_VICTIMS}.`,
  },
  {
    name: 'anti-affinity on the hostname: three replicas on three nodes, one each',
    objects: [node('a'), node('b'), node('c'), deployment('haproxy', 'argocd', 3, { app: 'haproxy' }, anti({ app: 'haproxy' }))],
    placed: { argocd: { a: 1, b: 1, c: 1 } },
  },
  {
    name: 'anti-affinity on the zone: one replica per zone, whatever the node count',
    objects: [z('a', 'z1'), z('b', 'z1'), z('c', 'z2'), deployment('db', 'x', 3, { app: 'db' }, anti({ app: 'db' }, ZONE))],
    placed: { x: { a: 1, c: 1 } }, pending: { x: 1 },
    message: `0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 ${NO_VICTIMS}.`,
  },
  {
    name: 'anti-affinity: a node without the topology key passes the term (satisfyPodAntiAffinity skips it)',
    objects: [node('a'), node('b'), deployment('db', 'x', 4, { app: 'db' }, anti({ app: 'db' }, ZONE))],
    placed: { x: { a: 2, b: 2 } },
  },
  {
    name: "existing pods' anti-affinity is symmetric: web avoids the node of a pod whose anti-affinity selects web (satisfyExistingPodsAntiAffinity)",
    objects: [node('a'), node('b'), withSpec(pod('guard', { ns: 'x', nodeName: 'a', labels: { app: 'guard' } }), anti({ app: 'web' })), deployment('web', 'x', 2, { app: 'web' })],
    placed: { x: { a: 1, b: 2 } },
  },
  {
    name: "existing pods' anti-affinity with one node: web stays Pending with the existing-pods reason",
    objects: [node('a'), withSpec(pod('guard', { ns: 'x', nodeName: 'a', labels: { app: 'guard' } }), anti({ app: 'web' })), deployment('web', 'x', 1, { app: 'web' })],
    placed: { x: { a: 1 } }, pending: { x: 1 },
    message: `0/1 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules. preemption: 0/1 nodes are available: 1 ${NO_VICTIMS}.`,
  },
  {
    name: "an anti-affinity term defaults to the pod's own namespace: pods of the same label elsewhere do not count (getNamespacesFromPodAffinityTerm)",
    objects: [node('a'), node('b'), pod('other', { ns: 'y', nodeName: 'a', labels: { app: 'db' } }), deployment('db', 'x', 2, { app: 'db' }, anti({ app: 'db' }))],
    placed: { x: { a: 1, b: 1 }, y: { a: 1 } },
  },
  {
    name: 'namespaceSelector {} selects every namespace: a pod of that label in another namespace keeps the replicas off its node',
    objects: [node('a'), node('b'), node('c'), pod('other', { ns: 'y', nodeName: 'a', labels: { app: 'db' } }), deployment('db', 'x', 2, { app: 'db' }, anti({ app: 'db' }, HOST, { namespaceSelector: {} }))],
    placed: { x: { b: 1, c: 1 }, y: { a: 1 } },
  },
  {
    name: 'required affinity: web goes only where a cache pod runs',
    objects: [node('a'), node('b'), node('c'), pod('cache', { ns: 'x', nodeName: 'b', labels: { app: 'cache' } }), deployment('web', 'x', 3, { app: 'web' }, aff({ app: 'cache' }))],
    placed: { x: { b: 4 } },
  },
  {
    name: 'a pod whose affinity waits for a pod placed after it is retried once that pod is bound (the scheduler requeues it on AssignedPodAdd): api, before cache in name order, still joins it',
    objects: [node('a'), node('b'), node('c'), deployment('api', 'x', 2, { app: 'api' }, aff({ app: 'cache' })), deployment('cache', 'x', 1, { app: 'cache' })],
    placed: { x: { a: 3 } },
  },
  {
    name: 'required affinity to the zone of a cache pod: web spreads over that zone only',
    objects: [z('a', 'z1'), z('b', 'z2'), z('c', 'z2'), pod('cache', { ns: 'x', nodeName: 'b', labels: { app: 'cache' } }), deployment('web', 'x', 3, { app: 'web' }, aff({ app: 'cache' }, ZONE))],
    placed: { x: { b: 2, c: 2 } },
  },
  {
    name: 'affinity to itself: the first pod of the group may go anywhere (no pod matches anywhere and it matches its own term); the rest follow it to its zone',
    objects: [z('a', 'z1'), z('b', 'z2'), z('c', 'z1'), deployment('grp', 'x', 4, { app: 'grp' }, aff({ app: 'grp' }, ZONE))],
    placed: { x: { a: 2, c: 2 } },
  },
  {
    name: 'affinity to pods that do not exist, and the pod does not match its own term: Pending, and preemption cannot help (UnschedulableAndUnresolvable)',
    objects: [node('a'), node('b'), deployment('web', 'x', 1, { app: 'web' }, aff({ app: 'cache' }))],
    placed: { x: {} }, pending: { x: 1 },
    message: `0/2 nodes are available: 2 node(s) didn't match pod affinity rules. preemption: 0/2 nodes are available: 2 ${NOT_HELPFUL}.`,
  },
  {
    name: 'affinity: every term\'s topology key must be on the node, even for the first pod of a group',
    objects: [node('a'), z('b', 'z1'), deployment('grp', 'x', 2, { app: 'grp' }, aff({ app: 'grp' }, ZONE))],
    placed: { x: { b: 2 } },
  },
  {
    name: 'topology spread, maxSkew 1 over three zones: 2/2/2 whatever the node count per zone',
    objects: [z('a', 'z1'), z('b', 'z1'), z('c', 'z1'), z('d', 'z2'), z('e', 'z3'), deployment('web', 'x', 6, { app: 'web' }, spread({ app: 'web' }))],
    placed: { x: { a: 1, b: 1, d: 2, e: 2 } },
  },
  {
    name: 'topology spread: a node without the topology key is never chosen (missing required label, UnschedulableAndUnresolvable)',
    objects: [node('a'), deployment('web', 'x', 1, { app: 'web' }, spread({ app: 'web' }))],
    placed: { x: {} }, pending: { x: 1 },
    message: `0/1 nodes are available: 1 node(s) didn't match pod topology spread constraints (missing required label). preemption: 0/1 nodes are available: 1 ${NOT_HELPFUL}.`,
  },
  {
    name: 'topology spread: with fewer eligible domains than minDomains the global minimum is 0, so each zone takes maxSkew pods and the rest stay Pending',
    objects: [z('a', 'z1'), z('b', 'z2'), deployment('web', 'x', 4, { app: 'web' }, spread({ app: 'web' }, { minDomains: 3 }))],
    placed: { x: { a: 1, b: 1 } }, pending: { x: 2 },
    message: `0/2 nodes are available: 2 node(s) didn't match pod topology spread constraints. preemption: 0/2 nodes are available: 2 ${NO_VICTIMS}.`,
  },
  {
    name: 'topology spread, nodeAffinityPolicy Honor (default): zones of nodes the nodeSelector excludes are not domains',
    objects: [z('a', 'z1', { labels: { disk: 'ssd' } }), z('b', 'z2', { labels: { disk: 'ssd' } }), z('c', 'z3'), deployment('web', 'x', 4, { app: 'web' }, { ...spread({ app: 'web' }), nodeSelector: { disk: 'ssd' } })],
    placed: { x: { a: 2, b: 2 } },
  },
  {
    name: 'topology spread, nodeAffinityPolicy Ignore: the excluded zone is a domain with 0 pods forever, so each other zone holds maxSkew',
    objects: [z('a', 'z1', { labels: { disk: 'ssd' } }), z('b', 'z2', { labels: { disk: 'ssd' } }), z('c', 'z3'), deployment('web', 'x', 4, { app: 'web' }, { ...spread({ app: 'web' }, { nodeAffinityPolicy: 'Ignore' }), nodeSelector: { disk: 'ssd' } })],
    placed: { x: { a: 1, b: 1 } }, pending: { x: 2 },
    message: `0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 node(s) didn't match pod topology spread constraints. preemption: 0/3 nodes are available: 1 ${NOT_HELPFUL}, 2 ${NO_VICTIMS}.`,
  },
  {
    name: 'topology spread, nodeTaintsPolicy Ignore (default): a tainted zone still counts as a domain with 0 pods',
    objects: [z('a', 'z1'), z('b', 'z2', { taints: [{ key: 'gpu', effect: 'NoSchedule' }] }), deployment('web', 'x', 3, { app: 'web' }, spread({ app: 'web' }))],
    placed: { x: { a: 1 } }, pending: { x: 2 },
    message: `0/2 nodes are available: 1 node(s) didn't match pod topology spread constraints, 1 node(s) had untolerated taint {gpu: }. preemption: 0/2 nodes are available: 1 ${NO_VICTIMS}, 1 ${NOT_HELPFUL}.`,
  },
  {
    name: 'topology spread, nodeTaintsPolicy Honor: the untolerated tainted zone is not a domain',
    objects: [z('a', 'z1'), z('b', 'z2', { taints: [{ key: 'gpu', effect: 'NoSchedule' }] }), deployment('web', 'x', 3, { app: 'web' }, spread({ app: 'web' }, { nodeTaintsPolicy: 'Honor' }))],
    placed: { x: { a: 3 } },
  },
  {
    name: 'topology spread counts pods of the selector in the pod\'s namespace already placed, terminating ones skipped (countPodsMatchSelector)',
    objects: [z('a', 'z1'), z('b', 'z2'),
      pod('old1', { ns: 'x', nodeName: 'a', labels: { app: 'web' } }), pod('old2', { ns: 'x', nodeName: 'a', labels: { app: 'web' } }),
      pod('gone', { ns: 'x', nodeName: 'b', labels: { app: 'web' }, deletionTimestamp: '2024-01-01T00:00:00Z' }), pod('elsewhere', { ns: 'y', nodeName: 'b', labels: { app: 'web' } }),
      deployment('web', 'x', 2, { app: 'web' }, spread({ app: 'web' }))],
    placed: { x: { a: 2, b: 3 }, y: { b: 1 } },
  },
  {
    name: 'ScheduleAnyway constraints only score: no filter, the usual spread',
    objects: [z('a', 'z1'), node('b'), deployment('web', 'x', 4, { app: 'web' }, spread({ app: 'web' }, { whenUnsatisfiable: 'ScheduleAnyway' }))],
    placed: { x: { a: 2, b: 2 } },
  },
  {
    name: 'matchLabelKeys (pod-template-hash) narrows the spread to the pods of one ReplicaSet',
    objects: [z('a', 'z1'), z('b', 'z2'), pod('prev1', { ns: 'x', nodeName: 'a', labels: { app: 'web', 'pod-template-hash': 'old' } }), pod('prev2', { ns: 'x', nodeName: 'a', labels: { app: 'web', 'pod-template-hash': 'old' } }),
      deployment('web', 'x', 2, { app: 'web' }, spread({ app: 'web' }, { matchLabelKeys: ['pod-template-hash'] }))],
    placed: { x: { a: 3, b: 1 } },
  },
  {
    name: '(the same without matchLabelKeys: the previous ReplicaSet\'s pods count, both new pods go to the other zone)',
    objects: [z('a', 'z1'), z('b', 'z2'), pod('prev1', { ns: 'x', nodeName: 'a', labels: { app: 'web', 'pod-template-hash': 'old' } }), pod('prev2', { ns: 'x', nodeName: 'a', labels: { app: 'web', 'pod-template-hash': 'old' } }),
      deployment('web', 'x', 2, { app: 'web' }, spread({ app: 'web' }))],
    placed: { x: { a: 2, b: 2 } },
  },
  {
    name: 'reasons combine as the scheduler aggregates them: a tainted node and anti-affinity',
    objects: [node('a'), node('b', { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }), deployment('haproxy', 'x', 2, { app: 'haproxy' }, anti({ app: 'haproxy' }))],
    placed: { x: { a: 1 } }, pending: { x: 1 },
    message: `0/2 nodes are available: 1 node(s) didn't match pod anti-affinity rules, 1 node(s) had untolerated taint {k: v}. preemption: 0/2 nodes are available: 1 ${NO_VICTIMS}, 1 ${NOT_HELPFUL}.`,
  },
];

for (const c of CASES) {
  test(c.name, () => {
    const { r, diag } = run(c.objects);
    assert.deepEqual(diag.errors, []);
    for (const [ns, want] of Object.entries(c.placed)) {
      const got: Record<string, number> = {};
      for (const p of r.pods) if (p.ns === ns && p.node) got[p.node.name] = (got[p.node.name] ?? 0) + 1;
      assert.deepEqual(got, want, `placement in ${ns}`);
    }
    const pendingNs = Object.keys(c.pending ?? {});
    for (const ns of new Set([...Object.keys(c.placed), ...pendingNs])) {
      const pending = r.pods.filter((p) => p.ns === ns && !p.node);
      assert.equal(pending.length, c.pending?.[ns] ?? 0, `Pending pods in ${ns}`);
      assert.ok(pending.every((p) => p.phase === 'Pending' && p.ip === ''));
    }
    if (c.message) {
      const p = r.pods.find((x) => x.ns === pendingNs[0] && !x.node)!;
      assert.deepEqual(p.obj.status.conditions, [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: c.message }]);
      const w = diag.warnings.filter((x) => x.code === 'NS-UNSCHEDULABLE');
      assert.equal(w.length, 1);
      assert.ok(w[0].message.endsWith(` Pending: ${c.message}`), w[0].message);
    }
  });
}
