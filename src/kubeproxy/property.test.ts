// Properties over random small clusters:
//  1. the indexed chain walk (and the "could this concern kube-proxy" shortcut) agrees with the
//     plain walk that tries every rule in order;
//  2. the iptables walk, the IPVS tables and the EndpointSlices agree on which endpoints a service
//     port reaches;
//  3. every delivered connection's reply comes back from the address the client connected to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cniHooks, combineHooks, connectQuery, mulberry32, type HookContext } from '../cni';
import type { Packet, Protocol } from '../net/packet';
import { realiseFixture, type Fixture, type FxPod, type FxService } from './fixtures';
import { iptablesDnat, ipvsDnat, kubeProxyHooks, nftablesDnat } from './hooks';
import { buildIpvsNode } from './ipvs/build';
import { categorize, servicePorts } from './serviceports';

const NODES = [{ name: 'n0', ip: '172.18.0.10' }, { name: 'n1', ip: '172.18.0.11' }, { name: 'n2', ip: '172.18.0.12' }];

const podArb = (i: number) => fc.record({
  node: fc.integer({ min: 0, max: 2 }), app: fc.constantFrom('a', 'b'), ready: fc.boolean(), terminating: fc.boolean(),
}).map(({ node, app, ready, terminating }): FxPod => ({
  ns: 'ns', name: `p${i}`, node: NODES[node].name, ip: `10.244.${node}.${10 + i}`, labels: { app },
  ports: [{ port: 8080, name: 'http' }, { port: 5353, name: 'dns', protocol: 'UDP' }], ready: ready || !terminating, terminating,
}));

const svcArb = (i: number, policiesCluster: boolean) => fc.record({
  type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer') as fc.Arbitrary<'ClusterIP' | 'NodePort' | 'LoadBalancer'>,
  app: fc.constantFrom('a', 'b'),
  two: fc.boolean(),
  etp: policiesCluster ? fc.constant('Cluster' as const) : fc.constantFrom('Cluster' as const, 'Local' as const),
  itp: policiesCluster ? fc.constant('Cluster' as const) : fc.constantFrom('Cluster' as const, 'Local' as const),
  affinity: fc.boolean(),
  ext: fc.boolean(),
  ranges: fc.boolean(),
}).map((s): FxService => ({
  ns: 'ns', name: `s${i}`, type: s.type, clusterIP: `10.96.0.${10 + i}`, selector: { app: s.app },
  ports: s.two
    ? [{ name: 'http', port: 80, targetPort: 'http', nodePort: s.type === 'ClusterIP' ? undefined : 30000 + i * 2 }, { name: 'dns', port: 53, targetPort: 5353, protocol: 'UDP', nodePort: s.type === 'ClusterIP' ? undefined : 30001 + i * 2 }]
    : [{ port: 80, targetPort: 8080, nodePort: s.type === 'ClusterIP' ? undefined : 30000 + i * 2 }],
  etp: s.type === 'ClusterIP' ? 'Cluster' : s.etp, itp: s.itp, affinity: s.affinity,
  externalIPs: s.ext ? [`192.0.2.${i + 1}`] : [], lbIPs: s.type === 'LoadBalancer' ? [`198.51.100.${i + 1}`] : [],
  sourceRanges: s.type === 'LoadBalancer' && s.ranges ? ['203.0.113.0/24', '172.18.0.0/16'] : [],
  healthCheckNodePort: s.type === 'LoadBalancer' && s.etp === 'Local' ? 32000 + i : undefined,
}));

const clusterArb = (policiesCluster = false) => fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 })).chain(([np, ns]) =>
  fc.tuple(fc.tuple(...Array.from({ length: np }, (_, i) => podArb(i))), fc.tuple(...Array.from({ length: ns }, (_, i) => svcArb(i, policiesCluster))))
    .map(([pods, services]): Fixture => ({ nodes: NODES, pods, services })));

