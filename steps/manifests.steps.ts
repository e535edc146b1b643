// Inputs and the control plane's allocations: what was loaded (and from where), what was refused
// (every error, with its position, code and hint), the cluster configuration folded from the
// real config documents, and what the simulated control plane derived — node podCIDRs, pod IPs,
// placement, names — plus label-selector semantics. Steps only read the realised cluster.
import { Then, type DataTable } from '@cucumber/cucumber';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ClusterConfig } from '../src/model/config';
import { formatError, type InputError, type Warning } from '../src/model/errors';
import type { RPod, Realised } from '../src/model/realised';
import { compileLabelSelector, SelectorError, type CompiledSelector } from '../src/model/selector';
import { originOf, posOf } from '../src/model/types';
import { cidrContains } from '../src/net/ip';
import { formatPos, type SourcePos } from '../src/net/trace';
import { diagnosticsText, parseSelector, realPod } from './support';
import type { NetspecWorld } from './world';

// ---- helpers -----------------------------------------------------------------------------------

const cell = (row: Record<string, string>, key: string): string | undefined => {
  const v = row[key];
  return v === undefined ? undefined : v.trim();
};

function requireColumns(rows: Record<string, string>[], cols: string[], shape: string): void {
  if (rows.length === 0) throw new Error(`the table has no rows: nothing would be checked (columns: ${shape})`);
  for (const c of cols) if (!(c in rows[0])) throw new Error(`the table needs the column "${c}" (${shape})`);
}

/** The file a row names (relative to the feature file's folder), else the feature file itself. */
function expectedFile(world: NetspecWorld, row: Record<string, string>): string {
  const f = cell(row, 'file');
  const feature = world.place.pos.file;
  return f ? resolve(dirname(feature), f) : resolve(feature);
}

function samePos(world: NetspecWorld, row: Record<string, string>, pos: SourcePos | undefined): boolean {
  if (!pos) return false;
  if (resolve(pos.file) !== expectedFile(world, row)) return false;
  const line = cell(row, 'line');
  if (line !== undefined && line !== '' && pos.line !== Number(line)) return false;
  const col = cell(row, 'col');
  if (col !== undefined && col !== '' && pos.col !== Number(col)) return false;
  return true;
}

function describeRow(row: Record<string, string>): string {
  return Object.entries(row).filter(([, v]) => v.trim() !== '').map(([k, v]) => `${k} ${v.trim()}`).join(', ');
}

/**
 * Matches table rows to diagnostics one to one: every row must find its own diagnostic, and every
 * diagnostic must be listed. Returns the problems, all of them.
 */
function matchDiagnostics(world: NetspecWorld, rows: Record<string, string>[], found: readonly (InputError | Warning)[], what: string): string[] {
  const left = found.slice();
  const problems: string[] = [];
  for (const row of rows) {
    const code = cell(row, 'code')!;
    const msg = cell(row, 'message');
    const hint = cell(row, 'hint');
    const i = left.findIndex((e) => e.code === code && samePos(world, row, e.pos) && (!msg || e.message.includes(msg))
      && (!hint || ('hint' in e && typeof e.hint === 'string' && e.hint.includes(hint))));
    if (i < 0) problems.push(`missing: ${describeRow(row)}`);
    else left.splice(i, 1);
  }
  for (const e of left) problems.push(`not listed: ${formatError(e).split('\n')[0]}${e.pos ? '' : ' (no position)'}`);
  if (problems.length) {
    problems.push('', `the ${what} were:`, ...found.map((e) => '  ' + formatError(e).replace(/\n/g, '\n  ')));
  }
  return problems;
}

function realised(world: NetspecWorld): Realised {
  return world.cluster.realised;
}

function pod(world: NetspecWorld, name: string, ns: string): RPod {
  return realPod(world, `${ns}/${name}`);
}

/** Pods of a namespace that a selector picks, through the label index the controllers use. */
function selected(world: NetspecWorld, sel: CompiledSelector, ns: string): RPod[] {
  return realised(world).podIndex(ns).select(sel);
}

const byNatural = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

// ---- loading and bad input ---------------------------------------------------------------------

