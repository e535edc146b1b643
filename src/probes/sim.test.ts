import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { attempt, backoffDelay, simulate, stateAt, PROBE_DEFAULTS, type ContainerSpec, type ProbeKind, type ProbeSpec, type SimInput } from './sim';
import type { AppScript } from './script';

/** A line of app behaviour on the pod's clock (the shape the older tests were written in). */
type Behaviour = { probe?: ProbeKind; from: number; to?: number; result: 'failure' | 'timeout' | { status: number } };
const toApps = (bs: Behaviour[]): AppScript[] => (bs.length ? [{
  clock: 'pod',
  answers: bs.map((b) => ({ ...(b.probe ? { probe: b.probe } : {}), from: b.from, ...(b.to !== undefined ? { to: b.to } : {}), answer: b.result === 'failure' ? { kind: 'fail' as const } : b.result === 'timeout' ? { kind: 'hang' as const } : { kind: 'http' as const, status: b.result.status } })),
}] : []);

const S = 1000;
function probe(kind: ProbeKind, o: Partial<ProbeSpec> = {}): ProbeSpec {
  return {
    kind, initialDelayMs: 0, periodMs: PROBE_DEFAULTS.periodSeconds * S, timeoutMs: S,
    successThreshold: 1, failureThreshold: PROBE_DEFAULTS.failureThreshold, mechanism: 'exec', describe: `exec [check-${kind}]`, ...o,
  };
}
function run(containers: ContainerSpec[], until: number, behaviour: Behaviour[] = [], restartPolicy: SimInput['restartPolicy'] = 'Always') {
  return simulate({ containers, until, apps: toApps(behaviour), restartPolicy, network: () => null });
}
const rows = (r: ReturnType<typeof run>, only?: string) => r.events.filter((e) => !only || e.probe === only).map((e) => `${e.t / S} ${e.probe} ${e.result}${e.action ? ' ' + e.action : ''}`);

test('Probe API defaults: period 10s, timeout 1s, success 1, failure 3, initial delay 0', () => {
  assert.deepEqual({ ...PROBE_DEFAULTS }, { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 });
});

test('CrashLoopBackOff: first restart at once, then 10s doubling, capped at 300s', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map(backoffDelay), [0, 10, 20, 40, 80, 160, 300, 300, 300].map((x) => x * S));
});

// table-driven: liveness failure threshold → the kill happens at the threshold-th consecutive failure
for (const [failureThreshold, periodMs, killAt] of [[3, 10 * S, 50 * S], [1, 10 * S, 30 * S], [5, 5 * S, 50 * S]] as const) {
  test(`liveness: ${failureThreshold} consecutive failures every ${periodMs / S}s from 30s kill the container at ${killAt / S}s`, () => {
    const r = run([{ name: 'app', probes: { liveness: probe('liveness', { failureThreshold, periodMs }) } }], killAt, [{ probe: 'liveness', from: 30 * S, result: 'failure' }]);
    const killed = r.events.filter((e) => e.action === 'killed');
    assert.equal(killed[0]?.t, killAt);
    // first restart is immediate: same instant, restartCount 1, the sandbox (and IP) kept by the caller
    assert.equal(stateAt(r, ['app'], killAt)[0].restartCount, 1);
  });
}

test('liveness failures that are not consecutive never restart the container', () => {
  const r = run([{ name: 'app', probes: { liveness: probe('liveness') } }], 200 * S,
    [{ probe: 'liveness', from: 10 * S, to: 30 * S, result: 'failure' }, { probe: 'liveness', from: 40 * S, to: 60 * S, result: 'failure' }]);
  assert.equal(r.events.filter((e) => e.action === 'killed').length, 0);
});

for (const [failureThreshold, successThreshold, notReadyAt, readyAgainAt] of [[3, 1, 50, 90], [1, 1, 30, 90], [3, 2, 50, 100]] as const) {
  test(`readiness failureThreshold ${failureThreshold} successThreshold ${successThreshold}: not ready at ${notReadyAt}s, ready again at ${readyAgainAt}s (fails 30s–90s)`, () => {
    const r = run([{ name: 'app', probes: { readiness: probe('readiness', { failureThreshold, successThreshold }) } }], 200 * S, [{ probe: 'readiness', from: 30 * S, to: 90 * S, result: 'failure' }]);
    const acts = r.events.filter((e) => e.action === 'ready' || e.action === 'not-ready').map((e) => `${e.t / S} ${e.action}`);
    assert.deepEqual(acts, [`${(successThreshold - 1) * 10} ready`, `${notReadyAt} not-ready`, `${readyAgainAt} ready`]);
    assert.equal(r.events.filter((e) => e.action === 'killed').length, 0, 'readiness failure never restarts');
  });
}

