// The reachability matrix as people and tools read it: a grid per port as cyclonus prints its truth
// tables ("." the connection is allowed, "X" it is blocked; rows are sources, columns destinations),
// CSV and JSON (one row a cell, with the deciding tier, policy, rule and file:line), Markdown. And
// the other way: an expected table (any of the grid, CSV or JSON forms) compared cell by cell.
import { formatPos } from '../net/trace';
import { parseSelectorString } from '../model/selector';
import type { Matrix, MatrixCell, MatrixPort } from './matrix';

export type MatrixFormat = 'text' | 'csv' | 'json' | 'markdown';

export const ALLOWED = '.';
export const BLOCKED = 'X';

export function portLabel(p: MatrixPort): string {
  return `${p.protocol}/${p.port}`;
}

/** "Admin tier: AdminNetworkPolicy deny-ops ingress rule 1 (policies.yaml:12:5)" or "no policy (default allow)" */
export function describeCell(c: MatrixCell): string {
  const v = c.decided.verdict;
  if (v.note) return v.note;
  if (!v.tier) return v.passed ? `passed by ${v.passed.join(', ')}; no policy below decided (default allow)` : 'no policy (default allow)';
  const rule = v.rule !== undefined ? ` ${c.decided.direction} rule ${v.rule + 1}` : ` ${c.decided.direction} (isolated; no rule allows it)`;
  const pos = v.pos ? ` (${formatPos(v.pos)})` : '';
  return `${v.tier} tier: ${v.policy}${rule}${pos}${v.passed ? `, after a Pass by ${v.passed.join(', ')}` : ''}`;
}

function cellJSON(m: Matrix, s: number, d: number, pi: number): Record<string, unknown> {
  const c = m.cell(s, d, pi);
  const v = c.decided.verdict;
  return {
    from: m.pods[s].key, to: m.pods[d].key, port: m.ports[pi].port, protocol: m.ports[pi].protocol,
    allow: c.allow, direction: c.decided.direction, tier: v.tier ?? null, policy: v.policy ?? null,
    rule: v.rule ?? null, source: v.pos ? formatPos(v.pos) : null, ...(v.passed ? { passed: v.passed } : {}),
  };
}

const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function grid(m: Matrix, pi: number): string[][] {
  const rows: string[][] = [['', ...m.pods.map((p) => p.key)]];
  m.pods.forEach((src, s) => rows.push([src.key, ...m.pods.map((_, d) => (m.cell(s, d, pi).allow ? ALLOWED : BLOCKED))]));
  return rows;
}

export function renderMatrix(m: Matrix, format: MatrixFormat): string {
  const out: string[] = [];
  if (format === 'json') {
    const cells: Record<string, unknown>[] = [];
    m.ports.forEach((_, pi) => m.pods.forEach((__, s) => m.pods.forEach((___, d) => cells.push(cellJSON(m, s, d, pi)))));
    return JSON.stringify({ pods: m.pods.map((p) => p.key), ports: m.ports.map(portLabel), skipped: m.skipped, shapes: m.shapes, cells }, null, 2);
  }
  if (format === 'csv') {
    out.push('from,to,port,protocol,verdict,direction,tier,policy,rule,source');
    m.ports.forEach((_, pi) => m.pods.forEach((__, s) => m.pods.forEach((___, d) => {
      const j = cellJSON(m, s, d, pi);
      out.push([j.from, j.to, j.port, j.protocol, j.allow ? 'allowed' : 'blocked', j.direction, j.tier ?? '', j.policy ?? '', j.rule === null ? '' : Number(j.rule) + 1, j.source ?? ''].map((x) => csvField(String(x))).join(','));
    })));
    return out.join('\n');
  }
  m.ports.forEach((port, pi) => {
    if (format === 'markdown') {
      const rows = grid(m, pi);
      out.push(`**${portLabel(port)}** (rows: from, columns: to; \`.\` allowed, \`X\` blocked)`, '');
      const [head, ...body] = rows;
      out.push(`| from \\ to | ${head.slice(1).join(' | ')} |`, `|${' --- |'.repeat(head.length)}`);
      for (const r of body) out.push(`| ${r.join(' | ')} |`);
    } else {
      out.push(`${portLabel(port)}  (rows: from, columns: to; ${ALLOWED} allowed, ${BLOCKED} blocked)`);
      const w = m.pods.reduce((a, p) => Math.max(a, p.key.length), 0);
      // each column's two possible cells, padded once
      const cells = m.pods.map((p) => [BLOCKED.padEnd(p.key.length), ALLOWED.padEnd(p.key.length)]);
      out.push([''.padEnd(w), ...m.pods.map((p) => p.key)].join('  ').trimEnd());
      m.pods.forEach((src, s) => {
        let line = src.key.padEnd(w);
        for (let d = 0; d < m.pods.length; d++) line += '  ' + cells[d][m.cell(s, d, pi).allow ? 1 : 0];
        out.push(line.trimEnd());
      });
    }
    out.push('');
  });
  if (m.skipped.length) out.push(`not in the matrix: ${m.skipped.map((x) => `${x.pod} (${x.why})`).join('; ')}`);
  return out.join('\n').trimEnd();
}

