import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { manifestDir, runCli as run, yamlDocs } from '../testkit';

const m = manifestDir({ 'app.yaml': yamlDocs(`apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: ipvs
ipvs: {scheduler: lc}
`, `apiVersion: v1
kind: Node
metadata: {name: node-a}
`, `apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: shop, labels: {app: web}}
spec: {nodeName: node-a, containers: [{name: app, image: x, ports: [{containerPort: 8080}]}]}
status: {phase: Running, podIP: 10.244.0.21, conditions: [{type: Ready, status: "True"}]}
`, `apiVersion: v1
kind: Pod
metadata: {name: web-2, namespace: shop, labels: {app: web}}
spec: {nodeName: node-a, containers: [{name: app, image: x, ports: [{containerPort: 8080}]}]}
status: {phase: Running, podIP: 10.244.0.22, conditions: [{type: Ready, status: "True"}]}
`, `apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop}
spec: {nodeName: node-a, containers: [{name: app, image: x}]}
`, `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {clusterIP: 10.96.5.5, selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
`) });
const st = manifestDir({
  'busy.yaml': 'TCP 10.96.5.5:80:\n  10.244.0.21:8080: {activeConn: 3, inActConn: 1}\n  10.244.0.22:8080: {activeConn: 1, inActConn: 200}\n',
  'bad.yaml': 'TCP 10.96.5.5:80:\n  10.244.0.99:8080: {activeConn: 3}\n',
});

test('--ipvs-state NODE=FILE: ipvsadm shows the counters; lc counts them (activeconns·256 + inactconns); bad state is exit 2, located', async () => {
  const a = await run('ipvsadm', '-f', m, '--node', 'node-a', '--ipvs-state', `node-a=${join(st, 'busy.yaml')}`);
  assert.equal(a.code, 0, a.err);
  assert.match(a.out, /  -> 10\.244\.0\.21:8080 +Masq +1 +3 +1 +\n  -> 10\.244\.0\.22:8080 +Masq +1 +1 +200 /);
  const before = await run('connect', '-f', m, '--from', 'shop/client', '--to', '10.96.5.5', '--port', '80');
  assert.match(before.out, /^delivered to shop\/web-1/);
  const after = await run('connect', '-f', m, '--from', 'shop/client', '--to', '10.96.5.5', '--port', '80', '--ipvs-state', `node-a=${join(st, 'busy.yaml')}`);
  assert.match(after.out, /^delivered to shop\/web-2/);
  assert.match(after.out, /least connections \(overhead 1·256 \+ 200\)/);
  const bad = await run('connect', '-f', m, '--from', 'shop/client', '--to', '10.96.5.5', '--port', '80', '--ipvs-state', `node-a=${join(st, 'bad.yaml')}`);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /bad\.yaml:2:3: error NS-IPVS-STATE: virtual server TCP 10\.96\.5\.5:80 on node node-a has no real server "10\.244\.0\.99:8080"/);
  assert.equal((await run('ipvsadm', '-f', m, '--node', 'node-a', '--ipvs-state', 'node-a')).code, 2);
});
