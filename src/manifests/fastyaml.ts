// A fast path for the plain block-style YAML that manifests are nearly always written in.
//
// The `yaml` package builds a concrete syntax tree, then a document tree with a node per scalar,
// then plain objects: about 1.5 MB/s. Kubernetes manifests mostly use a small part of YAML —
// block mappings and sequences, plain scalars, the odd quoted string, `{}` / `[]`, comments — and
// for that part a line-oriented reader is an order of magnitude faster.
//
// The fast path is all-or-nothing per input text: on anything outside that part (flow
// collections with content, block scalars, anchors and aliases, tags, merge keys, directives,
// multi-line scalars, escapes, tabs, CR, duplicate keys, unusual characters, a key that is not a
// plain string…) it returns null and the caller parses the text with the `yaml` package, which
// reports errors with their positions. Within that part, it yields exactly what the `yaml` package
// gives (fastyaml.test.ts holds the property): the same documents with the same indexes, the same
// values — plain scalars are resolved by the very tags of the schema the loader configures — and
// the same node offsets (a node's end may differ only by trailing comment lines, which the
// position finder never looks at).
import { Document, isScalar } from 'yaml';
import { yamlOptions } from './yamlopts';

export interface FastSpan { start: number; end: number }

export interface FastDoc {
  /** the document's value as `doc.toJS()` gives it; null for an empty document */
  value: unknown;
  /** offsets of the root node (range[0], and the end of its last line) */
  start: number;
  end: number;
  /** spans of the items of a root mapping's `items` sequence (each item a mapping) */
  items?: FastSpan[];
}

export interface FastResult {
  docs: FastDoc[];
  /** line start offsets, as the yaml package's LineCounter records them */
  lineStarts: number[];
}

/** Characters the fast path accepts anywhere: LF and printable characters (no tab, CR, BOM, controls, line/paragraph separators, surrogates). */
const ODD_CHAR = /[^\n\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]/;

class Bail extends Error {}
const BAIL = new Bail('not plain block YAML');

interface TagLike { default?: boolean | 'key'; test?: RegExp; resolve: (s: string, onError: (m: string) => void, opts: unknown) => unknown }

let schemaTags: { value: TagLike[]; key: TagLike[]; options: unknown } | undefined;

/** The scalar tags of the schema the loader parses with, in the order the composer tries them. */
function tags(): { value: TagLike[]; key: TagLike[]; options: unknown } {
  if (!schemaTags) {
    const doc = new Document(null, yamlOptions());
    const all = (doc.schema as unknown as { tags: TagLike[]; compat?: unknown }).tags;
    if ((doc.schema as any).compat) throw BAIL; // the composer would warn about ambiguous scalars
    schemaTags = {
      value: all.filter((t) => t.default === true && t.test),
      key: all.filter((t) => (t.default === true || t.default === 'key') && t.test),
      options: doc.options,
    };
  }
  return schemaTags;
}


const SP = 32, NL = 10, HASH = 35, COLON = 58, DASH = 45, DQ = 34, SQ = 39, LBRACE = 123, RBRACE = 125, LBRACK = 91, RBRACK = 93;

/** Plain key characters: letters, digits, `_ . / -` (a first `-` is not allowed). */
const KEY_CHAR = new Uint8Array(128);
for (let c = 48; c <= 57; c++) KEY_CHAR[c] = 1;
for (let c = 65; c <= 90; c++) KEY_CHAR[c] = 1;
for (let c = 97; c <= 122; c++) KEY_CHAR[c] = 1;
KEY_CHAR[95] = 1; KEY_CHAR[46] = 1; KEY_CHAR[47] = 1; KEY_CHAR[DASH] = 1;

/** Characters a plain scalar may not start with (the YAML indicators), `-` `?` `:` handled apart. */
const INDICATOR = new Uint8Array(128);
for (const ch of ',[]{}#&*!|>\'"%@`') INDICATOR[ch.charCodeAt(0)] = 1;

const enum Peek { Line, Doc, Eof }

