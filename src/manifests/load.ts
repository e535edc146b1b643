// Reading inputs: files, directories (recursive), stdin, doc strings → plain API objects with origins.
// Every problem becomes an InputError with a position; nothing is thrown and nothing is skipped
// silently.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseAllDocuments, isMap, isSeq, isScalar, isPair, type Node as YNode, type Document } from 'yaml';
import { NAMESPACED_KINDS, setOrigin, type KObject } from '../model/types';
import type { Diagnostics } from '../model/errors';
import type { SourcePos } from '../net/trace';
import { SourceText, YamlOrigin, filePos } from './origin';
import { yamlOptions, MAX_ALIAS_COUNT } from './yamlopts';
import { classify, needsName } from './kinds';
import { fastParse, UNREAD_IN_POD } from './fastyaml';
import { jsonPieces, yamlPieces, type ByteSource } from './stream';
import { logRead, readCached } from './parsecache';

/**
 * Limits that keep hostile or mistaken input from hanging or exhausting memory, where the API
 * server has them: per object, never per file (a snapshot of a whole cluster is one file). Tests
 * may lower them.
 */
export const limits = {
  /**
   * bytes of one object's text: kube-apiserver refuses a request body over 3 MiB
   * (MaxRequestBodyBytes, --max-request-bytes' apiserver counterpart); such an object is refused
   * unread
   */
  maxObjectBytes: 3 * 1024 * 1024,
  /** bytes of one object as stored: etcd's default --max-request-bytes (1.5 MiB) */
  maxStoredBytes: 1.5 * 1024 * 1024,
  /** bytes of a ConfigMap's or Secret's data (core.MaxSecretSize, checked by the API server's validation) */
  maxDataBytes: 1024 * 1024,
  /** inputs larger than this are read object by object (stream.ts) instead of whole */
  streamAbove: 8 * 1024 * 1024,
  /** alias expansions per document (yaml's resource-exhaustion guard) */
  maxAliasCount: MAX_ALIAS_COUNT,
};

/** Loader switches (tests compare the fast path with the yaml package by turning it off). */
export const loaderOptions = {
  /** read plain block-style YAML with the fast reader (fastyaml.ts); anything else goes to the yaml package */
  fastPath: true,
};

/** Extensions read from directories (kubectl's FileVisitor: .json, .yaml, .yml, compared as is). */
const MANIFEST_EXT = new Set(['.yaml', '.yml', '.json']);

export const STDIN_NAME = '<stdin>';

export type InputSource = (
  | { path: string }
  | { text: string; name: string; line?: number; col?: number }
) & {
  /** where namespaced objects written without a namespace go, as `kubectl apply -n NS` puts them */
  namespace?: string;
};

/** Reads and parses every source, in order; directories in sorted order. */
export function readSources(sources: InputSource[], diag: Diagnostics): KObject[] {
  const out: KObject[] = [];
  for (const s of sources) {
    const first = out.length;
    read(s, diag, out);
    if (s.namespace) {
      for (let i = first; i < out.length; i++) {
        const o = out[i];
        if (NAMESPACED_KINDS.has(o.kind) && o.metadata && (o.metadata.namespace === undefined || o.metadata.namespace === null || o.metadata.namespace === '')) o.metadata.namespace = s.namespace;
      }
    }
  }
  return out;
}

function read(s: InputSource, diag: Diagnostics, out: KObject[]): void {
  const before = out.length, errors = diag.errors.length, warnings = diag.warnings.length;
  if ('text' in s) {
    parseText(s.text, s.name, (s.line ?? 1) - 1, (s.col ?? 1) - 1, diag, out);
  } else if (s.path === '-') {
    const bytes = readStdin(diag);
    if (bytes === undefined) return;
    readBytes(bytes, STDIN_NAME, diag, out);
  } else {
    readPath(s.path, diag, out, new Set(), true);
  }
  // kubectl apply -f on a file or stdin holding nothing: "error: no objects passed to apply"
  if ('path' in s && out.length === before && diag.errors.length === errors && diag.warnings.length === warnings && (s.path === '-' || isFile(s.path))) {
    const name = s.path === '-' ? STDIN_NAME : s.path;
    diag.error('NS-NO-OBJECTS', `${name} holds no objects (kubectl apply says "no objects passed to apply")`, filePos(name), 'an explicitly named file or stdin must hold at least one manifest; check that the right file was given');
  }
}

