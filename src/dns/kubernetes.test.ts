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
  { name: 'NS below the apex for a missing name is NXDOMAIN', q: 'nope.shop.svc.cluster.local', type: 'NS', rcode: 'NXDOMAIN', fact: 'handler.go: NS falls through to the fake A lookup; handler_test.go "NS query for qname != zone (non existing domain)"' },
  { name: 'NS below the apex for an existing name is NODATA', q: 'web.shop.svc.cluster.local', type: 'NS', rcode: 'NOERROR', answers: [], fact: 'handler_test.go "NS query for qname != zone (existing domain)"' },
  { name: 'SOA at the apex answers the zone SOA', q: 'cluster.local', type: 'SOA', rcode: 'NOERROR', answers: [`SOA ns.dns.cluster.local. hostmaster.cluster.local. ${SOA_SERIAL} 7200 1800 86400 30`], fact: 'handler.go: case TypeSOA: if qname == zone → plugin.SOA' },
  { name: 'SOA below the apex is NODATA', q: 'web.shop.svc.cluster.local', type: 'SOA', rcode: 'NOERROR', answers: [], fact: 'handler_test.go: svc1.testns.svc.cluster.local. SOA → RcodeSuccess, the SOA in Ns' },
  { name: 'SOA below the apex is NODATA even for a missing name', q: 'nope.shop.svc.cluster.local', type: 'SOA', rcode: 'NOERROR', answers: [], fact: 'handler.go: no lookup below the apex for SOA' },
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
    // "zz" is neither svc nor pod: every such name is NXDOMAIN, except SOA, which is NODATA below the apex
    if (t === 'SOA') return m.rcode === 'NOERROR' || m.rcode === 'REFUSED';
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

// ---------------------------------------------------------------------------------------------
// Fidelity review: each fact with the CoreDNS (or Kubernetes) source that states it.

const corefileCM = (core: string) => `---\n${JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: core } })}\n`;

// coredns notes/coredns-1.9.0.md: "plugin/kubernetes: remove wildcard query functionality (#5019)".
// Since then `*` and `any` are ordinary labels: no service, namespace or port has that name.
for (const [q, type] of [['*.shop.svc.cluster.local', 'A'], ['any.shop.svc.cluster.local', 'A'], ['web.*.svc.cluster.local', 'A'], ['_*._tcp.web.shop.svc.cluster.local', 'SRV'], ['_any._any.web.shop.svc.cluster.local', 'SRV']] as [string, RRType][]) {
  test(`kubernetes plugin: wildcard queries were removed in CoreDNS 1.9.0: ${q} ${type} is NXDOMAIN`, () => {
    const m = ask(q, type);
    assert.equal(m.rcode, 'NXDOMAIN');
    assert.equal(m.authority[0]?.type, 'SOA');
  });
}

// plugin/kubernetes/kubernetes.go findServices: `err = errNoItems`, cleared only when a port matches
// (matchPortAndProtocol); IsNameError(errNoItems) → NXDOMAIN.
test('kubernetes plugin: SRV for a port name the service does not have is NXDOMAIN (findServices keeps errNoItems)', () => {
  assert.equal(ask('_nope._tcp.web.shop.svc.cluster.local', 'SRV').rcode, 'NXDOMAIN');
  assert.equal(ask('_nope._tcp.db.shop.svc.cluster.local', 'SRV').rcode, 'NXDOMAIN');
});

// plugin/kubernetes/parse.go: base "pod" → podOrSvc "" → Records returns nil, nil (NODATA);
// kubernetes.go findPods: an empty pod name in an exposed namespace → NODATA.
test('kubernetes plugin: pod.<zone> and <ns>.pod.<zone> of an existing namespace are NODATA', () => {
  for (const q of ['pod.cluster.local', 'shop.pod.cluster.local']) {
    const m = ask(q);
    assert.equal(m.rcode, 'NOERROR', q);
    assert.equal(m.answers.length, 0, q);
    assert.equal(m.authority[0]?.type, 'SOA', q);
  }
  assert.equal(ask('nowhere.pod.cluster.local').rcode, 'NXDOMAIN');
});

// plugin/kubernetes/kubernetes.go findPods: `if k.podMode == podModeDisabled { return nil, errNoItems }`
// comes before the empty-pod-name NODATA, so even <ns>.pod.<zone> is NXDOMAIN under "pods disabled".
test('kubernetes plugin: pods disabled answers NXDOMAIN for every pod name, even <ns>.pod.<zone>', () => {
  const c = clusterOf(yaml + corefileCM('.:53 {\n  kubernetes cluster.local {\n    pods disabled\n  }\n}\n'), DUAL);
  assert.equal(dnsQuery(c.realised, { name: '10-244-0-11.shop.pod.cluster.local' }).rcode, 'NXDOMAIN');
  assert.equal(dnsQuery(c.realised, { name: 'shop.pod.cluster.local' }).rcode, 'NXDOMAIN');
  assert.equal(dnsQuery(c.realised, { name: 'pod.cluster.local' }).rcode, 'NOERROR');
});

