// The kubelet's probes on the virtual clock: the app's scripted behaviour, moving the clock, and
// what the probes did. After "When the clock is at t=40s" (absolute: t=0 is when the containers
// started) or "When 10s more have passed" (relative to the clock's current time) every other step
// (endpoints, connections) sees the cluster as it stands at that time.
import { Given, When, Then, defineParameterType, type DataTable } from '@cucumber/cucumber';
import type { Cluster } from '../src/cluster';
import type { AnswerRule, ProbeKind, Script, Timeline, TimelineEvent } from '../src/probes';
import { fmtTime, mergeScripts, parseScript } from '../src/probes';
import { formatErrors } from '../src/model/errors';
import { renderHops } from '../src/net/trace';
import { mismatch, missingInOrder, realPod } from './support';
import type { NetspecWorld } from './world';

defineParameterType({ name: 'probekind', regexp: /startup|liveness|readiness/, transformer: (s: string) => s as ProbeKind });

interface ClockState {
  script: Script;
  /** ms since the containers started */
  now: number;
  /** the cluster at t=0 (the one the declarations realise) and the one at `now` */
  base?: Cluster;
  shifted?: Cluster;
  timeline?: Timeline;
}

function clock(world: NetspecWorld): ClockState {
  return (world.last.probeClock ??= { script: { apps: [], events: [] }, now: 0 }) as ClockState;
}

/** The cluster at t=0: the declared one, unless the clock replaced it (then the one it replaced). */
function baseCluster(world: NetspecWorld): Cluster {
  const c = clock(world);
  const current = world.cluster;
  if (c.shifted && current === c.shifted && c.base) return c.base;
  c.base = current; c.shifted = undefined; c.timeline = undefined;
  return current;
}

/** One line of the app's behaviour on the pod's clock (the phrases below; the doc string says more). */
function script(world: NetspecWorld, pod: string, ns: string, b: Omit<AnswerRule, 'answer'> & { answer: AnswerRule['answer'] }): void {
  const c = clock(world);
  c.script = mergeScripts(c.script, { apps: [{ target: { pod: `${ns}/${pod}`, pos: world.place.pos }, clock: 'pod', answers: [b], pos: world.place.pos }], events: [] });
  c.timeline = undefined;
}

/** Adds to the script: apps and events (the same YAML as `--script FILE`). */
export function addScript(world: NetspecWorld, more: Script): void {
  const c = clock(world);
  c.script = mergeScripts(c.script, more);
  c.timeline = undefined;
}

/** The cluster at time t with the scenario's script (the clock does not move). */
export function clusterAt(world: NetspecWorld, t: number): Cluster {
  return baseCluster(world).timeline({ until: t, script: clock(world).script }).at(t);
}

export function clockNow(world: NetspecWorld): number { return clock(world).now; }

Given('the app script:', function (this: NetspecWorld, text: string) {
  const src = this.docStringSource(text) as { name: string; line: number; col: number };
  const { script: s, errors } = parseScript(text, src.name, src.line - 1, src.col - 1);
  if (errors.length) throw new Error(`the app script has ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${formatErrors(errors).join('\n')}`);
  addScript(this, s);
});

/** The timeline of every input pod with a probe up to `until` (the current clock by default). */
function timeline(world: NetspecWorld, until = clock(world).now): Timeline {
  const c = clock(world);
  return baseCluster(world).timeline({ until, script: c.script });
}

// ---- the app's behaviour (what the probe's handler would answer) ----------------------------------

Given('the app in pod {string} in namespace {string} fails its {probekind} probe', function (this: NetspecWorld, pod: string, ns: string, probe: ProbeKind) {
  script(this, pod, ns, { probe, from: 0, answer: { kind: 'fail' } });
});
Given('the app in pod {string} in namespace {string} fails its {probekind} probe from {duration}', function (this: NetspecWorld, pod: string, ns: string, probe: ProbeKind, from: number) {
  script(this, pod, ns, { probe, from, answer: { kind: 'fail' } });
});
Given('the app in pod {string} in namespace {string} fails its {probekind} probe from {duration} to {duration}', function (this: NetspecWorld, pod: string, ns: string, probe: ProbeKind, from: number, to: number) {
  if (to <= from) throw new Error(`"from ${fmtTime(from)} to ${fmtTime(to)}": the end must come after the start`);
  script(this, pod, ns, { probe, from, to, answer: { kind: 'fail' } });
});
Given('the app in pod {string} in namespace {string} does not answer its {probekind} probe from {duration}', function (this: NetspecWorld, pod: string, ns: string, probe: ProbeKind, from: number) {
  script(this, pod, ns, { probe, from, answer: { kind: 'hang' } });
});
Given('the app in pod {string} in namespace {string} answers its {probekind} probe with HTTP {int} from {duration}', function (this: NetspecWorld, pod: string, ns: string, probe: ProbeKind, status: number, from: number) {
  script(this, pod, ns, { probe, from, answer: { kind: 'http', status } });
});
Given('the app in pod {string} in namespace {string} takes {duration} to start', function (this: NetspecWorld, pod: string, ns: string, d: number) {
  // until it has started, no probe handler answers: every probe fails
  script(this, pod, ns, { from: 0, to: d, answer: { kind: 'fail' } });
});