test('a readiness probe with an initial delay: not ready until its first success', () => {
  const r = run([{ name: 'app', probes: { readiness: probe('readiness', { initialDelayMs: 20 * S }) } }], 60 * S);
  assert.equal(stateAt(r, ['app'], 19 * S)[0].ready, false);
  assert.equal(stateAt(r, ['app'], 20 * S)[0].ready, true);
});

test('a container without a readiness probe is ready once started', () => {
  const r = run([{ name: 'app', probes: { liveness: probe('liveness') } }], 30 * S);
  assert.equal(stateAt(r, ['app'], 0)[0].ready, true);
});

test('startup probe: liveness and readiness do not run until it succeeds (they start on their next tick)', () => {
  const r = run([{ name: 'app', probes: { startup: probe('startup', { failureThreshold: 30 }), liveness: probe('liveness'), readiness: probe('readiness') } }], 100 * S,
    [{ probe: 'startup', from: 0, to: 45 * S, result: 'failure' }, { probe: 'liveness', from: 0, to: 45 * S, result: 'failure' }]);
  assert.deepEqual(rows(r, 'startup').slice(-1)[0], '50 startup success');
  assert.deepEqual(rows(r, 'liveness')[0], '60 liveness success');
  assert.equal(r.events.filter((e) => e.action === 'killed').length, 0, 'a slow starter is protected');
  assert.equal(stateAt(r, ['app'], 59 * S)[0].ready, false);
  assert.equal(stateAt(r, ['app'], 60 * S)[0].ready, true);
});

test('startup probe: failureThreshold × periodSeconds budget, then the container is killed', () => {
  const r = run([{ name: 'app', probes: { startup: probe('startup', { failureThreshold: 3 }) } }], 25 * S, [{ probe: 'startup', result: 'failure', from: 0 }]);
  assert.deepEqual(r.events.filter((e) => e.action === 'killed').map((e) => e.t), [20 * S]);
});

test('restartPolicy Never: a liveness failure kills the container and it stays down', () => {
  const r = run([{ name: 'app', probes: { liveness: probe('liveness') } }], 300 * S, [{ probe: 'liveness', from: 0, result: 'failure' }], 'Never');
  const s = stateAt(r, ['app'], 300 * S)[0];
  assert.equal(s.running, false); assert.equal(s.restartCount, 0);
});

test('a liveness probe failing for ever: killed at 20s, 50s, 80s, 120s and restarted at 20s, 60s, 100s (back-off 0s, 10s, 20s)', () => {
  const r = run([{ name: 'app', probes: { liveness: probe('liveness') } }], 120 * S, [{ probe: 'liveness', from: 0, result: 'failure' }]);
  assert.deepEqual(r.events.filter((e) => e.action === 'killed').map((e) => e.t / S), [20, 50, 80, 120]);
  assert.deepEqual(r.events.filter((e) => e.action === 'restart').map((e) => e.t / S), [20, 60, 100]);
});

test('a container that ran 10 minutes before failing restarts at once (back-off reset)', () => {
  const r = run([{ name: 'app', probes: { liveness: probe('liveness') } }], 1000 * S,
    [{ probe: 'liveness', from: 0, to: 30 * S, result: 'failure' }, { probe: 'liveness', from: 700 * S, result: 'failure' }]);
  const kills = r.events.filter((e) => e.action === 'killed').map((e) => e.t / S);
  const restarts = r.events.filter((e) => e.action === 'restart').map((e) => e.t / S);
  assert.equal(kills[0], 20); assert.equal(restarts[0], 20);
  assert.equal(kills[1], 720); assert.equal(restarts[1], 720, 'no back-off: it ran 700s ≥ 600s');
});

const behaviours = fc.array(fc.record({
  probe: fc.constantFrom<ProbeKind | undefined>('liveness', 'readiness', 'startup', undefined),
  from: fc.integer({ min: 0, max: 600 }).map((x) => x * S),
  len: fc.option(fc.integer({ min: 1, max: 300 }).map((x) => x * S)),
  result: fc.constantFrom<'failure' | 'timeout'>('failure', 'timeout'),
}).map((b) => ({ probe: b.probe, from: b.from, to: b.len === null ? undefined : b.from + b.len, result: b.result }) as Behaviour), { maxLength: 4 });
interface Shape { period: number; delay: number; fail: number; succ: number; kinds: ProbeKind[] }
const specs: fc.Arbitrary<Shape> = fc.record({
  period: fc.integer({ min: 1, max: 20 }), delay: fc.integer({ min: 0, max: 30 }), fail: fc.integer({ min: 1, max: 5 }), succ: fc.integer({ min: 1, max: 3 }),
  kinds: fc.subarray<ProbeKind>(['startup', 'liveness', 'readiness'], { minLength: 1 }),
});
const build = (s: Shape): ContainerSpec => ({ name: 'app', probes: Object.fromEntries(s.kinds.map((k) => [k, probe(k, { periodMs: s.period * S, initialDelayMs: s.delay * S, failureThreshold: s.fail, successThreshold: k === 'readiness' ? s.succ : 1 })])) });

