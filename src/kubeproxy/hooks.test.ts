import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cniHooks, combineHooks, connectQuery, type ConnectQuery, type ConnectResult } from '../cni';
import type { Realised } from '../model/realised';
import { realiseFixture, type Fixture } from './fixtures';
import { SHOP } from './testclusters';
import { kubeProxyHooks, proxyState } from './hooks';

function connectIn(r: Realised, q: ConnectQuery): ConnectResult {
  return connectQuery(r, q, combineHooks(cniHooks(r), kubeProxyHooks(r)));
}

const WEB_IPS = ['10.244.0.10', '10.244.1.11', '10.244.1.12'];

test('acceptance: pod → 3-endpoint ClusterIP is delivered to one of them, DNAT CLUSTERIP:80 → PODIP:8080 by kube-proxy, reply from CLUSTERIP:80', () => {
  const r = realiseFixture(SHOP);
  for (let seed = 1; seed <= 12; seed++) {
    const res = connectIn(r, { from: 'shop/client', to: '10.96.0.20', port: 80, seed });
    assert.equal(res.verdict, 'delivered');
    assert.ok(WEB_IPS.includes(res.delivered!.ip));
    assert.equal(res.delivered!.port, 8080);
    const dnat = res.nat.filter((n) => n.kind === 'DNAT');
    assert.deepEqual(dnat.map((n) => ({ kind: n.kind, by: n.by, before: n.before, after: n.after })), [{ kind: 'DNAT', by: 'kube-proxy', before: '10.96.0.20:80', after: `${res.delivered!.ip}:8080` }]);
    assert.equal(res.reply!.source, '10.96.0.20:80');
    // pod → service keeps the pod's address: no SNAT anywhere
    assert.equal(res.nat.filter((n) => n.kind === 'SNAT').length, 0);
    assert.equal(res.final!.src.split(':')[0], '10.244.0.5');
    // the trace names the rules and the Service's position
    const dnatHop = res.hops.find((h) => h.action === 'dnat')!;
    assert.match(dnatHop.at, /^node\/node-a\/iptables\/nat\/KUBE-SEP-/);
    assert.match(dnatHop.source!.what, /-j DNAT --to-destination/);
    assert.equal(dnatHop.source!.pos?.file, 'fixture.yaml');
  }
});

test('the same seed gives the same endpoint and the same trace', () => {
  const r = realiseFixture(SHOP);
  const a = connectIn(r, { from: 'shop/client', to: '10.96.0.20', port: 80, seed: 42 });
  const b = connectIn(realiseFixture(SHOP), { from: 'shop/client', to: '10.96.0.20', port: 80, seed: 42 });
  assert.deepEqual(a, b);
});

test('over 3000 connections each of the 3 endpoints gets a third, within 5 %', () => {
  const r = realiseFixture(SHOP);
  const count = new Map<string, number>();
  for (let seed = 1; seed <= 3000; seed++) {
    const res = connectIn(r, { from: 'shop/client', to: '10.96.0.20', port: 80, seed });
    count.set(res.delivered!.pod, (count.get(res.delivered!.pod) ?? 0) + 1);
  }
  assert.equal(count.size, 3);
  for (const n of count.values()) assert.ok(Math.abs(n / 3000 - 1 / 3) <= 0.05, `share ${n / 3000}`);
});

const NP: Fixture = {
  ...SHOP,
  services: [
    { ns: 'shop', name: 'web', type: 'NodePort', clusterIP: '10.96.0.20', ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }], selector: { app: 'web' } },
    { ns: 'shop', name: 'web-local', type: 'NodePort', etp: 'Local', clusterIP: '10.96.0.21', ports: [{ port: 80, targetPort: 8080, nodePort: 30081 }], selector: { app: 'web' } },
  ],
};

test('acceptance: external → NodePort on a node without a local endpoint: Cluster policy SNATs to that node and delivers', () => {
  const r = realiseFixture(NP);
  const res = connectIn(r, { from: 'external:203.0.113.7', to: '172.18.0.4', port: 30080, via: 'node-c', seed: 5 });
  assert.equal(res.verdict, 'delivered');
  const snat = res.nat.find((n) => n.kind === 'SNAT')!;
  assert.equal(snat.by, 'kube-proxy (KUBE-POSTROUTING)');
  assert.equal(snat.before.split(':')[0], '203.0.113.7');
  assert.equal(snat.node, 'node-c');
  // the pod sees node-c's address on the interface the packet left by, not the client's
  assert.notEqual(res.final!.src.split(':')[0], '203.0.113.7');
  assert.equal(res.reply!.source, '172.18.0.4:30080');
  assert.ok(res.hops.some((h) => h.action === 'masquerade' && h.at === 'node/node-c/iptables/nat/KUBE-POSTROUTING'));
});

