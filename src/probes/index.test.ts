import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../cluster';
import type { Script } from './script';

/** One failing probe on the pod's clock, for the pods named. */
const failing = (pods: string[], probe: 'readiness' | 'liveness', from: number, to?: number, answer: 'fail' | 'hang' = 'fail'): Script =>
  ({ apps: pods.map((pod) => ({ target: { pod }, clock: 'pod' as const, answers: [{ probe, from, ...(to !== undefined ? { to } : {}), answer: { kind: answer } }] })), events: [] });

const S = 1000;
const base = `
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
`;
const pod = (name: string, probes: string, extra = '') => `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: shop, labels: {app: web}}
spec:${extra}
  containers:
  - name: app
    image: nginx
    ports: [{containerPort: 8080}]
${probes}`;
const readiness = `    readinessProbe:
      httpGet: {path: /ready, port: 8080}
`;
const load = (text: string) => Cluster.load([{ text, name: 'probes.yaml' }]);
const readyIPs = (c: Cluster) => (c.realised.slicesByService.get('shop/web') ?? []).flatMap((s) => s.endpoints.filter((e) => e.ready).flatMap((e) => e.addresses)).sort();

test('readiness failure removes the pod from the ready endpoints (ready:false, serving:false); success puts it back', () => {
  const c = load(base + pod('web-1', readiness) + pod('web-2', readiness));
  const ip1 = c.realised.podByKey.get('shop/web-1')!.ip, ip2 = c.realised.podByKey.get('shop/web-2')!.ip;
  const tl = c.timeline({ pod: 'shop/web-1', until: 200 * S, script: failing(['shop/web-1'], 'readiness', 30 * S, 90 * S) });
  assert.deepEqual(readyIPs(tl.at(40 * S)), [ip1, ip2].sort(), 'two failures are below failureThreshold 3');
  const at50 = tl.at(50 * S);
  assert.deepEqual(readyIPs(at50), [ip2]);
  const ep = at50.realised.slicesByService.get('shop/web')![0].endpoints.find((e) => e.addresses[0] === ip1)!;
  assert.deepEqual([ep.ready, ep.serving, ep.terminating], [false, false, false]);
  const p = at50.realised.podByKey.get('shop/web-1')!;
  assert.equal(p.ip, ip1);
  assert.equal(p.obj.status.conditions.find((x: any) => x.type === 'Ready').status, 'False');
  assert.deepEqual(readyIPs(tl.at(90 * S)), [ip1, ip2].sort());
  // connections through the Service go to the remaining pod
  for (let seed = 1; seed <= 6; seed++) {
    const r = at50.connect({ from: 'node/node-b', to: at50.realised.serviceByKey.get('shop/web')!.clusterIPs[0], port: 80, seed });
    assert.equal(r.verdict, 'delivered'); assert.equal(r.delivered!.pod, 'shop/web-2');
  }
});

test('probe hops: at pod/ns/name/container/c, action probe, source = the probe field position', () => {
  const c = load(base + pod('web-1', readiness));
  const tl = c.timeline({ pod: 'shop/web-1', until: 20 * S });
  const h = tl.hops.find((x) => x.action === 'probe')!;
  assert.equal(h.at, 'pod/shop/web-1/container/app');
  assert.equal(h.source?.pos?.file, 'probes.yaml');
  assert.ok(h.source!.what.includes('readinessProbe'));
  assert.deepEqual(tl.events.filter((e) => e.probe === 'readiness').map((e) => e.t), [0, 10 * S, 20 * S]);
});

