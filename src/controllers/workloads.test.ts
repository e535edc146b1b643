import { test } from 'node:test';
import assert from 'node:assert/strict';
import { originOf, type KObject } from '../model/types';
import { KUBE_ALPHANUMS } from './util';
import { codes, deployment, located, node, pod, posIn, run } from './testkit';

const suffix = new RegExp(`^[${KUBE_ALPHANUMS}]{5}$`);

test('Deployment → ReplicaSet <deployment>-<pod-template-hash> → pods <replicaset>-<5 chars>', () => {
  const { r, diag } = run([node('a'), deployment('web', 'shop', 3, { app: 'web' })]);
  assert.deepEqual(diag.errors, []);
  const rs = r.objects.filter((o) => o.kind === 'ReplicaSet' && o.metadata.namespace === 'shop');
  assert.equal(rs.length, 1);
  const m = /^web-([a-z0-9]+)$/.exec(rs[0].metadata.name)!;
  const hash = m[1];
  // the hash is a decimal FNV-32a, safe-encoded: only 4-9, b, c, d, f occur, at most 10 characters
  assert.match(hash, /^[456789bcdf]{1,10}$/);
  assert.equal(rs[0].metadata.labels!['pod-template-hash'], hash);
  assert.equal(rs[0].spec.selector.matchLabels['pod-template-hash'], hash);
  assert.equal(rs[0].metadata.ownerReferences![0].kind, 'Deployment');
  const pods = r.pods.filter((p) => p.ns === 'shop');
  assert.equal(pods.length, 3);
  for (const p of pods) {
    assert.ok(p.name.startsWith(`web-${hash}-`));
    assert.match(p.name.slice(`web-${hash}-`.length), suffix);
    assert.deepEqual(p.labels, { app: 'web', 'pod-template-hash': hash });
    assert.equal(p.obj.metadata.ownerReferences![0].name, `web-${hash}`);
    assert.equal(p.obj.metadata.ownerReferences![0].uid, rs[0].metadata.uid);
    assert.equal(p.owner, `ReplicaSet shop/web-${hash}`);
  }
});

test('pod names are stable across runs and do not move when unrelated objects are added', () => {
  const names = (extra: KObject[]) => run([node('a'), deployment('web', 'shop', 2, { app: 'web' }), ...extra]).r.pods.filter((p) => p.ns === 'shop' && p.name.startsWith('web')).map((p) => p.name);
  const first = names([]);
  assert.deepEqual(names([]), first);
  assert.deepEqual(names([deployment('api', 'shop', 4, { app: 'api' })]), first);
});

test('a different seed gives different pod-name suffixes', () => {
  const a = run([node('a'), deployment('web', 'shop', 2, { app: 'web' })], { seed: 1 }).r.pods.map((p) => p.name);
  const b = run([node('a'), deployment('web', 'shop', 2, { app: 'web' })], { seed: 2 }).r.pods.map((p) => p.name);
  assert.notDeepEqual(a, b);
});

test('replicas default to 1; replicas 0 makes none', () => {
  const { r } = run([node('a'), deployment('one', 'x', undefined, { app: 'one' }), deployment('none', 'x', 0, { app: 'none' })]);
  assert.equal(r.pods.filter((p) => p.name.startsWith('one-')).length, 1);
  assert.equal(r.pods.filter((p) => p.name.startsWith('none-')).length, 0);
});

test('pods of one template share one frozen spec; only metadata and status are their own', () => {
  const { r } = run([node('a'), deployment('web', 'shop', 3, { app: 'web' })]);
  const pods = r.pods.filter((p) => p.ns === 'shop');
  assert.ok(Object.isFrozen(pods[0].obj.spec.containers));
  assert.equal(pods[0].obj.spec.containers, pods[1].obj.spec.containers);
  assert.equal(pods[0].listening, pods[2].listening);
  assert.notEqual(pods[0].obj.metadata, pods[1].obj.metadata);
  assert.notEqual(pods[0].obj.status, pods[1].obj.status);
});

