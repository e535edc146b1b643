// A behaviour diff as people read it (text for a terminal, Markdown for a pull-request comment) and
// as programs do (JSON).
import type { Decider } from '../net/trace';
import { deciderText, type BehaviourDiff, type ObjectChange, type PairChange } from './diff';
import type { Destination } from './reach';

const where = (c: ObjectChange) => (c.pos ? `${c.pos.file}:${c.pos.line}` : '');
const causeText = (c: ObjectChange) => `${c.kind} ${c.name} ${c.op}${c.pos ? ` (${where(c)})` : ''}`;

export function destText(d: Destination): string {
  const port = `${d.port}/${d.protocol}${d.portName ? ` (${d.portName})` : ''}`;
  return d.kind === 'service' ? `Service ${d.owner}:${port}` : `${d.owner} pods:${port}`;
}

/** "now dropped: denied by NetworkPolicy shop/x (file:line)" */
function why(p: PairChange): string {
  const ans = p.change === 'gained' ? p.after : p.after ?? p.before;
  if (!p.after) return 'no longer exists on the new side';
  if (!p.before && p.change === 'gained') return `new: ${p.after.verdict}`;
  const ds: Decider[] = ans?.deciders ?? [];
  const by = ds.length ? ` by ${ds.map(deciderText).join(', ')}` : '';
  if (p.change === 'gained') {
    const was = p.before!.deciders.length ? ` (was ${p.before!.verdict} by ${p.before!.deciders.map(deciderText).join(', ')})` : ` (was ${p.before!.verdict})`;
    return `now delivered${by}${was}`;
  }
  return ds.length ? `now ${p.after.verdict}${by}` : `now ${p.after.verdict}: ${p.after.detail}`;
}

export function renderDiffText(d: BehaviourDiff): string {
  const lines: string[] = [];
  if (!d.objects.length) lines.push('no object changed');
  else {
    lines.push(`${d.objects.length} object${d.objects.length === 1 ? '' : 's'} changed:`);
    for (const c of d.objects) lines.push(`  ${c.op.padEnd(8)} ${c.kind} ${c.name}${c.pos ? `  (${where(c)})` : ''}`);
  }
  lines.push('');
  if (!d.pairs.length) lines.push(`no connection changed (${d.scope.asked} pairs asked on each side)`);
  else {
    lines.push(`${d.pairs.length} connection${d.pairs.length === 1 ? '' : 's'} changed (${d.scope.asked} pairs asked on each side${d.scope.full ? `; every pair, because ${d.scope.why}` : ''}):`);
    for (const p of d.pairs) {
      lines.push(`  ${p.change.padEnd(7)} ${p.from} → ${destText(p.to)}`);
      const now = why(p);
      const causes = p.causes.filter((c) => !now.includes(`${c.kind} ${c.name} `));
      lines.push(`          ${now}`);
      if (causes.length || !p.causes.length) lines.push(`          because ${causes.map(causeText).join(', ')}`);
      else lines[lines.length - 1] += ` (${p.causes.map((c) => c.op).join(', ')})`;
    }
  }
  if (d.facts.length) {
    lines.push('', `${d.facts.length} published fact${d.facts.length === 1 ? '' : 's'} changed:`);
    for (const f of d.facts) lines.push(`  ${f.subject}: ${f.before ?? '(none)'} → ${f.after ?? '(none)'}  because ${causeText(f.cause)}`);
  }
  return lines.join('\n');
}

const md = (s: string) => s.replace(/[|\\`*_]/g, (c) => `\\${c}`);

export function renderDiffMarkdown(d: BehaviourDiff): string {
  const lines = ['### netspec: behaviour changes', ''];
  if (!d.pairs.length) lines.push(`No connection changed (${d.scope.asked} pairs asked).`, '');
  else {
    lines.push('| change | from | to | now | caused by |', '|---|---|---|---|---|');
    for (const p of d.pairs) {
      const icon = p.change === 'lost' ? '🔴 lost' : p.change === 'gained' ? '🟢 gained' : '🟡 changed';
      lines.push(`| ${icon} | ${md(p.from)} | ${md(destText(p.to))} | ${md(why(p))} | ${md(p.causes.map(causeText).join(', '))} |`);
    }
    lines.push('');
  }
  if (d.facts.length) {
    lines.push('| what | before | after | caused by |', '|---|---|---|---|');
    for (const f of d.facts) lines.push(`| ${md(f.subject)} | ${md(f.before ?? '(none)')} | ${md(f.after ?? '(none)')} | ${md(causeText(f.cause))} |`);
    lines.push('');
  }
  if (d.objects.length) {
    lines.push('<details><summary>' + `${d.objects.length} object${d.objects.length === 1 ? '' : 's'} changed` + '</summary>', '');
    for (const c of d.objects) lines.push(`- ${c.op} ${md(c.kind)} \`${c.name}\`${c.pos ? ` (${md(where(c))})` : ''}`);
    lines.push('', '</details>');
  }
  return lines.join('\n');
}

export function diffJSON(d: BehaviourDiff): Record<string, unknown> {
  const ans = (a: PairChange['before']) => a && { reachable: a.reachable, verdict: a.verdict, detail: a.detail, deciders: a.deciders.map(deciderText) };
  return {
    objects: d.objects.map((c) => ({ op: c.op, kind: c.kind, name: c.name, at: c.pos ? where(c) : null })),
    changes: d.pairs.map((p) => ({
      change: p.change, from: p.from,
      to: { kind: p.to.kind, name: p.to.owner, port: p.to.port, protocol: p.to.protocol, portName: p.to.portName ?? null },
      before: ans(p.before), after: ans(p.after),
      causes: p.causes.map(causeText),
    })),
    facts: d.facts.map((f) => ({ subject: f.subject, before: f.before, after: f.after, cause: causeText(f.cause) })),
    scope: d.scope,
  };
}
