// Cluster DNS: upstream fixtures, the Corefile and the node's resolv.conf as givens; lookups from
// pods (through their resolv.conf and search list) or straight to the cluster DNS; answers in the
// domain's notation (`| type | data |`, `A 10.96.0.10`); resolv.conf and environment checks. Every
// lookup attaches its trace; every failure shows expected vs actual, the names tried and the trace.
import { Given, Then, When, defineParameterType, type DataTable } from '@cucumber/cucumber';
import {
  coreDns, fqdn, recordFromText, renderResolvConf, rrCell, upstreamsFrom,
  type DnsResult, type RR, type RRType,
} from '../src/dns';
import { setOrigin } from '../src/model/types';
import { canonicalIP, isIP } from '../src/net/ip';
import { renderHops } from '../src/net/trace';
import { diagnosticsText, indent, mismatch, realPod, representativePod, roleAddresses } from './support';
import type { NetspecWorld } from './world';

defineParameterType({ name: 'dnstype', regexp: /A|AAAA|CNAME|TXT|MX|SRV|NS|PTR|SOA/, transformer: (s: string) => s as RRType });
defineParameterType({ name: 'rcode', regexp: /NOERROR|NXDOMAIN|SERVFAIL|REFUSED/, transformer: (s: string) => s });
/** the rest of the step: record data in zone-file notation */
defineParameterType({ name: 'rdata', regexp: /\S.*/, transformer: (s: string) => s.trim(), useForSnippets: false }); // matches any text: never offered in a snippet

// ---- fixtures ----------------------------------------------------------------------------------

interface Fixture {
  /** null: "the upstream DNS", i.e. the node's resolv.conf nameservers */
  server: string | null;
  text: string;
  file: string;
  line: number;
  col: number;
}

function fixtures(world: NetspecWorld): Fixture[] {
  return world.overrides.upstreamDNS ?? [];
}

/** Fixtures travel with the scenario's cluster configuration, so connects to names see them too. */
function addFixture(world: NetspecWorld, f: Fixture): void {
  world.setConfig({ upstreamDNS: [...fixtures(world), f] });
}

function server(ip: string): string {
  if (!isIP(ip)) throw new Error(`"${ip}" is not an IP address`);
  return canonicalIP(ip);
}

function addRecord(world: NetspecWorld, srv: string | null, name: string, type: RRType, data: string): void {
  const r = recordFromText(name, type, data);
  if (typeof r === 'string') throw new Error(`upstream record ${name} ${type} ${data}: ${r}`);
  const pos = world.place.pos;
  addFixture(world, { server: srv, text: `${r.name} ${r.ttl} IN ${r.type} ${r.data}`, file: pos.file, line: pos.line, col: pos.col });
}

function addZone(world: NetspecWorld, srv: string | null, text: string): void {
  const pos = world.place.pos;
  const fixture: Fixture = { server: srv, text, file: pos.file, line: world.place.docStringLine ?? pos.line + 1, col: world.place.docStringCol ?? pos.col + 2 };
  addFixture(world, fixture);
  // fail early on a broken zone file, with its line
  const { errors } = upstreamsFrom([{ ...fixture, server: srv ?? '0.0.0.0' }]);
  if (errors.length) throw new Error(`the zone file has errors:\n${diagnosticsText(errors)}`);
}

Given('the upstream DNS {ip} answers {string} with {dnstype} {rdata}', function (this: NetspecWorld, ip: string, name: string, type: RRType, data: string) {
  addRecord(this, server(ip), name, type, data);
});

Given('the upstream DNS answers {string} with {dnstype} {rdata}', function (this: NetspecWorld, name: string, type: RRType, data: string) {
  addRecord(this, null, name, type, data);
});

Given('the upstream DNS {ip} serves the zone:', function (this: NetspecWorld, ip: string, text: string) {
  addZone(this, server(ip), text);
});

Given('the upstream DNS serves the zone:', function (this: NetspecWorld, text: string) {
  addZone(this, null, text);
});

Given('the Corefile:', function (this: NetspecWorld, text: string) {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: text } };
  this.addObject(cm);
  // Corefile line N sits on the doc string's N-th line: the origin is written as the block scalar
  // `Corefile: |` would sit in YAML, its key on the line before the text and two columns left of it,
  // and data.Corefile's position is the value's (after "Corefile: "), as the DNS module reads it
  const pos = this.place.pos;
  const first = this.place.docStringLine ?? pos.line + 1;
  const keyCol = (this.place.docStringCol ?? pos.col + 2) - 2;
  setOrigin(cm, { ...pos, at: (path) => (path[0] === 'data' ? { file: pos.file, line: first - 1, col: keyCol + 'Corefile: '.length } : { ...pos }) });
});

