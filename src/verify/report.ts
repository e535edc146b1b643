// The kernel check's report: a table (flow, netspec, kernel, agree?) and JUnit.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Row } from './compare';

const mark = (ok: Row['ok']) => (ok === 'skip' ? 'SKIP' : ok ? 'yes' : 'NO');

export function table(rows: Row[]): string {
  const head = ['backend', 'flow', 'check', 'netspec', 'kernel', 'agree?'];
  const cells = rows.map((r) => [r.backend, r.flow, r.check, r.netspec, r.kernel, mark(r.ok)]);
  const width = head.map((h, i) => Math.min(70, Math.max(h.length, ...cells.map((c) => c[i].length))));
  const fmt = (c: string[]) => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(width[i]))).join(' | ');
  return [fmt(head), width.map((w) => '-'.repeat(w)).join('-+-'), ...cells.map(fmt)].join('\n');
}

export function counts(rows: Row[]): { passed: number; failed: number; skipped: number } {
  return {
    passed: rows.filter((r) => r.ok === true).length,
    failed: rows.filter((r) => r.ok === false).length,
    skipped: rows.filter((r) => r.ok === 'skip').length,
  };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function junit(rows: Row[], seconds: number): string {
  const c = counts(rows);
  const cases = rows.map((r) => {
    const open = `    <testcase classname="kernel.${esc(r.backend)}" name="${esc(`${r.flow} — ${r.check}`)}">`;
    const body = r.ok === 'skip' ? `<skipped message="${esc(r.kernel)}"/>`
      : r.ok ? '' : `<failure message="${esc(`netspec: ${r.netspec}; kernel: ${r.kernel}`)}"/>`;
    return `${open}${body}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="netspec verify:kernel" tests="${rows.length}" failures="${c.failed}" skipped="${c.skipped}" time="${seconds.toFixed(1)}">`,
    `  <testsuite name="kernel" tests="${rows.length}" failures="${c.failed}" skipped="${c.skipped}" time="${seconds.toFixed(1)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

export function writeJunit(file: string, rows: Row[], seconds: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, junit(rows, seconds));
}
