// Connectivity: who connects to what, and what happened to the packet. Every connect attaches its
// trace to the report; every failing assertion shows expected vs actual and the rendered trace.
import { When, Then, type DataTable } from '@cucumber/cucumber';
import { decidingHop, type ConnectQuery, type ConnectResult } from '../src/cni';
import { InputErrors } from '../src/model/errors';
import { formatDecider, renderHops } from '../src/net/trace';
import { connectAndRemember, failConnect, hostOf, lastConnect, natText, parseSelector, realNode, realPod } from './support';
import type { NetspecWorld } from './world';

function actualOutcome(r: ConnectResult): string {
  if (r.verdict === 'delivered') {
    if (r.delivered) return `delivered to ${r.delivered.pod} (${r.delivered.ip}:${r.delivered.port}, container ${r.delivered.container})`;
    if (r.egress) return `delivered out of the cluster via ${r.egress.node} towards ${r.egress.ip}:${r.egress.port}`;
    if (r.deliveredNode) return `delivered to node ${r.deliveredNode}'s network namespace`;
    return 'delivered';
  }
  return `${r.verdict} (${decidingHop(r)?.detail ?? 'no hops'})`;
}

// ---- connecting --------------------------------------------------------------------------------

When('pod {string} in namespace {string} connects to {string} on {protocol} port {int}', function (this: NetspecWorld, pod: string, ns: string, to: string, protocol: string, port: number) {
  connectAndRemember(this, { from: `${ns}/${pod}`, to, port, protocol });
});

When('pod {string} in namespace {string} connects to pod {string} on {protocol} port {int}', function (this: NetspecWorld, pod: string, ns: string, target: string, protocol: string, port: number) {
  connectAndRemember(this, { from: `${ns}/${pod}`, to: target.includes('/') ? target : `${ns}/${target}`, port, protocol });
});

When('pod {string} in namespace {string} connects to pod {string} in namespace {string} on {protocol} port {int}', function (this: NetspecWorld, pod: string, ns: string, target: string, tns: string, protocol: string, port: number) {
  connectAndRemember(this, { from: `${ns}/${pod}`, to: `${tns}/${target}`, port, protocol });
});

When('pod {string} in namespace {string} connects to node {string} on {protocol} port {int}', function (this: NetspecWorld, pod: string, ns: string, node: string, protocol: string, port: number) {
  connectAndRemember(this, { from: `${ns}/${pod}`, to: `node/${node}`, port, protocol });
});

When('container {string} of pod {string} in namespace {string} connects to {string} on {protocol} port {int}', function (this: NetspecWorld, ctr: string, pod: string, ns: string, to: string, protocol: string, port: number) {
  connectAndRemember(this, { from: `${ns}/${pod}`, container: ctr, to, port, protocol });
});

When('node {string} connects to {string} on {protocol} port {int}', function (this: NetspecWorld, node: string, to: string, protocol: string, port: number) {
  connectAndRemember(this, { from: `node/${node}`, to, port, protocol });
});

When('node {string} connects to pod {string} in namespace {string} on {protocol} port {int}', function (this: NetspecWorld, node: string, pod: string, ns: string, protocol: string, port: number) {
  connectAndRemember(this, { from: `node/${node}`, to: `${ns}/${pod}`, port, protocol });
});

When('a client at {ip} outside the cluster connects to {string} on {protocol} port {int}', function (this: NetspecWorld, ip: string, to: string, protocol: string, port: number) {
  connectAndRemember(this, { from: `external:${ip}`, to, port, protocol });
});

When('a client at {ip} outside the cluster connects to {string} on {protocol} port {int} via node {string}', function (this: NetspecWorld, ip: string, to: string, protocol: string, port: number, via: string) {
  connectAndRemember(this, { from: `external:${ip}`, to, port, protocol, via });
});

When('a client at {ip} outside the cluster connects to node {string} on {protocol} port {int}', function (this: NetspecWorld, ip: string, node: string, protocol: string, port: number) {
  connectAndRemember(this, { from: `external:${ip}`, to: `node/${node}`, port, protocol });
});

// ---- verdicts ----------------------------------------------------------------------------------

Then('the connection is {verdict}', function (this: NetspecWorld, verdict: string) {
  const l = lastConnect(this);
  if (l.result.verdict !== verdict) failConnect(l, verdict, actualOutcome(l.result));
});

function podMatches(deliveredKey: string, name: string): boolean {
  return name.includes('/') ? deliveredKey === name : deliveredKey.slice(deliveredKey.indexOf('/') + 1) === name;
}

Then('the connection is delivered to pod {string}', function (this: NetspecWorld, name: string) {
  const l = lastConnect(this);
  const d = l.result.delivered;
  if (l.result.verdict !== 'delivered' || !d || !podMatches(d.pod, name)) failConnect(l, `delivered to pod ${name}`, actualOutcome(l.result));
});