// plugin/kubernetes/kubernetes.go Records: `if !k.namespaceExposed(r.namespace) { return nil, errNsNotExposed }`
// and IsNameError(errNsNotExposed) → NXDOMAIN, for the namespace name itself as for its services.
test('kubernetes plugin: <ns>.svc.<zone> of an existing namespace left out of "namespaces" is NXDOMAIN (errNsNotExposed)', () => {
  const c = clusterOf(yaml + corefileCM('.:53 {\n  kubernetes cluster.local {\n    namespaces kube-system\n  }\n}\n'), DUAL);
  assert.equal(dnsQuery(c.realised, { name: 'shop.svc.cluster.local' }).rcode, 'NXDOMAIN');
  const ks = dnsQuery(c.realised, { name: 'kube-system.svc.cluster.local' });
  assert.equal(ks.rcode, 'NOERROR');
  assert.equal(ks.answers.length, 0);
});

// plugin/kubernetes/setup.go: defaultTTL = 5 when the kubernetes block has no ttl; plugin.SOA:
// TTL min(ttl, 300), minimum field = MinTTL() = ttl.
test('kubernetes plugin: without a ttl option records have TTL 5, and the SOA\'s TTL and minimum are 5', () => {
  const c = clusterOf(yaml + corefileCM('.:53 {\n  kubernetes cluster.local\n}\n'), DUAL);
  const a = dnsQuery(c.realised, { name: 'web.shop.svc.cluster.local' });
  assert.equal(a.answers[0].ttl, 5);
  const n = dnsQuery(c.realised, { name: 'nope.shop.svc.cluster.local' });
  assert.equal(n.authority[0].ttl, 5);
  assert.match(n.authority[0].data, / 7200 1800 86400 5$/);
});

// kubernetes.go Services(): "SRV for external services is not yet implemented, so remove those
// records": the ExternalName's CNAME item is dropped, so SRV on an ExternalName is NODATA; and
// findServices skips an ExternalName for a _port._proto name (NXDOMAIN).
test('kubernetes plugin: SRV on an ExternalName is NODATA; with a port and protocol it is NXDOMAIN', () => {
  const ext = ask('ext.shop.svc.cluster.local', 'SRV');
  assert.equal(ext.rcode, 'NOERROR');
  assert.deepEqual(cells(ext), []);
  assert.equal(ext.authority[0]?.type, 'SOA');
  assert.deepEqual(cells(ask('alias.shop.svc.cluster.local', 'SRV')), []);
  assert.equal(ask('_http._tcp.ext.shop.svc.cluster.local', 'SRV').rcode, 'NXDOMAIN');
  assert.deepEqual(cells(ask('ext.shop.svc.cluster.local', 'A')).slice(0, 1), ['CNAME db.example.com.'], 'A still follows the alias');
});

// handler.go ServeDNS: "zone = qname[len(qname)-len(zone):] // maintain case of original query":
// names built from the zone (SRV targets, their additional records, the SOA) keep the question's case.
test('kubernetes plugin: names derived from the zone keep the case the question was asked in', () => {
  const srv = ask('_http._tcp.web.shop.svc.Cluster.Local', 'SRV');
  assert.deepEqual(srv.answers.map((r) => `${r.name} ${r.data}`), ['_http._tcp.web.shop.svc.Cluster.Local. 0 100 80 web.shop.svc.Cluster.Local.']);
  assert.deepEqual(srv.additional.map((r) => r.name), ['web.shop.svc.Cluster.Local.']);
  const nx = ask('nope.shop.svc.CLUSTER.local', 'A');
  assert.equal(nx.rcode, 'NXDOMAIN');
  assert.equal(`${nx.authority[0].name} ${nx.authority[0].data.split(' ').slice(0, 2).join(' ')}`, 'CLUSTER.local. ns.dns.CLUSTER.local. hostmaster.CLUSTER.local.');
});

// Headless services: the EndpointSlice controller marks endpoints ready when the Service has
// publishNotReadyAddresses (pkg/controller/endpointslice utils podToEndpoint), and CoreDNS keeps every
// endpoint whose ready condition is not false (plugin/kubernetes/object/endpoint.go). The endpoint's
// hostname is set only when the pod's subdomain is the Service's name.
test('kubernetes plugin: a headless service with publishNotReadyAddresses answers its not-ready pods too', () => {
  const c = clusterOf([
    svc('shop', 'pn', { clusterIP: 'None', publishNotReadyAddresses: true, selector: { app: 'pn' }, ports: [{ name: 'http', port: 80 }] }),
    svc('shop', 'hl', { clusterIP: 'None', selector: { app: 'pn' }, ports: [{ name: 'http', port: 80 }] }),
    pod('shop', 'pn-0', { ip: '10.244.0.40', labels: { app: 'pn' }, port: 80, ready: false }),
  ].join(''));
  assert.deepEqual(dnsQuery(c.realised, { name: 'pn.shop.svc.cluster.local' }).answers.map((a) => a.data), ['10.244.0.40']);
  assert.equal(dnsQuery(c.realised, { name: 'hl.shop.svc.cluster.local' }).rcode, 'NXDOMAIN');
});