test('property: a container whose probes always succeed never restarts and is ready from its first readiness success', () => {
  fc.assert(fc.property(specs, (s) => {
    const c = build(s);
    const r = run([c], 900 * S);
    assert.equal(r.events.filter((e) => e.action === 'killed' || e.action === 'restart').length, 0);
    const firstReady = r.events.find((e) => e.action === 'ready');
    assert.ok(firstReady, 'becomes ready');
    if (c.probes.readiness) assert.equal(firstReady.probe, 'readiness');
    assert.equal(r.events.filter((e) => e.action === 'not-ready').length, 0);
  }), { seed: 42, numRuns: 150 });
});

test('property: restartCount never decreases, back-off delays are non-decreasing up to the cap, deterministic', () => {
  fc.assert(fc.property(specs, behaviours, (s, b) => {
    const r = run([build(s)], 1500 * S, b);
    let last = 0;
    for (const snap of r.snapshots) { assert.ok(snap.state.restartCount >= last); last = snap.state.restartCount; }
    const kills = r.events.filter((e) => e.action === 'killed').map((e) => e.t);
    const restarts = r.events.filter((e) => e.action === 'restart').map((e) => e.t);
    let prev = -1;
    for (let i = 0; i < restarts.length; i++) {
      const d = restarts[i] - kills[i];
      assert.ok(d <= 300 * S);
      const ranLong = i > 0 && kills[i] - restarts[i - 1] > 600 * S;
      if (!ranLong && i > 0) assert.ok(d >= prev, `delay ${d} after ${prev}`);
      prev = d;
    }
    assert.deepEqual(run([build(s)], 1500 * S, b), r);
  }), { seed: 7, numRuns: 150 });
});

// ---- the life of a container: scripts on the instance clock, exits, signals, grace periods ----------

const http = (kind: ProbeKind, o: Partial<ProbeSpec> = {}) => probe(kind, { mechanism: 'httpGet', describe: `httpGet http://10.0.0.5:8080/healthz`, path: '/healthz', host: '10.0.0.5', ...o });
const sim = (c: ContainerSpec, apps: AppScript[], until: number, more: Partial<SimInput> = {}) => simulate({ containers: [c], until, apps, restartPolicy: 'Always', network: () => null, ...more });
const times = (r: ReturnType<typeof sim>, action: string) => r.events.filter((e) => e.action === action).map((e) => e.t / S);

test('instance clock: "hangs 35s after every start" is replayed on each restart; back-off counts from when the container finished', () => {
  // liveness every 10s, 3 failures: probes at 40, 50, 60 fail → kill at 60, SIGTERM ends it at once
  const r = sim({ name: 'app', probes: { liveness: http('liveness') } }, [{ clock: 'instance', answers: [{ from: 35 * S, answer: { kind: 'hang' } }] }], 400 * S);
  // each instance hangs 35s after its start: the kill comes on the third failing tick of the 10s grid
  assert.deepEqual(times(r, 'killed'), [60, 120, 190, 270, 370]);
  // first restart at once (no back-off entry yet), then 10s, 20s, 40s after the finish (kuberuntime doBackOff)
  assert.deepEqual(times(r, 'restart'), [60, 130, 210, 310]);
});

test('SIGTERM ignored: the container runs on until SIGKILL at the end of the grace period (exit 137); the probe\'s own terminationGracePeriodSeconds wins', () => {
  const apps: AppScript[] = [{ clock: 'pod', answers: [{ probe: 'liveness', from: 0, answer: { kind: 'fail' } }], sigterm: { ignore: true } }];
  const pod = sim({ name: 'app', probes: { liveness: probe('liveness', { failureThreshold: 1 }) } }, apps, 100 * S, { graceMs: 30 * S });
  // SIGKILL at 30; the restart at once is killed again at 30 (SIGKILL at 60), then back-off 10s
  assert.deepEqual(times(pod, 'sigkill'), [30, 60, 100]);
  assert.equal(stateAt(pod, ['app'], 30 * S)[0].lastState?.exitCode, 137);
  assert.equal(stateAt(pod, ['app'], 29 * S)[0].running, true, 'still running during the grace period');
  const own = sim({ name: 'app', probes: { liveness: probe('liveness', { failureThreshold: 1, graceMs: 5 * S }) } }, apps, 100 * S, { graceMs: 30 * S });
  assert.deepEqual(times(own, 'sigkill').slice(0, 1), [5]);
});

