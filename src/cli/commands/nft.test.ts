// Issue 11's acceptance through the command line: with mode: nftables, connect is DNATed by the
// nft chain's numgen rule, and `netspec nft --node` lists the service's chains and its element in
// the service-ips map.
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

const cluster = yamlDocs(
  'apiVersion: v1\nkind: Node\nmetadata: {name: node-a}\n',
  'apiVersion: v1\nkind: Node\nmetadata: {name: node-b}\n',
  'apiVersion: v1\nkind: Pod\nmetadata: {name: client, namespace: shop}\nspec: {nodeName: node-a, containers: [{name: app, image: busybox}]}\n',
  pod('web-1', 'node-a', '10.244.0.10'), pod('web-2', 'node-b', '10.244.1.11'),
  'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {clusterIP: 10.96.0.20, selector: {app: web}, ports: [{name: http, port: 80, targetPort: 8080}]}\n',
);
const nft = manifestDir({ 'cluster.yaml': cluster, 'kube-proxy.yaml': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: nftables\n' });
const ipt = manifestDir({ 'cluster.yaml': cluster });

test('nftables mode: connect to the ClusterIP is DNATed by kube-proxy, the hops naming the nft chain and the numgen rule', async () => {
  const r = await run('connect', '-f', nft, '--from', 'shop/client', '--to', '10.96.0.20', '--port', '80', '-o', 'json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.verdict, 'delivered');
  const dnat = j.nat.find((n: any) => n.kind === 'DNAT');
  assert.deepEqual({ by: dnat.by, before: dnat.before }, { by: 'kube-proxy', before: '10.96.0.20:80' });
  const pick = j.hops.find((h: any) => h.action === 'match' && h.detail.includes('numgen random mod 2 vmap'));
  assert.match(pick.at, /^node\/node-a\/nftables\/service-[A-Z2-7]{8}-shop\/web\/tcp\/http$/);
  assert.match(j.hops.find((h: any) => h.action === 'dnat').at, /^node\/node-a\/nftables\/endpoint-[A-Z2-7]{8}-shop\/web\/tcp\/http__10\.244\.[01]\.1[01]\/8080$/);
});

test('netspec nft --node: the service\'s chains and its element in the service-ips map, as nft list ruleset prints them', async () => {
  const r = await run('nft', '-f', nft, '--node', 'node-a');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^table ip kube-proxy \{/);
  const m = /10\.96\.0\.20 \. tcp \. 80 : goto (service-[A-Z2-7]{8}-shop\/web\/tcp\/http)/.exec(r.out);
  assert.ok(m, r.out);
  assert.ok(r.out.includes(`\tchain ${m![1]} {\n\t\tip daddr 10.96.0.20 tcp dport 80 ip saddr != 10.244.0.0/16 jump mark-for-masquerade\n\t\tnumgen random mod 2 vmap { 0 : goto endpoint-`));
  assert.match(r.out, /\tchain endpoint-[A-Z2-7]{8}-shop\/web\/tcp\/http__10\.244\.1\.11\/8080 \{\n\t\tip saddr 10\.244\.1\.11 jump mark-for-masquerade\n\t\tmeta l4proto tcp dnat to 10\.244\.1\.11:8080\n/);
  // the same seed, the same text
  assert.equal((await run('nft', '-f', nft, '--node', 'node-a')).out, r.out);
});

test('netspec nft in iptables mode prints nothing and says why; an unknown node is a usage error', async () => {
  const r = await run('nft', '-f', ipt, '--node', 'node-a');
  assert.equal(r.code, 0);
  assert.equal(r.out.trim(), '');
  assert.match(r.err, /kube-proxy runs in iptables mode here, so it writes no nftables table/);
  const bad = await run('nft', '-f', nft, '--node', 'node-z');
  assert.equal(bad.code, 2);
  assert.equal(bad.out, '');
});
