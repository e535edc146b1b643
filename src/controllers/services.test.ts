import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codes, node, posIn, run, service } from './testkit';
import { clusterIPBandOffset, nodePortBandOffset } from './services';
import { parseCIDR } from '../net/ip';

const web = (extra: any = {}) => service('web', 'shop', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }], ...extra });

test('the API server keeps Service default/kubernetes at the first address of the range (10.96.0.1), https 443 → 6443, no selector', () => {
  const { r } = run([node('a')]);
  const k = r.serviceByKey.get('default/kubernetes')!;
  assert.deepEqual(k.clusterIPs, ['10.96.0.1']);
  assert.deepEqual(k.ports, [{ name: 'https', port: 443, targetPort: 6443, protocol: 'TCP' }]);
  assert.equal(k.selector, null);
  assert.equal(r.serviceByClusterIP.get('10.96.0.1'), k);
  // its endpoints are the API server's address (the first node's), published by the API server itself
  const slices = r.slicesByService.get('default/kubernetes')!;
  assert.equal(slices.length, 1);
  assert.equal(slices[0].obj.metadata.name, 'kubernetes');
  assert.deepEqual(slices[0].endpoints.map((e) => e.addresses[0]), [r.nodes[0].ip]);
  assert.deepEqual(slices[0].ports, [{ name: 'https', port: 6443, protocol: 'TCP' }]);
});

test('with control-plane nodes, each one\'s API server is an endpoint of kubernetes (kubeadm labels them node-role.kubernetes.io/control-plane)', () => {
  const cp = { labels: { 'node-role.kubernetes.io/control-plane': '' } };
  const { r } = run([node('a-worker'), node('cp-1', cp), node('cp-2', cp)]);
  const eps = r.slicesByService.get('default/kubernetes')![0].endpoints.map((e) => e.addresses[0]);
  assert.deepEqual(eps, [r.nodeByName.get('cp-1')!.ip, r.nodeByName.get('cp-2')!.ip]);
  assert.ok(!eps.includes(r.nodeByName.get('a-worker')!.ip), 'a worker runs no API server');
});

test('kubeadm\'s kube-dns gets the 10th address (10.96.0.10), ports dns 53/UDP, dns-tcp 53/TCP, metrics 9153, and 2 CoreDNS pods behind it', () => {
  const { r } = run([node('a'), node('b')], {}, { coredns: true });
  const dns = r.serviceByKey.get('kube-system/kube-dns')!;
  assert.deepEqual(dns.clusterIPs, ['10.96.0.10']);
  assert.deepEqual(dns.ports.map((p) => `${p.name} ${p.port}/${p.protocol}`), ['dns 53/UDP', 'dns-tcp 53/TCP', 'metrics 9153/TCP']);
  assert.equal(dns.selector!.text, 'k8s-app=kube-dns');
  const pods = r.pods.filter((p) => p.labels['k8s-app'] === 'kube-dns');
  assert.equal(pods.length, 2);
  assert.deepEqual(pods.map((p) => p.node!.name).sort(), ['a', 'b']);
  // declared 53/UDP, 53/TCP, 9153; its probes name the health plugin's 8080 and the ready plugin's 8181
  assert.deepEqual([...pods[0].listening.keys()], ['UDP/53', 'TCP/53', 'TCP/9153', 'TCP/8080', 'TCP/8181']);
  assert.equal(pods[0].obj.spec.dnsPolicy, 'Default');
  const eps = r.slicesByService.get('kube-system/kube-dns')!.flatMap((s) => s.endpoints);
  assert.equal(eps.length, 2);
});

test('clusterDNS from the kubelet configuration moves kube-dns', () => {
  const { r } = run([node('a')], { clusterDNS: ['10.96.0.53'] }, { coredns: true });
  assert.deepEqual(r.serviceByKey.get('kube-system/kube-dns')!.clusterIPs, ['10.96.0.53']);
});

test('user-defined kubernetes / kube-dns services replace the built-in ones (no CoreDNS deployment then)', () => {
  const dns = service('kube-dns', 'kube-system', { clusterIP: '10.96.0.10', selector: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] });
  const { r } = run([node('a'), dns], {}, { coredns: true });
  assert.deepEqual(r.serviceByKey.get('kube-system/kube-dns')!.ports.map((p) => p.name), ['dns']);
  assert.equal(r.objects.filter((o) => o.kind === 'Deployment').length, 0);
});

