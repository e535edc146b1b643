// ingress-nginx behaviour, each fact from its source: docs/user-guide/nginx-configuration/
// annotations.md and ingress-path-matching.md, internal/ingress/controller/controller.go
// (updateServerLocations, location sort), rootfs/etc/nginx/template/nginx.tmpl (buildLocation,
// buildProxyPass, enforceRegexModifier, app-root, proxy_set_header), and nginx's own location rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../cluster';
import { renderHops } from '../net/trace';
import { decideCanary, normaliseUri, rewrite } from './nginx';

const BASE = `
apiVersion: v1
kind: Node
metadata: {name: node-a}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx, annotations: {ingressclass.kubernetes.io/is-default-class: "true"}}
spec: {controller: k8s.io/ingress-nginx}
`;

function app(name: string): string {
  return `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: shop, labels: {app: ${name}}}
spec: {nodeName: node-a, containers: [{name: app, image: x, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop}
spec: {selector: {app: ${name}}, ports: [{port: 80, targetPort: 8080}]}
`;
}

function ing(name: string, annotations: Record<string, string>, paths: [string, string, string][], host = 'shop.example.com', extra = ''): string {
  const ann = Object.entries(annotations).map(([k, v]) => `nginx.ingress.kubernetes.io/${k}: ${JSON.stringify(v)}`).join(', ');
  return `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}, namespace: shop, annotations: {${ann}}}
spec:
  ingressClassName: nginx
${extra}  rules:
  - host: ${host}
    http:
      paths:
${paths.map(([p, t, svc]) => `      - {path: ${JSON.stringify(p)}, pathType: ${t}, backend: {service: {name: ${svc}, port: {number: 80}}}}`).join('\n')}
`;
}

function load(...docs: string[]): Cluster {
  return Cluster.load([{ text: BASE + app('api') + app('api-v2') + app('web') + docs.join(''), name: 'n.yaml' }]);
}

test('nginx URI normalisation: decoded, slashes merged, "." and ".." resolved', () => {
  assert.equal(normaliseUri('/a//b/./c/../d'), '/a/b/d');
  assert.equal(normaliseUri('/a/%62'), '/a/b');
  assert.equal(normaliseUri('/a/..'), '/');
});

test('rewrite-target: the whole URI becomes the target with $N from the path regex; the query string is appended', () => {
  assert.deepEqual(rewrite('/api(/|$)(.*)', '/$2', '/api/v1/items', 'a=1'), { uri: '/v1/items?a=1', matched: true });
  assert.deepEqual(rewrite('/api', '/', '/api/v1/items', ''), { uri: '/', matched: true });
  assert.deepEqual(rewrite('/API(/|$)(.*)', '/x/$2', '/api/y', ''), { uri: '/x/y', matched: true }, '(?i): case-insensitive');
  assert.deepEqual(rewrite('/api', '/new?x=1', '/api', 'a=1'), { uri: '/new?x=1', matched: true }, 'a "?" in the target drops the original arguments');
});

test('canary precedence (annotations.md "Canary"): header, then cookie, then weight; "always"/"never"; header-value', () => {
  const c = { header: 'X-Canary', cookie: 'canary', weight: 0, weightTotal: 100 };
  const h = (o: Record<string, string>) => new Map(Object.entries(o));
  assert.equal(decideCanary(c, h({ 'x-canary': 'always' })).canary, true);
  assert.equal(decideCanary(c, h({ 'x-canary': 'never', cookie: 'canary=always' })).canary, false);
  assert.equal(decideCanary(c, h({ 'x-canary': 'maybe', cookie: 'a=b; canary=always' })).by, 'cookie');
  assert.equal(decideCanary({ ...c, weight: 100 }, h({})).canary, true);
  assert.equal(decideCanary({ ...c, weight: 30 }, h({})).by, 'weight');
  assert.equal(decideCanary({ ...c, headerValue: 'v2' }, h({ 'x-canary': 'v2' })).canary, true);
  assert.equal(decideCanary({ ...c, headerValue: 'v2' }, h({ 'x-canary': 'always' })).canary, false, 'with canary-by-header-value only that value routes to the canary');
});

test('acceptance: POST with X-Canary: always reaches the canary backend, with the main Ingress\'s rewrite-target applied', () => {
  const c = load(
    ing('api', { 'rewrite-target': '/$2' }, [['/api(/|$)(.*)', 'ImplementationSpecific', 'api']]),
    ing('api-canary', { canary: 'true', 'canary-by-header': 'X-Canary' }, [['/api(/|$)(.*)', 'ImplementationSpecific', 'api-v2']]),
  );
  const r = c.request({ url: 'http://shop.example.com/api/v1/items?page=2', method: 'post', headers: [['X-Canary', 'always']] });
  const trace = renderHops(r.hops);
  assert.equal(r.status, 200, trace);
  assert.equal(r.backend?.service, 'shop/api-v2', trace);
  assert.equal(r.canary?.chosen, true);
  assert.equal(r.forwarded?.method, 'POST');
  assert.equal(r.forwarded?.uri, '/v1/items?page=2');
  assert.equal(r.forwarded?.headers['x-forwarded-proto'], 'http');
  assert.equal(r.forwarded?.headers['x-forwarded-host'], 'shop.example.com');
  assert.equal(r.forwarded?.headers['x-original-uri'], '/api/v1/items?page=2');
  assert.equal(r.forwarded?.headers['x-canary'], 'always', 'client headers pass through');
  const main = c.request({ url: 'http://shop.example.com/api/v1/items' });
  assert.equal(main.backend?.service, 'shop/api');
  assert.equal(main.canary?.chosen, false);
});

