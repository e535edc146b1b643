import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { realiseFixture, type Fixture } from '../fixtures';
import { OVERALL, SHOP } from '../testclusters';
import { iptablesSave, ruleCounts } from '../index';
import { svlChain } from '../hash';
import { nodeRuleset } from './build';
import { indexKey } from './assembled';
import { ruleText } from './rules';

const golden = (name: string) => readFileSync(join(__dirname, '..', 'testdata', name), 'utf8');
const save = (fx: Fixture, node: string) => iptablesSave(realiseFixture(fx), node);
const lines = (text: string, re: RegExp) => text.split('\n').filter((l) => re.test(l));

test('golden: kube-proxy TestOverallIPTablesRules cluster, as iptables-save prints it', () => {
  // Hand-checked rule by rule against the expected restore input in kube-proxy's proxier_test.go
  // (same chains, same hashes, same matches), rewritten in iptables-save's order and quoting.
  assert.equal(save(OVERALL, 'test-node'), golden('overall.iptables-save'));
});

test('golden: the acceptance cluster (3-endpoint ClusterIP service) on node-a', () => {
  assert.equal(save(SHOP, 'node-a'), golden('shop-node-a.iptables-save'));
});

test('the KUBE-SVC chain of a 3-endpoint service: 0.33333333349, then 0.50000000000, then the last endpoint unconditionally', () => {
  const out = save(SHOP, 'node-a');
  const svc = lines(out, /^-A KUBE-SVC-E3PXEPMWAWIUT6ZV /);
  assert.deepEqual(svc, [
    '-A KUBE-SVC-E3PXEPMWAWIUT6ZV ! -s 10.244.0.0/16 -d 10.96.0.20/32 -p tcp -m comment --comment "shop/web cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
    '-A KUBE-SVC-E3PXEPMWAWIUT6ZV -m comment --comment "shop/web -> 10.244.0.10:8080" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-TAEKUFL5NCGFWENG',
    '-A KUBE-SVC-E3PXEPMWAWIUT6ZV -m comment --comment "shop/web -> 10.244.1.11:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-FBUQD36J3XDXJWPV',
    '-A KUBE-SVC-E3PXEPMWAWIUT6ZV -m comment --comment "shop/web -> 10.244.1.12:8080" -j KUBE-SEP-IRSVATMN7ADH7EG4',
  ]);
});

test('endpoints are ordered as kube-proxy sorts them: by the "ip:port" string, so 10.0.0.10 comes before 10.0.0.9', () => {
  const fx: Fixture = {
    nodes: [{ name: 'n1', ip: '192.168.0.1' }],
    services: [{ ns: 'a', name: 's', clusterIP: '10.96.0.5', ports: [{ port: 80 }], selector: null,
      endpoints: ['10.0.0.9', '10.0.0.10', '10.0.0.2'].map((ip) => ({ ip, ports: [{ port: 80 }] })) }],
  };
  const eps = lines(save(fx, 'n1'), /^-A KUBE-SVC-/).map((l) => /-> ([\d.:]+)/.exec(l)?.[1]).filter(Boolean);
  assert.deepEqual(eps, ['10.0.0.10:80', '10.0.0.2:80', '10.0.0.9:80']);
});

test('a service without endpoints: filter KUBE-SERVICES REJECT, KUBE-EXTERNAL-SERVICES REJECT for external IPs and the NodePort; no nat chains', () => {
  const fx: Fixture = {
    nodes: [{ name: 'n1', ip: '192.168.0.1' }],
    services: [{ ns: 'a', name: 'empty', type: 'NodePort', clusterIP: '10.96.0.5', externalIPs: ['192.168.99.1'], ports: [{ name: 'http', port: 80, nodePort: 30100 }], selector: null }],
  };
  const out = save(fx, 'n1');
  assert.deepEqual(lines(out, /has no endpoints/), [
    '-A KUBE-EXTERNAL-SERVICES -d 192.168.99.1/32 -p tcp -m comment --comment "a/empty:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
    '-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "a/empty:http has no endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30100 -j REJECT --reject-with icmp-port-unreachable',
    '-A KUBE-SERVICES -d 10.96.0.5/32 -p tcp -m comment --comment "a/empty:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
  ]);
  assert.deepEqual(lines(out, /KUBE-(SVC|SEP|EXT)-/), []);
});

