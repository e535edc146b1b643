import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLIENT_POD, WEB_PODS_HEADLESS, WEB_SERVICE, manifestDir, manifestFile, runCli as run, yamlDocs } from '../testkit';

const m = manifestDir({ 'app.yaml': yamlDocs(CLIENT_POD, `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - containerPort: 8080
`, WEB_SERVICE, WEB_PODS_HEADLESS, `apiVersion: v1
kind: Service
metadata:
  name: nobody
  namespace: shop
spec:
  clusterIP: None
  selector: {app: nobody}
  ports:
  - port: 80
`) });
const zone = manifestFile('up.zone', '$ORIGIN example.com.\n@ 300 IN A 93.184.216.34\n');
const badZone = manifestFile('bad.zone', 'www IN A 300.1.1.1\n');

test('dns --from shop/client --name web -o json: the ClusterIP, tried starts with web.shop.svc.cluster.local. (issue 4 acceptance)', async () => {
  const r = await run('dns', '-f', m, '--from', 'shop/client', '--name', 'web', '--type', 'A', '-o', 'json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual(Object.keys(j).slice(0, 7), ['rcode', 'answers', 'authority', 'additional', 'tried', 'server', 'name']);
  assert.ok(Array.isArray(j.hops) && j.hops.length > 0);
  assert.equal(j.rcode, 'NOERROR');
  assert.deepEqual(j.answers, [{ name: 'web.shop.svc.cluster.local.', type: 'A', ttl: 30, data: '10.96.0.20' }]);
  assert.equal(j.tried[0].name, 'web.shop.svc.cluster.local.');
  assert.equal(j.server, '10.96.0.10');
});

test('dns: web.shop resolves through the second search domain after an NXDOMAIN on the first (issue 4 acceptance)', async () => {
  const j = JSON.parse((await run('dns', '-f', m, '--from', 'shop/client', '--name', 'web.shop', '-o', 'json')).out);
  assert.deepEqual(j.tried.map((t: any) => [t.name, t.rcode]), [['web.shop.shop.svc.cluster.local.', 'NXDOMAIN'], ['web.shop.svc.cluster.local.', 'NOERROR']]);
  assert.equal(j.answers[0].data, '10.96.0.20');
});

test('dns: a headless service with two ready pods answers both; with none ready, NXDOMAIN (issue 4 acceptance)', async () => {
  const two = JSON.parse((await run('dns', '-f', m, '--name', 'web-pods.shop.svc.cluster.local', '-o', 'json')).out);
  assert.equal(two.rcode, 'NOERROR');
  assert.equal(two.answers.length, 2);
  assert.ok(two.answers.every((a: any) => a.type === 'A' && a.data.startsWith('10.244.')));
  const none = JSON.parse((await run('dns', '-f', m, '--name', 'nobody.shop.svc.cluster.local', '-o', 'json')).out);
  assert.equal(none.rcode, 'NXDOMAIN');
  assert.equal(none.authority[0].type, 'SOA');
});

test('dns: _http._tcp SRV answers 0 100 80 web.shop.svc.cluster.local. (issue 4 acceptance)', async () => {
  const j = JSON.parse((await run('dns', '-f', m, '--name', '_http._tcp.web.shop.svc.cluster.local', '--type', 'SRV', '-o', 'json')).out);
  assert.deepEqual(j.answers.map((a: any) => a.data), ['0 100 80 web.shop.svc.cluster.local.']);
});

test('dns without --from asks the cluster DNS directly: one try, the name absolute', async () => {
  const j = JSON.parse((await run('dns', '-f', m, '--name', 'web', '-o', 'json')).out);
  assert.equal(j.resolver, 'direct');
  assert.deepEqual(j.tried.map((t: any) => t.name), ['web.']);
  assert.equal(j.rcode, 'NXDOMAIN', 'web. goes upstream: with no resolv.conf nor fixture given, netspec\'s stand-in upstream knows no names');
  assert.ok(j.hops.some((h: any) => /stand-in for the node's upstream resolver/.test(h.detail)), 'the trace says the answer came from the stand-in');
});

test('dns: a nameserver the user named but gave no fixture for answers SERVFAIL (netspec never asks the real network)', async () => {
  const j = JSON.parse((await run('dns', '-f', m, '--name', 'example.com', '--upstream', `192.0.2.53=${zone}`, '-o', 'json')).out);
  assert.equal(j.rcode, 'SERVFAIL');
});

test('dns --upstream IP=ZONEFILE: names outside the cluster answered by the fixture', async () => {
  const r = await run('dns', '-f', m, '--from', 'shop/client', '--name', 'example.com', '--upstream', `192.168.0.1=${zone}`);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /example\.com\.\t300\tIN\tA\t93\.184\.216\.34|example\.com\.\t30\tIN\tA\t93\.184\.216\.34/);
  assert.match(r.out, /tried:/);
  assert.match(r.out, /example\.com\.shop\.svc\.cluster\.local\.\s+NXDOMAIN/);
});

test('dns: a broken zone file is exit 2 with file:line; bad flags are usage errors', async () => {
  const r = await run('dns', '-f', m, '--name', 'x', '--upstream', `1.1.1.1=${badZone}`);
  assert.equal(r.code, 2);
  assert.match(r.err, /bad\.zone:1:\d+: error NS-ZONEFILE/);
  assert.equal((await run('dns', '-f', m, '--name', 'x', '--type', 'HINFO')).code, 2);
  assert.equal((await run('dns', '-f', m)).code, 2, '--name is required');
  assert.equal((await run('dns', '-f', m, '--name', 'a..b')).code, 2);
  assert.equal((await run('dns', '-f', m, '--name', 'x', '--upstream', 'nope')).code, 2);
  assert.equal((await run('dns', '-f', m, '--name', 'x', '--from', 'shop/ghost')).code, 2);
});

test('dns --resolver musl: the Alpine search rules', async () => {
  const j = JSON.parse((await run('dns', '-f', m, '--from', 'shop/client', '--name', 'web.shop', '--resolver', 'musl', '-o', 'json')).out);
  assert.equal(j.resolver, 'musl');
  assert.equal(j.rcode, 'NOERROR');
});