test('KEP-3070: dynamic ClusterIPs come from the upper band first — for 10.96.0.0/12 the static band is 10.96.0.1–10.96.1.0, so the first allocated is 10.96.1.1', () => {
  assert.equal(clusterIPBandOffset(parseCIDR('10.96.0.0/12')), 256);
  assert.equal(clusterIPBandOffset(parseCIDR('10.96.0.0/24')), 16);
  const { r } = run([node('a'), web(), service('api', 'shop', { selector: { app: 'api' }, ports: [{ port: 80 }] })]);
  assert.deepEqual(r.serviceByKey.get('shop/api')!.clusterIPs, ['10.96.1.1']);
  assert.deepEqual(r.serviceByKey.get('shop/web')!.clusterIPs, ['10.96.1.2']);
});

test('a small service range: /24 has a 16-address static band, dynamic allocation starts at .17', () => {
  const { r } = run([node('a'), web()], { serviceSubnets: ['10.0.0.0/24'] });
  assert.deepEqual(r.serviceByKey.get('shop/web')!.clusterIPs, ['10.0.0.17']);
  assert.deepEqual(r.serviceByKey.get('default/kubernetes')!.clusterIPs, ['10.0.0.1']);
});

test('an explicit clusterIP is honoured and the allocator skips it', () => {
  const { r, diag } = run([node('a'), web({ clusterIP: '10.96.1.1' }), service('api', 'shop', { selector: { app: 'api' }, ports: [{ port: 80 }] })]);
  assert.deepEqual(diag.errors, []);
  assert.deepEqual(r.serviceByKey.get('shop/web')!.clusterIPs, ['10.96.1.1']);
  assert.deepEqual(r.serviceByKey.get('shop/api')!.clusterIPs, ['10.96.1.2']);
});

test('clusterIP outside the service range → NS-SVC-IP-RANGE at spec.clusterIP', () => {
  const s = web({ clusterIP: '10.200.0.5' });
  const { diag } = run([node('a'), s]);
  assert.deepEqual(codes(diag), ['NS-SVC-IP-RANGE']);
  assert.deepEqual(diag.errors[0].pos, posIn(s, ['spec', 'clusterIP']));
});

test('the network and broadcast addresses of the range are not allocatable', () => {
  const { diag } = run([node('a'), web({ clusterIP: '10.111.255.255' })]);
  assert.deepEqual(codes(diag), ['NS-SVC-IP-RANGE']);
});

// pkg/registry/core/service/ipallocator (Allocate: ErrAllocated "provided IP is already allocated"):
// Services are created in the order kubectl apply sends them (file order), so of two objects
// claiming one clusterIP the LATER one is refused, at its clusterIP field, naming the first (file:line).
test('two services with one clusterIP → NS-IP-CONFLICT at the later one, naming the first; taking the kubernetes Service\'s address names it', () => {
  const a = web({ clusterIP: '10.96.5.5' });
  const b = service('api', 'shop', { clusterIP: '10.96.5.5', selector: { app: 'api' }, ports: [{ port: 80 }] });
  const c = service('c', 'shop', { clusterIP: '10.96.0.1', ports: [{ port: 80 }] });
  const { diag } = run([node('a'), a, b, c]);
  assert.deepEqual(codes(diag).sort(), ['NS-IP-CONFLICT', 'NS-IP-CONFLICT']);
  const byMsg = diag.errors.slice().sort((x, y) => (x.message < y.message ? -1 : 1));
  assert.match(byMsg[0].message, /Service shop\/api: clusterIP 10\.96\.5\.5 is already allocated to Service shop\/web \(.+\) \(the API server: failed to allocate IP 10\.96\.5\.5: provided IP is already allocated\)/);
  const first = posIn(a, ['spec', 'clusterIP']);
  assert.ok(byMsg[0].message.includes(`${first.file}:${first.line}`), byMsg[0].message);
  assert.deepEqual(byMsg[0].pos, posIn(b, ['spec', 'clusterIP']));
  assert.match(byMsg[1].message, /Service shop\/c: clusterIP 10\.96\.0\.1 is already allocated to Service default\/kubernetes \(created by the control plane\)/);
  // the order is the input's, not the names': swapped, web is the later one
  const { diag: d2 } = run([node('a'), b, a]);
  assert.deepEqual(d2.errors.map((e) => e.pos), [posIn(a, ['spec', 'clusterIP'])]);
  assert.match(d2.errors[0].message, /Service shop\/web: .* already allocated to Service shop\/api/);
});