test('derived objects point at their owner\'s origin, `derived` naming the chain', () => {
  const d = deployment('web', 'shop', 1, { app: 'web' });
  const { r } = run([node('a'), d]);
  const p = r.pods.find((x) => x.ns === 'shop')!;
  const o = originOf(p.obj)!;
  assert.equal(o.file, 'test.yaml');
  assert.equal(o.line, posIn(d, []).line);
  assert.match(o.derived!, /^Deployment shop\/web → ReplicaSet shop\/web-[a-z0-9]+$/);
  // a pod's container port is the Deployment's template's container port
  assert.deepEqual(o.at!(['spec', 'containers', 0, 'ports', 0]), posIn(d, ['spec', 'template', 'spec', 'containers', 0, 'ports', 0]));
});

test('selector that does not match the template labels → NS-SELECTOR-MISMATCH', () => {
  const d = deployment('web', 'shop', 1, { app: 'web' });
  d.spec.selector = { matchLabels: { app: 'other' } };
  const { diag } = run([node('a'), d]);
  assert.deepEqual(codes(diag), ['NS-SELECTOR-MISMATCH']);
  assert.deepEqual(diag.errors[0].pos, posIn(d, ['spec', 'selector']));
});

test('an operator that does not exist → NS-SELECTOR-OPERATOR at the operator', () => {
  const d = deployment('web', 'shop', 1, { app: 'web' });
  d.spec.selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Equals', values: ['x'] }] };
  const { diag } = run([node('a'), d]);
  assert.deepEqual(codes(diag), ['NS-SELECTOR-OPERATOR']);
  assert.deepEqual(diag.errors[0].pos, posIn(d, ['spec', 'selector', 'matchExpressions', 0, 'operator']));
});

test('NotIn in a workload selector matches a template that lacks the label (apimachinery semantics)', () => {
  const d = deployment('web', 'shop', 1, { app: 'web' });
  d.spec.selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] };
  const { r, diag } = run([node('a'), d]);
  assert.deepEqual(diag.errors, []);
  assert.equal(r.pods.filter((p) => p.ns === 'shop').length, 1);
});

function sts(name: string, replicas: number, serviceName?: string): KObject {
  return located({
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: 'db' },
    spec: { replicas, serviceName, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'db', image: 'pg', ports: [{ containerPort: 5432 }] }] } } },
  });
}

test('StatefulSet: pods <name>-0…n-1, hostname = pod name, subdomain = spec.serviceName, and the identity labels', () => {
  const { r } = run([node('a'), sts('pg', 3, 'pg-headless')]);
  const pods = r.pods.filter((p) => p.ns === 'db');
  assert.deepEqual(pods.map((p) => p.name), ['pg-0', 'pg-1', 'pg-2']);
  const p1 = pods[1];
  assert.equal(p1.hostname, 'pg-1');
  assert.equal(p1.subdomain, 'pg-headless');
  assert.equal(p1.obj.spec.hostname, 'pg-1');
  assert.equal(p1.obj.spec.subdomain, 'pg-headless');
  assert.equal(p1.labels['statefulset.kubernetes.io/pod-name'], 'pg-1');
  assert.equal(p1.labels['apps.kubernetes.io/pod-index'], '1');
  assert.match(p1.labels['controller-revision-hash'], /^pg-[456789bcdf]+$/);
  assert.equal(p1.obj.metadata.ownerReferences![0].kind, 'StatefulSet');
});

test('StatefulSet pods that came with the inputs are not made again', () => {
  const existing = pod('pg-0', { ns: 'db', labels: { app: 'pg' }, nodeName: 'a' });
  existing.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'pg', controller: true }];
  const { r, diag } = run([node('a'), sts('pg', 2), existing]);
  assert.deepEqual(diag.errors, []);
  assert.deepEqual(r.pods.filter((p) => p.ns === 'db').map((p) => p.name), ['pg-0', 'pg-1']);
});

function ds(name: string, spec: any = {}): KObject {
  return located({
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name, namespace: 'kube-system' },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'd', image: 'd' }], ...spec } } },
  });
}