test('a probe on a port nobody listens on is refused, with the connect trace from the node (kubelet)', () => {
  // aimed at the node's own loopback (tcpSocket.host), where nothing listens on 9090; a probe on the
  // pod's own undeclared port is taken as its health endpoint instead (the next test)
  const probes = `    livenessProbe:
      tcpSocket: {port: 9090, host: 127.0.0.1}
`;
  const c = load(base + pod('web-1', probes));
  const tl = c.timeline({ pod: 'shop/web-1', until: 60 * S });
  const first = tl.events.find((e) => e.probe === 'liveness')!;
  assert.equal(first.result, 'failure');
  assert.match(first.detail, /connection refused/);
  assert.ok(first.network && first.network.some((h) => h.action === 'refuse'));
  assert.ok(first.network!.some((h) => h.at.startsWith('node/')));
  assert.deepEqual(tl.events.filter((e) => e.action === 'killed').map((e) => e.t), [20 * S, 50 * S]);
  const after = tl.at(55 * S).realised.podByKey.get('shop/web-1')!;
  assert.equal(after.obj.status.containerStatuses[0].restartCount, 1);
  assert.equal(after.ip, c.realised.podByKey.get('shop/web-1')!.ip, 'the sandbox survives: same IP');
  // between the kill at 50s and the restart at 60s the container waits in CrashLoopBackOff
  assert.equal(after.obj.status.containerStatuses[0].state.waiting.reason, 'CrashLoopBackOff');
  assert.equal(after.ready, false);
});

test('a named probe port is looked up among the container ports', () => {
  const c = load(base + pod('web-1', `    readinessProbe:
      httpGet: {path: /, port: http}
`).replace('ports: [{containerPort: 8080}]', 'ports: [{containerPort: 8080, name: http}]'));
  const tl = c.timeline({ pod: 'shop/web-1', until: 0 });
  assert.equal(tl.events.find((e) => e.probe === 'readiness')!.result, 'success');
});

test('pods of a Deployment keep their names and IPs at a later time', () => {
  const c = load(base + `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: nginx
        ports: [{containerPort: 8080}]
${readiness.replace(/^ {4}/gm, '        ')}`);
  const keys = c.realised.pods.filter((p) => p.ns === 'shop').map((p) => `${p.key} ${p.ip}`);
  const victim = c.realised.pods.find((p) => p.ns === 'shop')!;
  const tl = c.timeline({ until: 100 * S, script: failing([victim.key], 'readiness', 0) });
  assert.equal(tl.pods.length, 3, 'every input pod with a probe (not coredns)');
  const later = tl.at(100 * S);
  assert.deepEqual(later.realised.pods.filter((p) => p.ns === 'shop').map((p) => `${p.key} ${p.ip}`), keys);
  assert.equal(readyIPs(later).length, 2);
  assert.ok(!readyIPs(later).includes(victim.ip));
});

test('unknown pod is an input error', () => {
  const c = load(base);
  assert.throws(() => c.timeline({ pod: 'shop/nope', until: 1 }), /no pod or workload shop\/nope/);
});

test('restartPolicy Never: a liveness kill leaves the pod Failed, out of the endpoints and of podByIP', () => {
  const c = load(base + pod('web-1', `    livenessProbe:
      exec: {command: [check]}
`, '\n  restartPolicy: Never'));
  const tl = c.timeline({ pod: 'shop/web-1', until: 30 * S, script: failing(['shop/web-1'], 'liveness', 0) });
  const later = tl.at(30 * S);
  const p = later.realised.podByKey.get('shop/web-1')!;
  assert.equal(p.phase, 'Failed');
  assert.equal(p.obj.status.containerStatuses[0].restartCount, 0);
  assert.deepEqual(readyIPs(later), []);
});

test('a default-deny ingress NetworkPolicy does not stop the kubelet: traffic from the pod\'s own node is always allowed', () => {
  const c = load(base + `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
` + pod('web-1', readiness));
  const tl = c.timeline({ pod: 'shop/web-1', until: 30 * S });
  const probed = tl.events.filter((e) => e.probe === 'readiness');
  assert.ok(probed.length > 0, 'the readiness probe ran');
  assert.ok(probed.every((e) => e.result === 'success'));
  assert.equal(tl.at(30 * S).realised.podByKey.get('shop/web-1')!.ready, true);
});

test('same input, same timeline, byte for byte', () => {
  const text = base + pod('web-1', readiness + `    livenessProbe:
      tcpSocket: {port: 9999}
`);
  const run = () => JSON.stringify(load(text).timeline({ until: 600 * S, script: failing(['shop/web-1'], 'readiness', 40 * S, undefined, 'hang') }).events);
  assert.equal(run(), run());
});

