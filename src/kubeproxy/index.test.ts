import { test } from 'node:test';
import assert from 'node:assert/strict';
import { iptablesSave, kubeServicesPosition, natRulesOfNamespace, isServiceAddress, realiseFixture, servicePorts } from './index';
import { OVERALL, SHOP } from './testclusters';

test('natRulesOfNamespace: a ClusterIP service with M endpoints owns 2 + 3M nat rules (KUBE-SERVICES jump, KUBE-SVC masquerade, per endpoint a jump and KUBE-SEP\'s two rules)', () => {
  const r = realiseFixture(SHOP);
  assert.equal(natRulesOfNamespace(r, 'node-a', 'shop'), 2 + 3 * 3);
  assert.equal(natRulesOfNamespace(r, 'node-a', 'elsewhere'), 0);
});

test('kubeServicesPosition: the rank of the service\'s jump among the -A KUBE-SERVICES lines iptables-save prints in the nat table', () => {
  const r = realiseFixture(OVERALL);
  const text = iptablesSave(r, 'test-node');
  const nat = text.slice(text.indexOf('*nat\n'));
  const lines = nat.slice(0, nat.indexOf('COMMIT')).split('\n').filter((l) => l.startsWith('-A KUBE-SERVICES '));
  for (const sp of servicePorts(r)) {
    const p = kubeServicesPosition(r, 'test-node', sp);
    const rank = lines.findIndex((l) => l.includes(`"${sp.name} cluster IP"`)) + 1;
    if (rank === 0) { assert.equal(p, null, sp.name); continue; }
    assert.ok(p, sp.name);
    assert.equal(p.position, rank, sp.name);
    assert.equal(p.of, lines.length);
    assert.ok(p.evaluated >= p.position, `${sp.name}: the unindexed walk evaluates at least the rules before the jump`);
  }
});

test('isServiceAddress: cluster, external and load balancer IPs and node IPs; not a pod IP', () => {
  const r = realiseFixture(OVERALL);
  for (const ip of ['172.30.0.41', '192.168.99.22', '1.2.3.4', '192.168.0.2']) assert.equal(isServiceAddress(r, ip), true, ip);
  assert.equal(isServiceAddress(r, '10.180.0.1'), false);
});