test('DaemonSet: one pod per eligible node, pinned there with node affinity on metadata.name', () => {
  const { r } = run([node('a'), node('b'), node('c'), ds('agent')]);
  const pods = r.pods.filter((p) => p.labels.app === 'agent');
  assert.deepEqual(pods.map((p) => p.node!.name).sort(), ['a', 'b', 'c']);
  for (const p of pods) {
    assert.match(p.name, /^agent-[a-z0-9]{5}$/);
    assert.deepEqual(p.obj.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0], { key: 'metadata.name', operator: 'In', values: [p.node!.name] });
    assert.equal(p.labels['pod-template-generation'], '1');
    assert.ok(p.labels['controller-revision-hash']);
  }
});

test('DaemonSet skips nodes its nodeSelector excludes and NoSchedule taints it does not tolerate, but runs on unschedulable nodes', () => {
  const objs = [
    node('a', { labels: { gpu: 'yes' } }),
    node('b', { labels: { gpu: 'yes' }, taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] }),
    node('c'),
    node('d', { labels: { gpu: 'yes' }, unschedulable: true }),
    ds('gpu-agent', { nodeSelector: { gpu: 'yes' } }),
  ];
  const { r } = run(objs);
  assert.deepEqual(r.pods.map((p) => p.node!.name).sort(), ['a', 'd']);
  const tolerant = ds('tolerant', { tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }] });
  const r2 = run([...objs.slice(0, 4), tolerant]).r;
  assert.deepEqual(r2.pods.map((p) => p.node!.name).sort(), ['a', 'b', 'c', 'd']);
});

function job(name: string, spec: any): KObject {
  return located({
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'batch' },
    spec: { template: { metadata: { labels: { app: name } }, spec: { restartPolicy: 'Never', containers: [{ name: 'j', image: 'j' }] } }, ...spec },
  });
}

test('Job: parallelism pods named <job>-<5 chars> with the job-name labels; completions cap them', () => {
  const { r } = run([node('a'), job('crunch', { parallelism: 3 }), job('once', { parallelism: 4, completions: 2 })]);
  const c = r.pods.filter((p) => p.labels['job-name'] === 'crunch');
  assert.equal(c.length, 3);
  for (const p of c) {
    assert.match(p.name, /^crunch-[a-z0-9]{5}$/);
    assert.equal(p.labels['batch.kubernetes.io/job-name'], 'crunch');
    assert.equal(p.labels['batch.kubernetes.io/controller-uid'], p.obj.metadata.ownerReferences![0].uid);
  }
  assert.equal(r.pods.filter((p) => p.labels['job-name'] === 'once').length, 2);
});

test('Indexed Job pods are <job>-<index>-<5 chars> with hostname <job>-<index>', () => {
  const { r } = run([node('a'), job('idx', { parallelism: 2, completions: 2, completionMode: 'Indexed' })]);
  const pods = r.pods.filter((p) => p.labels['job-name'] === 'idx').sort((a, b) => a.labels['batch.kubernetes.io/job-completion-index'].localeCompare(b.labels['batch.kubernetes.io/job-completion-index']));
  assert.match(pods[0].name, /^idx-0-[a-z0-9]{5}$/);
  assert.equal(pods[1].hostname, 'idx-1');
});

test('a Job whose template keeps restartPolicy Always → NS-JOB-RESTART-POLICY', () => {
  const j = job('bad', {});
  delete j.spec.template.spec.restartPolicy;
  const { diag } = run([node('a'), j]);
  assert.deepEqual(codes(diag), ['NS-JOB-RESTART-POLICY']);
});

test('CronJob makes no pods: its schedule never fires without a clock', () => {
  const cj = located({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'batch' }, spec: { schedule: '0 0 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'c' }] } } } } } });
  const { r } = run([node('a'), cj]);
  assert.equal(r.pods.length, 0);
  assert.ok(r.objects.includes(cj));
});

test('a ReplicaSet among the inputs owned by its Deployment (a kubectl dump) is used, not duplicated', () => {
  const d = deployment('web', 'shop', 2, { app: 'web' });
  const rs = located({
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-abc', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', controller: true }] },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web', 'pod-template-hash': 'abc' } }, template: { metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } }, spec: { containers: [{ name: 'app', image: 'app' }] } } },
  });
  const { r } = run([node('a'), d, rs]);
  assert.deepEqual(r.objects.filter((o) => o.kind === 'ReplicaSet' && o.metadata.namespace === 'shop').map((o) => o.metadata.name), ['web-abc']);
  assert.equal(r.pods.filter((p) => p.name.startsWith('web-abc-')).length, 2);
});