// ---- the clock ---------------------------------------------------------------------------------

function advance(world: NetspecWorld, t: number): void {
  const base = baseCluster(world);
  const c = clock(world);
  if (t < c.now) throw new Error(`the clock only moves forward: it is at ${fmtTime(c.now)}, asked for ${fmtTime(t)} (times count from when the containers started)`);
  c.now = t;
  const tl = base.timeline({ until: t, script: c.script });
  const shifted = tl.at(t);
  c.timeline = tl; c.shifted = shifted;
  // the World's cluster is now the one at time t (endpoints, connections and DNS read it)
  world.useCluster(shifted);
  world.attachTrace(`kubelet probes and restarts up to t=${fmtTime(t)}`, tl.hops);
  if (tl.warnings.length) world.attachText(formatErrors(tl.warnings).join('\n'));
}

// absolute: the moment counted from when the containers started
When('the clock is at t={duration}', function (this: NetspecWorld, t: number) { advance(this, t); });
// relative: d after the clock's current time (t=0 before any clock step)
When('{duration} more has/have passed', function (this: NetspecWorld, d: number) { advance(this, clock(this).now + d); });
// "When 20s have passed" read as relative but set the clock to t=20s: it now fails and says which to write
When('{duration} has/have passed', function (this: NetspecWorld, t: number) {
  const now = clock(this).now;
  throw new Error(`"${fmtTime(t)} have passed" is ambiguous: write "When the clock is at t=${fmtTime(t)}" (absolute, counted from when the containers started) ` +
    `or "When ${fmtTime(t)} more have passed" (relative: the clock is at t=${fmtTime(now)} now)`);
});

// ---- what the kubelet did ----------------------------------------------------------------------

function podEvents(world: NetspecWorld, key: string, until?: number): { tl: Timeline; events: TimelineEvent[] } {
  realPod(world, key); // fails naming the pods there are
  const tl = timeline(world, until);
  if (!tl.pods.some((p) => p.pod.key === key)) throw new Error(`pod ${key} has no probe: the kubelet has nothing to probe`);
  return { tl, events: tl.events.filter((e) => e.pod === key) };
}

Then('the container {string} of pod {string} in namespace {string} has restarted {int} time(s)', function (this: NetspecWorld, ctr: string, pod: string, ns: string, n: number) {
  const p = realPod(this, `${ns}/${pod}`);
  const s = (p.obj.status?.containerStatuses ?? []).find((x: any) => x.name === ctr);
  if (!p.containers.includes(ctr)) throw new Error(`pod ${p.key} has no container ${ctr} (containers: ${p.containers.join(', ')})`);
  const got = s?.restartCount ?? 0;
  if (got !== n) {
    const { events } = podEvents(this, p.key);
    throw mismatch(`restartCount of container ${ctr} in pod ${p.key} at t=${fmtTime(clock(this).now)}`, String(n), String(got), renderHops(events.map((e) => e.hop)));
  }
});

function readiness(world: NetspecWorld, pod: string, ns: string, want: boolean): void {
  const p = realPod(world, `${ns}/${pod}`);
  if (p.ready !== want) {
    const tl = clock(world).timeline;
    const hops = tl ? tl.events.filter((e) => e.pod === p.key).map((e) => e.hop) : [];
    throw mismatch(`pod ${p.key} at t=${fmtTime(clock(world).now)}`, want ? 'Ready' : 'not Ready', p.ready ? 'Ready' : 'not Ready', renderHops(hops));
  }
}
Then('pod {string} in namespace {string} is ready', function (this: NetspecWorld, pod: string, ns: string) { readiness(this, pod, ns, true); });
Then('pod {string} in namespace {string} is not ready', function (this: NetspecWorld, pod: string, ns: string) { readiness(this, pod, ns, false); });