test('acceptance: external → NodePort with externalTrafficPolicy Local on a node without a local endpoint is dropped', () => {
  const r = realiseFixture(NP);
  const res = connectIn(r, { from: 'external:203.0.113.7', to: '172.18.0.4', port: 30081, via: 'node-c', seed: 5 });
  assert.equal(res.verdict, 'dropped');
  const drop = res.hops.find((h) => h.action === 'drop')!;
  assert.equal(drop.at, 'node/node-c/iptables/filter/KUBE-EXTERNAL-SERVICES');
  assert.match(drop.source!.what, /has no local endpoints/);
});

test('externalTrafficPolicy Local keeps the client address and only uses local endpoints', () => {
  const r = realiseFixture(NP);
  for (let seed = 1; seed <= 10; seed++) {
    const res = connectIn(r, { from: 'external:203.0.113.7', to: '172.18.0.3', port: 30081, via: 'node-b', seed });
    assert.equal(res.verdict, 'delivered');
    assert.ok(['10.244.1.11', '10.244.1.12'].includes(res.delivered!.ip));
    assert.equal(res.nat.filter((n) => n.kind === 'SNAT').length, 0);
    assert.equal(res.final!.src.split(':')[0], '203.0.113.7');
  }
});

test('NodePort under Cluster policy to a pod on the same node: masqueraded to the bridge address', () => {
  const r = realiseFixture(NP);
  const seen = new Set<string>();
  for (let seed = 1; seed <= 30; seed++) {
    const res = connectIn(r, { from: 'external:203.0.113.7', to: '172.18.0.2', port: 30080, via: 'node-a', seed });
    if (res.delivered?.ip === '10.244.0.10') seen.add(res.final!.src.split(':')[0]);
  }
  assert.deepEqual([...seen], ['10.244.0.1']);
});

test('a node reaching a ClusterIP is masqueraded (source outside the cluster CIDR)', () => {
  const r = realiseFixture(SHOP);
  const res = connectIn(r, { from: 'node/node-c', to: '10.96.0.20', port: 80, seed: 3 });
  assert.equal(res.verdict, 'delivered');
  assert.ok(res.hops.some((h) => h.action === 'jump' && /KUBE-MARK-MASQ/.test(h.detail) && /cluster IP/.test(h.source!.what)));
  assert.equal(res.nat.filter((n) => n.kind === 'SNAT' && n.by.startsWith('kube-proxy')).length, 1);
  assert.equal(res.reply!.source, '10.96.0.20:80');
});

test('hairpin: a pod reaching itself through its own service is masqueraded', () => {
  const r = realiseFixture(SHOP);
  let hit = 0;
  for (let seed = 1; seed <= 30; seed++) {
    const res = connectIn(r, { from: 'shop/web-1', to: '10.96.0.20', port: 80, seed });
    assert.equal(res.verdict, 'delivered');
    const snat = res.nat.filter((n) => n.kind === 'SNAT');
    if (res.delivered!.pod === 'shop/web-1') {
      hit++;
      assert.equal(snat.length, 1, 'hairpin is masqueraded');
      assert.equal(snat[0].after.split(':')[0], '10.244.0.1');
    } else assert.equal(snat.length, 0, 'to another pod: the source stays the pod IP');
    assert.equal(res.reply!.source, '10.96.0.20:80');
  }
  assert.ok(hit > 0);
});

test('a service without endpoints rejects (filter KUBE-SERVICES)', () => {
  const r = realiseFixture({ ...SHOP, services: [{ ns: 'shop', name: 'none', clusterIP: '10.96.0.30', ports: [{ port: 80 }], selector: { app: 'nothing' } }] });
  const res = connectIn(r, { from: 'shop/client', to: '10.96.0.30', port: 80 });
  assert.equal(res.verdict, 'rejected');
  const h = res.hops.find((x) => x.action === 'reject')!;
  assert.equal(h.at, 'node/node-a/iptables/filter/KUBE-SERVICES');
  assert.match(h.source!.what, /shop\/none has no endpoints/);
});