Then('loading fails with these errors:', function (this: NetspecWorld, table: DataTable) {
  const rows = table.hashes();
  requireColumns(rows, ['code', 'line'], '| code | line | and optionally | file | col | message | hint |');
  const { errors } = this.tryLoad();
  if (!errors) throw new Error(`expected loading to fail with ${rows.length} error(s), but the cluster loaded without errors`);
  this.attachText(diagnosticsText(errors.errors, ''));
  const problems = matchDiagnostics(this, rows, errors.errors, 'errors');
  // every error says how to fix it, in one line
  for (const e of errors.errors) {
    if (!e.hint || !e.hint.trim() || e.hint.includes('\n')) problems.unshift(`no one-line hint: ${formatError(e).split('\n')[0]}`);
    if (!/^NS-[A-Z0-9-]+$/.test(e.code)) problems.unshift(`a code that is not NS-…: ${e.code}`);
  }
  if (problems.length) throw new Error(problems.join('\n'));
});

Then('the cluster loads with these warnings:', function (this: NetspecWorld, table: DataTable) {
  const rows = table.hashes();
  requireColumns(rows, ['code', 'line'], '| code | line | and optionally | file | col | message |');
  const { cluster, errors } = this.tryLoad();
  if (!cluster) throw new Error(`expected the cluster to load with warnings; it has input errors:\n${diagnosticsText(errors?.errors ?? [])}`);
  this.attachText(diagnosticsText(cluster.warnings, ''));
  const problems = matchDiagnostics(this, rows, cluster.warnings, 'warnings');
  if (problems.length) throw new Error(problems.join('\n'));
});

Then('the cluster loads without warnings', function (this: NetspecWorld) {
  const { cluster, errors } = this.tryLoad();
  if (!cluster) throw new Error(`expected the cluster to load; it has input errors:\n${diagnosticsText(errors?.errors ?? [])}`);
  if (cluster.warnings.length) throw new Error(`expected no warnings, got ${cluster.warnings.length}:\n${diagnosticsText(cluster.warnings)}`);
});

Then('these objects were loaded:', function (this: NetspecWorld, table: DataTable) {
  const rows = table.hashes();
  requireColumns(rows, ['kind', 'name', 'line'], '| kind | namespace | name | line | and optionally | file |');
  const r = realised(this);
  const problems: string[] = [];
  for (const row of rows) {
    const kind = cell(row, 'kind')!, name = cell(row, 'name')!, ns = cell(row, 'namespace') || undefined;
    const obj = r.objects.find((o) => o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? undefined) === ns);
    const label = `${kind} ${ns ? ns + '/' : ''}${name}`;
    if (!obj) { problems.push(`${label} is not in the cluster`); continue; }
    const o = originOf(obj);
    if (!o || o.derived) { problems.push(`${label} was not read from the input (${o?.derived ? `made by the control plane for ${o.derived}` : 'no origin'})`); continue; }
    if (!samePos(this, row, posOf(obj))) problems.push(`${label} was read at ${formatPos(posOf(obj))}, not at ${cell(row, 'file') ?? 'this feature'} line ${cell(row, 'line')}`);
  }
  if (problems.length) throw new Error(problems.join('\n'));
});

Then('the cluster holds {int} object(s) of kind {string} read from the input', function (this: NetspecWorld, n: number, kind: string) {
  const objs = realised(this).objects.filter((o) => o.kind === kind && originOf(o) && !originOf(o)!.derived);
  if (objs.length !== n) {
    throw new Error(`expected ${n} ${kind} object(s) read from the input; found ${objs.length}: ${objs.map((o) => `${o.metadata.namespace ? o.metadata.namespace + '/' : ''}${o.metadata.name} (${formatPos(posOf(o))})`).join(', ') || 'none'}`);
  }
});

// ---- cluster configuration ---------------------------------------------------------------------

type Setting = { key: keyof ClusterConfig; value(c: ClusterConfig, r: Realised): string };