test('kubernetes plugin: a pod\'s hostname names its endpoint only when its subdomain is the headless service\'s name; otherwise the dashed IP', () => {
  const c = clusterOf([
    svc('shop', 'web', { clusterIP: 'None', selector: { app: 'w' }, ports: [{ name: 'http', port: 80 }] }),
    pod('shop', 'web-0', { ip: '10.244.0.50', labels: { app: 'w' }, port: 80, spec: { hostname: 'web-0', subdomain: 'web' } }),
    pod('shop', 'web-1', { ip: '10.244.0.51', labels: { app: 'w' }, port: 80, spec: { hostname: 'web-1', subdomain: 'other' } }),
  ].join(''));
  const q = (n: string, t: RRType = 'A') => dnsQuery(c.realised, { name: n, type: t });
  assert.deepEqual(q('web-0.web.shop.svc.cluster.local').answers.map((a) => a.data), ['10.244.0.50']);
  assert.equal(q('web-1.web.shop.svc.cluster.local').rcode, 'NXDOMAIN');
  assert.deepEqual(q('10-244-0-51.web.shop.svc.cluster.local').answers.map((a) => a.data), ['10.244.0.51']);
  assert.deepEqual(q('_http._tcp.web.shop.svc.cluster.local', 'SRV').answers.map((a) => a.data).sort(),
    ['0 50 80 10-244-0-51.web.shop.svc.cluster.local.', '0 50 80 web-0.web.shop.svc.cluster.local.']);
  assert.deepEqual(q('50.0.244.10.in-addr.arpa', 'PTR').answers.map((a) => a.data), ['web-0.web.shop.svc.cluster.local.']);
});

// plugin/kubernetes/reverse.go: no service or endpoint with the address → errNoItems; kubeadm's
// Corefile has `fallthrough in-addr.arpa ip6.arpa`, so the PTR query goes on to forward.
test('kubernetes plugin: PTR of an address nobody has falls through to forward under kubeadm\'s "fallthrough in-addr.arpa ip6.arpa"', () => {
  const up = upstreams({ '192.168.0.1': '99.0.244.10.in-addr.arpa. 600 IN PTR printer.corp.example.\n' });
  const r = dnsQuery(cluster.realised, { name: '99.0.244.10.in-addr.arpa', type: 'PTR', upstreams: up });
  assert.deepEqual(r.answers.map((a) => a.data), ['printer.corp.example.']);
  assert.ok(r.hops.some((h) => h.at === 'dns/coredns/forward'), 'the query went to forward');
  const c = clusterOf(yaml + corefileCM('.:53 {\n  kubernetes cluster.local in-addr.arpa ip6.arpa\n  forward . 192.168.0.1\n}\n'), DUAL);
  const n = dnsQuery(c.realised, { name: '99.0.244.10.in-addr.arpa', type: 'PTR', upstreams: up });
  assert.equal(n.rcode, 'NXDOMAIN', 'without fallthrough the plugin answers NXDOMAIN itself');
  assert.equal(n.authority[0]?.type, 'SOA');
});

// plugin/kubernetes/kubernetes.go findPods (verified): `for _, p := range k.APIConn.PodIndex(ip) { if ip
// == p.PodIP && match(namespace, p.Namespace) …` — the dashed name turned back into text must equal
// the pod's status.podIP as stored, so another spelling of the same IPv6 address matches nothing.
test('kubernetes plugin: pods verified matches the dashed name against the pod IP as text (fd00-10-244-0-0-0-0-5 is not fd00:10:244::5)', () => {
  const c = clusterOf(pod('shop', 'v6', { ip: 'fd00:10:244::5' }) + corefileCM('.:53 {\n  kubernetes cluster.local {\n    pods verified\n  }\n}\n'), { podSubnets: ['10.244.0.0/16', 'fd00:10:244::/56'] });
  assert.deepEqual(dnsQuery(c.realised, { name: 'fd00-10-244--5.shop.pod.cluster.local', type: 'AAAA' }).answers.map((a) => a.data), ['fd00:10:244::5']);
  assert.equal(dnsQuery(c.realised, { name: 'fd00-10-244-0-0-0-0-5.shop.pod.cluster.local', type: 'AAAA' }).rcode, 'NXDOMAIN');
  // under "pods insecure" any parsable spelling answers (net.ParseIP only)
  const i = clusterOf(pod('shop', 'v6', { ip: 'fd00:10:244::5' }), { podSubnets: ['10.244.0.0/16', 'fd00:10:244::/56'] });
  assert.equal(dnsQuery(i.realised, { name: 'fd00-10-244-0-0-0-0-5.shop.pod.cluster.local', type: 'AAAA' }).rcode, 'NOERROR');
});
