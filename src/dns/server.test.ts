// CoreDNS as a server: server blocks, plugin order, rewrite, hosts, forward, cache TTLs, loops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clampTTL } from './server';
import { coreDns, dnsQuery, type RRType } from './index';
import { message, rr } from './types';
import { clusterOf, pod, svc, upstreams } from './testkit';

function withCorefile(corefile: string, extra = '', overrides = {}) {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: corefile } };
  return clusterOf(svc('shop', 'web', { clusterIP: '10.96.0.20', selector: { app: 'web' }, ports: [{ port: 80 }] }) + `---\n${JSON.stringify(cm)}\n` + extra, overrides);
}

const UP = upstreams({
  '1.1.1.1': '$ORIGIN example.com.\n@ 3600 IN SOA ns hm 1 2 3 4 300\nwww 3600 IN A 93.184.216.34\n',
  '10.150.0.1': 'vault.consul.local. 10 IN A 10.150.3.7\n',
});
const q = (c: ReturnType<typeof withCorefile>, name: string, type: RRType = 'A') => dnsQuery(c.realised, { name, type, upstreams: UP });

test('the block with the longest matching zone takes the query (stub domains)', () => {
  const c = withCorefile('.:53 {\n  forward . 1.1.1.1\n}\nconsul.local:53 {\n  forward . 10.150.0.1\n}\n');
  assert.deepEqual(q(c, 'vault.consul.local').answers.map((a) => a.data), ['10.150.3.7']);
  assert.deepEqual(q(c, 'www.example.com').answers.map((a) => a.data), ['93.184.216.34']);
});

test('no block for the zone: REFUSED', () => {
  const c = withCorefile('cluster.local:53 {\n  kubernetes\n}\n');
  assert.equal(q(c, 'www.example.com').rcode, 'REFUSED');
  assert.equal(q(c, 'web.shop.svc.cluster.local').rcode, 'NOERROR');
});

test('blocks on another port than the kube-dns Service targets do not serve pods', () => {
  const c = withCorefile('.:5353 {\n  forward . 1.1.1.1\n}\n');
  assert.equal(q(c, 'www.example.com').rcode, 'REFUSED');
});

test('the plugin order is CoreDNS\'s, not the Corefile\'s: hosts answers before forward even when written after it', () => {
  const c = withCorefile('.:53 {\n  forward . 1.1.1.1\n  hosts {\n    10.0.0.9 www.example.com\n  }\n}\n');
  assert.deepEqual(q(c, 'www.example.com').answers.map((a) => a.data), ['10.0.0.9']);
});

test('hosts: without fallthrough a missing name is NXDOMAIN; a name with only A entries is NODATA for AAAA; PTR from entries', () => {
  const c = withCorefile('.:53 {\n  hosts {\n    10.0.0.9 db.corp\n  }\n  forward . 1.1.1.1\n}\n');
  assert.equal(q(c, 'www.example.com').rcode, 'NXDOMAIN');
  const aaaa = q(c, 'db.corp', 'AAAA');
  assert.equal(aaaa.rcode, 'NOERROR');
  assert.equal(aaaa.answers.length, 0);
  assert.deepEqual(q(c, '9.0.0.10.in-addr.arpa', 'PTR').answers.map((a) => `${a.ttl} ${a.data}`), ['3600 db.corp.']);
});

test('hosts with fallthrough passes names it lacks on', () => {
  const c = withCorefile('.:53 {\n  hosts {\n    10.0.0.9 db.corp\n    fallthrough\n  }\n  forward . 1.1.1.1\n}\n');
  assert.equal(q(c, 'www.example.com').rcode, 'NOERROR');
});

test('rewrite name exact: the answer carries the asked name again (automatic for exact rules)', () => {
  const c = withCorefile('.:53 {\n  rewrite name old.corp. web.shop.svc.cluster.local.\n  kubernetes cluster.local\n}\n');
  const r = q(c, 'old.corp.');
  assert.deepEqual(r.answers.map((a) => `${a.name} ${a.data}`), ['old.corp. 10.96.0.20']);
});

test('rewrite name suffix: answers keep the rewritten name unless "answer auto"', () => {
  const plain = withCorefile('.:53 {\n  rewrite name suffix .corp. .shop.svc.cluster.local.\n  kubernetes cluster.local\n}\n');
  const a = q(plain, 'web.corp.');
  assert.deepEqual(a.answers.map((x) => x.name), ['web.shop.svc.cluster.local.']);
  assert.ok(a.hops.some((h) => h.detail.includes('answer auto')), 'the trace says how to fix it');
  const auto = withCorefile('.:53 {\n  rewrite name suffix .corp. .shop.svc.cluster.local. answer auto\n  kubernetes cluster.local\n}\n');
  assert.deepEqual(q(auto, 'web.corp.').answers.map((x) => x.name), ['web.corp.']);
});

test('rewrite name regex with an answer name rule', () => {
  const c = withCorefile('.:53 {\n  rewrite stop {\n    name regex (.*)-shop\\.corp\\. {1}.shop.svc.cluster.local.\n    answer name (.*)\\.shop\\.svc\\.cluster\\.local\\. {1}-shop.corp.\n  }\n  kubernetes cluster.local\n}\n');
  assert.deepEqual(q(c, 'web-shop.corp.').answers.map((x) => `${x.name} ${x.data}`), ['web-shop.corp. 10.96.0.20']);
});