function ctxFor(r: ReturnType<typeof realiseFixture>, seed: number, inIface: HookContext['inIface'], fromPod?: string): HookContext {
  return { realised: r, random: mulberry32(seed), inIface, fromPod: fromPod ? r.podByKey.get(fromPod) : undefined };
}

test('property: the indexed walk and the shortcut agree with the plain in-order walk (iptables, ipvs and nftables modes)', () => {
  fc.assert(fc.property(clusterArb(), fc.integer({ min: 0, max: 1e6 }), fc.constantFrom('iptables', 'ipvs', 'nftables'), (fx, seed, mode) => {
    fx = { ...fx, config: { proxyMode: mode as 'iptables' | 'ipvs' | 'nftables' } };
    const a = realiseFixture(fx), b = realiseFixture(fx);
    const dsts = ['10.96.0.10', '10.96.0.11', '10.96.0.13', '10.96.0.99', '192.0.2.1', '192.0.2.2', '198.51.100.1', '198.51.100.3', '172.18.0.10', '172.18.0.11', '10.244.0.10', '8.8.8.8'];
    const ports = [80, 53, 8080, 30000, 30001, 30002, 30004, 32000, 22];
    const srcs: [string, HookContext['inIface'], string | undefined][] = [['10.244.0.10', 'veth', 'ns/p0'], ['203.0.113.9', 'eth0', undefined], ['172.18.0.10', 'local', undefined], ['10.244.1.11', 'tunnel', undefined]];
    const rnd = mulberry32(seed);
    for (let k = 0; k < 25; k++) {
      const [src, inIface, fromPod] = srcs[Math.floor(rnd() * srcs.length)];
      const pkt: Packet = { proto: (rnd() < 0.7 ? 'TCP' : 'UDP') as Protocol, src, sport: 40000 + k, dst: dsts[Math.floor(rnd() * dsts.length)], dport: ports[Math.floor(rnd() * ports.length)] };
      const node = a.nodes[Math.floor(rnd() * a.nodes.length)];
      const hook = inIface === 'local' ? 'OUTPUT' : 'PREROUTING';
      const s = Math.floor(rnd() * 1e6);
      const fromPodKey = fromPod && a.podByKey.get(fromPod)?.node === node ? fromPod : undefined;
      const dnat = mode === 'ipvs' ? ipvsDnat : mode === 'nftables' ? nftablesDnat : iptablesDnat;
      const fast = dnat(a, node, pkt, hook, ctxFor(a, s, inIface, fromPodKey));
      const plain = dnat(b, b.nodeByName.get(node.name)!, pkt, hook, ctxFor(b, s, inIface, fromPodKey), { useIndex: false, full: true });
      assert.equal(fast.verdict, plain.verdict);
      assert.deepEqual(fast.packet, plain.packet);
      assert.equal(!!fast.masqueradeMark, !!plain.masqueradeMark);
      assert.deepEqual(fast.nat, plain.nat);
      assert.deepEqual(fast.hops, plain.hops);
    }
  }), { numRuns: 60, seed: 7 });
});

/** A random source that makes the first `skip` statistic rules fail and the next one match. */
function scripted(skip: number): () => number {
  let i = 0;
  return () => (i++ < skip ? 0.9999999 : 0);
}

