import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fixture, type FixtureSpec } from './fixture';
import { connect } from './walk';
import { connectQuery } from './target';
import { cniHooks, combineHooks } from './hooks';
import { renderHops } from '../net/trace';
import { InputErrors } from '../model/errors';
import type { ConnectResult, NetfilterHooks } from './types';
import type { Realised } from '../model/realised';

const twoNodes = (extra: Partial<FixtureSpec> = {}): Realised => fixture({
  nodes: ['node-a', 'node-b'],
  pods: [
    { ns: 'shop', name: 'client', node: 'node-a' },                 // 10.244.0.2
    { ns: 'shop', name: 'web-1', node: 'node-a' },                  // 10.244.0.3
    { ns: 'shop', name: 'web-2', node: 'node-b' },                  // 10.244.1.2
  ],
  ...extra,
});

function q(r: Realised, from: string, to: string, port: number, more: Record<string, unknown> = {}): ConnectResult {
  return connectQuery(r, { from, to, port, ...more });
}

const actions = (res: ConnectResult) => res.hops.map((h) => h.action);
const trace = (res: ConnectResult) => '\n' + renderHops(res.hops);

test('same node: pod to pod goes veth → cni0 → veth, delivered, no NAT, no encapsulation', () => {
  const r = twoNodes();
  const res = q(r, 'shop/client', '10.244.0.3', 8080);
  assert.equal(res.verdict, 'delivered', trace(res));
  assert.deepEqual(res.delivered, { pod: 'shop/web-1', ip: '10.244.0.3', port: 8080, container: 'app' });
  assert.deepEqual(res.nat, []);
  assert.equal(res.encapsulated, false);
  assert.deepEqual(actions(res), ['send', 'veth', 'bridge', 'deliver']);
  assert.equal(res.hops[2].at, 'node/node-a/cni0');
  assert.match(res.hops[1].detail, /on-link \(10\.244\.0\.0\/24 dev eth0\)/);
  assert.equal(res.hops[3].at, 'pod/shop/web-1/container/app');
  assert.equal(res.hops[3].source?.pos?.file, 'fixture.yaml', 'the deliver hop names the containerPort with its position');
  assert.equal(res.reply?.source, '10.244.0.3:8080');
  assert.equal(res.final?.src.split(':')[0], '10.244.0.2', 'the destination sees the client pod IP');
});

test('cross node, VXLAN overlay: encapsulated between both node IPs, decapsulated on the peer, no NAT', () => {
  const r = twoNodes();
  const res = q(r, 'shop/client', 'shop/web-2', 8080);
  assert.equal(res.verdict, 'delivered', trace(res));
  assert.equal(res.delivered?.pod, 'shop/web-2');
  assert.equal(res.encapsulated, true);
  assert.deepEqual(res.nat, []);
  const enc = res.hops.find((h) => h.action === 'encapsulate')!;
  assert.equal(enc.at, 'node/node-a/flannel.1');
  assert.deepEqual(enc.packet?.outer, { src: '172.18.0.2', dst: '172.18.0.3:8472', proto: 'UDP' });
  assert.match(enc.detail, /172\.18\.0\.2 \(node-a\) → 172\.18\.0\.3 \(node-b\)/);
  assert.match(enc.detail, /VXLAN \(VNI 1, UDP 8472\)/);
  const dec = res.hops.find((h) => h.action === 'decapsulate')!;
  assert.equal(dec.at, 'node/node-b/flannel.1');
  assert.ok(res.hops.findIndex((h) => h.action === 'decapsulate') < res.hops.findIndex((h) => h.action === 'bridge'));
  assert.equal(res.hops.find((h) => h.action === 'bridge')?.at, 'node/node-b/cni0');
  assert.equal(res.final?.src.split(':')[0], '10.244.0.2', 'pod IPs survive the overlay: no NAT between pods');
});

