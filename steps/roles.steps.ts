// Address by role (src/roles): specs name workloads, labels and Services, not generated pod names
// or allocated IPs, so they survive a deploy. "A pod of X" is one representative (the first ready
// pod in name order, said in the trace); "every pod of X" checks each and reports every failing one.
import { When, Then, type DataTable } from '@cucumber/cucumber';
import type { ConnectQuery, ConnectResult } from '../src/cni';
import { decidingHop } from '../src/cni';
import { InputErrors } from '../src/model/errors';
import { unschedulableMessage } from '../src/model/realised';
import { renderHops } from '../src/net/trace';
import { connectAndRemember, failConnect, lastConnect, podsByRole } from './support';
import type { NetspecWorld } from './world';

// ---- connecting by role -------------------------------------------------------------------------

When('a pod of {workload} {string} in namespace {string} connects to {string} on {protocol} port {int}', function (this: NetspecWorld, kind: string, name: string, ns: string, to: string, protocol: string, port: number) {
  connectAndRemember(this, { from: `${ns}/${kind}/${name}`, to, port, protocol });
});

When('a pod labelled {string} in namespace {string} connects to {string} on {protocol} port {int}', function (this: NetspecWorld, selector: string, ns: string, to: string, protocol: string, port: number) {
  connectAndRemember(this, { from: `${ns}/-l ${selector}`, to, port, protocol });
});

function everyPod(world: NetspecWorld, fromRef: string, to: string, protocol: string, port: number, verdict: string): void {
  const rp = podsByRole(world, fromRef);
  const failures: string[] = [];
  const traces: string[] = [];
  for (const pod of rp.pods) {
    const q: ConnectQuery = { from: pod.key, to, port, protocol };
    let res: ConnectResult;
    try { res = world.cluster.connect(q); } catch (e) {
      if (!(e instanceof InputErrors)) throw e;
      failures.push(`${pod.key}: input error: ${e.errors.map((x) => `${x.message} (${x.hint})`).join('; ')}`);
      continue;
    }
    traces.push(`${pod.key} → ${to} ${protocol} ${port}: ${res.verdict}\n${renderHops(res.hops)}`);
    if (res.verdict !== verdict) failures.push(`${pod.key}\n    expected: ${verdict}\n    actual:   ${res.verdict} (${decidingHop(res)?.detail ?? 'no hops'})\n${renderHops(res.hops)}`);
  }
  world.attachText(traces.join('\n\n'));
  if (failures.length) throw new Error(`${failures.length} of the ${rp.pods.length} pods of ${rp.what} connecting to ${to} on ${protocol} port ${port} were not ${verdict}:\n\n${failures.join('\n\n')}`);
}

Then('every pod of {workload} {string} in namespace {string} connecting to {string} on {protocol} port {int} is {verdict}', function (this: NetspecWorld, kind: string, name: string, ns: string, to: string, protocol: string, port: number, verdict: string) {
  everyPod(this, `${ns}/${kind}/${name}`, to, protocol, port, verdict);
});

Then('every pod labelled {string} in namespace {string} connecting to {string} on {protocol} port {int} is {verdict}', function (this: NetspecWorld, selector: string, ns: string, to: string, protocol: string, port: number, verdict: string) {
  everyPod(this, `${ns}/-l ${selector}`, to, protocol, port, verdict);
});

// ---- where it landed ------------------------------------------------------------------------------

function landedOn(world: NetspecWorld, ref: string, portName: string | null): void {
  const l = lastConnect(world);
  const rp = podsByRole(world, ref);
  const d = l.result.delivered;
  const expected = `delivered to a pod of ${rp.what} (${rp.pods.map((p) => p.key).slice(0, 5).join(', ')}${rp.pods.length > 5 ? ', …' : ''})${portName ? ` on its port named ${portName}` : ''}`;
  const actual = d ? `delivered to ${d.pod} (${d.ip}:${d.port}, container ${d.container})` : `${l.result.verdict} (${decidingHop(l.result)?.detail ?? 'no hops'})`;
  const pod = d ? rp.pods.find((p) => p.key === d.pod) : undefined;
  if (l.result.verdict !== 'delivered' || !pod) failConnect(l, expected, actual);
  if (portName) {
    const named = pod.ports.filter((p) => p.name === portName);
    if (!named.length) failConnect(l, expected, `${actual}; pod ${pod.key} has no port named ${portName} (ports: ${pod.ports.map((p) => `${p.name ?? '-'}=${p.port}`).join(', ') || 'none'})`);
    if (!named.some((p) => p.port === d!.port && p.container === d!.container)) failConnect(l, expected, `${actual}; its port named ${portName} is ${named.map((p) => `${p.port} (container ${p.container})`).join(', ')}`);
  }
}

Then('the connection is delivered to a pod of {workload} {string} in namespace {string}', function (this: NetspecWorld, kind: string, name: string, ns: string) {
  landedOn(this, `${ns}/${kind}/${name}`, null);
});

Then('the connection is delivered to a pod of {workload} {string} in namespace {string} on its port named {string}', function (this: NetspecWorld, kind: string, name: string, ns: string, port: string) {
  landedOn(this, `${ns}/${kind}/${name}`, port);
});

