import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, parseScript } from './script';

test('durations: 35s, 2m30s, 1.5s, 250ms, and a bare number of seconds', () => {
  assert.deepEqual(['35s', '2m30s', '1.5s', '250ms', 90].map(parseDuration), [35000, 150000, 1500, 250, 90000]);
  assert.equal(parseDuration('3x'), undefined);
  assert.equal(parseDuration(-1), undefined);
});

test('a script: apps with answers per probe and per path, exit, sigterm, preStop; events', () => {
  const { script, errors } = parseScript(`apps:
- pod: shop/web
  container: app
  probes:
    liveness: [{from: 35s, answer: hang}]
    all: [{from: 0s, to: 5s, answer: 503}]
  paths:
    /healthz: [{answer: {status: 302, location: /login}}]
  exit: {after: 50s, code: 1}
  sigterm: ignore
  preStop: 5s
- namespace: shop
  selector: app=db
  clock: pod
  sigterm: {exitCode: 0}
events:
- {at: 60s, delete: shop/web}
- {at: 20s, condition: {pod: shop/web, type: example.com/lb, status: "True"}}
`, 'app.yaml');
  assert.deepEqual(errors, []);
  const [web, db] = script.apps;
  assert.equal(web.clock, 'instance', 'the instance clock is the default');
  assert.deepEqual(web.answers, [
    { probe: 'liveness', from: 35000, answer: { kind: 'hang' } },
    { from: 0, to: 5000, answer: { kind: 'http', status: 503 } },
    { path: '/healthz', from: 0, answer: { kind: 'http', status: 302, location: '/login' } },
  ]);
  assert.deepEqual(web.exit, { after: 50000, code: 1 });
  assert.deepEqual(web.sigterm, { ignore: true });
  assert.equal(web.preStopMs, 5000);
  assert.deepEqual({ ...db.target, pos: undefined }, { namespace: 'shop', selector: 'app=db', pos: undefined });
  assert.deepEqual(db.sigterm, { exitCode: 0 });
  assert.deepEqual(script.events.map((e) => `${e.at} ${e.kind}`), ['60000 delete', '20000 condition']);
});

test('every mistake at once, each at its line and column', () => {
  const { errors } = parseScript(`apps:
- pod: web
  clock: wall
  probes:
    liveliness: []
    readiness: [{from: 3x, answer: maybe}]
  exit: {after: 1m, code: 300}
  sigterm: later
events:
- {at: 5s}
`, 'bad.yaml', 10);
  const got = errors.map((e) => `${e.pos?.line}:${e.pos?.col} ${e.code}`);
  assert.deepEqual(got, [
    '12:8 NS-SCRIPT-TARGET', '13:10 NS-SCRIPT-CLOCK', '15:17 NS-SCRIPT-FIELD', '16:24 NS-SCRIPT-DURATION', '16:36 NS-SCRIPT-ANSWER',
    '17:27 NS-SCRIPT-EXIT', '18:12 NS-SCRIPT-SIGTERM', '20:3 NS-SCRIPT-EVENT',
  ]);
  assert.ok(errors.every((e) => e.hint));
});

test('a Location on a status that does not redirect is an error', () => {
  const { errors } = parseScript('apps:\n- pod: a/b\n  probes: {all: [{answer: {status: 200, location: /x}}]}\n', 's.yaml');
  assert.deepEqual(errors.map((e) => e.code), ['NS-SCRIPT-ANSWER']);
});
