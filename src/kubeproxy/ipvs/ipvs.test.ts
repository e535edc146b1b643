import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { realiseFixture, type Fixture } from '../fixtures';
import { SHOP } from '../testclusters';
import { ipvsadm, iptablesSave, IPVS_HEADER } from '../index';
import { buildIpvsNode, type VirtualServer } from './build';
import { hash32, newSchedState, schedule } from './sched';
import { mulberry32 } from '../../cni';

const golden = (name: string) => readFileSync(join(__dirname, '..', 'testdata', name), 'utf8');
const IPVS: Fixture = { ...SHOP, config: { proxyMode: 'ipvs', ipvsScheduler: 'rr' } };

test('golden: ipvsadm -Ln for the acceptance cluster (header, Masq forwarding, weight 1, printf padding)', () => {
  assert.equal(ipvsadm(realiseFixture(IPVS), 'node-a'), golden('shop-node-a.ipvsadm'));
});

test('golden: the iptables rules kube-proxy keeps in ipvs mode (ipset matches, KUBE-LOOP-BACK, KUBE-IPVS-FILTER)', () => {
  assert.equal(iptablesSave(realiseFixture(IPVS), 'node-a'), golden('shop-node-a-ipvs.iptables-save'));
});

const WIDE: Fixture = {
  nodes: [{ name: 'n1', ip: '172.18.0.2' }, { name: 'n2', ip: '172.18.0.3' }],
  config: { proxyMode: 'ipvs' },
  services: [
    { ns: 'b', name: 'dns', clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53 }], selector: null,
      endpoints: [{ ip: '10.244.0.3', node: 'n1', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53 }] }] },
    { ns: 'a', name: 'web', type: 'LoadBalancer', affinity: true, clusterIP: '10.96.0.100', externalIPs: ['192.0.2.5'], lbIPs: ['198.51.100.7'],
      ports: [{ port: 80, nodePort: 30080 }], selector: null,
      endpoints: [{ ip: '10.244.1.20', node: 'n2', ports: [{ port: 8080 }] }, { ip: '10.244.0.9', node: 'n1', ports: [{ port: 8080 }] }] },
  ],
};

test('ipvsadm: virtual servers for cluster IP, external IP, LB IP and the NodePort on every node address, sorted by protocol, address, port', () => {
  const out = ipvsadm(realiseFixture(WIDE), 'n1').split('\n').filter((l) => /^(TCP|UDP)/.test(l));
  assert.deepEqual(out, [
    'TCP  10.96.0.10:53 rr',
    'TCP  10.96.0.100:80 rr persistent 10800',
    // flannel's flannel.1 (podCIDR network address) and cni0 (first address) are node addresses too
    'TCP  10.244.0.0:30080 rr persistent 10800',
    'TCP  10.244.0.1:30080 rr persistent 10800',
    'TCP  172.18.0.2:30080 rr persistent 10800',
    'TCP  192.0.2.5:80 rr persistent 10800',
    'TCP  198.51.100.7:80 rr persistent 10800',
    'UDP  10.96.0.10:53 rr',
  ]);
});

test('ipvsadm: real servers sorted by address (10.244.0.9 before 10.244.1.20), "  -> %-28s %-7s %-6d %-10u %-10u"', () => {
  const text = ipvsadm(realiseFixture(WIDE), 'n1');
  const rs = text.split('\n').filter((l) => l.startsWith('  -> 10.'));
  assert.equal(rs[0], '  -> 10.244.0.3:53                Masq    1      0          0         ');
  const web = text.split('\n');
  const i = web.indexOf('TCP  10.96.0.100:80 rr persistent 10800');
  assert.deepEqual(web.slice(i + 1, i + 3).map((l) => l.trim().split(/\s+/)[1]), ['10.244.0.9:8080', '10.244.1.20:8080']);
});

test('in iptables mode IPVS holds nothing: ipvsadm prints its header only', () => {
  assert.equal(ipvsadm(realiseFixture({ ...WIDE, config: {} }), 'n1'), IPVS_HEADER.join('\n') + '\n');
});