test('forward: except zones are not forwarded; upstreams without a fixture are skipped for the next; none at all → SERVFAIL', () => {
  const c = withCorefile('.:53 {\n  forward . 8.8.8.8 1.1.1.1 {\n    except internal.example\n  }\n}\n');
  const r = q(c, 'www.example.com');
  assert.equal(r.rcode, 'NOERROR');
  assert.ok(r.hops.some((h) => h.detail.includes('8.8.8.8 did not answer (no fixture)')));
  assert.equal(q(c, 'a.internal.example').rcode, 'SERVFAIL', 'no plugin left');
  const none = withCorefile('.:53 {\n  forward . 8.8.8.8\n}\n');
  const s = q(none, 'www.example.com');
  assert.equal(s.rcode, 'SERVFAIL');
  assert.ok(s.hops.some((h) => h.detail.includes('no fixture for upstream 8.8.8.8')));
});

test('forward to a loopback address with the loop plugin: CoreDNS halts and answers nothing', () => {
  const c = withCorefile('.:53 {\n  kubernetes cluster.local\n  forward . 127.0.0.1\n  loop\n}\n');
  const r = q(c, 'web.shop.svc.cluster.local');
  assert.equal(r.rcode, 'SERVFAIL');
  assert.ok(r.hops.some((h) => /Loop \(127\.0\.0\.1:53 -> :53\) detected/.test(h.detail)));
});

test('forward to itself without the loop plugin: only forwarded names fail', () => {
  const c = withCorefile('.:53 {\n  kubernetes cluster.local\n  forward . 10.96.0.10\n}\n');
  assert.equal(q(c, 'web.shop.svc.cluster.local').rcode, 'NOERROR');
  assert.equal(q(c, 'www.example.com').rcode, 'SERVFAIL');
});

test('cache: every TTL of a reply becomes its lowest, kept between the minimum and maximum', () => {
  const cfg = { zones: ['.'], successMax: 30, successMin: 5, denialMax: 30, denialMin: 5, ref: { line: 1, text: 'cache 30' } };
  const m = message('NOERROR', [rr('a.', 'CNAME', 3600, 'b.'), rr('b.', 'A', 600, '1.2.3.4')]);
  assert.deepEqual(clampTTL(m, cfg).answers.map((a) => a.ttl), [30, 30]);
  const low = message('NOERROR', [rr('a.', 'A', 2, '1.2.3.4')]);
  assert.deepEqual(clampTTL(low, cfg).answers.map((a) => a.ttl), [5], 'raised to the minimum');
  const same = message('NOERROR', [rr('a.', 'A', 20, '1.2.3.4')]);
  assert.equal(clampTTL(same, cfg), same, 'unchanged replies are not copied');
  const neg = message('NXDOMAIN', [], [rr('x.', 'SOA', 3600, 'ns. hm. 1 2 3 4 10')]);
  assert.deepEqual(clampTTL(neg, cfg).authority.map((a) => a.ttl), [10], 'the SOA minimum bounds a denial');
});

test('the default Corefile caps upstream TTLs at 30 s (cache 30)', () => {
  const c = clusterOf(svc('shop', 'web', { clusterIP: '10.96.0.20', selector: { app: 'web' }, ports: [{ port: 80 }] }), { nodeResolvConf: 'nameserver 1.1.1.1\n' });
  const r = dnsQuery(c.realised, { name: 'www.example.com', upstreams: UP });
  assert.deepEqual(r.answers.map((a) => a.ttl), [30]);
});

test('a ConfigMap Corefile\'s warnings point into the manifest: data.Corefile\'s line plus the Corefile line', () => {
  const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: coredns
  namespace: kube-system
data:
  Corefile: |
    .:53 {
        kubernetes cluster.local
        autopath @kubernetes
    }
`;
  const c = clusterOf(text);
  const w = coreDns(c.realised).warnings;
  assert.equal(w.length, 1);
  assert.deepEqual([w[0].pos?.file, w[0].pos?.line, w[0].pos?.col], ['test.yaml', 10, 9]);
});

test('fixtures carried by the configuration (config.upstreamDNS): a null server means the node\'s nameservers', () => {
  const c = clusterOf(svc('shop', 'web', { clusterIP: '10.96.0.20', selector: { app: 'web' }, ports: [{ port: 80 }] }) + pod('shop', 'client'), {
    nodeResolvConf: 'nameserver 192.168.7.7\n',
    upstreamDNS: [{ server: null, text: 'www.example.com. 60 IN A 93.184.216.34\n', file: 'x.feature', line: 3, col: 7 }],
  });
  const r = dnsQuery(c.realised, { name: 'www.example.com' });
  assert.deepEqual(r.answers.map((a) => a.data), ['93.184.216.34']);
  assert.ok(r.hops.some((h) => h.detail.includes('192.168.7.7')));
  // connect to a name resolves through the pod's DNS with the same fixtures
  const conn = c.connect({ from: 'shop/client', to: 'www.example.com', port: 443 });
  assert.ok(conn.hops.some((h) => h.action === 'resolve' && h.detail.includes('www.example.com → 93.184.216.34')), JSON.stringify(conn.hops.map((h) => h.detail)));
});