/**
 * Fields of a Pod netspec never reads and a snapshot is full of (kubectl get -o yaml of a live
 * pod): the service-account volume and its mounts, runtime ids, termination-message settings, the
 * last-applied annotation. Passed over when asked (the loader does; `get -o yaml` then shows the
 * pod without them).
 */
export const UNREAD_IN_POD: ReadonlySet<string> = new Set(['volumes', 'volumeMounts', 'containerID', 'imageID', 'terminationMessagePath', 'terminationMessagePolicy', 'kubectl.kubernetes.io/last-applied-configuration']);

const KEY_CACHE = new Map<string, boolean>();
const VALUE_CACHE = new Map<string, unknown>();

class Reader {
  private readonly n: number;
  /** offset of the next unread line */
  private p = 0;
  /** the peeked content line */
  ls = 0; indent = 0; cs = 0; le = 0;
  private peeked: Peek | -1 = -1;
  /** end of the last consumed content line (past its newline) */
  lastEnd = 0;
  // (shared by every text read: resolving a scalar depends only on its text and the schema)
  private readonly keyCache = KEY_CACHE;
  private readonly valueCache = VALUE_CACHE;
  private readonly t: string;
  private readonly tg: ReturnType<typeof tags>;

  /** inside a Pod (its `kind: Pod` read after its apiVersion, as kubectl writes them): UNREAD_IN_POD keys are passed over */
  private inPod = false;

  constructor(text: string, private readonly skipManaged = false, private readonly skipUnread = false) { this.t = text; this.n = text.length; this.tg = tags(); }

  /** The next content line (blank and comment lines skipped), a document marker, or the end. */
  peek(): Peek {
    if (this.peeked !== -1) return this.peeked;
    const t = this.t, n = this.n;
    let p = this.p;
    for (;;) {
      if (p >= n) return (this.peeked = Peek.Eof);
      let le = t.indexOf('\n', p);
      if (le < 0) le = n;
      let cs = p;
      while (cs < le && t.charCodeAt(cs) === SP) cs++;
      if (cs === le || t.charCodeAt(cs) === HASH) { p = le + 1; continue; }
      if (cs === p) {
        const c = t.charCodeAt(p);
        if ((c === DASH && t.startsWith('---', p)) || (c === 46 && t.startsWith('...', p))) {
          if (le - p === 3 && c === DASH) { this.ls = p; this.le = le; this.p = p; return (this.peeked = Peek.Doc); }
          throw BAIL;
        }
      }
      if (cs - p > 1000) throw BAIL; // pathological nesting: the yaml package refuses it with a position
      this.p = p; this.ls = p; this.cs = cs; this.le = le; this.indent = cs - p;
      return (this.peeked = Peek.Line);
    }
  }

  /** Consumes the peeked line. */
  take(): void {
    this.p = this.le + 1;
    this.lastEnd = this.le < this.n ? this.le + 1 : this.n;
    this.peeked = -1;
  }

  /** Consumes a document marker line (not content: lastEnd stays). */
  takeMarker(): void { this.p = this.le + 1; this.peeked = -1; }

  /** `-` followed by a space or the end of the line, at offset i. */
  private isDash(i: number): boolean {
    return this.t.charCodeAt(i) === DASH && (i + 1 === this.le || this.t.charCodeAt(i + 1) === SP);
  }

