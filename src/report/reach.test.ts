import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../cluster';
import { ReachIndex, reachPairs } from '.';

// The frontend may call the cart; redis takes calls from the cart only; everything else is open.
const POLICIES = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: cart-from-frontend, namespace: shop}
spec:
  podSelector: {matchLabels: {app.kubernetes.io/name: cart}}
  ingress:
  - from: [{podSelector: {matchLabels: {app.kubernetes.io/name: frontend}}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: toolbox-egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app.kubernetes.io/name: toolbox}}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {matchLabels: {app.kubernetes.io/name: frontend}}}]
`;

test('a Service walked through kube-proxy once answers every other source as the full walk does', () => {
  const c = Cluster.load([{ path: 'examples/shop/k8s' }, { text: POLICIES, name: 'pol.yaml' }]);
  const ix = new ReachIndex(c);
  const dests = [...ix.destinations().values()].filter((d) => d.kind === 'service');
  const pairs = [...ix.groups.keys()].flatMap((from) => dests.map((to) => ({ from, to })));
  const fast = reachPairs(ix, pairs);
  let blocked = 0;
  pairs.forEach(({ from, to }, i) => {
    const src = ix.groups.get(from)!.pods[0];
    const full = c.connect({ from: { kind: 'pod', pod: src }, to: c.realised.serviceByKey.get(to.owner)!.clusterIPs[0], port: to.port, protocol: to.protocol, seed: 0 });
    assert.equal(fast[i].verdict, full.verdict, `${from} → ${to.id}`);
    if (full.verdict !== 'delivered') blocked++;
  });
  assert.ok(blocked >= 3, `the policies block some pairs (${blocked})`);
});
