import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../model/types';
import { deployment, located, node, pod, run, service } from './testkit';

const svc = (extra: any = {}) => service('web', 'shop', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }], ...extra });
const webPod = (name: string, o: any = {}) => pod(name, { ns: 'shop', labels: { app: 'web' }, nodeName: 'a', ...o });

test('the EndpointSlice controller: one slice <service>-<5 chars> with the service-name and managed-by labels, owned by the Service', () => {
  const { r } = run([node('a', { labels: { 'topology.kubernetes.io/zone': 'eu-1a' } }), webPod('p1'), webPod('p2'), pod('other', { ns: 'shop', labels: { app: 'db' }, nodeName: 'a' })]
    .concat([svc()]));
  const slices = r.slicesByService.get('shop/web')!;
  assert.equal(slices.length, 1);
  const s = slices[0];
  assert.match(s.obj.metadata.name, /^web-[a-z0-9]{5}$/);
  assert.equal(s.obj.metadata.labels!['kubernetes.io/service-name'], 'web');
  assert.equal(s.obj.metadata.labels!['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
  assert.equal(s.obj.metadata.ownerReferences![0].kind, 'Service');
  assert.equal(s.obj.addressType, 'IPv4');
  assert.equal(s.managed, true);
  assert.equal(s.service, 'shop/web');
  assert.deepEqual(s.endpoints.map((e) => e.pod!.name), ['p1', 'p2']);
  const e = (s.obj as any).endpoints[0];
  assert.deepEqual(e.addresses, [r.podByKey.get('shop/p1')!.ip]);
  assert.deepEqual(e.conditions, { ready: true, serving: true, terminating: false });
  assert.equal(e.nodeName, 'a');
  assert.equal(e.zone, 'eu-1a');
  assert.deepEqual(e.targetRef, { kind: 'Pod', namespace: 'shop', name: 'p1', uid: r.podByKey.get('shop/p1')!.obj.metadata.uid });
  assert.deepEqual((s.obj as any).ports, [{ name: '', port: 8080, protocol: 'TCP' }]);
  assert.ok(r.objects.includes(s.obj));
});

test('slices copy the Service\'s labels except the reserved ones: a service.kubernetes.io/headless label on a Service with a cluster IP is not copied (setEndpointSliceLabels / isReservedLabelKey)', () => {
  const s = svc();
  s.metadata.labels = { team: 'x', 'service.kubernetes.io/headless': '' };
  const { r } = run([node('a'), webPod('p1'), s]);
  const labels = r.slicesByService.get('shop/web')![0].obj.metadata.labels!;
  assert.equal(labels.team, 'x');
  assert.equal('service.kubernetes.io/headless' in labels, false);
});

test('only pods of the service\'s namespace are selected', () => {
  const { r } = run([node('a'), webPod('p1'), pod('p2', { ns: 'other', labels: { app: 'web' }, nodeName: 'a' }), svc()]);
  assert.deepEqual(r.slicesByService.get('shop/web')![0].endpoints.map((e) => e.pod!.key), ['shop/p1']);
});

test('endpoint conditions: not ready → ready false, serving false; terminating → ready false, serving per readiness, terminating true', () => {
  const { r } = run([node('a'), svc(),
    webPod('ok'),
    webPod('unready', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } }),
    webPod('leaving', { deletionTimestamp: '2024-01-01T00:00:00Z' }),
  ]);
  const c = Object.fromEntries(r.slicesByService.get('shop/web')![0].endpoints.map((e) => [e.pod!.name, [e.ready, e.serving, e.terminating]]));
  assert.deepEqual(c, { ok: [true, true, false], unready: [false, false, false], leaving: [false, true, true] });
});

test('publishNotReadyAddresses makes every endpoint ready, terminating ones too; serving still is the pod\'s Ready condition', () => {
  // staging/src/k8s.io/endpointslice/utils.go podToEndpoint: serving := IsPodReady(pod);
  // ready := service.Spec.PublishNotReadyAddresses || (serving && !terminating)
  const { r } = run([node('a'), svc({ publishNotReadyAddresses: true }),
    webPod('unready', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } }),
    webPod('leaving', { deletionTimestamp: '2024-01-01T00:00:00Z' }),
  ]);
  const c = r.slicesByService.get('shop/web')![0].endpoints.map((e) => [e.pod!.name, e.ready, e.serving, e.terminating]);
  assert.deepEqual(c, [['leaving', true, true, true], ['unready', true, false, false]]);
  const conds = (r.slicesByService.get('shop/web')![0].obj as any).endpoints.map((e: any) => e.conditions);
  assert.deepEqual(conds, [{ ready: true, serving: true, terminating: true }, { ready: true, serving: false, terminating: false }]);
});