test('defaulting as the API server: protocol TCP, targetPort = port, type ClusterIP, sessionAffinity None, internalTrafficPolicy Cluster, ipFamilies', () => {
  const { r } = run([node('a'), service('web', 'shop', { selector: { app: 'web' }, ports: [{ port: 80 }] })]);
  const s = r.serviceByKey.get('shop/web')!;
  assert.deepEqual(s.obj.spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
  assert.equal(s.obj.spec.type, 'ClusterIP');
  assert.equal(s.obj.spec.sessionAffinity, 'None');
  assert.equal(s.obj.spec.internalTrafficPolicy, 'Cluster');
  assert.equal(s.obj.spec.externalTrafficPolicy, undefined);
  assert.deepEqual(s.obj.spec.ipFamilies, ['IPv4']);
  assert.equal(s.obj.spec.ipFamilyPolicy, 'SingleStack');
  assert.equal(s.obj.spec.clusterIP, s.clusterIPs[0]);
  assert.deepEqual(s.ports, [{ name: '', port: 80, targetPort: 80, protocol: 'TCP' }]);
});

test('a multi-port Service must name every port, uniquely (API server validation)', () => {
  const s = service('m', 'x', { selector: { a: 'b' }, ports: [{ name: 'http', port: 80 }, { port: 81 }, { name: 'http', port: 82 }] });
  const { diag } = run([s]);
  assert.deepEqual(codes(diag), ['NS-PORT-NAME', 'NS-PORT-NAME']);
  assert.deepEqual(diag.errors[0].pos, posIn(s, ['spec', 'ports', 1]));
  assert.deepEqual(diag.errors[1].pos, posIn(s, ['spec', 'ports', 2, 'name']));
});

test('the same port and protocol twice is rejected; the same port over TCP and UDP is fine', () => {
  assert.deepEqual(codes(run([service('d', 'x', { ports: [{ name: 'a', port: 53 }, { name: 'b', port: 53 }] })]).diag), ['NS-DUPLICATE-PORT']);
  assert.deepEqual(codes(run([service('d', 'x', { ports: [{ name: 'a', port: 53, protocol: 'UDP' }, { name: 'b', port: 53 }] })]).diag), []);
});

test('KEP-3668: NodePorts come from the upper band of 30000-32767 first (static band 30000-30085), so the first allocated is 30086', () => {
  assert.equal(nodePortBandOffset(30000, 32767), 86);
  const { r } = run([node('a'), web({ type: 'NodePort' }), service('api', 'shop', { type: 'NodePort', selector: { app: 'api' }, ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] })]);
  assert.deepEqual(r.serviceByKey.get('shop/api')!.ports.map((p) => p.nodePort), [30086, 30087]);
  assert.deepEqual(r.serviceByKey.get('shop/web')!.ports.map((p) => p.nodePort), [30088]);
  assert.equal(r.serviceByKey.get('shop/web')!.obj.spec.externalTrafficPolicy, 'Cluster');
});

test('an explicit nodePort is honoured; the same nodePort twice → NS-NODEPORT-CONFLICT; outside the range → NS-NODEPORT-RANGE', () => {
  const a = web({ type: 'NodePort', ports: [{ port: 80, nodePort: 30007 }] });
  const b = service('b', 'shop', { type: 'NodePort', ports: [{ port: 80, nodePort: 30007 }] });
  const c = service('c', 'shop', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] });
  const { r, diag } = run([node('a'), a, b, c]);
  assert.deepEqual(codes(diag).sort(), ['NS-NODEPORT-CONFLICT', 'NS-NODEPORT-RANGE']);
  assert.equal(r.serviceByKey.get('shop/web')!.ports[0].nodePort, 30007);
  assert.notEqual(r.serviceByKey.get('shop/b')!.ports[0].nodePort, 30007);
  // portallocator: "provided port is already allocated" for the later object (b), naming the first (web)
  const conflict = diag.errors.find((e) => e.code === 'NS-NODEPORT-CONFLICT')!;
  assert.deepEqual(conflict.pos, posIn(b, ['spec', 'ports', 0, 'nodePort']));
  const first = posIn(a, ['spec', 'ports', 0, 'nodePort']);
  assert.match(conflict.message, /Service shop\/b: nodePort 30007 is already allocated to Service shop\/web/);
  assert.ok(conflict.message.includes(`${first.file}:${first.line}`), conflict.message);
});

test('ports sharing a number over TCP and UDP share one nodePort', () => {
  const { r } = run([node('a'), service('dns', 'x', { type: 'NodePort', ports: [{ name: 'u', port: 53, protocol: 'UDP' }, { name: 't', port: 53, protocol: 'TCP' }] })]);
  const p = r.serviceByKey.get('x/dns')!.ports;
  assert.equal(p[0].nodePort, p[1].nodePort);
});

