import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareFlow, compared, kernelHits, parseSave, sharesWithin } from './compare';
import { FLOWS, expect, loadCluster } from './plan';
import { breakRules } from './index';
import { iptablesSave, nftListRuleset } from '../kubeproxy';

const NETSPEC = `*nat
:PREROUTING ACCEPT [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SVC-X - [0:0]
-A PREROUTING -j KUBE-SERVICES
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MASQUERADE --random-fully
-A KUBE-SVC-X -m statistic --mode random --probability 0.5 -j KUBE-SEP-A
-A KUBE-SVC-X -j KUBE-SEP-B
COMMIT
`;

test('kernelHits: the compared rules with packets, named by netspec\'s text at the same place in the chain', () => {
  const kernel = NETSPEC.replace(/^-A/gm, '[0:0] -A')
    .replace('[0:0] -A PREROUTING', '[9:540] -A PREROUTING')
    .replace('[0:0] -A KUBE-POSTROUTING -m mark', '[9:540] -A KUBE-POSTROUTING -m mark')
    .replace('[0:0] -A KUBE-SVC-X -j KUBE-SEP-B', '[4:240] -A KUBE-SVC-X -j KUBE-SEP-B');
  const k = kernelHits('n1', NETSPEC, kernel);
  // PREROUTING (built-in) and KUBE-POSTROUTING's RETURN are counted by the kernel for every new connection: not compared
  assert.deepEqual([...k.hits], ['n1|nat|-A KUBE-SVC-X -j KUBE-SEP-B']);
  assert.deepEqual(k.problems, []);
  const short = kernel.replace(/^\[0:0\] -A KUBE-SVC-X -m statistic.*\n/m, '');
  assert.match(kernelHits('n1', NETSPEC, short).problems[0], /^n1 nat KUBE-SVC-X: the kernel holds 1 rules, netspec wrote 2$/);
});

test('compared: service chains and the masquerade rules in nat; only REJECT/DROP of the service chains in filter', () => {
  assert.equal(compared('nat', '-A KUBE-SEP-ABC -p tcp -j DNAT --to-destination 10.0.0.1:80'), true);
  assert.equal(compared('nat', '-A KUBE-POSTROUTING -j MASQUERADE --random-fully'), true);
  assert.equal(compared('nat', '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN'), false);
  assert.equal(compared('nat', '-A OUTPUT -j KUBE-SERVICES'), false);
  assert.equal(compared('filter', '-A KUBE-SERVICES -d 10.96.0.9/32 -p tcp -j REJECT --reject-with icmp-port-unreachable'), true);
  assert.equal(compared('filter', '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP'), false);
  assert.deepEqual([...parseSave(NETSPEC).get('nat')!.keys()], ['PREROUTING', 'KUBE-POSTROUTING', 'KUBE-SVC-X']);
});

test('sharesWithin: 4.5 standard deviations around count/k; a backend never reached or one taking everything fails', () => {
  assert.equal(sharesWithin(new Map([['a/x', 20], ['a/y', 20], ['a/z', 20]]), 3, 60).ok, true);
  assert.equal(sharesWithin(new Map([['a/x', 58], ['a/y', 1], ['a/z', 1]]), 3, 60).ok, false);
  assert.equal(sharesWithin(new Map([['a/x', 30], ['a/y', 30]]), 3, 60).ok, false);
  assert.match(sharesWithin(new Map([['a/x', 20], ['a/y', 20], ['a/z', 20]]), 3, 60).text, /^x=20 y=20 z=20 \(bound 3–37\)$/);
});

test('breakRules drops exactly the masquerade mark from netspec\'s real output (iptables and nftables)', () => {
  const ipt = iptablesSave(loadCluster('iptables').realised, 'node-a');
  const broken = breakRules(ipt, 'masquerade', 'iptables-nft');
  assert.equal(broken.split('\n').length, ipt.split('\n').length - 1);
  assert.doesNotMatch(broken, /^-A KUBE-MARK-MASQ -j MARK/m);
  const nft = nftListRuleset(loadCluster('nftables').realised, 'node-a');
  const nb = breakRules(nft, 'masquerade', 'nftables');
  assert.equal(nb.split('\n').length, nft.split('\n').length - 1);
  assert.doesNotMatch(nb, /meta mark set meta mark \| 0x0*4000/);
});

test('compareFlow: REJECT is ECONNREFUSED; a hairpin the kernel did not masquerade disagrees on the source, naming the flow', () => {
  const c = loadCluster('iptables');
  const empty = FLOWS.find((f) => f.id === 'no-endpoints')!;
  const rows = compareFlow('iptables-nft', empty, expect(c, empty), Array.from({ length: 5 }, () => ({ err: 'ECONNREFUSED' })), null);
  assert.deepEqual(rows.filter((r) => r.check === 'outcome').map((r) => [r.netspec, r.kernel, r.ok]), [['ECONNREFUSED ×5', 'ECONNREFUSED ×5', true]]);
  const hairpin = FLOWS.find((f) => f.id === 'hairpin')!;
  const solo = c.realised.podByKey.get('shop/solo')!.ip;
  const bad = compareFlow('iptables-nft', hairpin, expect(c, hairpin), Array.from({ length: 5 }, () => ({ who: 'shop/solo', peer: solo })), null);
  const src = bad.find((r) => r.check === 'source each backend sees')!;
  assert.equal(src.ok, false);
  assert.equal(src.flow, 'hairpin: pod → its own Service (hairpin)');
  assert.equal(src.netspec, 'solo←10.244.0.1');
  assert.equal(src.kernel, `solo←${solo}`);
});
