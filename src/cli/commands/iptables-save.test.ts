// The acceptance checks of issue 3 through the command line: connect to a 3-endpoint ClusterIP,
// iptables-save on its node, NodePort from outside under both policies, ipvsadm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { manifestDir, runCli as run, yamlDocs } from '../testkit';

const pod = (name: string, node: string, ip: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: shop, labels: {app: web}}
spec: {nodeName: ${node}, containers: [{name: app, image: nginx, ports: [{containerPort: 8080}]}]}
status: {podIP: ${ip}}
`;

const dir = manifestDir({
  'cluster.yaml': yamlDocs(
    'apiVersion: v1\nkind: Node\nmetadata: {name: node-a}\n',
    'apiVersion: v1\nkind: Node\nmetadata: {name: node-b}\n',
    'apiVersion: v1\nkind: Node\nmetadata: {name: node-c}\n',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: client, namespace: shop}\nspec: {nodeName: node-a, containers: [{name: app, image: busybox}]}\n',
    pod('web-1', 'node-a', '10.244.0.10'), pod('web-2', 'node-b', '10.244.1.11'), pod('web-3', 'node-b', '10.244.1.12'),
    'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {clusterIP: 10.96.0.20, selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}\n',
    'apiVersion: v1\nkind: Service\nmetadata: {name: web-np, namespace: shop}\nspec: {type: NodePort, selector: {app: web}, ports: [{port: 80, targetPort: 8080, nodePort: 30080}]}\n',
    'apiVersion: v1\nkind: Service\nmetadata: {name: web-local, namespace: shop}\nspec: {type: NodePort, externalTrafficPolicy: Local, selector: {app: web}, ports: [{port: 80, targetPort: 8080, nodePort: 30081}]}\n',
  ),
  'ipvs.yaml': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\nipvs: {scheduler: rr}\n',
});

const file = join(dir, 'cluster.yaml');

test('connect to a 3-endpoint ClusterIP: delivered, DNAT CLUSTERIP:80 → PODIP:8080 by kube-proxy, reply from CLUSTERIP:80', async () => {
  const r = await run('connect', '-f', file, '--from', 'shop/client', '--to', '10.96.0.20', '--port', '80', '-o', 'json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.verdict, 'delivered');
  assert.ok(['10.244.0.10', '10.244.1.11', '10.244.1.12'].includes(j.delivered.ip));
  const dnat = j.nat.find((n: any) => n.kind === 'DNAT');
  assert.deepEqual({ by: dnat.by, before: dnat.before, after: dnat.after }, { by: 'kube-proxy', before: '10.96.0.20:80', after: `${j.delivered.ip}:8080` });
  assert.equal(j.reply.source, '10.96.0.20:80');
});

test('iptables-save --node: the KUBE-SVC chain with 0.33333333349 then 0.50000000000, and kube-proxy\'s chain names', async () => {
  const r = await run('iptables-save', '-f', file, '--node', 'node-a');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^\*filter$/m);
  assert.match(r.out, /^\*nat$/m);
  assert.match(r.out, /^:KUBE-SVC-E3PXEPMWAWIUT6ZV - \[0:0\]$/m);
  assert.match(r.out, /^-A KUBE-SVC-E3PXEPMWAWIUT6ZV -m comment --comment "shop\/web -> 10\.244\.0\.10:8080" -m statistic --mode random --probability 0\.33333333349 -j KUBE-SEP-TAEKUFL5NCGFWENG$/m);
  assert.match(r.out, /^-A KUBE-SVC-E3PXEPMWAWIUT6ZV -m comment --comment "shop\/web -> 10\.244\.1\.11:8080" -m statistic --mode random --probability 0\.50000000000 -j KUBE-SEP-FBUQD36J3XDXJWPV$/m);
  assert.match(r.out, /^-A KUBE-SVC-NPX46M4PTMTKRN6Y /m, 'default/kubernetes:https has its well-known chain');
  assert.equal((r.out.match(/^COMMIT$/gm) ?? []).length, 2);
  const again = await run('iptables-save', '-f', file, '--node', 'node-a');
  assert.equal(again.out, r.out, 'deterministic');
});

test('iptables-save: no --node, a stray argument or an unknown node is a usage error (exit 2, nothing on stdout)', async () => {
  for (const [argv, msg] of [
    [['-f', file], /--node is required/],
    [['-f', file, '--node', 'node-a', 'nat'], /unexpected argument "nat"/],
    [['-f', file, '--node', 'node-z'], /no node "node-z" \(closest nodes: node-a, node-b, node-c\)/],
  ] as [string[], RegExp][]) {
    const r = await run('iptables-save', ...argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.err, msg, argv.join(' '));
    assert.equal(r.out, '', argv.join(' '));
  }
});

test('iptables-save -t nat prints the nat table only', async () => {
  const r = await run('iptables-save', '-f', file, '--node', 'node-b', '-t', 'nat');
  assert.equal(r.code, 0);
  assert.doesNotMatch(r.out, /\*filter/);
  assert.match(r.out, /^\*nat$/m);
});

test('external client to a NodePort on a node without a local endpoint: Cluster policy SNATs there and delivers; Local policy drops', async () => {
  const c = JSON.parse((await run('connect', '-f', file, '--from', 'external:203.0.113.7', '--to', '172.18.0.4', '--port', '30080', '--via', 'node-c', '-o', 'json')).out);
  assert.equal(c.verdict, 'delivered');
  const snat = c.nat.find((n: any) => n.kind === 'SNAT');
  assert.equal(snat.by, 'kube-proxy (KUBE-POSTROUTING)');
  assert.equal(snat.before.split(':')[0], '203.0.113.7');
  const l = JSON.parse((await run('connect', '-f', file, '--from', 'external:203.0.113.7', '--to', '172.18.0.4', '--port', '30081', '--via', 'node-c', '-o', 'json')).out);
  assert.equal(l.verdict, 'dropped');
});

test('ipvsadm --node in ipvs mode lists the virtual servers; an unknown node is a usage error', async () => {
  const r = await run('ipvsadm', '-f', file, '-f', join(dir, 'ipvs.yaml'), '--node', 'node-a');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^IP Virtual Server version 1\.2\.1 \(size=4096\)$/m);
  assert.match(r.out, /^TCP {2}10\.96\.0\.20:80 rr$/m);
  assert.match(r.out, /^ {2}-> 10\.244\.0\.10:8080 {13}Masq {4}1 {6}0 {10}0 {9}$/m);
  const bad = await run('ipvsadm', '-f', file, '--node', 'nope');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /no node "nope" \(closest nodes: node-a, node-b, node-c\)/);
  const iptablesMode = await run('ipvsadm', '-f', file, '--node', 'node-a');
  assert.match(iptablesMode.err, /iptables mode/);
});