test('internalTrafficPolicy Local: KUBE-SVL with local endpoints only; a node without one DROPs cluster IP traffic ("has no local endpoints")', () => {
  const fx: Fixture = {
    nodes: [{ name: 'n1', ip: '192.168.0.1' }, { name: 'n2', ip: '192.168.0.2' }],
    services: [{ ns: 'a', name: 's', itp: 'Local', clusterIP: '10.96.0.5', ports: [{ port: 80 }], selector: null,
      endpoints: [{ ip: '10.244.0.5', node: 'n1', ports: [{ port: 80 }] }, { ip: '10.244.1.5', node: 'n2', ports: [{ port: 80 }] }, { ip: '10.244.1.6', node: 'n2', ports: [{ port: 80 }] }] }],
  };
  const n1 = save(fx, 'n1');
  assert.deepEqual(lines(n1, /^-A KUBE-SERVICES -d/), [`-A KUBE-SERVICES -d 10.96.0.5/32 -p tcp -m comment --comment "a/s cluster IP" -m tcp --dport 80 -j ${svlChain('a/s', 'tcp')}`]);
  assert.equal(lines(n1, /^-A KUBE-SVL-.* -j KUBE-SEP/).length, 1);
  assert.deepEqual(lines(n1, /^:KUBE-SVC-/), [], 'no cluster chain: nothing uses Cluster policy');
  const fx3: Fixture = { ...fx, nodes: [...fx.nodes, { name: 'n3', ip: '192.168.0.3' }] };
  const n3 = save(fx3, 'n3');
  assert.deepEqual(lines(n3, /has no local endpoints/), ['-A KUBE-SERVICES -d 10.96.0.5/32 -p tcp -m comment --comment "a/s has no local endpoints" -m tcp --dport 80 -j DROP']);
});

test('externalTrafficPolicy Local: KUBE-EXT short-circuits pod and node traffic to KUBE-SVC, sends the rest to KUBE-SVL; without a local endpoint external traffic is DROPped in the filter table', () => {
  const fx: Fixture = {
    nodes: [{ name: 'n1', ip: '192.168.0.1' }, { name: 'n2', ip: '192.168.0.2' }],
    services: [{ ns: 'a', name: 'lb', type: 'LoadBalancer', etp: 'Local', clusterIP: '10.96.0.5', lbIPs: ['198.51.100.10'], healthCheckNodePort: 32000,
      ports: [{ name: 'http', port: 80, nodePort: 30080 }], selector: null, endpoints: [{ ip: '10.244.0.5', node: 'n1', ports: [{ name: 'http', port: 8080 }] }] }],
  };
  const n1 = save(fx, 'n1');
  const ext = lines(n1, /^-A KUBE-EXT-/);
  assert.equal(ext.length, 4);
  assert.match(ext[0], /-s 10\.244\.0\.0\/16 -m comment --comment "pod traffic for a\/lb:http external destinations" -j KUBE-SVC-/);
  assert.match(ext[1], /masquerade LOCAL traffic.* -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ/);
  assert.match(ext[2], /route LOCAL traffic.* -m addrtype --src-type LOCAL -j KUBE-SVC-/);
  assert.match(ext[3], /^-A KUBE-EXT-\S+ -j KUBE-SVL-/);
  assert.deepEqual(lines(n1, /health check node port/), ['-A KUBE-NODEPORTS -p tcp -m comment --comment "a/lb:http health check node port" -m tcp --dport 32000 -j ACCEPT']);
  const n2 = save(fx, 'n2');
  assert.deepEqual(lines(n2, /has no local endpoints/), [
    '-A KUBE-EXTERNAL-SERVICES -d 198.51.100.10/32 -p tcp -m comment --comment "a/lb:http has no local endpoints" -m tcp --dport 80 -j DROP',
    '-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "a/lb:http has no local endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30080 -j DROP',
  ]);
  assert.equal(lines(n2, /^-A KUBE-EXT-\S+ -j KUBE-SVL-/).length, 0, 'no jump to a local chain that does not exist');
});

