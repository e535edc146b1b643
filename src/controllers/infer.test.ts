import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../cluster';
import { InputErrors } from '../model/errors';

/** A pod as `kubectl get pods -o yaml` shows it: pinned, with the status the kubelet wrote. */
function dumpedPod(name: string, node: string, hostIP: string, podIP: string, ns = 'shop', app = 'web'): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
    app: ${app}
  uid: 0000-${name}
  resourceVersion: "1"
spec:
  nodeName: ${node}
  containers:
  - name: main
    image: nginx
    ports:
    - containerPort: 8080
      protocol: TCP
status:
  phase: Running
  hostIP: ${hostIP}
  podIP: ${podIP}
  podIPs:
  - ip: ${podIP}
  conditions:
  - type: Ready
    status: "True"
`;
}

function load(...docs: string[]): Cluster {
  return Cluster.load([{ text: docs.join('---\n'), name: 'dump.yaml' }]);
}

test('nodes a dump names but does not hold are made from their pods: hostIP as InternalIP, the /24 around their pods, one warning', () => {
  const c = load(dumpedPod('a', 'worker-1', '172.18.0.7', '10.244.3.5'), dumpedPod('b', 'worker-1', '172.18.0.7', '10.244.3.9'), dumpedPod('c', 'worker-2', '172.18.0.8', '10.244.4.2'));
  const r = c.realised;
  assert.deepEqual(r.nodes.map((n) => [n.name, n.ip, n.podCIDRs.map((x) => x.text)]), [['worker-1', '172.18.0.7', ['10.244.3.0/24']], ['worker-2', '172.18.0.8', ['10.244.4.0/24']]]);
  const w = c.warnings.filter((x) => x.code === 'NS-INFERRED-NODE');
  assert.equal(w.length, 1);
  assert.match(w[0].message, /2 nodes named by pods but absent from the input.*"worker-1", "worker-2"/);
  assert.equal(w[0].pos?.file, 'dump.yaml', 'the warning points at a pod naming the node');
  assert.ok(!c.warnings.some((x) => x.code === 'NS-DEFAULT-NODE'), 'no invented default node');
  // the pods keep their addresses and nodes; a pod reaches another across the inferred nodes without NAT
  assert.equal(r.podByKey.get('shop/c')!.ip, '10.244.4.2');
  const res = c.connect({ from: 'shop/a', to: '10.244.4.2', port: 8080 });
  assert.equal(res.verdict, 'delivered');
  assert.equal(res.delivered?.pod, 'shop/c');
  assert.deepEqual(res.nat, []);
});

test('pods of two nodes interleaved in one /24 (Calico hands out /26 blocks) get the tight block each, not an overlap', () => {
  const c = load(dumpedPod('a', 'n1', '172.18.0.7', '10.244.1.5'), dumpedPod('b', 'n1', '172.18.0.7', '10.244.1.9'), dumpedPod('c', 'n2', '172.18.0.8', '10.244.1.70'));
  assert.deepEqual(c.realised.nodes.map((n) => n.podCIDRs.map((x) => x.text)), [['10.244.1.0/28'], ['10.244.1.70/32']]);
});

test('pod addresses outside the configured pod subnet widen the pod network (said in a warning), so pod-to-pod traffic is not masqueraded', () => {
  const c = load(dumpedPod('a', 'n1', '172.18.0.7', '100.64.3.5'), dumpedPod('b', 'n2', '172.18.0.8', '100.64.9.2'));
  const w = c.warnings.find((x) => x.code === 'NS-POD-NETWORK');
  assert.ok(w, 'warned');
  assert.match(w!.message, /"100\.64\.0\.0\/20" is taken as pod network/);
  assert.ok(c.realised.config.podSubnets.includes('100.64.0.0/20'));
  const res = c.connect({ from: 'shop/a', to: '100.64.9.2', port: 8080 });
  assert.equal(res.verdict, 'delivered');
  assert.deepEqual(res.nat, [], 'pods talk without NAT (the Kubernetes network model)');
});

test('a hand-written pod pinned to a node nobody declared is still a mistake (NS-UNKNOWN-NODE): only a pod whose status shows it ran there names a node', () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  nodeName: nod-a\n  containers:\n  - name: c\n    image: i\n';
  assert.throws(() => load(pod), (e: unknown) => e instanceof InputErrors && e.errors.some((x) => x.code === 'NS-UNKNOWN-NODE'));
});

test('a dump of a user who may not list Nodes (pods and services of one namespace) answers connect and dns', () => {
  const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n  uid: s1\n  resourceVersion: "2"\nspec:\n  clusterIP: 10.96.7.7\n  clusterIPs:\n  - 10.96.7.7\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 8080\n    protocol: TCP\n';
  const c = load(dumpedPod('client', 'n1', '172.18.0.7', '10.244.1.5', 'shop', 'client'), dumpedPod('web-1', 'n2', '172.18.0.8', '10.244.2.5'), svc);
  const res = c.connect({ from: 'shop/client', to: 'web.shop.svc.cluster.local', port: 80 });
  assert.equal(res.verdict, 'delivered');
  assert.equal(res.delivered?.pod, 'shop/web-1');
  const dns = c.dns({ from: 'shop/client', name: 'web', type: 'A' });
  assert.equal(dns.rcode, 'NOERROR');
  assert.deepEqual(dns.answers.map((a) => a.data), ['10.96.7.7']);
});

test('a given status of phase Pending without podIP: no address, no endpoint (EndpointSlice controller ShouldPodBeInEndpoints skips a pod without podIP/podIPs); status: {} (kubectl create --dry-run) still gets one', () => {
  const node = 'apiVersion: v1\nkind: Node\nmetadata: {name: node-a}\n';
  const pod = (name: string, status: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: shop, labels: {app: web}}
spec: {nodeName: node-a, containers: [{name: main, image: nginx, ports: [{containerPort: 8080}]}]}
${status}
`;
  const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}\n';
  const c = load(node, pod('pending', 'status: {phase: Pending, conditions: [{type: PodScheduled, status: "True"}]}'),
    pod('running-no-ip', 'status: {phase: Running}'), pod('dry-run', 'status: {}'), pod('no-phase', 'status: {conditions: [{type: PodScheduled, status: "True"}]}'), svc);
  const r = c.realised;
  const ipOf = (n: string) => r.podByKey.get(`shop/${n}`)!.ips;
  assert.deepEqual(ipOf('pending'), []);
  assert.equal(r.podByKey.get('shop/pending')!.obj.status.podIP, undefined);
  // a hand-written Running status without podIP: a running pod has an address, host-local's next
  assert.equal(ipOf('running-no-ip').length, 1);
  assert.equal(ipOf('dry-run').length, 1);
  assert.equal(ipOf('no-phase').length, 1);
  const listed = (r.slicesByService.get('shop/web') ?? []).flatMap((s) => s.endpoints.map((e) => e.pod?.name)).sort();
  assert.deepEqual(listed, ['dry-run', 'no-phase', 'running-no-ip']);
  const res = c.connect({ from: 'shop/dry-run', to: 'shop/pending', port: 8080 });
  assert.equal(res.verdict, 'unreachable');
  assert.match(res.hops[0].detail, /no IP \(phase Pending, and its status has no podIP yet\)/);
});
