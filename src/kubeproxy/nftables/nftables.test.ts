// kube-proxy's nftables mode, checked against pkg/proxy/nftables/proxier.go (and its
// proxier_test.go TestOverallNFTablesRules cluster, OVERALL here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cniHooks, combineHooks, connectQuery, type ConnectQuery, type ConnectResult } from '../../cni';
import type { ClusterConfig } from '../../model/config';
import type { Realised } from '../../model/realised';
import { realiseFixture, type Fixture } from '../fixtures';
import { OVERALL, SHOP } from '../testclusters';
import { kubeProxyHooks } from '../hooks';
import { iptablesSave, nftListRuleset } from '../index';
import { hashAndTruncate, nftRuleset } from './build';
import { nftDuration, renderNft } from './render';

const nft = (fx: Fixture, config: Partial<ClusterConfig> = {}) => realiseFixture({ ...fx, config: { ...(fx.config ?? {}), proxyMode: 'nftables', ...config } });
const overall = () => nft(OVERALL, { serviceSubnets: ['172.30.0.0/16'] });
const listing = (r: Realised, node = r.nodes[0].name) => nftListRuleset(r, node);
function connectIn(r: Realised, q: ConnectQuery): ConnectResult {
  return connectQuery(r, q, combineHooks(cniHooks(r), kubeProxyHooks(r)));
}

