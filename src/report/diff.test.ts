import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../cluster';
import { behaviourDiff, renderDiffMarkdown, renderDiffText, diffJSON } from '.';

const SHOP = { path: 'examples/shop/k8s' };
const DENY_CART = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: cart-deny-ingress
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: cart
  policyTypes: [Ingress]
`;

const shop = () => Cluster.load([SHOP]);
const lines = (d: ReturnType<typeof behaviourDiff>) => d.pairs.map((p) => `${p.change} ${p.from} → ${p.to.id}`);

test('a policy denying ingress to the cart loses every caller of cart:7070, named with the policy file:line', () => {
  const d = behaviourDiff(shop(), Cluster.load([SHOP, { text: DENY_CART, name: 'pr/deny.yaml' }]));
  const got = lines(d);
  assert.ok(got.includes('lost shop/deployment/frontend → shop/svc/cart:7070/TCP'), got.join('\n'));
  assert.ok(got.includes('lost shop/pod/toolbox → shop/svc/cart:7070/TCP'));
  // only pairs whose destination is the cart changed; frontend and redis keep their callers
  assert.ok(d.pairs.every((p) => p.change === 'lost' && p.to.owner.includes('cart')));
  const frontend = d.pairs.find((p) => p.from === 'shop/deployment/frontend' && p.to.port === 7070)!;
  assert.equal(frontend.after!.verdict, 'dropped');
  assert.deepEqual(frontend.after!.deciders.map((x) => `${x.what} ${x.pos?.file}:${x.pos?.line}`), ['NetworkPolicy shop/cart-deny-ingress pr/deny.yaml:1']);
  assert.deepEqual(d.objects.map((o) => `${o.op} ${o.kind} ${o.name}`), ['added NetworkPolicy shop/cart-deny-ingress']);
  const text = renderDiffText(d);
  assert.match(text, /lost {4}shop\/deployment\/frontend → Service shop\/cart:7070\/TCP \(grpc\)\n {10}now dropped by NetworkPolicy shop\/cart-deny-ingress \(pr\/deny\.yaml:1\)/);
  assert.match(renderDiffMarkdown(d), /\| 🔴 lost \| shop\/pod\/toolbox \| Service shop\/cart:7070\/TCP \(grpc\) \| now dropped by NetworkPolicy shop\/cart-deny-ingress \(pr\/deny\.yaml:1\)/);
  // cost follows the change: only callers of the cart's destinations were asked, not the whole matrix
  assert.equal(d.scope.full, false);
  assert.equal(d.scope.asked, d.pairs.length);
  assert.equal((diffJSON(d).changes as unknown[]).length, d.pairs.length);
});

test('the same manifests give no change, and nothing is asked', () => {
  const d = behaviourDiff(shop(), shop());
  assert.deepEqual(d.pairs, []);
  assert.deepEqual(d.objects, []);
  assert.equal(d.scope.asked, 0);
});

test("a Service whose selector stops matching loses its callers; the pods' port becomes a destination of its own", () => {
  const svc = `apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
spec:
  selector: {app.kubernetes.io/name: kart}
  ports: [{name: grpc, port: 7070, targetPort: grpc}]
`;
  // a folder with the cart's Service replaced: load the others, then the new Service text
  const before = shop();
  const after = Cluster.load([{ path: 'examples/shop/k8s/cluster' }, ...['namespace', 'frontend', 'redis', 'toolbox'].map((f) => ({ path: `examples/shop/k8s/apps/${f}.yaml` })),
    { text: require('node:fs').readFileSync('examples/shop/k8s/apps/cart.yaml', 'utf8').split('\n---\n')[0], name: 'cart.yaml' }, { text: svc, name: 'pr/cart-svc.yaml' }]);
  const d = behaviourDiff(before, after);
  const got = lines(d);
  assert.ok(got.includes('lost shop/deployment/frontend → shop/svc/cart:7070/TCP'), got.join('\n'));
  const lost = d.pairs.find((p) => p.from === 'shop/deployment/frontend' && p.to.id === 'shop/svc/cart:7070/TCP')!;
  assert.equal(lost.after!.verdict, 'rejected');
  assert.ok(lost.causes.some((c) => c.kind === 'Service' && c.name === 'shop/cart' && c.op === 'changed' && c.pos?.file === 'pr/cart-svc.yaml'));
  assert.ok(got.includes('gained shop/deployment/frontend → shop/deployment/cart:7070/TCP'), 'the grpc port no Service exposes any more is a destination of its own');
  assert.equal(d.scope.full, false);
});

test('a change of cluster settings asks every pair, and says why', () => {
  const d = behaviourDiff(shop(), Cluster.load([SHOP], { overrides: { dnsDomain: 'corp.local' } }));
  assert.equal(d.scope.full, true);
  assert.match(d.scope.why ?? '', /configuration/);
});

test('a Service made a NodePort changes what the cluster exposes outside, named with its file:line; its DNS answer stays', () => {
  const text = require('node:fs').readFileSync('examples/shop/k8s/apps/cart.yaml', 'utf8') as string;
  const [deploy, svc] = text.split('\n---\n');
  const nodePort = svc.replace('type: ClusterIP', 'type: NodePort');
  assert.notEqual(nodePort, svc);
  const others = ['namespace', 'frontend', 'redis', 'toolbox'].map((f) => ({ path: `examples/shop/k8s/apps/${f}.yaml` }));
  const side = (s: string) => Cluster.load([{ path: 'examples/shop/k8s/cluster' }, ...others, { text: deploy, name: 'cart.yaml' }, { text: s, name: 'cart-svc.yaml' }]);
  const d = behaviourDiff(side(svc), side(nodePort));
  assert.equal(d.facts.length, 1, JSON.stringify(d.facts));
  assert.equal(d.facts[0].subject, 'exposure of Service shop/cart outside the cluster');
  assert.equal(d.facts[0].before, 'none');
  assert.match(d.facts[0].after!, /^NodePort \d+\/TCP → port 7070$/);
  assert.match(renderDiffText(d), /exposure of Service shop\/cart outside the cluster: none → NodePort \d+\/TCP → port 7070 {2}because Service shop\/cart changed \(cart-svc\.yaml:\d+\)/);
});
