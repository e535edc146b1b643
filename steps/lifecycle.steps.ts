// The life of a pod on the clock: deletion, readiness gates, container state and exit codes, phase and
// conditions, and assertions over windows of time ("between 55s and 66s …", "at every moment …").
// Glue only: the kubelet lives in src/probes; these steps read the pods the clock left behind.
import { Given, Then } from '@cucumber/cucumber';
import { fmtTime, type TimelineEvent } from '../src/probes';
import { renderHops } from '../src/net/trace';
import { addScript, clockNow, clusterAt } from './probes.steps';
import { mismatch, realPod } from './support';
import type { NetspecWorld } from './world';
import { closestList } from '../src/model/suggest';

Given('pod {string} in namespace {string} is deleted at {duration}', function (this: NetspecWorld, pod: string, ns: string, at: number) {
  addScript(this, { apps: [], events: [{ at, kind: 'delete', target: { pod: `${ns}/${pod}`, pos: this.place.pos }, pos: this.place.pos }] });
});

Given('the condition {string} of pod {string} in namespace {string} becomes {string} at {duration}', function (this: NetspecWorld, type: string, pod: string, ns: string, status: string, at: number) {
  if (status !== 'True' && status !== 'False') throw new Error(`a condition's status is "True" or "False" (got "${status}")`);
  addScript(this, { apps: [], events: [{ at, kind: 'condition', type, status: status === 'True', target: { pod: `${ns}/${pod}`, pos: this.place.pos }, pos: this.place.pos }] });
});

function containerStatus(world: NetspecWorld, ctr: string, pod: string, ns: string): any {
  const p = realPod(world, `${ns}/${pod}`);
  if (!p.containers.includes(ctr)) throw new Error(`pod ${p.key} has no container ${ctr} (containers: ${p.containers.join(', ')})`);
  return (p.obj.status?.containerStatuses ?? []).find((x: any) => x.name === ctr) ?? {};
}

const now = (w: NetspecWorld) => `t=${fmtTime(clockNow(w))}`;

function podHops(world: NetspecWorld, key: string): string {
  const tl = (world.last.probeClock as any)?.timeline;
  return tl ? renderHops(tl.events.filter((e: TimelineEvent) => e.pod === key).map((e: TimelineEvent) => e.hop)) : '';
}

/** "running", "waiting with reason CrashLoopBackOff", "terminated with reason Error and exit code 1" */
function describeState(st: any): string {
  if (!st) return 'no state';
  if (st.running) return 'running';
  if (st.waiting) return `waiting with reason ${st.waiting.reason}`;
  if (st.terminated) return `terminated with reason ${st.terminated.reason} and exit code ${st.terminated.exitCode}`;
  return 'no state';
}

Then('the container {string} of pod {string} in namespace {string} is {string}', function (this: NetspecWorld, ctr: string, pod: string, ns: string, want: string) {
  const s = containerStatus(this, ctr, pod, ns);
  const got = describeState(s.state);
  if (got !== want) throw mismatch(`state of container ${ctr} in pod ${ns}/${pod} at ${now(this)}`, want, got, podHops(this, `${ns}/${pod}`));
});

Then('the last state of container {string} of pod {string} in namespace {string} is {string}', function (this: NetspecWorld, ctr: string, pod: string, ns: string, want: string) {
  const s = containerStatus(this, ctr, pod, ns);
  const got = describeState(s.lastState);
  if (got !== want) throw mismatch(`lastState of container ${ctr} in pod ${ns}/${pod} at ${now(this)}`, want, got, podHops(this, `${ns}/${pod}`));
});

Then('the container {string} of pod {string} in namespace {string} is started', function (this: NetspecWorld, ctr: string, pod: string, ns: string) {
  const s = containerStatus(this, ctr, pod, ns);
  if (s.started !== true) throw mismatch(`started of container ${ctr} in pod ${ns}/${pod} at ${now(this)}`, 'true', String(s.started), podHops(this, `${ns}/${pod}`));
});
Then('the container {string} of pod {string} in namespace {string} is not started', function (this: NetspecWorld, ctr: string, pod: string, ns: string) {
  const s = containerStatus(this, ctr, pod, ns);
  if (s.started === true) throw mismatch(`started of container ${ctr} in pod ${ns}/${pod} at ${now(this)}`, 'false', 'true', podHops(this, `${ns}/${pod}`));
});

Then('pod {string} in namespace {string} is in phase {string}', function (this: NetspecWorld, pod: string, ns: string, want: string) {
  const p = realPod(this, `${ns}/${pod}`);
  const got = p.obj.status?.phase;
  if (got !== want) throw mismatch(`phase of pod ${p.key} at ${now(this)}`, want, String(got), podHops(this, p.key));
});