  /**
   * End offset of a plain key starting at i when a `key:` entry starts there, else -1. Keys are
   * plain scalars in YAML's block-key context: anything up to the first ": " (or a final ":"),
   * so managedFields' `f:metadata:` and `k:{"name":"main"}:` are keys too; a key may not start
   * with an indicator and may not hold " #" (a comment).
   */
  private keyEnd(i: number): number {
    const t = this.t, le = this.le;
    let j = i;
    for (; j < le; j++) {
      const c = t.charCodeAt(j);
      if (c >= 128 || KEY_CHAR[c] === 0) break;
    }
    const c0 = t.charCodeAt(i);
    if (c0 === DASH || c0 === 63 || c0 === COLON || c0 === SP || (c0 < 128 && INDICATOR[c0] === 1)) return -1;
    // the common case: a key of letters, digits and `_ . / -`, then ": " or a final ":"
    if (j < le && t.charCodeAt(j) === COLON && (j + 1 === le || t.charCodeAt(j + 1) === SP)) return j;
    // the general case: scan to the first ": " / final ":"
    for (; j < le; j++) {
      const c = t.charCodeAt(j);
      if (c === COLON && (j + 1 === le || t.charCodeAt(j + 1) === SP)) break;
      if (c === SP && j + 1 < le && t.charCodeAt(j + 1) === HASH) return -1;
    }
    if (j >= le || j === i) return -1;
    if (t.charCodeAt(j - 1) === SP) return -1; // "a :" — the yaml package keeps such keys apart
    return j;
  }

  /**
   * A node whose first line is the peeked one, at its indentation. `root` collects the spans of
   * the items of a root mapping's `items` sequence (what a List's objects are read from).
   */
  node(root?: { items?: FastSpan[] }): unknown {
    const cs = this.cs;
    if (this.isDash(cs)) return this.seq(this.indent);
    if (this.keyEnd(cs) >= 0) return this.map(this.indent, cs, root);
    throw BAIL; // a scalar on a line of its own: multi-line, or a root scalar
  }

  /** A block mapping whose keys sit at column `indent`; its first key starts at offset k on the peeked line. */
  map(indent: number, k: number, root?: { items?: FastSpan[] }): Record<string, unknown> {
    const t = this.t;
    const obj: Record<string, unknown> = {};
    const outerPod = this.inPod;
    try {
    for (;;) {
      const ke = this.keyEnd(k);
      if (ke < 0 || ke - k > 1000) throw BAIL;
      const key = t.slice(k, ke);
      this.checkKey(key);
      if (Object.prototype.hasOwnProperty.call(obj, key)) throw BAIL; // duplicate key: the yaml package reports it
      let v = ke + 1;
      const le = this.le;
      while (v < le && t.charCodeAt(v) === SP) v++;
      let value: unknown;
      if ((this.skipManaged && key === 'managedFields') || (this.inPod && outerPod && UNREAD_IN_POD.has(key))) {
        // never read by netspec (kubectl get hides it too): its lines are passed over, not parsed
        if (v < le && t.charCodeAt(v) !== HASH) { this.inline(v, indent); this.take(); } else {
          this.take();
          while (this.peek() === Peek.Line && (this.indent > indent || (this.indent === indent && this.isDash(this.cs)))) this.take();
        }
        if (this.peek() !== Peek.Line || this.indent < indent) return obj;
        if (this.indent > indent || this.isDash(this.cs)) throw BAIL;
        k = this.cs;
        continue;
      }
      if (v === le || t.charCodeAt(v) === HASH) {
        this.take();
        if (this.peek() === Peek.Line && (this.indent > indent || (this.indent === indent && this.isDash(this.cs)))) {
          if (root && key === 'items' && this.isDash(this.cs)) {
            root.items = [];
            value = this.seq(this.indent, root.items);
          } else value = this.node();
        } else value = null;
      } else {
        value = this.inline(v, indent);
        this.take();
        if (root && key === 'items' && Array.isArray(value)) {
          if (value.length) throw BAIL; // a List's items in flow style: their spans are the yaml package's to find
          root.items = [];
        }
      }
      if (key in obj) Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
      else obj[key] = value;
      if (this.skipUnread && key === 'kind' && value === 'Pod' && 'apiVersion' in obj) this.inPod = true;
      if (this.peek() !== Peek.Line || this.indent < indent) return obj;
      if (this.indent > indent || this.isDash(this.cs)) throw BAIL;
      k = this.cs;
    }
    } finally { this.inPod = outerPod; }
  }

