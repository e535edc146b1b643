import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster, InputErrors } from '../cluster';
import { renderHops } from '../net/trace';
import { hostMatches, pathMatches, type PathType } from './index';

const BASE = `
apiVersion: v1
kind: Node
metadata: {name: node-a}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {nodeName: node-a, containers: [{name: app, image: x, ports: [{containerPort: 8080, name: http}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: cart, namespace: shop, labels: {app: cart}}
spec: {nodeName: node-a, containers: [{name: app, image: x, ports: [{containerPort: 9000}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
spec: {selector: {app: cart}, ports: [{name: api, port: 8080, targetPort: 9000}]}
---
apiVersion: v1
kind: Service
metadata: {name: empty, namespace: shop}
spec: {selector: {app: nothing}, ports: [{port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx, annotations: {ingressclass.kubernetes.io/is-default-class: "true"}}
spec: {controller: k8s.io/ingress-nginx}
`;

function load(extra: string): Cluster {
  return Cluster.load([{ text: BASE + '---\n' + extra, name: 'test.yaml' }]);
}

function ingress(name: string, spec: string, meta = ''): string {
  return `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: ${name}, namespace: shop${meta}}\nspec:\n${spec}\n---\n`;
}

test('wildcard hosts match exactly one extra DNS label; exact hosts ignore case (Ingress docs: host wildcards)', () => {
  const rows: [string, string, boolean][] = [
    ['*.example.com', 'foo.example.com', true],
    ['*.example.com', 'bar.foo.example.com', false],
    ['*.example.com', 'example.com', false],
    ['shop.example.com', 'SHOP.Example.com', true],
    ['shop.example.com', 'shop.example.org', false],
  ];
  for (const [rule, host, want] of rows) assert.equal(hostMatches(rule, host), want, `${rule} vs ${host}`);
});

test('path types: Exact is case-sensitive and exact; Prefix matches whole elements, trailing slash ignored (Ingress docs: examples table)', () => {
  const rows: [PathType, string, string, boolean][] = [
    ['Exact', '/foo', '/foo', true],
    ['Exact', '/foo', '/bar', false],
    ['Exact', '/foo', '/foo/', false],
    ['Exact', '/foo/', '/foo', false],
    ['Exact', '/Foo', '/foo', false],
    ['Prefix', '/', '/anything', true],
    ['Prefix', '/foo', '/foo', true],
    ['Prefix', '/foo', '/foo/', true],
    ['Prefix', '/foo/', '/foo', true],
    ['Prefix', '/foo', '/foo/bar', true],
    ['Prefix', '/foo', '/foobar', false],
    ['Prefix', '/aaa/bbb', '/aaa/bbbxyz', false],
    ['Prefix', '/aaa/bbb', '/aaa/bbb/ccc', true],
    ['Prefix', '/foo', '/Foo', false],
  ];
  for (const [type, rule, path, want] of rows) assert.equal(pathMatches(type, rule, path), want, `${type} ${rule} vs ${path}`);
});

const ROUTES = ingress('shop', `  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
      - {path: /cart, pathType: Prefix, backend: {service: {name: cart, port: {number: 8080}}}}
      - {path: /cart/checkout, pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /legacy, pathType: ImplementationSpecific, backend: {service: {name: cart, port: {number: 8080}}}}
  - host: "*.example.com"
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: cart, port: {name: api}}}}`);

test('the longest matching path wins, Exact over Prefix at equal length, wildcard below exact host', () => {
  const c = load(ROUTES);
  const rows: [string, number, string | null, number | string | null][] = [
    ['http://shop.example.com/', 200, 'shop/web', 'http'],
    ['http://shop.example.com/cart', 200, 'shop/cart', 8080],
    ['http://shop.example.com/cart/items', 200, 'shop/cart', 8080],
    ['http://shop.example.com/cartoon', 200, 'shop/web', 'http'],
    ['http://shop.example.com/cart/checkout', 200, 'shop/web', 80],
    ['http://shop.example.com/cart/checkout/x', 200, 'shop/cart', 8080],
    ['http://shop.example.com/legacy/page', 200, 'shop/cart', 8080],
    ['http://other.example.com/x', 200, 'shop/cart', 'api'],
    ['http://a.b.example.com/x', 404, null, null],
    ['http://example.com/', 404, null, null],
  ];
  for (const [url, status, svc, port] of rows) {
    const r = c.request({ url });
    const msg = `${url}\n${renderHops(r.hops)}`;
    assert.equal(r.status, status, msg);
    assert.equal(r.backend?.service ?? null, svc, msg);
    assert.equal(r.backend?.port ?? null, port, msg);
  }
  const r = c.request({ url: 'http://shop.example.com/cart' });
  assert.deepEqual(r.backend?.endpoints, [`${c.realised.podByKey.get('shop/cart')!.ip}:9000`]);
  const m = r.hops.find((h) => h.action === 'match')!;
  assert.equal(m.at, 'ingress/nginx');
  assert.match(m.source!.what, /rules\[0\]\.http\.paths\[1\]/);
  assert.equal(m.source!.pos!.file, 'test.yaml');
  // ingress-nginx writes an ImplementationSpecific path as a plain nginx prefix location (nginx.tmpl
  // buildLocation): /legacy matches /legacyx too, unlike Prefix's element-wise match
  const legacy = c.request({ url: 'http://shop.example.com/legacyx' });
  assert.equal(legacy.backend?.service, 'shop/cart', renderHops(legacy.hops));
  assert.ok(legacy.hops.some((h) => h.detail.includes('ImplementationSpecific "/legacy" as nginx location /legacy')));
});

