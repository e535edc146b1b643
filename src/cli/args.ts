// A small, strict argv parser: known flags only, repeatable -f, `--flag=value` and `--flag value`.
import { didYouMean } from '../model/suggest';

export class UsageError extends Error {}

export interface FlagSpec {
  /** long name without dashes */
  name: string;
  short?: string;
  /** takes a value */
  value: boolean;
  repeat?: boolean;
  choices?: readonly string[];
}

export interface Parsed {
  positional: string[];
  flags: Map<string, string[]>;
  /** arguments after `--` */
  rest: string[];
}

export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[]): Parsed {
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const out: Parsed = { positional: [], flags: new Map(), rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { out.rest.push(...argv.slice(i + 1)); break; }
    let spec: FlagSpec | undefined;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      inline = eq >= 0 ? a.slice(eq + 1) : undefined;
      spec = byLong.get(name);
    } else if (a.startsWith('-') && a.length > 1) {
      spec = byShort.get(a.slice(1, 2));
      if (a.length > 2) inline = a.slice(2).replace(/^=/, '');
    } else {
      out.positional.push(a);
      continue;
    }
    if (!spec) throw new UsageError(`unknown flag ${a}${didYouMean(a.startsWith('--') ? a.replace(/=.*$/, '') : a.slice(0, 2), specs.flatMap((s) => (s.short ? [`--${s.name}`, `-${s.short}`] : [`--${s.name}`])))}`);
    let val = 'true';
    if (spec.value) {
      if (inline !== undefined) val = inline;
      else if (i + 1 < argv.length) val = argv[++i];
      else throw new UsageError(`flag --${spec.name} needs a value`);
      if (spec.choices && !spec.choices.includes(val)) {
        throw new UsageError(`--${spec.name} must be one of ${spec.choices.join(', ')} (got "${val}")`);
      }
    }
    const list = out.flags.get(spec.name) ?? [];
    if (list.length && !spec.repeat) throw new UsageError(`flag --${spec.name} given twice`);
    list.push(val);
    out.flags.set(spec.name, list);
  }
  return out;
}

/** For commands that take flags only. */
export function noArguments(p: Parsed): void {
  if (p.positional.length) throw new UsageError(`unexpected argument "${p.positional[0]}"`);
}

export function one(p: Parsed, name: string): string | undefined {
  return p.flags.get(name)?.[0];
}

export function required(p: Parsed, name: string): string {
  const v = one(p, name);
  if (v === undefined) throw new UsageError(`--${name} is required`);
  return v;
}

export function intFlag(p: Parsed, name: string, min: number, max: number): number | undefined {
  const v = one(p, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got "${v}")`);
  return Number(v);
}

/** -f/--filename as kubectl: repeatable; file, directory or "-". */
export const FILENAME: FlagSpec = { name: 'filename', short: 'f', value: true, repeat: true };
/** --warnings none|summary|all: how many of the load's warnings to print (default summary: one line per code and kind). */
export const WARNINGS: FlagSpec = { name: 'warnings', value: true, choices: ['none', 'summary', 'all'] };
/** --at DURATION and --script FILE: the cluster at a moment of the virtual clock (get, connect, dns, request). */
export const TIME_FLAGS: readonly FlagSpec[] = [{ name: 'at', value: true }, { name: 'script', value: true }];
export const TIME_USAGE = '  --at      DURATION (90s, 2m): the cluster at that moment of the virtual clock (t=0: the containers start)\n  --script  FILE: the apps\' behaviour and the events on the clock (see netspec timeline --help)';
export const OUTPUT = (choices: readonly string[]): FlagSpec => ({ name: 'output', short: 'o', value: true, choices });