Then('the connection is delivered to pod {string} in namespace {string}', function (this: NetspecWorld, name: string, ns: string) {
  const l = lastConnect(this);
  const d = l.result.delivered;
  if (l.result.verdict !== 'delivered' || !d || d.pod !== `${ns}/${name}`) failConnect(l, `delivered to pod ${ns}/${name}`, actualOutcome(l.result));
});

function labelledCheck(world: NetspecWorld, selector: string, port: number | null): void {
  const l = lastConnect(world);
  const sel = parseSelector(selector);
  const r = world.cluster.realised;
  const matching = r.pods.filter((p) => sel.matches(p.labels));
  if (matching.length === 0) {
    throw new Error(`no pod in the cluster is labelled "${selector}", so "delivered to a pod labelled ${selector}" cannot hold (check the labels of your workloads)`);
  }
  const d = l.result.delivered;
  const expected = `delivered to one of the ${matching.length} pod(s) labelled "${selector}" (${matching.slice(0, 5).map((p) => p.key).join(', ')}${matching.length > 5 ? ', …' : ''})${port !== null ? ` on port ${port}` : ''}`;
  if (l.result.verdict !== 'delivered' || !d) failConnect(l, expected, actualOutcome(l.result));
  const pod = r.podByKey.get(d.pod);
  if (!pod || !sel.matches(pod.labels)) failConnect(l, expected, `${actualOutcome(l.result)}, labelled ${JSON.stringify(pod?.labels ?? {})}`);
  if (port !== null && d.port !== port) failConnect(l, expected, actualOutcome(l.result));
}

Then('the connection is delivered to a pod labelled {string}', function (this: NetspecWorld, selector: string) {
  labelledCheck(this, selector, null);
});

Then('the connection is delivered to a pod labelled {string} on port {int}', function (this: NetspecWorld, selector: string, port: number) {
  labelledCheck(this, selector, port);
});

Then('the connection is delivered to container {string}', function (this: NetspecWorld, ctr: string) {
  const l = lastConnect(this);
  const d = l.result.delivered;
  if (l.result.verdict !== 'delivered' || !d || d.container !== ctr) failConnect(l, `delivered to container ${ctr}`, actualOutcome(l.result));
});

Then('the connection is delivered to node {string}', function (this: NetspecWorld, node: string) {
  const l = lastConnect(this);
  if (l.result.verdict !== 'delivered' || l.result.deliveredNode !== node) failConnect(l, `delivered in node ${node}'s network namespace`, actualOutcome(l.result));
});

Then('the connection leaves the cluster through node {string}', function (this: NetspecWorld, node: string) {
  const l = lastConnect(this);
  if (l.result.verdict !== 'delivered' || l.result.egress?.node !== node) failConnect(l, `delivered out of the cluster through ${node}'s eth0`, actualOutcome(l.result));
});

// ---- how it travelled --------------------------------------------------------------------------

function nodeIP(world: NetspecWorld, name: string): string {
  return realNode(world, name).ip;
}

Then('the packet was encapsulated between node {string} and node {string}', function (this: NetspecWorld, a: string, b: string) {
  const l = lastConnect(this);
  const ipA = nodeIP(this, a), ipB = nodeIP(this, b);
  const enc = l.result.hops.filter((h) => h.action === 'encapsulate');
  const hit = enc.find((h) => h.packet?.outer && hostOf(h.packet.outer.src) === ipA && hostOf(h.packet.outer.dst) === ipB);
  if (!hit) {
    const seen = enc.map((h) => `${h.packet?.outer?.src} → ${h.packet?.outer?.dst}`).join('; ') || 'no encapsulation';
    failConnect(l, `encapsulated with outer ${ipA} (${a}) → ${ipB} (${b})`, seen);
  }
  if (!l.result.hops.some((h) => h.action === 'decapsulate' && h.at.startsWith(`node/${b}/`))) failConnect(l, `decapsulated on ${b}`, 'no decapsulation there');
});

function notEncapsulated(this: NetspecWorld): void {
  const l = lastConnect(this);
  if (l.result.encapsulated) {
    const h = l.result.hops.find((x) => x.action === 'encapsulate')!;
    failConnect(l, 'no encapsulation', `encapsulated at ${h.at}: ${h.detail}`);
  }
}
Then('it was not encapsulated', notEncapsulated);
Then('the packet was not encapsulated', notEncapsulated);

Then('no address translation happened', function (this: NetspecWorld) {
  const l = lastConnect(this);
  if (l.result.nat.length) failConnect(l, 'no NAT', natText(l.result.nat));
});

Then('the source was masqueraded to node {string}\'s IP', function (this: NetspecWorld, node: string) {
  const l = lastConnect(this);
  const ip = nodeIP(this, node);
  const snat = l.result.nat.filter((n) => n.kind === 'SNAT');
  if (!snat.some((n) => hostOf(n.after) === ip)) {
    failConnect(l, `the source masqueraded (SNAT) to ${ip} (${node})`, natText(snat, 'no source NAT'));
  }
});

