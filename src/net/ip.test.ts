import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bigIntToIP, canonicalIP, cidrContains, cidrsOverlap, hostPort, intToIpv4, ipToBigInt, ipv4ToInt, isCIDR, isIP, isStrictCIDR, nthAddress, offsetIn, parseCIDR, subnet } from './ip';

test('parseCIDR masks host bits and sizes the range', () => {
  const c = parseCIDR('10.244.3.7/16');
  assert.equal(c.text, '10.244.0.0/16');
  assert.equal(c.size, 65536n);
  assert.equal(isStrictCIDR('10.244.3.7/16'), false);
  assert.equal(isStrictCIDR('10.244.0.0/16'), true);
});

test("the service range's 10th address is kube-dns's default (kubeadm)", () => {
  assert.equal(nthAddress(parseCIDR('10.96.0.0/12'), 10), '10.96.0.10');
  assert.equal(nthAddress(parseCIDR('fd00:10:96::/112'), 10), 'fd00:10:96::a');
});

test('per-node /24 subnets are cut in order from the pod range', () => {
  const pods = parseCIDR('10.244.0.0/16');
  assert.equal(subnet(pods, 24, 0).text, '10.244.0.0/24');
  assert.equal(subnet(pods, 24, 255).text, '10.244.255.0/24');
  assert.throws(() => subnet(pods, 24, 256), /holds only 256/);
});

test('containment and overlap respect families', () => {
  const c = parseCIDR('10.244.1.0/24');
  assert.ok(cidrContains(c, '10.244.1.255'));
  assert.ok(!cidrContains(c, '10.244.2.0'));
  assert.ok(!cidrContains(c, '::1'));
  assert.equal(offsetIn(c, '10.244.1.2'), 2n);
  assert.equal(offsetIn(c, '10.0.0.1'), -1n);
  assert.ok(cidrsOverlap(parseCIDR('10.96.0.0/12'), parseCIDR('10.100.0.0/16')));
  assert.ok(!cidrsOverlap(parseCIDR('10.96.0.0/12'), parseCIDR('10.244.0.0/16')));
});

test('address validation rejects what the API server rejects', () => {
  assert.ok(isIP('10.0.0.1'));
  assert.ok(isIP('fd00::1'));
  assert.ok(!isIP('10.0.0'));
  assert.ok(!isIP('10.0.0.256'));
  assert.ok(!isIP('010.0.0.1x'));
  assert.ok(!isCIDR('10.0.0.0/33'));
  assert.equal(canonicalIP('FD00:0:0::1'), 'fd00::1');
  assert.equal(hostPort('fd00::1', 80), '[fd00::1]:80');
});

test('ipv4ToInt agrees with the bigint path on every address (property)', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
    const s = intToIpv4(n);
    return ipv4ToInt(s) === n && ipToBigInt(s) === BigInt(n) && bigIntToIP(BigInt(n), 4) === s;
  }));
  assert.equal(ipv4ToInt('1.2.3'), -1);
  assert.equal(ipv4ToInt('1.2.3.999'), -1);
});

test('isIP and cidrContains take dotted quads without the parser, and agree with ipaddr.js (four-part decimal, no leading zeros)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ipaddr = require('ipaddr.js');
  const byParser = (s: string) => ipaddr.isValid(s) && (ipaddr.IPv4.isValidFourPartDecimal(s) || (s.includes(':') && ipaddr.IPv6.isValid(s)));
  const part = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.integer({ min: 0, max: 99 }).map((n) => '0' + n), fc.constantFrom('', 'x', '0x1'));
  const quad = fc.array(part, { minLength: 2, maxLength: 5 }).map((p) => p.join('.'));
  fc.assert(fc.property(quad, (s) => isIP(s) === byParser(s)), { numRuns: 3000 });
  const c = parseCIDR('10.244.0.0/16');
  fc.assert(fc.property(quad, (s) => cidrContains(c, s) === (byParser(s) && !s.includes(':') && ipaddr.parse(s).match(ipaddr.parse('10.244.0.0'), 16))), { numRuns: 3000 });
});
