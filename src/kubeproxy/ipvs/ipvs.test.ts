import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { realiseFixture, type Fixture } from '../fixtures';
import { SHOP } from '../testclusters';
import { ipvsadm, iptablesSave, IPVS_HEADER, setIpvsRuntime, proxyState } from '../index';
import { parseIpvsRuntime, type RealServerRuntime } from './runtime';
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

// ---- runtime state (ActiveConn, InActConn, weight) given as input ---------------------------------

/** A scheduler state whose node "n" has `rt` ("ip" → counters) for vs('…')'s virtual server. */
function withRuntime(rt: Record<string, RealServerRuntime>) {
  const st = newSchedState();
  st.runtime.set('n', new Map([['TCP|10.96.0.1|80', new Map(Object.entries(rt).map(([ip, v]) => [`${ip}:80`, v] as const))]]));
  return st;
}

test('lc counts inactive connections too: ip_vs_dest_conn_overhead = activeconns << 8 + inactconns (ip_vs_lc.c)', () => {
  // 2·256 + 0 = 512 beats 1·256 + 300 = 556: with active connections only, .2 would have won
  const st = withRuntime({ '10.0.0.1': { active: 2, inactive: 0 }, '10.0.0.2': { active: 1, inactive: 300 }, '10.0.0.3': { active: 9, inactive: 0 } });
  const p = schedule(vs('lc'), '10.244.0.5', st, mulberry32(1), 0, 'n')!;
  assert.equal(p.rs.ip, '10.0.0.1');
  assert.match(p.why, /least connections \(overhead 2·256 \+ 0\)/);
  // the connection netspec made is one more active connection on top of the given ones
  assert.equal(schedule(vs('lc'), '10.244.0.5', st, mulberry32(1), 0, 'n')!.rs.ip, '10.0.0.2'); // 768 vs 556
  // another node's state does not count
  assert.equal(schedule(vs('lc'), '10.244.0.5', withRuntime({ '10.0.0.1': { active: 5, inactive: 0 } }), mulberry32(1), 0, 'other')!.rs.ip, '10.0.0.1');
});

test('wlc divides the overhead by the weight; sed takes (active + 1) / weight; nq the first idle server (ip_vs_wlc.c, ip_vs_sed.c, ip_vs_nq.c)', () => {
  const rt = { '10.0.0.1': { active: 2, inactive: 0, weight: 3 }, '10.0.0.2': { active: 1, inactive: 0 }, '10.0.0.3': { active: 1, inactive: 0 } };
  assert.equal(schedule(vs('wlc'), 's', withRuntime(rt), mulberry32(1), 0, 'n')!.rs.ip, '10.0.0.1'); // 512/3 < 256
  assert.equal(schedule(vs('sed'), 's', withRuntime(rt), mulberry32(1), 0, 'n')!.rs.ip, '10.0.0.1'); // 3/3 < 2/1
  assert.equal(schedule(vs('nq'), 's', withRuntime({ ...rt, '10.0.0.3': { active: 0, inactive: 7 } }), mulberry32(1), 0, 'n')!.rs.ip, '10.0.0.3');
});

test('weight 0 quiesces a real server: no scheduler gives it a new connection; all quiesced: none to schedule', () => {
  for (const s of ['rr', 'wrr', 'lc', 'wlc', 'sed', 'nq', 'sh', 'dh']) {
    const st = withRuntime({ '10.0.0.1': { active: 0, inactive: 0, weight: 0 }, '10.0.0.3': { active: 0, inactive: 0, weight: 0 } });
    for (let i = 0; i < 5; i++) assert.equal(schedule(vs(s), `10.244.0.${i}`, st, mulberry32(i), 0, 'n')!.rs.ip, '10.0.0.2', s);
  }
  const all = withRuntime({ '10.0.0.1': { active: 0, inactive: 0, weight: 0 }, '10.0.0.2': { active: 0, inactive: 0, weight: 0 }, '10.0.0.3': { active: 0, inactive: 0, weight: 0 } });
  assert.equal(schedule(vs('rr'), 's', all, mulberry32(1), 0, 'n'), undefined);
});

test('--ipvs-state YAML: keyed as ipvsadm -Ln lists the table; every mistake a located NS-IPVS-STATE error; ipvsadm shows the counters', () => {
  const r = realiseFixture({ ...IPVS, config: { proxyMode: 'ipvs', ipvsScheduler: 'lc' } });
  const st = proxyState(r);
  const n = st.ipvsNode(r.nodeByName.get('node-a')!, 4);
  const ok = parseIpvsRuntime('TCP 10.96.0.20:80:\n  10.244.0.10:8080: {activeConn: 4, inActConn: 9}\n  10.244.1.11:8080: {weight: 0}\n', 's.yaml', 'node-a', n);
  assert.deepEqual(ok.errors, []);
  assert.deepEqual(ok.runtime.get('TCP|10.96.0.20|80')!.get('10.244.1.11:8080'), { active: 0, inactive: 0, weight: 0 });
  const bad = parseIpvsRuntime('TCP 10.96.0.20:81:\n  x: {}\nTCP 10.96.0.20:80:\n  10.244.9.9:8080: {}\n  10.244.0.10:8080: {active: 1, weight: 70000}\nbogus: 1\n', 'b.yaml', 'node-a', n);
  assert.deepEqual(bad.errors.map((e) => [e.code, e.pos?.line, e.pos?.col]), [
    ['NS-IPVS-STATE', 1, 1], ['NS-IPVS-STATE', 4, 3], ['NS-IPVS-STATE', 5, 22], ['NS-IPVS-STATE', 5, 41], ['NS-IPVS-STATE', 6, 1],
  ]);
  assert.match(bad.errors[0].hint, /TCP 10\.96\.0\.20:80/);
  assert.match(bad.errors[1].hint, /10\.244\.0\.10:8080, 10\.244\.1\.11:8080, 10\.244\.1\.12:8080/);
  assert.deepEqual(setIpvsRuntime(r, 'node-a', 'TCP 10.96.0.20:80:\n  10.244.0.10:8080: {activeConn: 4, inActConn: 9}\n  10.244.1.11:8080: {weight: 0}\n', 's.yaml'), []);
  assert.match(ipvsadm(r, 'node-a'), /  -> 10\.244\.0\.10:8080 {13}Masq {4}1 {6}4 {10}9 {9}\n  -> 10\.244\.1\.11:8080 {13}Masq {4}0 {6}0/);
  // in iptables mode there is no IPVS table to give a state to
  const ipt = setIpvsRuntime(realiseFixture(SHOP), 'node-a', 'x: 1', 'i.yaml');
  assert.match(ipt[0].message, /kube-proxy runs in iptables mode/);
});