// ---- the same answer at every query time (worker.go: a readiness result starts as Failure) -----------

for (const [name, probes, readyAt0] of [
  ['no readiness probe', '', true],
  ['readiness at once (initialDelaySeconds 0, port declared)', readiness, true],
  ['readiness with initialDelaySeconds 10', '    readinessProbe:\n      httpGet: {path: /ready, port: 8080}\n      initialDelaySeconds: 10\n', false],
  // the probe names the app's own health endpoint: the container is taken to listen there (NS-PROBE-PORT-UNDECLARED)
  ['readiness on a port the container does not declare', '    readinessProbe:\n      tcpSocket: {port: 9999}\n', true],
  ['startup and readiness (readiness waits for the tick after the startup success)', '    startupProbe:\n      tcpSocket: {port: 8080}\n' + readiness, false],
] as const) {
  test(`ready at t=0 without a clock = at(0): ${name}`, () => {
    const c = load(base + pod('web-1', probes));
    const p = c.realised.podByKey.get('shop/web-1')!;
    assert.equal(p.ready, readyAt0, 'the cluster without a clock');
    assert.equal(c.timeline({ until: 0 }).at(0).realised.podByKey.get('shop/web-1')!.ready, readyAt0, 'at(0)');
    if (!readyAt0) assert.equal(p.obj.status.conditions.find((x: any) => x.type === 'Ready').reason, 'ContainersNotReady');
  });
}

test('readiness gates: not Ready until the gate\'s condition is True (ReadinessGatesNotReady), then Ready from that moment', () => {
  const c = load(base + pod('web-1', '', '\n  readinessGates: [{conditionType: example.com/lb-registered}]'));
  const p = c.realised.podByKey.get('shop/web-1')!;
  assert.equal(p.ready, false);
  assert.match(JSON.stringify(p.obj.status.conditions), /ReadinessGatesNotReady.*corresponding condition of pod readiness gate \\"example.com\/lb-registered\\" does not exist/);
  const tl = c.timeline({ until: 60 * S, script: { apps: [], events: [{ at: 20 * S, kind: 'condition', type: 'example.com/lb-registered', status: true, target: { pod: 'shop/web-1' } }] } });
  assert.equal(tl.at(19 * S).realised.podByKey.get('shop/web-1')!.ready, false);
  const later = tl.at(20 * S).realised.podByKey.get('shop/web-1')!;
  assert.equal(later.ready, true);
  assert.equal(later.obj.status.conditions.find((x: any) => x.type === 'ContainersReady').status, 'True');
  assert.deepEqual(readyIPs(tl.at(20 * S)), [later.ip]);
});

test('deletion: the endpoint turns serving, terminating, not ready during the grace period; then the pod is gone', () => {
  const c = load(base + pod('web-1', readiness, '\n  terminationGracePeriodSeconds: 20'));
  const tl = c.timeline({ until: 120 * S, script: { apps: [{ target: { pod: 'shop/web-1' }, clock: 'pod', answers: [], sigterm: { ignore: true } }], events: [{ at: 60 * S, kind: 'delete', target: { pod: 'shop/web-1' } }] } });
  const at65 = tl.at(65 * S);
  const ep = [...at65.realised.slicesByService.get('shop/web')!].flatMap((s) => s.endpoints);
  assert.deepEqual(ep.map((e) => ({ ready: e.ready, serving: e.serving, terminating: e.terminating })), [{ ready: false, serving: true, terminating: true }]);
  assert.ok(at65.realised.podByKey.get('shop/web-1')!.obj.metadata.deletionTimestamp);
  assert.equal(tl.at(80 * S).realised.podByKey.has('shop/web-1'), false, 'SIGKILL at 80s: gone');
  assert.deepEqual(tl.events.filter((e) => e.probe === 'pod').map((e) => `${e.t / S} ${e.action}`), ['60 deleted', '60 not-ready', '80 gone']);
});

