import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, node, pod, posIn, run } from './testkit';

test('range allocator: nodes in name order get 10.244.0.0/24, 10.244.1.0/24, … from the default pod subnet', () => {
  const { r, diag } = run([node('b'), node('a'), node('c')]);
  assert.deepEqual(diag.errors, []);
  assert.deepEqual(r.nodes.map((n) => [n.name, n.podCIDRs.map((c) => c.text)]), [['a', ['10.244.0.0/24']], ['b', ['10.244.1.0/24']], ['c', ['10.244.2.0/24']]]);
  const a = r.nodeByName.get('a')!.obj;
  assert.equal(a.spec.podCIDR, '10.244.0.0/24');
  assert.deepEqual(a.spec.podCIDRs, ['10.244.0.0/24']);
});

test('node IPs are assigned kind style from the node subnet: .1 is the gateway, the first node is .2', () => {
  const { r } = run([node('a'), node('b')]);
  assert.deepEqual(r.nodes.map((n) => n.ip), ['172.18.0.2', '172.18.0.3']);
  const addrs = r.nodeByName.get('a')!.obj.status.addresses;
  assert.deepEqual(addrs, [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: 'a' }]);
  assert.equal(r.nodeByIP.get('172.18.0.3')!.name, 'b');
});

test('an explicit node InternalIP is honoured and skipped by the assignment', () => {
  const { r } = run([node('a'), node('b', { ip: '172.18.0.2' })]);
  assert.equal(r.nodeByName.get('b')!.ip, '172.18.0.2');
  assert.equal(r.nodeByName.get('a')!.ip, '172.18.0.3');
});

test('the kubelet labels: kubernetes.io/hostname, os and arch; a Ready condition', () => {
  const { r } = run([node('a', { labels: { zone: 'z1' } })]);
  const n = r.nodes[0];
  assert.equal(n.labels['kubernetes.io/hostname'], 'a');
  assert.equal(n.labels['kubernetes.io/os'], 'linux');
  assert.equal(n.labels.zone, 'z1');
  assert.equal(n.ready, true);
  assert.ok(n.obj.status.conditions.some((c: any) => c.type === 'Ready' && c.status === 'True'));
});

test('nodeCidrMaskSize is honoured (/26 per node)', () => {
  const { r } = run([node('a'), node('b')], { nodeCidrMaskSizeV4: 26 });
  assert.deepEqual(r.nodes.map((n) => n.podCIDRs[0].text), ['10.244.0.0/26', '10.244.0.64/26']);
});

test('dual-stack: one podCIDR per family, IPv4 first as the pod subnets are listed', () => {
  const { r } = run([node('a'), node('b')], { podSubnets: ['10.244.0.0/16', 'fd00:10:244::/56'] });
  assert.deepEqual(r.nodes[1].podCIDRs.map((c) => c.text), ['10.244.1.0/24', 'fd00:10:244:1::/64']);
});

test('explicit spec.podCIDR is honoured and the allocator skips it', () => {
  const { r, diag } = run([node('a'), node('b', { podCIDR: '10.244.0.0/24' })]);
  assert.deepEqual(diag.errors, []);
  assert.equal(r.nodeByName.get('b')!.podCIDRs[0].text, '10.244.0.0/24');
  assert.equal(r.nodeByName.get('a')!.podCIDRs[0].text, '10.244.1.0/24');
});

test('podCIDR outside the pod subnet → NS-POD-CIDR-RANGE at spec.podCIDR; overlapping → NS-POD-CIDR-OVERLAP', () => {
  const bad = node('a', { podCIDR: '192.168.0.0/24' });
  const n1 = node('b', { podCIDR: '10.244.5.0/24' });
  const n2 = node('c', { podCIDR: '10.244.5.0/25' });
  const { diag } = run([bad, n1, n2]);
  assert.deepEqual(codes(diag).sort(), ['NS-POD-CIDR-OVERLAP', 'NS-POD-CIDR-RANGE']);
  const e = diag.errors.find((x) => x.code === 'NS-POD-CIDR-RANGE')!;
  assert.deepEqual(e.pos, posIn(bad, ['spec', 'podCIDR']));
  assert.match(diag.errors.find((x) => x.code === 'NS-POD-CIDR-OVERLAP')!.message, /Node b/);
});