Given("the node's resolv.conf:", function (this: NetspecWorld, text: string) {
  this.setConfig({ nodeResolvConf: text.endsWith('\n') ? text : text + '\n' });
});

Given('the cluster domain is {string}', function (this: NetspecWorld, domain: string) {
  this.setConfig({ dnsDomain: domain });
});

// ---- lookups -----------------------------------------------------------------------------------

interface LastLookup { label: string; result: DnsResult }

function lookup(world: NetspecWorld, label: string, q: { name: string; type: RRType; from?: string; resolver?: 'glibc' | 'musl' }): void {
  if (q.from) realPod(world, q.from);
  const result = world.cluster.dns({ name: q.name, type: q.type, from: q.from, resolver: q.resolver });
  world.last.dns = { label, result } satisfies LastLookup;
  world.attachTrace(`${label}: ${result.rcode}\n${triedText(result)}`, result.hops);
}

function last(world: NetspecWorld): LastLookup {
  const l = world.last.dns as LastLookup | undefined;
  if (!l) throw new Error('no DNS lookup was made in this scenario yet (use a "When … looks up …" step first)');
  return l;
}

function triedText(r: DnsResult): string {
  return r.tried.map((t, i) => `  ${i + 1}. ${t.name} → ${t.rcode}${t.rcode === 'NOERROR' ? ` (${t.answers} answer${t.answers === 1 ? '' : 's'})` : ''}`).join('\n');
}

function answerText(r: DnsResult): string {
  if (r.rcode !== 'NOERROR') return r.rcode;
  if (!r.answers.length) return 'NODATA (NOERROR, no answers)';
  return r.answers.map(rrCell).join(', ');
}

function fail(l: LastLookup, expected: string, actual: string): never {
  throw mismatch(l.label, expected, actual, `names tried:\n${triedText(l.result)}\n\ntrace:\n${renderHops(l.result.hops)}`);
}

When('pod {string} in namespace {string} looks up {string}', function (this: NetspecWorld, pod: string, ns: string, name: string) {
  lookup(this, `pod ${ns}/${pod} looks up ${name} A`, { name, type: 'A', from: `${ns}/${pod}` });
});

When('pod {string} in namespace {string} looks up the {dnstype} record(s) of {string}', function (this: NetspecWorld, pod: string, ns: string, type: RRType, name: string) {
  lookup(this, `pod ${ns}/${pod} looks up ${name} ${type}`, { name, type, from: `${ns}/${pod}` });
});

When('pod {string} in namespace {string} looks up {string} with the musl resolver', function (this: NetspecWorld, pod: string, ns: string, name: string) {
  lookup(this, `pod ${ns}/${pod} (musl) looks up ${name} A`, { name, type: 'A', from: `${ns}/${pod}`, resolver: 'musl' });
});

When('pod {string} in namespace {string} looks up {string} with the glibc resolver', function (this: NetspecWorld, pod: string, ns: string, name: string) {
  lookup(this, `pod ${ns}/${pod} (glibc) looks up ${name} A`, { name, type: 'A', from: `${ns}/${pod}`, resolver: 'glibc' });
});

When('the cluster DNS is asked for {string}', function (this: NetspecWorld, name: string) {
  lookup(this, `the cluster DNS is asked for ${name} A`, { name, type: 'A' });
});

When('the cluster DNS is asked for the {dnstype} record(s) of {string}', function (this: NetspecWorld, type: RRType, name: string) {
  lookup(this, `the cluster DNS is asked for ${name} ${type}`, { name, type });
});

// ---- answers -----------------------------------------------------------------------------------

