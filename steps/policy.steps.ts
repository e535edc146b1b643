// NetworkPolicy: the common policies in one line each (anything else through `Given the manifest:`),
// and what the trace says about them. Steps only build objects and read results.
import { Given, Then, type DataTable } from '@cucumber/cucumber';
import { compareMatrix, ExpectError, gridToExpected, policyIndex, reachability, renderDiffs, type Direction } from '../src/policy';
import { failConnect, lastConnect, parseLabels, realPod } from './support';
import type { NetspecWorld } from './world';

function addPolicy(world: NetspecWorld, name: string, ns: string, spec: Record<string, unknown>): void {
  world.addObject({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });
}

function podSelector(labels: string): Record<string, unknown> {
  const l = labels.trim() ? parseLabels(labels) : {};
  return Object.keys(l).length ? { matchLabels: l } : {};
}

function denyAll(world: NetspecWorld, name: string, ns: string, types: string[]): void {
  addPolicy(world, name, ns, { podSelector: {}, policyTypes: types });
}

Given('a network policy {string} in namespace {string} that denies all ingress', function (this: NetspecWorld, name: string, ns: string) {
  denyAll(this, name, ns, ['Ingress']);
});

Given('a network policy {string} in namespace {string} that denies all egress', function (this: NetspecWorld, name: string, ns: string) {
  denyAll(this, name, ns, ['Egress']);
});

Given('a network policy {string} in namespace {string} that denies all ingress and egress', function (this: NetspecWorld, name: string, ns: string) {
  denyAll(this, name, ns, ['Ingress', 'Egress']);
});

function allowIngress(world: NetspecWorld, name: string, ns: string, target: string, from: string, port?: { protocol: string; port: number }): void {
  const rule: Record<string, unknown> = { from: [{ podSelector: podSelector(from) }] };
  if (port) rule.ports = [port];
  addPolicy(world, name, ns, { podSelector: podSelector(target), policyTypes: ['Ingress'], ingress: [rule] });
}

Given('a network policy {string} in namespace {string} that allows ingress to pods labelled {string} from pods labelled {string}', function (this: NetspecWorld, name: string, ns: string, target: string, from: string) {
  allowIngress(this, name, ns, target, from);
});

Given('a network policy {string} in namespace {string} that allows ingress to pods labelled {string} from pods labelled {string} on {protocol} port {int}', function (this: NetspecWorld, name: string, ns: string, target: string, from: string, protocol: string, port: number) {
  allowIngress(this, name, ns, target, from, { protocol, port });
});

Given('a network policy {string} in namespace {string} that allows all ingress to pods labelled {string}', function (this: NetspecWorld, name: string, ns: string, target: string) {
  addPolicy(this, name, ns, { podSelector: podSelector(target), policyTypes: ['Ingress'], ingress: [{}] });
});

// ---- outcomes ----------------------------------------------------------------------------------

function policyHop(world: NetspecWorld, action: 'allow' | 'deny', key?: string) {
  const l = lastConnect(world);
  const at = key ? `policy/${key}` : undefined;
  const h = l.result.hops.find((x) => x.action === action && (at === undefined ? x.at.startsWith('policy/') : x.at === at));
  return { l, h };
}

Then('the connection is denied by network policy', function (this: NetspecWorld) {
  const { l, h } = policyHop(this, 'deny');
  if (l.result.verdict !== 'dropped' || !h) failConnect(l, 'dropped by a NetworkPolicy (a deny hop at policy/…)', `${l.result.verdict}${h ? '' : ', no deny hop'}`);
});

Then('the connection is denied by network policy {string} in namespace {string}', function (this: NetspecWorld, name: string, ns: string) {
  const { l, h } = policyHop(this, 'deny', `${ns}/${name}`);
  if (l.result.verdict !== 'dropped' || !h) failConnect(l, `dropped with a deny hop naming NetworkPolicy ${ns}/${name}`, `${l.result.verdict}${h ? '' : ', no such deny hop'}`);
});

Then('the connection is allowed by network policy {string} in namespace {string}', function (this: NetspecWorld, name: string, ns: string) {
  const { l, h } = policyHop(this, 'allow', `${ns}/${name}`);
  if (!h) failConnect(l, `an allow hop at policy/${ns}/${name}`, `hops: ${l.result.hops.filter((x) => x.at.startsWith('policy/')).map((x) => `${x.action} ${x.at}`).join(', ') || 'no policy hop'}`);
});

