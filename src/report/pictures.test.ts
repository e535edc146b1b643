import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../cluster';
import { pathPicture, topologyPicture, TopologyTooLarge } from '.';

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: frontend, port: {number: 80}}}}
      - {path: /api/cart, pathType: Prefix, backend: {service: {name: cart, port: {number: 7070}}}}
`;

test('the topology shows nodes holding pods by namespace, Services with edges to their endpoints, Ingress routes to Services', () => {
  const c = Cluster.load([{ path: 'examples/shop/k8s' }, { text: INGRESS, name: 'ingress.yaml' }]);
  const svg = topologyPicture(c.realised, { namespace: 'shop' });
  assert.match(svg, /<g class="cluster" data-id="node:worker-1">/);
  assert.match(svg, /<g class="cluster" data-id="node:worker-1\/ns:shop">/);
  assert.match(svg, /Ingress shop\/shop/);
  assert.match(svg, /shop\.example\.com\/api\/cart → cart/);
  // one edge from the Service to each ready cart pod, one from the Ingress to each Service it routes to
  const edges = svg.match(/<g class="edge">/g)!.length;
  const cartPods = c.realised.pods.filter((p) => p.name.startsWith('cart-')).length;
  assert.ok(edges >= cartPods + 2, `${edges} edges`);
  assert.equal(topologyPicture(c.realised, { namespace: 'shop' }), svg, 'deterministic');
});

test('a cluster too large for one picture asks for a namespace', () => {
  const c = Cluster.load([{ path: 'examples/shop/k8s' }]);
  const fake = { ...c.realised, pods: Array.from({ length: 401 }, () => c.realised.pods[0]) } as typeof c.realised;
  assert.throws(() => topologyPicture(fake), TopologyTooLarge);
});

test('a delivered path is drawn without red, with each NAT as the rewritten address', () => {
  const c = Cluster.load([{ path: 'examples/shop/k8s' }]);
  const res = c.connect({ from: 'shop/toolbox', to: c.realised.serviceByKey.get('shop/cart')!.clusterIPs[0], port: 7070, seed: 0 });
  assert.equal(res.verdict, 'delivered');
  const svg = pathPicture(res, { title: 'toolbox → cart', podNode: (k) => c.realised.podByKey.get(k)?.node?.name });
  assert.ok(!svg.includes('class="node bad"'));
  assert.match(svg, new RegExp(`now TCP [0-9.:]+ → ${res.delivered!.ip.replace(/\./g, '\\.')}:7070`));
  assert.match(svg, /decided by: /);
});