test('too many nodes for the pod subnet → NS-POD-CIDR-EXHAUSTED', () => {
  const { diag } = run([node('a'), node('b'), node('c')], { podSubnets: ['10.244.0.0/23'] });
  assert.deepEqual(codes(diag), ['NS-POD-CIDR-EXHAUSTED']);
  assert.match(diag.errors[0].message, /Node c/);
});

test('first pod on a node gets .2: .0 is the network address and .1 is the cni0 bridge (the pods\' gateway)', () => {
  const { r } = run([node('a'), pod('p1', { nodeName: 'a' }), pod('p2', { nodeName: 'a' })]);
  assert.deepEqual(r.pods.map((p) => [p.name, p.ip]), [['p1', '10.244.0.2'], ['p2', '10.244.0.3']]);
  const p1 = r.podByKey.get('default/p1')!;
  assert.equal(p1.obj.status.podIP, '10.244.0.2');
  assert.deepEqual(p1.obj.status.podIPs, [{ ip: '10.244.0.2' }]);
  assert.equal(p1.obj.status.hostIP, r.nodes[0].ip);
  assert.equal(r.podByIP.get('10.244.0.3')!.name, 'p2');
});

test('an explicit status.podIP is honoured and the allocator skips it', () => {
  const { r, diag } = run([node('a'), pod('p1', { nodeName: 'a' }), pod('p2', { nodeName: 'a', podIP: '10.244.0.2' })]);
  assert.deepEqual(diag.errors, []);
  assert.equal(r.podByKey.get('default/p2')!.ip, '10.244.0.2');
  assert.equal(r.podByKey.get('default/p1')!.ip, '10.244.0.3');
});

test('a pod with an address but no nodeName runs on the node whose podCIDR holds it', () => {
  const { r } = run([node('a'), node('b'), pod('p', { podIP: '10.244.1.9' })]);
  assert.equal(r.podByKey.get('default/p')!.node!.name, 'b');
});

test('explicit pod IP outside its node\'s podCIDR → NS-POD-IP-RANGE at status.podIP', () => {
  const p = pod('p', { nodeName: 'a', podIP: '10.244.7.5' });
  const { diag } = run([node('a'), p]);
  assert.deepEqual(codes(diag), ['NS-POD-IP-RANGE']);
  assert.deepEqual(diag.errors[0].pos, posIn(p, ['status', 'podIP']));
});

test('two pods claiming one IP → NS-IP-CONFLICT naming both', () => {
  const p1 = pod('p1', { nodeName: 'a', podIP: '10.244.0.9' });
  const p2 = pod('p2', { nodeName: 'a', podIP: '10.244.0.9' });
  const { diag } = run([node('a'), p1, p2]);
  assert.deepEqual(codes(diag), ['NS-IP-CONFLICT']);
  assert.match(diag.errors[0].message, /default\/p2.*default\/p1/);
  assert.deepEqual(diag.errors[0].pos, posIn(p2, ['status', 'podIP']));
});

test('two nodes claiming one address → NS-IP-CONFLICT', () => {
  const { diag } = run([node('a', { ip: '172.18.0.5' }), node('b', { ip: '172.18.0.5' })]);
  assert.deepEqual(codes(diag), ['NS-IP-CONFLICT']);
});

test('hostNetwork pods carry their node\'s IP and are not in podByIP', () => {
  const { r } = run([node('a'), pod('h', { nodeName: 'a', hostNetwork: true }), pod('p', { nodeName: 'a' })]);
  const h = r.podByKey.get('default/h')!;
  assert.equal(h.ip, r.nodes[0].ip);
  assert.equal(h.hostNetwork, true);
  assert.equal(r.podByIP.get(h.ip), undefined);
  // a hostNetwork pod takes no address from the podCIDR
  assert.equal(r.podByKey.get('default/p')!.ip, '10.244.0.2');
});

