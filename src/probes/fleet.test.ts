// The clock drives the controllers (fleet.ts over controllers/rollout.ts): replacement pods, rolling
// updates, restarts and scaling, through Cluster.timeline and at(t).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../cluster';
import { InputErrors } from '../model/errors';
import { parseScript } from './script';

const S = 1000;
const manifests = (replicas: number, strategy = '', extra = '') => `
apiVersion: v1
kind: Node
metadata: {name: node-a}
---
apiVersion: v1
kind: Node
metadata: {name: node-b}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}${strategy}
  template:
    metadata: {labels: {app: web}}
    spec:${extra}
      containers:
      - name: app
        image: nginx:1
        ports: [{containerPort: 8080}]
        readinessProbe:
          httpGet: {path: /ready, port: 8080}
          initialDelaySeconds: 10
          periodSeconds: 5
`;
const load = (text: string) => Cluster.load([{ text, name: 'web.yaml' }]);
const script = (text: string) => { const r = parseScript(text, 'app.yaml'); assert.deepEqual(r.errors, []); return r.script; };
const endpoints = (c: Cluster) => (c.realised.slicesByService.get('shop/web') ?? []).flatMap((s) => s.endpoints);

test('replica_set.go manageReplicas: a pod of a Deployment deleted at t is replaced at t by a new pod of the same ReplicaSet; the old one terminates', () => {
  const c = load(manifests(2));
  const victim = c.realised.pods.find((p) => p.ns === 'shop')!;
  const tl = c.timeline({ until: 60 * S, script: script(`apps:\n- {pod: shop/web, sigterm: ignore}\nevents:\n- {at: 20s, delete: ${victim.key}}\n`) });
  assert.deepEqual(tl.warnings.map((w) => w.code), []);
  const at21 = tl.at(21 * S);
  const pods = at21.realised.pods.filter((p) => p.ns === 'shop');
  assert.equal(pods.length, 3, 'two active pods and the terminating one');
  const fresh = pods.find((p) => !c.realised.podByKey.has(p.key))!;
  assert.equal(fresh.owner, victim.owner, 'the same ReplicaSet');
  assert.ok(fresh.name.startsWith(victim.name.slice(0, victim.name.lastIndexOf('-') + 1)));
  assert.equal(fresh.ready, false, 'not Ready before its readiness probe (initialDelaySeconds 10)');
  const old = at21.realised.podByKey.get(victim.key)!;
  assert.equal(old.terminating, true);
  assert.equal(tl.at(50 * S).realised.podByKey.get(victim.key), undefined, 'gone once SIGKILL ends the 30 s grace period');
  assert.equal(tl.at(31 * S).realised.podByKey.get(fresh.key)!.ready, true);
  assert.ok(tl.events.some((e) => e.pod === fresh.key && e.detail.startsWith('Created pod')));
  // the same as realising every object again
  const { realise } = require('../controllers');
  const { Diagnostics } = require('../model/errors');
  const full = realise(tl.objectsAt(40 * S), c.realised.config, new Diagnostics());
  assert.deepEqual(full.pods.filter((p: any) => p.ns === 'shop').map((p: any) => `${p.key} ${p.ip} ${p.ready}`).sort(), tl.at(40 * S).realised.pods.filter((p) => p.ns === 'shop').map((p) => `${p.key} ${p.ip} ${p.ready}`).sort());
});

