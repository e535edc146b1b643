// netspec timeline and --at: the kubelet on the clock from the command line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manifestDir, runCli as run } from '../testkit';

const manifests = `apiVersion: v1
kind: Node
metadata: {name: node-a}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  nodeName: node-a
  terminationGracePeriodSeconds: 20
  containers:
  - name: app
    image: shop:1
    ports: [{containerPort: 8080}]
    livenessProbe:
      httpGet: {path: /healthz, port: 8080}
    readinessProbe:
      httpGet: {path: /ready, port: 8080}
      periodSeconds: 5
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;
const dir = manifestDir({
  'k8s/app.yaml': manifests,
  'hang.yaml': 'apps:\n- pod: shop/web\n  probes:\n    all: [{from: 35s, answer: hang}]\n',
  'delete.yaml': 'apps:\n- pod: shop/web\n  sigterm: ignore\nevents:\n- {at: 60s, delete: shop/web}\n',
  'bad.yaml': 'apps:\n- pod: shop/web\n  probes: {liveness: [{from: soon, answer: hang}]}\n',
});

test('timeline -o json: a container that hangs 35s after every start restarts on the kubelet\'s back-off; its endpoint leaves and returns', async () => {
  const r = await run('timeline', '-f', `${dir}/k8s`, '--script', `${dir}/hang.yaml`, '--pod', 'shop/web', '--until', '300s', '-o', 'json');
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out);
  const at = (action: string) => out.events.filter((e: any) => e.action === action && e.container === 'app').map((e: any) => e.t);
  assert.deepEqual(at('killed'), [60, 120, 190, 270]);
  assert.deepEqual(at('restart'), [60, 130, 210]);
  const endpoint = out.events.filter((e: any) => e.event === 'pod').map((e: any) => `${e.t} ${e.action}`);
  assert.deepEqual(endpoint.slice(0, 4), ['45 not-ready', '60 ready', '105 not-ready', '130 ready']);
  assert.match(out.events.find((e: any) => e.action === 'killed').source.pos, /app\.yaml:15:5/);
});

test('get endpointslices --at 65s: a pod deleted at 60s is serving, terminating, not ready while its grace period runs', async () => {
  const r = await run('get', 'endpointslices', '-n', 'shop', '-f', `${dir}/k8s`, '--script', `${dir}/delete.yaml`, '--at', '65s', '-o', 'json');
  assert.equal(r.code, 0, r.err);
  const eps = JSON.parse(r.out).items.flatMap((s: any) => s.endpoints ?? []);
  assert.deepEqual(eps.map((e: any) => e.conditions), [{ ready: false, serving: true, terminating: true }]);
  const gone = await run('get', 'pods', '-n', 'shop', '-f', `${dir}/k8s`, '--script', `${dir}/delete.yaml`, '--at', '81s', '-o', 'name');
  assert.equal(gone.out.trim(), '', 'SIGKILL at 80s: the pod is gone');
});

test('connect --at: the Service has no ready endpoint while the app hangs', async () => {
  const client = `---\napiVersion: v1\nkind: Pod\nmetadata: {name: client, namespace: shop}\nspec: {nodeName: node-a, containers: [{name: c, image: curl}]}\n`;
  const d = manifestDir({ 'k8s/app.yaml': manifests + client, 'hang.yaml': 'apps:\n- pod: shop/web\n  probes:\n    all: [{from: 35s, answer: hang}]\n' });
  const before = await run('connect', '-f', `${d}/k8s`, '--from', 'shop/client', '--to', 'web.shop', '--port', '80', '--at', '30s', '--script', `${d}/hang.yaml`, '-o', 'json');
  const during = await run('connect', '-f', `${d}/k8s`, '--from', 'shop/client', '--to', 'web.shop', '--port', '80', '--at', '50s', '--script', `${d}/hang.yaml`, '-o', 'json');
  assert.equal(JSON.parse(before.out).verdict, 'delivered');
  assert.equal(JSON.parse(during.out).verdict, 'rejected');
});

test('bad input: a script error is located, exit 2; --until is required; --script without --at is a usage error', async () => {
  const bad = await run('timeline', '-f', `${dir}/k8s`, '--script', `${dir}/bad.yaml`, '--until', '1m');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /bad\.yaml:3:30: error NS-SCRIPT-DURATION: from: "soon" is not a duration/);
  const noUntil = await run('timeline', '-f', `${dir}/k8s`);
  assert.equal(noUntil.code, 2);
  assert.match(noUntil.err, /--until is required/);
  const noAt = await run('get', 'pods', '-f', `${dir}/k8s`, '--script', `${dir}/hang.yaml`);
  assert.equal(noAt.code, 2);
  assert.match(noAt.err, /--script needs --at/);
});

test('a liveness probe with successThreshold 2 is a located error, exit 2', async () => {
  const d = manifestDir({ 'pod.yaml': manifests.replace('      httpGet: {path: /healthz, port: 8080}\n', '      httpGet: {path: /healthz, port: 8080}\n      successThreshold: 2\n') });
  const r = await run('timeline', '-f', d, '--until', '1m');
  assert.equal(r.code, 2);
  assert.match(r.err, /pod\.yaml:17:25: error NS-PROBE-SUCCESS-THRESHOLD: .*successThreshold: must be 1/);
});

test('timeline -o json with a rollout: the deployment controller\'s steps and the new pods, each with its time; get deployments --at shows the conditions then', async () => {
  const d = manifestDir({
    'k8s/web.yaml': `apiVersion: v1