Then('the connection lands on a pod of {workload} {string} in namespace {string} on its port named {string}', function (this: NetspecWorld, kind: string, name: string, ns: string, port: string) {
  landedOn(this, `${ns}/${kind}/${name}`, port);
});

// ---- what became of them ------------------------------------------------------------------------

Then('every pod of {workload} {string} in namespace {string} is {phase}', function (this: NetspecWorld, kind: string, name: string, ns: string, phase: string) {
  const rp = podsByRole(this, `${ns}/${kind}/${name}`);
  const off = rp.pods.filter((p) => p.phase !== phase);
  if (off.length) {
    throw new Error(`${off.length} of the ${rp.pods.length} pods of ${rp.what} are not ${phase}:\n${off.map((p) => `  ${p.key}: ${p.phase}${p.node ? ` on ${p.node.name}` : ' (not scheduled)'}`).join('\n')}`);
  }
});

// ---- where the scheduler put them -----------------------------------------------------------------

/** The header is `node` or a node label key (topology.kubernetes.io/zone…); pods left unscheduled count under "(Pending)". */
Then('the pods of {workload} {string} in namespace {string} are placed like this:', function (this: NetspecWorld, kind: string, name: string, ns: string, table: DataTable) {
  const rp = podsByRole(this, `${ns}/${kind}/${name}`);
  const [head, ...rows] = table.raw();
  if (!head || head.length !== 2 || head[1] !== 'pods') throw new Error('the table needs two columns: | node | pods | or | <node label key> | pods |');
  const key = head[0];
  const domain = (p: (typeof rp.pods)[number]) => (!p.node ? '(Pending)' : key === 'node' ? p.node.name : p.node.labels[key] ?? `(no ${key} label)`);
  const count = new Map<string, number>();
  for (const p of rp.pods) count.set(domain(p), (count.get(domain(p)) ?? 0) + 1);
  const problems: string[] = [];
  for (const [v, n] of rows) if ((count.get(v) ?? 0) !== Number(n)) problems.push(`${v}: expected ${n} pod(s), found ${count.get(v) ?? 0}`);
  for (const [v, n] of count) if (!rows.some((r) => r[0] === v)) problems.push(`${v}: not listed, but ${n} pod(s) ${v === '(Pending)' ? 'are Pending' : 'run there'}`);
  if (problems.length) throw new Error(`${rp.what}, by ${key}:\n${problems.join('\n')}\n(pods: ${rp.pods.map((p) => `${p.name} on ${p.node?.name ?? 'none'}`).join(', ')})`);
});

Then('{int} pod(s) of {workload} {string} in namespace {string} stay(s) Pending, the scheduler saying:', function (this: NetspecWorld, n: number, kind: string, name: string, ns: string, message: string) {
  const rp = podsByRole(this, `${ns}/${kind}/${name}`);
  const pending = rp.pods.filter((p) => !p.node);
  const want = message.trim();
  const problems: string[] = [];
  if (pending.length !== n) problems.push(`expected ${n} Pending pod(s) of ${rp.what}, found ${pending.length} (${rp.pods.map((p) => `${p.name} on ${p.node?.name ?? 'none'}`).join(', ')})`);
  for (const p of pending) {
    const got = unschedulableMessage(p);
    if (p.phase !== 'Pending' || got !== want) problems.push(`${p.key} (phase ${p.phase}):\n    expected: ${want}\n    actual:   ${got ?? '(no PodScheduled=False message)'}`);
  }
  if (problems.length) throw new Error(problems.join('\n'));
});

When('the Pending pod of {workload} {string} in namespace {string} connects to {string} on {protocol} port {int}', function (this: NetspecWorld, kind: string, name: string, ns: string, to: string, protocol: string, port: number) {
  const rp = podsByRole(this, `${ns}/${kind}/${name}`);
  const p = rp.pods.find((x) => !x.node);
  if (!p) throw new Error(`no pod of ${rp.what} is Pending unscheduled (${rp.pods.map((x) => `${x.name} on ${x.node?.name}`).join(', ')})`);
  connectAndRemember(this, { from: p.key, to, port, protocol });
});

Then('every pod of {workload} {string} in namespace {string} runs on a node with a pod of {workload} {string}', function (this: NetspecWorld, kind: string, name: string, ns: string, otherKind: string, other: string) {
  const rp = podsByRole(this, `${ns}/${kind}/${name}`);
  const op = podsByRole(this, `${ns}/${otherKind}/${other}`);
  const nodes = new Set(op.pods.filter((p) => p.node).map((p) => p.node!.name));
  const off = rp.pods.filter((p) => !p.node || !nodes.has(p.node.name));
  if (off.length) throw new Error(`${off.length} of the ${rp.pods.length} pods of ${rp.what} do not run on a node of ${op.what} (${[...nodes].join(', ') || 'none'}):\n${off.map((p) => `  ${p.key} on ${p.node?.name ?? 'no node (Pending)'}`).join('\n')}`);
});
