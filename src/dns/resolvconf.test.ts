// The kubelet's resolv.conf (pkg/kubelet/network/dns/dns.go), policy by policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitSearch, mergeOptions, parseResolvConf, podResolvConf, renderResolvConf } from './resolvconf';
import { clusterOf, pod } from './testkit';

const NODE = 'nameserver 192.168.0.1\nnameserver 192.168.0.2\n# comment\nsearch old.example\nsearch corp.example. lab.example\noptions rotate\noptions timeout:2 attempts:3\n';

function rc(spec: Record<string, unknown>, ns = 'shop', extra: Record<string, unknown> = {}) {
  const c = clusterOf(pod(ns, 'p', { spec }), { nodeResolvConf: NODE, ...extra });
  return podResolvConf(c.realised, c.realised.podByKey.get(`${ns}/p`)!);
}

test("parseResolvConf as the kubelet: nameservers accumulate, the last search line wins with trailing dots trimmed, options lines accumulate", () => {
  assert.deepEqual(parseResolvConf(NODE), { nameservers: ['192.168.0.1', '192.168.0.2'], searches: ['corp.example', 'lab.example'], options: ['rotate', 'timeout:2', 'attempts:3'] });
});

// kubernetes pkg/kubelet/network/dns/dns.go parseResolvConf: `if s != "." { searches = append(searches,
// strings.TrimSuffix(s, ".")) }` and `options = appendOptions(options, fields[1:]...)` (one entry per
// option name, a later line's value replacing an earlier one).
test('parseResolvConf as the kubelet: the root "." is dropped from the search line and a later option value replaces an earlier one', () => {
  const r = parseResolvConf('search . corp.example. .\noptions ndots:2 rotate\noptions ndots:3 edns0\n');
  assert.deepEqual(r.searches, ['corp.example']);
  assert.deepEqual(r.options, ['ndots:3', 'rotate', 'edns0']);
});

test('a node whose search line is "search ." gives ClusterFirst pods only the cluster search domains', () => {
  const c = clusterOf(pod('shop', 'p'), { nodeResolvConf: 'nameserver 192.168.0.1\nsearch .\n' });
  const r = podResolvConf(c.realised, c.realised.podByKey.get('shop/p')!);
  assert.deepEqual(r.searches, ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local']);
});

const policies: [string, Record<string, unknown>, string][] = [
  ['ClusterFirst (the default): cluster DNS, cluster search domains then the node\'s, ndots:5 (node options dropped)', {},
    'search shop.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example\nnameserver 10.96.0.10\noptions ndots:5\n'],
  ['Default: the node\'s resolv.conf', { dnsPolicy: 'Default' },
    'search corp.example lab.example\nnameserver 192.168.0.1\nnameserver 192.168.0.2\noptions rotate timeout:2 attempts:3\n'],
  ['hostNetwork with ClusterFirst falls back to Default', { hostNetwork: true },
    'search corp.example lab.example\nnameserver 192.168.0.1\nnameserver 192.168.0.2\noptions rotate timeout:2 attempts:3\n'],
  ['ClusterFirstWithHostNet: cluster DNS for a hostNetwork pod', { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' },
    'search shop.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example\nnameserver 10.96.0.10\noptions ndots:5\n'],
  ['None with dnsConfig: only the dnsConfig', { dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['a.example'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } },
    'search a.example\nnameserver 1.1.1.1\noptions ndots:2 edns0\n'],
  ['dnsConfig merged into ClusterFirst: duplicates dropped, the pod\'s option value wins', { dnsConfig: { nameservers: ['10.96.0.10', '8.8.8.8'], searches: ['corp.example', 'x.example'], options: [{ name: 'ndots', value: '1' }] } },
    'search shop.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example x.example\nnameserver 10.96.0.10\nnameserver 8.8.8.8\noptions ndots:1\n'],
];
for (const [name, spec, want] of policies) {
  test(`resolv.conf: ${name}`, () => assert.equal(renderResolvConf(rc(spec)), want));
}

test('the hostNetwork fallback is said in the notes', () => {
  assert.match(rc({ hostNetwork: true }).notes.join(' '), /falls back to Default/);
});

test('clusterDNS and the cluster domain come from the kubelet configuration', () => {
  const r = rc({}, 'shop', { clusterDNS: ['10.0.0.10'], dnsDomain: 'corp.local', serviceSubnets: ['10.0.0.0/16'] });
  assert.deepEqual(r.nameservers, ['10.0.0.10']);
  assert.deepEqual(r.searches.slice(0, 3), ['shop.svc.corp.local', 'svc.corp.local', 'corp.local']);
});

test('the kubelet keeps 3 nameservers, with a warning', () => {
  const r = rc({ dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3'] } });
  assert.deepEqual(r.nameservers, ['10.96.0.10', '1.1.1.1', '2.2.2.2']);
  assert.match(r.warnings[0], /^Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 10\.96\.0\.10 1\.1\.1\.1 2\.2\.2\.2$/);
});

test('search limits: 32 domains, none over 253 characters, 2048 characters in all (cut from the end)', () => {
  const many = Array.from({ length: 40 }, (_, i) => `d${i}.example`);
  const a = fitSearch(many);
  assert.equal(a.searches.length, 32);
  assert.ok(a.exceeded);
  const long = 'x'.repeat(254);
  assert.deepEqual(fitSearch(['a.example', long, 'b.example']).searches, ['a.example', 'b.example']);
  const wide = Array.from({ length: 30 }, (_, i) => `${String(i).padStart(2, '0')}${'y'.repeat(90)}.example`);
  const w = fitSearch(wide);
  assert.ok(w.searches.join(' ').length <= 2048);
  assert.deepEqual(w.searches, wide.slice(0, w.searches.length));
  assert.equal(fitSearch(['a', 'b']).exceeded, false);
});

test('mergeOptions: by name, the pod\'s value winning, a value-less option kept bare', () => {
  assert.deepEqual(mergeOptions(['ndots:5', 'rotate'], [{ name: 'ndots', value: '2' }, { name: 'single-request-reopen' }]), ['ndots:2', 'rotate', 'single-request-reopen']);
});