test('a script line that names no pod is a located error naming the pods there are', () => {
  const c = load(base + pod('web-1', readiness));
  assert.throws(() => c.timeline({ until: 10 * S, script: { apps: [{ target: { pod: 'shop/nope', pos: { file: 'app.yaml', line: 2, col: 3 } }, clock: 'pod', answers: [] }], events: [] } }),
    (e: any) => e.errors[0].code === 'NS-SCRIPT-NO-POD' && e.errors[0].pos.line === 2 && /shop\/web-1/.test(e.errors[0].hint));
});

test('a workload\'s name reaches its pods', () => {
  const c = load(base + `---
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
        image: nginx
        ports: [{containerPort: 8080}]
`);
  const tl = c.timeline({ pod: 'shop/web', until: 100 * S, script: { apps: [{ target: { pod: 'shop/web' }, clock: 'instance', answers: [], exit: { after: 30 * S, code: 1 } }], events: [] } });
  assert.equal(tl.pods.length, 2);
  assert.deepEqual(tl.events.filter((e) => e.action === 'exited').map((e) => e.t / S), [30, 30, 60, 60, 100, 100]);
});

test('stateful_set_control.go: a deleted StatefulSet pod comes back under the same name once the old one is gone (not before: the name is taken)', () => {
  const c = load(base + `---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web, namespace: shop}
spec:
  replicas: 1
  serviceName: web
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: nginx
        ports: [{containerPort: 8080}]
        readinessProbe:
          httpGet: {path: /ready, port: 8080}
          initialDelaySeconds: 5
`);
  const tl = c.timeline({ until: 60 * S, script: { apps: [{ target: { pod: 'shop/web-0' }, clock: 'instance', answers: [], sigterm: { ignore: true } }], events: [{ at: 10 * S, kind: 'delete', target: { pod: 'shop/web-0' } }] } });
  assert.deepEqual(tl.warnings.map((w) => w.code), []);
  assert.equal(tl.at(20 * S).realised.podByKey.get('shop/web-0')!.terminating, true);
  const again = tl.events.find((e) => e.action === 'created')!;
  assert.equal(again.t, 40 * S, 'SIGKILL after the 30 s grace period, then the same name again');
  const back = tl.at(41 * S).realised.podByKey.get('shop/web-0')!;
  assert.equal(back.terminating, false);
  assert.equal(back.ready, false, 'not Ready before its readiness probe passes');
  // worker.go: the first tick after initialDelaySeconds 5 is at periodSeconds 10 of the new instance
  assert.equal(tl.at(46 * S).realised.podByKey.get('shop/web-0')!.ready, false);
  assert.equal(tl.at(50 * S).realised.podByKey.get('shop/web-0')!.ready, true);
});

test('a deleted pod of a DaemonSet: its replacement is not simulated, and the timeline says so by name', () => {
  const c = load(base + `---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: shop}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: app, image: agent}]
`);
  const key = c.realised.pods.find((p) => p.ns === 'shop')!.key;
  const tl = c.timeline({ until: 20 * S, script: { apps: [], events: [{ at: 10 * S, kind: 'delete', target: { pod: key } }] } });
  assert.deepEqual(tl.warnings.map((w) => w.code), ['NS-REPLACEMENT-NOT-MODELLED']);
  assert.match(tl.warnings[0].message, /DaemonSet shop\/agent/);
});