/** The settings a feature can name, in the words of the component that owns them. */
const SETTINGS: Record<string, Setting> = {
  'pod subnet': { key: 'podSubnets', value: (c) => c.podSubnets.join(',') },
  'service subnet': { key: 'serviceSubnets', value: (c) => c.serviceSubnets.join(',') },
  'DNS domain': { key: 'dnsDomain', value: (c) => c.dnsDomain },
  // what the kubelet writes into pods: clusterDNS, else kube-dns's address (the 10th of the service range)
  'cluster DNS': { key: 'clusterDNS', value: (c, r) => (c.clusterDNS ?? r.serviceByKey.get('kube-system/kube-dns')?.clusterIPs ?? []).join(',') },
  'kube-proxy mode': { key: 'proxyMode', value: (c) => c.proxyMode },
  'IPVS scheduler': { key: 'ipvsScheduler', value: (c) => c.ipvsScheduler },
  'node podCIDR size': { key: 'nodeCidrMaskSizeV4', value: (c) => `/${c.nodeCidrMaskSizeV4}` },
  'NodePort range': { key: 'nodePortRange', value: (c) => `${c.nodePortRange[0]}-${c.nodePortRange[1]}` },
  'pod network': { key: 'podNetwork', value: (c) => `${c.podNetwork.mode} (${c.podNetwork.plugin})` },
};

Then('the cluster configuration is:', function (this: NetspecWorld, table: DataTable) {
  const rows = table.hashes();
  requireColumns(rows, ['setting', 'value'], '| setting | value | and optionally | set at line | (a number, or "default")');
  const r = realised(this);
  const c = r.config;
  const problems: string[] = [];
  for (const row of rows) {
    const name = cell(row, 'setting')!;
    const s = SETTINGS[name];
    if (!s) throw new Error(`unknown setting "${name}" (known: ${Object.keys(SETTINGS).join(', ')})`);
    const actual = s.value(c, r);
    const prov = c.provenance[s.key];
    if (actual !== cell(row, 'value')) problems.push(`${name}: expected ${cell(row, 'value')}, got ${actual} (${prov ? `set by ${prov}` : 'the default'})`);
    const at = cell(row, 'set at line');
    if (at === undefined || at === '') continue;
    if (at === 'default') {
      if (prov) problems.push(`${name}: expected the default, but it was set by ${prov}`);
    } else {
      const m = prov ? /\(([^()]*):(\d+)\)$/.exec(prov) : null;
      if (!m || Number(m[2]) !== Number(at) || resolve(m[1]) !== resolve(this.place.pos.file)) {
        problems.push(`${name}: expected it set at line ${at} of this feature; ${prov ? `it was set by ${prov}` : 'it is the default'}`);
      }
    }
  }
  if (problems.length) throw new Error(problems.join('\n'));
});

Then('the pod network mode is {string}', function (this: NetspecWorld, mode: string) {
  const n = realised(this).config.podNetwork;
  if (n.mode !== mode) throw new Error(`expected the pod network mode ${mode}; it is ${n.mode} (${n.plugin}), decided by ${n.decidedBy}`);
});

Then('the pod network mode is {string}, decided by {string} at line {int}', function (this: NetspecWorld, mode: string, by: string, line: number) {
  const n = realised(this).config.podNetwork;
  const problems: string[] = [];
  if (n.mode !== mode) problems.push(`mode: expected ${mode}, got ${n.mode} (${n.plugin})`);
  if (!n.decidedBy.includes(by)) problems.push(`decided by: expected "${by}" in "${n.decidedBy}"`);
  if (!n.pos || n.pos.line !== line || resolve(n.pos.file) !== resolve(this.place.pos.file)) problems.push(`expected the deciding field at line ${line} of this feature; it is at ${n.pos ? formatPos(n.pos) : 'no position (a default)'}`);
  if (problems.length) throw new Error(`${problems.join('\n')}\n(the pod network: ${n.mode} over ${n.device}, ${n.decidedBy})`);
});

// ---- what the control plane made ---------------------------------------------------------------