test('property: iptables walk, IPVS real servers and EndpointSlices agree on the reachable endpoints (Cluster policies)', () => {
  fc.assert(fc.property(clusterArb(true), fc.integer({ min: 0, max: 2 }), (fx, ni) => {
    const r = realiseFixture(fx);
    const node = r.nodes[ni];
    const ipvs = buildIpvsNode(r, node);
    for (const sp of servicePorts(r)) {
      // from the EndpointSlices: the ready endpoints of this port (else the serving, terminating ones)
      const slicesEps = r.slicesByService.get(sp.svc.key)!.flatMap((s) => {
        const port = s.ports.find((p) => p.name === sp.port.name && p.protocol === sp.protocol);
        return port ? s.endpoints.map((e) => ({ e, port: port.port })) : [];
      });
      let want = slicesEps.filter((x) => x.e.ready);
      if (!want.length) want = slicesEps.filter((x) => x.e.serving && x.e.terminating);
      const expected = [...new Set(want.map((x) => `${x.e.addresses[0]}:${x.port}`))].sort();

      const got = new Set<string>();
      for (let skip = 0; skip <= sp.endpoints.length; skip++) {
        // a new client each time: sessionAffinity would otherwise pin the first pick
        const pkt: Packet = { proto: sp.protocol, src: `10.244.0.${200 + skip}`, sport: 40000, dst: sp.clusterIP, dport: sp.port.port };
        const res = iptablesDnat(r, node, pkt, 'PREROUTING', { realised: r, random: scripted(skip), inIface: 'veth' }, { full: true });
        if (res.nat.length) got.add(res.nat[0].after);
        else assert.equal(res.verdict, 'reject', 'no endpoint: REJECT');
      }
      assert.deepEqual([...got].sort(), expected, `iptables, ${sp.name}`);
      const vs = ipvs.lookup(sp.protocol, sp.clusterIP, sp.port.port)!;
      assert.deepEqual(vs.reals.map((x) => `${x.ip}:${x.port}`).sort(), expected, `ipvs, ${sp.name}`);
      assert.deepEqual(categorize(sp, node.name).cluster.map((e) => e.str).sort(), expected);
      // nftables: numgen random mod N picks element floor(random · N)
      const rn = realiseFixture({ ...fx, config: { proxyMode: 'nftables' } });
      const nftGot = new Set<string>();
      for (let i = 0; i < Math.max(1, sp.endpoints.length); i++) {
        const n = sp.endpoints.length || 1;
        const pkt: Packet = { proto: sp.protocol, src: `10.244.0.${200 + i}`, sport: 40000, dst: sp.clusterIP, dport: sp.port.port };
        const res = nftablesDnat(rn, rn.nodeByName.get(node.name)!, pkt, 'PREROUTING', { realised: rn, random: () => (i + 0.5) / n, inIface: 'veth' }, { full: true });
        if (res.nat.length) nftGot.add(res.nat[0].after);
        else assert.equal(res.verdict, 'reject', 'no endpoint: goto reject-chain');
      }
      assert.deepEqual([...nftGot].sort(), expected, `nftables, ${sp.name}`);
    }
  }), { numRuns: 60, seed: 11 });
});

test('property: every delivered connection gets its reply from the address it connected to (conntrack reverses the NAT)', () => {
  fc.assert(fc.property(clusterArb(), fc.integer({ min: 0, max: 1e6 }), fc.constantFrom('iptables', 'ipvs', 'nftables'), (fx, seed, mode) => {
    const r = realiseFixture({ ...fx, config: { proxyMode: mode as 'iptables' | 'ipvs' | 'nftables' } });
    const hooks = combineHooks(cniHooks(r), kubeProxyHooks(r));
    const rnd = mulberry32(seed);
    for (const sp of servicePorts(r)) {
      const targets = [`${sp.clusterIP}:${sp.port.port}`, ...sp.externalIPs.map((ip) => `${ip}:${sp.port.port}`), ...sp.lbIPs.map((ip) => `${ip}:${sp.port.port}`)];
      if (sp.nodePort) targets.push(`${NODES[0].ip}:${sp.nodePort}`);
      for (const t of targets) {
        const [ip, port] = t.split(':');
        const from = rnd() < 0.5 ? 'external:203.0.113.9' : r.pods[0] ? r.pods[0].key : 'node/n0';
        const res = connectQuery(r, { from, to: ip, port: Number(port), protocol: sp.protocol, via: from.startsWith('external') ? 'n0' : undefined, seed: Math.floor(rnd() * 1e6) }, hooks);
        if (res.verdict === 'delivered' && res.delivered) {
          assert.equal(res.reply?.source, t);
          assert.ok(sp.endpoints.some((e) => e.ip === res.delivered!.ip), 'delivered to an endpoint of the service');
        }
      }
    }
  }), { numRuns: 40, seed: 3 });
});