test('sessionAffinity ClientIP: -m recent --rcheck rules first in KUBE-SVC, --set in the KUBE-SEP DNAT rule', () => {
  const fx: Fixture = {
    nodes: [{ name: 'n1', ip: '192.168.0.1' }],
    services: [{ ns: 'a', name: 's', affinity: true, affinityTimeout: 600, clusterIP: '10.96.0.5', ports: [{ port: 80 }], selector: null,
      endpoints: [{ ip: '10.244.0.5', ports: [{ port: 80 }] }, { ip: '10.244.0.6', ports: [{ port: 80 }] }] }],
  };
  const out = save(fx, 'n1');
  const svc = lines(out, /^-A KUBE-SVC-/);
  assert.match(svc[1], /-m recent --rcheck --seconds 600 --reap --name (KUBE-SEP-\w+) --mask 255\.255\.255\.255 --rsource -j \1$/);
  assert.match(svc[2], /-m recent --rcheck --seconds 600 --reap/);
  assert.match(svc[3], /--probability 0\.50000000000/);
  assert.equal(lines(out, /-m recent --set --name KUBE-SEP-\w+ --mask 255\.255\.255\.255 --rsource -m tcp -j DNAT/).length, 2);
});

test('hairpin: every KUBE-SEP chain first marks traffic from the endpoint itself for masquerade', () => {
  const out = save(SHOP, 'node-a');
  assert.deepEqual(lines(out, /^-A KUBE-SEP-\w+ -s /), [
    '-A KUBE-SEP-FBUQD36J3XDXJWPV -s 10.244.1.11/32 -m comment --comment "shop/web" -j KUBE-MARK-MASQ',
    '-A KUBE-SEP-IRSVATMN7ADH7EG4 -s 10.244.1.12/32 -m comment --comment "shop/web" -j KUBE-MARK-MASQ',
    '-A KUBE-SEP-TAEKUFL5NCGFWENG -s 10.244.0.10/32 -m comment --comment "shop/web" -j KUBE-MARK-MASQ',
  ]);
});

test('masqueradeAll marks every cluster IP connection; without a cluster CIDR (NoOp detector) there is no masquerade rule', () => {
  const all = save({ ...SHOP, config: { masqueradeAll: true } }, 'node-a');
  assert.deepEqual(lines(all, /^-A KUBE-SVC-\S+ .*KUBE-MARK-MASQ/), ['-A KUBE-SVC-E3PXEPMWAWIUT6ZV -d 10.96.0.20/32 -p tcp -m comment --comment "shop/web cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ']);
  const none = save({ ...SHOP, config: { proxyClusterCIDR: '' } }, 'node-a');
  assert.deepEqual(lines(none, /^-A KUBE-SVC-\S+ .*KUBE-MARK-MASQ/), []);
});