test('kuberuntime minimumGracePeriodInSeconds: a preStop hook that eats the grace period still leaves 2s between SIGTERM and SIGKILL', () => {
  const r = sim({ name: 'app', probes: {}, preStopMs: 40 * S }, [{ clock: 'pod', answers: [], sigterm: { ignore: true } }], 100 * S, { graceMs: 30 * S, deleteAt: 10 * S });
  assert.deepEqual(times(r, 'sigterm'), [40], 'preStop cut at the grace period (10s + 30s)');
  assert.deepEqual(times(r, 'sigkill'), [42]);
  assert.equal(r.goneAt, 42 * S);
});

test('self-exit with code 1: restarts with back-off 0, 10s, 20s from each finish; OnFailure does not restart exit code 0; Never stops', () => {
  const crash: AppScript[] = [{ clock: 'instance', answers: [], exit: { after: 50 * S, code: 1 } }];
  const r = sim({ name: 'app', probes: {} }, crash, 300 * S);
  assert.deepEqual(times(r, 'exited'), [50, 100, 160, 230]);
  assert.deepEqual(times(r, 'restart'), [50, 110, 180, 270]);
  const w = stateAt(r, ['app'], 170 * S)[0];
  assert.equal(w.waitingBackoff, 20 * S, 'waiting: CrashLoopBackOff, back-off 20s');
  assert.equal(w.lastState?.exitCode, 1);
  assert.equal(w.lastState?.reason, 'Error');
  const done = sim({ name: 'app', probes: {} }, [{ clock: 'instance', answers: [], exit: { after: 5 * S, code: 0 } }], 100 * S, { restartPolicy: 'OnFailure' });
  assert.deepEqual(times(done, 'restart'), []);
  assert.equal(stateAt(done, ['app'], 100 * S)[0].terminated?.reason, 'Completed');
  const never = sim({ name: 'app', probes: {} }, crash, 300 * S, { restartPolicy: 'Never' });
  assert.equal(stateAt(never, ['app'], 300 * S)[0].terminated?.exitCode, 1);
});

test('flowcontrol hasExpired: an exit more than 2 × 300s after the last restart starts the back-off afresh (strictly more)', () => {
  const runs = (ranFor: number) => {
    const apps: AppScript[] = [{ clock: 'instance', answers: [], exit: { after: ranFor, code: 1 } }];
    return times(sim({ name: 'app', probes: {} }, apps, 3 * ranFor + 100 * S), 'restart');
  };
  assert.deepEqual(runs(600 * S).slice(0, 2), [600, 1210], 'ran exactly 600s: back-off 10s');
  assert.deepEqual(runs(601 * S).slice(0, 2), [601, 1202], 'ran 601s: no back-off');
});

test('HTTP redirects: the kubelet follows a redirect on the same host, and a redirect to another host is a success with a warning', () => {
  const spec = http('readiness');
  const same: AppScript[] = [{ clock: 'pod', answers: [{ path: '/healthz', from: 0, answer: { kind: 'http', status: 302, location: '/login' } }, { path: '/login', from: 0, answer: { kind: 'http', status: 503 } }] }];
  const a = attempt(spec, same, 0, 0, null);
  assert.equal(a.ok, false);
  assert.match(a.detail, /redirected to \/login.*HTTP 503/);
  const other: AppScript[] = [{ clock: 'pod', answers: [{ from: 0, answer: { kind: 'http', status: 301, location: 'http://sso.example.com/login' } }] }];
  const b = attempt(spec, other, 0, 0, null);
  assert.equal(b.ok, true);
  assert.match(b.warning ?? '', /Probe terminated redirects/);
  const loop: AppScript[] = [{ clock: 'pod', answers: [{ from: 0, answer: { kind: 'http', status: 302, location: 'http://10.0.0.5:8080/healthz' } }] }];
  assert.match(attempt(spec, loop, 0, 0, null).detail, /stopped after 10 redirects/);
});

test('deletion: every container gets SIGTERM with the pod\'s grace period; the pod is gone when the last one stopped; no restart', () => {
  const r = simulate({
    containers: [{ name: 'a', probes: {} }, { name: 'b', probes: {} }], until: 200 * S, restartPolicy: 'Always', network: () => null, graceMs: 20 * S, deleteAt: 60 * S,
    apps: [{ container: 'b', clock: 'pod', answers: [], sigterm: { ignore: true } }],
  });
  assert.deepEqual(times(r, 'sigterm'), [60, 60]);
  assert.deepEqual(times(r, 'sigkill'), [80]);
  assert.equal(r.goneAt, 80 * S);
  assert.deepEqual(times(r, 'restart'), []);
});
