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
import { fastParse } from './fastyaml';

/** Limits that keep hostile or mistaken input from hanging or exhausting memory. Tests may lower them. */
export const limits = {
  /** bytes per file (or stdin, or doc string) */
  maxFileBytes: 16 * 1024 * 1024,
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
  {
    if ('text' in s) {
      parseText(s.text, s.name, (s.line ?? 1) - 1, (s.col ?? 1) - 1, diag, out);
    } else if (s.path === '-') {
      const text = readStdin(diag);
      if (text !== undefined) parseText(text, STDIN_NAME, 0, 0, diag, out);
    } else {
      readPath(s.path, diag, out, new Set(), true);
    }
  }
}

function readStdin(diag: Diagnostics): string | undefined {
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
    if (total > limits.maxFileBytes) {
      diag.error('NS-TOO-LARGE', `standard input is larger than ${mib(limits.maxFileBytes)}`, filePos(STDIN_NAME), 'split the input into several files (each is read on its own)');
      return undefined;
    }
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('utf8');
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
  if (st.size > limits.maxFileBytes) {
    diag.error('NS-TOO-LARGE', `${p} is ${mib(st.size)}, more than the ${mib(limits.maxFileBytes)} a manifest file may have`, filePos(p), 'split it into several files; a directory of files is read as one input');
    return;
  }
  let text: string;
  try {
    text = fs.readFileSync(p, 'utf8');
  } catch (e: any) {
    diag.error('NS-PATH-UNREADABLE', `cannot read ${p}: ${e?.code ?? e?.message ?? e}`, filePos(p), 'check the file permissions');
    return;
  }
  parseText(text, p, 0, 0, diag, out);
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
export function parseText(text: string, name: string, lineOffset: number, colOffset: number, diag: Diagnostics, out: KObject[]): void {
  if (Buffer.byteLength(text, 'utf8') > limits.maxFileBytes) {
    diag.error('NS-TOO-LARGE', `${name} is more than the ${mib(limits.maxFileBytes)} a manifest may have`, { file: name, line: 1 + lineOffset, col: 1 + colOffset }, 'split it into several files');
    return;
  }
  if (looksLikeJSON(text) && readJSON(text, name, lineOffset, colOffset, diag, out)) return;
  if (loaderOptions.fastPath) {
    const fast = fastParse(text);
    if (fast) {
      const lines = new LineCounter();
      lines.lineStarts = fast.lineStarts;
      const src = new SourceText(name, text, lines, lineOffset, colOffset);
      fast.docs.forEach((d, i) => {
        if (d.value === null || d.value === undefined) return; // an empty document, or `~`
        const items = d.items;
        // (the fast path declines Lists whose items hold Lists, so an item's own items are never asked for)
        readValue(d.value, { start: d.start, end: d.end, items: () => items && items.map((it) => ({ start: it.start, end: it.end, items: () => undefined })) }, i, src, diag, out);
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
  docs.forEach((doc, i) => readDocument(doc, i, src, diag, out));
}

function reportYamlError(e: any, src: SourceText, diag: Diagnostics): void {
  const code = e.code === 'DUPLICATE_KEY' ? 'NS-YAML-DUPLICATE-KEY' : 'NS-YAML-SYNTAX';
  const offset = Array.isArray(e.pos) ? e.pos[0] : 0;
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
      diag.error('NS-YAML-SYNTAX', `document ${index + 1} cannot be read: ${e?.message ?? e}`, src.pos(rootStart), 'the document nests too deeply or uses an unsupported YAML feature');
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
  const cls = classify(av, k);
  if (cls.cls === 'unknown') {
    const name = isPlainObject(obj.metadata) && typeof obj.metadata.name === 'string' ? ` "${obj.metadata.name}"` : '';
    diag.warn('NS-UNKNOWN-KIND', `${k}${name} (${av}) is not a kind netspec models; it is ignored`, here);
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
  setOrigin(obj, origin);
  out.push(obj as KObject);
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