test('loadBalancerSourceRanges: KUBE-FW chain lets the ranges through; a node inside a range may also reach the LB IP from itself', () => {
  const fx: Fixture = {
    nodes: [{ name: 'in', ip: '203.0.113.20' }, { name: 'out', ip: '192.168.0.9' }],
    services: [{ ns: 'a', name: 'lb', type: 'LoadBalancer', clusterIP: '10.96.0.5', lbIPs: ['198.51.100.10'], sourceRanges: ['203.0.113.0/24'],
      ports: [{ port: 443, nodePort: 30443 }], selector: null, endpoints: [{ ip: '10.244.0.5', ports: [{ port: 8443 }] }] }],
  };
  const fwIn = lines(save(fx, 'in'), /^-A KUBE-FW-/);
  assert.equal(fwIn.length, 3);
  assert.match(fwIn[1], /-s 198\.51\.100\.10\/32 .* -j KUBE-EXT-/);
  const fwOut = lines(save(fx, 'out'), /^-A KUBE-FW-/);
  assert.equal(fwOut.length, 2);
  assert.match(fwOut[1], /other traffic to a\/lb will be dropped by KUBE-PROXY-FIREWALL"$/);
});

test('terminating endpoints are used only when no endpoint is ready (serving and terminating fallback)', () => {
  const fx: Fixture = {
    nodes: [{ name: 'n1', ip: '192.168.0.1' }],
    services: [{ ns: 'a', name: 's', clusterIP: '10.96.0.5', ports: [{ port: 80 }], selector: null,
      endpoints: [{ ip: '10.244.0.5', ready: false, serving: true, terminating: true, ports: [{ port: 80 }] }, { ip: '10.244.0.6', ready: false, serving: false, ports: [{ port: 80 }] }] }],
  };
  assert.deepEqual(lines(save(fx, 'n1'), /-j DNAT/).map((l) => l.split(' ').pop()), ['10.244.0.5:80']);
});

test('more than 1000 endpoints: kube-proxy drops the comments from KUBE-SEP and SVC → SEP rules', () => {
  const endpoints = Array.from({ length: 1001 }, (_, i) => ({ ip: `10.244.${i >> 8}.${i & 255}`, ports: [{ port: 80 }] }));
  const fx: Fixture = { nodes: [{ name: 'n1', ip: '192.168.0.1' }], services: [{ ns: 'a', name: 's', clusterIP: '10.96.0.5', ports: [{ port: 80 }], selector: null, endpoints }] };
  const out = save(fx, 'n1');
  assert.equal(lines(out, /^-A KUBE-SEP-.*--comment/).length, 0);
  assert.equal(lines(out, /^-A KUBE-SVC-.* -j KUBE-SEP-/).filter((l) => l.includes('--comment')).length, 0);
  assert.match(lines(out, /^-A KUBE-SVC-/)[0], /cluster IP/);
});

test('rule counts: N ClusterIP services × M endpoints = 4 + N·(1 + 1 + M + 2M) + 1 nat rules (kube-proxy metric)', () => {
  const N = 7, M = 3;
  const services = Array.from({ length: N }, (_, i) => ({
    ns: 'a', name: `s${i}`, clusterIP: `10.96.1.${i + 1}`, ports: [{ port: 80 }], selector: null,
    endpoints: Array.from({ length: M }, (_, j) => ({ ip: `10.244.${i}.${j + 1}`, ports: [{ port: 8080 }] })),
  }));
  const r = realiseFixture({ nodes: [{ name: 'n1', ip: '192.168.0.1' }], services });
  const c = ruleCounts(r, 'n1');
  assert.equal(c.natRules, 4 + N * (1 + 1 + M + 2 * M) + 1);
  assert.equal(c.kubeServices, N + 1);
  assert.equal(c.filterRules, 4);
});

test('node-independent services share their chains; Local ones differ per node', () => {
  const r = realiseFixture(SHOP);
  const a = iptablesSave(r, 'node-a'), b = iptablesSave(r, 'node-b');
  assert.equal(a.replace(/node-a/g, 'X'), b.replace(/node-b/g, 'X'));
});

test('terminating fallback is decided apart for Cluster and Local: externalTrafficPolicy Local with only a terminating local endpoint puts it in KUBE-SVL while KUBE-SVC keeps the ready remote one', () => {
  // pkg/proxy/topology.go CategorizeEndpoints: "fall back to Serving-Terminating endpoints
  // (independently for Cluster and Local)"; allReachableEndpoints is then the union of both lists
  const fx: Fixture = {
    nodes: [{ name: 'n1', ip: '192.168.0.1' }, { name: 'n2', ip: '192.168.0.2' }],
    services: [{ ns: 'a', name: 'lb', type: 'LoadBalancer', etp: 'Local', clusterIP: '10.96.0.5', lbIPs: ['198.51.100.10'], healthCheckNodePort: 32000,
      ports: [{ name: 'http', port: 80, nodePort: 30080 }], selector: null, endpoints: [
        { ip: '10.244.0.5', node: 'n1', ready: false, serving: true, terminating: true, ports: [{ name: 'http', port: 8080 }] },
        { ip: '10.244.0.6', node: 'n1', ready: false, serving: false, terminating: true, ports: [{ name: 'http', port: 8080 }] },
        { ip: '10.244.1.5', node: 'n2', ports: [{ name: 'http', port: 8080 }] },
      ] }],
  };
  const n1 = save(fx, 'n1');
  const target = (re: RegExp) => lines(n1, re).map((l) => /-> ([\d.:]+)/.exec(l)?.[1]);
  assert.deepEqual(target(/^-A KUBE-SVC-.* -j KUBE-SEP-/), ['10.244.1.5:8080']);
  assert.deepEqual(target(/^-A KUBE-SVL-.* -j KUBE-SEP-/), ['10.244.0.5:8080']);
  assert.deepEqual(lines(n1, /-j DNAT/).map((l) => l.split(' ').pop()).sort(), ['10.244.0.5:8080', '10.244.1.5:8080']);
  assert.deepEqual(lines(n1, /has no (local )?endpoints/), []);
  // n2 has a ready local endpoint: no fallback there
  assert.deepEqual(lines(save(fx, 'n2'), /^-A KUBE-SVL-.* -j KUBE-SEP-/).map((l) => /-> ([\d.:]+)/.exec(l)?.[1]), ['10.244.1.5:8080']);
});

test('internalTrafficPolicy Local falls back to the node\'s serving, terminating endpoints; a not-serving terminating one never counts', () => {
  const fx: Fixture = {
    nodes: [{ name: 'n1', ip: '192.168.0.1' }, { name: 'n2', ip: '192.168.0.2' }],
    services: [{ ns: 'a', name: 's', itp: 'Local', clusterIP: '10.96.0.5', ports: [{ port: 80 }], selector: null, endpoints: [
      { ip: '10.244.0.5', node: 'n1', ready: false, serving: true, terminating: true, ports: [{ port: 80 }] },
      { ip: '10.244.1.6', node: 'n2', ready: false, serving: false, terminating: true, ports: [{ port: 80 }] },
      { ip: '10.244.0.7', node: 'n2', ready: true, ports: [{ port: 80 }] },
    ] }],
  };
  assert.deepEqual(lines(save(fx, 'n1'), /^-A KUBE-SVL-.* -j KUBE-SEP-/).map((l) => /-> ([\d.:]+)/.exec(l)?.[1]), ['10.244.0.5:80']);
  assert.deepEqual(lines(save(fx, 'n2'), /^-A KUBE-SVL-.* -j KUBE-SEP-/).map((l) => /-> ([\d.:]+)/.exec(l)?.[1]), ['10.244.0.7:80']);
  // no Cluster-policy chain at all: internal-only Local services never use KUBE-SVC (UsesClusterEndpoints is false)
  assert.deepEqual(lines(save(fx, 'n1'), /^:KUBE-SVC-/), []);
});

test('externalTrafficPolicy Local applies to a ClusterIP service\'s externalIPs too (ExternallyAccessible: NodePort, LoadBalancer, or ClusterIP with externalIPs)', () => {
  // pkg/api/v1/service/util.go ExternallyAccessible / ExternalPolicyLocal
  const fx: Fixture = {
    nodes: [{ name: 'n1', ip: '192.168.0.1' }, { name: 'n2', ip: '192.168.0.2' }],
    services: [{ ns: 'a', name: 'x', etp: 'Local', clusterIP: '10.96.0.5', externalIPs: ['192.0.2.50'], ports: [{ port: 80 }], selector: null,
      endpoints: [{ ip: '10.244.0.5', node: 'n1', ports: [{ port: 80 }] }] }],
  };
  const n1 = save(fx, 'n1');
  assert.match(lines(n1, /^-A KUBE-EXT-/).pop()!, /^-A KUBE-EXT-\S+ -j KUBE-SVL-/);
  assert.equal(lines(n1, /masquerade traffic for a\/x external destinations/).length, 0);
  assert.deepEqual(lines(save(fx, 'n2'), /has no local endpoints/), [
    '-A KUBE-EXTERNAL-SERVICES -d 192.0.2.50/32 -p tcp -m comment --comment "a/x has no local endpoints" -m tcp --dport 80 -j DROP',
  ]);
});

test('kube-proxy ignores a Service labelled service.kubernetes.io/headless or service.kubernetes.io/service-proxy-name, even with a cluster IP (its informers\' label selector)', () => {
  // cmd/kube-proxy/app/server.go: labelSelector = !service.kubernetes.io/service-proxy-name, !service.kubernetes.io/headless
  const fx: Fixture = {
    nodes: [{ name: 'n1', ip: '192.168.0.1' }],
    services: [{ ns: 'a', name: 's', clusterIP: '10.96.0.5', ports: [{ port: 80 }], selector: null, endpoints: [{ ip: '10.244.0.5', ports: [{ port: 80 }] }] }],
  };
  const r = realiseFixture(fx);
  assert.equal(lines(iptablesSave(r, 'n1'), /10\.96\.0\.5/).length, 2);
  for (const label of ['service.kubernetes.io/headless', 'service.kubernetes.io/service-proxy-name']) {
    const r2 = realiseFixture(fx);
    r2.services[0].obj.metadata.labels = { [label]: '' };
    assert.deepEqual(lines(iptablesSave(r2, 'n1'), /10\.96\.0\.5/), [], label);
  }
});

test('a node\'s service chains share the cluster\'s rules, and the walk\'s lookup is exactly the chain\'s rules that can match, in chain order', () => {
  // Two nodes of one cluster write the same rules for every service port whose rules do not depend
  // on the node (no Local traffic policy; loadBalancerSourceRanges only vary with the node's IP):
  // one rule object serves both.
  const r = realiseFixture({ ...SHOP, services: [...SHOP.services!, ...OVERALL.services!] });
  const [a, b] = ['node-a', 'node-b'].map((n) => nodeRuleset(r, r.nodes.find((x) => x.name === n)!));
  const svcA = a.chain('nat', 'KUBE-SERVICES')!.rules, svcB = b.chain('nat', 'KUBE-SERVICES')!.rules;
  const shared = svcA.filter((x) => svcB.includes(x));
  assert.ok(shared.some((x) => /shop\/web/.test(ruleText(x))), 'shared: a port without Local policy');
  assert.ok(svcA.some((x) => /ns2\/svc2/.test(ruleText(x))) && shared.every((x) => !/ns2\/svc2/.test(ruleText(x))), 'own: the Local LoadBalancer of each node');
  for (const rs of [a, b]) {
    for (const [table, name] of [['nat', 'KUBE-SERVICES'], ['nat', 'KUBE-NODEPORTS'], ['filter', 'KUBE-EXTERNAL-SERVICES'], ['filter', 'KUBE-PROXY-FIREWALL']] as const) {
      const c = rs.chain(table, name)!;
      assert.ok(c.lookup, `${name} is assembled`);
      const keys = new Set(c.rules.map((x) => JSON.stringify(indexKey(x))));
      const probes = [...keys].map((k) => JSON.parse(k)).filter((k) => k.k === 'dst').map((k) => k.key.split('|'));
      probes.push(['10.1.2.3', 'tcp', '9']); // matches no keyed rule: only the unkeyed ones
      for (const [dst, proto, port] of probes) {
        const want = c.rules.filter((x) => { const k = indexKey(x); return k.k === 'wild' || k.key === `${dst}|${proto}|${port}` || k.key === `${proto}|${port}`; });
        assert.deepEqual(c.lookup!(dst, proto, +port).map(ruleText), want.map(ruleText), `${name} ${dst}:${port}`);
      }
    }
  }
});