  /** A block sequence whose `-` sit at column `indent` (the peeked line is its first item). */
  seq(indent: number, spans?: FastSpan[]): unknown[] {
    const t = this.t;
    const arr: unknown[] = [];
    for (;;) {
      let v = this.cs + 1;
      const le = this.le;
      while (v < le && t.charCodeAt(v) === SP) v++;
      let value: unknown;
      let start = v;
      if (v === le || t.charCodeAt(v) === HASH) {
        this.take();
        if (this.peek() === Peek.Line && this.indent > indent) { start = this.cs; value = this.node(); } else value = null;
      } else if (this.isDash(v)) {
        throw BAIL; // a compact nested sequence
      } else if (this.keyEnd(v) >= 0) {
        value = this.map(v - this.ls, v);
      } else {
        value = this.inline(v, indent);
        this.take();
      }
      if (spans) {
        // List items are objects (an item that is not, or that holds items of its own, goes the slow way)
        if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.prototype.hasOwnProperty.call(value, 'items')) throw BAIL;
        spans.push({ start, end: this.lastEnd });
      }
      arr.push(value);
      if (this.peek() !== Peek.Line || this.indent < indent) return arr;
      if (this.indent > indent) throw BAIL;
      if (!this.isDash(this.cs)) return arr; // back to the mapping this sequence is the value of
    }
  }

  /**
   * A value on the rest of the line from offset v (not empty, not a comment); `n` is the column
   * of the mapping key or sequence dash it is the value of (continuation and block-scalar lines
   * are indented deeper than n).
   */
  private inline(v: number, n: number): unknown {
    const t = this.t, le = this.le;
    const c = t.charCodeAt(v);
    let end: number;
    let value: unknown;
    if (c === DQ) {
      let close = v + 1, escaped = false;
      for (; close < le; close++) {
        const d = t.charCodeAt(close);
        if (d === 92) { escaped = true; close++; } else if (d === DQ) break;
      }
      if (close >= le) throw BAIL; // unterminated here: a multi-line double-quoted scalar
      value = escaped ? jsonEscapes(t.slice(v + 1, close)) : t.slice(v + 1, close);
      end = close + 1;
    } else if (c === SQ) {
      let close = v + 1, doubled = false;
      for (;;) {
        close = t.indexOf("'", close);
        if (close < 0 || close >= le) throw BAIL;
        if (t.charCodeAt(close + 1) === SQ) { doubled = true; close += 2; continue; }
        break;
      }
      value = doubled ? t.slice(v + 1, close).replace(/''/g, "'") : t.slice(v + 1, close);
      end = close + 1;
    } else if (c === LBRACE || c === LBRACK) {
      if (t.charCodeAt(v + 1) === (c === LBRACE ? RBRACE : RBRACK)) { value = c === LBRACE ? {} : []; end = v + 2; }
      else { const f = this.flow(v); value = f.value; end = f.end; }
    } else if (c === 124) { // |
      return this.literal(v, n);
    } else {
      if (c < 128 && INDICATOR[c] === 1) throw BAIL;
      if ((c === DASH || c === 63 || c === COLON) && (v + 1 === le || t.charCodeAt(v + 1) === SP)) throw BAIL;
      // a plain scalar: to the end of the line or a comment (" #"); ": " inside or a final ":" is not plain
      let e = v, comment = false;
      for (let j = v; j < le; j++) {
        const d = t.charCodeAt(j);
        if (d === SP) {
          if (j + 1 < le && t.charCodeAt(j + 1) === HASH) { comment = true; break; }
          continue;
        }
        if (d === COLON && (j + 1 === le || t.charCodeAt(j + 1) === SP)) throw BAIL;
        e = j + 1;
      }
      const first = t.slice(v, e);
      const more = comment ? null : this.continuation(n);
      return this.plain(more === null ? first : `${first} ${more}`);
    }
    // after a quoted or flow value: spaces, then the end of the line or a comment
    let j = end;
    while (j < le && t.charCodeAt(j) === SP) j++;
    if (j < le && !(t.charCodeAt(j) === HASH && j > end)) throw BAIL;
    return value;
  }

  /**
   * A flow collection that opens at offset v and closes on the same line, as hand-written manifests
   * write them (`selector: {app: web}`, `ports: [{port: 80, targetPort: 8080}]`): nested flow
   * collections, quoted scalars and plain scalars, entries separated by ", ". Anything else — a
   * collection over several lines, a trailing or doubled comma, `key:value` pairs inside a sequence,
   * anchors, tags, comments, tabs — goes the slow way.
   */
  private flow(v: number): { value: unknown; end: number } {
    const t = this.t, le = this.le;
    const skip = (i: number) => { while (i < le && t.charCodeAt(i) === SP) i++; return i; };
    const scalar = (i: number, inMap: boolean, depth: number): { value: unknown; end: number; text?: string } => {
      const c = t.charCodeAt(i);
      if (c === DQ || c === SQ) {
        let close = i + 1, special = false;
        for (; close < le; close++) {
          const d = t.charCodeAt(close);
          if (c === DQ && d === 92) { special = true; close++; } else if (d === c) {
            if (c === SQ && t.charCodeAt(close + 1) === SQ) { special = true; close++; continue; }
            break;
          }
        }
        if (close >= le) throw BAIL;
        const body = t.slice(i + 1, close);
        return { value: !special ? body : c === DQ ? jsonEscapes(body) : body.replace(/''/g, "'"), end: close + 1 };
      }
      if (c === LBRACE || c === LBRACK) return node(i, depth + 1);
      if (c < 128 && INDICATOR[c] === 1) throw BAIL;
      if (c === DASH || c === 63 || c === COLON) {
        const d = t.charCodeAt(i + 1);
        if (i + 1 >= le || d === SP || d === 44 || d === RBRACE || d === RBRACK || d === LBRACE || d === LBRACK) throw BAIL;
      }
      let j = i, e = i;
      for (; j < le; j++) {
        const d = t.charCodeAt(j);
        if (d === 44 || d === RBRACE || d === RBRACK) break;
        if (d === LBRACE || d === LBRACK || d === 9) throw BAIL;
        if (d === COLON) {
          const n = t.charCodeAt(j + 1);
          if (j + 1 >= le || n === SP || n === 44 || n === RBRACE || n === RBRACK || n === LBRACE || n === LBRACK) {
            if (inMap) break; // the key's end
            throw BAIL; // a single-pair mapping inside a sequence
          }
        }
        if (d === SP) { if (t.charCodeAt(j + 1) === HASH) throw BAIL; continue; }
        e = j + 1;
      }
      const text = t.slice(i, e);
      return { value: this.plain(text), end: j, text };
    };
    const node = (i: number, depth: number): { value: unknown; end: number } => {
      if (depth > 64) throw BAIL; // deep nesting: the yaml package decides (and reports it, located)
      const open = t.charCodeAt(i);
      const close = open === LBRACE ? RBRACE : RBRACK;
      const out: unknown = open === LBRACE ? {} : [];
      let j = skip(i + 1);
      if (t.charCodeAt(j) === close) return { value: out, end: j + 1 };
      for (;;) {
        if (j >= le) throw BAIL;
        if (open === LBRACE) {
          const k = scalar(j, true, depth);
          if (typeof k.value !== 'string' || t.charCodeAt(k.end) !== COLON) throw BAIL;
          const key = k.text ?? (k.value as string);
          if (k.text !== undefined) this.checkKey(key);
          const obj = out as Record<string, unknown>;
          if (Object.prototype.hasOwnProperty.call(obj, key)) throw BAIL;
          j = k.end + 1;
          if (t.charCodeAt(j) !== SP) throw BAIL;
          j = skip(j);
          const c = t.charCodeAt(j);
          if (j >= le || c === 44 || c === RBRACE) throw BAIL; // an empty value
          const val = scalar(j, false, depth);
          if (key in obj) Object.defineProperty(obj, key, { value: val.value, writable: true, enumerable: true, configurable: true });
          else obj[key] = val.value;
          j = skip(val.end);
        } else {
          const c = t.charCodeAt(j);
          if (c === 44 || c === RBRACK) throw BAIL;
          const val = scalar(j, false, depth);
          (out as unknown[]).push(val.value);
          j = skip(val.end);
        }
        const d = t.charCodeAt(j);
        if (d === close) return { value: out, end: j + 1 };
        if (d !== 44) throw BAIL;
        j = skip(j + 1);
        const n = t.charCodeAt(j);
        if (n === close || n === 44) throw BAIL; // a trailing or doubled comma
      }
    };
    return node(v, 0);
  }

  /**
   * The continuation lines of a plain scalar (go-yaml folds long strings at 80 columns): the
   * following lines indented deeper than n, each trimmed and joined by one space. null when the
   * next line is not one. Blank lines inside (which fold to line breaks), comments and anything
   * that might be structure are left to the yaml package.
   */
  private continuation(n: number): string | null {
    const t = this.t, len = this.n;
    let parts: string[] | null = null;
    let p = this.le + 1;
    while (p < len) {
      let le = t.indexOf('\n', p);
      if (le < 0) le = len;
      let cs = p;
      while (cs < le && t.charCodeAt(cs) === SP) cs++;
      if (cs - p <= n || cs === le) break; // a shallower line, or a blank one (which ends the node here unless more follows)
      const c = t.charCodeAt(cs);
      if (c === HASH || (c < 128 && INDICATOR[c] === 1) || ((c === DASH || c === 63 || c === COLON) && (cs + 1 === le || t.charCodeAt(cs + 1) === SP))) throw BAIL;
      let e = cs;
      for (let j = cs; j < le; j++) {
        const d = t.charCodeAt(j);
        if (d === SP) {
          if (j + 1 < le && t.charCodeAt(j + 1) === HASH) throw BAIL;
          continue;
        }
        if (d === COLON && (j + 1 === le || t.charCodeAt(j + 1) === SP)) throw BAIL;
        e = j + 1;
      }
      (parts ??= []).push(t.slice(cs, e));
      this.le = le; // consumed with the value's first line
      p = le + 1;
    }
    if (parts && p < len) {
      // a blank line right after the continuation: the yaml package decides what follows
      let cs = p;
      while (cs < len && t.charCodeAt(cs) === SP) cs++;
      if (cs < len && t.charCodeAt(cs) === NL) {
        let q = cs + 1;
        while (q < len && (t.charCodeAt(q) === SP || t.charCodeAt(q) === NL)) q++;
        let col = q;
        while (col > 0 && t.charCodeAt(col - 1) !== NL) col--;
        if (q < len && q - col > n) throw BAIL;
      }
    }
    return parts && parts.join(' ');
  }

  /**
   * A literal block scalar (`|` keep-one-newline, `|-` strip) as go-yaml writes multi-line strings
   * (kubectl's last-applied-configuration). Its lines are indented deeper than n, the indentation
   * taken from the first line; other headers (`|+`, `|2`, folded `>`) go to the yaml package.
   */
  private literal(v: number, n: number): string {
    const t = this.t, len = this.n, le = this.le;
    let h = v + 1;
    let strip = false;
    if (h < le && t.charCodeAt(h) === DASH) { strip = true; h++; }
    while (h < le && t.charCodeAt(h) === SP) h++;
    if (h < le && !(t.charCodeAt(h) === HASH && t.charCodeAt(h - 1) === SP)) throw BAIL;
    const lines: string[] = [];
    let indent = -1;
    let p = le + 1;
    let lastContentEnd = le;
    while (p < len) {
      let e = t.indexOf('\n', p);
      if (e < 0) e = len;
      let cs = p;
      while (cs < e && t.charCodeAt(cs) === SP) cs++;
      if (cs === e) { // a blank line: part of the scalar if content follows
        if (indent >= 0 && e - p > indent) throw BAIL; // spaces beyond the indentation are content
        if (indent < 0) throw BAIL; // leading blank lines: the yaml package decides the indentation
        lines.push('');
        p = e + 1;
        continue;
      }
      if (indent < 0) {
        if (cs - p <= n) break;
        indent = cs - p;
      } else if (cs - p < indent) break;
      lines.push(t.slice(p + indent, e));
      lastContentEnd = e;
      p = e + 1;
    }
    if (indent < 0) throw BAIL; // an empty block scalar
    while (lines.length && lines[lines.length - 1] === '') lines.pop();
    this.le = lastContentEnd;
    if (lastContentEnd >= len) throw BAIL; // no final line break: the clip rule differs
    return lines.join('\n') + (strip ? '' : '\n');
  }

  /** A plain scalar resolved as the schema's tags resolve it (first matching test wins, else a string). */
  private plain(s: string): unknown {
    const cache = this.valueCache;
    const hit = cache.get(s);
    if (hit !== undefined || cache.has(s)) return hit;
    let value: unknown = s;
    for (const tag of this.tg.value) {
      if (!tag.test!.test(s)) continue;
      let failed = false;
      let res = tag.resolve(s, () => { failed = true; }, this.tg.options);
      if (failed) throw BAIL;
      if (isScalar(res)) res = res.value;
      if (typeof res === 'bigint') res = Number(res);
      if (res !== null && typeof res === 'object') throw BAIL;
      value = res;
      break;
    }
    if (cache.size < 65536 && s.length < 64) cache.set(s, value);
    return value;
  }

  /** Keys must resolve to strings (`on:`, `y:`, `null:`, `1:` do not) and not be `<<`. */
  private checkKey(key: string): void {
    let ok = this.keyCache.get(key);
    if (ok === undefined) {
      ok = !this.tg.key.some((tag) => tag.test!.test(key));
      if (this.keyCache.size < 65536) this.keyCache.set(key, ok);
    }
    if (!ok) throw BAIL;
  }
}