test('rolling.go over the kubelet model: the rollout at 60s keeps ≥ replicas − maxUnavailable ready endpoints, ends with the new template only, and the Deployment reports its conditions', () => {
  const c = load(manifests(4));
  const tl = c.timeline({ until: 300 * S, script: script('events:\n- {at: 60s, rollout: {deployment: shop/web, image: {app: "nginx:2"}}}\n') });
  for (let t = 55; t <= 150; t += 1) {
    const eps = endpoints(tl.at(t * S));
    assert.ok(eps.filter((e) => e.ready).length >= 3, `at ${t}s: ${eps.filter((e) => e.ready).length} ready endpoints < minAvailable 3`);
  }
  const end = tl.at(300 * S);
  const pods = end.realised.pods.filter((p) => p.ns === 'shop');
  assert.equal(pods.length, 4);
  assert.ok(pods.every((p) => p.obj.spec.containers[0].image === 'nginx:2'));
  const rs = new Set(pods.map((p) => p.owner));
  assert.equal(rs.size, 1);
  assert.notEqual([...rs][0], c.realised.pods.find((p) => p.ns === 'shop')!.owner);
  const d = end.realised.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'web')!;
  assert.deepEqual(d.status.conditions.map((x: any) => `${x.type} ${x.status} ${x.reason}`), ['Available True MinimumReplicasAvailable', 'Progressing True NewReplicaSetAvailable']);
  const mid = tl.at(65 * S).realised.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'web')!;
  assert.equal(mid.status.conditions[1].reason, 'NewReplicaSetCreated');
  assert.equal(mid.spec.template.spec.containers[0].image, 'nginx:2');
  // the old ReplicaSet at 0 after the rollout, kept (revisionHistoryLimit)
  const oldRS = end.realised.objects.find((o) => o.kind === 'ReplicaSet' && `ReplicaSet shop/${o.metadata.name}` === c.realised.pods.find((p) => p.ns === 'shop')!.owner)!;
  assert.equal(oldRS.spec.replicas, 0);
});

test('a new version that never gets Ready stalls the rollout: old pods keep serving (cleanupUnhealthyReplicas never takes a ready one)', () => {
  const c = load(manifests(4));
  const tl = c.timeline({ until: 200 * S, script: script('apps:\n- {pod: shop/web, image: "nginx:2", probes: {readiness: [{from: 0s, answer: 503}]}}\nevents:\n- {at: 60s, rollout: {deployment: shop/web, image: {app: "nginx:2"}}}\n') });
  const eps = endpoints(tl.at(200 * S));
  assert.equal(eps.filter((e) => e.ready).length, 3);
  assert.equal(eps.length, 5, '3 old + 2 new (maxSurge 1 + the one maxUnavailable freed)');
});

test('kubectl rollout restart: the restartedAt annotation is a new template, so a new ReplicaSet; scale: the replicas change at t', () => {
  const c = load(manifests(2));
  const tl = c.timeline({ until: 200 * S, script: script('events:\n- {at: 30s, scale: {deployment: shop/web, replicas: 5}}\n- {at: 100s, restart: shop/web}\n') });
  assert.equal(tl.at(31 * S).realised.pods.filter((p) => p.ns === 'shop').length, 5);
  const end = tl.at(200 * S).realised.pods.filter((p) => p.ns === 'shop');
  assert.equal(end.length, 5);
  assert.ok(end.every((p) => p.obj.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'] === '+100s'));
});

test('Recreate: every old pod is gone before the new ones are made', () => {
  const c = load(manifests(2, '\n  strategy: {type: Recreate}', '\n      terminationGracePeriodSeconds: 5'));
  const tl = c.timeline({ until: 120 * S, script: script('events:\n- {at: 60s, rollout: {deployment: shop/web, image: {app: "nginx:2"}}}\n') });
  const created = tl.events.filter((e) => e.detail.startsWith('Created pod')).map((e) => e.t);
  const gone = tl.pods.filter((p) => p.goneAt !== undefined).map((p) => p.goneAt!);
  assert.equal(gone.length, 2);
  assert.ok(created.every((t) => t >= Math.max(...gone)), `created ${created} before the last old pod went at ${Math.max(...gone)}`);
});

test('script events name a Deployment: a missing one, a missing container, bad replicas are located errors', () => {
  const c = load(manifests(2));
  const bad = parseScript('events:\n- {at: 10s, scale: {deployment: shop/web, replicas: -1}}\n- {at: 10s, rollout: {deployment: shop/web}}\n', 'app.yaml');
  assert.deepEqual(bad.errors.map((e) => `${e.pos?.line} ${e.code}`), ['2 NS-SCRIPT-SCALE', '3 NS-SCRIPT-ROLLOUT']);
  try {
    c.timeline({ until: 10 * S, script: script('events:\n- {at: 10s, rollout: {deployment: shop/api, image: {app: x}}}\n- {at: 10s, rollout: {deployment: shop/web, image: {sidecar: x}}}\n') });
    assert.fail('no error');
  } catch (e) {
    assert.ok(e instanceof InputErrors);
    assert.deepEqual(e.errors.map((x) => `${x.pos?.line} ${x.code}`), ['2 NS-SCRIPT-NO-WORKLOAD', '3 NS-SCRIPT-NO-CONTAINER']);
  }
});
