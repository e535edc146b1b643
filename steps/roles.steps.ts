// Address by role (src/roles): specs name workloads, labels and Services, not generated pod names
// or allocated IPs, so they survive a deploy. "A pod of X" is one representative (the first ready
// pod in name order, said in the trace); "every pod of X" checks each and reports every failing one.
import { When, Then } from '@cucumber/cucumber';
import type { ConnectQuery, ConnectResult } from '../src/cni';
import { decidingHop } from '../src/cni';
import { InputErrors } from '../src/model/errors';
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