Then('the nodes are, in order:', function (this: NetspecWorld, table: DataTable) {
  const rows = table.hashes();
  requireColumns(rows, ['node'], '| node | and any of | podCIDR | IP |');
  const nodes = realised(this).nodes;
  // (columns in the table's order)
  const actual = nodes.map((n) => {
    const facts: Record<string, string> = { node: n.name, podCIDR: n.podCIDRs.map((c) => c.text).join(','), IP: n.ip };
    return Object.fromEntries(Object.keys(rows[0]).map((k) => [k, facts[k] ?? `(no column ${k})`]));
  });
  const expected = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.trim()])));
  const fmt = (rs: Record<string, string>[]) => rs.map((r) => '  | ' + Object.values(r).join(' | ') + ' |').join('\n');
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`expected the nodes:\n${fmt(expected)}\nactual:\n${fmt(actual)}`);
});

Then('pod {string} in namespace {string} has IP {ip}', function (this: NetspecWorld, name: string, ns: string, ip: string) {
  const p = pod(this, name, ns);
  if (p.ip !== ip) throw new Error(`expected ${ns}/${name} to have ${ip}; it has ${p.ip || 'no IP'} on ${p.node?.name ?? 'no node'}${p.node ? ` (podCIDR ${p.node.podCIDRs.map((c) => c.text).join(',')})` : ''}`);
});

Then('the pods labelled {string} in namespace {string} have the IPs {names}', function (this: NetspecWorld, labels: string, ns: string, ips: string[]) {
  const pods = selected(this, parseSelector(labels), ns);
  const got = pods.map((p) => p.ip).sort(byNatural);
  const want = ips.slice().sort(byNatural);
  if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`expected the pods labelled "${labels}" in ${ns} to have ${want.join(', ')}; they have ${pods.map((p) => `${p.name} ${p.ip} on ${p.node?.name ?? 'no node'}`).join(', ') || 'no pod matches'}`);
});

Then('pod {string} in namespace {string} runs on node {string}', function (this: NetspecWorld, name: string, ns: string, node: string) {
  const p = pod(this, name, ns);
  if (p.node?.name !== node) throw new Error(`expected ${ns}/${name} on ${node}; it runs on ${p.node?.name ?? 'no node'}`);
});

Then('pod {string} in namespace {string} has hostname {string} and subdomain {string}', function (this: NetspecWorld, name: string, ns: string, hostname: string, subdomain: string) {
  const p = pod(this, name, ns);
  if (p.hostname !== hostname || (p.subdomain ?? '') !== subdomain) {
    throw new Error(`expected ${ns}/${name} to have hostname ${hostname} and subdomain ${subdomain}; it has hostname ${p.hostname} and subdomain ${p.subdomain ?? '(none)'}`);
  }
});

Then('the pods labelled {string} in namespace {string} are named {names}', function (this: NetspecWorld, labels: string, ns: string, names: string[]) {
  const got = selected(this, parseSelector(labels), ns).map((p) => p.name).sort(byNatural);
  const want = names.slice().sort(byNatural);
  if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`expected the pods labelled "${labels}" in ${ns} to be ${want.join(', ')}; they are ${got.join(', ') || 'none'}`);
});

Then('the pods labelled {string} in namespace {string} are spread over the nodes like this:', function (this: NetspecWorld, labels: string, ns: string, table: DataTable) {
  const rows = table.hashes();
  requireColumns(rows, ['node', 'pods'], '| node | pods |');
  const pods = selected(this, parseSelector(labels), ns);
  if (pods.length === 0) throw new Error(`no pod in ${ns} is labelled "${labels}"`);
  const count = new Map<string, number>();
  for (const p of pods) count.set(p.node?.name ?? '(unscheduled)', (count.get(p.node?.name ?? '(unscheduled)') ?? 0) + 1);
  const problems: string[] = [];
  const listed = new Set<string>();
  for (const row of rows) {
    const node = cell(row, 'node')!;
    listed.add(node);
    const n = count.get(node) ?? 0;
    if (n !== Number(cell(row, 'pods'))) problems.push(`${node}: expected ${cell(row, 'pods')} pod(s), found ${n}`);
  }
  for (const [node, n] of count) if (!listed.has(node)) problems.push(`${node}: not listed, but ${n} pod(s) run there`);
  if (problems.length) throw new Error(`${problems.join('\n')}\n(pods: ${pods.map((p) => `${p.name} on ${p.node?.name ?? 'none'}`).join(', ')})`);
});

