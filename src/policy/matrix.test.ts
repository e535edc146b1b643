// The matrix is the walk's policy verdict, computed per shape: a property test holds every cell equal
// to what `connect` (pod to pod IP) decides, for random sets of policies of every tier.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Cluster } from '../cluster';
import { reachability } from './index';
import { nodesAndTeams } from './testkit';

const BASE = nodesAndTeams('{name: node-a}', '{name: node-b}') + `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec: {containers: [{name: app, image: x, ports: [{containerPort: 8080, name: http}, {containerPort: 9090, name: metrics}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api, tier: back}}
    spec: {containers: [{name: app, image: x, ports: [{containerPort: 8080, name: http}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: prom, namespace: ops}
spec:
  replicas: 2
  selector: {matchLabels: {app: prom}}
  template:
    metadata: {labels: {app: prom}}
    spec: {containers: [{name: app, image: x, ports: [{containerPort: 9090, name: metrics}]}]}
`;

// a pool of policies of every tier; each run takes a subset
const POOL = [
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-all, namespace: shop}\nspec: {podSelector: {}}`,
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web-from-api, namespace: shop}\nspec: {podSelector: {matchLabels: {app: web}}, ingress: [{from: [{podSelector: {matchLabels: {tier: back}}}], ports: [{port: http}]}]}`,
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: api-egress, namespace: shop}\nspec: {podSelector: {matchLabels: {app: api}}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 10.244.1.0/24}}]}]}`,
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: prom-in, namespace: ops}\nspec: {podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {team: shop}}}]}]}`,
  `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: metrics-from-ops}\nspec:\n  priority: 3\n  subject: {namespaces: {}}\n  ingress:\n  - {action: Allow, from: [{namespaces: {matchLabels: {team: ops}}}], ports: [{namedPort: metrics}]}\n  - {action: Deny, from: [{namespaces: {matchLabels: {team: ops}}}]}`,
  `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: pass-shop}\nspec:\n  priority: 2\n  subject: {namespaces: {matchLabels: {team: shop}}}\n  ingress: [{action: Pass, from: [{namespaces: {matchLabels: {team: shop}}}]}]`,
  `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: no-node-b-range}\nspec:\n  tier: Admin\n  priority: 5\n  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {tier: front}}}}\n  egress: [{action: Deny, to: [{networks: [10.244.1.0/25]}], protocols: [{tcp: {destinationPort: {range: {start: 8000, end: 8999}}}}]}]`,
  `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n  subject: {namespaces: {}}\n  ingress: [{action: Deny, from: [{namespaces: {}}]}]`,
];

function load(docs: string[]): Cluster {
  return Cluster.load([{ text: BASE + docs.map((d) => '---\n' + d + '\n').join(''), name: 'm.yaml' }]);
}

test('every cell equals the walk (connect pod → pod IP: dropped ⇔ blocked), for random policy sets of every tier', () => {
  fc.assert(fc.property(fc.subarray(POOL), (docs) => {
    const c = load(docs);
    const m = reachability(c.realised, { namespaces: ['shop', 'ops'], ports: [{ port: 8080, protocol: 'TCP' }, { port: 9090, protocol: 'TCP' }] });
    assert.equal(m.pods.length, 7);
    m.pods.forEach((src, s) => m.pods.forEach((dst, d) => m.ports.forEach((port, pi) => {
      const r = c.connect({ from: src.key, to: dst.ip, port: port.port, protocol: port.protocol });
      assert.equal(m.cell(s, d, pi).allow, r.verdict !== 'dropped', `${src.key} → ${dst.key} ${port.protocol}/${port.port}: matrix ${m.cell(s, d, pi).allow ? 'allowed' : 'blocked'}, walk ${r.verdict}\n${docs.join('\n---\n')}`);
    })));
  }), { numRuns: 12, seed: 12 });
});

test('computed once per distinct policy-relevant shape: 3 web replicas are one shape (pod-template-hash is in no selector)', () => {
  const c = load(POOL);
  const m = reachability(c.realised, { namespaces: ['shop', 'ops'], ports: [{ port: 8080, protocol: 'TCP' }] });
  for (let s = 0; s < m.pods.length; s++) for (let d = 0; d < m.pods.length; d++) m.cell(s, d, 0);
  // web ×3, api ×2 and prom ×2 — split by which policy CIDRs hold their IPs (10.244.1.0/24, /25)
  assert.ok(m.shapes < m.pods.length, `${m.shapes} shapes for ${m.pods.length} pods`);
  assert.ok(m.evaluations <= m.shapes * m.shapes, `${m.evaluations} evaluations`);
});

test('a pod to its own IP is allowed whatever the tiers say: it never leaves the pod (loopback)', () => {
  const c = load([POOL[7]]);
  const m = reachability(c.realised, { namespaces: ['shop'], ports: [{ port: 8080, protocol: 'TCP' }] });
  assert.equal(m.cell(0, 0, 0).allow, true);
  assert.equal(m.cell(0, 1, 0).allow, false, 'the Baseline Deny blocks a pod of the same shape');
  assert.equal(c.connect({ from: m.pods[0].key, to: m.pods[0].ip, port: 8080 }).verdict, 'delivered');
});