/** Compares records with a table (| type | data | and optionally | name | ttl |), order aside. */
function compareRecords(l: LastLookup, section: 'answers' | 'authority' | 'additional', table: DataTable): void {
  const rows = table.hashes();
  if (!rows.length) throw new Error(`the table of expected ${section} is empty: write | type | data | rows`);
  const actual = l.result[section] as RR[];
  const used = new Set<number>();
  const missing: string[] = [];
  for (const row of rows) {
    const i = actual.findIndex((a, k) => !used.has(k)
      && a.type === (row.type ?? '').trim()
      && a.data === (row.data ?? '').trim()
      && (row.name === undefined || a.name === fqdn(row.name.trim()))
      && (row.ttl === undefined || String(a.ttl) === row.ttl.trim()));
    if (i < 0) missing.push(Object.entries(row).map(([k, v]) => `${k}=${v}`).join(' '));
    else used.add(i);
  }
  const extra = actual.filter((_, k) => !used.has(k));
  if (missing.length || extra.length) {
    const show = (x: RR[]) => x.map((a) => `${a.name} ${a.ttl} ${rrCell(a)}`).join('; ') || 'none';
    fail(l, `${section}: ${rows.map((r) => `${r.type} ${r.data}`).join(', ')}`,
      `${section}: ${show(actual)} (rcode ${l.result.rcode})${missing.length ? `\n  missing:  ${missing.join('; ')}` : ''}${extra.length ? `\n  unexpected: ${show(extra)}` : ''}`);
  }
}

Then('the answer is:', function (this: NetspecWorld, table: DataTable) {
  const l = last(this);
  if (l.result.rcode !== 'NOERROR') fail(l, 'NOERROR with answers', answerText(l.result));
  compareRecords(l, 'answers', table);
});

Then('the answer is {dnstype} {rdata}', function (this: NetspecWorld, type: RRType, data: string) {
  const l = last(this);
  const a = l.result.answers;
  if (l.result.rcode !== 'NOERROR' || a.length !== 1 || a[0].type !== type || a[0].data !== data) fail(l, `${type} ${data}`, answerText(l.result));
});

Then('the answers include {dnstype} {rdata}', function (this: NetspecWorld, type: RRType, data: string) {
  const l = last(this);
  if (!l.result.answers.some((a) => a.type === type && a.data === data)) fail(l, `an answer ${type} ${data}`, answerText(l.result));
});

function podIPs(world: NetspecWorld, keys: string[]): string[] {
  return keys.map((k) => {
    const p = realPod(world, k);
    if (!p.ip) throw new Error(`pod ${k} has no IP`);
    return p.ip;
  });
}

Then('the answer is the address of pod {string} in namespace {string}', function (this: NetspecWorld, pod: string, ns: string) {
  const l = last(this);
  const [ip] = podIPs(this, [`${ns}/${pod}`]);
  const a = l.result.answers.filter((x) => x.type === 'A' || x.type === 'AAAA');
  if (l.result.rcode !== 'NOERROR' || a.length !== 1 || a[0].data !== ip) fail(l, `A ${ip} (pod ${ns}/${pod})`, answerText(l.result));
});

Then('the answers are the addresses of pods {names} in namespace {string}', function (this: NetspecWorld, pods: string[], ns: string) {
  const l = last(this);
  const ips = podIPs(this, pods.map((p) => `${ns}/${p}`)).sort();
  const got = l.result.answers.filter((x) => x.type === 'A' || x.type === 'AAAA').map((x) => x.data).sort();
  if (l.result.rcode !== 'NOERROR' || ips.join(',') !== got.join(',')) fail(l, `A ${ips.join(', ')} (pods ${pods.join(', ')})`, answerText(l.result));
});

Then('the authority section is:', function (this: NetspecWorld, table: DataTable) {
  compareRecords(last(this), 'authority', table);
});

Then('the additional section is:', function (this: NetspecWorld, table: DataTable) {
  compareRecords(last(this), 'additional', table);
});

Then('the rcode is {rcode}', function (this: NetspecWorld, rcode: string) {
  const l = last(this);
  if (l.result.rcode !== rcode) fail(l, rcode, answerText(l.result));
});

Then('the name does not exist \\(NXDOMAIN\\)', function (this: NetspecWorld) {
  const l = last(this);
  if (l.result.rcode !== 'NXDOMAIN') fail(l, 'NXDOMAIN', answerText(l.result));
});

Then('the name exists without a record of that type \\(NODATA\\)', function (this: NetspecWorld) {
  const l = last(this);
  if (l.result.rcode !== 'NOERROR' || l.result.answers.length) fail(l, 'NODATA (NOERROR, no answers)', answerText(l.result));
});

Then('the answer came from {string}', function (this: NetspecWorld, name: string) {
  const l = last(this);
  if (l.result.name !== fqdn(name)) fail(l, `the answer for ${fqdn(name)}`, `the answer for ${l.result.name ?? 'no name (every try failed)'}`);
});

