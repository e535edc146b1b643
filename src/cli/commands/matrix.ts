// netspec matrix -f PATH… [-n NS]… [-l SELECTOR] [--ports 80,443/TCP] [--expect FILE] [-o text|csv|json|markdown]
// Who can reach whom: the reachability truth table of the pods in scope, per port. With --expect,
// exit 1 listing every cell that differs (with what decided it); 0 when the table holds.
import { readFileSync } from 'node:fs';
import { compareMatrix, ExpectError, parseExpectedMatrix, reachability, renderDiffs, renderMatrix, type MatrixFormat, type MatrixPort } from '../../policy';
import { parseSelectorString, SelectorError } from '../../model/selector';
import type { Protocol } from '../../net/packet';
import { FILENAME, WARNINGS, OUTPUT, noArguments, one, parseArgs, UsageError } from '../args';
import { loadFromFlags } from '../common';
import type { Command } from '../main';
import { closestList } from '../../model/suggest';

const USAGE = [
  'netspec matrix -f PATH… [-n NS]… [-l SELECTOR] [--ports 80,443/TCP] [--expect FILE] [-o text|csv|json|markdown]',
  '',
  '  Reachability between every pair of running pods in scope (pod IP to pod IP), per port, through',
  '  the policy tiers: Admin (AdminNetworkPolicy, ClusterNetworkPolicy tier Admin) → NetworkPolicy →',
  '  Baseline → allowed. Rows are sources, columns destinations; "." allowed, "X" blocked.',
  '  -n NS        namespaces in scope, both sides (repeatable or comma-separated; default: all)',
  '  -l SELECTOR  only pods matching a label selector, both sides (e.g. app=web,tier!=db)',
  '  --ports      PORT[/PROTO] list (protocol TCP unless given; "80,443/TCP" is 80/TCP and 443/TCP);',
  '               default: every port the pods in scope declare',
  '  --expect     an expected table (this command\'s text grid, CSV or JSON); exit 1 listing every',
  '               differing cell and the policy that decided it',
].join('\n');

/** "80,443/TCP,53/UDP" → ports; a protocol applies to the bare numbers before it. */
export function parsePorts(text: string): MatrixPort[] {
  const out: MatrixPort[] = [];
  let pending: number[] = [];
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:\/(TCP|UDP|SCTP))?$/i.exec(item);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > 65535) throw new UsageError(`--ports: "${item}" is not PORT or PORT/PROTOCOL (1-65535, TCP|UDP|SCTP)`);
    pending.push(Number(m[1]));
    if (m[2]) { for (const p of pending) out.push({ port: p, protocol: m[2].toUpperCase() as Protocol }); pending = []; }
  }
  for (const p of pending) out.push({ port: p, protocol: 'TCP' });
  if (!out.length) throw new UsageError('--ports needs at least one port');
  return out;
}

export const command: Command = {
  summary: 'who can reach whom: the policy truth table of the pods in scope',
  usage: USAGE,
  run(argv, io) {
    const p = parseArgs(argv, [
      FILENAME, WARNINGS, OUTPUT(['text', 'csv', 'json', 'markdown']),
      { name: 'namespace', short: 'n', value: true, repeat: true },
      { name: 'selector', short: 'l', value: true },
      { name: 'ports', value: true },
      { name: 'expect', value: true },
    ]);
    noArguments(p);
    const ports = one(p, 'ports') !== undefined ? parsePorts(one(p, 'ports')!) : undefined;
    let selector;
    const l = one(p, 'selector');
    if (l !== undefined) {
      try { selector = parseSelectorString(l); } catch (e) { if (e instanceof SelectorError || e instanceof Error) throw new UsageError(`-l "${l}": ${e.message}`); throw e; }
    }
    const namespaces = (p.flags.get('namespace') ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
    let expected;
    const expectFile = one(p, 'expect');
    if (expectFile !== undefined) {
      let text: string;
      try { text = readFileSync(expectFile, 'utf8'); } catch (e) { throw new UsageError(`--expect: cannot read ${expectFile} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`); }
      try { expected = parseExpectedMatrix(text); } catch (e) {
        if (e instanceof ExpectError) throw new UsageError(`${expectFile}:${e.line}: ${e.message}`);
        throw e;
      }
    }
    const cluster = loadFromFlags(p, io);
    for (const ns of namespaces) if (!cluster.realised.namespaces.has(ns)) throw new UsageError(`-n ${ns}: no such namespace (closest namespaces: ${closestList(ns, cluster.realised.namespaces.keys())})`);
    const m = reachability(cluster.realised, { namespaces, selector, ports });
    if (m.pods.length === 0) throw new UsageError(`no running pod is in scope${namespaces.length ? ` (namespaces ${namespaces.join(', ')})` : ''}${l ? ` matching ${l}` : ''}: the matrix would be empty`);
    if (m.ports.length === 0) throw new UsageError('the pods in scope declare no ports: name them with --ports 8080/TCP');
    if (expected) {
      const { diffs, unknown } = compareMatrix(m, expected);
      if (unknown.length) {
        io.err(`${expectFile}: names what the matrix does not have: ${unknown.join(', ')} (pods in scope: ${m.pods.map((x) => x.key).join(', ')}; ports: ${m.ports.map((x) => `${x.protocol}/${x.port}`).join(', ')})`);
        return 1;
      }
      if (diffs.length) {
        io.out(`${diffs.length} of ${expected.length} expected cell${expected.length === 1 ? '' : 's'} differ${diffs.length === 1 ? 's' : ''}:\n${renderDiffs(diffs)}`);
        return 1;
      }
      io.out(`all ${expected.length} expected cells hold`);
      return 0;
    }
    io.out(renderMatrix(m, (one(p, 'output') ?? 'text') as MatrixFormat));
    return 0;
  },
};