test('cross node, routed (host-gw): a route to the peer podCIDR via its node IP, no encapsulation', () => {
  const r = twoNodes({ config: { podNetwork: { mode: 'routed', plugin: 'flannel', device: '', decidedBy: 'test (host-gw)' } } });
  const res = q(r, 'shop/client', '10.244.1.2', 8080);
  assert.equal(res.verdict, 'delivered', trace(res));
  assert.equal(res.encapsulated, false);
  assert.ok(!actions(res).includes('encapsulate'));
  const route = res.hops.find((h) => h.action === 'route')!;
  assert.match(route.detail, /10\.244\.1\.0\/24 \(node-b's podCIDR\) via 172\.18\.0\.3 dev eth0/);
  assert.deepEqual(res.nat, []);
});

test('containers of a pod share the pause container namespace: localhost and the pod IP stay on lo', () => {
  const r = fixture({
    nodes: ['node-a'],
    pods: [{ ns: 'shop', name: 'web-1', node: 'node-a', containers: [{ name: 'app', ports: [{ port: 8080 }] }, { name: 'metrics', ports: [{ port: 9090 }] }] }],
  });
  for (const to of ['localhost', '127.0.0.1', 'shop/web-1']) {
    const res = q(r, 'shop/web-1', to, 9090);
    assert.equal(res.verdict, 'delivered', trace(res));
    assert.equal(res.delivered?.container, 'metrics');
    assert.ok(actions(res).includes('loopback'));
    assert.ok(!actions(res).includes('veth') && !actions(res).includes('bridge'), 'never leaves the pod');
  }
  const res = connectQuery(r, { from: 'shop/web-1', container: 'metrics', to: 'localhost', port: 8080 });
  assert.equal(res.delivered?.container, 'app');
  assert.equal(res.hops.find((h) => h.action === 'send')?.at, 'pod/shop/web-1/container/metrics');
  assert.match(res.hops.find((h) => h.action === 'send')!.detail, /pause container/);
});

test('hostNetwork pods use the node IP and share its ports; the kubelet listens on 10250', () => {
  const r = fixture({
    nodes: ['node-a', 'node-b'],
    pods: [
      { ns: 'monitoring', name: 'exporter-a', node: 'node-a', hostNetwork: true, containers: [{ name: 'exporter', ports: [{ port: 9100 }] }] },
      { ns: 'shop', name: 'client', node: 'node-b' },
    ],
  });
  const toPod = q(r, 'shop/client', 'monitoring/exporter-a', 9100);
  assert.equal(toPod.verdict, 'delivered', trace(toPod));
  assert.deepEqual(toPod.delivered, { pod: 'monitoring/exporter-a', ip: '172.18.0.2', port: 9100, container: 'exporter' });
  // flannel masquerades pod traffic leaving the pod network, node addresses included
  assert.equal(toPod.nat.length, 1);
  assert.equal(toPod.nat[0].kind, 'SNAT');
  assert.equal(toPod.nat[0].after.split(':')[0], '172.18.0.3');
  const kubelet = q(r, 'shop/client', '172.18.0.2', 10250);
  assert.equal(kubelet.verdict, 'delivered');
  assert.equal(kubelet.delivered, null);
  assert.equal(kubelet.deliveredNode, 'node-a');
  assert.equal(kubelet.hops.at(-1)?.at.endsWith('node/node-a/kubelet') || kubelet.hops.some((h) => h.at === 'node/node-a/kubelet'), true);
  const nobody = q(r, 'shop/client', '172.18.0.2', 9999);
  assert.equal(nobody.verdict, 'refused', 'a node address with no listener refuses');
  // the hostNetwork pod as a source speaks with the node's address
  const out = q(r, 'monitoring/exporter-a', '93.184.216.34', 443);
  assert.equal(out.final?.src.split(':')[0], '172.18.0.2');
  assert.deepEqual(out.nat, [], 'no masquerade: the source already is the node IP');
});

test('pod to an address outside the cluster: masqueraded to the node IP by the CNI rule, leaves the cluster', () => {
  const r = twoNodes();
  const res = q(r, 'shop/client', '93.184.216.34', 443, { seed: 7 });
  assert.equal(res.verdict, 'delivered', trace(res));
  assert.equal(res.delivered, null);
  assert.deepEqual(res.egress, { ip: '93.184.216.34', port: 443, node: 'node-a' });
  assert.equal(res.nat.length, 1);
  assert.equal(res.nat[0].kind, 'SNAT');
  assert.equal(res.nat[0].by, 'flannel');
  assert.match(res.nat[0].before, /^10\.244\.0\.2:/);
  assert.match(res.nat[0].after, /^172\.18\.0\.2:/);
  const m = res.hops.find((h) => h.action === 'masquerade')!;
  assert.equal(m.at, 'node/node-a/iptables/nat/POSTROUTING');
  assert.match(m.source!.what, /flannel egress masquerade/);
  assert.equal(res.reply?.source, '93.184.216.34:443', 'conntrack reverses the SNAT: the client sees the server');
  assert.ok(res.hops.some((h) => h.action === 'unnat'));
});

test('ip-masq-agent: nonMasqueradeCIDRs are left alone, the rest masqueraded; pod CIDR missing from the list masquerades pod traffic', () => {
  const agent = (cidrs: string[]) => twoNodes({ config: { egressMasquerade: { by: 'ip-masq-agent', nonMasqueradeCIDRs: cidrs, masqLinkLocal: false } } });
  const r = agent(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']);
  assert.deepEqual(q(r, 'shop/client', '10.1.2.3', 80).nat, []);
  assert.deepEqual(q(r, 'shop/client', '169.254.169.254', 80).nat, [], 'link-local is never masqueraded by default');
  const out = q(r, 'shop/client', '8.8.8.8', 53, { protocol: 'UDP' });
  assert.equal(out.nat[0]?.by, 'ip-masq-agent');
  assert.match(out.nat[0].after, /^172\.18\.0\.2:(\d+)$/);
  const port = Number(out.nat[0].after.split(':')[1]);
  assert.ok(port >= 32768 && port <= 65535, 'MASQUERADE --to-ports 32768-65535');
  const bad = agent(['192.168.0.0/16']);
  const podToPod = q(bad, 'shop/client', 'shop/web-2', 8080);
  assert.equal(podToPod.verdict, 'delivered');
  assert.equal(podToPod.nat[0]?.by, 'ip-masq-agent', 'traffic to the pod network is masqueraded when it is not a nonMasqueradeCIDR');
});

test('refused vs unreachable', () => {
  const r = twoNodes();
  const tcp = q(r, 'shop/client', 'shop/web-2', 9999);
  assert.equal(tcp.verdict, 'refused');
  assert.match(tcp.hops.at(-1)!.detail, /TCP RST/);
  assert.equal(tcp.reply?.source, '10.244.1.2:9999');
  const udp = q(r, 'shop/client', 'shop/web-2', 9999, { protocol: 'UDP' });
  assert.equal(udp.verdict, 'refused');
  assert.match(udp.hops.at(-1)!.detail, /ICMP port unreachable/);
  const noPod = q(r, 'shop/client', '10.244.1.200', 8080);
  assert.equal(noPod.verdict, 'unreachable', trace(noPod));
  assert.equal(noPod.hops.at(-1)!.at, 'node/node-b/cni0');
  assert.match(noPod.hops.at(-1)!.detail, /ARP/);
  assert.equal(noPod.reply, null);
  const noNode = q(r, 'shop/client', '10.244.99.5', 8080);
  assert.equal(noNode.verdict, 'unreachable');
  assert.match(noNode.hops.at(-1)!.detail, /no node holds a podCIDR/);
});

test('pods that do not run: a Pending source cannot connect; a target without an IP is unreachable; a Pending target with an IP refuses', () => {
  const r = fixture({
    nodes: ['node-a'],
    pods: [
      { ns: 'shop', name: 'client', node: 'node-a' },
      { ns: 'shop', name: 'unscheduled', node: null, phase: 'Pending', ip: false },
      { ns: 'shop', name: 'starting', node: 'node-a', phase: 'Pending' },
    ],
  });
  const fromPending = q(r, 'shop/unscheduled', 'shop/client', 8080);
  assert.equal(fromPending.verdict, 'unreachable');
  assert.match(fromPending.hops[0].detail, /not scheduled/);
  const toNoIP = q(r, 'shop/client', 'shop/unscheduled', 8080);
  assert.equal(toNoIP.verdict, 'unreachable');
  assert.match(toNoIP.hops[0].detail, /no IP/);
  const toStarting = q(r, 'shop/client', 'shop/starting', 8080);
  assert.equal(toStarting.verdict, 'refused');
  assert.match(toStarting.hops.at(-1)!.detail, /Pending/);
});

test('node agents reach pods on their node over cni0, from the bridge address, without NAT', () => {
  const r = twoNodes();
  const res = q(r, 'node/node-a', 'shop/web-1', 8080);
  assert.equal(res.verdict, 'delivered', trace(res));
  assert.deepEqual(res.nat, []);
  assert.equal(res.final?.src.split(':')[0], '10.244.0.1', 'the route 10.244.0.0/24 dev cni0 picks src 10.244.0.1');
  assert.ok(res.hops.some((h) => h.at === 'node/node-a/cni0' && h.action === 'bridge'));
  const remote = q(r, 'node/node-a', 'shop/web-2', 8080);
  assert.equal(remote.verdict, 'delivered');
  assert.equal(remote.encapsulated, true);
  assert.equal(remote.final?.src.split(':')[0], '10.244.0.0', "through flannel.1, whose address is the podCIDR's network address");
  const self = q(r, 'node/node-a', 'localhost', 10250);
  assert.equal(self.verdict, 'delivered');
  assert.equal(self.deliveredNode, 'node-a');
});

test('a ClusterIP nothing translates is lost; the CNI alone does not implement Services', () => {
  const r = twoNodes({ services: [{ ns: 'shop', name: 'web', clusterIP: '10.96.0.20', port: 80 }] });
  const res = q(r, 'shop/client', '10.96.0.20', 80);
  assert.equal(res.verdict, 'dropped');
  assert.match(res.hops.at(-1)!.detail, /ClusterIP of Service shop\/web/);
  assert.equal(res.hops.at(-1)!.source?.what, 'Service shop/web');
  assert.equal(q(r, 'shop/client', '10.96.0.99', 80).verdict, 'unreachable');
});

test('hostPort: the portmap plugin DNATs the node address to the pod, and conntrack reverses it', () => {
  const r = fixture({
    nodes: ['node-a', 'node-b'],
    pods: [{ ns: 'shop', name: 'web', node: 'node-b', containers: [{ name: 'nginx', ports: [{ port: 80, hostPort: 8081 }] }] }],
  });
  const res = q(r, 'external:203.0.113.7', '172.18.0.3', 8081);
  assert.equal(res.verdict, 'delivered', trace(res));
  assert.equal(res.delivered?.pod, 'shop/web');
  assert.deepEqual(res.nat.map((n) => [n.kind, n.before, n.after, n.node]), [['DNAT', '172.18.0.3:8081', '10.244.1.2:80', 'node-b']]);
  assert.equal(res.reply?.source, '172.18.0.3:8081');
  assert.equal(res.final?.src.split(':')[0], '203.0.113.7', 'a local pod sees the external client (no masquerade)');
});

test('external clients: the via node receives traffic; pod IPs are not reachable from outside an overlay', () => {
  const r = twoNodes();
  const toPod = q(r, 'external:203.0.113.7', '10.244.1.2', 8080);
  assert.equal(toPod.verdict, 'unreachable');
  const viaB = q(r, 'external:203.0.113.7', '10.244.1.2', 8080, { via: 'node-b' });
  assert.equal(viaB.verdict, 'delivered', trace(viaB));
  assert.ok(viaB.hops.some((h) => h.at === 'node/node-b/eth0' && /named by via/.test(h.detail)));
  const viaA = q(r, 'external:203.0.113.7', '10.244.1.2', 8080, { via: 'node-a' });
  assert.equal(viaA.verdict, 'delivered');
  assert.equal(viaA.nat[0]?.kind, 'SNAT', "flannel masquerades traffic from outside the pod network towards another node's pods");
  assert.equal(viaA.nat[0].after.split(':')[0], '10.244.0.0');
  const routed = twoNodes({ config: { podNetwork: { mode: 'routed', plugin: 'calico', device: '', decidedBy: 'test' } } });
  const direct = q(routed, 'external:203.0.113.7', '10.244.1.2', 8080);
  assert.equal(direct.verdict, 'delivered');
  assert.ok(direct.hops.some((h) => h.at === 'node/node-b/eth0'));
});

test('hooks: a DNAT at PREROUTING continues from the new destination; conntrack restores the original for the reply', () => {
  const r = twoNodes();
  const vip = '10.96.0.50';
  const fakeProxy: NetfilterHooks = {
    dnat(node, pkt, hook, ctx) {
      if (pkt.dst !== vip) return { verdict: 'continue', packet: pkt, hops: [], nat: [] };
      const after = { ...pkt, dst: '10.244.1.2', dport: 8080 };
      assert.equal(ctx.inIface, 'veth');
      assert.equal(ctx.fromPod?.key, 'shop/client');
      return { verdict: 'continue', packet: after, hops: [{ at: `node/${node.name}/iptables/nat/KUBE-SEP-X`, action: 'dnat', detail: hook }], nat: [{ kind: 'DNAT', by: 'kube-proxy', before: `${vip}:80`, after: '10.244.1.2:8080' }] };
    },
    snat: (_n, pkt, _o, mark) => ({ verdict: 'continue', packet: pkt, hops: [], nat: [], masqueradeMark: mark }),
  };
  const res = connectQuery(r, { from: 'shop/client', to: vip, port: 80 }, combineHooks(cniHooks(r), fakeProxy));
  assert.equal(res.verdict, 'delivered', trace(res));
  assert.equal(res.delivered?.pod, 'shop/web-2');
  assert.equal(res.encapsulated, true);
  assert.equal(res.reply?.source, `${vip}:80`);
  assert.equal(res.nat[0].node, 'node-a', 'the walk records where the translation lives');
  const rejecting: NetfilterHooks = {
    dnat: (node, pkt) => ({ verdict: 'reject', packet: pkt, hops: [{ at: `node/${node.name}/iptables/filter/KUBE-SERVICES`, action: 'reject', detail: 'no endpoints' }], nat: [] }),
    snat: (_n, pkt) => ({ verdict: 'continue', packet: pkt, hops: [], nat: [] }),
  };
  assert.equal(connectQuery(r, { from: 'shop/client', to: vip, port: 80 }, rejecting).verdict, 'rejected');
});

test('combineHooks: a NAT target is terminal in its hook; marks carry to the next set', () => {
  const r = twoNodes();
  const node = r.nodes[0];
  const pkt = { proto: 'TCP' as const, src: '10.244.0.2', sport: 40000, dst: '10.96.0.1', dport: 443 };
  const calls: string[] = [];
  const a: NetfilterHooks = {
    dnat: (_n, p) => { calls.push('a'); return { verdict: 'continue', packet: { ...p, dst: '10.244.1.2' }, hops: [], nat: [{ kind: 'DNAT', by: 'a', before: '', after: '' }], masqueradeMark: true }; },
    snat: (_n, p) => ({ verdict: 'continue', packet: p, hops: [], nat: [] }),
  };
  const b: NetfilterHooks = {
    dnat: (_n, p) => { calls.push('b'); return { verdict: 'continue', packet: p, hops: [], nat: [] }; },
    snat: (_n, p, _o, mark) => { calls.push(`b-snat:${mark}`); return { verdict: 'continue', packet: p, hops: [], nat: [] }; },
  };
  const ctx = { realised: r, random: () => 0.5, inIface: 'veth' as const };
  const res = combineHooks(a, b).dnat(node, pkt, 'PREROUTING', ctx);
  assert.deepEqual(calls, ['a']);
  assert.equal(res.packet.dst, '10.244.1.2');
  assert.equal(res.masqueradeMark, true);
  combineHooks(a, b).snat(node, pkt, 'eth0', true, ctx);
  assert.deepEqual(calls, ['a', 'b-snat:true']);
});

test('input errors: unknown pods and nodes, bad ports, names without a resolver', () => {
  const r = twoNodes();
  const code = (f: () => unknown) => { try { f(); } catch (e) { assert.ok(e instanceof InputErrors); return e.errors.map((x) => x.code); } return []; };
  assert.deepEqual(code(() => q(r, 'shop/nope', '10.244.0.3', 80)), ['NS-CONNECT-UNKNOWN-POD']);
  assert.deepEqual(code(() => q(r, 'node/nope', '10.244.0.3', 80)), ['NS-CONNECT-UNKNOWN-NODE']);
  assert.deepEqual(code(() => q(r, 'shop/client', '10.244.0.3', 70000)), ['NS-CONNECT-PORT']);
  assert.deepEqual(code(() => q(r, 'shop/client', 'web.shop.svc.cluster.local', 80)), ['NS-CONNECT-TARGET']);
  assert.deepEqual(code(() => q(r, 'external:300.1.1.1', '10.244.0.3', 80)), ['NS-CONNECT-SOURCE']);
  assert.deepEqual(code(() => q(r, 'shop/client', '10.244.0.3', 80, { via: 'node-z' })), ['NS-CONNECT-UNKNOWN-NODE']);
  assert.deepEqual(code(() => connectQuery(r, { from: 'shop/client', container: 'nope', to: 'localhost', port: 80 })), ['NS-CONNECT-UNKNOWN-CONTAINER']);
  // a resolver plugs in for names
  const res = connectQuery(r, { from: 'shop/client', to: 'web-2.example', port: 8080 }, undefined,
    () => ({ ip: '10.244.1.2', hops: [{ at: 'dns/coredns', action: 'answer', detail: 'A 10.244.1.2' }] }));
  assert.equal(res.verdict, 'delivered');
  assert.equal(res.hops[0].at, 'dns/coredns');
  const nx = connectQuery(r, { from: 'shop/client', to: 'nope.example', port: 80 }, undefined, () => ({ ip: null, hops: [{ at: 'dns/coredns', action: 'answer', detail: 'NXDOMAIN' }] }));
  assert.equal(nx.verdict, 'unreachable');
});

// ---- properties ----------------------------------------------------------------------------

const clusterArb = fc.record({
  nodes: fc.integer({ min: 1, max: 4 }),
  pods: fc.array(fc.record({ node: fc.nat(3), port: fc.constantFrom(80, 8080, 9090), host: fc.boolean() }), { minLength: 1, maxLength: 8 }),
  mode: fc.constantFrom('vxlan', 'routed', 'geneve', 'ipip'),
});

function build(c: { nodes: number; pods: { node: number; port: number; host: boolean }[]; mode: string }): Realised {
  const nodes = Array.from({ length: c.nodes }, (_, i) => `n${i}`);
  return fixture({
    nodes,
    pods: c.pods.map((p, i) => ({ ns: 'ns', name: `p${i}`, node: nodes[p.node % c.nodes], hostNetwork: p.host && i % 3 === 0, containers: [{ name: 'c', ports: [{ port: p.port + (p.host ? i : 0) }] }] })),
    config: { podNetwork: { mode: c.mode as any, plugin: 'flannel', device: '', decidedBy: 'property' } },
  });
}

test('determinism: the same query and seed give the same trace, byte for byte', () => {
  fc.assert(fc.property(clusterArb, fc.nat(7), fc.nat(7), fc.integer(), fc.constantFrom(80, 8080, 9090, 443), (c, a, b, seed, port) => {
    const r1 = build(c), r2 = build(c);
    const from = `ns/p${a % c.pods.length}`, to = `ns/p${b % c.pods.length}`;
    const x = JSON.stringify(q(r1, from, to, port, { seed }));
    const y = JSON.stringify(q(r2, from, to, port, { seed }));
    assert.equal(x, y);
    const ext = JSON.stringify(q(r1, from, '93.184.216.34', port, { seed }));
    assert.equal(ext, JSON.stringify(q(r2, from, '93.184.216.34', port, { seed })));
  }), { numRuns: 60 });
});

test('property: between pods there is never NAT, and a delivered reply comes from the address the client dialled', () => {
  fc.assert(fc.property(clusterArb, fc.nat(7), fc.nat(7), fc.integer(), (c, a, b, seed) => {
    const r = build(c);
    const src = r.pods[a % r.pods.length], dst = r.pods[b % r.pods.length];
    if (src.hostNetwork || dst.hostNetwork) return;
    const res = connect(r, { from: { kind: 'pod', pod: src }, to: dst.ip, port: dst.ports[0].port, protocol: 'TCP', seed });
    assert.equal(res.verdict, 'delivered', renderHops(res.hops));
    assert.deepEqual(res.nat, []);
    assert.equal(res.final?.src.split(':')[0], src.ip);
    assert.equal(res.reply?.source, `${dst.ip}:${dst.ports[0].port}`);
    assert.equal(res.encapsulated, src.node !== dst.node && c.mode !== 'routed');
  }), { numRuns: 100 });
});