test('rules of one class merge across Ingresses; on the same path the oldest wins (creationTimestamp, then namespace/name)', () => {
  const c = load(ROUTES + ingress('later', `  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /cart, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /help, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}`));
  // no timestamps: namespace/name order, "later" < "shop"
  assert.equal(c.request({ url: 'http://shop.example.com/cart' }).backend?.ingress, 'Ingress shop/later');
  assert.equal(c.request({ url: 'http://shop.example.com/help' }).backend?.ingress, 'Ingress shop/later');
  assert.equal(c.request({ url: 'http://shop.example.com/' }).backend?.ingress, 'Ingress shop/shop');
  const timed = load(ROUTES.replace('namespace: shop}', 'namespace: shop, creationTimestamp: "2024-01-01T00:00:00Z"}') + ingress('later', `  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /cart, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}`, ', creationTimestamp: "2025-01-01T00:00:00Z"'));
  assert.equal(timed.request({ url: 'http://shop.example.com/cart' }).backend?.ingress, 'Ingress shop/shop');
});

test('class selection: ingressClassName, legacy annotation, the default class; unknown classes are ignored', () => {
  const extra = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: internal}
spec: {controller: example.com/other}
---
` + ingress('named', `  ingressClassName: internal
  rules: [{host: a.test, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]`)
    + ingress('legacy', `  rules: [{host: b.test, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]`, ', annotations: {kubernetes.io/ingress.class: internal}')
    + ingress('defaulted', `  rules: [{host: c.test, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]`)
    + ingress('ghost', `  ingressClassName: missing
  rules: [{host: d.test, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]`);
  const c = load(extra);
  const rows: [string, string | undefined, number][] = [
    ['http://a.test/', 'internal', 200], ['http://a.test/', 'nginx', 404],
    ['http://b.test/', 'internal', 200], ['http://b.test/', undefined, 404],
    ['http://c.test/', undefined, 200], ['http://c.test/', 'internal', 404],
    ['http://d.test/', 'nginx', 404], ['http://d.test/', 'internal', 404],
  ];
  for (const [url, cls, status] of rows) assert.equal(c.request({ url, class: cls }).status, status, `${url} class ${cls}`);
  const r = c.request({ url: 'http://d.test/' });
  assert.equal(r.class, 'nginx');
  assert.ok(r.hops.some((h) => h.detail.includes('Ingress shop/ghost is ignored') && h.detail.includes('names no IngressClass')));
  assert.throws(() => c.request({ url: 'http://a.test/', class: 'nope' }), (e: unknown) => e instanceof InputErrors && e.errors[0].code === 'NS-UNKNOWN-INGRESS-CLASS');
});

test('TLS: the secret when it exists with type kubernetes.io/tls, else the default certificate; HTTP redirects with 308', () => {
  const secret = (name: string, type: string) => `apiVersion: v1\nkind: Secret\nmetadata: {name: ${name}, namespace: shop}\ntype: ${type}\ndata: {tls.crt: eA==, tls.key: eA==}\n---\n`;
  const c = load(secret('shop-tls', 'kubernetes.io/tls') + secret('opaque', 'Opaque') + ingress('tls', `  tls:
  - {hosts: [shop.example.com], secretName: shop-tls}
  - {hosts: [bad.example.com], secretName: opaque}
  - {hosts: [gone.example.com], secretName: nowhere}
  rules:
  - http:
      paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]`));
  const rows: [string, number, string | undefined, boolean][] = [
    ['https://shop.example.com/', 200, 'shop/shop-tls', false],
    ['https://bad.example.com/', 200, undefined, true],
    ['https://gone.example.com/', 200, undefined, true],
    ['https://plain.example.com/', 200, undefined, true],
  ];
  for (const [url, status, secret, dflt] of rows) {
    const r = c.request({ url });
    assert.equal(r.status, status, url);
    assert.equal(r.tls?.secret, secret, url);
    assert.equal(r.tls?.defaultCert === true, dflt, url);
  }
  assert.match(c.request({ url: 'https://bad.example.com/' }).tls!.reason!, /type Opaque/);
  const red = c.request({ url: 'http://shop.example.com/a?b=1' });
  assert.equal(red.outcome, 'redirect');
  assert.equal(red.status, 308);
  // nginx.tmpl: return 308 https://$redirect_host$request_uri: the query string stays
  assert.equal(red.location, 'https://shop.example.com/a?b=1');
  assert.deepEqual(red.response, { status: 308, headers: { location: 'https://shop.example.com/a?b=1' } });
  assert.equal(c.request({ url: 'http://plain.example.com/' }).status, 200);
});

test('default backends, missing services and empty services', () => {
  const c = load(ingress('shop', `  defaultBackend: {service: {name: cart, port: {name: api}}}
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /web, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /gone, pathType: Prefix, backend: {service: {name: gone, port: {number: 80}}}}
      - {path: /empty, pathType: Prefix, backend: {service: {name: empty, port: {number: 80}}}}
      - {path: /badport, pathType: Prefix, backend: {service: {name: web, port: {number: 81}}}}
      - {path: /res, pathType: Prefix, backend: {resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: assets}}}`));
  const rows: [string, RegExp | null, number, string | null][] = [
    ['http://shop.example.com/web', null, 200, 'shop/web'],
    ['http://shop.example.com/other', null, 200, 'shop/cart'],
    ['http://elsewhere.test/', null, 200, 'shop/cart'],
    ['http://shop.example.com/gone', /no Service shop\/gone/, 503, 'shop/gone'],
    ['http://shop.example.com/empty', /no ready endpoints/, 503, 'shop/empty'],
    ['http://shop.example.com/badport', /has no port 81/, 503, 'shop/web'],
    ['http://shop.example.com/res', /resource/, 503, null],
  ];
  for (const [url, detail, status, svc] of rows) {
    const r = c.request({ url });
    assert.equal(r.status, status, url);
    assert.equal(r.backend?.service ?? null, svc, url);
    if (detail) assert.match(r.hops[r.hops.length - 1].detail, detail, url);
  }
  const none = load(ingress('x', `  rules: [{host: a.test, http: {paths: [{path: /, pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}]}}]`));
  const r = none.request({ url: 'http://a.test/x' });
  assert.equal(r.outcome, 'not-found');
  assert.equal(r.status, 404);
  assert.match(r.hops[r.hops.length - 1].detail, /default backend answers 404/);
});

test('same input, same answer, byte for byte', () => {
  const a = JSON.stringify(load(ROUTES).request({ url: 'https://shop.example.com/cart' }));
  const b = JSON.stringify(load(ROUTES).request({ url: 'https://shop.example.com/cart' }));
  assert.equal(a, b);
});

test('a controller pod walks the proxied connection: delivered keeps 200, refused is 502, dropped by policy is 504', () => {
  const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: ctl, namespace: ingress-nginx, labels: {app.kubernetes.io/name: ingress-nginx}}\nspec: {nodeName: node-a, containers: [{name: c, image: x}]}\n---\n`;
  const wrong = `apiVersion: v1\nkind: Service\nmetadata: {name: wrong, namespace: shop}\nspec: {selector: {app: web}, ports: [{port: 80, targetPort: 9999}]}\n---\n`;
  const rules = ingress('x', `  rules:
  - host: a.test
    http:
      paths:
      - {path: /ok, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /wrong, pathType: Prefix, backend: {service: {name: wrong, port: {number: 80}}}}`);
  const without = load(wrong + rules);
  const r0 = without.request({ url: 'http://a.test/wrong' });
  assert.equal(r0.status, 200, 'without a controller pod the connection is only described');
  assert.equal(r0.upstream, undefined);
  const c = load(pod + wrong + rules);
  const ok = c.request({ url: 'http://a.test/ok' });
  assert.equal(ok.status, 200, renderHops(ok.hops));
  assert.deepEqual(ok.upstream, { from: 'ingress-nginx/ctl', to: `${c.realised.podByKey.get('shop/web')!.ip}:8080`, verdict: 'delivered' });
  assert.equal(c.request({ url: 'http://a.test/wrong' }).status, 502);
  const deny = load(pod + wrong + rules + `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n`);
  const d = deny.request({ url: 'http://a.test/ok' });
  assert.equal(d.status, 504, renderHops(d.hops));
  assert.equal(d.outcome, 'gateway-timeout');
});
