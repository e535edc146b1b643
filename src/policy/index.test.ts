import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Cluster } from '../cluster';
import { renderHops } from '../net/trace';
import type { ConnectResult } from '../cni';
import { policyCheck, policyIndex, policyTypes } from './index';
import { nodesAndTeams } from './testkit';

// Two nodes; namespaces shop (team=shop) and ops (team=ops); pods with labels and named ports.
const BASE = nodesAndTeams('{name: node-a}', '{name: node-b}') + `apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
spec: {nodeName: node-a, containers: [{name: app, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  nodeName: node-b
  containers:
  - name: app
    image: x
    ports: [{containerPort: 8080, name: http}, {containerPort: 9090, name: metrics}, {containerPort: 5353, protocol: UDP, name: dns}]
---
apiVersion: v1
kind: Pod
metadata: {name: prom, namespace: ops, labels: {app: prom}}
spec: {nodeName: node-a, containers: [{name: app, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: ops, labels: {app: debug}}
spec: {nodeName: node-b, containers: [{name: app, image: x, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: http}]}
`;

function load(...policies: string[]): Cluster {
  return Cluster.load([{ text: BASE + policies.map((p) => '---\n' + p).join('\n'), name: 'test.yaml' }]);
}

function np(name: string, ns: string, spec: string): string {
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n${spec.split('\n').map((l) => '  ' + l).join('\n')}\n`;
}

const trace = (r: ConnectResult) => '\n' + renderHops(r.hops);

test('policyTypes defaulting: Ingress always, Egress only when spec.egress has rules (SetDefaults_NetworkPolicySpec)', () => {
  assert.deepEqual(policyTypes({}), { ingress: true, egress: false });
  assert.deepEqual(policyTypes({ egress: [{}] }), { ingress: true, egress: true });
  assert.deepEqual(policyTypes({ egress: [] }), { ingress: true, egress: false }, 'len(egress) == 0: no Egress');
  assert.deepEqual(policyTypes({ policyTypes: [], egress: [{}] }), { ingress: true, egress: true }, 'an empty list is defaulted too');
  assert.deepEqual(policyTypes({ policyTypes: ['Egress'] }), { ingress: false, egress: true });
});

test('no NetworkPolicy: the walk gets no policy hook at all (the no-policy path is one undefined check)', () => {
  const c = load();
  assert.equal(policyCheck(c.realised), undefined);
  assert.equal(c.netfilter.policy, undefined);
  const r = c.connect({ from: 'shop/client', to: 'shop/web', port: 8080 });
  assert.equal(r.verdict, 'delivered');
  assert.ok(!r.hops.some((h) => h.at.startsWith('policy/')));
});

// one row: the policies, then from → to:port/proto and the verdict (the fact it pins in the name)
interface Row { name: string; policies: string[]; from: string; to: string; port: number; protocol?: string; verdict: ConnectResult['verdict']; at?: string }

const DENY_IN = np('deny-in', 'shop', 'podSelector: {}\npolicyTypes: [Ingress]');
const DENY_OUT = np('deny-out', 'shop', 'podSelector: {}\npolicyTypes: [Egress]');

const rows: Row[] = [
  { name: 'default deny ingress drops', policies: [DENY_IN], from: 'shop/client', to: 'shop/web', port: 8080, verdict: 'dropped', at: 'policy/shop/deny-in' },
  { name: 'default deny ingress drops even a port nobody listens on (drop before refuse)', policies: [DENY_IN], from: 'shop/client', to: 'shop/web', port: 1234, verdict: 'dropped' },
  { name: 'policyTypes [Ingress] leaves egress open', policies: [DENY_IN], from: 'shop/web', to: 'ops/debug', port: 8080, verdict: 'delivered' },
  { name: 'a policy in another namespace does not apply', policies: [np('deny-in', 'ops', 'podSelector: {}')], from: 'shop/client', to: 'shop/web', port: 8080, verdict: 'delivered' },
  { name: 'podSelector that selects nothing isolates nothing', policies: [np('p', 'shop', 'podSelector: {matchLabels: {app: nothing}}')], from: 'shop/client', to: 'shop/web', port: 8080, verdict: 'delivered' },
  { name: 'a rule without from and ports allows everything', policies: [np('p', 'shop', 'podSelector: {}\ningress: [{}]')], from: 'ops/prom', to: 'shop/web', port: 8080, verdict: 'delivered', at: 'policy/shop/p' },
  { name: 'from: podSelector matches pods of the policy namespace', policies: [np('p', 'shop', 'podSelector: {}\ningress: [{from: [{podSelector: {matchLabels: {app: client}}}]}]')], from: 'shop/client', to: 'shop/web', port: 8080, verdict: 'delivered' },
  { name: 'from: podSelector alone does not match another namespace', policies: [np('p', 'shop', 'podSelector: {}\ningress: [{from: [{podSelector: {}}]}]')], from: 'ops/prom', to: 'shop/web', port: 8080, verdict: 'dropped' },
  { name: 'namespaceSelector alone admits every pod of the namespace', policies: [np('p', 'shop', 'podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {team: ops}}}]}]')], from: 'ops/debug', to: 'shop/web', port: 8080, verdict: 'delivered' },
  { name: 'kubernetes.io/metadata.name is set on every namespace', policies: [np('p', 'shop', 'podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ops}}}]}]')], from: 'ops/prom', to: 'shop/web', port: 8080, verdict: 'delivered' },
  { name: 'namespaceSelector AND podSelector in one element: wrong pod stays out', policies: [np('p', 'shop', 'podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {team: ops}}, podSelector: {matchLabels: {app: prom}}}]}]')], from: 'ops/debug', to: 'shop/web', port: 8080, verdict: 'dropped' },
  { name: 'namespaceSelector AND podSelector in one element: right pod gets in', policies: [np('p', 'shop', 'podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {team: ops}}, podSelector: {matchLabels: {app: prom}}}]}]')], from: 'ops/prom', to: 'shop/web', port: 8080, verdict: 'delivered' },
  { name: 'two elements are ORed', policies: [np('p', 'shop', 'podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {team: ops}}}, {podSelector: {matchLabels: {app: prom}}}]}]')], from: 'ops/debug', to: 'shop/web', port: 8080, verdict: 'delivered' },
  { name: 'numeric port: other port dropped', policies: [np('p', 'shop', 'podSelector: {}\ningress: [{ports: [{port: 9090}]}]')], from: 'shop/client', to: 'shop/web', port: 8080, verdict: 'dropped' },
  { name: 'protocol defaults to TCP', policies: [np('p', 'shop', 'podSelector: {}\ningress: [{ports: [{port: 5353}]}]')], from: 'shop/client', to: 'shop/web', port: 5353, protocol: 'UDP', verdict: 'dropped' },
  { name: 'UDP port allowed when named UDP', policies: [np('p', 'shop', 'podSelector: {}\ningress: [{ports: [{port: 5353, protocol: UDP}]}]')], from: 'shop/client', to: 'shop/web', port: 5353, protocol: 'UDP', verdict: 'delivered' },
  { name: 'named port resolves against the destination pod', policies: [np('p', 'shop', 'podSelector: {}\ningress: [{ports: [{port: metrics}]}]')], from: 'shop/client', to: 'shop/web', port: 9090, verdict: 'delivered' },
  { name: 'named port does not match another number', policies: [np('p', 'shop', 'podSelector: {}\ningress: [{ports: [{port: metrics}]}]')], from: 'shop/client', to: 'shop/web', port: 8080, verdict: 'dropped' },
  { name: 'endPort range includes both ends', policies: [np('p', 'shop', 'podSelector: {}\ningress: [{ports: [{port: 8000, endPort: 8080}]}]')], from: 'shop/client', to: 'shop/web', port: 8080, verdict: 'delivered' },
  { name: 'endPort range excludes past the end', policies: [np('p', 'shop', 'podSelector: {}\ningress: [{ports: [{port: 8000, endPort: 8079}]}]')], from: 'shop/client', to: 'shop/web', port: 8080, verdict: 'dropped' },
  { name: 'ingress sees the service targetPort (8080), not the service port (80)', policies: [np('p', 'shop', 'podSelector: {}\ningress: [{ports: [{port: 8080}]}]')], from: 'shop/client', to: 'web.shop.svc.cluster.local', port: 80, verdict: 'delivered' },
  { name: 'an ingress rule on the service port does not match', policies: [np('p', 'shop', 'podSelector: {}\ningress: [{ports: [{port: 80}]}]')], from: 'shop/client', to: 'web.shop.svc.cluster.local', port: 80, verdict: 'dropped' },
  { name: 'ipBlock matches pod IPs (Calico; upstream e2e egress-to-CIDR test)', policies: [np('p', 'shop', 'podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 10.244.0.0/16}}]}]')], from: 'shop/client', to: 'shop/web', port: 8080, verdict: 'delivered' },
  { name: 'ipBlock except excludes', policies: [np('p', 'shop', 'podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 10.244.0.0/16, except: [10.244.0.0/24]}}]}]')], from: 'shop/client', to: 'shop/web', port: 8080, verdict: 'dropped' },
  { name: 'default deny egress drops the source pod', policies: [DENY_OUT], from: 'shop/client', to: 'ops/debug', port: 8080, verdict: 'dropped', at: 'policy/shop/deny-out' },
  { name: 'egress podSelector across namespaces needs namespaceSelector', policies: [np('p', 'shop', 'podSelector: {}\npolicyTypes: [Egress]\negress: [{to: [{podSelector: {}}]}]')], from: 'shop/client', to: 'ops/debug', port: 8080, verdict: 'dropped' },
  { name: 'egress sees the backend pod of a Service', policies: [np('p', 'shop', 'podSelector: {matchLabels: {app: client}}\negress: [{to: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: http}]}, {ports: [{port: 53, protocol: UDP}]}]')], from: 'shop/client', to: 'web.shop.svc.cluster.local', port: 80, verdict: 'delivered' },
  { name: 'egress ipBlock for the outside world', policies: [np('p', 'shop', 'podSelector: {}\npolicyTypes: [Egress]\negress: [{to: [{ipBlock: {cidr: 93.184.216.0/24}}]}]')], from: 'shop/client', to: '93.184.216.34', port: 443, verdict: 'delivered' },
  { name: 'egress ipBlock: other outside address dropped', policies: [np('p', 'shop', 'podSelector: {}\npolicyTypes: [Egress]\negress: [{to: [{ipBlock: {cidr: 93.184.216.0/24}}]}]')], from: 'shop/client', to: '8.8.8.8', port: 443, verdict: 'dropped' },
  { name: 'both ends must allow: egress allowed, ingress denied', policies: [DENY_IN, np('out', 'shop', 'podSelector: {}\negress: [{}]')], from: 'shop/client', to: 'shop/web', port: 8080, verdict: 'dropped', at: 'policy/shop/deny-in' },
  { name: 'traffic from the pod\'s own node is always allowed', policies: [DENY_IN], from: 'node/node-b', to: 'shop/web', port: 8080, verdict: 'delivered' },
  { name: 'traffic from another node is subject to policy', policies: [DENY_IN], from: 'node/node-a', to: 'shop/web', port: 8080, verdict: 'dropped' },
  { name: 'traffic to the pod\'s own node is always allowed (egress)', policies: [DENY_OUT], from: 'shop/client', to: 'node/node-a', port: 10250, verdict: 'delivered' },
  { name: 'external client, ipBlock on its address (routed network keeps it)', policies: [np('p', 'shop', 'podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 203.0.113.0/24}}]}]')], from: 'external:203.0.113.7', to: 'shop/web', port: 8080, verdict: 'delivered' },
];

for (const row of rows) {
  test(`rule shapes: ${row.name}`, () => {
    const c = load(...row.policies);
    if (row.from === 'external:203.0.113.7') {
      // pod addresses are routed to their node only on a routed network (the overlay does not export them)
      const routed = Cluster.load([{ text: BASE + row.policies.map((p) => '---\n' + p).join('\n'), name: 'test.yaml' }], { overrides: { podNetwork: { ...c.realised.config.podNetwork, mode: 'routed' } } });
      const r = routed.connect({ from: row.from, to: row.to, port: row.port });
      assert.equal(r.verdict, row.verdict, trace(r));
      return;
    }
    const r = c.connect({ from: row.from, to: row.to, port: row.port, protocol: row.protocol });
    assert.equal(r.verdict, row.verdict, trace(r));
    if (row.at) assert.ok(r.hops.some((h) => h.at === row.at && (h.action === (row.verdict === 'dropped' ? 'deny' : 'allow'))), `a hop at ${row.at}` + trace(r));
    if (row.verdict === 'dropped') {
      const last = r.hops[r.hops.length - 1];
      assert.equal(last.action, 'deny', 'the deciding hop is a policy deny' + trace(r));
      assert.match(last.detail, /the CNI drops the packet/);
      assert.ok(last.source?.pos?.file === 'test.yaml', 'the deny names the policy with its position');
    }
  });
}

test('the allow hop names the policy, the rule (1-based), the matched peer element and the port, at the rule\'s line', () => {
  const c = load(np('allow', 'shop', 'podSelector: {matchLabels: {app: web}}\ningress:\n- from: [{podSelector: {matchLabels: {app: nobody}}}]\n- from: [{podSelector: {matchLabels: {app: nobody}}}, {podSelector: {matchLabels: {app: client}}}]\n  ports: [{port: http}]'));
  const r = c.connect({ from: 'shop/client', to: 'shop/web', port: 8080 });
  assert.equal(r.verdict, 'delivered', trace(r));
  const h = r.hops.find((x) => x.action === 'allow')!;
  assert.equal(h.at, 'policy/shop/allow');
  assert.match(h.detail, /^NetworkPolicy shop\/allow ingress rule 2 \(from\[1\]: podSelector app=client; ports: TCP port named "http"\) allows TCP 8080 from pod shop\/client/);
  assert.equal(h.source?.what, 'NetworkPolicy shop/allow ingress rule 2');
  const policyLine = BASE.split('\n').length; // the policy document starts after BASE and the separator
  assert.ok(h.source!.pos!.line > policyLine, `the rule's own line (${h.source!.pos!.line}), past the policy's start`);
});

test('a deny hop per selecting policy, each with its reasons; the last says the CNI drops it', () => {
  const c = load(DENY_IN, np('allow-prom', 'shop', 'podSelector: {}\ningress: [{from: [{podSelector: {matchLabels: {app: prom}}}], ports: [{port: 9090}]}]'));
  const r = c.connect({ from: 'shop/client', to: 'shop/web', port: 8080 });
  assert.equal(r.verdict, 'dropped');
  const denies = r.hops.filter((h) => h.action === 'deny');
  assert.deepEqual(denies.map((h) => h.at), ['policy/shop/allow-prom', 'policy/shop/deny-in'], 'in name order');
  assert.match(denies[0].detail, /ingress rule 1: pod shop\/client \(10\.244\.\d+\.\d+\) matches none of podSelector app=prom, and TCP 8080 is not in ports TCP 9090/);
  assert.match(denies[1].detail, /it has no ingress rules/);
  assert.match(denies[1].detail, /no NetworkPolicy selecting shop\/web for ingress allows it \(2 select it\)/);
});

test('hostNetwork pods are never selected', () => {
  const c = Cluster.load([{ text: BASE + '---\n' + `apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: shop, labels: {app: web}}