Then('the names tried are:', function (this: NetspecWorld, table: DataTable) {
  const l = last(this);
  const rows = table.hashes();
  const want = rows.map((r) => `${fqdn(r.name.trim())} ${(r.rcode ?? '').trim()}`.trim());
  const got = l.result.tried.map((t, i) => (rows[i]?.rcode !== undefined ? `${t.name} ${t.rcode}` : t.name));
  if (want.length !== got.length || want.some((w, i) => w !== got[i])) {
    fail(l, `tried:\n    ${want.join('\n    ')}`, `tried:\n    ${l.result.tried.map((t) => `${t.name} ${t.rcode}`).join('\n    ')}`);
  }
});

Then('the first name tried is {string}', function (this: NetspecWorld, name: string) {
  const l = last(this);
  if (l.result.tried[0]?.name !== fqdn(name)) fail(l, `first try ${fqdn(name)}`, `first try ${l.result.tried[0]?.name ?? 'none'}`);
});

Then('the lookup sent {int} query/queries', function (this: NetspecWorld, n: number) {
  const l = last(this);
  if (l.result.tried.length !== n) fail(l, `${n} queries`, `${l.result.tried.length} queries`);
});

Then('the DNS trace mentions {string}', function (this: NetspecWorld, text: string) {
  const l = last(this);
  if (!l.result.hops.some((h) => h.detail.includes(text) || (h.source?.what ?? '').includes(text))) fail(l, `a hop mentioning "${text}"`, 'no such hop');
});

Then('these names resolve from pod {string} in namespace {string}:', function (this: NetspecWorld, pod: string, ns: string, table: DataTable) {
  const failures: string[] = [];
  for (const row of table.hashes()) {
    const name = (row.name ?? '').trim();
    const type = ((row.type ?? 'A').trim() || 'A') as RRType;
    const want = (row.answer ?? '').trim();
    lookup(this, `pod ${ns}/${pod} looks up ${name} ${type}`, { name, type, from: `${ns}/${pod}` });
    const r = (this.last.dns as LastLookup).result;
    const got = r.rcode !== 'NOERROR' ? r.rcode : r.answers.length ? r.answers.map(rrCell).join(', ') : 'NODATA';
    if (got !== want) failures.push(`  ${name} ${type}: expected ${want}, got ${got} (tried ${r.tried.map((t) => `${t.name} ${t.rcode}`).join(', ')})`);
  }
  if (failures.length) throw new Error(`${failures.length} of ${table.hashes().length} lookups differ:\n${failures.join('\n')}`);
});

// ---- CoreDNS -----------------------------------------------------------------------------------

/** A Corefile warning whose message mentions `text` (or whose code is `text`), at `line` if given. */
function corefileWarns(world: NetspecWorld, text: string, line?: number): void {
  const w = coreDns(world.cluster.realised).warnings;
  if (!w.some((x) => (x.message.includes(text) || x.code === text) && (line === undefined || x.pos?.line === line))) {
    throw new Error(`expected a Corefile warning mentioning "${text}"${line === undefined ? '' : ` at line ${line}`}\n  actual warnings:\n${diagnosticsText(w, '    ') || '    none'}`);
  }
}

Then('CoreDNS warns {string}', function (this: NetspecWorld, text: string) {
  corefileWarns(this, text);
});

Then('CoreDNS warns {string} at line {int}', function (this: NetspecWorld, text: string, line: number) {
  corefileWarns(this, text, line);
});

// ---- resolv.conf -------------------------------------------------------------------------------

Then('the resolv.conf of pod {string} in namespace {string} is:', function (this: NetspecWorld, pod: string, ns: string, text: string) {
  const rc = this.cluster.resolvConf(`${ns}/${pod}`);
  const got = renderResolvConf(rc).trim();
  const want = text.trim().split('\n').map((l) => l.trim()).join('\n');
  this.attachText(`resolv.conf of ${ns}/${pod}\n${got}`);
  if (got !== want) throw new Error(`resolv.conf of ${ns}/${pod}\n  expected:\n${indent(want)}\n  actual:\n${indent(got)}${rc.notes.length ? `\n  notes: ${rc.notes.join('; ')}` : ''}${rc.warnings.length ? `\n  kubelet warnings: ${rc.warnings.join('; ')}` : ''}`);
});