/** One expected cell: a verdict for (from, to, port). */
export interface ExpectedCell { from: string; to: string; port: string; allow: boolean; line: number }

export interface MatrixDiff {
  from: string; to: string; port: string;
  expected: boolean; actual: boolean;
  /** what decided the actual verdict */
  decided: string;
  line?: number;
}

function symbol(s: string): boolean | undefined {
  const t = s.trim();
  if (t === ALLOWED || /^(allowed?|yes|true|1)$/i.test(t)) return true;
  if (t === BLOCKED || t === 'x' || /^(blocked|denied|deny|no|false|0)$/i.test(t)) return false;
  return undefined;
}

export class ExpectError extends Error {
  constructor(message: string, readonly line: number) { super(message); }
}

/**
 * An expected table: netspec matrix's own text grid (a "PROTO/PORT" line, a header row of
 * destinations, one row per source; Markdown's pipes are fine), its CSV (from,to,port,protocol,
 * verdict…) or its JSON. Throws ExpectError (with a line) on anything else.
 */
export function parseExpectedMatrix(text: string): ExpectedCell[] {
  const t = text.trim();
  if (t.startsWith('{')) {
    let j: any;
    try { j = JSON.parse(t); } catch (e) { throw new ExpectError(`not valid JSON: ${(e as Error).message}`, 1); }
    if (!Array.isArray(j.cells)) throw new ExpectError('JSON without a "cells" list (the shape netspec matrix -o json prints)', 1);
    return j.cells.map((c: any, i: number) => ({ from: String(c.from), to: String(c.to), port: `${c.protocol ?? 'TCP'}/${c.port}`, allow: c.allow === true, line: i + 1 }));
  }
  const lines = text.split(/\r?\n/);
  if (/^from,to,port,protocol,verdict/.test(lines[0]?.trim() ?? '')) {
    const cells: ExpectedCell[] = [];
    lines.slice(1).forEach((l, i) => {
      if (!l.trim()) return;
      const f = l.split(',');
      const allow = symbol(f[4] ?? '');
      if (allow === undefined || f.length < 5) throw new ExpectError(`"${l}" is not from,to,port,protocol,verdict`, i + 2);
      cells.push({ from: f[0], to: f[1], port: `${f[3]}/${f[2]}`, allow, line: i + 2 });
    });
    return cells;
  }
  const cells: ExpectedCell[] = [];
  let block: { port: string; rows: string[][]; line: number } | undefined;
  const flush = () => { if (block && block.rows.length) cells.push(...gridToExpected(block.rows, block.port, block.line)); };
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const n = i + 1;
    const pm = /^\**((?:TCP|UDP|SCTP)\/\d+)\**/.exec(line);
    if (pm) { flush(); block = { port: pm[1], rows: [], line: n + 1 }; return; }
    if (!line || /^\|?[\s|:-]+\|?$/.test(line) || line.startsWith('not in the matrix')) return;
    if (!block) throw new ExpectError(`a row before any "TCP/PORT" line: "${line}"`, n);
    if (!block.rows.length) block.line = n;
    const piped = line.includes('|');
    const fields = piped ? line.replace(/^\||\|$/g, '').split('|').map((x) => x.trim()) : line.split(/\s+/);
    // the text grid's header has no corner cell
    block.rows.push(!piped && !block.rows.length ? ['', ...fields] : fields);
  });
  flush();
  if (!cells.length) throw new ExpectError('no expected cells found (print one with netspec matrix and edit it)', 1);
  return cells;
}