test('internalTrafficPolicy Local without a local endpoint drops cluster IP traffic', () => {
  const r = realiseFixture({ ...SHOP, services: [{ ns: 'shop', name: 'web', itp: 'Local', clusterIP: '10.96.0.20', ports: [{ port: 80, targetPort: 8080 }], selector: { app: 'web' } }] });
  assert.equal(connectIn(r, { from: 'shop/client', to: '10.96.0.20', port: 80 }).verdict, 'delivered'); // web-1 is on node-a
  assert.equal(connectIn(r, { from: 'node/node-c', to: '10.96.0.20', port: 80 }).verdict, 'dropped');
});

test('sessionAffinity ClientIP: the same client keeps its endpoint; the list expires with the timeout', () => {
  const fx: Fixture = { ...SHOP, services: [{ ns: 'shop', name: 'web', affinity: true, affinityTimeout: 60, clusterIP: '10.96.0.20', ports: [{ port: 80, targetPort: 8080 }], selector: { app: 'web' } }] };
  const r = realiseFixture(fx);
  const first = connectIn(r, { from: 'shop/client', to: '10.96.0.20', port: 80, seed: 1 }).delivered!.pod;
  for (let seed = 2; seed <= 25; seed++) {
    const res = connectIn(r, { from: 'shop/client', to: '10.96.0.20', port: 80, seed });
    assert.equal(res.delivered!.pod, first);
    assert.ok(res.hops.some((h) => /--rcheck/.test(h.source?.what ?? '')));
  }
  proxyState(r).now += 61;
  const after = new Set<string>();
  for (let seed = 100; seed <= 140; seed++) {
    proxyState(r).now += 61;
    after.add(connectIn(r, { from: 'shop/client', to: '10.96.0.20', port: 80, seed }).delivered!.pod);
  }
  assert.ok(after.size > 1, 'after the timeout the random pick comes back');
});

const LB: Fixture = {
  ...SHOP,
  services: [{ ns: 'shop', name: 'web', type: 'LoadBalancer', clusterIP: '10.96.0.20', lbIPs: ['198.51.100.10'], externalIPs: ['192.0.2.50'],
    sourceRanges: ['203.0.113.0/24'], ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }], selector: { app: 'web' } }],
};

test('LoadBalancer IP: allowed source range → KUBE-FW → KUBE-EXT → DNAT; others dropped by KUBE-PROXY-FIREWALL', () => {
  const r = realiseFixture(LB);
  const ok = connectIn(r, { from: 'external:203.0.113.7', to: '198.51.100.10', port: 80, via: 'node-b', seed: 2 });
  assert.equal(ok.verdict, 'delivered');
  assert.ok(ok.hops.some((h) => /^node\/node-b\/iptables\/nat\/KUBE-FW-/.test(h.at)));
  assert.equal(ok.reply!.source, '198.51.100.10:80');
  const no = connectIn(r, { from: 'external:192.0.2.99', to: '198.51.100.10', port: 80, via: 'node-b', seed: 2 });
  assert.equal(no.verdict, 'dropped');
  assert.equal(no.hops.find((h) => h.action === 'drop')!.at, 'node/node-b/iptables/filter/KUBE-PROXY-FIREWALL');
});

test('a pod outside loadBalancerSourceRanges matches KUBE-FW\'s target-less last rule: the trace names it (the kernel counts it; npm run verify:kernel compares counters)', () => {
  // pkg/proxy/iptables/proxier.go: "If the packet was able to reach the end of firewall chain, then it did not get DNATed" — the rule has no -j
  const r = realiseFixture(LB);
  const pod = connectIn(r, { from: 'shop/client', to: '198.51.100.10', port: 80, seed: 2 });
  const fall = pod.hops.find((h) => /^node\/node-a\/iptables\/nat\/KUBE-FW-/.test(h.at) && h.action === 'match');
  assert.ok(fall, 'the target-less KUBE-FW rule is a hop');
  assert.match(fall!.source!.what, /^nat -A KUBE-FW-\S+ -m comment --comment "other traffic to shop\/web will be dropped by KUBE-PROXY-FIREWALL"$/);
});

