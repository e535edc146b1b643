// Where an object came from, and where each of its fields is, without keeping the YAML tree.
//
// Keeping every document's AST alive for `at(path)` costs several times the input's size. An object
// keeps instead a reference to its file's text (shared by every object of the file), the offsets
// of its node, and the document index. `at(path)` re-parses just that node's slice on demand (it is
// asked only for errors and traces) and caches the last few parses.
import { LineCounter, parseDocument, isMap, isSeq, isScalar, isPair, isAlias, type Node as YNode } from 'yaml';
import type { Origin } from '../model/types';
import type { SourcePos } from '../net/trace';
import { yamlOptions } from './yamlopts';

/** One input's text, shared by every object read from it. */
export class SourceText {
  private cachedText: string | undefined;
  private cachedLines: LineCounter | undefined;
  constructor(
    /** file name as reported in positions */
    readonly name: string,
    /** the text, or (for a large file read object by object) a way to read it again when a position is asked for */
    text: string | (() => string),
    lines: LineCounter | undefined,
    /** added to every line (doc strings: their first line in the feature file, minus one) */
    readonly lineOffset: number,
    /** added to every column (doc strings: their indentation in the feature file) */
    readonly colOffset: number,
    /** with a text read again on demand: the length of its first line (positions on it need no text) */
    private readonly firstLine = -1,
  ) {
    if (typeof text === 'string') { this.cachedText = text; this.cachedLines = lines; } else this.load = text;
  }

  private readonly load?: () => string;

  /** The text (read again each time for a source that does not keep it). */
  get text(): string {
    return this.cachedText ?? this.load!();
  }

  get lines(): LineCounter {
    if (this.cachedLines) return this.cachedLines;
    const text = this.text;
    const lines = new LineCounter();
    lines.addNewLine(0);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
    if (this.cachedText !== undefined) this.cachedLines = lines;
    return lines;
  }

  /** file:line:col of an offset into `text`. */
  pos(offset: number): SourcePos {
    if (offset >= 0 && offset <= this.firstLine) return { file: this.name, line: 1 + this.lineOffset, col: offset + 1 + this.colOffset };
    const text = this.text;
    const p = this.lines.linePos(Math.max(0, Math.min(offset, text.length)));
    const line = p.line === 0 ? 1 : p.line;
    const col = p.line === 0 ? offset + 1 : p.col;
    return { file: this.name, line: line + this.lineOffset, col: col + this.colOffset };
  }

  /** Offset of the first character of the line holding `offset`. */
  lineStart(offset: number): number {
    const starts = this.lines.lineStarts;
    let lo = 0, hi = starts.length - 1, best = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= offset) { best = starts[mid]; lo = mid + 1; } else hi = mid - 1;
    }
    return best;
  }
}

/** A path inside an object, as kubectl prints it: spec.ports[0].port */
export function formatPath(path: readonly (string | number)[]): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else s += s === '' ? p : `.${p}`;
  }
  return s;
}

interface Parsed { node: YNode | null; base: number }
const CACHE_SIZE = 32;
const cache = new Map<YamlOrigin, Parsed>();

/** The origin of an object read from YAML or JSON text. */
export class YamlOrigin implements Origin {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  constructor(
    private readonly src: SourceText,
    /** offsets of the object's node in src.text */
    private readonly start: number,
    private readonly end: number,
    readonly doc: number,
  ) {
    const p = src.pos(start);
    this.file = p.file; this.line = p.line; this.col = p.col;
  }

  /**
   * Position of a field by path; the nearest existing ancestor when the field is absent. A scalar
   * is found at its value, or at its key when `key` is set (an unknown field, a bad label key).
   * An own property (not a method) so that `{ ...origin, derived }` copies keep it.
   */
  readonly at = (path: readonly (string | number)[], key = false): SourcePos => {
    const own = { file: this.file, line: this.line, col: this.col };
    if (path.length === 0) return own;
    const parsed = this.parse();
    if (!parsed.node) return own;
    let node: unknown = parsed.node;
    let found: number | undefined;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (isAlias(node)) break;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        const k = pair.key as YNode;
        const v = pair.value as YNode | null;
        // scalars: point at the value; collections and empty values: at the key
        if (v && isScalar(v) && v.range && !(key && i === path.length - 1)) found = v.range[0];
        else if (k.range) found = k.range[0];
        node = v;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg] as YNode | undefined;
        if (!item) break;
        if (item.range) found = item.range[0];
        node = item;
      } else break;
    }
    if (found === undefined) return own;
    return this.src.pos(parsed.base + found);
  };

  private parse(): Parsed {
    let p = cache.get(this);
    if (p) { cache.delete(this); cache.set(this, p); return p; }
    const ls = this.src.lineStart(this.start);
    // blank what precedes the node on its first line ("- ", "--- ") so indentation is kept
    const slice = ' '.repeat(this.start - ls) + this.src.text.slice(this.start, this.end);
    let node: YNode | null = null;
    try {
      node = (parseDocument(slice, { ...yamlOptions(), uniqueKeys: false }).contents as YNode | null) ?? null;
    } catch { node = null; }
    p = { node, base: ls };
    cache.set(this, p);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as YamlOrigin);
    return p;
  }
}

/** The origin of a whole input (for errors about a file, not a node in it). */
export function filePos(name: string, line = 1, col = 1): SourcePos {
  return { file: name, line, col };
}
