// The three tiers (Admin → NetworkPolicy → Baseline → allowed) in the packet walk, in both API
// versions of the Network Policy API. Each row names the fact it pins (the types' doc comments and
// the conformance tests of kubernetes-sigs/network-policy-api).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../cluster';
import { InputErrors } from '../model/errors';
import { renderHops } from '../net/trace';
import { connectJSON, type ConnectResult } from '../cni';
import { nodesAndTeams } from './testkit';

const BASE = nodesAndTeams('{name: node-a, labels: {role: worker}}') + `apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
spec: {nodeName: node-a, containers: [{name: app, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {nodeName: node-a, containers: [{name: app, image: x, ports: [{containerPort: 8080, name: http}, {containerPort: 9090, name: metrics}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: prom, namespace: ops, labels: {app: prom}}
spec: {nodeName: node-a, containers: [{name: app, image: x, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: http}]}
`;

const V1 = 'policy.networking.k8s.io/v1alpha1';
const V2 = 'policy.networking.k8s.io/v1alpha2';

/** An admin policy in either version: `rules` written in v1alpha1 terms (Allow, ports) are translated for v1alpha2. */
function anp(v: 1 | 2, name: string, priority: number, body: string): string {
  if (v === 1) return `apiVersion: ${V1}\nkind: AdminNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n  priority: ${priority}\n${indent(body)}`;
  return `apiVersion: ${V2}\nkind: ClusterNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n  tier: Admin\n  priority: ${priority}\n${indent(toV2(body))}`;
}

function banp(v: 1 | 2, body: string): string {
  if (v === 1) return `apiVersion: ${V1}\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n${indent(body)}`;
  return `apiVersion: ${V2}\nkind: ClusterNetworkPolicy\nmetadata: {name: baseline}\nspec:\n  tier: Baseline\n  priority: 0\n${indent(toV2(body))}`;
}

const indent = (s: string) => s.split('\n').map((l) => '  ' + l).join('\n') + '\n';

/** Allow → Accept; ports [{portNumber: {protocol: P, port: N}}] → protocols [{p: {destinationPort: {number: N}}}]. */
function toV2(body: string): string {
  return body
    .replace(/action: Allow/g, 'action: Accept')
    .replace(/ports: \[\{portNumber: \{protocol: (\w+), port: (\d+)\}\}\]/g, (_, p: string, n: string) => `protocols: [{${p.toLowerCase()}: {destinationPort: {number: ${n}}}}]`)
    .replace(/ports: \[\{portRange: \{protocol: (\w+), start: (\d+), end: (\d+)\}\}\]/g, (_, p: string, s: string, e: string) => `protocols: [{${p.toLowerCase()}: {destinationPort: {range: {start: ${s}, end: ${e}}}}}]`)
    .replace(/ports: \[\{namedPort: (\w+)\}\]/g, 'protocols: [{destinationNamedPort: $1}]');
}