Then('the kubelet warns about pod {string} in namespace {string}: {string}', function (this: NetspecWorld, pod: string, ns: string, text: string) {
  const rc = this.cluster.resolvConf(`${ns}/${pod}`);
  if (!rc.warnings.some((w) => w.includes(text))) throw new Error(`expected a kubelet DNSConfigForming warning mentioning "${text}"\n  actual: ${rc.warnings.join('; ') || 'none'}`);
});

// ---- environment -------------------------------------------------------------------------------

function envOf(world: NetspecWorld, pod: string, ns: string, container?: string) {
  const res = world.cluster.env(`${ns}/${pod}`, container);
  world.attachText(`environment of ${ns}/${pod} (${res.container})\n${Object.entries(res.env).map(([k, v]) => `${k}=${v}`).join('\n')}`);
  return res;
}

function checkEnv(world: NetspecWorld, pod: string, ns: string, table: DataTable, container?: string): void {
  const res = envOf(world, pod, ns, container);
  const wrong: string[] = [];
  for (const row of table.hashes()) {
    const k = (row.name ?? '').trim(), v = (row.value ?? '').trim();
    if (res.env[k] !== v) wrong.push(`  ${k}: expected ${v}, got ${res.env[k] === undefined ? '(not set)' : res.env[k]}`);
  }
  if (wrong.length) throw new Error(`environment of ${ns}/${pod} (${res.container}):\n${wrong.join('\n')}\n\nall variables:\n${Object.entries(res.env).map(([k, v]) => `  ${k}=${v}`).join('\n')}`);
}

Then('pod {string} in namespace {string} has the environment variables:', function (this: NetspecWorld, pod: string, ns: string, table: DataTable) {
  checkEnv(this, pod, ns, table);
});

Then('container {string} of pod {string} in namespace {string} has the environment variables:', function (this: NetspecWorld, ctr: string, pod: string, ns: string, table: DataTable) {
  checkEnv(this, pod, ns, table, ctr);
});

Then('pod {string} in namespace {string} has no environment variables starting with {string}', function (this: NetspecWorld, pod: string, ns: string, prefix: string) {
  const res = envOf(this, pod, ns);
  const bad = Object.keys(res.env).filter((k) => k.startsWith(prefix));
  if (bad.length) throw new Error(`environment of ${ns}/${pod}: expected no variable starting with ${prefix}, got ${bad.join(', ')}`);
});


// ---- by role (src/roles): no allocated address or generated pod name in the spec -----------------

When('a pod of {workload} {string} in namespace {string} looks up {string}', function (this: NetspecWorld, kind: string, name: string, ns: string, host: string) {
  const pod = representativePod(this, `${ns}/${kind}/${name}`);
  lookup(this, `a pod of ${kind} ${ns}/${name} (${pod}) looks up ${host} A`, { name: host, type: 'A', from: pod });
});

When('a pod of {workload} {string} in namespace {string} looks up the {dnstype} record(s) of {string}', function (this: NetspecWorld, kind: string, name: string, ns: string, type: RRType, host: string) {
  const pod = representativePod(this, `${ns}/${kind}/${name}`);
  lookup(this, `a pod of ${kind} ${ns}/${name} (${pod}) looks up ${host} ${type}`, { name: host, type, from: pod });
});

Then('the answer is the cluster IP of service {string} in namespace {string}', function (this: NetspecWorld, svc: string, ns: string) {
  const l = last(this);
  const ips = roleAddresses(this, `${ns}/svc/${svc}`, 'cluster');
  const got = l.result.answers.filter((x) => x.type === 'A' || x.type === 'AAAA').map((x) => x.data).sort();
  if (l.result.rcode !== 'NOERROR' || got.join(',') !== ips.join(',')) fail(l, `${ips.join(', ')} (the cluster IP of service ${ns}/${svc})`, answerText(l.result));
});

Then('the answers are the pod IPs of {workload} {string} in namespace {string}', function (this: NetspecWorld, kind: string, name: string, ns: string) {
  const l = last(this);
  const ips = roleAddresses(this, `${ns}/${kind}/${name}`, 'pods');
  const got = l.result.answers.filter((x) => x.type === 'A' || x.type === 'AAAA').map((x) => x.data).sort();
  if (l.result.rcode !== 'NOERROR' || got.join(',') !== ips.join(',')) fail(l, `${ips.join(', ')} (the pod IPs of ${kind} ${ns}/${name})`, answerText(l.result));
});
