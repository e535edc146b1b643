// Helpers for the manifests tests.
import assert from 'node:assert/strict';
import type { Diagnostics, InputError, Warning } from '../model/errors';
import { formatPos } from '../net/trace';

/** "CODE@file:line:col" for every error, for readable assertion failures. */
export function listed(items: readonly (InputError | Warning)[]): string[] {
  return items.map((e) => `${e.code}@${formatPos(e.pos)}`);
}

/** Asserts that an error with this code sits at this position (file:line:col) and returns it. */
export function expectError(diag: Diagnostics, code: string, at: string): InputError {
  const e = diag.errors.find((x) => x.code === code && formatPos(x.pos) === at);
  assert.ok(e, `expected ${code} at ${at}; got ${JSON.stringify(listed(diag.errors))}`);
  assert.ok(e.hint && e.hint.length > 0, `${code} has a hint`);
  assert.ok(!e.hint.includes('\n'), `${code}'s hint is one line`);
  return e;
}

export function expectWarning(diag: Diagnostics, code: string, at: string): Warning {
  const w = diag.warnings.find((x) => x.code === code && formatPos(x.pos) === at);
  assert.ok(w, `expected warning ${code} at ${at}; got ${JSON.stringify(listed(diag.warnings))}`);
  return w;
}

export function codes(diag: Diagnostics): string[] {
  return diag.errors.map((e) => e.code);
}