/** The escapes JSON shares with YAML's double-quoted style; any other escape goes to the yaml package. */
function jsonEscapes(body: string): string {
  if (/\\[^"\\\/bfnrtu]/.test(body) || /\\u(?![0-9a-fA-F]{4})/.test(body)) throw BAIL;
  try { return JSON.parse(`"${body}"`); } catch { throw BAIL; }
}

export interface FastOptions {
  /** pass over `managedFields` keys without reading them (never read by netspec; kubectl hides them) */
  skipManagedFields?: boolean;
  /** pass over the fields of Pods netspec never reads (UNREAD_IN_POD) */
  skipUnread?: boolean;
  /** leave lineStarts empty (the caller counts lines itself, or only when a position is asked for) */
  noLineStarts?: boolean;
}

/** Reads `text` if it lies within the plain block subset; null when the yaml package must read it. */
export function fastParse(text: string, opts: FastOptions = {}): FastResult | null {
  if (ODD_CHAR.test(text)) return null;
  try {
    const r = new Reader(text, opts.skipManagedFields === true, opts.skipUnread === true);
    const docs: FastDoc[] = [];
    const root = (): FastDoc => {
      if (r.indent !== 0) throw BAIL;
      const start = r.cs;
      const info: { items?: FastSpan[] } = {};
      const value = r.node(info);
      if (r.peek() === Peek.Line) throw BAIL;
      const d: FastDoc = { value, start, end: r.lastEnd };
      if (info.items) d.items = info.items;
      return d;
    };
    let k = r.peek();
    if (k === Peek.Line) { docs.push(root()); k = r.peek(); }
    while (k === Peek.Doc) {
      r.takeMarker();
      k = r.peek();
      if (k === Peek.Line) { docs.push(root()); k = r.peek(); } else docs.push({ value: null, start: r.ls, end: r.ls });
    }
    const lineStarts = [0];
    if (!opts.noLineStarts) for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    return { docs, lineStarts };
  } catch (e) {
    if (e instanceof Bail) return null;
    throw e;
  }
}
