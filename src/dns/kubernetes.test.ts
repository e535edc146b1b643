// The kubernetes plugin, record rule by record rule, against CoreDNS's documented and coded
// behaviour (plugin/kubernetes kubernetes.go, parse.go, reverse.go, ns.go; plugin/backend_lookup.go).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { coreDns, dnsQuery, parseRequest, SOA_SERIAL, type DnsMessage, type RRType } from './index';
import { clusterOf, pod, svc, upstreams } from './testkit';

const yaml = [
  svc('shop', 'web', { clusterIP: '10.96.0.20', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'dns', port: 53, protocol: 'UDP' }] }),
  svc('shop', 'db', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432 }] }),
  svc('shop', 'empty', { clusterIP: 'None', selector: { app: 'nothing' }, ports: [{ port: 1 }] }),
  svc('shop', 'ext', { type: 'ExternalName', externalName: 'db.example.com' }),
  svc('shop', 'alias', { type: 'ExternalName', externalName: 'web.shop.svc.cluster.local' }),
  svc('shop', 'dual', { clusterIP: '10.96.0.21', clusterIPs: ['10.96.0.21', 'fd00:10:96::21'], ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'], selector: { app: 'none' }, ports: [{ name: 'http', port: 80 }] }),
  pod('shop', 'web-1', { ip: '10.244.0.11', labels: { app: 'web' }, port: 8080 }),
  pod('shop', 'db-0', { ip: '10.244.0.20', labels: { app: 'db' }, port: 5432, spec: { hostname: 'db-0', subdomain: 'db' } }),
  pod('shop', 'db-1', { ip: '10.244.0.21', labels: { app: 'db' }, port: 5432 }),
  pod('shop', 'db-2', { ip: '10.244.0.22', labels: { app: 'db' }, port: 5432, ready: false }),
].join('');

const DUAL = { serviceSubnets: ['10.96.0.0/12', 'fd00:10:96::/108'] };
const cluster = clusterOf(yaml, DUAL);
const fixtures = upstreams({ '192.168.0.1': 'db.example.com. 600 IN A 192.0.2.10\n' });
const ask = (name: string, type: RRType = 'A'): DnsMessage => {
  const r = dnsQuery(cluster.realised, { name, type, upstreams: fixtures });
  return { rcode: r.rcode, answers: r.answers, authority: r.authority, additional: r.additional };
};
const cells = (m: DnsMessage) => m.answers.map((a) => `${a.type} ${a.data}`);

interface Case { name: string; q: string; type?: RRType; rcode: string; answers?: string[]; fact: string }

const CASES: Case[] = [
  { name: 'service A is its ClusterIP', q: 'web.shop.svc.cluster.local', rcode: 'NOERROR', answers: ['A 10.96.0.20'], fact: 'findServices: one item per port and clusterIP, deduplicated by plugin.A' },
  { name: 'a dual-stack service answers A with the IPv4 clusterIP', q: 'dual.shop.svc.cluster.local', rcode: 'NOERROR', answers: ['A 10.96.0.21'], fact: 'every clusterIP of the asked family' },
  { name: 'a dual-stack service answers AAAA with the IPv6 clusterIP', q: 'dual.shop.svc.cluster.local', type: 'AAAA', rcode: 'NOERROR', answers: ['AAAA fd00:10:96::21'], fact: 'every clusterIP of the asked family' },
  { name: 'an IPv4-only service has no AAAA: NODATA', q: 'web.shop.svc.cluster.local', type: 'AAAA', rcode: 'NOERROR', answers: [], fact: 'plugin.AAAA skips A items; no error → NODATA' },
  { name: 'headless: the ready endpoints, not-ready ones left out', q: 'db.shop.svc.cluster.local', rcode: 'NOERROR', answers: ['A 10.244.0.20', 'A 10.244.0.21'], fact: 'EndpointSliceToEndpoints keeps ready != false' },
  { name: 'headless service with no ready endpoints is NXDOMAIN', q: 'empty.shop.svc.cluster.local', rcode: 'NXDOMAIN', fact: 'findServices leaves errNoItems when no endpoint matched' },
  { name: 'endpoint name from the hostname', q: 'db-0.db.shop.svc.cluster.local', rcode: 'NOERROR', answers: ['A 10.244.0.20'], fact: 'endpointHostname: the slice hostname first' },
  { name: 'endpoint name from the dashed IP', q: '10-244-0-21.db.shop.svc.cluster.local', rcode: 'NOERROR', answers: ['A 10.244.0.21'], fact: 'endpointHostname: dots become dashes' },
  { name: 'a not-ready endpoint has no name', q: '10-244-0-22.db.shop.svc.cluster.local', rcode: 'NXDOMAIN', fact: 'not-ready endpoints are dropped' },
  { name: 'a ClusterIP service\'s endpoints are named too', q: '10-244-0-11.web.shop.svc.cluster.local', rcode: 'NOERROR', answers: ['A 10.244.0.11'], fact: 'r.endpoint != "" goes through the endpoints for any service' },
  { name: 'SRV for a named port', q: '_http._tcp.web.shop.svc.cluster.local', type: 'SRV', rcode: 'NOERROR', answers: ['SRV 0 100 80 web.shop.svc.cluster.local.'], fact: 'port and protocol matched case-insensitively' },
  { name: 'SRV protocol must match', q: '_dns._tcp.web.shop.svc.cluster.local', type: 'SRV', rcode: 'NXDOMAIN', fact: 'the dns port is UDP' },
  { name: 'SRV without underscores matches too', q: 'dns.udp.web.shop.svc.cluster.local', type: 'SRV', rcode: 'NOERROR', answers: ['SRV 0 100 53 web.shop.svc.cluster.local.'], fact: 'stripUnderscore only strips a leading underscore' },
  { name: 'SRV of a headless service names each endpoint', q: '_pg._tcp.db.shop.svc.cluster.local', type: 'SRV', rcode: 'NOERROR', answers: ['SRV 0 50 5432 db-0.db.shop.svc.cluster.local.', 'SRV 0 50 5432 10-244-0-21.db.shop.svc.cluster.local.'], fact: 'weight 100/n, target the endpoint name' },
  { name: 'SRV on the service lists each port (weights shared)', q: 'web.shop.svc.cluster.local', type: 'SRV', rcode: 'NOERROR', answers: ['SRV 0 50 80 web.shop.svc.cluster.local.', 'SRV 0 50 53 web.shop.svc.cluster.local.'], fact: 'weight floor(100/2)' },
  { name: 'a dual-stack service counts each clusterIP in the SRV weight', q: '_http._tcp.dual.shop.svc.cluster.local', type: 'SRV', rcode: 'NOERROR', answers: ['SRV 0 50 80 dual.shop.svc.cluster.local.'], fact: 'weights are computed before duplicates are dropped' },
  { name: 'ExternalName: CNAME then the upstream answer', q: 'ext.shop.svc.cluster.local', rcode: 'NOERROR', answers: ['CNAME db.example.com.', 'A 192.0.2.10'], fact: 'plugin.A: b.Lookup for targets outside the zone' },
  { name: 'ExternalName inside the cluster is chased by the plugin', q: 'alias.shop.svc.cluster.local', rcode: 'NOERROR', answers: ['CNAME web.shop.svc.cluster.local.', 'A 10.96.0.20'], fact: 'plugin.A recursion inside the zone' },
  { name: 'CNAME query on an ExternalName', q: 'ext.shop.svc.cluster.local', type: 'CNAME', rcode: 'NOERROR', answers: ['CNAME db.example.com.'], fact: 'plugin.CNAME' },
  { name: 'ExternalName has no SRV: NXDOMAIN with a port', q: '_http._tcp.ext.shop.svc.cluster.local', type: 'SRV', rcode: 'NXDOMAIN', fact: 'external services skip port/protocol requests' },
  { name: 'an existing namespace is NODATA', q: 'shop.svc.cluster.local', rcode: 'NOERROR', answers: [], fact: 'findServices: empty service name → NODATA' },
  { name: 'a missing namespace is NXDOMAIN', q: 'nowhere.svc.cluster.local', rcode: 'NXDOMAIN', fact: 'namespaceExposed checks the namespace exists' },
  { name: 'svc.<zone> is NODATA', q: 'svc.cluster.local', rcode: 'NOERROR', answers: [], fact: 'parseRequest: base == svc' },
  { name: 'the zone apex is NODATA for A', q: 'cluster.local', rcode: 'NOERROR', answers: [], fact: 'checkForApex finds no apex.dns entry' },
  { name: 'an unknown label under the zone is NXDOMAIN', q: 'foo.cluster.local', rcode: 'NXDOMAIN', fact: 'parseRequest: neither svc nor pod → errInvalidRequest' },
  { name: 'too many labels is NXDOMAIN', q: 'a.b.c.web.shop.svc.cluster.local', rcode: 'NXDOMAIN', fact: 'parseRequest: more than 2 labels left → invalid' },
  { name: 'names are case-insensitive', q: 'WEB.SHOP.svc.Cluster.Local', rcode: 'NOERROR', answers: ['A 10.96.0.20'], fact: 'request.Name lower-cases' },
  { name: 'dns-version TXT', q: 'dns-version.cluster.local', type: 'TXT', rcode: 'NOERROR', answers: ['TXT "1.1.0"'], fact: 'DNSSchemaVersion 1.1.0' },
  { name: 'TXT on a service is NODATA', q: 'web.shop.svc.cluster.local', type: 'TXT', rcode: 'NOERROR', answers: [], fact: 'Services(TXT): records exist of another type' },
  { name: 'TXT on a missing name is NXDOMAIN', q: 'nope.shop.svc.cluster.local', type: 'TXT', rcode: 'NXDOMAIN', fact: 'Services(TXT): errNoItems' },
  { name: 'PTR of a ClusterIP', q: '20.0.96.10.in-addr.arpa', type: 'PTR', rcode: 'NOERROR', answers: ['PTR web.shop.svc.cluster.local.'], fact: 'serviceRecordForIP' },
  { name: 'PTR of an endpoint IP', q: '20.0.244.10.in-addr.arpa', type: 'PTR', rcode: 'NOERROR', answers: ['PTR db-0.db.shop.svc.cluster.local.'], fact: 'endpoints searched when no clusterIP matches' },
  { name: 'PTR of an IPv6 clusterIP', q: '1.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa', type: 'PTR', rcode: 'NOERROR', answers: ['PTR dual.shop.svc.cluster.local.'], fact: 'reverse6' },
  { name: 'PTR on a forward name is NODATA', q: 'web.shop.svc.cluster.local', type: 'PTR', rcode: 'NOERROR', answers: [], fact: 'Reverse: no address → Records error or nothing' },
  { name: 'ns.dns.<zone> is the cluster DNS', q: 'ns.dns.cluster.local', rcode: 'NOERROR', answers: ['A 10.96.0.10'], fact: 'isDefaultNS' },
  { name: 'NS at the apex names the kube-dns service', q: 'cluster.local', type: 'NS', rcode: 'NOERROR', answers: ['NS kube-dns.kube-system.svc.cluster.local.'], fact: 'nsAddrs: the services of CoreDNS\'s endpoints' },
  { name: 'NS below the apex is NODATA even for a missing name', q: 'nope.shop.svc.cluster.local', type: 'NS', rcode: 'NOERROR', answers: [], fact: 'the fake lookup goes through Services(NS), which never fails' },
  { name: 'SOA of any name in the zone answers the zone SOA', q: 'web.shop.svc.cluster.local', type: 'SOA', rcode: 'NOERROR', answers: [`SOA ns.dns.cluster.local. hostmaster.cluster.local. ${SOA_SERIAL} 7200 1800 86400 30`], fact: 'handler: case TypeSOA → plugin.SOA' },
  { name: 'pods insecure: any dashed IP in an existing namespace', q: '1-2-3-4.shop.pod.cluster.local', rcode: 'NOERROR', answers: ['A 1.2.3.4'], fact: 'findPods insecure' },
  { name: 'pods insecure: a bad IP is NXDOMAIN', q: '1-2-3-999.shop.pod.cluster.local', rcode: 'NXDOMAIN', fact: 'net.ParseIP fails' },
  { name: 'pods insecure: an IPv6 pod name', q: 'fd00--1.shop.pod.cluster.local', type: 'AAAA', rcode: 'NOERROR', answers: ['AAAA fd00::1'], fact: 'dashes become colons when not 3 dashes' },
  { name: 'pod namespace must exist', q: '1-2-3-4.nowhere.pod.cluster.local', rcode: 'NXDOMAIN', fact: 'namespaceExposed' },
];

for (const c of CASES) {
  test(`kubernetes plugin: ${c.name} (${c.fact})`, () => {
    const m = ask(c.q, c.type ?? 'A');
    assert.equal(m.rcode, c.rcode, `${c.q} ${c.type ?? 'A'}: ${JSON.stringify(m)}`);
    if (c.answers) assert.deepEqual(cells(m).sort(), c.answers.slice().sort());
    if (c.rcode === 'NXDOMAIN' || (c.rcode === 'NOERROR' && c.answers && !c.answers.length)) {
      assert.equal(m.authority.length, 1, 'negative answers carry the SOA');
      assert.equal(m.authority[0].type, 'SOA');
    }
  });
}

test('kubernetes plugin: negative answers carry the SOA with TTL min(ttl, 300) and the ttl as minimum', () => {
  const m = ask('nope.shop.svc.cluster.local');
  assert.equal(m.authority[0].name, 'cluster.local.');
  assert.equal(m.authority[0].ttl, 30);
  assert.equal(m.authority[0].data, `ns.dns.cluster.local. hostmaster.cluster.local. ${SOA_SERIAL} 7200 1800 86400 30`);
});

test('kubernetes plugin: TTLs come from the Corefile (kubeadm: ttl 30)', () => {
  const m = ask('web.shop.svc.cluster.local');
  assert.equal(m.answers[0].ttl, 30);
});

test('kubernetes plugin: SRV additional section carries the targets\' addresses', () => {
  const m = ask('_pg._tcp.db.shop.svc.cluster.local', 'SRV');
  assert.deepEqual(m.additional.map((r) => `${r.name} ${r.type} ${r.data}`).sort(), [
    '10-244-0-21.db.shop.svc.cluster.local. A 10.244.0.21', 'db-0.db.shop.svc.cluster.local. A 10.244.0.20',
  ]);
});

test('kubernetes plugin: the owner name keeps the case of the question', () => {
  const m = ask('Web.Shop.svc.cluster.local');
  assert.equal(m.answers[0].name, 'Web.Shop.svc.cluster.local.');
});

test('kubernetes plugin: pods verified answers only for a pod with that IP in that namespace', () => {
  const c = clusterOf(yaml + `---\n${JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: '.:53 {\n  kubernetes cluster.local {\n    pods verified\n  }\n}\n' } })}\n`, DUAL);
  const q = (n: string) => dnsQuery(c.realised, { name: n }).rcode;
  assert.equal(q('10-244-0-11.shop.pod.cluster.local'), 'NOERROR');
  assert.equal(q('10-244-0-99.shop.pod.cluster.local'), 'NXDOMAIN');
  assert.equal(q('10-244-0-11.default.pod.cluster.local'), 'NXDOMAIN');
});

test('kubernetes plugin: ignore empty_service makes a ClusterIP service without endpoints NXDOMAIN', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: '.:53 {\n  kubernetes cluster.local {\n    ignore empty_service\n  }\n}\n' } };
  const c = clusterOf(yaml + `---\n${JSON.stringify(cm)}\n`, DUAL);
  assert.equal(dnsQuery(c.realised, { name: 'dual.shop.svc.cluster.local' }).rcode, 'NXDOMAIN');
  assert.equal(dnsQuery(c.realised, { name: 'web.shop.svc.cluster.local' }).rcode, 'NOERROR');
});

