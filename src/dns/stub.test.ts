// The stub resolvers' search rules, against glibc's res_query.c (__res_context_search) and musl's
// lookup_name.c (name_from_dns_search), with a fake DNS that answers from a table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stubResolve, type Flavor } from './stub';
import { message, rr, type DnsMessage, type Rcode } from './types';

const SEARCH = ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example'];

/** name → rcode (and "A" for an answer); anything else NXDOMAIN */
function dns(table: Record<string, Rcode | 'A'>) {
  const asked: string[] = [];
  const ask = (_server: string, name: string): DnsMessage => {
    asked.push(name);
    const v = table[name];
    if (v === 'A') return message('NOERROR', [rr(name, 'A', 30, '10.0.0.1')]);
    return message(v ?? 'NXDOMAIN');
  };
  return { ask, asked };
}

function run(flavor: Flavor, name: string, table: Record<string, Rcode | 'A'>, ndots = 5, nameservers = ['10.96.0.10']) {
  const d = dns(table);
  const out = stubResolve(name, 'A', { nameservers, search: SEARCH, ndots }, flavor, d.ask, [], 'pod/x');
  return { out, asked: d.asked };
}

const cases: { name: string; flavor: Flavor; q: string; table: Record<string, Rcode | 'A'>; ndots?: number; asked: string[]; rcode: Rcode; found?: string | null }[] = [
  { name: 'glibc: a short name goes through the search list and stops at the first answer', flavor: 'glibc', q: 'web.shop', table: { 'web.shop.svc.cluster.local.': 'A' },
    asked: ['web.shop.shop.svc.cluster.local.', 'web.shop.svc.cluster.local.'], rcode: 'NOERROR', found: 'web.shop.svc.cluster.local.' },
  { name: 'glibc: nothing found: every search domain, then the name as is', flavor: 'glibc', q: 'nope', table: {},
    asked: ['nope.shop.svc.cluster.local.', 'nope.svc.cluster.local.', 'nope.cluster.local.', 'nope.corp.example.', 'nope.'], rcode: 'NXDOMAIN', found: null },
  { name: 'glibc: a trailing dot is absolute: one query', flavor: 'glibc', q: 'nope.', table: {}, asked: ['nope.'], rcode: 'NXDOMAIN' },
  { name: 'glibc: ndots reached: as is first, then the search list', flavor: 'glibc', q: 'a.b.c.d.e.f', table: { 'a.b.c.d.e.f.svc.cluster.local.': 'A' },
    asked: ['a.b.c.d.e.f.', 'a.b.c.d.e.f.shop.svc.cluster.local.', 'a.b.c.d.e.f.svc.cluster.local.'], rcode: 'NOERROR' },
  { name: 'glibc: ndots reached and nothing found: the first (as is) answer is what the caller gets', flavor: 'glibc', q: 'a.b.c.d.e.f', table: { 'a.b.c.d.e.f.': 'NXDOMAIN', 'a.b.c.d.e.f.corp.example.': 'SERVFAIL' },
    asked: ['a.b.c.d.e.f.', 'a.b.c.d.e.f.shop.svc.cluster.local.', 'a.b.c.d.e.f.svc.cluster.local.', 'a.b.c.d.e.f.cluster.local.', 'a.b.c.d.e.f.corp.example.'], rcode: 'NXDOMAIN' },
  { name: 'glibc: NODATA goes on, and is what the caller gets when nothing answers', flavor: 'glibc', q: 'x', table: { 'x.svc.cluster.local.': 'NOERROR' },
    asked: ['x.shop.svc.cluster.local.', 'x.svc.cluster.local.', 'x.cluster.local.', 'x.corp.example.', 'x.'], rcode: 'NOERROR', found: 'x.svc.cluster.local.' },
  { name: 'glibc: SERVFAIL goes on to the next search domain', flavor: 'glibc', q: 'x', table: { 'x.shop.svc.cluster.local.': 'SERVFAIL', 'x.cluster.local.': 'A' },
    asked: ['x.shop.svc.cluster.local.', 'x.svc.cluster.local.', 'x.cluster.local.'], rcode: 'NOERROR' },
  { name: 'glibc: REFUSED ends the search list; the name as is is still asked', flavor: 'glibc', q: 'x', table: { 'x.svc.cluster.local.': 'REFUSED' },
    asked: ['x.shop.svc.cluster.local.', 'x.svc.cluster.local.', 'x.'], rcode: 'NXDOMAIN' },
  { name: 'musl: a short name through the search list, only NXDOMAIN moves on', flavor: 'musl', q: 'web.shop', table: { 'web.shop.svc.cluster.local.': 'A' },
    asked: ['web.shop.shop.svc.cluster.local.', 'web.shop.svc.cluster.local.'], rcode: 'NOERROR' },
  { name: 'musl: NODATA in a search domain ends the lookup', flavor: 'musl', q: 'x', table: { 'x.svc.cluster.local.': 'NOERROR', 'x.': 'A' },
    asked: ['x.shop.svc.cluster.local.', 'x.svc.cluster.local.'], rcode: 'NOERROR', found: 'x.svc.cluster.local.' },
  { name: 'musl: SERVFAIL in a search domain ends the lookup', flavor: 'musl', q: 'x', table: { 'x.shop.svc.cluster.local.': 'SERVFAIL', 'x.': 'A' },
    asked: ['x.shop.svc.cluster.local.'], rcode: 'SERVFAIL', found: null },
  { name: 'musl: ndots reached: the name as is only, never the search list', flavor: 'musl', q: 'a.b', ndots: 1, table: { 'a.b.svc.cluster.local.': 'A' },
    asked: ['a.b.'], rcode: 'NXDOMAIN', found: null },
  { name: 'glibc: ndots reached but failing: the search list is the fallback', flavor: 'glibc', q: 'a.b', ndots: 1, table: { 'a.b.svc.cluster.local.': 'A' },
    asked: ['a.b.', 'a.b.shop.svc.cluster.local.', 'a.b.svc.cluster.local.'], rcode: 'NOERROR' },
  // glibc resolv/res_query.c __res_context_search: after the walk, `if (saved_herrno != -1) …
  // else if (got_nodata) NO_DATA else if (got_servfail) TRY_AGAIN`
  { name: 'glibc: a SERVFAIL in the search list and NXDOMAIN elsewhere: the caller gets SERVFAIL (got_servfail → TRY_AGAIN), not the last NXDOMAIN', flavor: 'glibc', q: 'x', table: { 'x.svc.cluster.local.': 'SERVFAIL' },
    asked: ['x.shop.svc.cluster.local.', 'x.svc.cluster.local.', 'x.cluster.local.', 'x.corp.example.', 'x.'], rcode: 'SERVFAIL', found: null },
  { name: 'glibc: NODATA outranks SERVFAIL in what the caller gets (got_nodata is checked first)', flavor: 'glibc', q: 'x', table: { 'x.shop.svc.cluster.local.': 'SERVFAIL', 'x.cluster.local.': 'NOERROR' },
    asked: ['x.shop.svc.cluster.local.', 'x.svc.cluster.local.', 'x.cluster.local.', 'x.corp.example.', 'x.'], rcode: 'NOERROR', found: 'x.cluster.local.' },
];

