// The `kubernetes` Service as the API server keeps it when a manifest of default/kubernetes is
// applied: pkg/controlplane/controller/kubernetesservice CreateOrUpdateMasterServiceIfNeeded and
// getMasterServiceUpdateIfNeeded (ports and type reset), clusterIP immutable ("may not change once set").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster, InputErrors } from '../cluster';

const NODES = `apiVersion: v1
kind: Node
metadata: {name: cp, labels: {node-role.kubernetes.io/control-plane: ""}}
---
apiVersion: v1
kind: Node
metadata: {name: worker}
`;
const load = (svc: string, extra = '') => Cluster.load([{ name: 'k.yaml', text: `${NODES}---\napiVersion: v1\nkind: Service\nmetadata: {name: kubernetes, namespace: default}\nspec:\n${svc}${extra}` }]);

function errorsOf(f: () => unknown): InputErrors {
  try { f(); } catch (e) { if (e instanceof InputErrors) return e; throw e; }
  assert.fail('expected input errors');
}

test('a clusterIP other than the first address of the primary service range: NS-SVC-IMMUTABLE at the field, in the API server\'s words', () => {
  const e = errorsOf(() => load('  clusterIP: 10.96.0.5\n  ports: [{name: https, port: 443, targetPort: 6443}]\n'));
  const x = e.errors.find((y) => y.code === 'NS-SVC-IMMUTABLE')!;
  assert.match(x.message, /spec\.clusterIP: Invalid value: \["10\.96\.0\.5"\]: may not change once set/);
  assert.match(x.message, /10\.96\.0\.1, the first address of the primary service range 10\.96\.0\.0\/12/);
  assert.deepEqual([x.pos?.file, x.pos?.line, x.pos?.col], ['k.yaml', 13, 14]);
  // clusterIPs[0] is located there too
  const e2 = errorsOf(() => load('  clusterIPs: [10.96.0.7]\n  ports: [{name: https, port: 443, targetPort: 6443}]\n'));
  assert.match(e2.errors[0].message, /spec\.clusterIPs\[0\]: Invalid value: \["10\.96\.0\.7"\]/);
});

test('the first address, or none: the Service stays at 10.96.0.1 and the endpoints are the control plane\'s', () => {
  for (const ip of ['  clusterIP: 10.96.0.1\n', '']) {
    const c = load(`${ip}  ports: [{name: https, port: 443, targetPort: 6443}]\n`);
    const s = c.realised.serviceByKey.get('default/kubernetes')!;
    assert.deepEqual(s.clusterIPs, ['10.96.0.1']);
    assert.equal(c.warnings.filter((w) => w.code === 'NS-KUBERNETES-SERVICE-RESET').length, 0);
    const eps = (c.realised.slicesByService.get('default/kubernetes') ?? []).flatMap((sl) => sl.endpoints.map((e) => e.addresses[0]));
    assert.deepEqual(eps, [c.realised.nodeByName.get('cp')!.ip]);
  }
});

test('ports and type other than https 443 ClusterIP are reset by getMasterServiceUpdateIfNeeded (NS-KUBERNETES-SERVICE-RESET, located); a selector is not followed', () => {
  const c = load('  type: NodePort\n  selector: {app: web}\n  ports: [{name: web, port: 80, targetPort: 8080}]\n');
  const s = c.realised.serviceByKey.get('default/kubernetes')!;
  assert.equal(s.type, 'ClusterIP');
  assert.deepEqual(s.ports.map((p) => [p.name, p.port, p.protocol, p.targetPort]), [['https', 443, 'TCP', 6443]]);
  assert.equal(s.selector, null);
  const w = c.warnings.filter((x) => x.code === 'NS-KUBERNETES-SERVICE-RESET');
  assert.equal(w.length, 2);
  assert.match(w[0].message, /resets spec\.ports to https 443\/TCP → 6443 \(was web 80\/TCP → 8080\) and spec\.type to ClusterIP \(was NodePort\)/);
  assert.equal(w[0].pos?.line, 15); // spec.ports
  assert.match(w[1].message, /does not follow spec\.selector/);
});

test('one https 443 port with another targetPort names the API server\'s secure port: kept, and the endpoints use it', () => {
  const c = load('  ports: [{name: https, port: 443, targetPort: 8443}]\n');
  assert.equal(c.warnings.filter((w) => w.code === 'NS-KUBERNETES-SERVICE-RESET').length, 0);
  const sl = c.realised.slicesByService.get('default/kubernetes')!;
  assert.deepEqual(sl.flatMap((x) => x.ports.map((p) => p.port)), [8443]);
  const r = c.connect({ from: 'node/worker', to: '10.96.0.1', port: 443 });
  assert.equal(r.verdict, 'delivered');
  assert.ok(r.hops.some((h) => h.at === 'node/cp/kube-apiserver' && h.action === 'deliver'));
  assert.ok(r.nat.some((n) => n.kind === 'DNAT' && n.after.endsWith(':8443')), JSON.stringify(r.nat));
});

test('the control-plane node calling its own API server through 10.96.0.1: MASQUERADE out by lo takes the node\'s address, not 127.0.0.1 (inet_select_addr skips lo\'s host-scope address)', () => {
  const c = load('  ports: [{name: https, port: 443, targetPort: 6443}]\n');
  const cp = c.realised.nodeByName.get('cp')!.ip;
  const r = c.connect({ from: 'node/cp', to: '10.96.0.1', port: 443 });
  assert.equal(r.verdict, 'delivered');
  const snat = r.nat.find((n) => n.kind === 'SNAT');
  assert.ok(snat, JSON.stringify(r.nat));
  assert.equal(snat.after.split(':')[0], cp);
  const hop = r.hops.find((h) => h.action === 'masquerade')!;
  assert.match(hop.detail, /out by lo, whose only address is host-scope/);
  assert.ok(!r.hops.some((h) => /127\.0\.0\.1/.test(h.packet?.src ?? '')), 'no hop carries 127.0.0.1 as the source');
});