test('kubernetes plugin: namespaces option hides other namespaces (NXDOMAIN)', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: '.:53 {\n  kubernetes cluster.local {\n    namespaces kube-system\n  }\n}\n' } };
  const c = clusterOf(yaml + `---\n${JSON.stringify(cm)}\n`, DUAL);
  assert.equal(dnsQuery(c.realised, { name: 'web.shop.svc.cluster.local' }).rcode, 'NXDOMAIN');
  assert.equal(dnsQuery(c.realised, { name: 'kube-dns.kube-system.svc.cluster.local' }).rcode, 'NOERROR');
});

test('kubernetes plugin: endpoint_pod_names names endpoints after their pods', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: '.:53 {\n  kubernetes cluster.local {\n    endpoint_pod_names\n  }\n}\n' } };
  const c = clusterOf(yaml + `---\n${JSON.stringify(cm)}\n`, DUAL);
  assert.deepEqual(dnsQuery(c.realised, { name: 'db-1.db.shop.svc.cluster.local' }).answers.map((a) => a.data), ['10.244.0.21']);
});

test('kubernetes plugin: fallthrough in-addr.arpa passes unknown reverse names to forward', () => {
  const r = dnsQuery(cluster.realised, { name: '9.9.9.10.in-addr.arpa', type: 'PTR', upstreams: fixtures });
  assert.equal(r.rcode, 'NXDOMAIN');
  assert.ok(r.hops.some((h) => h.at === 'dns/coredns/forward'), 'went to forward');
});