kind: Node
metadata: {name: node-a}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: web:1.0
        ports: [{containerPort: 8080}]
        readinessProbe:
          httpGet: {path: /ready, port: 8080}
          initialDelaySeconds: 10
          periodSeconds: 5
`,
    'roll.yaml': 'events:\n- {at: 60s, rollout: {deployment: shop/web, image: {app: "web:1.1"}}}\n',
  });
  const r = await run('timeline', '-f', `${d}/k8s`, '--script', `${d}/roll.yaml`, '--pod', 'shop/web', '--until', '120s', '-o', 'json');
  assert.equal(r.code, 0, r.err);
  // the workload by role, as connect takes it: the same timeline
  const byRole = await run('timeline', '-f', `${d}/k8s`, '--script', `${d}/roll.yaml`, '--pod', 'shop/deployment/web', '--until', '120s', '-o', 'json');
  assert.equal(byRole.out, r.out, byRole.err);
  const none = await run('timeline', '-f', `${d}/k8s`, '--pod', 'shop/statefulset/web', '--until', '10s');
  assert.equal(none.code, 2);
  assert.match(none.err, /NS-UNKNOWN-WORKLOAD/);
  const out = JSON.parse(r.out);
  const steps = out.events.filter((e: any) => e.event === 'deployment').map((e: any) => `${e.t} ${e.detail.replace(/web-[a-z0-9]+/g, 'RS')}`);
  // maxSurge 25% of 2 rounds up to 1, maxUnavailable rounds down to 0: one new pod at a time, each old one only once a new one is Ready
  assert.deepEqual(steps, ['60 rollout: image app=web:1.1 (script ' + `${d}/roll.yaml:2)`, '60 new ReplicaSet RS', '60 Scaled up replica set RS from 0 to 1 (maxSurge 1)',
    '70 Scaled down replica set RS from 2 to 1 (minAvailable 2)', '70 Scaled up replica set RS from 1 to 2 (maxSurge 1)', '80 Scaled down replica set RS from 1 to 0 (minAvailable 2)']);
  assert.equal(out.events.filter((e: any) => e.action === 'created').length, 2);
  const g = await run('get', 'deployments', '-f', `${d}/k8s`, '--script', `${d}/roll.yaml`, '--at', '65s', '-o', 'json');
  assert.equal(g.code, 0, g.err);
  const dep = (JSON.parse(g.out).items ?? JSON.parse(g.out)).find((x: any) => x.metadata.namespace === 'shop');
  assert.deepEqual([dep.status.replicas, dep.status.updatedReplicas, dep.status.availableReplicas], [3, 1, 2]);
  assert.equal(dep.status.conditions.find((c: any) => c.type === 'Progressing').reason, 'NewReplicaSetCreated');
});
