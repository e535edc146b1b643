// Service environment variables as the kubelet sets them (pkg/kubelet/envvars, kubelet_pods.go).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerEnv, envName, expand, serviceEnv } from './env';
import { clusterOf, pod, svc } from './testkit';

const yaml = [
  svc('shop', 'my-web', { clusterIP: '10.96.0.20', selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }, { name: 'metrics', port: 9090, protocol: 'UDP' }] }),
  svc('shop', 'db', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] }),
  svc('shop', 'ext', { type: 'ExternalName', externalName: 'x.example' }),
  svc('blog', 'other', { clusterIP: '10.96.0.30', selector: { app: 'o' }, ports: [{ port: 80 }] }),
  pod('shop', 'client', { spec: { containers: [{ name: 'app', image: 'a', env: [{ name: 'MY_WEB_SERVICE_HOST', value: 'override' }, { name: 'URL', value: 'http://$(MY_WEB_SERVICE_HOST):$(MY_WEB_SERVICE_PORT)/$(NOPE)$$(LIT)' }, { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }, { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }] }, { name: 'side', image: 's' }] }, ip: '10.244.0.9' }),
  pod('shop', 'quiet', { spec: { enableServiceLinks: false } }),
  pod('blog', 'reader'),
].join('');
const cluster = clusterOf(yaml);
const env = (key: string, c?: string) => containerEnv(cluster.realised, cluster.realised.podByKey.get(key)!, c).env;

test('names: upper case, dashes to underscores', () => {
  assert.equal(envName('my-web'), 'MY_WEB');
});

test('FromServices: HOST, PORT, named ports, the Docker link variables, in the kubelet\'s order', () => {
  const s = cluster.realised.serviceByKey.get('shop/my-web')!;
  assert.deepEqual(serviceEnv(s), [
    ['MY_WEB_SERVICE_HOST', '10.96.0.20'], ['MY_WEB_SERVICE_PORT', '80'], ['MY_WEB_SERVICE_PORT_HTTP', '80'], ['MY_WEB_SERVICE_PORT_METRICS', '9090'],
    ['MY_WEB_PORT', 'tcp://10.96.0.20:80'],
    ['MY_WEB_PORT_80_TCP', 'tcp://10.96.0.20:80'], ['MY_WEB_PORT_80_TCP_PROTO', 'tcp'], ['MY_WEB_PORT_80_TCP_PORT', '80'], ['MY_WEB_PORT_80_TCP_ADDR', '10.96.0.20'],
    ['MY_WEB_PORT_9090_UDP', 'udp://10.96.0.20:9090'], ['MY_WEB_PORT_9090_UDP_PROTO', 'udp'], ['MY_WEB_PORT_9090_UDP_PORT', '9090'], ['MY_WEB_PORT_9090_UDP_ADDR', '10.96.0.20'],
  ]);
});

test('the pod\'s namespace only, plus the kubernetes service; none for headless or ExternalName services', () => {
  const e = env('shop/client', 'side');
  assert.equal(e.MY_WEB_SERVICE_HOST, '10.96.0.20');
  assert.equal(e.KUBERNETES_SERVICE_HOST, '10.96.0.1');
  assert.equal(e.KUBERNETES_SERVICE_PORT_HTTPS, '443');
  assert.ok(!Object.keys(e).some((k) => k.startsWith('DB_') || k.startsWith('EXT_') || k.startsWith('OTHER_')));
  assert.equal(env('blog/reader').OTHER_SERVICE_HOST, '10.96.0.30');
});

test('enableServiceLinks: false keeps only the kubernetes service', () => {
  const e = env('shop/quiet');
  assert.equal(e.KUBERNETES_SERVICE_HOST, '10.96.0.1');
  assert.ok(!Object.keys(e).some((k) => k.startsWith('MY_WEB')));
});

test('the container\'s env wins; $(VAR) expands against earlier variables and service variables; fieldRefs', () => {
  const e = env('shop/client');
  assert.equal(e.MY_WEB_SERVICE_HOST, 'override');
  assert.equal(e.URL, 'http://override:80/$(NOPE)$(LIT)');
  assert.equal(e.POD_IP, '10.244.0.9');
  assert.equal(e.NS, 'shop');
});

test('expand: $$ escapes, unknown references stay, unterminated ones stay', () => {
  const m = (n: string) => ({ A: 'x' } as Record<string, string>)[n];
  assert.equal(expand('$(A)-$$(A)-$(B)-$(A', m), 'x-$(A)-$(B)-$(A');
});
