import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addr, comment, jump, mkRule, probabilityRaw, probabilityText, ruleText, saveString } from './rules';

test('statistic probability prints as iptables-save shows it: 1/3 → 0.33333333349, 1/2 → 0.50000000000', () => {
  // kube-proxy writes %0.10f of 1/n; the kernel keeps lround(p·2^31); iptables-save prints %.11f
  assert.equal(probabilityText(probabilityRaw(3)), '0.33333333349');
  assert.equal(probabilityText(probabilityRaw(2)), '0.50000000000');
  assert.equal(probabilityText(probabilityRaw(4)), '0.25000000000');
  assert.equal(probabilityText(probabilityRaw(10)), '0.10000000009');
  assert.equal(probabilityText(probabilityRaw(7)), '0.14285714272');
});

test('comments are quoted unless they are plain words (xtables_save_string)', () => {
  assert.equal(saveString('ns1/svc1:p80'), '"ns1/svc1:p80"');
  assert.equal(saveString('kubernetes service portals'), '"kubernetes service portals"');
  assert.equal(saveString('plain_word-1'), 'plain_word-1');
  assert.equal(saveString('say "hi"'), '"say \\"hi\\""');
});

test('iptables-save order: -s/-d (with prefix), -p, matches in given order, then the target', () => {
  const r = mkRule('nat', 'KUBE-SVC-X', 4, {
    src: addr('10.0.0.0/8', true), dst: addr('172.30.0.41'), proto: 'tcp',
    matches: [comment('ns1/svc1:p80 cluster IP'), { m: 'l4', proto: 'tcp', dport: 80 }], target: jump('KUBE-MARK-MASQ'),
  });
  assert.equal(ruleText(r), '-A KUBE-SVC-X ! -s 10.0.0.0/8 -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ');
});

test('targets print with their saved options', () => {
  const t = (target: any) => ruleText(mkRule('nat', 'C', 4, { target }));
  assert.equal(t({ t: 'MARK', value: 0x4000, mask: 0x4000 }), '-A C -j MARK --set-xmark 0x4000/0x4000'); // --or-mark 0x4000
  assert.equal(t({ t: 'MARK', value: 0x4000, mask: 0 }), '-A C -j MARK --set-xmark 0x4000/0x0'); // --xor-mark 0x4000
  assert.equal(t({ t: 'REJECT' }), '-A C -j REJECT --reject-with icmp-port-unreachable');
  assert.equal(t({ t: 'DNAT', ip: '10.1.2.3', port: 8080 }), '-A C -j DNAT --to-destination 10.1.2.3:8080');
  assert.equal(t({ t: 'MASQUERADE', randomFully: true }), '-A C -j MASQUERADE --random-fully');
  assert.equal(t({ t: 'none' }), '-A C');
});

test('-m recent prints its defaults back (mask, rsource)', () => {
  const r = mkRule('nat', 'KUBE-SVC-X', 4, { matches: [{ m: 'recent', mode: 'rcheck', name: 'KUBE-SEP-Y', seconds: 10800, reap: true }], target: jump('KUBE-SEP-Y') });
  assert.equal(ruleText(r), '-A KUBE-SVC-X -m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-Y --mask 255.255.255.255 --rsource -j KUBE-SEP-Y');
});

test('-m recent in ip6tables-save prints the IPv6 all-ones mask (libxt_recent recent_save, NFPROTO_IPV6: xtables_ip6addr_to_numeric)', () => {
  const r = mkRule('nat', 'KUBE-SVC-X', 6, { matches: [{ m: 'recent', mode: 'set', name: 'KUBE-SEP-Y' }], target: jump('KUBE-SEP-Y') });
  assert.equal(ruleText(r), '-A KUBE-SVC-X -m recent --set --name KUBE-SEP-Y --mask ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff --rsource -j KUBE-SEP-Y');
});