spec: {nodeName: node-b, hostNetwork: true, containers: [{name: app, image: x, ports: [{containerPort: 9100}]}]}
---
` + np('deny', 'shop', 'podSelector: {}\npolicyTypes: [Ingress, Egress]'), name: 'test.yaml' }]);
  const agent = c.realised.podByKey.get('shop/agent')!;
  assert.deepEqual(policyIndex(c.realised).isolationOf(agent), { ingress: [], egress: [] });
  const r = c.connect({ from: 'shop/agent', to: 'ops/debug', port: 8080 });
  assert.equal(r.verdict, 'delivered', trace(r));
});

test('a pod isolated for egress without a DNS rule cannot resolve names; with one it can', () => {
  const dns = np('dns', 'shop', 'podSelector: {}\npolicyTypes: [Egress]\negress:\n- to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]\n  ports: [{port: 53, protocol: UDP}]');
  const denied = load(DENY_OUT).connect({ from: 'shop/client', to: 'web.shop.svc.cluster.local', port: 80 });
  assert.equal(denied.verdict, 'unreachable', trace(denied));
  assert.ok(denied.hops.some((h) => h.action === 'deny' && h.at === 'policy/shop/deny-out'));
  assert.match(denied.hops[denied.hops.length - 1].detail, /DNS query to 10\.96\.0\.10:53\/UDP was dropped/);
  const resolved = load(DENY_OUT, dns).connect({ from: 'shop/client', to: 'web.shop.svc.cluster.local', port: 80 });
  assert.equal(resolved.verdict, 'dropped', 'resolves, then the connection itself is denied' + trace(resolved));
  assert.ok(resolved.hops.some((h) => h.action === 'resolve' && /→ 10\.96\./.test(h.detail)));
});

// ---- properties --------------------------------------------------------------------------------

const PODS = ['shop/client', 'shop/web', 'ops/prom', 'ops/debug'];
const TARGETS = [...PODS, 'web.shop.svc.cluster.local', '93.184.216.34', 'node/node-a', 'node/node-b'];
const conn = fc.record({
  from: fc.constantFrom(...PODS, 'node/node-a'),
  to: fc.constantFrom(...TARGETS),
  port: fc.constantFrom(80, 8080, 9090, 5353, 1234),
  protocol: fc.constantFrom('TCP', 'UDP'),
});

const strip = (r: ConnectResult) => ({ verdict: r.verdict, delivered: r.delivered, nat: r.nat, final: r.final });

test('property: a policy that selects no pod changes nothing at all (same verdicts, same hops)', () => {
  const none = load();
  const idle = load(np('idle', 'shop', 'podSelector: {matchLabels: {app: nobody}}\npolicyTypes: [Ingress, Egress]'));
  assert.ok(idle.netfilter.policy, 'the policy check is attached');
  fc.assert(fc.property(conn, (q) => {
    const a = none.connect(q), b = idle.connect(q);
    assert.deepEqual(b.hops, a.hops);
    assert.deepEqual(strip(b), strip(a));
  }), { numRuns: 150, seed: 7 });
});

test('property: adding an allow-all policy (ingress and egress) never changes a verdict', () => {
  const none = load();
  const all = load(...['shop', 'ops'].map((ns) => np('allow-all', ns, 'podSelector: {}\ningress: [{}]\negress: [{}]')));
  fc.assert(fc.property(conn, (q) => {
    const a = none.connect(q), b = all.connect(q);
    assert.deepEqual(strip(b), strip(a), trace(b));
  }), { numRuns: 150, seed: 11 });
});

// random allow policies in shop, on top of a default deny there: policies only add allowances
const sel = fc.constantFrom('{}', '{matchLabels: {app: web}}', '{matchLabels: {app: client}}', '{matchLabels: {app: prom}}');
const peer = fc.oneof(
  sel.map((s) => `{podSelector: ${s}}`),
  fc.constantFrom('{namespaceSelector: {matchLabels: {team: ops}}}', '{namespaceSelector: {}, podSelector: {matchLabels: {app: prom}}}', '{ipBlock: {cidr: 10.244.0.0/16, except: [10.244.1.0/24]}}', '{ipBlock: {cidr: 0.0.0.0/0}}'),
);
const port = fc.constantFrom('{port: 8080}', '{port: http}', '{port: 5353, protocol: UDP}', '{port: 8000, endPort: 9999}', '{protocol: UDP}');
const rule = fc.record({ peers: fc.array(peer, { maxLength: 2 }), ports: fc.array(port, { maxLength: 2 }) })
  .map((r) => `{${r.peers.length ? `to_or_from: [${r.peers.join(', ')}]` : ''}${r.peers.length && r.ports.length ? ', ' : ''}${r.ports.length ? `ports: [${r.ports.join(', ')}]` : ''}}`);
const policy = fc.record({ select: sel, ingress: fc.array(rule, { maxLength: 2 }), egress: fc.array(rule, { maxLength: 2 }) })
  .map((p, ) => `podSelector: ${p.select}\npolicyTypes: [Ingress, Egress]\ningress: [${p.ingress.map((r) => r.replace('to_or_from', 'from')).join(', ')}]\negress: [${p.egress.map((r) => r.replace('to_or_from', 'to')).join(', ')}]`);

test('property: policies are additive: with every pod of a namespace isolated, one more policy never denies what was allowed', () => {
  const deny = np('deny', 'shop', 'podSelector: {}\npolicyTypes: [Ingress, Egress]');
  const conns = fc.sample(conn, { numRuns: 25, seed: 3 });
  fc.assert(fc.property(fc.array(policy, { maxLength: 2 }), policy, (base, extra) => {
    const before = load(deny, ...base.map((p, i) => np(`p${i}`, 'shop', p)));
    const after = load(deny, ...base.map((p, i) => np(`p${i}`, 'shop', p)), np('extra', 'shop', extra));
    for (const q of conns) {
      const a = before.connect(q);
      if (a.verdict !== 'delivered') continue;
      const b = after.connect(q);
      assert.equal(b.verdict, 'delivered', `${q.from} → ${q.to} ${q.protocol} ${q.port}` + trace(b));
    }
  }), { numRuns: 30, seed: 5 });
});
