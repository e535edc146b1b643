import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../cluster';
import { InputErrors } from '../model/errors';
import { parseRole, rolePods, representative, resolveSource, resolveTargetRole } from './index';

// the bundled shop: Deployments frontend and cart (2 replicas each), StatefulSet redis, Pod toolbox
const shop = Cluster.load([{ path: 'examples/shop/k8s' }]);
const r = shop.realised;

test('references by role parse into pods, workloads, services and selectors', () => {
  assert.deepEqual(parseRole('shop/toolbox'), { kind: 'pod', ns: 'shop', name: 'toolbox', text: 'shop/toolbox' });
  assert.equal((parseRole('deployment/frontend', 'shop') as any).workload, 'Deployment');
  assert.equal((parseRole('shop/sts/redis') as any).workload, 'StatefulSet');
  assert.equal(parseRole('shop/sts/redis')!.ns, 'shop');
  assert.equal(parseRole('svc/cart', 'shop')!.kind, 'service');
  const sel = parseRole('shop/app.kubernetes.io/name=cart')!;
  assert.equal(sel.kind, 'selector');
  assert.equal(sel.ns, 'shop');
  assert.equal(parseRole('-l app=web', 'x')!.kind, 'selector');
  for (const notRole of ['10.96.0.1', 'cart.shop.svc.cluster.local', 'cart', 'node/worker-1', 'external:203.0.113.7']) assert.equal(parseRole(notRole), null, notRole);
  assert.throws(() => parseRole('shop/deploymnet/frontend'), (e: InputErrors) => e.errors[0].code === 'NS-ROLE-KIND' && e.errors[0].hint.includes('deployment'));
});

test('a Deployment owns the pods of its ReplicaSets; the representative is the first ready pod in name order', () => {
  const rp = rolePods(r, parseRole('shop/deployment/frontend')!);
  assert.equal(rp.pods.length, 2);
  assert.ok(rp.pods.every((p) => p.name.startsWith('frontend-') && p.owner!.startsWith('ReplicaSet shop/frontend-')));
  const names = rp.pods.map((p) => p.name);
  assert.deepEqual(names, [...names].sort());
  const { pod, hop } = representative(rp);
  assert.equal(pod, rp.pods[0]);
  assert.match(hop.detail, /one of 2 pods of deployment shop\/frontend \(the first ready pod in name order\)/);
});

test('a Service as a source is a pod of its endpoints; as a target, its cluster IP', () => {
  const src = resolveSource(r, 'svc/cart', 'shop');
  assert.ok(r.podByKey.get(src.text)!.labels['app.kubernetes.io/name'] === 'cart');
  const dst = resolveTargetRole(r, 'svc/cart', 'shop');
  assert.equal(dst.text, r.serviceByKey.get('shop/cart')!.clusterIPs[0]);
  assert.match(dst.hops[0].detail, /the cluster IP .* of service shop\/cart/);
  // headless: no cluster IP, a pod of its endpoints
  assert.match(resolveTargetRole(r, 'svc/redis', 'shop').text, /^shop\/redis-[01]$/);
});

test('unknown names fail with the closest ones', () => {
  assert.throws(() => rolePods(r, parseRole('shop/deployment/frontnd')!), (e: InputErrors) => e.errors[0].code === 'NS-UNKNOWN-WORKLOAD' && e.errors[0].hint.includes('frontend'));
  assert.throws(() => rolePods(r, parseRole('shop/svc/crat')!), (e: InputErrors) => e.errors[0].hint.includes('cart'));
  assert.throws(() => representative(rolePods(r, parseRole('shop/app=nothing')!)), (e: InputErrors) => e.errors[0].code === 'NS-ROLE-NO-POD');
});

test('connect by role names the representative in the trace and reaches the service', () => {
  const res = shop.connect({ from: 'deployment/frontend', to: 'svc/cart', port: 7070, namespace: 'shop' });
  assert.equal(res.verdict, 'delivered');
  assert.match(res.delivered!.pod, /^shop\/cart-/);
  assert.equal(res.hops[0].action, 'resolve');
  assert.match(res.hops[0].detail, /deployment\/frontend → pod shop\/frontend-/);
});

test('NS/NAME with no pod of that name is the one workload so named (kubectl would need deploy/NAME; the trace says which); a pod of that name wins', () => {
  const src = resolveSource(r, 'shop/frontend');
  assert.match(src.text, /^shop\/frontend-/);
  assert.match(src.hops[0].detail, /no pod is named shop\/frontend: the Deployment of that name/);
  assert.match(resolveTargetRole(r, 'shop/redis').text, /^shop\/redis-[01]$/); // the StatefulSet
  assert.deepEqual(resolveSource(r, 'shop/toolbox'), { text: 'shop/toolbox', hops: [] }); // a bare Pod
  assert.deepEqual(resolveSource(r, 'shop/nothing'), { text: 'shop/nothing', hops: [] }); // left to the pod lookup's error
  // a Deployment and a StatefulSet of one name: ambiguous, both spellings offered
  const twin = Cluster.load([{ path: 'examples/shop/k8s' }, { name: 'twin.yaml', text: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: frontend, namespace: shop}\nspec:\n  serviceName: frontend\n  selector: {matchLabels: {app: twin}}\n  template:\n    metadata: {labels: {app: twin}}\n    spec: {containers: [{name: c, image: i}]}\n' }]);
  assert.throws(() => resolveSource(twin.realised, 'shop/frontend'), (e: InputErrors) => e.errors[0].code === 'NS-ROLE-AMBIGUOUS' && e.errors[0].hint.includes('shop/deployment/frontend or shop/statefulset/frontend'));
});

test('a namespace that does not exist is said so, with the closest namespaces', () => {
  assert.throws(() => rolePods(r, parseRole('sohp/deployment/frontend')!), (e: InputErrors) => e.errors[0].code === 'NS-UNKNOWN-WORKLOAD' && /there is no namespace sohp \(closest namespaces: shop/.test(e.errors[0].hint));
  assert.throws(() => rolePods(r, parseRole('shpo/svc/cart')!), (e: InputErrors) => /there is no namespace shpo \(closest namespaces: shop/.test(e.errors[0].hint));
});
