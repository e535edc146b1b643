// Files read once per process: a manifest file named again (every scenario of a run that says
// `Given the manifests in …`) is not parsed again while it is unchanged on disk. An entry is found
// by the path as given (positions name it) and the resolved path, and is valid while the file's
// size, mtime, ctime, inode and device are those it had when read; a file whose mtime is too close
// to the moment it was read to tell a later same-size write apart ("racily clean", as git calls
// it) has its text compared too. Each load gets deep copies of the objects (cloneObject), so what
// one load does to its objects never reaches another; the diagnostics the parse gave are given
// again. Bounded by the source text it keeps (least recently used entries leave first).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KObject } from '../model/types';
import type { Diagnostics, InputError, Warning } from '../model/errors';
import { Diagnostics as Diag } from '../model/errors';
import { cloneObject, isPlainTree } from '../model/clone';

export const parseCacheOptions = {
  enabled: true,
  /** source text kept, in characters (the parsed objects beside it take a few times more) */
  maxChars: 64 * 1024 * 1024,
};

/** mtime closer than this to the read: a same-size rewrite may keep the same stat, so compare the text */
const RACY_MS = 2000;

interface Entry {
  sig: string;
  /** when the text was last known to match the file (Date.now()) */
  readAt: number;
  text: string;
  objects: KObject[];
  errors: InputError[];
  warnings: Warning[];
}

const entries = new Map<string, Entry>();
let chars = 0;
export const parseCacheStats = { hits: 0, misses: 0 };

export function statSig(st: fs.Stats): string {
  return `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}:${st.dev}`;
}

function isRacy(readAt: number, st: fs.Stats): boolean {
  return readAt - Math.max(st.mtimeMs, st.ctimeMs) < RACY_MS;
}

function drop(key: string): void {
  const e = entries.get(key);
  if (!e) return;
  entries.delete(key);
  chars -= e.text.length;
}

/**
 * Reads file `p` (already stat'ed) into `out` through the cache. `read` reads the text (null when
 * it could not, having said why in `diag`); `parse` parses it as the loader does.
 * `key` holds whatever else changes the parse (loader switches, limits).
 */
export function readCached(p: string, st: fs.Stats, key: string, diag: Diagnostics, out: KObject[], read: () => string | null, parse: (text: string, diag: Diagnostics, out: KObject[]) => void): void {
  if (!parseCacheOptions.enabled) {
    const text = read();
    if (text !== null) parse(text, diag, out);
    return;
  }
  const k = `${path.resolve(p)}\0${p}\0${key}`;
  const sig = statSig(st);
  const e = entries.get(k);
  let text: string | null = null;
  if (e && e.sig === sig) {
    let same = true;
    if (isRacy(e.readAt, st)) {
      text = read();
      if (text === null) return;
      same = text === e.text;
      if (same) e.readAt = Date.now();
    }
    if (same) {
      parseCacheStats.hits++;
      entries.delete(k); entries.set(k, e); // most recently used last
      for (const x of e.errors) diag.errors.push({ ...x });
      for (const x of e.warnings) diag.warnings.push({ ...x });
      for (const o of e.objects) out.push(cloneObject(o));
      return;
    }
  }
  if (e) drop(k);
  parseCacheStats.misses++;
  const readAt = Date.now();
  if (text === null) text = read();
  if (text === null) return;
  const local = new Diag();
  const objs: KObject[] = [];
  parse(text, local, objs);
  diag.errors.push(...local.errors);
  diag.warnings.push(...local.warnings);
  out.push(...objs);
  if (text.length > parseCacheOptions.maxChars || !objs.every((o) => isPlainTree(o))) return;
  entries.set(k, {
    sig, readAt, text,
    objects: objs.map(cloneObject),
    errors: local.errors.map((x) => ({ ...x })),
    warnings: local.warnings.map((x) => ({ ...x })),
  });
  chars += text.length;
  for (const old of entries.keys()) {
    if (chars <= parseCacheOptions.maxChars) break;
    drop(old);
  }
}

/** Forgets every entry (tests). */
export function clearParseCache(): void {
  entries.clear();
  chars = 0;
  parseCacheStats.hits = parseCacheStats.misses = 0;
}

// ---- what a load read: to tell later whether the same inputs would read the same -----------------

/** One file or directory a load read, as it was. */
export interface ReadRecord {
  path: string;
  dir: boolean;
  sig: string;
  readAt: number;
  /** a directory's sorted entries, a file's text when kept (to settle racily clean stats) */
  content?: string;
}

/** Collects what loads read while set (the scenario World sets it around a load). */
export const readLog: { records: ReadRecord[] | null } = { records: null };

export function logRead(p: string, st: fs.Stats, dir: boolean, content?: string): void {
  readLog.records?.push({ path: path.resolve(p), dir, sig: statSig(st), readAt: Date.now(), content });
}

/** True when reading `r.path` again would read what was read then. */
export function unchanged(r: ReadRecord): boolean {
  let st: fs.Stats;
  try { st = fs.statSync(r.path); } catch { return false; }
  if (st.isDirectory() !== r.dir || statSig(st) !== r.sig) return false;
  if (!isRacy(r.readAt, st)) return true;
  if (r.content === undefined) return false;
  let now: string;
  try {
    now = r.dir ? fs.readdirSync(r.path).sort().join('\n') : fs.readFileSync(r.path, 'utf8');
  } catch { return false; }
  if (now !== r.content) return false;
  r.readAt = Date.now();
  return true;
}