test('zone is set only when the node\'s topology.kubernetes.io/zone label is non-empty (podToEndpoint)', () => {
  const { r } = run([node('a', { labels: { 'topology.kubernetes.io/zone': '' } }), svc(), webPod('p1')]);
  const e = (r.slicesByService.get('shop/web')![0].obj as any).endpoints[0];
  assert.equal('zone' in e, false);
  assert.equal(r.slicesByService.get('shop/web')![0].endpoints[0].zone, undefined);
});

test('pods without an IP, unscheduled or finished are left out', () => {
  const { r } = run([node('a'), svc(),
    webPod('ok'),
    webPod('done', { status: { phase: 'Succeeded' } }),
    pod('pending', { ns: 'shop', labels: { app: 'web' }, nodeSelector: { no: 'such' } }),
  ]);
  assert.deepEqual(r.slicesByService.get('shop/web')![0].endpoints.map((e) => e.pod!.name), ['ok']);
});

test('a service selecting nothing keeps one placeholder slice with no endpoints', () => {
  const { r } = run([node('a'), svc()]);
  const s = r.slicesByService.get('shop/web')!;
  assert.equal(s.length, 1);
  assert.deepEqual(s[0].endpoints, []);
  assert.deepEqual(s[0].ports, []);
});

test('named targetPort is resolved per pod; pods lacking the name are grouped apart, left out of that port', () => {
  const s = service('web', 'shop', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9090, targetPort: 9090 }] });
  const { r } = run([node('a'), s,
    webPod('v1', { ports: [{ containerPort: 8080, name: 'http' }] }),
    webPod('v2', { ports: [{ containerPort: 9376, name: 'http' }] }),
    webPod('bare', { ports: [{ containerPort: 8080 }] }),
    webPod('udp', { ports: [{ containerPort: 8080, name: 'http', protocol: 'UDP' }] }),
  ]);
  const got = r.slicesByService.get('shop/web')!.map((sl) => [sl.endpoints.map((e) => e.pod!.name).join(','), sl.ports.map((p) => `${p.name}:${p.port}`).join(',')]).sort();
  assert.deepEqual(got, [
    ['bare,udp', 'metrics:9090'], // the name must match with the service port's protocol too
    ['v1', 'http:8080,metrics:9090'],
    ['v2', 'http:9376,metrics:9090'],
  ]);
});

test('endpoint hostname is set when the pod\'s subdomain is the service (StatefulSet + headless service)', () => {
  const sts = located({
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'pg', namespace: 'db' },
    spec: { replicas: 2, serviceName: 'pg', selector: { matchLabels: { app: 'pg' } }, template: { metadata: { labels: { app: 'pg' } }, spec: { containers: [{ name: 'db', image: 'pg', ports: [{ containerPort: 5432 }] }] } } },
  });
  const headless = service('pg', 'db', { clusterIP: 'None', selector: { app: 'pg' }, ports: [{ port: 5432 }] });
  const other = service('pg-any', 'db', { selector: { app: 'pg' }, ports: [{ port: 5432 }] });
  const { r } = run([node('a'), sts, headless, other]);
  const sl = r.slicesByService.get('db/pg')![0];
  assert.deepEqual(sl.endpoints.map((e) => e.hostname), ['pg-0', 'pg-1']);
  assert.equal(sl.obj.metadata.labels!['service.kubernetes.io/headless'], '');
  assert.deepEqual(r.slicesByService.get('db/pg-any')![0].endpoints.map((e) => e.hostname), [undefined, undefined]);
});

test('endpoint hostname needs both pod.spec.hostname and pod.spec.subdomain == the service name (ShouldSetHostname)', () => {
  // staging/src/k8s.io/endpointslice/util/controller_utils.go ShouldSetHostname:
  // len(pod.Spec.Hostname) > 0 && pod.Spec.Subdomain == svc.Name && svc.Namespace == pod.Namespace
  const { r } = run([node('a'), svc(),
    webPod('both', { hostname: 'h1', subdomain: 'web' }),
    webPod('nohost', { subdomain: 'web' }),
    webPod('othersub', { hostname: 'h3', subdomain: 'other' }),
  ]);
  const obj = (r.slicesByService.get('shop/web')![0].obj as any).endpoints;
  const byPod = Object.fromEntries(obj.map((e: any) => [e.targetRef.name, e.hostname]));
  assert.deepEqual(byPod, { both: 'h1', nohost: undefined, othersub: undefined });
});

test('at most 100 endpoints a slice (--max-endpoints-per-slice): 250 pods make 3 slices', () => {
  const { r } = run([node('a'), node('b'), node('c'), deployment('web', 'shop', 250, { app: 'web' }), svc()], { nodeCidrMaskSizeV4: 23 });
  const sl = r.slicesByService.get('shop/web')!;
  assert.deepEqual(sl.map((s) => s.endpoints.length), [100, 100, 50]);
  assert.equal(new Set(sl.map((s) => s.obj.metadata.name)).size, 3);
});

