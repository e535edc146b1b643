import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manifestDir, runCli as run, yamlDocs } from '../testkit';

const m = manifestDir({ 'app.yaml': yamlDocs(`apiVersion: v1
kind: Node
metadata: {name: node-a}
`, `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {nodeName: node-a, containers: [{name: app, image: x, ports: [{containerPort: 8080}]}]}
`, `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: 8080}]}
`, `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: k8s.io/ingress-nginx}
`, `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  ingressClassName: nginx
  tls: [{hosts: [shop.example.com], secretName: missing}]
  rules:
  - host: shop.example.com
    http: {paths: [{path: /cart, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}]}
`) });

test('request --url: the outcome and the trace; -o json carries status, backend and hops', async () => {
  const r = await run('request', '-f', m, '--url', 'https://shop.example.com/cart/1');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /200 routed \(service shop\/web port http, TLS default certificate\)/);
  assert.match(r.out, /ingress\/nginx: .*Prefix "\/cart"/);
  const j = JSON.parse((await run('request', '-f', m, '--url', 'http://shop.example.com/cart', '-o', 'json')).out);
  assert.equal(j.outcome, 'redirect');
  assert.equal(j.status, 308);
  assert.equal(j.location, 'https://shop.example.com/cart');
  assert.ok(Array.isArray(j.hops) && j.hops.length > 0);
  const nf = JSON.parse((await run('request', '-f', m, '--url', 'https://shop.example.com/x', '-o', 'json')).out);
  assert.equal(nf.status, 404);
});

test('request: bad usage and bad URLs exit 2', async () => {
  assert.equal((await run('request', '-f', m)).code, 2);
  const bad = await run('request', '-f', m, '--url', 'not a url');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /NS-BAD-URL/);
  assert.equal((await run('request', '-f', m, '--url', 'http://a/', '--class', 'nope')).code, 2);
});

test('request --method, --header, --no-host: the request the backend receives; bad headers exit 2', async () => {
  const j = JSON.parse((await run('request', '-f', m, '--url', 'https://shop.example.com/cart/1?x=1', '-X', 'put', '-H', 'X-Team: web', '-o', 'json')).out);
  assert.equal(j.request.method, 'PUT');
  assert.equal(j.forwarded.method, 'PUT');
  assert.equal(j.forwarded.uri, '/cart/1?x=1');
  assert.equal(j.forwarded.headers['x-team'], 'web');
  assert.equal(j.forwarded.headers['x-forwarded-proto'], 'https');
  const text = await run('request', '-f', m, '--url', 'https://shop.example.com/cart/1', '--method', 'POST');
  assert.match(text.out, /the backend receives: POST \/cart\/1 \(HTTP, Host: shop\.example\.com\)/);
  const none = JSON.parse((await run('request', '-f', m, '--url', 'http://shop.example.com/cart', '--no-host', '--http-version', '1.0', '-o', 'json')).out);
  assert.equal(none.request.host, null);
  assert.equal(none.status, 404);
  assert.equal((await run('request', '-f', m, '--url', 'http://a/', '--header', 'no colon')).code, 2);
  const bad = await run('request', '-f', m, '--url', 'http://a/', '--header', 'Bad Name: x');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /NS-BAD-HEADER/);
});

test('request to a node address and a healthCheckNodePort: kube-proxy answers with the HTTP status (--expect checks it)', async () => {
  const lb = manifestDir({ 'lb.yaml': yamlDocs(`apiVersion: v1
kind: Node
metadata: {name: node-a}
`, `apiVersion: v1
kind: Node
metadata: {name: node-b}
`, `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {nodeName: node-a, containers: [{name: app, image: x, ports: [{containerPort: 8080}]}]}
`, `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {type: LoadBalancer, externalTrafficPolicy: Local, healthCheckNodePort: 32100, selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
`) });
  const a = await run('request', '-f', lb, '--url', 'http://172.18.0.2:32100/', '--expect', '200');
  assert.equal(a.code, 0, a.err);
  assert.match(a.out, /200 answered \(kube-proxy on node node-a, health check of service shop\/web\)/);
  assert.match(a.out, /"localEndpoints": 1/);
  const b = JSON.parse((await run('request', '-f', lb, '--url', 'http://172.18.0.3:32100/', '-o', 'json')).out);
  assert.equal(b.status, 503);
  assert.equal(b.response.headers['Content-Type'], 'application/json');
  assert.equal((await run('request', '-f', lb, '--url', 'http://172.18.0.3:32100/', '--expect', '200')).code, 1);
  const c = await run('connect', '-f', lb, '--from', 'external:203.0.113.9', '--to', '172.18.0.3', '--port', '32100');
  assert.match(c.out, /503, no local ready endpoint/);
  assert.equal((await run('request', '-f', lb, '--url', 'http://172.18.0.2:10256/healthz', '--expect', '200')).code, 0);
});