test('loadBalancerSourceRanges also bind pods: a pod outside the ranges reaching the LB IP falls off KUBE-FW and is dropped by KUBE-PROXY-FIREWALL; NodePorts ignore the ranges', () => {
  // pkg/proxy/iptables/proxier.go: "nodeports are not subect to loadBalancerSourceRanges"
  const r = realiseFixture(LB);
  const pod = connectIn(r, { from: 'shop/client', to: '198.51.100.10', port: 80, seed: 2 });
  assert.equal(pod.verdict, 'dropped');
  assert.equal(pod.hops.find((h) => h.action === 'drop')!.at, 'node/node-a/iptables/filter/KUBE-PROXY-FIREWALL');
  const np = connectIn(r, { from: 'external:192.0.2.99', to: '172.18.0.3', port: 30080, via: 'node-b', seed: 2 });
  assert.equal(np.verdict, 'delivered');
});

test('externalTrafficPolicy Local: a pod on a node without a local endpoint still reaches the LB IP and NodePort (KUBE-EXT "pod traffic" short-circuit to KUBE-SVC), keeping its address; the node itself is masqueraded', () => {
  const fx: Fixture = {
    ...SHOP,
    pods: SHOP.pods!.filter((p) => p.name !== 'web-1'), // node-a keeps only the client
    services: [{ ns: 'shop', name: 'lb', type: 'LoadBalancer', etp: 'Local', clusterIP: '10.96.0.30', lbIPs: ['198.51.100.10'], healthCheckNodePort: 32000,
      ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }], selector: { app: 'web' } }],
  };
  const r = realiseFixture(fx);
  for (const to of [{ to: '198.51.100.10', port: 80 }, { to: '172.18.0.2', port: 30080 }]) {
    const res = connectIn(r, { from: 'shop/client', ...to, seed: 1 });
    assert.equal(res.verdict, 'delivered', `pod → ${to.to}`);
    assert.ok(res.hops.some((h) => /pod traffic for shop\/lb external destinations/.test(h.source?.what ?? '')));
    assert.equal(res.nat.filter((n) => n.kind === 'SNAT').length, 0);
    assert.equal(res.final!.src.split(':')[0], '10.244.0.5');
  }
  const node = connectIn(r, { from: 'node/node-a', to: '198.51.100.10', port: 80, seed: 1 });
  assert.equal(node.verdict, 'delivered');
  assert.ok(node.hops.some((h) => /masquerade LOCAL traffic/.test(h.source?.what ?? '')));
  assert.equal(node.nat.filter((n) => n.kind === 'SNAT').length, 1);
  // from outside, through that node: no local endpoint, dropped
  assert.equal(connectIn(r, { from: 'external:203.0.113.7', to: '198.51.100.10', port: 80, via: 'node-a', seed: 1 }).verdict, 'dropped');
});

test('externalIPs: traffic to an external IP is DNATed and masqueraded under Cluster policy', () => {
  const r = realiseFixture(LB);
  const res = connectIn(r, { from: 'external:192.0.2.99', to: '192.0.2.50', port: 80, via: 'node-a', seed: 4 });
  assert.equal(res.verdict, 'delivered');
  assert.equal(res.nat[0].before, '192.0.2.50:80');
  assert.ok(res.nat.some((n) => n.kind === 'SNAT' && n.by === 'kube-proxy (KUBE-POSTROUTING)'));
  assert.equal(res.reply!.source, '192.0.2.50:80');
});

test('ipvs mode: same verdicts; round robin walks the real servers; no endpoints rejects', () => {
  const r = realiseFixture({ ...SHOP, config: { proxyMode: 'ipvs', ipvsScheduler: 'rr' } });
  const order: string[] = [];
  for (let i = 0; i < 6; i++) {
    const res = connectIn(r, { from: 'shop/client', to: '10.96.0.20', port: 80, seed: 9 });
    assert.equal(res.verdict, 'delivered');
    assert.equal(res.reply!.source, '10.96.0.20:80');
    assert.equal(res.nat[0].by, 'kube-proxy');
    order.push(res.delivered!.ip);
  }
  assert.deepEqual(order.slice(3), order.slice(0, 3), 'rr cycles');
  assert.equal(new Set(order).size, 3);
  const hop = connectIn(r, { from: 'shop/client', to: '10.96.0.20', port: 80, seed: 9 }).hops.find((h) => h.at === 'node/node-a/ipvs')!;
  assert.match(hop.detail, /round robin/);
  const empty = realiseFixture({ ...SHOP, config: { proxyMode: 'ipvs' }, services: [{ ns: 'shop', name: 'none', clusterIP: '10.96.0.30', ports: [{ port: 80 }], selector: { app: 'x' } }] });
  assert.equal(connectIn(empty, { from: 'shop/client', to: '10.96.0.30', port: 80 }).verdict, 'rejected');
});