test('parseRequest never throws and rejects what CoreDNS rejects (fast-check)', () => {
  const label = fc.stringMatching(/^[a-z0-9_-]{1,10}$/);
  fc.assert(fc.property(fc.array(label, { maxLength: 8 }), fc.constantFrom('cluster.local.', '.', 'example.org.'), (labels, zone) => {
    const name = labels.length ? `${labels.join('.')}.${zone === '.' ? '' : zone}` : zone;
    const r = parseRequest(name, zone);
    if (r === null) return true;
    return ['', 'svc', 'pod'].includes(r.podOrSvc);
  }), { numRuns: 2000 });
});

test('queries for arbitrary names never throw; unknown shapes in the zone are NXDOMAIN (fast-check)', () => {
  const server = coreDns(cluster.realised);
  const junk = fc.stringMatching(/^[a-z0-9_*.-]{0,40}$/);
  fc.assert(fc.property(junk, fc.constantFrom<RRType>('A', 'AAAA', 'SRV', 'PTR', 'TXT', 'CNAME', 'NS', 'SOA'), (s, t) => {
    const name = `${s}.zz.cluster.local`;
    const m = server.query(name, t, { upstreams: new Map(), hops: null, depth: 0 });
    // "zz" is neither svc nor pod: every such name is NXDOMAIN, except SOA/NS which never fail
    if (t === 'SOA' || t === 'NS') return m.rcode === 'NOERROR' || m.rcode === 'REFUSED';
    return m.rcode === 'NXDOMAIN' || m.rcode === 'REFUSED';
  }), { numRuns: 1000 });
  fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => {
    server.query(s, 'A', { upstreams: new Map(), hops: [], depth: 0 });
    return true;
  }), { numRuns: 1000 });
});