test('namespaces that are only referenced exist, each labelled kubernetes.io/metadata.name; the system ones always exist', () => {
  const { r } = run([node('a'), deployment('web', 'shop', 1, { app: 'web' })]);
  assert.deepEqual([...r.namespaces.keys()], ['default', 'kube-node-lease', 'kube-public', 'kube-system', 'shop']);
  assert.equal(r.namespaces.get('shop')!.metadata.labels!['kubernetes.io/metadata.name'], 'shop');
  assert.match(originOf(r.namespaces.get('shop')!)!.derived!, /Deployment shop\/web/);
});

test('a Namespace object keeps its labels and gains kubernetes.io/metadata.name', () => {
  const ns = located({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod', labels: { env: 'prod' } } });
  const { r } = run([ns]);
  assert.deepEqual(r.namespaces.get('prod')!.metadata.labels, { env: 'prod', 'kubernetes.io/metadata.name': 'prod' });
});

test('the same object twice → NS-DUPLICATE-NAME', () => {
  const { diag } = run([node('a'), pod('p', { nodeName: 'a' }), pod('p', { nodeName: 'a' })]);
  assert.deepEqual(codes(diag), ['NS-DUPLICATE-NAME']);
});

test('objects are listed in kind order, then namespace, then name', () => {
  const { r } = run([pod('z'), deployment('web', 'shop', 1, { app: 'web' }), node('a')]);
  const kinds = r.objects.map((o) => o.kind);
  assert.equal(kinds[0], 'Namespace');
  assert.ok(kinds.indexOf('Node') < kinds.indexOf('Service'));
  assert.ok(kinds.indexOf('Deployment') < kinds.indexOf('ReplicaSet'));
  assert.ok(kinds.lastIndexOf('ReplicaSet') < kinds.indexOf('Pod'));
  const pods = r.objects.filter((o) => o.kind === 'Pod').map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
  assert.deepEqual(pods, pods.slice().sort());
});

test('workload status is filled as the controllers report it once the pods run', () => {
  const { r } = run([node('a'), deployment('web', 'shop', 3, { app: 'web' }), deployment('far', 'shop', 2, { app: 'far' }, { nodeSelector: { none: 'x' } })]);
  const d = r.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'web')!;
  assert.deepEqual(d.status, { observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
  const far = r.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'far')!;
  assert.equal(far.status.readyReplicas, 0);
  assert.equal(far.status.replicas, 2);
});

test('a Job runs to completion: its pods are Succeeded (Ready False, PodCompleted), have no IP and back no Service', () => {
  const svc = located({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'crunch', namespace: 'batch' }, spec: { selector: { app: 'crunch' }, ports: [{ port: 80 }] } });
  const { r } = run([node('a'), job('crunch', { parallelism: 2 }), job('five', { parallelism: 2, completions: 5 }), svc]);
  const c = r.pods.filter((p) => p.labels['job-name'] === 'crunch');
  assert.equal(c.length, 2);
  // completions: 5 pods succeed in the end, `parallelism` at a time
  assert.equal(r.pods.filter((p) => p.labels['job-name'] === 'five').length, 5);
  for (const p of c) {
    assert.equal(p.phase, 'Succeeded');
    assert.equal(p.ready, false);
    assert.equal(p.ip, '');
    assert.equal(p.obj.status.conditions.find((x: any) => x.type === 'Ready').reason, 'PodCompleted');
    assert.equal(p.obj.status.containerStatuses[0].state.terminated.reason, 'Completed');
  }
  const eps = (r.slicesByService.get('batch/crunch') ?? []).flatMap((s) => s.endpoints);
  assert.equal(eps.length, 0);
});