test('use-regex applies to every path of the host, case-insensitive, anchored at the start; longest path first', () => {
  const c = load(
    ing('regex', { 'use-regex': 'true' }, [['/v[0-9]+/items', 'ImplementationSpecific', 'api']]),
    ing('plain', {}, [['/web', 'Exact', 'web'], ['/', 'Prefix', 'web']]),
  );
  const rows: [string, string | null][] = [
    ['http://shop.example.com/V2/items', 'shop/api'], // case-insensitive
    ['http://shop.example.com/x/v2/items', 'shop/web'], // anchored: falls to ^/
    ['http://shop.example.com/web/more', 'shop/web'], // the Exact /web became ~* "^/web" in regex mode
  ];
  for (const [url, svc] of rows) {
    const r = c.request({ url });
    assert.equal(r.backend?.service ?? null, svc, `${url}\n${renderHops(r.hops)}`);
  }
  assert.ok(c.request({ url: 'http://shop.example.com/web/more' }).hops.some((h) => h.detail.includes('regex mode')));
});

test('Prefix locations as nginx holds them: /foo/ answers /foo with a 301 adding the slash (query kept); /foo has an exact twin', () => {
  const c = load(ing('p', {}, [['/docs/', 'Prefix', 'web'], ['/shop', 'Prefix', 'api']]));
  const r = c.request({ url: 'http://shop.example.com/docs?q=1' });
  assert.equal(r.status, 301, renderHops(r.hops));
  assert.equal(r.location, 'http://shop.example.com/docs/?q=1');
  assert.equal(c.request({ url: 'http://shop.example.com/docs/a' }).backend?.service, 'shop/web');
  assert.equal(c.request({ url: 'http://shop.example.com/shop' }).backend?.service, 'shop/api');
  assert.equal(c.request({ url: 'http://shop.example.com/shopping' }).status, 404);
  assert.equal(c.request({ url: 'http://shop.example.com//shop/./x' }).backend?.service, 'shop/api', 'matched on the normalised URI');
});

test('redirect annotations: app-root 302, permanent-redirect 301 (code settable), force-ssl-redirect, ssl-redirect "false"', () => {
  const tls = '  tls: [{hosts: [shop.example.com], secretName: cert}]\n';
  const c = load(
    ing('root', { 'app-root': '/app' }, [['/', 'Prefix', 'web']], 'root.example.com'),
    ing('moved', { 'permanent-redirect': 'https://new.example.com/', 'permanent-redirect-code': '308' }, [['/', 'Prefix', 'web']], 'old.example.com'),
    ing('force', { 'force-ssl-redirect': 'true' }, [['/', 'Prefix', 'web']], 'force.example.com'),
    ing('nossl', { 'ssl-redirect': 'false' }, [['/', 'Prefix', 'web']], 'shop.example.com', tls),
  );
  const root = c.request({ url: 'http://root.example.com/' });
  assert.deepEqual([root.status, root.location], [302, 'http://root.example.com/app']);
  assert.equal(c.request({ url: 'http://root.example.com/x' }).status, 200, 'app-root: only $uri = /');
  const moved = c.request({ url: 'http://old.example.com/a?b=1' });
  assert.deepEqual([moved.status, moved.location], [308, 'https://new.example.com/']);
  const force = c.request({ url: 'http://force.example.com/p?q=1' });
  assert.deepEqual([force.status, force.location], [308, 'https://force.example.com/p?q=1'], 'force-ssl-redirect without any TLS section');
  assert.equal(c.request({ url: 'http://shop.example.com/' }).status, 200, 'ssl-redirect "false" keeps HTTP');
});

test('backend-protocol, Host header routing, SNI and a request without Host', () => {
  const c = load(
    ing('grpc', { 'backend-protocol': 'GRPC' }, [['/', 'Prefix', 'api']]),
    `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: catch-all, namespace: shop}
spec:
  ingressClassName: nginx
  defaultBackend: {service: {name: web, port: {number: 80}}}
`,
  );
  const g = c.request({ url: 'http://shop.example.com/x' });
  assert.equal(g.forwarded?.protocol, 'GRPC');
  const byHost = c.request({ url: 'http://10.0.0.1/x', headers: [['Host', 'shop.example.com']] });
  assert.equal(byHost.backend?.service, 'shop/api', 'the Host header, not the URL, picks the server');
  const none = c.request({ url: 'http://shop.example.com/x', noHost: true, httpVersion: '1.0' });
  assert.equal(none.backend?.service, 'shop/web', `no Host header: the default server\n${renderHops(none.hops)}`);
  assert.equal(none.request.host, null);
  const sni = c.request({ url: 'https://shop.example.com/x', sni: 'other.example.com' });
  assert.equal(sni.request.sni, 'other.example.com');
  assert.equal(sni.tls?.defaultCert, true);
});

test('annotations netspec does not model, and bad values, are warned about by name', () => {
  const c = load(ing('w', { 'proxy-body-size': '8m', 'canary': 'true', 'canary-weight': 'lots' }, [['/', 'Prefix', 'web']]));
  const w = c.warnings.map((x) => `${x.code} ${x.message}`);
  assert.ok(w.some((x) => x.startsWith('NS-INGRESS-ANNOTATION-UNMODELLED') && x.includes('nginx.ingress.kubernetes.io/proxy-body-size')), w.join('\n'));
  assert.ok(w.some((x) => x.startsWith('NS-INGRESS-ANNOTATION-VALUE') && x.includes('canary-weight')), w.join('\n'));
  assert.ok(!w.some((x) => x.includes('nginx.ingress.kubernetes.io/canary ')), 'modelled annotations are not warned about');
});