function np(name: string, ns: string, spec: string): string {
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n${indent(spec)}`;
}

function load(...docs: string[]): Cluster {
  return Cluster.load([{ text: BASE + docs.map((d) => '---\n' + d).join(''), name: 'tiers.yaml' }]);
}

const trace = (r: ConnectResult) => '\n' + renderHops(r.hops);

// the policies the acceptance criteria name
const SUBJECT_WEB = 'subject: {pods: {namespaceSelector: {matchLabels: {team: shop}}, podSelector: {matchLabels: {app: web}}}}';
const DENY_INGRESS_10 = (v: 1 | 2) => anp(v, 'deny-web', 10, `${SUBJECT_WEB}\ningress:\n- {name: no-one, action: Deny, from: [{namespaces: {}}]}`);
const PASS_5 = (v: 1 | 2) => anp(v, 'pass-shop', 5, `${SUBJECT_WEB}\ningress:\n- {action: Pass, from: [{namespaces: {matchLabels: {team: shop}}}]}`);
const NP_ALLOW_CLIENT = np('allow-client', 'shop', 'podSelector: {matchLabels: {app: web}}\ningress: [{from: [{podSelector: {matchLabels: {app: client}}}]}]');
const BANP_DENY_WEB = (v: 1 | 2) => banp(v, `${SUBJECT_WEB}\ningress:\n- {action: Deny, from: [{namespaces: {}}]}`);

interface Row { name: string; docs: (v: 1 | 2) => string[]; from: string; to: string; port: number; protocol?: string; verdict: ConnectResult['verdict']; at?: RegExp; action?: string }

const rows: Row[] = [
  { name: 'an Admin Deny at priority 10 beats a namespace NetworkPolicy Allow ("no further ClusterNetworkPolicy or NetworkPolicy rules will be processed")',
    docs: (v) => [DENY_INGRESS_10(v), NP_ALLOW_CLIENT], from: 'shop/client', to: 'shop/web', port: 8080, verdict: 'dropped', at: /^policy\/(AdminNetworkPolicy|ClusterNetworkPolicy)\/deny-web$/, action: 'deny' },
  { name: 'a Pass at priority 5 above it hands the decision to NetworkPolicy (CNPAdminTierIntegration "pass-ingress ... respect the match for network policy")',
    docs: (v) => [PASS_5(v), DENY_INGRESS_10(v), NP_ALLOW_CLIENT], from: 'shop/client', to: 'shop/web', port: 8080, verdict: 'delivered', at: /^policy\/shop\/allow-client$/, action: 'allow' },
  { name: 'after a Pass, NetworkPolicy isolation denies what it does not allow',
    docs: (v) => [PASS_5(v), NP_ALLOW_CLIENT], from: 'ops/prom', to: 'shop/web', port: 8080, verdict: 'dropped', at: /^policy\/shop\/allow-client$/ },
  { name: 'the Pass does not match ops: the Admin Deny at 10 still applies to it',
    docs: (v) => [PASS_5(v), DENY_INGRESS_10(v), NP_ALLOW_CLIENT], from: 'ops/prom', to: 'shop/web', port: 8080, verdict: 'dropped', at: /deny-web$/ },
  { name: 'a Baseline Deny applies where no NetworkPolicy selects the pod',
    docs: (v) => [BANP_DENY_WEB(v)], from: 'shop/client', to: 'shop/web', port: 8080, verdict: 'dropped', at: /^policy\/(BaselineAdminNetworkPolicy\/default|ClusterNetworkPolicy\/baseline)$/, action: 'deny' },
  { name: 'a NetworkPolicy selecting the pod overrides the Baseline tier ("can be overridden by the v1.NetworkPolicy")',
    docs: (v) => [BANP_DENY_WEB(v), NP_ALLOW_CLIENT], from: 'shop/client', to: 'shop/web', port: 8080, verdict: 'delivered', at: /^policy\/shop\/allow-client$/ },
  { name: 'an Admin Pass goes to the Baseline tier when no NetworkPolicy selects the pod (CNPAdminTierIntegration "respect the match for baseline")',
    docs: (v) => [PASS_5(v), BANP_DENY_WEB(v)], from: 'shop/client', to: 'shop/web', port: 8080, verdict: 'dropped', at: /Baseline|baseline/ },
  { name: 'admin policies do not isolate: a pod an Allow rule does not match is still reachable (no implicit deny)',
    docs: (v) => [anp(v, 'allow-ops', 3, `${SUBJECT_WEB}\ningress:\n- {action: Allow, from: [{namespaces: {matchLabels: {team: ops}}}]}`)], from: 'shop/client', to: 'shop/web', port: 8080, verdict: 'delivered' },
  { name: 'an Admin Allow is final: a NetworkPolicy default deny cannot override it',
    docs: (v) => [anp(v, 'allow-ops', 3, `${SUBJECT_WEB}\ningress:\n- {action: Allow, from: [{namespaces: {matchLabels: {team: ops}}}]}`), np('deny', 'shop', 'podSelector: {}')], from: 'ops/prom', to: 'shop/web', port: 8080, verdict: 'delivered', at: /allow-ops$/, action: 'allow' },
  { name: 'lower priority number first: Allow at 1 beats Deny at 2 (AdminNetworkPolicyPriorityField)',
    docs: (v) => [anp(v, 'deny-2', 2, `${SUBJECT_WEB}\ningress: [{action: Deny, from: [{namespaces: {}}]}]`), anp(v, 'allow-1', 1, `${SUBJECT_WEB}\ningress: [{action: Allow, from: [{namespaces: {}}]}]`)], from: 'shop/client', to: 'shop/web', port: 8080, verdict: 'delivered', at: /allow-1$/ },
  { name: 'rules in the order written: the first matching rule decides',
    docs: (v) => [anp(v, 'ordered', 1, `${SUBJECT_WEB}\ningress:\n- {action: Allow, from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: client}}}}]}\n- {action: Deny, from: [{namespaces: {}}]}`)], from: 'shop/client', to: 'shop/web', port: 8080, verdict: 'delivered', at: /ordered$/ },
  { name: 'port numbers: a Deny on TCP 9090 leaves TCP 8080 alone',
    docs: (v) => [anp(v, 'deny-metrics', 1, `${SUBJECT_WEB}\ningress:\n- {action: Deny, from: [{namespaces: {}}], ports: [{portNumber: {protocol: TCP, port: 9090}}]}`)], from: 'shop/client', to: 'shop/web', port: 8080, verdict: 'delivered' },
  { name: 'port ranges include both ends (AdminNetworkPolicy port-range rules)',
    docs: (v) => [anp(v, 'deny-range', 1, `${SUBJECT_WEB}\ningress:\n- {action: Deny, from: [{namespaces: {}}], ports: [{portRange: {protocol: TCP, start: 8000, end: 8080}}]}`)], from: 'shop/client', to: 'shop/web', port: 8080, verdict: 'dropped' },
  { name: 'named ports resolve on the destination pod',
    docs: (v) => [anp(v, 'deny-http', 1, `${SUBJECT_WEB}\ningress:\n- {action: Deny, from: [{namespaces: {}}], ports: [{namedPort: http}]}`)], from: 'shop/client', to: 'shop/web', port: 8080, verdict: 'dropped' },
  { name: 'egress: networks CIDRs match pod IPs too ("cluster-internal traffic will be checked against the rule as well")',
    docs: (v) => [anp(v, 'deny-pods', 1, `subject: {namespaces: {matchLabels: {team: ops}}}\negress:\n- {action: Deny, to: [{networks: [10.244.0.0/16]}]}`)], from: 'ops/prom', to: 'shop/web', port: 8080, verdict: 'dropped', at: /deny-pods$/ },
  { name: 'egress: nodes peers select node addresses, not pods',
    docs: (v) => [anp(v, 'deny-nodes', 1, `subject: {namespaces: {matchLabels: {team: ops}}}\negress:\n- {action: Deny, to: [{nodes: {matchLabels: {role: worker}}}]}`)], from: 'ops/prom', to: 'shop/web', port: 8080, verdict: 'delivered' },
  { name: 'egress Deny of the source pod drops before the destination is consulted',
    docs: (v) => [anp(v, 'no-egress', 1, `subject: {namespaces: {matchLabels: {team: shop}}}\negress:\n- {action: Deny, to: [{namespaces: {matchLabels: {team: ops}}}]}`)], from: 'shop/client', to: 'ops/prom', port: 8080, verdict: 'dropped', at: /no-egress$/ },
  { name: 'hairpin through a Service arrives from the node (KUBE-MARK-MASQ for hairpin): a namespaces peer does not match it (CNPHairpin, an extended feature, is not modelled)',
    docs: (v) => [DENY_INGRESS_10(v)], from: 'shop/web', to: 'svc:shop/web', port: 80, verdict: 'delivered' },
  { name: 'pod to pod, an Admin Deny drops what NetworkPolicy would leave alone',
    docs: (v) => [DENY_INGRESS_10(v)], from: 'ops/prom', to: 'shop/web', port: 9090, verdict: 'dropped', at: /deny-web$/ },
  { name: 'hairpin through a Service under NetworkPolicy alone: "a pod cannot block access to itself"',
    docs: () => [np('deny', 'shop', 'podSelector: {}')], from: 'shop/web', to: 'svc:shop/web', port: 80, verdict: 'delivered' },
];

for (const v of [1, 2] as const) {
  for (const r of rows) {
    test(`v1alpha${v}: ${r.name}`, () => {
      const c = load(...r.docs(v));
      const to = r.to.startsWith('svc:') ? c.realised.serviceByKey.get(r.to.slice(4))!.clusterIPs[0] : r.to;
      const res = c.connect({ from: r.from, to, port: r.port, protocol: (r.protocol ?? 'TCP') as 'TCP' });
      assert.equal(res.verdict, r.verdict, trace(res));
      if (r.at) {
        const h = res.hops.find((x) => r.at!.test(x.at) && (!r.action || x.action === r.action));
        assert.ok(h, `a hop at ${r.at}${r.action ? ` with action ${r.action}` : ''}` + trace(res));
      }
    });
  }
}

test('explain: the deciding hop names the tier, the policy, the rule index and name, and its file:line; -o json carries them', () => {
  const c = load(DENY_INGRESS_10(1), NP_ALLOW_CLIENT);
  const res = c.connect({ from: 'shop/client', to: 'shop/web', port: 8080 });
  const h = res.hops.find((x) => x.action === 'deny')!;
  assert.equal(h.at, 'policy/AdminNetworkPolicy/deny-web');
  assert.match(h.detail, /^Admin tier: AdminNetworkPolicy deny-web \(priority 10\) ingress rule 1 "no-one" \(Deny: from namespaces \{\} \(every namespace\); ports: every port\) denies TCP 8080 from pod shop\/client/);
  assert.equal(h.source?.what, 'AdminNetworkPolicy deny-web ingress rule 1 "no-one"');
  // the first ingress rule's line in the ANP document (BASE and --- take 33 lines)
  assert.deepEqual([h.source?.pos?.file, h.source?.pos?.line], ['tiers.yaml', 41]);
  const j = connectJSON(res) as { hops: { at: string; action: string; source?: string; policy?: Record<string, unknown> }[] };
  assert.deepEqual(j.hops.find((x) => x.action === 'deny')!.policy, { tier: 'Admin', kind: 'AdminNetworkPolicy', name: 'deny-web', direction: 'ingress', rule: 0, ruleName: 'no-one', action: 'deny', source: 'tiers.yaml:41:5' });
  assert.ok(j.hops.some((x) => x.at === 'policy/AdminNetworkPolicy/deny-web' && x.action === 'deny' && x.source === 'AdminNetworkPolicy deny-web ingress rule 1 "no-one" (tiers.yaml:41:5)'), JSON.stringify(j.hops));
});

test('a Pass shows as its own hop with action pass, then the NetworkPolicy decision', () => {
  const c = load(PASS_5(2), NP_ALLOW_CLIENT);
  const res = c.connect({ from: 'shop/client', to: 'shop/web', port: 8080 });
  const i = res.hops.findIndex((x) => x.action === 'pass');
  assert.ok(i >= 0, trace(res));
  assert.equal(res.hops[i].at, 'policy/ClusterNetworkPolicy/pass-shop');
  assert.match(res.hops[i].detail, /Admin tier: ClusterNetworkPolicy pass-shop \(Admin tier, priority 5\) ingress rule 1 \(Pass: from namespaces team=shop; ports: every port\) passes TCP 8080 .*: the NetworkPolicy tier decides/);
  assert.equal(res.hops[i + 1].at, 'policy/shop/allow-client');
  assert.deepEqual(res.hops[i].policy, { tier: 'Admin', kind: 'ClusterNetworkPolicy', name: 'pass-shop', direction: 'ingress', rule: 0, action: 'pass' });
  assert.deepEqual(res.hops[i + 1].policy, { tier: 'NetworkPolicy', kind: 'NetworkPolicy', namespace: 'shop', name: 'allow-client', direction: 'ingress', rule: 0, action: 'allow' });
});

test('equal priorities in one tier are undefined behaviour: a warning names both (AdminNetworkPolicySamePriority)', () => {
  const c = load(anp(1, 'a', 7, `${SUBJECT_WEB}\ningress: [{action: Deny, from: [{namespaces: {}}]}]`), anp(2, 'b', 7, `${SUBJECT_WEB}\ningress: [{action: Allow, from: [{namespaces: {}}]}]`));
  const w = c.warnings.find((x) => x.code === 'NS-POLICY-SAME-PRIORITY');
  assert.ok(w, JSON.stringify(c.warnings));
  assert.match(w.message, /AdminNetworkPolicy a, ClusterNetworkPolicy b share priority 7 in the Admin tier: .*undefined/);
});

test('both API versions load without the unknown-kind warning', () => {
  const c = load(DENY_INGRESS_10(1), DENY_INGRESS_10(2).replace('deny-web', 'deny-web-2'), BANP_DENY_WEB(1));
  assert.ok(!c.warnings.some((w) => w.code === 'NS-UNKNOWN-KIND'), JSON.stringify(c.warnings));
});

function errorsOf(doc: string): { code: string; message: string; line?: number }[] {
  try { load(doc); } catch (e) {
    if (e instanceof InputErrors) return e.errors.map((x) => ({ code: x.code, message: x.message, line: x.pos?.line }));
    throw e;
  }
  return [];
}

test('validation: located errors for what the CRDs reject, all at once', () => {
  const errs = errorsOf(`apiVersion: ${V1}
