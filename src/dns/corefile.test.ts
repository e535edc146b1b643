import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cidrToReverseZones, kubeadmCorefile, parseCorefile, parseServerKey } from './corefile';

const opts = { resolvConfNameservers: ['192.168.0.1', '192.168.0.2'], source: 'test' };

test("kubeadm's default Corefile: one .:53 block, kubernetes with pods insecure, ttl 30, fallthrough for reverse zones", () => {
  const c = parseCorefile(kubeadmCorefile('cluster.local'), opts);
  assert.deepEqual(c.warnings, []);
  assert.equal(c.blocks.length, 1);
  const b = c.blocks[0];
  assert.deepEqual(b.zones, ['.']);
  assert.equal(b.port, 53);
  assert.deepEqual(b.kubernetes!.zones, ['cluster.local.', 'in-addr.arpa.', 'ip6.arpa.']);
  assert.equal(b.kubernetes!.primaryZone, 'cluster.local.');
  assert.equal(b.kubernetes!.podMode, 'insecure');
  assert.equal(b.kubernetes!.ttl, 30);
  assert.deepEqual(b.kubernetes!.fallthrough, ['in-addr.arpa.', 'ip6.arpa.']);
  assert.deepEqual(b.forward[0].to.map((u) => u.ip), ['192.168.0.1', '192.168.0.2'], 'forward . /etc/resolv.conf: the node\'s nameservers');
  assert.ok(b.forward[0].to.every((u) => u.fromResolvConf));
  assert.equal(b.cache!.successMax, 30);
  assert.ok(b.loop && b.loadbalance);
});

test('the kubernetes plugin defaults: pods disabled, ttl 5, no fallthrough, the block\'s zones', () => {
  const c = parseCorefile('cluster.local:53 {\n  kubernetes\n}\n', opts);
  const k = c.blocks[0].kubernetes!;
  assert.deepEqual(k.zones, ['cluster.local.']);
  assert.equal(k.podMode, 'disabled');
  assert.equal(k.ttl, 5);
  assert.equal(k.fallthrough, null);
});

test('stub domains are server blocks of their own; ports and schemes are read', () => {
  const c = parseCorefile('.:53 {\n forward . 1.1.1.1\n}\nconsul.local:53 {\n forward . 10.150.0.1:5353\n}\nexample.org:5353 {\n forward . 9.9.9.9\n}\n', opts);
  assert.deepEqual(c.blocks.map((b) => [b.zones[0], b.port]), [['.', 53], ['consul.local.', 53], ['example.org.', 5353]]);
  assert.deepEqual(c.blocks[1].forward[0].to[0], { ip: '10.150.0.1', port: 5353, raw: '10.150.0.1:5353', fromResolvConf: false });
});

test('plugins that are not modelled are warnings naming them and their line; no-effect plugins are silent', () => {
  const c = parseCorefile('.:53 {\n    errors\n    log\n    template IN A example.org {\n      answer "x"\n    }\n    kubernetes cluster.local\n    k8s_external example.org\n}\n', {
    ...opts, posOf: (line, col) => ({ file: 'cm.yaml', line: 10 + line, col: 4 + col }),
  });
  const w = c.warnings.map((x) => [x.code, x.pos?.line, x.pos?.col, /"(\w+)"/.exec(x.message)?.[1]]);
  assert.deepEqual(w, [['NS-COREFILE-PLUGIN', 14, 9, 'template'], ['NS-COREFILE-PLUGIN', 18, 9, 'k8s_external']]);
});

test('comments, quotes, snippets and imports', () => {
  const c = parseCorefile('# top\n(common) {\n  errors\n  cache 10\n}\n.:53 {\n  import common # inline\n  hosts {\n    10.0.0.1 "db.corp"\n  }\n  import /etc/coredns/custom/*.override\n}\nimport custom/*.server\n', opts);
  assert.equal(c.blocks.length, 1);
  assert.equal(c.blocks[0].cache!.successMax, 10, 'the snippet was expanded');
  assert.deepEqual(c.blocks[0].hosts!.byName.get('db.corp.'), ['10.0.0.1']);
  assert.deepEqual(c.warnings.map((w) => w.code), ['NS-COREFILE-IMPORT', 'NS-COREFILE-IMPORT']);
});

test('a server key may be a CIDR: its reverse zones (CoreDNS normalises on octet boundaries)', () => {
  assert.deepEqual(cidrToReverseZones('10.0.0.0/8'), ['10.in-addr.arpa.']);
  assert.deepEqual(cidrToReverseZones('10.96.0.0/12'), Array.from({ length: 16 }, (_, i) => `${96 + i}.10.in-addr.arpa.`));
  assert.deepEqual(cidrToReverseZones('fd00::/8'), ['d.f.ip6.arpa.']);
  const k = parseServerKey('10.0.0.0/24:53');
  assert.ok(Array.isArray(k));
  assert.deepEqual((k as any[]).map((x) => x.zone), ['0.0.10.in-addr.arpa.']);
  assert.deepEqual((parseServerKey('dns://example.org:1053') as any[])[0], { raw: 'dns://example.org:1053', zone: 'example.org.', port: 1053, scheme: 'dns' });
});

test('rewrite rules: exact (default), suffix, regex with answer rewrites; block form', () => {
  const c = parseCorefile('.:53 {\n  rewrite name old.corp new.corp\n  rewrite continue name suffix .a.example .b.example answer auto\n  rewrite stop {\n    name regex (.*)-(eu)\\.example {1}.{2}.svc.cluster.local\n    answer name (.*)\\.(eu)\\.svc\\.cluster\\.local {1}-{2}.example\n  }\n  rewrite type ANY HINFO\n}\n', opts);
  const r = c.blocks[0].rewrite;
  assert.deepEqual(r.map((x) => [x.match, x.stop, x.answer.map((a) => a.kind)]), [['exact', true, []], ['suffix', false, ['auto']], ['regex', true, ['name']]]);
  assert.equal(r[0].from, 'old.corp.');
  assert.deepEqual(c.warnings.map((w) => w.code), ['NS-COREFILE-OPTION'], 'rewrite type is not modelled');
});

test('bad option values are warnings and keep the defaults', () => {
  const c = parseCorefile('.:53 {\n  kubernetes cluster.local {\n    ttl 99999\n    pods sometimes\n    labels app=x\n  }\n}\n', opts);
  assert.equal(c.blocks[0].kubernetes!.ttl, 5);
  assert.equal(c.blocks[0].kubernetes!.podMode, 'disabled');
  assert.equal(c.warnings.length, 3);
});

test('the same plugin twice in a block and the same zone twice are warnings (CoreDNS refuses them)', () => {
  const c = parseCorefile('.:53 {\n  kubernetes cluster.local\n  kubernetes other.local\n}\n.:53 {\n  forward . 1.1.1.1\n}\n', opts);
  assert.deepEqual(c.warnings.map((w) => w.code), ['NS-COREFILE-DUPLICATE', 'NS-COREFILE-DUPLICATE']);
});

test('an unclosed block is a syntax warning, never a crash', () => {
  const c = parseCorefile('.:53 {\n  kubernetes cluster.local {\n    pods insecure\n', opts);
  assert.ok(c.warnings.some((w) => w.code === 'NS-COREFILE-SYNTAX'));
});