for (const c of cases) {
  test(c.name, () => {
    const r = run(c.flavor, c.q, c.table, c.ndots);
    assert.deepEqual(r.asked, c.asked);
    assert.deepEqual(r.out.tried.map((t) => t.name), c.asked, 'every try is in tried');
    assert.equal(r.out.final.rcode, c.rcode);
    if (c.found !== undefined) assert.equal(r.out.finalName, c.found);
  });
}

test('glibc asks the next nameserver on SERVFAIL; the last one\'s answer stands', () => {
  const asked: string[] = [];
  const ask = (server: string, name: string) => { asked.push(`${server} ${name}`); return server === '10.0.0.1' ? message('SERVFAIL') : message('NOERROR', [rr(name, 'A', 5, '1.2.3.4')]); };
  const out = stubResolve('x.', 'A', { nameservers: ['10.0.0.1', '10.0.0.2'], search: [], ndots: 1 }, 'glibc', ask, null, 'p');
  assert.deepEqual(asked, ['10.0.0.1 x.', '10.0.0.2 x.']);
  assert.equal(out.finalServer, '10.0.0.2');
  assert.equal(out.final.rcode, 'NOERROR');
});

test('with ndots 1, glibc asks a dotless name through the search list first, then as is', () => {
  const r = run('glibc', 'host', {}, 1);
  assert.equal(r.asked[0], 'host.shop.svc.cluster.local.');
  assert.equal(r.asked[r.asked.length - 1], 'host.');
});