test('chain names: hashAndTruncate = 8 base32 characters of sha256(name) + "-" + name (proxier.go: "ULMVA6XW-ns1/svc1/tcp/p80", "5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80")', () => {
  assert.equal(hashAndTruncate('ns1/svc1/tcp/p80'), 'ULMVA6XW-ns1/svc1/tcp/p80');
  assert.equal(hashAndTruncate('ns1/svc1/tcp/p80__10.180.0.1/80'), '5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80');
  // longer than chainNameBaseLengthMax (256 - 16): cut to 237 characters and "..."
  const long = hashAndTruncate('x'.repeat(300));
  assert.equal(long.length, 240);
  assert.ok(long.endsWith('...'));
  const text = listing(overall());
  assert.match(text, /chain service-ULMVA6XW-ns1\/svc1\/tcp\/p80 \{/);
  assert.match(text, /chain endpoint-5OJB2KTY-ns1\/svc1\/tcp\/p80__10\.180\.0\.1\/80 \{/);
});

test('nft list ruleset: the OVERALL cluster matches the golden that nft 1.0.6 loaded with nft -f and listed back (map elements aside, which the kernel lists in hash order)', () => {
  const golden = fs.readFileSync(path.join(__dirname, '..', 'testdata', 'overall.nft'), 'utf8');
  assert.equal(listing(overall()), golden);
});

test('the table: base chains "${type}-${hook}" at dstnat-10 / dstnat+10, the jumps of nftablesJumpChains, masquerade fully-random', () => {
  const text = listing(overall());
  assert.match(text, /^table ip kube-proxy \{\n\tcomment "rules for kube-proxy"/);
  assert.match(text, /chain filter-prerouting \{\n\t\ttype filter hook prerouting priority dstnat - 10; policy accept;\n\t\tct state new jump firewall-check\n/);
  assert.match(text, /chain filter-input \{\n\t\ttype filter hook input priority -110; policy accept;\n\t\tct state new jump nodeport-endpoints-check\n\t\tct state new jump service-endpoints-check\n/);
  assert.match(text, /chain filter-forward \{\n\t\ttype filter hook forward priority -110; policy accept;\n\t\tct state new jump service-endpoints-check\n\t\tct state new jump cluster-ips-check\n/);
  assert.match(text, /chain filter-output-post-dnat \{\n\t\ttype filter hook output priority -90; policy accept;\n\t\tct state new jump cluster-ips-check\n/);
  assert.match(text, /chain nat-postrouting \{\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n\t\tjump masquerading\n/);
  assert.match(text, /chain masquerading \{\n\t\tmeta mark & 0x00004000 == 0x00000000 return\n\t\tmeta mark set meta mark \^ 0x00004000\n\t\tmasquerade fully-random\n/);
  assert.match(text, /chain mark-for-masquerade \{\n\t\tmeta mark set meta mark \| 0x00004000\n/);
  assert.match(text, /chain reject-chain \{\n\t\tcomment "helper for @no-endpoint-services \/ @no-endpoint-nodeports"\n\t\treject\n/);
  // nftables.masqueradeBit moves the mark
  assert.match(listing(nft(OVERALL, { nftMasqueradeBit: 12 })), /meta mark set meta mark \| 0x00001000/);
});

test('maps and sets: service-ips goto the policy chain, no-endpoint-services goto reject-chain (no endpoints) or drop (Local, none here), cluster-ips holds every ClusterIP', () => {
  const rs = nftRuleset(overall(), overall().nodes[0]);
  const svcIPs = rs.maps.get('service-ips')!;
  assert.deepEqual(svcIPs.elems.get('172.30.0.41 . tcp . 80')!.value, { v: 'goto', chain: 'service-ULMVA6XW-ns1/svc1/tcp/p80' });
  assert.equal((svcIPs.elems.get('1.2.3.4 . tcp . 80')!.value as { chain: string }).chain.startsWith('external-'), true);
  const noEp = rs.maps.get('no-endpoint-services')!;
  assert.deepEqual(noEp.elems.get('172.30.0.46 . tcp . 80')!.value, { v: 'goto', chain: 'reject-chain' });
  assert.equal(noEp.elems.get('172.30.0.46 . tcp . 80')!.comment, 'ns6/svc6:p80');
  assert.deepEqual(noEp.elems.get('1.2.3.4 . tcp . 80')!.value, { v: 'drop' });
  assert.deepEqual([...rs.sets.get('cluster-ips')!.elems].sort(), ['172.30.0.41', '172.30.0.42', '172.30.0.43', '172.30.0.44', '172.30.0.45', '172.30.0.46']);
  assert.deepEqual(rs.maps.get('firewall-ips')!.elems.get('5.6.7.8 . tcp . 80')!.value, { v: 'goto', chain: 'firewall-HVFWP5L3-ns5/svc5/tcp/p80' });
  assert.match(renderNft(rs), /chain firewall-HVFWP5L3-ns5\/svc5\/tcp\/p80 \{\n\t\tip saddr != 203\.0\.113\.0\/25 drop\n/);
});

test('load balancing is one rule, numgen random mod N vmap { 0 : goto endpoint-…, … }; the walk follows the picked element', () => {
  const r = nft(SHOP);
  const text = listing(r);
  assert.match(text, /numgen random mod 3 vmap \{ 0 : goto endpoint-[A-Z2-7]{8}-shop\/web\/tcp\/__10\.244\.0\.10\/8080, 1 : goto endpoint-[A-Z2-7]{8}-shop\/web\/tcp\/__10\.244\.1\.11\/8080, 2 : goto endpoint-[A-Z2-7]{8}-shop\/web\/tcp\/__10\.244\.1\.12\/8080 \}/);
  const seen = new Set<string>();
  for (let seed = 1; seed <= 30; seed++) {
    const res = connectIn(r, { from: 'shop/client', to: '10.96.0.20', port: 80, seed });
    assert.equal(res.verdict, 'delivered');
    seen.add(res.delivered!.ip);
    const dnat = res.hops.find((h) => h.action === 'dnat')!;
    assert.match(dnat.at, /^node\/node-a\/nftables\/endpoint-/);
    assert.match(dnat.detail, /dnat to 10\.244\./);
    assert.ok(res.hops.some((h) => h.action === 'match' && /numgen random mod 3/.test(h.detail) && /^node\/node-a\/nftables\/service-/.test(h.at)));
    assert.deepEqual(res.nat.filter((n) => n.kind === 'DNAT').map((n) => n.before), ['10.96.0.20:80']);
    assert.equal(res.reply!.source, '10.96.0.20:80');
  }
  assert.equal(seen.size, 3);
});

test('sessionAffinity ClientIP: a dynamic set per endpoint with flags dynamic,timeout and the affinity timeout; the client sticks until it expires', () => {
  const fx: Fixture = { ...SHOP, services: [{ ...SHOP.services![0], affinity: true, affinityTimeout: 60 }] };
  const r = nft(fx);
  const text = listing(r);
  assert.match(text, /set affinity-[A-Z2-7]{8}-shop\/web\/tcp\/__10\.244\.0\.10\/8080 \{\n\t\ttype ipv4_addr\n\t\tsize 65535\n\t\tflags dynamic,timeout\n\t\ttimeout 1m\n/);
  assert.match(text, /\t\tip saddr @affinity-[A-Z2-7]{8}-shop\/web\/tcp\/__10\.244\.0\.10\/8080 goto endpoint-[A-Z2-7]{8}-shop\/web\/tcp\/__10\.244\.0\.10\/8080\n/);
  assert.match(text, /\t\tupdate @affinity-[A-Z2-7]{8}-shop\/web\/tcp\/__10\.244\.1\.11\/8080 \{ ip saddr \}\n/);
  assert.equal(nftDuration(10800), '3h');
  const first = connectIn(r, { from: 'shop/client', to: '10.96.0.20', port: 80, seed: 1 }).delivered!.ip;
  for (let seed = 2; seed < 12; seed++) assert.equal(connectIn(r, { from: 'shop/client', to: '10.96.0.20', port: 80, seed }).delivered!.ip, first);
});

test('a ClusterIP on a port the Service does not declare: nftables rejects it (cluster-ips-check), iptables lets it fall through and it is lost', () => {
  const n = connectIn(nft(SHOP), { from: 'shop/client', to: '10.96.0.20', port: 81 });
  assert.equal(n.verdict, 'rejected');
  const hop = n.hops.find((h) => h.action === 'reject')!;
  assert.equal(hop.at, 'node/node-a/nftables/cluster-ips-check');
  assert.match(hop.detail, /ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"/);
  const i = connectIn(realiseFixture(SHOP), { from: 'shop/client', to: '10.96.0.20', port: 81 });
  assert.equal(i.verdict, 'dropped');
  assert.ok(!i.hops.some((h) => h.at.includes('/iptables/')), 'no iptables rule matched');
  // an address of the service range no Service holds: dropped by nftables' "Drop traffic to unallocated ClusterIPs"
  const u = connectIn(nft(SHOP), { from: 'shop/client', to: '10.96.0.99', port: 80 });
  assert.equal(u.verdict, 'dropped');
  assert.match(u.hops.find((h) => h.action === 'drop')!.detail, /ip daddr 10\.96\.0\.0\/12 drop comment "Drop traffic to unallocated ClusterIPs"/);
});

const NODEPORT: Fixture = {
  ...SHOP,
  services: [{ ns: 'shop', name: 'web', type: 'NodePort', clusterIP: '10.96.0.20', ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }], selector: { app: 'web' } }],
};

test('NodePort on 127.0.0.1 from the node: iptables (localhostNodePorts true) delivers; localhostNodePorts false and nftables do not', () => {
  const q: ConnectQuery = { from: 'node/node-a', to: '127.0.0.1', port: 30080 };
  assert.equal(connectIn(realiseFixture(NODEPORT), q).verdict, 'delivered');
  const off = realiseFixture({ ...NODEPORT, config: { localhostNodePorts: false } });
  assert.equal(connectIn(off, q).verdict, 'refused');
  assert.match(iptablesSave(off, 'node-a'), /-A KUBE-SERVICES ! -d 127\.0\.0\.0\/8 -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS/);
  assert.equal(connectIn(nft(NODEPORT), q).verdict, 'refused');
  // the node's own address still works in every mode
  for (const r of [realiseFixture(NODEPORT), off, nft(NODEPORT)]) assert.equal(connectIn(r, { from: 'node/node-a', to: '172.18.0.2', port: 30080 }).verdict, 'delivered');
});

test('nodePortAddresses: nftables defaults to "primary" (nodeport-ips = the node IP); a zero CIDR means every local address but loopback; iptables writes one -d rule per matching address', () => {
  const text = listing(nft(NODEPORT));
  assert.match(text, /set nodeport-ips \{\n\t\ttype ipv4_addr\n\t\tcomment "IPs that accept NodePort traffic"\n\t\telements = \{ 172\.18\.0\.2 \}/);
  assert.match(text, /\t\tip daddr @nodeport-ips meta l4proto \. th dport vmap @service-nodeports\n/);
  const all = listing(nft(NODEPORT, { nodePortAddresses: ['0.0.0.0/0'] }));
  assert.ok(!all.includes('nodeport-ips'));
  assert.match(all, /\t\tfib daddr type local ip daddr != 127\.0\.0\.0\/8 meta l4proto \. th dport vmap @service-nodeports\n/);
  // flannel's cni0 (10.244.0.1) is a local address: reachable as a NodePort with every address, not with primary
  const cni0: ConnectQuery = { from: 'node/node-b', to: '10.244.0.1', port: 30080 };
  assert.equal(connectIn(realiseFixture(NODEPORT), cni0).verdict, 'delivered');
  assert.equal(connectIn(nft(NODEPORT), cni0).verdict, 'refused');
  assert.equal(connectIn(nft(NODEPORT, { nodePortAddresses: ['0.0.0.0/0'] }), cni0).verdict, 'delivered');
  const ipt = realiseFixture({ ...NODEPORT, config: { nodePortAddresses: ['172.18.0.0/16'] } });
  assert.match(iptablesSave(ipt, 'node-a'), /-A KUBE-SERVICES -d 172\.18\.0\.2\/32 -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -j KUBE-NODEPORTS\n/);
  assert.ok(!/--dst-type LOCAL -j KUBE-NODEPORTS/.test(iptablesSave(ipt, 'node-a')));
  const prim = realiseFixture({ ...NODEPORT, config: { nodePortAddresses: ['primary'] } });
  assert.match(iptablesSave(prim, 'node-b'), /-A KUBE-SERVICES -d 172\.18\.0\.3\/32 .* -j KUBE-NODEPORTS/);
});

test('detectLocalMode: ClusterCIDR (ip saddr != cluster CIDR), NodeCIDR (the node\'s podCIDR), BridgeInterface (iifname != "cni0"), InterfaceNamePrefix (iifname != "cali*")', () => {
  const masqRule = (c: Partial<ClusterConfig>) => listing(nft(SHOP, c)).split('\n').find((l) => l.includes('ip daddr 10.96.0.20 tcp dport 80'))!.trim();
  assert.equal(masqRule({}), 'ip daddr 10.96.0.20 tcp dport 80 ip saddr != 10.244.0.0/16 jump mark-for-masquerade');
  assert.equal(masqRule({ detectLocalMode: 'NodeCIDR' }), 'ip daddr 10.96.0.20 tcp dport 80 ip saddr != 10.244.0.0/24 jump mark-for-masquerade');
  assert.equal(masqRule({ detectLocalMode: 'BridgeInterface', detectLocal: { bridgeInterface: 'cni0', interfaceNamePrefix: '' } }), 'ip daddr 10.96.0.20 tcp dport 80 iifname != "cni0" jump mark-for-masquerade');
  assert.equal(masqRule({ detectLocalMode: 'InterfaceNamePrefix', detectLocal: { bridgeInterface: '', interfaceNamePrefix: 'cali' } }), 'ip daddr 10.96.0.20 tcp dport 80 iifname != "cali*" jump mark-for-masquerade');
  assert.equal(masqRule({ nftMasqueradeAll: true }), 'ip daddr 10.96.0.20 tcp dport 80 jump mark-for-masquerade');
  // a pod behind cni0 is local with BridgeInterface cni0: no SNAT; with a prefix that does not match flannel's cni0, it is masqueraded
  const bridge = nft(SHOP, { detectLocalMode: 'BridgeInterface', detectLocal: { bridgeInterface: 'cni0', interfaceNamePrefix: '' } });
  assert.equal(connectIn(bridge, { from: 'shop/client', to: '10.96.0.20', port: 80, seed: 3 }).nat.filter((n) => n.kind === 'SNAT').length, 0);
  const wrong = nft(SHOP, { detectLocalMode: 'InterfaceNamePrefix', detectLocal: { bridgeInterface: '', interfaceNamePrefix: 'cali' } });
  const res = connectIn(wrong, { from: 'shop/client', to: '10.96.0.20', port: 80, seed: 3 });
  assert.equal(res.verdict, 'delivered');
  assert.equal(res.nat.filter((n) => n.kind === 'SNAT').length, 1, 'traffic from cni0 is not "local" for prefix cali: masqueraded');
  assert.match(res.hops.find((h) => h.action === 'masquerade')!.at, /nftables\/masquerading$/);
  // the rule that sent the packet to mark-for-masquerade is in the trace, before the mark itself
  const jump = res.hops.findIndex((h) => h.action === 'jump' && /iifname != "cali\*" jump mark-for-masquerade/.test(h.detail));
  const marked = res.hops.findIndex((h) => /^mark 0x4000: masquerade this connection/.test(h.detail));
  assert.ok(jump >= 0 && marked === jump + 1, JSON.stringify(res.hops.map((h) => h.detail)));
});

test('no endpoints: the ClusterIP is rejected (goto reject-chain); other modes agree on the verdict; iptables-save is empty in nftables mode', () => {
  const fx: Fixture = { ...SHOP, services: [{ ns: 'shop', name: 'none', clusterIP: '10.96.0.30', ports: [{ port: 80 }], selector: { app: 'nothing' } }] };
  const res = connectIn(nft(fx), { from: 'shop/client', to: '10.96.0.30', port: 80 });
  assert.equal(res.verdict, 'rejected');
  assert.ok(res.hops.some((h) => /@no-endpoint-services → goto reject-chain/.test(h.detail)));
  assert.equal(connectIn(realiseFixture(fx), { from: 'shop/client', to: '10.96.0.30', port: 80 }).verdict, 'rejected');
  assert.equal(iptablesSave(nft(fx), 'node-a'), '');
  assert.equal(nftListRuleset(realiseFixture(fx), 'node-a'), '');
});

test('detectLocalMode in iptables mode: -s CIDR, the node\'s podCIDR (NodeCIDR), ! -i cni0 (BridgeInterface), ! -i cali+ (InterfaceNamePrefix)', () => {
  const line = (c: Partial<ClusterConfig>, node = 'node-a') => iptablesSave(realiseFixture({ ...SHOP, config: c }), node).split('\n').find((l) => l.includes('-d 10.96.0.20/32') && l.includes('KUBE-MARK-MASQ'))!;
  assert.match(line({}), /^-A KUBE-SVC-\S+ ! -s 10\.244\.0\.0\/16 -d 10\.96\.0\.20\/32 -p tcp .* -j KUBE-MARK-MASQ$/);
  assert.match(line({ detectLocalMode: 'NodeCIDR' }), /^-A KUBE-SVC-\S+ ! -s 10\.244\.0\.0\/24 -d 10\.96\.0\.20\/32 /);
  assert.match(line({ detectLocalMode: 'NodeCIDR' }, 'node-b'), /^-A KUBE-SVC-\S+ ! -s 10\.244\.1\.0\/24 -d 10\.96\.0\.20\/32 /);
  assert.match(line({ detectLocalMode: 'BridgeInterface', detectLocal: { bridgeInterface: 'cni0', interfaceNamePrefix: '' } }), /^-A KUBE-SVC-\S+ -d 10\.96\.0\.20\/32 ! -i cni0 -p tcp /);
  assert.match(line({ detectLocalMode: 'InterfaceNamePrefix', detectLocal: { bridgeInterface: '', interfaceNamePrefix: 'cali' } }), /^-A KUBE-SVC-\S+ -d 10\.96\.0\.20\/32 ! -i cali\+ -p tcp /);
  // flannel pods come in over cni0: with the prefix "cali" they are not local, so iptables mode masquerades them too
  const wrong = realiseFixture({ ...SHOP, config: { detectLocalMode: 'InterfaceNamePrefix', detectLocal: { bridgeInterface: '', interfaceNamePrefix: 'cali' } } });
  assert.equal(connectIn(wrong, { from: 'shop/client', to: '10.96.0.20', port: 80, seed: 3 }).nat.filter((n) => n.kind === 'SNAT').length, 1);
  const right = realiseFixture({ ...SHOP, config: { detectLocalMode: 'BridgeInterface', detectLocal: { bridgeInterface: 'cni0', interfaceNamePrefix: '' } } });
  assert.equal(connectIn(right, { from: 'shop/client', to: '10.96.0.20', port: 80, seed: 3 }).nat.filter((n) => n.kind === 'SNAT').length, 0);
});

test('iptables.masqueradeBit moves the mark in iptables (and ipvs) mode: 1 << bit, as --set-xmark and the KUBE-POSTROUTING test', () => {
  const r = realiseFixture({ ...SHOP, config: { masqueradeBit: 12 } });
  const text = iptablesSave(r, 'node-a');
  assert.match(text, /-A KUBE-MARK-MASQ -j MARK --set-xmark 0x1000\/0x1000\n/);
  assert.match(text, /-A KUBE-POSTROUTING -m mark ! --mark 0x1000\/0x1000 -j RETURN\n/);
  assert.ok(!text.includes('0x4000'));
  // a node → ClusterIP connection is still masqueraded (the walk follows the configured mark)
  const res = connectIn(r, { from: 'node/node-a', to: '10.96.0.20', port: 80, seed: 2 });
  assert.equal(res.verdict, 'delivered');
  assert.ok(res.hops.some((h) => h.action === 'masquerade' && /marked 0x1000/.test(h.detail)));
  assert.match(iptablesSave(realiseFixture({ ...SHOP, config: { proxyMode: 'ipvs', masqueradeBit: 12 } }), 'node-a'), /-A KUBE-MARK-MASQ -j MARK --set-xmark 0x1000\/0x1000\n/);
});

test('dual-stack: one table per family, ip kube-proxy then ip6 kube-proxy (ip6 daddr, ipv6_addr sets)', () => {
  const r = nft({
    nodes: [{ name: 'n', ip: '172.18.0.2' }],
    services: [{ ns: 'a', name: 's', clusterIP: 'fd00:10:96::10', ports: [{ port: 80 }], selector: null, endpoints: [{ ip: 'fd00:10:244::5', ports: [{ port: 80 }] }] }],
  }, { serviceSubnets: ['10.96.0.0/12', 'fd00:10:96::/112'] });
  const text = listing(r, 'n');
  assert.ok(text.indexOf('table ip kube-proxy {') === 0 && text.includes('\ntable ip6 kube-proxy {\n'));
  assert.match(text, /\t\tip6 daddr \. meta l4proto \. th dport vmap @service-ips\n/);
  assert.match(text, /\t\ttype ipv6_addr\n\t\tcomment "Active ClusterIPs"\n\t\telements = \{ fd00:10:96::10 \}/);
  assert.match(text, /\t\tip6 daddr fd00:10:96::\/112 drop comment "Drop traffic to unallocated ClusterIPs"\n/);
});

test('a ClusterIP on a protocol the Service does not declare (UDP to a TCP-only port), per mode: iptables no KUBE-SERVICES rule matches, ipvs KUBE-IPVS-FILTER rejects, nftables cluster-ips-check rejects', () => {
  const q: ConnectQuery = { from: 'shop/client', to: '10.96.0.20', port: 80, protocol: 'UDP' };
  // pkg/proxy/iptables/proxier.go: the KUBE-SERVICES rule of a service port matches "-p tcp --dport 80" only
  const i = connectIn(realiseFixture(SHOP), q);
  assert.equal(i.verdict, 'dropped');
  assert.match(i.hops[i.hops.length - 1].detail, /no KUBE-SERVICES rule matches: kube-proxy writes one per declared port and protocol, and shop\/web declares 80\/TCP/);
  // pkg/proxy/ipvs/proxier.go writeIptablesRules: -A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT
  const v = connectIn(realiseFixture({ ...SHOP, config: { proxyMode: 'ipvs' } }), q);
  assert.equal(v.verdict, 'rejected');
  const vr = v.hops.find((h) => h.action === 'reject')!;
  assert.equal(vr.at, 'node/node-a/iptables/filter/KUBE-IPVS-FILTER');
  // pkg/proxy/nftables/proxier.go: cluster-ips-check "Reject traffic to invalid ports of ClusterIPs"
  const n = connectIn(nft(SHOP), q);
  assert.equal(n.verdict, 'rejected');
  assert.equal(n.hops.find((h) => h.action === 'reject')!.at, 'node/node-a/nftables/cluster-ips-check');
});