function seenSource(r: ConnectResult): string | null {
  return r.final ? hostOf(r.final.src) : null;
}

function sourceCheck(world: NetspecWorld, ip: string, what: string): void {
  const l = lastConnect(world);
  const seen = seenSource(l.result);
  if (l.result.verdict !== 'delivered' || seen !== ip) failConnect(l, `delivered, the destination seeing ${ip} (${what}) as the source`, `${actualOutcome(l.result)}; source seen: ${seen ?? 'nothing arrived'}`);
}

Then('the destination sees the source address {ip}', function (this: NetspecWorld, ip: string) {
  sourceCheck(this, ip, ip);
});

Then('the destination sees the client\'s own address', function (this: NetspecWorld) {
  const l = lastConnect(this);
  if (!l.clientIP) throw new Error('the client of the last connection has no single address to compare with');
  sourceCheck(this, l.clientIP, "the client's own address");
});

Then('the destination sees the source address of node {string}', function (this: NetspecWorld, node: string) {
  sourceCheck(this, nodeIP(this, node), `node ${node}`);
});

Then('the destination sees the source address of pod {string} in namespace {string}', function (this: NetspecWorld, pod: string, ns: string) {
  sourceCheck(this, realPod(this, `${ns}/${pod}`).ip, `pod ${ns}/${pod}`);
});

Then('the trace passes through {string}', function (this: NetspecWorld, at: string) {
  const l = lastConnect(this);
  if (!l.result.hops.some((h) => h.at === at || h.at.startsWith(at + '/'))) failConnect(l, `a hop at ${at}`, `hops at ${[...new Set(l.result.hops.map((h) => h.at))].join(', ')}`);
});

Then('the trace does not pass through {string}', function (this: NetspecWorld, at: string) {
  const l = lastConnect(this);
  const h = l.result.hops.find((x) => x.at === at || x.at.startsWith(at + '/'));
  if (h) failConnect(l, `no hop at ${at}`, `${h.action} at ${h.at}: ${h.detail}`);
});

Then('the trace says {string}', function (this: NetspecWorld, text: string) {
  const l = lastConnect(this);
  if (!l.result.hops.some((h) => h.detail.includes(text))) failConnect(l, `a hop saying "${text}"`, 'no hop says it');
});

// ---- many pairs at once ------------------------------------------------------------------------

Then('these connections have these verdicts:', function (this: NetspecWorld, table: DataTable) {
  const rows = table.hashes();
  if (rows.length === 0) throw new Error('the table has no rows: nothing would be checked');
  for (const col of ['from', 'to', 'port', 'verdict']) {
    if (!(col in rows[0])) throw new Error(`the table needs the columns | from | to | port | verdict | (missing "${col}")`);
  }
  const cluster = this.cluster;
  const failures: string[] = [];
  const failedTraces: string[] = [];
  const traces: string[] = [];
  rows.forEach((row, i) => {
    const q: ConnectQuery = { from: row.from.trim(), to: row.to.trim(), port: Number(row.port), protocol: (row.protocol ?? '').trim() || 'TCP' };
    if ((row.via ?? '').trim()) q.via = row.via.trim();
    const label = `row ${i + 1}: ${row.from} → ${row.to} ${q.protocol} ${row.port}`;
    let res: ConnectResult;
    try {
      res = cluster.connect(q);
    } catch (e) {
      if (!(e instanceof InputErrors)) throw e;
      failures.push(`${label}\n    expected: ${row.verdict.trim()}\n    actual:   input error: ${e.errors.map((x) => `${x.code}: ${x.message} (${x.hint})`).join('; ')}`);
      return;
    }
    traces.push(`${label}: ${res.verdict}\n${renderHops(res.hops)}`);
    if (res.verdict !== row.verdict.trim()) {
      const h = decidingHop(res);
      failures.push(`${label}\n    expected: ${row.verdict.trim()}\n    actual:   ${actualOutcome(res)}\n    decided:  ${h ? `${h.action} at ${h.at}${h.source ? ` by ${formatDecider(h.source)}` : ''}` : 'nothing'}`);
      failedTraces.push(`${label}: ${res.verdict}\n${renderHops(res.hops)}`);
    }
  });
  this.attachText(traces.join('\n\n'));
  if (failures.length) {
    throw new Error(`${failures.length} of ${rows.length} connections did not get the expected verdict:\n\n${failures.join('\n\n')}`
      + (failedTraces.length ? `\n\ntraces of the failing rows:\n\n${failedTraces.join('\n\n')}` : ''));
  }
});

Then('the trace mentions {string}', function (this: NetspecWorld, text: string) {
  const l = lastConnect(this);
  const hit = l.result.hops.some((h) => h.detail.includes(text) || (h.source && formatDecider(h.source).includes(text)));
  if (!hit) failConnect(l, `a hop whose detail or deciding object mentions "${text}"`, 'none does');
});
