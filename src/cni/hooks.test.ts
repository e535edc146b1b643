import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from './fixture';
import { cniHooks } from './hooks';
import { connect } from './walk';
import { nthAddress, parseCIDR } from '../net/ip';
import type { HookContext } from './types';
import type { Packet } from '../net/packet';
import type { Realised } from '../model/realised';

const r = fixture({ nodes: ['node-a', 'node-b'], pods: [{ ns: 'shop', name: 'client', node: 'node-a' }] });
const nodeA = r.nodes[0];
const ctx = (outAddress: string): HookContext => ({ realised: r, random: () => 0.25, inIface: 'veth', outAddress });
const pkt = (src: string, dst: string): Packet => ({ proto: 'TCP', src, sport: 40000, dst, dport: 443 });

test("flannel FLANNEL-POSTRTG: traffic kube-proxy marked (0x4000) is left to kube-proxy's own MASQUERADE", () => {
  const h = cniHooks(r);
  const res = h.snat(nodeA, pkt('10.244.0.2', '93.184.216.34'), 'eth0', true, ctx('172.18.0.2'));
  assert.deepEqual(res.nat, []);
  assert.equal(res.masqueradeMark, true);
  const unmarked = h.snat(nodeA, pkt('10.244.0.2', '93.184.216.34'), 'eth0', false, ctx('172.18.0.2'));
  assert.equal(unmarked.nat[0].after, `172.18.0.2:${1024 + Math.floor(0.25 * (65535 - 1024 + 1))}`, 'MASQUERADE --random-fully picks the port from the seeded generator');
});

test('flannel FLANNEL-POSTRTG: multicast is not masqueraded; pod network to pod network never is', () => {
  const h = cniHooks(r);
  assert.deepEqual(h.snat(nodeA, pkt('10.244.0.2', '224.0.0.251'), 'eth0', false, ctx('172.18.0.2')).nat, []);
  assert.deepEqual(h.snat(nodeA, pkt('10.244.0.2', '10.244.1.9'), 'tunnel', false, ctx('10.244.0.0')).nat, []);
});

test("flannel FLANNEL-POSTRTG: from outside the pod network, the node's own podCIDR is not masqueraded, other nodes' are", () => {
  const h = cniHooks(r);
  assert.deepEqual(h.snat(nodeA, pkt('203.0.113.7', '10.244.0.9'), 'cni0', false, ctx('10.244.0.1')).nat, []);
  const remote = h.snat(nodeA, pkt('203.0.113.7', '10.244.1.9'), 'tunnel', false, ctx('10.244.0.0'));
  assert.equal(remote.nat[0]?.by, 'flannel');
  const calico = fixture({ nodes: ['node-a', 'node-b'], pods: [], config: { podNetwork: { mode: 'ipip', plugin: 'calico', device: 'tunl0', decidedBy: 'test' } } });
  assert.deepEqual(cniHooks(calico).snat(calico.nodes[0], pkt('203.0.113.7', '10.244.1.9'), 'tunnel', false, ctx('10.244.0.0')).nat, [],
    "Calico's natOutgoing only masquerades traffic from its pools to outside them");
});

test('ip-masq-agent: masqLinkLocal makes 169.254.0.0/16 subject to MASQUERADE', () => {
  const agent = (masqLinkLocal: boolean) => fixture({ nodes: ['node-a'], pods: [], config: { egressMasquerade: { by: 'ip-masq-agent', nonMasqueradeCIDRs: ['10.0.0.0/8'], masqLinkLocal } } });
  const off = agent(false), on = agent(true);
  assert.deepEqual(cniHooks(off).snat(off.nodes[0], pkt('10.244.0.2', '169.254.169.254'), 'eth0', false, ctx('172.18.0.2')).nat, []);
  assert.equal(cniHooks(on).snat(on.nodes[0], pkt('10.244.0.2', '169.254.169.254'), 'eth0', false, ctx('172.18.0.2')).nat[0]?.by, 'ip-masq-agent');
});

/** A dual-stack variant of a fixture: every node also gets fd00:10:244:<i>::/64, every pod the matching address. */
function dualStack(base: Realised): Realised {
  const podByIP = new Map(base.podByIP);
  base.nodes.forEach((n, i) => { (n.podCIDRs as any[]).push(parseCIDR(`fd00:10:244:${i}::/64`)); (n.ips as string[]).push(`fd00:172:18::${i + 2}`); (base.nodeByIP as Map<string, any>).set(`fd00:172:18::${i + 2}`, n); });
  for (const p of base.pods) {
    if (p.hostNetwork || !p.node) continue;
    const host = Number(p.ip.split('.')[3]);
    const v6 = nthAddress(p.node.podCIDRs[1], host);
    p.ips.push(v6);
    podByIP.set(v6, p);
  }
  (base.config.podSubnets as string[]).push('fd00:10:244::/56');
  return { ...base, podByIP };
}

test('dual stack: an IPv6 connection uses the IPv6 addresses end to end, the overlay between the nodes\' IPv6 addresses', () => {
  const r6 = dualStack(fixture({ nodes: ['node-a', 'node-b'], pods: [{ ns: 'shop', name: 'client', node: 'node-a' }, { ns: 'shop', name: 'web', node: 'node-b' }] }));
  const web = r6.podByKey.get('shop/web')!;
  const res = connect(r6, { from: { kind: 'pod', pod: r6.podByKey.get('shop/client')! }, to: web.ips[1], port: 8080, protocol: 'TCP' });
  assert.equal(res.verdict, 'delivered');
  assert.equal(res.delivered?.ip, web.ips[1]);
  assert.match(res.final!.src, /^\[fd00:10:244::2\]:\d+$/);
  const enc = res.hops.find((h) => h.action === 'encapsulate')!;
  assert.equal(enc.packet?.outer?.src, 'fd00:172:18::2');
  assert.equal(enc.packet?.outer?.dst, '[fd00:172:18::3]:8472');
  assert.deepEqual(res.nat, []);
});