test('hand-made EndpointSlices attach through the kubernetes.io/service-name label only', () => {
  const ext = service('ext', 'shop', { ports: [{ name: 'pg', port: 5432 }] });
  const mk = (name: string, labels: Record<string, string>): KObject => located({
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name, namespace: 'shop', labels }, addressType: 'IPv4',
    endpoints: [{ addresses: ['192.0.2.10'] }, { addresses: ['192.0.2.11'], conditions: { ready: false } }], ports: [{ name: 'pg', port: 5432 }],
  });
  const { r, diag } = run([ext, mk('ext-1', { 'kubernetes.io/service-name': 'ext' }), mk('stray', { app: 'ext' })]);
  const sl = r.slicesByService.get('shop/ext')!;
  assert.deepEqual(sl.map((s) => s.obj.metadata.name), ['ext-1']);
  assert.equal(sl[0].managed, false);
  // a missing ready or serving condition means true, as kube-proxy reads it (pkg/proxy/endpointslicecache.go)
  assert.deepEqual(sl[0].endpoints.map((e) => [e.addresses[0], e.ready, e.serving]), [['192.0.2.10', true, true], ['192.0.2.11', false, true]]);
  assert.deepEqual(sl[0].ports, [{ name: 'pg', port: 5432, protocol: 'TCP' }]);
  assert.ok(diag.warnings.some((w) => w.code === 'NS-SLICE-UNATTACHED' && /stray/.test(w.message)));
});

test('the mirroring controller turns a selector-less service\'s Endpoints into slices <service>-<5 chars>', () => {
  const ext = service('legacy', 'shop', { ports: [{ name: 'http', port: 80 }] });
  const eps = located({
    apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'legacy', namespace: 'shop', labels: { team: 'x' } },
    subsets: [{ addresses: [{ ip: '192.0.2.1' }, { ip: '2001:db8::1' }], notReadyAddresses: [{ ip: '192.0.2.2' }], ports: [{ name: 'http', port: 8080 }] }],
  } as KObject);
  const { r, diag } = run([ext, eps]);
  assert.deepEqual(diag.errors, []);
  const sl = r.slicesByService.get('shop/legacy')!;
  assert.deepEqual(sl.map((s) => s.addressType), ['IPv4', 'IPv6']);
  for (const s of sl) {
    assert.match(s.obj.metadata.name, /^legacy-[a-z0-9]{5}$/);
    assert.equal(s.obj.metadata.labels!['endpointslice.kubernetes.io/managed-by'], 'endpointslicemirroring-controller.k8s.io');
    assert.equal(s.obj.metadata.labels!['kubernetes.io/service-name'], 'legacy');
    assert.equal(s.obj.metadata.labels!.team, 'x');
    assert.equal(s.managed, false);
    assert.deepEqual(s.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  }
  assert.deepEqual(sl[0].endpoints.map((e) => [e.addresses[0], e.ready]), [['192.0.2.1', true], ['192.0.2.2', false]]);
});

test('mirrored endpoints carry nodeName and hostname but no zone (endpointslicemirroring addressToEndpoint)', () => {
  const ext = service('legacy', 'shop', { ports: [{ name: 'http', port: 80 }] });
  const eps = located({
    apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'legacy', namespace: 'shop' },
    subsets: [{ addresses: [{ ip: '192.0.2.1', nodeName: 'a', hostname: 'h' }], ports: [{ name: 'http', port: 8080 }] }],
  } as KObject);
  const { r } = run([node('a', { labels: { 'topology.kubernetes.io/zone': 'eu-1a' } }), ext, eps]);
  const e = (r.slicesByService.get('shop/legacy')![0].obj as any).endpoints[0];
  assert.deepEqual(e, { addresses: ['192.0.2.1'], conditions: { ready: true }, hostname: 'h', nodeName: 'a' });
});

test('a service with a selector ignores hand-made Endpoints (with a warning)', () => {
  const eps = located({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'shop' }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 80 }] }] } as KObject);
  const { r, diag } = run([node('a'), svc(), webPod('p1'), eps]);
  const addrs = r.slicesByService.get('shop/web')!.flatMap((s) => s.endpoints.map((e) => e.addresses[0]));
  assert.deepEqual(addrs, [r.podByKey.get('shop/p1')!.ip]);
  assert.ok(diag.warnings.some((w) => w.code === 'NS-ENDPOINTS-IGNORED'));
});

test('hostNetwork pods are endpoints at their node\'s address', () => {
  const { r } = run([node('a'), svc(), webPod('h', { hostNetwork: true })]);
  assert.deepEqual(r.slicesByService.get('shop/web')![0].endpoints.map((e) => e.addresses[0]), [r.nodes[0].ip]);
});