Then('no network policy was consulted', function (this: NetspecWorld) {
  const l = lastConnect(this);
  const h = l.result.hops.find((x) => x.at.startsWith('policy/'));
  if (h) failConnect(l, 'no hop at policy/…', `${h.action} at ${h.at}: ${h.detail}`);
});

Then('pod {string} in namespace {string} is isolated for {word}', function (this: NetspecWorld, pod: string, ns: string, dir: string) {
  isolation(this, pod, ns, dir, true);
});

Then('pod {string} in namespace {string} is not isolated for {word}', function (this: NetspecWorld, pod: string, ns: string, dir: string) {
  isolation(this, pod, ns, dir, false);
});

function isolation(world: NetspecWorld, pod: string, ns: string, dir: string, want: boolean): void {
  if (dir !== 'ingress' && dir !== 'egress') throw new Error(`"${dir}": say ingress or egress`);
  const p = realPod(world, `${ns}/${pod}`);
  const by = policyIndex(world.cluster.realised).isolationOf(p)[dir as Direction];
  if ((by.length > 0) !== want) {
    throw new Error(`pod ${ns}/${pod}: expected ${want ? '' : 'not '}isolated for ${dir}, but ${by.length ? `NetworkPolicies ${by.map((x) => x.key).join(', ')} select it` : 'no NetworkPolicy with ' + dir + ' in its policyTypes selects it'}`);
  }
}

Then('the reply comes back to the client', function (this: NetspecWorld) {
  const l = lastConnect(this);
  if (l.result.verdict !== 'delivered' || !l.result.reply) failConnect(l, 'a delivered connection whose reply returns (conntrack)', `${l.result.verdict}, reply ${l.result.reply ? 'from ' + l.result.reply.source : 'none'}`);
});

// ---- the admin tiers ---------------------------------------------------------------------------

const TIER_KINDS: Record<string, string[]> = {
  admin: ['AdminNetworkPolicy', 'ClusterNetworkPolicy'],
  baseline: ['BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy'],
};
const TIER_ACTIONS: Record<string, string> = { allowed: 'allow', denied: 'deny', passed: 'pass' };

Then('the connection is {word} by the {word} tier\'s policy {string}', function (this: NetspecWorld, verb: string, tier: string, name: string) {
  const action = TIER_ACTIONS[verb];
  const kinds = TIER_KINDS[tier];
  if (!action || !kinds) throw new Error(`say "allowed", "denied" or "passed" by the "admin" or "baseline" tier's policy (got "${verb}" by the "${tier}" tier)`);
  const l = lastConnect(this);
  const ats = kinds.map((k) => `policy/${k}/${name}`);
  const h = l.result.hops.find((x) => ats.includes(x.at) && x.action === action && x.detail.startsWith(tier === 'admin' ? 'Admin tier:' : 'Baseline tier:'));
  const policyHops = l.result.hops.filter((x) => x.at.startsWith('policy/')).map((x) => `${x.action} at ${x.at}`).join(', ') || 'no policy hop';
  if (!h) failConnect(l, `a ${action} hop of the ${tier} tier's policy ${name} (${ats.join(' or ')})`, policyHops);
  if (action === 'deny' && l.result.verdict !== 'dropped') failConnect(l, 'dropped', l.result.verdict);
});

// ---- truth tables ------------------------------------------------------------------------------

/**
 * A whole truth table, rows sources and columns destinations ("." allowed, "X" blocked), as
 * `netspec matrix` prints it. Rows and columns name NS/POD, a pod name, or a label selector (every
 * running pod it matches). Every differing cell is reported with the policy that decided it.
 */
Then('the reachability on {protocol} port {int} is:', function (this: NetspecWorld, protocol: string, port: number, table: DataTable) {
  const label = `${protocol}/${port}`;
  let expected;
  try { expected = gridToExpected(table.raw(), label); } catch (e) {
    if (e instanceof ExpectError) throw new Error(`the table, row ${e.line}: ${e.message}`);
    throw e;
  }
  const m = reachability(this.cluster.realised, { ports: [{ port, protocol: protocol as 'TCP' }] });
  const { diffs, unknown } = compareMatrix(m, expected);
  if (unknown.length) throw new Error(`the table names what the cluster's running pods do not match: ${unknown.join(', ')}`);
  if (diffs.length) throw new Error(`${diffs.length} cell${diffs.length === 1 ? '' : 's'} of the ${label} truth table differ${diffs.length === 1 ? 's' : ''}:\n${renderDiffs(diffs, 'the table\'s row')}`);
});