test('LoadBalancer without a provider: no address, <pending> (status.loadBalancer empty)', () => {
  const { r } = run([node('a'), web({ type: 'LoadBalancer' })]);
  const w = r.serviceByKey.get('shop/web')!;
  assert.deepEqual(w.loadBalancerIPs, []);
  assert.deepEqual(w.obj.status.loadBalancer.ingress ?? [], []);
  assert.ok(w.ports[0].nodePort, 'still a NodePort service');
});

test('LoadBalancer: nodePorts, an address from the pool in order, healthCheckNodePort under the Local policy', () => {
  const { r } = run([node('a'),
    web({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' }),
    service('given', 'shop', { type: 'LoadBalancer', ports: [{ port: 80 }] }),
  ], { loadBalancerPool: '198.51.100.0/24' });
  const w = r.serviceByKey.get('shop/web')!;
  const g = r.serviceByKey.get('shop/given')!;
  assert.deepEqual(g.loadBalancerIPs, ['198.51.100.1']);
  assert.deepEqual(w.loadBalancerIPs, ['198.51.100.2']);
  assert.deepEqual(w.obj.status.loadBalancer.ingress, [{ ip: '198.51.100.2', ipMode: 'VIP' }]);
  assert.ok(w.ports[0].nodePort);
  assert.equal(w.externalTrafficPolicy, 'Local');
  assert.ok(w.obj.spec.healthCheckNodePort >= 30000);
  assert.notEqual(w.obj.spec.healthCheckNodePort, w.ports[0].nodePort);
  assert.equal(g.obj.spec.healthCheckNodePort, undefined);
  assert.equal(g.obj.spec.allocateLoadBalancerNodePorts, true);
});

test('LoadBalancer: status.loadBalancer.ingress is honoured; allocateLoadBalancerNodePorts false means no nodePorts', () => {
  const s = web({ type: 'LoadBalancer', allocateLoadBalancerNodePorts: false });
  s.status = { loadBalancer: { ingress: [{ ip: '203.0.113.9' }] } };
  const { r } = run([node('a'), s]);
  const w = r.serviceByKey.get('shop/web')!;
  assert.deepEqual(w.loadBalancerIPs, ['203.0.113.9']);
  assert.equal(w.ports[0].nodePort, undefined);
  assert.equal(w.allocateLoadBalancerNodePorts, false);
});

test('headless (clusterIP None) and ExternalName services get no clusterIP', () => {
  const { r } = run([node('a'), web({ clusterIP: 'None' }), service('ext', 'shop', { type: 'ExternalName', externalName: 'db.example.com' })]);
  const h = r.serviceByKey.get('shop/web')!;
  assert.equal(h.headless, true);
  assert.deepEqual(h.clusterIPs, []);
  assert.equal(h.obj.spec.clusterIP, 'None');
  const e = r.serviceByKey.get('shop/ext')!;
  assert.equal(e.type, 'ExternalName');
  assert.equal(e.externalName, 'db.example.com');
  assert.deepEqual(e.clusterIPs, []);
  assert.equal(e.obj.spec.clusterIP, undefined);
  assert.equal(r.slicesByService.get('shop/ext'), undefined);
});

test('headless NodePort and ExternalName without a name are rejected', () => {
  assert.deepEqual(codes(run([web({ clusterIP: 'None', type: 'NodePort' })]).diag), ['NS-SVC-HEADLESS']);
  assert.deepEqual(codes(run([service('e', 'x', { type: 'ExternalName' })]).diag), ['NS-SVC-EXTERNALNAME']);
});

test('sessionAffinity ClientIP defaults its timeout to 10800 s', () => {
  const { r } = run([web({ sessionAffinity: 'ClientIP' })]);
  const s = r.serviceByKey.get('shop/web')!;
  assert.equal(s.sessionAffinity, 'ClientIP');
  assert.equal(s.affinityTimeoutSeconds, 10800);
  assert.deepEqual(s.obj.spec.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
});

test('dual-stack: PreferDualStack gets one clusterIP per family', () => {
  const { r, diag } = run([web({ ipFamilyPolicy: 'PreferDualStack' })], { serviceSubnets: ['10.96.0.0/12', 'fd00:10:96::/112'], podSubnets: ['10.244.0.0/16', 'fd00:10:244::/56'] });
  assert.deepEqual(diag.errors, []);
  const s = r.serviceByKey.get('shop/web')!;
  assert.deepEqual(s.clusterIPs, ['10.96.1.1', 'fd00:10:96::101']);
  assert.deepEqual(s.obj.spec.ipFamilies, ['IPv4', 'IPv6']);
});

test('a named targetPort that is not a valid port name → NS-PORT-NAME', () => {
  assert.deepEqual(codes(run([web({ ports: [{ port: 80, targetPort: '8080' }] })]).diag), ['NS-PORT-NAME']);
});
