// Input errors: misuse, not outcomes. Every error has a code, a position and a hint, and they
// are collected so a user sees all of them at once (the CLI exits 2).
import type { SourcePos } from '../net/trace';

export interface InputError {
  /** stable, greppable, e.g. NS-YAML-SYNTAX, NS-DUPLICATE-NAME, NS-IP-CONFLICT */
  code: string;
  message: string;
  pos?: SourcePos;
  hint: string;
}

export interface Warning {
  code: string;
  message: string;
  pos?: SourcePos;
  /** what a summary groups by within the code (NS-UNKNOWN-KIND: "kind Certificate (cert-manager.io/v1)") */
  subject?: string;
}

/** How many warnings a command prints (--warnings; NETSPEC_WARNINGS for netspec run). */
export type WarningsMode = 'none' | 'summary' | 'all';
export const WARNINGS_MODES: readonly WarningsMode[] = ['none', 'summary', 'all'];

/**
 * Warnings for people. `all`: every one; `none`: nothing; `summary` (the default): one line per
 * code, and per subject within a code (one line per unknown kind): the first warning with its
 * position, and the count when there are more.
 */
export function formatWarnings(list: readonly Warning[], mode: WarningsMode = 'summary'): string[] {
  if (mode === 'none') return [];
  if (mode === 'all') return list.map((w) => formatError(w, 'warning'));
  const groups = new Map<string, Warning[]>();
  for (const w of list) {
    const key = `${w.code}\0${w.subject ?? ''}`;
    const g = groups.get(key);
    if (g) g.push(w); else groups.set(key, [w]);
  }
  return [...groups.values()].map((g) => g.length === 1 ? formatError(g[0], 'warning')
    : `${formatError(g[0], 'warning')} [${g.length} ${g[0].code}${g[0].subject ? ` for ${g[0].subject}` : ''} in all; --warnings all lists each]`);
}

export function formatError(e: InputError | Warning, severity: 'error' | 'warning' = 'hint' in e ? 'error' : 'warning'): string {
  const where = e.pos ? `${e.pos.file}:${e.pos.line}:${e.pos.col}: ` : '';
  const hint = 'hint' in e && e.hint ? `\n    hint: ${e.hint}` : '';
  return `${where}${severity} ${e.code}: ${e.message}${hint}`;
}

/**
 * Formats a list for people: every entry, except that one code repeated past `perCode` times is
 * summarised ("… and 4724 more NS-POD-CIDR-EXHAUSTED") so the first errors stay readable.
 */
export function formatErrors(list: readonly (InputError | Warning)[], perCode = 20): string[] {
  const seen = new Map<string, number>();
  const lines: string[] = [];
  for (const e of list) {
    const n = (seen.get(e.code) ?? 0) + 1;
    seen.set(e.code, n);
    if (n <= perCode) lines.push(formatError(e));
  }
  for (const [code, n] of seen) if (n > perCode) lines.push(`… and ${n - perCode} more ${code}`);
  return lines;
}

/** Thrown when input is bad; carries every error found, not just the first. */
export class InputErrors extends Error {
  constructor(readonly errors: InputError[], readonly warnings: Warning[] = []) {
    super(`${errors.length} input error${errors.length === 1 ? '' : 's'}:\n` + formatErrors(errors).join('\n'));
    this.name = 'InputErrors';
  }
}

/** Collects errors and warnings while a stage runs. */
export class Diagnostics {
  readonly errors: InputError[] = [];
  readonly warnings: Warning[] = [];
  error(code: string, message: string, pos: SourcePos | undefined, hint: string): void {
    this.errors.push({ code, message, pos, hint });
  }
  warn(code: string, message: string, pos?: SourcePos, subject?: string): void {
    this.warnings.push(subject === undefined ? { code, message, pos } : { code, message, pos, subject });
  }
  get ok(): boolean { return this.errors.length === 0; }
  /** Throws InputErrors when anything was collected. */
  throwIfAny(): void {
    if (this.errors.length) throw new InputErrors(sortErrors(this.errors), this.warnings);
  }
}

export function sortErrors<T extends { pos?: SourcePos }>(errs: T[]): T[] {
  return errs.slice().sort((a, b) => {
    const fa = a.pos?.file ?? '', fb = b.pos?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    return (a.pos?.line ?? 0) - (b.pos?.line ?? 0) || (a.pos?.col ?? 0) - (b.pos?.col ?? 0);
  });
}