/**
 * A grid as a Gherkin data table or a parsed text block has it: rows[0] is the header (its first
 * field is a corner label, then destinations), then one row per source.
 */
export function gridToExpected(rows: readonly (readonly string[])[], port: string, firstLine = 1): ExpectedCell[] {
  const [head, ...body] = rows;
  if (!head || head.length < 2) throw new ExpectError('the grid needs a header row: a corner cell, then one column per destination', firstLine);
  const cells: ExpectedCell[] = [];
  body.forEach((r, i) => {
    if (r.length !== head.length) throw new ExpectError(`row ${r[0]} has ${r.length - 1} cells for ${head.length - 1} columns`, firstLine + i + 1);
    r.slice(1).forEach((v, k) => {
      const allow = symbol(v);
      if (allow === undefined) throw new ExpectError(`"${v}" in row ${r[0]}, column ${head[k + 1]} is neither ${ALLOWED} (allowed) nor ${BLOCKED} (blocked)`, firstLine + i + 1);
      cells.push({ from: r[0].trim(), to: head[k + 1].trim(), port, allow, line: firstLine + i + 1 });
    });
  });
  return cells;
}

/**
 * Every expected cell that differs from the matrix, and expected cells naming pods or ports the
 * matrix does not have (a table that matches nothing is a failure, not a pass). A row or column
 * names NS/NAME, a pod NAME unique in the matrix, or a label selector (app=web: every pod in scope
 * it matches, its pairs with itself left out — a pod to itself never meets a policy).
 */
export function compareMatrix(m: Matrix, expected: readonly ExpectedCell[]): { diffs: MatrixDiff[]; unknown: string[] } {
  const byKey = new Map<string, number>();
  const byName = new Map<string, number | null>();
  m.pods.forEach((p, i) => { byKey.set(p.key, i); byName.set(p.name, byName.has(p.name) ? null : i); });
  const resolved = new Map<string, number[] | string>();
  const podsOf = (label: string): number[] | string => {
    let r = resolved.get(label);
    if (r !== undefined) return r;
    const one = byKey.get(label) ?? byName.get(label);
    if (one !== undefined && one !== null) r = [one];
    else if (one === null) r = `pod ${label} (ambiguous: say NS/NAME)`;
    else if (/[=!]/.test(label) || /^\S+ (in|notin) \(/.test(label)) {
      let sel;
      try { sel = parseSelectorString(label); } catch (e) { r = `selector ${label} (${(e as Error).message})`; }
      if (sel) { const ix: number[] = []; m.pods.forEach((p, i) => { if (sel!.matches(p.labels)) ix.push(i); }); r = ix.length ? ix : `selector ${label} (matches no pod in scope)`; }
    } else r = `pod ${label}`;
    resolved.set(label, r!);
    return r!;
  };
  const portIx = new Map(m.ports.map((p, i) => [portLabel(p), i] as const));
  const diffs: MatrixDiff[] = [];
  const unknown = new Set<string>();
  for (const e of expected) {
    const ss = podsOf(e.from), ds = podsOf(e.to), pi = portIx.get(e.port);
    if (typeof ss === 'string') { unknown.add(ss); continue; }
    if (typeof ds === 'string') { unknown.add(ds); continue; }
    if (pi === undefined) { unknown.add(`port ${e.port}`); continue; }
    for (const s of ss) {
      for (const d of ds) {
        if (s === d && (ss.length > 1 || ds.length > 1)) continue;
        const c = m.cell(s, d, pi);
        if (c.allow !== e.allow) diffs.push({ from: m.pods[s].key, to: m.pods[d].key, port: e.port, expected: e.allow, actual: c.allow, decided: describeCell(c), line: e.line });
      }
    }
  }
  return { diffs, unknown: [...unknown] };
}

/** One line per differing cell; `where` names what `line` counts (a file's lines, a table's rows). */
export function renderDiffs(diffs: readonly MatrixDiff[], where = 'expected at line'): string {
  const w = (b: boolean) => (b ? 'allowed' : 'blocked');
  return diffs.map((d) => `${d.port} ${d.from} → ${d.to}: expected ${w(d.expected)}, actual ${w(d.actual)} — ${d.decided}${d.line ? ` [${where} ${d.line}]` : ''}`).join('\n');
}