kind: AdminNetworkPolicy
metadata: {name: bad}
spec:
  priority: 1001
  subject: {namespaces: {}, pods: {podSelector: {}}}
  ingress:
  - action: Accept
    from: []
  egress:
  - action: Deny
    to: [{networks: [10.0.0.0/33]}]
    ports: [{portRange: {start: 90, end: 80}}]
`);
  const codes = errs.map((e) => `${e.code}@${e.line}`).sort();
  assert.deepEqual(codes, ['NS-INVALID-CIDR@45', 'NS-MISSING-FIELD@42', 'NS-POLICY-ACTION@41', 'NS-POLICY-ONE-OF@39', 'NS-POLICY-PRIORITY@38', 'NS-PORT-RANGE@46'].sort(), JSON.stringify(errs, null, 1));
  assert.match(errs.find((e) => e.code === 'NS-POLICY-ACTION')!.message, /action "Accept" is not one of Allow, Deny, Pass/);
});

test('validation: a BaselineAdminNetworkPolicy is named "default" and has no Pass; a ClusterNetworkPolicy needs its tier', () => {
  const banpErrs = errorsOf(`apiVersion: ${V1}\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: base}\nspec:\n  subject: {namespaces: {}}\n  ingress: [{action: Pass, from: [{namespaces: {}}]}]\n`);
  assert.deepEqual(banpErrs.map((e) => e.code).sort(), ['NS-POLICY-ACTION', 'NS-POLICY-BANP-NAME']);
  const cnpErrs = errorsOf(`apiVersion: ${V2}\nkind: ClusterNetworkPolicy\nmetadata: {name: c}\nspec:\n  priority: 1\n  subject: {namespaces: {}}\n  ingress: [{action: Allow, from: [{namespaces: {}}], ports: [{portNumber: {port: 80}}]}]\n`);
  assert.deepEqual(cnpErrs.map((e) => e.code).sort(), ['NS-MISSING-FIELD', 'NS-POLICY-ACTION', 'NS-SCHEMA']);
  assert.match(cnpErrs.find((e) => e.code === 'NS-POLICY-ACTION')!.message, /"Allow" is not one of Accept, Deny, Pass/);
});

test('validation: networks peers cannot use a named port; domainNames warns that it is not modelled', () => {
  const errs = errorsOf(`apiVersion: ${V2}\nkind: ClusterNetworkPolicy\nmetadata: {name: c}\nspec:\n  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  egress: [{action: Deny, to: [{networks: [10.0.0.0/8]}], protocols: [{destinationNamedPort: http}]}]\n`);
  assert.deepEqual(errs.map((e) => e.code), ['NS-POLICY-NAMED-PORT']);
  const c = load(`apiVersion: ${V2}\nkind: ClusterNetworkPolicy\nmetadata: {name: d}\nspec:\n  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  egress: [{action: Accept, to: [{domainNames: [example.com]}]}]\n`);
  assert.ok(c.warnings.some((w) => w.code === 'NS-POLICY-UNMODELLED' && /domainNames/.test(w.message)));
});