const row = (e: { t: string; container?: string; probe: string; result: string; action: string }) =>
  `${e.t} | ${e.container ? e.container + ' | ' : ''}${e.probe} | ${e.result} | ${e.action}`;

Then('the probe timeline of pod {string} in namespace {string} shows:', function (this: NetspecWorld, pod: string, ns: string, table: DataTable) {
  const want = table.hashes();
  const withCtr = want.length > 0 && 'container' in want[0];
  const parse = (s: string) => {
    const m = /^(?:\d+(?:ms|s|m|h))+$/.exec(s.trim());
    if (!m) throw new Error(`a time is written like 40s, 2m or 1m30s (got "${s}")`);
    let ms = 0;
    for (const x of s.matchAll(/(\d+)(ms|s|m|h)/g)) ms += Number(x[1]) * (x[2] === 'ms' ? 1 : x[2] === 's' ? 1000 : x[2] === 'm' ? 60000 : 3600000);
    return ms;
  };
  const horizon = Math.max(clock(this).now, ...want.map((w) => parse(w.t)));
  const { events } = podEvents(this, `${ns}/${pod}`, horizon);
  const lines = events.map((e) => row({ t: fmtTime(e.t), container: withCtr ? e.container : undefined, probe: e.probe, result: e.result, action: e.action ?? '' }));
  const wanted = want.map((w) => row({ t: fmtTime(parse(w.t)), container: withCtr ? w.container : undefined, probe: w.probe.trim(), result: (w.result ?? '').trim(), action: (w.action ?? '').trim() }));
  this.attachTrace(`probe timeline of ${ns}/${pod} up to t=${fmtTime(horizon)}`, events.map((e) => e.hop));
  const missing = missingInOrder(lines, wanted);
  if (missing) throw mismatch(`probe timeline of pod ${ns}/${pod} (rows in this order, others may come between)`, missing, 'not found after the rows before it', `the timeline (t | ${withCtr ? 'container | ' : ''}probe | result | action):\n${lines.map((l) => '  ' + l).join('\n')}\n\n${renderHops(events.map((e) => e.hop))}`);
});

Then('the {probekind} probe of pod {string} in namespace {string} fails with {string}', function (this: NetspecWorld, probe: ProbeKind, pod: string, ns: string, text: string) {
  const { events } = podEvents(this, `${ns}/${pod}`, Math.max(clock(this).now, 60_000));
  const fail = events.find((e) => e.probe === probe && e.result === 'failure');
  if (!fail) throw mismatch(`${probe} probe of pod ${ns}/${pod}`, `a failure saying "${text}"`, 'no failure', renderHops(events.map((e) => e.hop)));
  if (!fail.detail.includes(text)) throw mismatch(`${probe} probe of pod ${ns}/${pod}`, `"${text}"`, `"${fail.detail}"`, renderHops([...(fail.network ?? []), fail.hop]));
  this.last.probeFailure = fail;
  this.attachTrace(`${probe} probe of ${ns}/${pod} at t=${fmtTime(fail.t)}`, [...(fail.network ?? []), fail.hop]);
});

Then('the failed probe\'s trace passes through {string}', function (this: NetspecWorld, at: string) {
  const fail = this.last.probeFailure as TimelineEvent | undefined;
  if (!fail) throw new Error('no failed probe was looked at yet (use "Then the … probe of pod … fails with …" first)');
  const hops = [...(fail.network ?? []), fail.hop];
  if (!hops.some((h) => h.at === at || h.at.startsWith(at + '/'))) throw mismatch('the failed probe\'s trace', `a hop at ${at}`, 'none', renderHops(hops));
});

Then('pod {string} in namespace {string} still has the IP it had at the start', function (this: NetspecWorld, pod: string, ns: string) {
  const key = `${ns}/${pod}`;
  const now = realPod(this, key);
  const start = baseCluster(this).realised.podByKey.get(key);
  if (!start) throw new Error(`pod ${key} did not exist at t=0`);
  if (now.ip !== start.ip) throw mismatch(`IP of pod ${key} at t=${fmtTime(clock(this).now)}`, start.ip, now.ip || 'none');
  this.attachText(`${key} keeps ${now.ip} (the sandbox, and its network namespace, survive a container restart)`);
});