test('ipvs mode: NodePort from outside is masqueraded (KUBE-NODE-PORT-TCP), Local policy is not (KUBE-NODE-PORT-LOCAL-TCP)', () => {
  const r = realiseFixture({ ...NP, config: { proxyMode: 'ipvs' } });
  const c = connectIn(r, { from: 'external:203.0.113.7', to: '172.18.0.4', port: 30080, via: 'node-c', seed: 1 });
  assert.equal(c.verdict, 'delivered');
  assert.ok(c.nat.some((n) => n.kind === 'SNAT' && n.by === 'kube-proxy (KUBE-POSTROUTING)'));
  assert.ok(c.hops.some((h) => /KUBE-NODE-PORT-TCP/.test(h.source?.what ?? '')));
  const l = connectIn(r, { from: 'external:203.0.113.7', to: '172.18.0.3', port: 30081, via: 'node-b', seed: 1 });
  assert.equal(l.verdict, 'delivered');
  assert.equal(l.final!.src.split(':')[0], '203.0.113.7');
  // no local endpoint: ipvs still forwards without SNAT; the reply cannot come back
  const lost = connectIn(r, { from: 'external:203.0.113.7', to: '172.18.0.4', port: 30081, via: 'node-c', seed: 1 });
  assert.equal(lost.verdict, 'dropped');
  assert.match(lost.hops.find((h) => h.action === 'drop')!.detail, /97081/);
});

test('ipvs mode: hairpin is masqueraded by the KUBE-LOOP-BACK ipset rule', () => {
  const r = realiseFixture({ ...SHOP, config: { proxyMode: 'ipvs', ipvsScheduler: 'rr' } });
  let hit = false;
  for (let i = 0; i < 3; i++) {
    const res = connectIn(r, { from: 'shop/web-1', to: '10.96.0.20', port: 80, seed: 1 });
    if (res.delivered!.pod === 'shop/web-1') {
      hit = true;
      const m = res.hops.find((h) => h.action === 'masquerade')!;
      assert.match(m.source!.what, /KUBE-LOOP-BACK/);
    }
  }
  assert.ok(hit);
});

test('pod to pod: no kube-proxy rule touches the packet, so the trace is exactly the CNI walk (no kube-proxy hop, no NAT)', () => {
  const r = realiseFixture(SHOP);
  for (const to of WEB_IPS) {
    const withProxy = connectIn(r, { from: 'shop/client', to, port: 8080, seed: 3 });
    const cniOnly = connectQuery(r, { from: 'shop/client', to, port: 8080, seed: 3 }, cniHooks(r));
    assert.equal(withProxy.verdict, 'delivered');
    assert.deepEqual(withProxy, cniOnly);
    assert.ok(withProxy.hops.every((h) => !h.at.includes('/iptables/')));
  }
});

test('the /16 prefilter in front of the VIP set answers as the set does (VIPs, their neighbours, pods, nodes, IPv6)', () => {
  const r = realiseFixture({
    ...SHOP,
    services: [...SHOP.services!, { ns: 'shop', name: 'lb', type: 'LoadBalancer', clusterIP: '10.96.0.30', ports: [{ port: 443, targetPort: 8080, nodePort: 30443 }], selector: { app: 'web' }, lbIPs: ['198.51.100.7'], externalIPs: ['192.0.2.9'] }],
  });
  const st = proxyState(r);
  assert.ok(st.vips.size >= 4);
  const asked = ['10.96.0.1', '10.96.255.255', '10.97.0.20', '198.51.100.8', '198.50.100.7', '192.0.2.10', '192.0.3.9', '8.8.8.8', '0.0.0.0', '255.255.255.255', 'fd00::1', 'not-an-ip'];
  for (const ip of st.vips) asked.push(ip);
  for (const p of r.pods) asked.push(p.ip);
  for (const n of r.nodes) asked.push(n.ip);
  for (const ip of asked) assert.equal(st.isVip(ip), st.vips.has(ip), ip);
  for (const ip of ['10.96.0.20', '10.96.0.30', '198.51.100.7', '192.0.2.9']) assert.equal(st.isVip(ip), true, ip);
});
