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
  warn(code: string, message: string, pos?: SourcePos): void {
    this.warnings.push({ code, message, pos });
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
