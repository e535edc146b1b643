import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addressFromReverse, dashedIP, fqdn, isSubdomain, matchZone, nameProblem, reverseName } from './names';

test('fqdn lower-cases and adds one trailing dot', () => {
  assert.equal(fqdn('Web.Shop'), 'web.shop.');
  assert.equal(fqdn('web.shop.'), 'web.shop.');
  assert.equal(fqdn(''), '.');
});

test('isSubdomain compares whole labels', () => {
  assert.ok(isSubdomain('cluster.local.', 'web.cluster.local.'));
  assert.ok(isSubdomain('cluster.local.', 'cluster.local.'));
  assert.ok(!isSubdomain('cluster.local.', 'xcluster.local.'));
  assert.ok(isSubdomain('.', 'anything.'));
  assert.equal(matchZone(['.', 'cluster.local.', 'local.'], 'a.cluster.local.'), 'cluster.local.');
});

test('reverse names round-trip for IPv4 and IPv6 (fast-check)', () => {
  fc.assert(fc.property(fc.ipV4(), (ip) => addressFromReverse(reverseName(ip)) === ip.split('.').map(Number).join('.')));
  fc.assert(fc.property(fc.ipV6(), (ip) => {
    const back = addressFromReverse(reverseName(ip.toLowerCase()));
    return back !== '' && reverseName(back) === reverseName(ip.toLowerCase());
  }));
});

test('incomplete or malformed reverse names give no address', () => {
  assert.equal(addressFromReverse('0.96.10.in-addr.arpa.'), '');
  assert.equal(addressFromReverse('010.0.96.10.in-addr.arpa.'), '', 'leading zeros are not an address (Go net.ParseIP)');
  assert.equal(addressFromReverse('1.2.3.4.example.'), '');
});

test('dashed endpoint names', () => {
  assert.equal(dashedIP('10.244.1.5'), '10-244-1-5');
  assert.equal(dashedIP('fd00::1'), 'fd00--1');
});

test('names that cannot be sent', () => {
  assert.equal(nameProblem('web.shop'), null);
  assert.match(nameProblem('web..shop')!, /empty label/);
  assert.match(nameProblem('x'.repeat(64))!, /at most 63/);
  assert.match(nameProblem('')!, /empty/);
});