test('the record store agrees with the slow path for every name it holds', () => {
  const server = coreDns(cluster.realised);
  const kube = server.kubeBackends()[0];
  // the names a pod would ask about, through the store and through a fresh backend's parser
  for (const name of ['web.shop.svc.cluster.local.', 'db.shop.svc.cluster.local.', 'db-0.db.shop.svc.cluster.local.', '_pg._tcp.db.shop.svc.cluster.local.', '10-244-0-11.web.shop.svc.cluster.local.']) {
    const fromStore = kube.records(name, 'cluster.local.');
    const req = parseRequest(name, 'cluster.local.')!;
    const slow = kube.findServices(req.namespace, req.service, req.endpoint, req.port, req.protocol, 'cluster.local.');
    assert.deepEqual(fromStore.items.map((i) => [i.host, i.port, i.key]), slow.items.map((i) => [i.host, i.port, i.key]), name);
    assert.equal(fromStore.err, slow.err);
  }
});

test('a reverse name remembered after a PTR answer still answers other types as CoreDNS does (NXDOMAIN → fallthrough)', () => {
  const c = clusterOf(yaml, DUAL);
  const first = dnsQuery(c.realised, { name: '20.0.96.10.in-addr.arpa', type: 'PTR', upstreams: fixtures });
  assert.equal(first.answers[0].data, 'web.shop.svc.cluster.local.');
  const again = dnsQuery(c.realised, { name: '20.0.96.10.in-addr.arpa', type: 'PTR', upstreams: fixtures });
  assert.deepEqual(again.answers, first.answers);
  const a = dnsQuery(c.realised, { name: '20.0.96.10.in-addr.arpa', type: 'A', upstreams: fixtures });
  assert.equal(a.rcode, 'NXDOMAIN', 'Records() refuses reverse names; fallthrough sends it upstream, where the fixture lacks it');
  assert.ok(a.hops.some((h) => h.at === 'dns/coredns/forward'));
});

test('wildcard queries are gone (removed in CoreDNS 1.9, coredns#4984): "*" is an ordinary label, NXDOMAIN', () => {
  assert.equal(ask('*.shop.svc.cluster.local').rcode, 'NXDOMAIN');
  assert.equal(ask('web.*.svc.cluster.local').rcode, 'NXDOMAIN');
  assert.equal(ask('_http._tcp.*.shop.svc.cluster.local', 'SRV').rcode, 'NXDOMAIN');
});