Then('every pod IP lies in the podCIDR of its node', function (this: NetspecWorld) {
  const bad = realised(this).pods.filter((p) => !p.hostNetwork && p.node && !p.ips.every((ip) => p.node!.podCIDRs.some((c) => cidrContains(c, ip))));
  if (bad.length) throw new Error(bad.map((p) => `${p.key} has ${p.ips.join(',')} outside ${p.node!.name}'s podCIDR ${p.node!.podCIDRs.map((c) => c.text).join(',')}`).join('\n'));
});

Then('no two pods share an IP', function (this: NetspecWorld) {
  const seen = new Map<string, string>();
  const clashes: string[] = [];
  for (const p of realised(this).pods) {
    if (p.hostNetwork) continue;
    for (const ip of p.ips) {
      const other = seen.get(ip);
      if (other) clashes.push(`${ip}: ${other} and ${p.key}`); else seen.set(ip, p.key);
    }
  }
  if (clashes.length) throw new Error(`pods sharing an address:\n${clashes.join('\n')}`);
});

Then('the cluster has the namespace {string} labelled {string}', function (this: NetspecWorld, name: string, labels: string) {
  const ns = realised(this).namespaces.get(name);
  if (!ns) throw new Error(`no namespace ${name} (namespaces: ${[...realised(this).namespaces.keys()].join(', ')})`);
  if (!parseSelector(labels).matches(ns.metadata.labels)) throw new Error(`namespace ${name} is labelled ${JSON.stringify(ns.metadata.labels ?? {})}, which does not match "${labels}"`);
});

Then('the cluster has the service {string} in namespace {string} at {ip}', function (this: NetspecWorld, name: string, ns: string, ip: string) {
  const s = realised(this).serviceByKey.get(`${ns}/${name}`);
  if (!s) throw new Error(`no service ${ns}/${name} (services: ${realised(this).services.map((x) => x.key).join(', ')})`);
  if (!s.clusterIPs.includes(ip)) throw new Error(`service ${ns}/${name} has the cluster IP(s) ${s.clusterIPs.join(', ') || 'none'}, not ${ip}`);
});

// ---- label selectors ---------------------------------------------------------------------------

function checkSelection(world: NetspecWorld, sel: CompiledSelector, shown: string, ns: string, names: string[]): void {
  const got = selected(world, sel, ns).map((p) => p.name).sort(byNatural);
  const want = names.slice().sort(byNatural);
  // the index's answer must be the plain evaluation's answer
  const plain = realised(world).pods.filter((p) => p.ns === ns && sel.matches(p.labels)).map((p) => p.name).sort(byNatural);
  if (JSON.stringify(plain) !== JSON.stringify(got)) throw new Error(`the label index selected ${got.join(', ')} but evaluating "${shown}" on every pod gives ${plain.join(', ')}`);
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    const all = realised(world).pods.filter((p) => p.ns === ns).map((p) => `${p.name} ${JSON.stringify(p.labels)}`).join('\n  ');
    throw new Error(`"${shown}" selects ${got.join(', ') || 'no pod'}; expected ${want.join(', ') || 'no pod'}\npods in ${ns}:\n  ${all}`);
  }
}

Then('the selector {string} selects exactly the pods {names} in namespace {string}', function (this: NetspecWorld, text: string, names: string[], ns: string) {
  checkSelection(this, parseSelector(text), text, ns, names);
});

Then('the selector {string} selects no pod in namespace {string}', function (this: NetspecWorld, text: string, ns: string) {
  checkSelection(this, parseSelector(text), text, ns, []);
});

Then('this label selector selects exactly the pods {names} in namespace {string}:', function (this: NetspecWorld, names: string[], ns: string, doc: string) {
  let sel: CompiledSelector;
  try { sel = compileLabelSelector(parseYaml(doc)); } catch (e) {
    if (e instanceof SelectorError) throw new Error(`the selector is invalid: ${e.message}`);
    throw e;
  }
  checkSelection(this, sel, sel.text || '(empty selector)', ns, names);
});
