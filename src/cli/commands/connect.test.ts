import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manifestDir, manifestFile, runCli } from '../testkit';

const dir = manifestDir({
  'nodes.yaml': `apiVersion: v1
kind: Node
metadata:
  name: node-a
---
apiVersion: v1
kind: Node
metadata:
  name: node-b
`,
  'pods.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: client
  namespace: shop
spec:
  nodeName: node-a
  containers:
  - name: app
    image: busybox
---
apiVersion: v1
kind: Pod
metadata:
  name: web-1
  namespace: shop
spec:
  nodeName: node-b
  containers:
  - name: app
    image: nginx
    ports:
    - containerPort: 8080
`,
});

const run = (...argv: string[]) => runCli('connect', ...argv);

test('connect -o json: two pods on different nodes are delivered over the overlay, without NAT (issue 2 acceptance)', async () => {
  const r = await run('-f', dir, '--from', 'shop/client', '--to', 'shop/web-1', '--port', '8080', '-o', 'json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual(Object.keys(j).slice(0, 5), ['verdict', 'delivered', 'nat', 'reply', 'hops']);
  assert.equal(j.verdict, 'delivered');
  assert.equal(j.delivered.pod, 'shop/web-1');
  assert.equal(j.delivered.port, 8080);
  assert.equal(j.delivered.container, 'app');
  assert.deepEqual(j.nat, []);
  assert.equal(j.reply.source, `${j.delivered.ip}:8080`);
  for (const h of j.hops) {
    assert.equal(typeof h.at, 'string');
    assert.equal(typeof h.action, 'string');
    assert.equal(typeof h.detail, 'string');
    assert.equal(typeof h.packet.src, 'string');
    assert.equal(typeof h.packet.dst, 'string');
  }
  const enc = j.hops.find((h: any) => h.action === 'encapsulate');
  assert.ok(enc, 'an encapsulate hop');
  const nodeIPs = [...enc.detail.matchAll(/(\d+\.\d+\.\d+\.\d+) \((node-[ab])\)/g)].map((m) => m[2]);
  assert.deepEqual(nodeIPs, ['node-a', 'node-b'], 'the hop names both node IPs');
  assert.ok(enc.packet.outer.src && enc.packet.outer.dst);
  assert.ok(j.hops.some((h: any) => h.action === 'decapsulate' && h.at.startsWith('node/node-b/')));
});

test('connect text output: the verdict line, then the trace; a refused connection still exits 0', async () => {
  const ok = await run('-f', dir, '--from', 'shop/client', '--to', 'shop/web-1', '--port', '8080');
  assert.equal(ok.code, 0);
  assert.match(ok.out.split('\n')[0], /^delivered to shop\/web-1 \(10\.244\.\d+\.\d+:8080, container app\)$/);
  assert.match(ok.out, /encapsulate node\/node-a\/flannel\.1/);
  const refused = await run('-f', dir, '--from', 'shop/client', '--to', 'shop/web-1', '--port', '9999', '--protocol', 'UDP');
  assert.equal(refused.code, 0);
  assert.match(refused.out.split('\n')[0], /^refused: .*ICMP port unreachable/);
});

test('connect: bad usage and bad input exit 2 with a message', async () => {
  const noFrom = await run('-f', dir, '--to', 'shop/web-1', '--port', '8080');
  assert.equal(noFrom.code, 2);
  assert.match(noFrom.err, /--from is required/);
  const badPort = await run('-f', dir, '--from', 'shop/client', '--to', 'shop/web-1', '--port', '0');
  assert.equal(badPort.code, 2);
  assert.match(badPort.err, /--port must be a whole number from 1 to 65535/);
  const badProto = await run('-f', dir, '--from', 'shop/client', '--to', 'shop/web-1', '--port', '80', '--protocol', 'ICMP');
  assert.equal(badProto.code, 2);
  const unknown = await run('-f', dir, '--from', 'shop/nope', '--to', 'shop/web-1', '--port', '8080');
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /NS-CONNECT-UNKNOWN-POD/);
  assert.match(unknown.err, /shop\/client/, 'lists the pods the namespace has');
  const noFile = await run('--from', 'shop/client', '--to', 'shop/web-1', '--port', '8080');
  assert.equal(noFile.code, 2);
});

test('connect: the same seed gives the same JSON byte for byte; --via and external sources', async () => {
  const a = await run('-f', dir, '--from', 'shop/client', '--to', '93.184.216.34', '--port', '443', '--seed', '42', '-o', 'json');
  const b = await run('-f', dir, '--from', 'shop/client', '--to', '93.184.216.34', '--port', '443', '--seed', '42', '-o', 'json');
  assert.equal(a.out, b.out);
  const j = JSON.parse(a.out);
  assert.equal(j.verdict, 'delivered');
  assert.equal(j.delivered, null);
  assert.equal(j.nat[0].kind, 'SNAT');
  assert.equal(j.egress.ip, '93.184.216.34');
  const ext = await run('-f', dir, '--from', 'external:203.0.113.7', '--to', 'shop/web-1', '--port', '8080', '--via', 'node-b', '-o', 'json');
  assert.equal(ext.code, 0, ext.err);
  assert.equal(JSON.parse(ext.out).verdict, 'delivered');
});

test('connect --to NAME resolves through the source pod\'s DNS first; --upstream supplies the outside zone', async () => {
  const zone = manifestFile('example.zone', '$ORIGIN example.com.\n$TTL 300\napi IN A 93.184.216.34\n');
  // kubeadm's Corefile forwards to the node's resolv.conf, whose nameserver is netspec's default 192.168.0.1
  const r = await run('-f', dir, '--from', 'shop/client', '--to', 'api.example.com', '--port', '443', '--upstream', `192.168.0.1=${zone}`, '-o', 'json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.verdict, 'delivered');
  assert.equal(j.egress.ip, '93.184.216.34');
  const firstPacket = j.hops.findIndex((h: any) => h.action === 'send');
  assert.ok(j.hops.slice(0, firstPacket).some((h: any) => h.action === 'query' || h.action === 'answer' || h.action === 'resolve'),
    'the DNS lookup comes before the packet leaves');
  const missing = await run('-f', dir, '--from', 'shop/client', '--to', 'nope.example.com', '--port', '443', '--upstream', `192.168.0.1=${zone}`);
  assert.equal(missing.code, 0, 'a name that does not resolve is an outcome, not misuse');
  assert.match(missing.out, /^unreachable: "nope\.example\.com" does not resolve \(NXDOMAIN/);
  const bad = await run('-f', dir, '--from', 'shop/client', '--to', 'x', '--port', '1', '--upstream', 'nonsense');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--upstream takes IP=ZONEFILE/);
});
