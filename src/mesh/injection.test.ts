import { test } from 'node:test';
import assert from 'node:assert/strict';
import { injectionDecision, hasSidecar } from './injection';
import { meshCluster } from './testkit';

// Istio docs, "Controlling the injection policy": if either label is disabled the pod is not
// injected; if either is enabled it is; neither: not injected (enableNamespacesByDefault false).
const CASES: [string, Record<string, string> | undefined, Record<string, string> | undefined, any, boolean][] = [
  ['namespace istio-injection=enabled injects', { 'istio-injection': 'enabled' }, undefined, {}, true],
  ['namespace istio.io/rev injects', { 'istio.io/rev': 'canary' }, undefined, {}, true],
  ['pod label sidecar.istio.io/inject=true injects in an unlabelled namespace', undefined, { 'sidecar.istio.io/inject': 'true' }, {}, true],
  ['pod label sidecar.istio.io/inject=false wins over the namespace label', { 'istio-injection': 'enabled' }, { 'sidecar.istio.io/inject': 'false' }, {}, false],
  ['namespace istio-injection=disabled wins over the pod label', { 'istio-injection': 'disabled' }, { 'sidecar.istio.io/inject': 'true' }, {}, false],
  ['hostNetwork pods are never injected', { 'istio-injection': 'enabled' }, undefined, { hostNetwork: true }, false],
  ['neither label: not injected', undefined, undefined, {}, false],
];

for (const [name, nsLabels, podLabels, spec, want] of CASES) {
  test(`injection: ${name}`, () => {
    assert.equal(injectionDecision({ name: 'p', namespace: 'shop', labels: podLabels }, spec, nsLabels).inject, want);
  });
}

test('injection: kube-system is one of the injector ignored namespaces', () => {
  assert.equal(injectionDecision({ name: 'p', namespace: 'kube-system', labels: { 'sidecar.istio.io/inject': 'true' } }, {}, undefined).inject, false);
});

test('injection adds istio-init (istio-iptables -p 15001 -z 15006 -u 1337) and istio-proxy (15090, readiness on 15021) to pods made from a Deployment', () => {
  const c = meshCluster();
  const pod = c.realised.pods.find((p) => p.ns === 'shop' && p.labels.version === 'v1')!;
  assert.ok(hasSidecar(pod));
  assert.deepEqual(pod.containers, ['reviews', 'istio-proxy']);
  const spec = pod.obj.spec;
  const init = spec.initContainers.find((x: any) => x.name === 'istio-init');
  assert.deepEqual(init.args.slice(0, 9), ['istio-iptables', '-p', '15001', '-z', '15006', '-u', '1337', '-m', 'REDIRECT']);
  assert.ok(init.securityContext.capabilities.add.includes('NET_ADMIN'));
  const proxy = spec.containers.find((x: any) => x.name === 'istio-proxy');
  assert.deepEqual(proxy.ports, [{ containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' }]);
  assert.equal(proxy.readinessProbe.httpGet.port, 15021);
  assert.equal(proxy.securityContext.runAsUser, 1337);
  assert.equal(pod.labels['security.istio.io/tlsMode'], 'istio');
  assert.equal(pod.labels['service.istio.io/canonical-name'], 'reviews');
  assert.ok(pod.obj.metadata.annotations?.['sidecar.istio.io/status']);
  // Envoy and the agent listen beside the app
  for (const port of [15001, 15006, 15020, 15021, 15090]) assert.ok(pod.listening.has(`TCP/${port}`), `listens on ${port}`);
  // the legacy namespace is not injected
  assert.equal(hasSidecar(c.realised.podByKey.get('legacy/job')!), false);
});

test('injection rewrites HTTP probes to the agent on 15020 (/app-health/CONTAINER/readyz) and keeps the original in ISTIO_KUBE_APP_PROBERS', () => {
  const c = meshCluster(`apiVersion: v1
kind: Pod
metadata: {name: probed, namespace: shop}
spec: {nodeName: node-a, containers: [{name: api, image: x, ports: [{containerPort: 8080}], readinessProbe: {httpGet: {path: /ready, port: 8080}}}]}`);
  const pod = c.realised.podByKey.get('shop/probed')!;
  const api = pod.obj.spec.containers[0];
  assert.deepEqual(api.readinessProbe.httpGet, { path: '/app-health/api/readyz', port: 15020, scheme: 'HTTP' });
  const env = pod.obj.spec.containers[1].env.find((e: any) => e.name === 'ISTIO_KUBE_APP_PROBERS');
  assert.deepEqual(JSON.parse(env.value)['/app-health/api/readyz'].httpGet, { path: '/ready', port: 8080 });
});

test('injection with sidecar.istio.io/nativeSidecar: istio-proxy is an init container with restartPolicy Always', () => {
  const c = meshCluster(`apiVersion: v1
kind: Pod
metadata: {name: native, namespace: shop, annotations: {sidecar.istio.io/nativeSidecar: "true"}}
spec: {nodeName: node-a, containers: [{name: api, image: x}]}`);
  const pod = c.realised.podByKey.get('shop/native')!;
  assert.deepEqual(pod.obj.spec.initContainers.map((x: any) => [x.name, x.restartPolicy]), [['istio-init', undefined], ['istio-proxy', 'Always']]);
  assert.deepEqual(pod.obj.spec.containers.map((x: any) => x.name), ['api']);
  assert.ok(pod.containers.includes('istio-proxy'));
});

test('under STRICT mTLS the kubelet\'s rewritten HTTP probe reaches the agent on 15020 (never redirected) and passes', () => {
  const c = meshCluster(`apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: shop}
spec: {mtls: {mode: STRICT}}
---
apiVersion: v1
kind: Pod
metadata: {name: probed, namespace: shop}
spec: {nodeName: node-a, containers: [{name: api, image: x, ports: [{containerPort: 8080}], readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 5}}]}`);
  const tl = c.timeline({ pod: 'shop/probed', until: 30000 });
  const probes = tl.events.filter((e) => e.probe === 'readiness');
  assert.ok(probes.length >= 3, 'the probe ran');
  assert.ok(probes.every((e) => !/fail|refused/i.test(e.hop.detail)), probes.map((e) => e.hop.detail).join('\n'));
  assert.ok(probes.some((e) => /15020\/app-health\/api\/readyz/.test(e.hop.detail)), probes[0].hop.detail);
  // the same kubelet connection to the app's own port would be plaintext into STRICT: refused
  const direct = c.connect({ from: 'node/node-a', to: c.realised.podByKey.get('shop/probed')!.ip, port: 8080 });
  assert.equal(direct.verdict, 'refused');
});