function readStdin(diag: Diagnostics): Buffer | undefined {
  const chunks: Buffer[] = [];
  let total = 0;
  const buf = Buffer.allocUnsafe(1 << 16);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(0, buf, 0, buf.length, null);
    } catch (e: any) {
      if (e?.code === 'EAGAIN') { sleepBriefly(); continue; }
      if (e?.code === 'EOF') break;
      diag.error('NS-PATH-UNREADABLE', `cannot read standard input: ${e?.message ?? e}`, filePos(STDIN_NAME), 'pipe the manifests into netspec, e.g. `kubectl get pods -o yaml | netspec get pods -f -`');
      return undefined;
    }
    if (n === 0) break;
    total += n;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

/** An input already in memory (stdin): read whole, or object by object past limits.streamAbove. */
export function readBytes(bytes: Buffer, name: string, diag: Diagnostics, out: KObject[]): void {
  if (bytes.length > limits.streamAbove) readLarge({ buf: bytes }, name, undefined, diag, out);
  else parseText(bytes.toString('utf8'), name, 0, 0, diag, out);
}

function sleepBriefly(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
}

function mib(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) ? 1 : 0)} MiB` : `${n} bytes`;
}

function readPath(p: string, diag: Diagnostics, out: KObject[], seen: Set<string>, explicit: boolean): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch (e: any) {
    if (e?.code === 'ENOENT' || e?.code === 'ENOTDIR') {
      diag.error('NS-PATH-NOT-FOUND', `${p} does not exist`, filePos(p), 'check the path given with -f / "the manifests in"; it is taken relative to the current directory');
    } else {
      diag.error('NS-PATH-UNREADABLE', `cannot read ${p}: ${e?.code ?? e?.message ?? e}`, filePos(p), 'check the file permissions');
    }
    return;
  }
  if (st.isDirectory()) {
    let real: string;
    try { real = fs.realpathSync(p); } catch { real = p; }
    if (seen.has(real)) return; // a symlink loop
    seen.add(real);
    let entries: string[];
    try {
      entries = fs.readdirSync(p);
    } catch (e: any) {
      diag.error('NS-PATH-UNREADABLE', `cannot list directory ${p}: ${e?.code ?? e?.message ?? e}`, filePos(p), 'check the directory permissions');
      return;
    }
    entries.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    logRead(p, st, true, entries.join('\n'));
    const before = out.length;
    let files = 0;
    for (const name of entries) {
      const child = path.join(p, name);
      let cst: fs.Stats;
      try { cst = fs.statSync(child); } catch { continue; } // a dangling symlink is not a manifest
      if (cst.isDirectory()) readPath(child, diag, out, seen, false);
      else if (MANIFEST_EXT.has(path.extname(name))) { files++; readPath(child, diag, out, seen, false); }
    }
    if (explicit && files === 0 && out.length === before) {
      diag.warn('NS-EMPTY-INPUT', `directory ${p} holds no .yaml, .yml or .json file`, filePos(p));
    }
    return;
  }
  if (st.size > limits.streamAbove) {
    let fd: number;
    try { fd = fs.openSync(p, 'r'); } catch (e: any) {
      diag.error('NS-PATH-UNREADABLE', `cannot read ${p}: ${e?.code ?? e?.message ?? e}`, filePos(p), 'check the file permissions');
      return;
    }
    try { readLarge({ fd }, p, p, diag, out); } finally { fs.closeSync(fd); }
    logRead(p, st, false);
    return;
  }
  let kept: string | undefined;
  const read = (): string | null => {
    try {
      return (kept = fs.readFileSync(p, 'utf8'));
    } catch (e: any) {
      diag.error('NS-PATH-UNREADABLE', `cannot read ${p}: ${e?.code ?? e?.message ?? e}`, filePos(p), 'check the file permissions');
      return null;
    }
  };
  // parsed once per process while the file is unchanged (parsecache.ts); the switches that change a parse are part of the key
  readCached(p, st, `${loaderOptions.fastPath}|${JSON.stringify(limits)}`, diag, out, read, (text, d, o) => parseText(text, p, 0, 0, d, o));
  logRead(p, st, false, kept);
}

/** The first line of a yaml error message, without the "at line X, column Y" part (the position says it). */
function yamlMessage(msg: string): string {
  return msg.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
}

function yamlHint(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY': return 'a mapping may hold each key once; remove or rename one of them';
    case 'BAD_INDENT': case 'MISSING_CHAR': case 'UNEXPECTED_TOKEN':
      return 'check the indentation and the brackets on this line and the one before';
    case 'TAB_AS_INDENT': return 'YAML indentation must use spaces, not tabs';
    case 'MULTILINE_IMPLICIT_KEY': case 'BLOCK_AS_IMPLICIT_KEY':
      return 'a key must be on one line; a value that holds ": " must be quoted';
    default: return 'fix the YAML syntax here (a YAML linter shows the same problem)';
  }
}

/** Parses one text (a file, stdin, a doc string) into objects. */
/** `reread`: the text can be read again (a large file's piece), so positions need not keep it; `docBase`: its first document's index in the input. */
export function parseText(text: string, name: string, lineOffset: number, colOffset: number, diag: Diagnostics, out: KObject[], reread?: () => string, docBase = 0): void {
  if (looksLikeJSON(text) && readJSON(text, name, lineOffset, colOffset, diag, out)) return;
  if (loaderOptions.fastPath) {
    const fast = fastParse(text, { skipManagedFields: true, skipUnread: true });
    if (fast) {
      const lines = new LineCounter();
      lines.lineStarts = fast.lineStarts;
      const src = reread ? new SourceText(name, reread, undefined, lineOffset, colOffset, firstLineLength(text)) : new SourceText(name, text, lines, lineOffset, colOffset);
      fast.docs.forEach((d, i) => {
        if (d.value === null || d.value === undefined) return; // an empty document, or `~`
        const items = d.items;
        // (the fast path declines Lists whose items hold Lists, so an item's own items are never asked for)
        readValue(d.value, { start: d.start, end: d.end, items: () => items && items.map((it) => ({ start: it.start, end: it.end, items: () => undefined })) }, i + docBase, src, diag, out);
      });
      return;
    }
  }
  const lines = new LineCounter();
  const src = new SourceText(name, text, lines, lineOffset, colOffset);
  let docs: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(text, { ...yamlOptions(), lineCounter: lines });
    docs = Array.isArray(parsed) ? parsed : [];
    if (!Array.isArray(parsed)) {
      for (const e of (parsed as any).errors ?? []) reportYamlError(e, src, diag);
    }
  } catch (e: any) {
    diag.error('NS-YAML-SYNTAX', `cannot parse ${name}: ${e?.message ?? e}`, src.pos(0), 'the input nests too deeply or is not YAML/JSON');
    return;
  }
  docs.forEach((doc, i) => readDocument(doc, i + docBase, src, diag, out));
}

function isFile(p: string): boolean {
  try { return fs.statSync(p).isFile(); } catch { return false; }
}

function reportYamlError(e: any, src: SourceText, diag: Diagnostics): void {
  const code = e.code === 'DUPLICATE_KEY' ? 'NS-YAML-DUPLICATE-KEY' : 'NS-YAML-SYNTAX';
  let offset = Array.isArray(e.pos) ? e.pos[0] : 0;
  // an unterminated quoted scalar is reported where the text ends: point at the quote that opens it
  const q = /Missing closing (["'])quote/.exec(String(e.message));
  if (q) { const at = src.text.lastIndexOf(q[1], Math.min(offset, src.text.length) - 1); if (at >= 0) offset = at; }
  const pos = src.pos(offset);
  const message = yamlMessage(String(e.message));
  // yaml sometimes reports one mistake twice at the same spot, in other words: say it once
  if (diag.errors.some((x) => x.code === code && x.pos?.file === pos.file && x.pos.line === pos.line && x.pos.col === pos.col)) return;
  diag.error(code, message, pos, yamlHint(e.code));
}

function readDocument(doc: Document.Parsed, index: number, src: SourceText, diag: Diagnostics, out: KObject[]): void {
  if (doc.errors.length) {
    for (const e of doc.errors) reportYamlError(e, src, diag);
    return;
  }
  for (const w of doc.warnings) {
    diag.warn('NS-YAML-WARNING', yamlMessage(String(w.message)), src.pos(Array.isArray(w.pos) ? w.pos[0] : 0));
  }
  const root = doc.contents as YNode | null;
  if (!root) return; // an empty document (comments only, or a trailing ---) is skipped, as kubectl does
  const rootStart = root.range ? root.range[0] : 0;
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (e: any) {
    if (e instanceof ReferenceError && /excessive alias/i.test(e.message)) {
      diag.error('NS-YAML-ALIASES', `document ${index + 1} expands its aliases beyond ${limits.maxAliasCount} nodes and was refused (${e.message})`, src.pos(rootStart), 'a YAML alias bomb ("billion laughs"); write the values out instead of nesting aliases');
    } else {
      // an alias whose anchor is in another document (or nowhere): point at the alias
      const alias = /Unresolved alias.*: (\S+)\s*$/.exec(String(e?.message ?? ''));
      const at = alias ? src.text.slice(rootStart, root.range ? root.range[2] : undefined).search(new RegExp(`\\*${alias[1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`)) : -1;
      if (alias && at >= 0) {
        diag.error('NS-YAML-ALIAS', `document ${index + 1}: the alias *${alias[1]} refers to no anchor &${alias[1]} in this document (an anchor does not reach across "---")`, src.pos(rootStart + at), `define &${alias[1]} earlier in the same document, or write the value out`);
      } else {
        diag.error('NS-YAML-SYNTAX', `document ${index + 1} cannot be read: ${e?.message ?? e}`, src.pos(rootStart), 'the document nests too deeply or uses an unsupported YAML feature');
      }
    }
    return;
  }
  if (value === null || value === undefined) return; // `~` or an empty document
  readValue(value, nodeSpan(root, src), index, src, diag, out);
}

/** Where an object's text lies, and (for Lists) where each item lies. */
interface Span {
  start: number;
  end: number;
  /** spans of the elements of the value under `items`, when it is a sequence */
  items(): Span[] | undefined;
}

function nodeSpan(node: YNode, src: SourceText): Span {
  return {
    start: node.range ? node.range[0] : 0,
    end: node.range ? node.range[2] : src.text.length,
    items: () => {
      const seq = childNode(node, 'items');
      if (!seq || !isSeq(seq)) return undefined;
      return seq.items.map((it) => nodeSpan((it as YNode | null) ?? seq, src));
    },
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function childNode(node: YNode | null | undefined, key: string): YNode | undefined {
  if (!node || !isMap(node)) return undefined;
  for (const p of node.items) {
    if (isPair(p) && isScalar(p.key) && String(p.key.value) === key) return (p.value as YNode | null) ?? (p.key as YNode);
  }
  return undefined;
}

function typeName(v: unknown): string {
  return Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v === 'object' ? 'a mapping' : `a ${typeof v} (${JSON.stringify(v)})`;
}

/** One object (a document, or an item of a List), with the node it was read from. */
function readValue(value: unknown, span: Span, docIndex: number, src: SourceText, diag: Diagnostics, out: KObject[], listKind?: { kind: string; apiVersion: string }): void {
  const { start, end } = span;
  const here = src.pos(start);
  if (!isPlainObject(value)) {
    diag.error('NS-NOT-AN-OBJECT', `${listKind ? 'list item' : `document ${docIndex + 1}`} is ${typeName(value)}, not a Kubernetes object`, here, 'each document must be a mapping with apiVersion, kind and metadata');
    return;
  }
  const obj = value as Record<string, unknown>;
  // typed lists (PodList from the API) leave kind and apiVersion off their items
  if (listKind) {
    if (obj.kind === undefined && listKind.kind !== 'List') obj.kind = listKind.kind;
    if (obj.apiVersion === undefined && listKind.kind !== 'List') obj.apiVersion = listKind.apiVersion;
  }
  const origin = new YamlOrigin(src, start, end, docIndex);
  const kind = obj.kind, apiVersion = obj.apiVersion;
  let bad = false;
  for (const [field, v] of [['apiVersion', apiVersion], ['kind', kind]] as const) {
    if (typeof v !== 'string' || v === '') {
      const pos: SourcePos = v === undefined ? here : origin.at([field]);
      diag.error('NS-MISSING-FIELD', v === undefined ? `object has no ${field}` : `${field} must be a non-empty string, not ${typeName(v)}`, pos,
        field === 'kind' ? 'every object needs a kind, e.g. "kind: Pod"' : 'every object needs an apiVersion, e.g. "apiVersion: v1" or "apps/v1"');
      bad = true;
    }
  }
  if (bad) return;
  const k = kind as string, av = apiVersion as string;
  if (k === 'List' || (k.endsWith('List') && Array.isArray(obj.items))) {
    const items = obj.items;
    if (items === undefined || items === null) return;
    const spans = span.items();
    if (!Array.isArray(items) || !spans) {
      diag.error('NS-NOT-AN-OBJECT', `${k}.items is ${typeName(items)}, not a list of objects`, origin.at(['items']), 'a List holds its objects under "items:" as a sequence');
      return;
    }
    items.forEach((item, j) => {
      readValue(item, spans[j] ?? span, docIndex, src, diag, out, { kind: k.slice(0, -4) || 'List', apiVersion: av });
    });
    return;
  }
  if (end - start > limits.maxObjectBytes) {
    diag.error('NS-TOO-LARGE', `${k}${objName(obj)} is ${mib(end - start)}, more than the ${mib(limits.maxObjectBytes)} the API server accepts in one request`, here, TOO_LARGE_HINT);
    return;
  }
  const cls = classify(av, k);
  if (cls.cls === 'unknown') {
    const name = isPlainObject(obj.metadata) && typeof obj.metadata.name === 'string' ? ` "${obj.metadata.name}"` : '';
    diag.warn('NS-UNKNOWN-KIND', `${k}${name} (${av}) is not a kind netspec models; it is ignored`, here, `kind ${k} (${av})`);
    return;
  }
  if (cls.cls === 'removed') {
    diag.error('NS-API-VERSION', `${k} is not served as ${av}`, origin.at(['apiVersion']), cls.hint);
    return;
  }
  if (cls.cls === 'ignored-config' || cls.cls === 'quiet') return;
  if (needsName(k, cls.cls)) {
    const meta = obj.metadata;
    if (!isPlainObject(meta)) {
      diag.error('NS-MISSING-FIELD', meta === undefined ? `${k} has no metadata` : `${k}.metadata must be a mapping, not ${typeName(meta)}`, meta === undefined ? here : origin.at(['metadata']), `give it a name: "metadata: {name: my-${k.toLowerCase()}}"`);
      return;
    }
    if (typeof meta.name !== 'string' || meta.name === '') {
      const gen = typeof meta.generateName === 'string' ? ' (generateName is not supported: netspec needs stable names)' : '';
      diag.error('NS-MISSING-FIELD', meta.name === undefined ? `${k} has no metadata.name${gen}` : `${k} metadata.name must be a non-empty string, not ${typeName(meta.name)}`,
        origin.at(['metadata', 'name']), `every ${k} needs a name under metadata`);
      return;
    }
  }
  if (isPlainObject(obj.metadata) && 'managedFields' in obj.metadata) delete obj.metadata.managedFields; // never read (the fast reader passes over it)
  if (k === 'Pod') for (const key of Object.keys(obj)) dropUnread(obj[key]); // what the fast reader passes over in a Pod, on the slow path too
  if ((k === 'ConfigMap' || k === 'Secret') && !dataFits(obj, k, origin, diag)) return;
  if (end - start > limits.maxStoredBytes / 2) {
    const stored = Buffer.byteLength(JSON.stringify(obj), 'utf8');
    if (stored > limits.maxStoredBytes) {
      diag.error('NS-TOO-LARGE', `${k}${objName(obj)} is ${mib(stored)} as JSON, more than the ${mib(limits.maxStoredBytes)} etcd stores in one object ("etcdserver: request is too large")`, here, TOO_LARGE_HINT);
      return;
    }
  }
  setOrigin(obj, origin);
  out.push(obj as KObject);
}

/** Removes UNREAD_IN_POD keys below a Pod's top level (the fast reader never makes them). */
function dropUnread(v: unknown): void {
  if (Array.isArray(v)) { for (const x of v) dropUnread(x); return; }
  if (!isPlainObject(v)) return;
  for (const key of Object.keys(v)) {
    if (UNREAD_IN_POD.has(key)) delete v[key]; else dropUnread(v[key]);
  }
}

const TOO_LARGE_HINT = 'a real cluster refuses it too; keep large data out of API objects (a ConfigMap or Secret holds at most 1 MiB)';

function objName(obj: Record<string, unknown>): string {
  const m = obj.metadata;
  return isPlainObject(m) && typeof m.name === 'string' ? ` "${m.name}"` : '';
}

/** Decoded size of a base64 value (what the API server counts for Secret data and binaryData). */
function base64Bytes(v: string): number {
  const clean = v.replace(/\s+/g, '');
  const pad = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.floor((clean.length * 3) / 4) - pad;
}

/**
 * The API server's size check on ConfigMap and Secret data (core/validation ValidateConfigMap and
 * ValidateSecret: the values of data and binaryData, stringData for a Secret, together at most
 * core.MaxSecretSize = 1 MiB), with its wording.
 */
function dataFits(obj: Record<string, unknown>, kind: string, origin: YamlOrigin, diag: Diagnostics): boolean {
  let total = 0;
  const sum = (field: string, decoded: boolean) => {
    const d = obj[field];
    if (!isPlainObject(d)) return;
    for (const v of Object.values(d)) if (typeof v === 'string') total += decoded ? base64Bytes(v) : Buffer.byteLength(v, 'utf8');
  };
  if (kind === 'ConfigMap') { sum('data', false); sum('binaryData', true); } else { sum('data', true); sum('stringData', false); }
  if (total <= limits.maxDataBytes) return true;
  const field = isPlainObject(obj.data) ? 'data' : kind === 'ConfigMap' ? 'binaryData' : 'stringData';
  diag.error('NS-TOO-LARGE', `${kind}${objName(obj)} is invalid: []: Too long: must have at most ${limits.maxDataBytes} bytes (its data holds ${total})`, origin.at([field]), 'the API server refuses ConfigMap and Secret data over 1 MiB; split it into several objects or mount the content from elsewhere');
  return false;
}

function firstLineLength(text: string): number {
  const i = text.indexOf('\n');
  return i < 0 ? text.length : i;
}

// ---------------------------------------------------------------------------------------------
// Large inputs (a cluster snapshot): read object by object (stream.ts). Each object keeps only
// where its text lies; its positions are found by reading that slice again when asked for.

/** Reads `len` bytes at `start` of a file again (positions of an object read from a large file). */
function rereader(file: string, start: number, end: number): () => string {
  return () => {
    const buf = Buffer.alloc(end - start);
    const fd = fs.openSync(file, 'r');
    try { fs.readSync(fd, buf, 0, buf.length, start); } finally { fs.closeSync(fd); }
    return buf.toString('utf8');
  };
}

function readLarge(src: ByteSource, name: string, file: string | undefined, diag: Diagnostics, out: KObject[]): void {
  const first = firstByte(src);
  if (first === 123) { readLargeJSON(src, name, file, diag, out); return; }
  // the items of a List, parsed as they come, wait for the List's header (kubectl writes it last)
  let pending: { value: unknown; span: Span; src: SourceText; doc: number }[] = [];
  yamlPieces(src, limits.maxObjectBytes, (p) => {
    const reread = file ? rereader(file, p.byteStart, p.byteEnd) : undefined;
    if (p.oversized) {
      const o = p.oversized;
      diag.error('NS-TOO-LARGE', `${o.kind ?? 'an object'}${o.name ? ` "${o.name}"` : ''} is ${mib(o.bytes)}, more than the ${mib(limits.maxObjectBytes)} the API server accepts in one request; it was not read`, filePos(name, p.line, p.kind === 'item' ? 3 : 1), TOO_LARGE_HINT);
      if (p.kind === 'header') pending = [];
      return;
    }
    if (p.kind === 'doc') { parseText(p.text, name, p.line - 1, 0, diag, out, reread, p.doc); return; }
    if (p.kind === 'item') {
      const item = parseItem(p.text, name, p.line - 1, diag, reread);
      if (item) pending.push({ ...item, doc: p.doc });
      return;
    }
    // the header: the List itself, without its items
    const items = pending;
    pending = [];
    const header = parseHeader(p.text, name, p.line - 1, diag, reread);
    if (!header) return;
    const kind = header.value.kind;
    if (typeof kind === 'string' && kind.endsWith('List') && (header.value.apiVersion === undefined || typeof header.value.apiVersion === 'string')) {
      const listKind = { kind: kind.slice(0, -4) || 'List', apiVersion: String(header.value.apiVersion ?? 'v1') };
      for (const it of items) readValue(it.value, it.span, it.doc, it.src, diag, out, listKind);
    } else {
      // not a List after all: one object with an items field, read as a whole
      header.value.items = items.map((it) => it.value);
      readValue(header.value, { start: header.span.start, end: header.span.end, items: () => items.map((it) => it.span) }, p.doc, header.src, diag, out);
    }
  });
}

/** The first byte that is not whitespace (JSON or YAML?), without consuming a file's stream. */
function firstByte(src: ByteSource): number {
  if ('buf' in src) { for (const b of src.buf) if (b !== 32 && b !== 9 && b !== 10 && b !== 13) return b; return -1; }
  const b = Buffer.alloc(4096);
  let pos = 0;
  for (;;) {
    const n = fs.readSync(src.fd, b, 0, b.length, pos);
    if (n === 0) return -1;
    for (let i = 0; i < n; i++) { const c = b[i]; if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return c; }
    pos += n;
  }
}

/** One `- ` item of a List: its value, and where its mapping lies in the item's text. */
function parseItem(text: string, name: string, lineOffset: number, diag: Diagnostics, reread?: () => string): { value: unknown; span: Span; src: SourceText } | undefined {
  let start = 1;
  while (start < text.length && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 10)) start++;
  const span: Span = { start, end: text.length, items: () => undefined };
  if (loaderOptions.fastPath) {
    const fast = fastParse(text, { skipManagedFields: true, skipUnread: true, noLineStarts: true });
    if (fast && fast.docs.length === 1 && Array.isArray(fast.docs[0].value) && fast.docs[0].value.length === 1) {
      const src = reread ? new SourceText(name, reread, undefined, lineOffset, 0, firstLineLength(text)) : new SourceText(name, text, undefined, lineOffset, 0);
      return { value: fast.docs[0].value[0], span, src };
    }
  }
  const src = new SourceText(name, text, undefined, lineOffset, 0);
  const value = slowParse(text, src, diag);
  if (!Array.isArray(value)) return undefined;
  return { value: value[0], span, src };
}

/** A List's other top-level entries (apiVersion, kind, metadata), as a mapping. */
function parseHeader(text: string, name: string, lineOffset: number, diag: Diagnostics, reread?: () => string): { value: Record<string, unknown>; span: Span; src: SourceText } | undefined {
  const src = reread && text ? new SourceText(name, reread, undefined, lineOffset, 0, firstLineLength(text)) : new SourceText(name, text, undefined, lineOffset, 0);
  const span: Span = { start: 0, end: text.length, items: () => undefined };
  if (text.trim() === '') return { value: {}, span, src };
  const fast = loaderOptions.fastPath ? fastParse(text) : null;
  const value = fast && fast.docs.length === 1 ? fast.docs[0].value : slowParse(text, new SourceText(name, text, undefined, lineOffset, 0), diag);
  if (!isPlainObject(value)) return undefined;
  return { value, span, src };
}

/** One piece through the yaml package (errors reported with their positions); undefined on errors. */
function slowParse(text: string, src: SourceText, diag: Diagnostics): unknown {
  let docs: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(text, yamlOptions());
    if (!Array.isArray(parsed)) { for (const e of (parsed as any).errors ?? []) reportYamlError(e, src, diag); return undefined; }
    docs = parsed;
  } catch (e: any) {
    diag.error('NS-YAML-SYNTAX', `cannot parse ${src.name}: ${e?.message ?? e}`, src.pos(0), 'the input nests too deeply or is not YAML/JSON');
    return undefined;
  }
  const doc = docs[0];
  if (!doc) return undefined;
  if (doc.errors.length) { for (const e of doc.errors) reportYamlError(e, src, diag); return undefined; }
  try { return doc.toJS({ maxAliasCount: limits.maxAliasCount }); } catch (e: any) {
    diag.error('NS-YAML-ALIASES', `cannot expand ${src.name}: ${e?.message ?? e}`, src.pos(0), 'a YAML alias bomb ("billion laughs"); write the values out instead of nesting aliases');
    return undefined;
  }
}

/** A large JSON input: `kubectl get -o json` (a List), cut at its items. */
function readLargeJSON(src: ByteSource, name: string, file: string | undefined, diag: Diagnostics, out: KObject[]): void {
  const buf = 'buf' in src ? src.buf : fs.readFileSync(file!);
  const cut = jsonPieces(buf, limits.maxObjectBytes);
  if (!cut) {
    // one object, not a List: read whole (an oversized one is refused by the per-object check)
    parseText(buf.toString('utf8'), name, 0, 0, diag, out);
    return;
  }
  let header: Record<string, unknown>;
  try { header = JSON.parse(cut.header); } catch { parseText(buf.toString('utf8'), name, 0, 0, diag, out); return; }
  const kind = typeof header.kind === 'string' ? header.kind : 'List';
  const listKind = { kind: kind.endsWith('List') ? kind.slice(0, -4) || 'List' : 'List', apiVersion: String(header.apiVersion ?? 'v1') };
  for (const p of cut.items) {
    if (p.oversized) {
      diag.error('NS-TOO-LARGE', `a List item is ${mib(p.oversized.bytes)}, more than the ${mib(limits.maxObjectBytes)} the API server accepts in one request; it was not read`, filePos(name, p.line, p.col), TOO_LARGE_HINT);
      continue;
    }
    let value: unknown;
    try { value = JSON.parse(p.text); } catch (e: any) {
      diag.error('NS-YAML-SYNTAX', `List item is not valid JSON: ${e?.message ?? e}`, filePos(name, p.line, p.col), 'fix the JSON syntax here');
      continue;
    }
    // the item's text, indented as in the file so that columns on its first line stay right
    const pad = ' '.repeat(p.col - 1);
    const load = file ? rereader(file, p.byteStart, p.byteEnd) : undefined;
    const s = new SourceText(name, load ? () => pad + load() : pad + p.text, undefined, p.line - 1, 0, pad.length + firstLineLength(p.text));
    readValue(value, { start: p.col - 1, end: p.col - 1 + p.text.length, items: () => undefined }, 0, s, diag, out, listKind);
  }
}

// ---------------------------------------------------------------------------------------------
// JSON fast path: `kubectl get -o json` dumps can be large, and JSON.parse is far faster than a
// YAML parser. Objects keep the same lazy positions (the YAML parser reads their slice on demand);
// a text JSON.parse refuses goes through the YAML parser, which reports positioned errors.

function looksLikeJSON(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) continue;
    return c === 123; // {
  }
  return false;
}

function skipWs(t: string, i: number): number {
  for (;;) {
    const c = t.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) i++; else return i;
  }
}

function skipString(t: string, i: number): number {
  for (i++; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 92) i++; else if (c === 34) return i + 1;
  }
  return i;
}

/** End offset of the JSON value starting at i (the text is known to be valid JSON). */
function skipValue(t: string, i: number): number {
  const c = t.charCodeAt(i);
  if (c === 34) return skipString(t, i);
  if (c === 123 || c === 91) {
    let depth = 0;
    for (; i < t.length; i++) {
      const d = t.charCodeAt(i);
      if (d === 34) i = skipString(t, i) - 1;
      else if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) { if (--depth === 0) return i + 1; }
    }
    return i;
  }
  while (i < t.length && !/[\s,\]}]/.test(t[i])) i++;
  return i;
}

function jsonSpan(t: string, start: number): Span {
  const end = skipValue(t, start);
  return {
    start, end,
    items: () => {
      if (t.charCodeAt(start) !== 123) return undefined;
      let i = skipWs(t, start + 1);
      while (i < end && t.charCodeAt(i) === 34) {
        const keyEnd = skipString(t, i);
        const key = JSON.parse(t.slice(i, keyEnd));
        i = skipWs(t, skipWs(t, keyEnd) + 1); // past ':'
        const vEnd = skipValue(t, i);
        if (key === 'items') {
          if (t.charCodeAt(i) !== 91) return undefined;
          const spans: Span[] = [];
          let j = skipWs(t, i + 1);
          while (j < vEnd - 1) {
            spans.push(jsonSpan(t, j));
            j = skipWs(t, spans[spans.length - 1].end);
            if (t.charCodeAt(j) === 44) j = skipWs(t, j + 1);
            else break;
          }
          return spans;
        }
        i = skipWs(t, vEnd);
        if (t.charCodeAt(i) === 44) i = skipWs(t, i + 1);
      }
      return undefined;
    },
  };
}

/** Reads a JSON text; false when it is not plain JSON (the YAML parser then reads it). */
function readJSON(text: string, name: string, lineOffset: number, colOffset: number, diag: Diagnostics, out: KObject[]): boolean {
  let value: unknown;
  try { value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text); } catch { return false; }
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  const src = new SourceText(name, text, lines, lineOffset, colOffset);
  readValue(value, jsonSpan(text, skipWs(text, 0)), 0, src, diag, out);
  return true;
}
