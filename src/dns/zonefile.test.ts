import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTTL, parseZoneFile, recordFromText } from './zonefile';

const ZONE = `$ORIGIN example.com.
$TTL 1h
@        IN SOA ns1 hostmaster (
            2024010101 ; serial
            7200 3600 1209600
            60 )       ; negative TTL
         IN NS  ns1
ns1      IN A   192.0.2.1
www  300 IN CNAME edge
edge     IN A   192.0.2.80
         IN AAAA 2001:db8::80
txt      IN TXT "hello world" "two"
_sip._tcp IN SRV 10 60 5060 sip.example.com.
mail     IN MX  10 mx.example.net.
*.wild   IN A   192.0.2.99
a.b.deep IN A   192.0.2.7
loop1    IN CNAME loop2
loop2    IN CNAME loop1
`;

const z = () => parseZoneFile(ZONE, '1.1.1.1', 'up.zone').zone;

test('zone files: $ORIGIN, $TTL with units, @, blank owners, relative names, parentheses, comments', () => {
  const r = parseZoneFile(ZONE, '1.1.1.1', 'up.zone');
  assert.deepEqual(r.errors, []);
  const recs = r.zone.records.map((x) => `${x.name} ${x.ttl} ${x.type} ${x.data}`);
  assert.ok(recs.includes('example.com. 3600 SOA ns1.example.com. hostmaster.example.com. 2024010101 7200 3600 1209600 60'));
  assert.ok(recs.includes('example.com. 3600 NS ns1.example.com.'), 'a blank owner repeats the previous one');
  assert.ok(recs.includes('www.example.com. 300 CNAME edge.example.com.'));
  assert.ok(recs.includes('edge.example.com. 3600 AAAA 2001:db8::80'));
  assert.ok(recs.includes('txt.example.com. 3600 TXT "hello world" "two"'));
  assert.ok(recs.includes('_sip._tcp.example.com. 3600 SRV 10 60 5060 sip.example.com.'));
  assert.ok(recs.includes('mail.example.com. 3600 MX 10 mx.example.net.'));
});

const cases: [string, string, string, string[]][] = [
  ['an address', 'edge.example.com', 'A', ['A 192.0.2.80']],
  ['a CNAME followed inside the fixture', 'www.example.com', 'A', ['CNAME edge.example.com.', 'A 192.0.2.80']],
  ['the CNAME itself when asked for', 'www.example.com', 'CNAME', ['CNAME edge.example.com.']],
  ['case-insensitive names', 'EDGE.Example.COM.', 'A', ['A 192.0.2.80']],
  ['a wildcard (RFC 4592)', 'anything.wild.example.com', 'A', ['A 192.0.2.99']],
];
for (const [what, name, type, want] of cases) {
  test(`upstream fixture answers ${what}`, () => {
    const m = z().answer(name, type as any);
    assert.equal(m.rcode, 'NOERROR');
    assert.deepEqual(m.answers.map((a) => `${a.type} ${a.data}`), want);
  });
}

test('a name the fixture lacks is NXDOMAIN, with the zone SOA at the negative TTL (min of TTL and minimum, RFC 2308)', () => {
  const m = z().answer('nope.example.com', 'A');
  assert.equal(m.rcode, 'NXDOMAIN');
  assert.equal(m.authority[0].type, 'SOA');
  assert.equal(m.authority[0].ttl, 60);
});

test('a name with records of another type is NODATA; an empty non-terminal too', () => {
  assert.equal(z().answer('txt.example.com', 'A').rcode, 'NOERROR');
  assert.equal(z().answer('txt.example.com', 'A').answers.length, 0);
  const ent = z().answer('b.deep.example.com', 'A');
  assert.equal(ent.rcode, 'NOERROR');
  assert.equal(ent.answers.length, 0);
});

test('names outside every zone of the fixture are NXDOMAIN without SOA', () => {
  const m = z().answer('example.org', 'A');
  assert.equal(m.rcode, 'NXDOMAIN');
  assert.deepEqual(m.authority, []);
});

test('a CNAME loop ends in SERVFAIL, a CNAME to a missing name in NXDOMAIN with the chain', () => {
  assert.equal(z().answer('loop1.example.com', 'A').rcode, 'SERVFAIL');
  const zz = parseZoneFile('a.example. 60 IN CNAME gone.example.\n', 'x', 'f').zone;
  const m = zz.answer('a.example', 'A');
  assert.equal(m.rcode, 'NXDOMAIN');
  assert.deepEqual(m.answers.map((a) => a.data), ['gone.example.']);
});

test('errors carry file:line:col and a hint, all of them', () => {
  const r = parseZoneFile('$TTL forever\nwww IN A 300.1.1.1\nmx IN MX ten mail.\nx IN HINFO a b\n  IN A 1.2.3.4\n', 's', 'bad.zone', 10, 3);
  assert.deepEqual(r.errors.map((e) => [e.code, e.pos!.line]), [['NS-ZONEFILE', 10], ['NS-ZONEFILE', 11], ['NS-ZONEFILE', 12], ['NS-ZONEFILE', 13], ['NS-ZONEFILE', 14]]);
  assert.ok(r.errors.every((e) => e.hint.length > 0 && e.pos!.file === 'bad.zone'));
});

test('TTL units', () => {
  assert.equal(parseTTL('1h30m'), 5400);
  assert.equal(parseTTL('2d'), 172800);
  assert.equal(parseTTL('1w'), 604800);
  assert.equal(parseTTL('x'), null);
});

test('one record from a step', () => {
  const r = recordFromText('example.com', 'A', '93.184.216.34');
  assert.deepEqual(r, { name: 'example.com.', type: 'A', ttl: 3600, data: '93.184.216.34' });
  assert.equal(typeof recordFromText('example.com', 'A', '2001:db8::1'), 'string');
});
