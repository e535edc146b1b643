import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../cluster';
import { kubeProxyHttp, localReadyEndpoints, proxyHealthz } from './healthcheck';

const load = (extra = '') => Cluster.load([{ name: 'hc.yaml', text: `apiVersion: v1
kind: Node
metadata: {name: node-a}
---
apiVersion: v1
kind: Node
metadata: {name: node-b}
---
apiVersion: v1
kind: Node
metadata: {name: node-c}
spec: {taints: [{key: ToBeDeletedByClusterAutoscaler, value: "1700000000", effect: NoSchedule}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: shop, labels: {app: web}}
spec: {nodeName: node-a, containers: [{name: app, image: x, ports: [{containerPort: 8080}, {containerPort: 8443}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  healthCheckNodePort: 32100
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}, {name: https, port: 443, targetPort: 8443}]
${extra}` }]);

test('service_health.go hcHandler: 200 with a local ready endpoint, 503 without; JSON body, nosniff', () => {
  const c = load();
  const [a, b] = [c.realised.nodeByName.get('node-a')!, c.realised.nodeByName.get('node-b')!];
  const ok = kubeProxyHttp(c.realised, a.ip, 32100, '/anything')!;
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.headers, { 'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff' });
  // LocalReadyEndpoints squashes by IP: one pod serving two service ports is one endpoint
  assert.deepEqual(JSON.parse(ok.body), { service: { namespace: 'shop', name: 'web' }, localEndpoints: 1, serviceProxyHealthy: true });
  const bad = kubeProxyHttp(c.realised, b.ip, 32100, '/')!;
  assert.equal(bad.status, 503);
  assert.equal(JSON.parse(bad.body).localEndpoints, 0);
  assert.equal(localReadyEndpoints(c.realised, c.realised.serviceByKey.get('shop/web')!, 'node-a'), 1);
  // no server on another port, nor on an address that is no node's
  assert.equal(kubeProxyHttp(c.realised, a.ip, 32101, '/'), undefined);
  assert.equal(kubeProxyHttp(c.realised, '203.0.113.1', 32100, '/'), undefined);
});

test('service_health.go: a not-ready endpoint is not counted (getLocalReadyEndpointIPs skips !IsReady)', () => {
  const c = load(`---
apiVersion: v1
kind: Pod
metadata: {name: web-2, namespace: shop, labels: {app: web}}
spec: {nodeName: node-b, containers: [{name: app, image: x, ports: [{containerPort: 8080}]}]}
status: {phase: Running, podIP: 10.244.1.9, conditions: [{type: Ready, status: "False"}]}
`);
  const b = c.realised.nodeByName.get('node-b')!;
  assert.equal(kubeProxyHttp(c.realised, b.ip, 32100, '/')!.status, 503);
});

test('proxy_health.go: /healthz 200 on an eligible node, 503 on one tainted ToBeDeletedByClusterAutoscaler; other paths 404', () => {
  const c = load();
  const [a, cc] = [c.realised.nodeByName.get('node-a')!, c.realised.nodeByName.get('node-c')!];
  assert.equal(proxyHealthz(a, '/healthz').status, 200);
  assert.match(proxyHealthz(a, '/healthz').body, /"nodeEligible": true/);
  const d = proxyHealthz(cc, '/healthz');
  assert.equal(d.status, 503);
  assert.match(d.detail, /ToBeDeletedByClusterAutoscaler/);
  assert.equal(proxyHealthz(cc, '/livez').status, 200);
  assert.equal(proxyHealthz(a, '/metrics').status, 404);
});

test('Cluster.request to NODEIP:healthCheckNodePort is answered by kube-proxy, whatever Ingresses exist', () => {
  const c = load();
  const a = c.realised.nodeByName.get('node-b')!;
  const r = c.request({ url: `http://${a.ip}:32100/` });
  assert.equal(r.outcome, 'answered');
  assert.equal(r.status, 503);
  assert.equal(r.answeredBy?.service, 'shop/web');
  assert.deepEqual(r.hops.map((h) => h.action), ['query', 'answer']);
});