test('a pod pinned to an unknown node → NS-UNKNOWN-NODE at spec.nodeName, the hint lists known nodes', () => {
  const p = pod('p', { nodeName: 'nope' });
  const { diag } = run([node('a'), node('b'), p]);
  assert.deepEqual(codes(diag), ['NS-UNKNOWN-NODE']);
  assert.deepEqual(diag.errors[0].pos, posIn(p, ['spec', 'nodeName']));
  assert.match(diag.errors[0].hint, /"a", "b"/);
});

test('no Node objects: pods run on one node "node-1", with a warning that says so', () => {
  const { r, diag } = run([pod('p')]);
  assert.deepEqual(r.nodes.map((n) => n.name), ['node-1']);
  assert.ok(diag.warnings.some((w) => w.code === 'NS-DEFAULT-NODE'));
  assert.equal(r.podByKey.get('default/p')!.node!.name, 'node-1');
});

test('a full podCIDR leaves further pods Pending without an IP, with a warning', () => {
  const pods = Array.from({ length: 3 }, (_, i) => pod(`p${i}`, { nodeName: 'a' }));
  // a /30 holds .0 (network), .1 (bridge), .2 (one pod), .3 (broadcast)
  const { r, diag } = run([node('a'), ...pods], { nodeCidrMaskSizeV4: 30 });
  const ips = pods.map((p) => r.podByKey.get(`default/${p.metadata.name}`)!.ip);
  assert.deepEqual(ips, ['10.244.0.2', '', '']);
  assert.equal(r.podByKey.get('default/p1')!.phase, 'Pending');
  assert.ok(diag.warnings.some((w) => w.code === 'NS-POD-CIDR-FULL'));
});

test('pods without a status are Running and Ready; an explicit status is honoured', () => {
  const { r } = run([
    node('a'),
    pod('plain', { nodeName: 'a' }),
    pod('unready', { nodeName: 'a', status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } }),
    pod('done', { nodeName: 'a', status: { phase: 'Succeeded' } }),
    pod('going', { nodeName: 'a', deletionTimestamp: '2024-01-01T00:00:00Z' }),
  ]);
  const g = (n: string) => r.podByKey.get(`default/${n}`)!;
  assert.equal(g('plain').phase, 'Running'); assert.equal(g('plain').ready, true);
  assert.equal(g('unready').ready, false); assert.ok(g('unready').ip);
  assert.equal(g('done').phase, 'Succeeded'); assert.equal(g('done').ready, false);
  assert.equal(g('going').terminating, true);
});

test('RPod.listening keys container ports as protocol/port, protocol defaulting to TCP', () => {
  const { r } = run([node('a'), pod('p', { nodeName: 'a', ports: [{ containerPort: 53, protocol: 'UDP', name: 'dns' }, { containerPort: 8080 }] })]);
  const p = r.podByKey.get('default/p')!;
  assert.deepEqual([...p.listening.keys()], ['UDP/53', 'TCP/8080']);
  assert.equal(p.listening.get('UDP/53')!.name, 'dns');
  assert.equal(p.obj.spec.containers[0].ports[1].protocol, 'TCP');
});

// pkg/api/pod/warnings.go: the API server only warns about a repeated containerPort (the warning
// is src/manifests' validation); the control plane takes the pod, and the container listed first
// is the one listening (the second would fail to bind in the shared network namespace).
test('two containers of one pod declaring the same port: no control-plane error; the first listed container is the listener', () => {
  const p = pod('p', { nodeName: 'a' });
  p.spec.containers.push({ name: 'side', image: 's', ports: [{ containerPort: 8080 }] });
  const { r, diag } = run([node('a'), p]);
  assert.deepEqual(codes(diag), []);
  const rp = r.podByKey.get('default/p')!;
  assert.equal(rp.listening.get('TCP/8080')!.container, p.spec.containers[0].name);
});

test('CoreDNS pods, installed at bootstrap, are addressed before user pods', () => {
  const { r } = run([node('a'), pod('p1', { nodeName: 'a' })], {}, { coredns: true });
  const dns = r.pods.filter((p) => p.ns === 'kube-system').map((p) => p.ip);
  assert.deepEqual(dns, ['10.244.0.2', '10.244.0.3']);
  assert.equal(r.podByKey.get('default/p1')!.ip, '10.244.0.4');
});