test('at(t) is derived incrementally, and equals realising every object again', async () => {
  const { realise } = await import('../controllers');
  const { Diagnostics } = await import('../model/errors');
  const c = load(base + pod('web-1', readiness, '\n  terminationGracePeriodSeconds: 20') + pod('web-2', readiness) + pod('web-3', `    livenessProbe:\n      exec: {command: [x]}\n`, '\n  restartPolicy: Never'));
  const tl = c.timeline({ until: 120 * S, script: { apps: [
    { target: { pod: 'shop/web-1' }, clock: 'pod', answers: [], sigterm: { ignore: true } },
    { target: { pod: 'shop/web-2' }, clock: 'pod', answers: [{ probe: 'readiness', from: 30 * S, answer: { kind: 'fail' } }] },
    { target: { pod: 'shop/web-3' }, clock: 'pod', answers: [{ probe: 'liveness', from: 0, answer: { kind: 'fail' } }] },
  ], events: [{ at: 60 * S, kind: 'delete', target: { pod: 'shop/web-1' } }] } });
  const view = (r: any) => ({
    pods: r.pods.map((p: any) => `${p.key} ${p.ip} ready=${p.ready} ${p.phase} term=${p.terminating}`),
    byIP: [...r.podByIP.keys()].sort(),
    slices: [...r.slicesByService.entries()].map(([k, v]: any) => `${k}: ${v.flatMap((s: any) => s.endpoints.map((e: any) => `${e.addresses[0]} ${e.ready}/${e.serving}/${e.terminating}`)).join(', ')}`).sort(),
    objects: r.objects.map((o: any) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`).filter((x: string) => !x.startsWith('EndpointSlice')).sort(),
  });
  for (const t of [0, 45 * S, 65 * S, 100 * S]) {
    const full = realise(tl.objectsAt(t), c.realised.config, new Diagnostics());
    assert.deepEqual(view(tl.at(t).realised), view(full), `t=${t / S}s`);
  }
});

// ---- a probe on a port the pod does not declare -------------------------------------------------
// containerPort is informational (core/v1 types.go: "Not specifying a port here DOES NOT prevent
// that port from being exposed"), and stock manifests probe undeclared ports: ingress-nginx's
// controller probes /healthz on 10254 and declares 80, 443 and 8443.

test('ingress-nginx\'s controller probes 10254, which it does not declare: taken as its health endpoint, Ready at once, never restarted; the load says so at the probe\'s port', () => {
  const probes = `    livenessProbe:
      httpGet: {path: /healthz, port: 10254}
      failureThreshold: 5
    readinessProbe:
      httpGet: {path: /healthz, port: 10254}
`;
  const c = load(base + pod('web-1', probes));
  const p = c.realised.podByKey.get('shop/web-1')!;
  assert.equal(p.ready, true);
  assert.deepEqual(p.listening.get('TCP/10254'), { container: 'app', port: 10254, protocol: 'TCP', assumedFrom: 'livenessProbe' });
  const tl = c.timeline({ pod: 'shop/web-1', until: 300 * S });
  assert.deepEqual(tl.events.filter((e) => e.result === 'failure' || e.action === 'killed'), []);
  const w = c.warnings.filter((x) => x.code === 'NS-PROBE-PORT-UNDECLARED');
  assert.equal(w.length, 1, 'one warning for the port, though two probes name it');
  assert.match(w[0].message, /containers\[0\]\.livenessProbe probes TCP 10254, which no container of the pod declares/);
  assert.equal(w[0].pos?.file, 'probes.yaml');
  const r = c.connect({ from: 'node/node-b', to: p.ip, port: 10254 });
  assert.equal(r.verdict, 'delivered');
  assert.ok(r.hops.some((h) => /not declared in ports: assumed from its livenessProbe/.test(h.detail)));
  // a port neither declared nor probed is still refused
  assert.equal(c.connect({ from: 'node/node-b', to: p.ip, port: 10255 }).verdict, 'refused');
});

test('which probe ports count: numbers on the pod; not a declared port, not a port name, not another host', async () => {
  const { undeclaredProbePorts } = await import('../controllers/podspec');
  const declared = new Map([['TCP/8080', true]]);
  const ctr = (probe: object) => ({ name: 'app', ports: [{ name: 'http', containerPort: 8080 }], livenessProbe: probe });
  for (const [probe, want] of [
    [{ httpGet: { port: 9090 } }, [9090]],
    [{ grpc: { port: 9090 } }, [9090]],
    [{ httpGet: { port: 8080 } }, []], // declared
    [{ httpGet: { port: 'http' } }, []], // a declared name
    [{ httpGet: { port: 'metrics' } }, []], // an undeclared name resolves to nothing: no port to assume
    [{ httpGet: { port: 9090, host: '10.0.0.1' } }, []], // another host
    [{ exec: { command: ['true'] } }, []],
  ] as const) {
    assert.deepEqual(undeclaredProbePorts(ctr(probe), declared).map((u) => u.port), want, JSON.stringify(probe));
  }
});