Then('the condition {string} of pod {string} in namespace {string} is {string}', function (this: NetspecWorld, type: string, pod: string, ns: string, want: string) {
  const p = realPod(this, `${ns}/${pod}`);
  const c = (p.obj.status?.conditions ?? []).find((x: any) => x.type === type);
  const got = c ? `${c.status}${c.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ''})` : ''}` : 'absent';
  if ((c?.status ?? 'absent') !== want) throw mismatch(`condition ${type} of pod ${p.key} at ${now(this)}`, want, got, podHops(this, p.key));
});

Then('pod {string} in namespace {string} is gone', function (this: NetspecWorld, pod: string, ns: string) {
  const key = `${ns}/${pod}`;
  if (this.cluster.realised.podByKey.has(key)) throw mismatch(`pod ${key} at ${now(this)}`, 'gone (deleted, every container stopped)', 'still there', podHops(this, key));
});

/** The endpoint conditions of a pod in a Service's EndpointSlices: "ready false, serving true, terminating true". */
function endpointOf(world: NetspecWorld, pod: string, ns: string, svc: string): string {
  const r = world.cluster.realised;
  const p = r.podByKey.get(`${ns}/${pod}`);
  if (!r.services.some((s) => s.key === `${ns}/${svc}`)) throw new Error(`no service ${ns}/${svc} (closest services: ${closestList(`${ns}/${svc}`, r.services.map((s) => s.key))})`);
  if (!p) return 'absent';
  for (const sl of r.slicesByService.get(`${ns}/${svc}`) ?? []) for (const e of sl.endpoints) {
    if (e.pod === p || e.addresses.includes(p.ip)) return `ready ${e.ready}, serving ${e.serving}, terminating ${e.terminating}`;
  }
  return 'absent';
}

Then('the endpoint of pod {string} in service {string} in namespace {string} is {string}', function (this: NetspecWorld, pod: string, svc: string, ns: string, want: string) {
  const got = endpointOf(this, pod, ns, svc);
  if (got !== want) throw mismatch(`endpoint of pod ${ns}/${pod} in the EndpointSlices of service ${ns}/${svc} at ${now(this)}`, want, got, podHops(this, `${ns}/${pod}`));
});

// ---- windows of time -----------------------------------------------------------------------------

function windowEvents(world: NetspecWorld, key: string, from: number, to: number): TimelineEvent[] {
  realPod(world, key);
  const c = world.last.probeClock as any;
  const base = c?.base ?? world.cluster;
  const tl = base.timeline({ until: to, script: c?.script ?? { apps: [], events: [] } });
  return tl.events.filter((e: TimelineEvent) => e.pod === key);
}

Then('between {duration} and {duration} the container {string} of pod {string} in namespace {string} restarts {int} time(s)', function (this: NetspecWorld, from: number, to: number, ctr: string, pod: string, ns: string, n: number) {
  const key = `${ns}/${pod}`;
  const evs = windowEvents(this, key, from, to);
  const got = evs.filter((e) => e.container === ctr && e.action === 'restart' && e.t >= from && e.t <= to);
  if (got.length !== n) throw mismatch(`restarts of container ${ctr} in pod ${key} between ${fmtTime(from)} and ${fmtTime(to)}`, String(n), `${got.length}${got.length ? ` (at ${got.map((e) => fmtTime(e.t)).join(', ')})` : ''}`, renderHops(evs.map((e) => e.hop)));
});

/** Every moment in [from, to] where anything changed, plus `from` itself: the cluster is constant in between. */
function moments(world: NetspecWorld, from: number, to: number): number[] {
  const c = world.last.probeClock as any;
  const base = c?.base ?? world.cluster;
  const tl = base.timeline({ until: to, script: c?.script ?? { apps: [], events: [] } });
  const set = new Set<number>([from]);
  for (const p of tl.pods) for (const t of p.changes) if (t >= from && t <= to) set.add(t);
  return [...set].sort((a, b) => a - b);
}

Then('at every moment between {duration} and {duration} service {string} in namespace {string} has at least {int} ready endpoint(s)', function (this: NetspecWorld, from: number, to: number, svc: string, ns: string, n: number) {
  const key = `${ns}/${svc}`;
  const seen: string[] = [];
  for (const t of moments(this, from, to)) {
    const c = clusterAt(this, t);
    if (!c.realised.services.some((s) => s.key === key)) throw new Error(`no service ${key} (closest services: ${closestList(key, c.realised.services.map((s) => s.key))})`);
    const ready = (c.realised.slicesByService.get(key) ?? []).flatMap((s) => s.endpoints.filter((e) => e.ready)).map((e) => e.pod?.name ?? e.addresses[0]);
    seen.push(`  t=${fmtTime(t)}: ${ready.length} ready (${ready.join(', ') || 'none'})`);
    if (ready.length < n) throw mismatch(`ready endpoints of service ${key} at t=${fmtTime(t)}`, `at least ${n}`, String(ready.length), `the moments checked:\n${seen.join('\n')}`);
  }
  this.attachText(`ready endpoints of ${key} at each change between ${fmtTime(from)} and ${fmtTime(to)}:\n${seen.join('\n')}`);
});

Then('at every moment between {duration} and {duration} no endpoint of service {string} in namespace {string} is ready while terminating', function (this: NetspecWorld, from: number, to: number, svc: string, ns: string) {
  const key = `${ns}/${svc}`;
  for (const t of moments(this, from, to)) {
    const c = clusterAt(this, t);
    const bad = (c.realised.slicesByService.get(key) ?? []).flatMap((s) => s.endpoints.filter((e) => e.ready && e.terminating));
    if (bad.length) throw mismatch(`endpoints of service ${key} at t=${fmtTime(t)}`, 'no endpoint ready and terminating (kube-proxy sends new connections only to ready ones)', bad.map((e) => e.addresses[0]).join(', '));
  }
});