test('kube-ipvs0 holds every service VIP; KUBE-IPVS-IPS lists them', () => {
  const n = buildIpvsNode(realiseFixture(WIDE), realiseFixture(WIDE).nodes[0]);
  assert.deepEqual([...n.bound].sort(), ['10.96.0.10', '10.96.0.100', '192.0.2.5', '198.51.100.7']);
  assert.deepEqual([...n.set('KUBE-IPVS-IPS').entries].sort(), [...n.bound].sort());
  assert.deepEqual([...n.set('KUBE-NODE-PORT-TCP').entries], ['30080']);
  assert.deepEqual([...n.set('KUBE-LOOP-BACK').entries].sort(), ['10.244.0.3,tcp:53,10.244.0.3', '10.244.0.3,udp:53,10.244.0.3', '10.244.0.9,tcp:8080,10.244.0.9']);
});

function vs(scheduler: string, n = 3): VirtualServer {
  const reals = Array.from({ length: n }, (_, i) => ({ ip: `10.0.0.${i + 1}`, port: 80, weight: 1, ep: {} as never }));
  return { key: 'TCP|10.96.0.1|80', protocol: 'TCP', vip: '10.96.0.1', port: 80, scheduler, kind: 'cluster IP', sp: {} as never, reals, localFallback: false };
}

test('rr: a seeded start, then the list in order, wrapping', () => {
  const st = newSchedState();
  const picks = Array.from({ length: 6 }, () => schedule(vs('rr'), '10.244.0.5', st, mulberry32(1), 0)!.rs.ip);
  assert.deepEqual(picks.slice(3), picks.slice(0, 3));
  assert.equal(new Set(picks).size, 3);
  const order = ['10.0.0.1', '10.0.0.2', '10.0.0.3'];
  const k = order.indexOf(picks[0]);
  assert.deepEqual(picks.slice(0, 3), [...order.slice(k), ...order.slice(0, k)]);
});

test('lc / wlc / sed / nq: with no connection yet the first real server; then the least loaded', () => {
  for (const s of ['lc', 'wlc', 'sed', 'nq']) {
    const st = newSchedState();
    const picks = Array.from({ length: 4 }, () => schedule(vs(s), '10.244.0.5', st, mulberry32(1), 0)!.rs.ip);
    assert.deepEqual(picks, ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.1'], s);
  }
});

test('sh hashes the source address (hash_32, 256 buckets dealt round robin): the same client always lands on the same server', () => {
  assert.equal(hash32(0x0a000001, 8), (Math.imul(0x0a000001, 0x61c88647) >>> 0) >>> 24);
  const st = newSchedState();
  const a = schedule(vs('sh'), '10.244.0.5', st, mulberry32(1), 0)!.rs.ip;
  for (let i = 0; i < 5; i++) assert.equal(schedule(vs('sh'), '10.244.0.5', st, mulberry32(i), 0)!.rs.ip, a);
  const spread = new Set(Array.from({ length: 40 }, (_, i) => schedule(vs('sh'), `10.244.0.${i}`, st, mulberry32(1), 0)!.rs.ip));
  assert.equal(spread.size, 3);
});

test('dh hashes the destination (the VIP): every client lands on the same server', () => {
  const st = newSchedState();
  const picks = new Set(Array.from({ length: 20 }, (_, i) => schedule(vs('dh'), `10.244.0.${i}`, st, mulberry32(i), 0)!.rs.ip));
  assert.equal(picks.size, 1);
});

test('persistence (sessionAffinity ClientIP): a client keeps its real server until the template times out', () => {
  const v = { ...vs('rr'), persistent: 100 };
  const st = newSchedState();
  const first = schedule(v, '10.244.0.5', st, mulberry32(1), 0)!.rs.ip;
  for (let t = 1; t < 5; t++) assert.equal(schedule(v, '10.244.0.5', st, mulberry32(t), t * 20)!.rs.ip, first);
  assert.notEqual(schedule(v, '10.244.0.5', st, mulberry32(1), 500)!.rs.ip, first);
});

test('no real server: nothing to schedule (ip_vs_leave answers ICMP port unreachable)', () => {
  assert.equal(schedule(vs('rr', 0), '10.244.0.5', newSchedState(), mulberry32(1), 0), undefined);
});
