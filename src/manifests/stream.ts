// Large inputs read object by object: a cluster snapshot (`kubectl get … -A -o yaml`) is one file of
// any size, but every object in it is small (the API server refuses a request body over 3 MiB and
// etcd one over 1.5 MiB). The text is read in blocks and cut into the pieces that hold one object
// each — a YAML document, or one item of a List written as kubectl writes it (`items:` then `- `
// at the first column) — and each piece is parsed on its own, so memory follows the objects
// netspec keeps, not the text's size, and one odd object sends only itself to the slow parser.
// JSON (`-o json`) is cut the same way at the items of its root object.
import * as fs from 'node:fs';

/** One piece of the input, holding one object (or a List's header without its items). */
export interface Piece {
  /** 'doc': a whole document; 'item': one `- ` item of a List's items; 'header': a List's other top-level entries */
  kind: 'doc' | 'item' | 'header';
  /** its text (for 'item', starting with the `- `); '' when oversized */
  text: string;
  /** 1-based line of its first character; its column is 1 except for JSON items */
  line: number;
  col: number;
  /** byte offsets in the input (to read the text again for positions) */
  byteStart: number;
  byteEnd: number;
  /** index of the document in the input */
  doc: number;
  /** bytes, when the piece is larger than the limit (its text is then not kept) */
  oversized?: { bytes: number; kind?: string; name?: string };
}

const NL = 10, SP = 32, DASH = 45, HASH = 35, DOT = 46;

/** Where bytes come from: a file descriptor (read in blocks) or a buffer already in memory. */
export type ByteSource = { fd: number } | { buf: Buffer };

/** Fills `block` from the source; 0 at the end. */
function reader(src: ByteSource): (block: Buffer) => number {
  if ('buf' in src) {
    let off = 0;
    return (block) => { const n = src.buf.copy(block, 0, off); off += n; return n; };
  }
  return (block) => {
    for (;;) {
      try { return fs.readSync(src.fd, block, 0, block.length, null); } catch (e: any) {
        if (e?.code === 'EAGAIN') { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5); continue; }
        if (e?.code === 'EOF') return 0;
        throw e;
      }
    }
  };
}

/** Reads the source in blocks and hands each complete line (without its newline) to `line`. */
function eachLine(src: ByteSource, blockBytes: number, line: (buf: Buffer, s: number, e: number, byteStart: number) => void): number {
  let carry: Buffer = Buffer.alloc(0);
  let base = 0; // byte offset of carry[0] in the input
  const block = Buffer.allocUnsafe(blockBytes);
  const read = reader(src);
  for (;;) {
    const n = read(block);
    if (n === 0) break;
    const buf = carry.length ? Buffer.concat([carry, block.subarray(0, n)]) : Buffer.from(block.subarray(0, n));
    let s = 0;
    for (let i = buf.indexOf(NL, 0); i >= 0; i = buf.indexOf(NL, s)) {
      line(buf, s, i, base + s);
      s = i + 1;
    }
    base += s;
    carry = buf.subarray(s);
  }
  if (carry.length) line(carry, 0, carry.length, base);
  return base + carry.length;
}

/** Does the line (bytes s..e) start with `--- `/`---` or `...` (a document marker)? */
function isMarker(buf: Buffer, s: number, e: number): boolean {
  if (e - s < 3) return false;
  const c = buf[s];
  if ((c !== DASH && c !== DOT) || buf[s + 1] !== c || buf[s + 2] !== c) return false;
  return e - s === 3 || buf[s + 3] === SP || buf[s + 3] === 13;
}

/** `items:` alone on a line at the first column (trailing spaces or a comment allowed). */
function isItemsKey(buf: Buffer, s: number, e: number): boolean {
  if (e - s < 6 || buf.toString('latin1', s, s + 6) !== 'items:') return false;
  for (let i = s + 6; i < e; i++) {
    if (buf[i] === HASH) return buf[i - 1] === SP;
    if (buf[i] !== SP) return false;
  }
  return true;
}

/** `-` then a space or the end of the line, at the first column. */
function isDashLine(buf: Buffer, s: number, e: number): boolean {
  return buf[s] === DASH && (e === s + 1 || buf[s + 1] === SP);
}

/** The `kind:` and `metadata.name` lines of an oversized document or List item, to name it in the error. */
const DOC_KIND = /^kind: *["']?([A-Za-z0-9]+)/;
const DOC_NAME = /^  name: *["']?([a-z0-9.-]+)/;
const ITEM_KIND = /^(?:- |  )kind: *["']?([A-Za-z0-9]+)/;
const ITEM_NAME = /^    name: *["']?([a-z0-9.-]+)/;

/**
 * Cuts a YAML input into pieces, calling `piece` for each as soon as it is complete. Lines are
 * kept only for the piece being read; a piece past `maxBytes` keeps none (only its kind and name,
 * if seen at its top level), so an oversized object is refused without being held or parsed.
 */
export function yamlPieces(src: ByteSource, maxBytes: number, piece: (p: Piece) => void, blockBytes = 8 << 20): void {
  let doc = 0;
  let lineNo = 0;
  // the piece being read
  // (parts: ranges of the blocks read; a line that continues the last range extends it, so a piece
  // costs an allocation per block it spans, not per line)
  let cur: { kind: Piece['kind']; parts: { buf: Buffer; s: number; e: number }[]; bytes: number; line: number; byteStart: number; byteEnd: number; over?: Piece['oversized']; content: boolean } | undefined;
  // header entries of the current document (top-level lines outside `items:`)
  let header: typeof cur;
  let inItems = false; // after `items:`, reading `- ` items
  let sawItems = false; // the document has kubectl-style items
  let pendingItemsKey: { buf: Buffer; line: number; byteStart: number } | undefined;

  const start = (kind: Piece['kind'], line: number, byteStart: number): NonNullable<typeof cur> => ({ kind, parts: [], bytes: 0, line, byteStart, byteEnd: byteStart, content: false });
  const add = (p: NonNullable<typeof cur>, buf: Buffer, s: number, e: number, byteStart: number, content: boolean) => {
    p.byteEnd = byteStart + (e - s) + 1;
    p.bytes += e - s + 1;
    if (content) p.content = true;
    if (p.over) { sniff(p.over, buf, s, e); return; }
    if (p.bytes > maxBytes) {
      p.over = { bytes: 0 };
      for (const r of p.parts) for (const l of r.buf.toString('utf8', r.s, r.e).split('\n')) sniff(p.over, Buffer.from(l), 0, l.length);
      sniff(p.over, buf, s, e);
      p.parts = [];
      return;
    }
    // (the block is referenced, not copied: every block is a buffer of its own, never reused)
    const end = Math.min(e + 1, buf.length);
    const last = p.parts.length ? p.parts[p.parts.length - 1] : undefined;
    if (last && last.buf === buf && last.e === s) last.e = end; else p.parts.push({ buf, s, e: end });
  };
  const sniff = (over: NonNullable<Piece['oversized']>, buf: Buffer, s: number, e: number) => {
    if ((over.kind && over.name) || e - s > 200) return;
    const l = buf.toString('utf8', s, e);
    const item = cur?.over === over;
    const k = (item ? ITEM_KIND : DOC_KIND).exec(l); if (k && !over.kind) over.kind = k[1];
    const nm = (item ? ITEM_NAME : DOC_NAME).exec(l); if (nm && !over.name) over.name = nm[1];
  };
  const emit = (p: typeof cur, always = false) => {
    if (!p || (!p.content && !always)) return;
    const text = p.over ? '' : p.parts.length === 1 ? p.parts[0].buf.toString('utf8', p.parts[0].s, p.parts[0].e) : p.parts.map((r) => r.buf.toString('utf8', r.s, r.e)).join('');
    piece({ kind: p.kind, text, line: p.line, col: 1, byteStart: p.byteStart, byteEnd: p.byteEnd, doc, oversized: p.over ? { ...p.over, bytes: p.bytes } : undefined });
  };
  const endDoc = () => {
    if (pendingItemsKey) { header ??= start('header', pendingItemsKey.line, pendingItemsKey.byteStart); add(header, pendingItemsKey.buf, 0, pendingItemsKey.buf.length - 1, pendingItemsKey.byteStart, true); pendingItemsKey = undefined; }
    // a List's header comes after its items (kubectl writes `kind: List` last), and always comes
    if (sawItems) { emit(cur); emit(header ?? start('header', lineNo, 0), true); } else if (header) { header.kind = 'doc'; emit(header); }
    cur = header = undefined; inItems = sawItems = false;
    doc++;
  };

  eachLine(src, blockBytes, (buf, s, e, byteStart) => {
    lineNo++;
    if (e > s && buf[e - 1] === 13) { /* CR: kept in the text; the parsers report it */ }
    if (isMarker(buf, s, e)) {
      endDoc();
      // `--- ` with content after it, or `...`: the whole remaining line is its own text for the parsers
      if (e - s > 3 && buf[s] === DASH) {
        const rest = buf.subarray(s, e + 1);
        header = start('header', lineNo, byteStart);
        add(header, rest, 0, rest.length - 1, byteStart, true);
      }
      return;
    }
    const c = e > s ? buf[s] : NL;
    let fc = s;
    while (fc < e && buf[fc] === SP) fc++;
    const blankOrComment = fc === e || buf[fc] === HASH;
    if (pendingItemsKey) {
      if (blankOrComment) { /* wait for the first content line */ } else if (isDashLine(buf, s, e)) {
        sawItems = true; inItems = true; pendingItemsKey = undefined;
      } else {
        // `items:` followed by something else (an indented sequence): an ordinary header entry
        header ??= start('header', pendingItemsKey.line, pendingItemsKey.byteStart);
        add(header, pendingItemsKey.buf, 0, pendingItemsKey.buf.length - 1, pendingItemsKey.byteStart, true);
        pendingItemsKey = undefined;
      }
    }
    if (inItems) {
      if (isDashLine(buf, s, e)) {
        emit(cur);
        cur = start('item', lineNo, byteStart);
        add(cur, buf, s, e, byteStart, true);
        return;
      }
      if (c === SP || blankOrComment) { add(cur!, buf, s, e, byteStart, !blankOrComment); return; }
      // a top-level key after the items: back to the header
      emit(cur); cur = undefined; inItems = false;
    }
    if (!blankOrComment && c !== SP && isItemsKey(buf, s, e) && !sawItems) {
      pendingItemsKey = { buf: Buffer.from(buf.subarray(s, e + 1)), line: lineNo, byteStart };
      return;
    }
    header ??= start('header', lineNo, byteStart);
    if (!header.content && blankOrComment) { header.line = lineNo + 1; header.byteStart = byteStart + (e - s) + 1; return; }
    add(header, buf, s, e, byteStart, !blankOrComment);
  });
  endDoc();
}

/**
 * Cuts a JSON input (one value) into the items of its root object's `items` array and a header
 * (the root object without them). Returns null when the text is not an object with such an
 * array (the caller parses it whole).
 */
export function jsonPieces(buf: Buffer, maxBytes: number): { header: string; items: Piece[] } | null {
  let i = 0;
  const n = buf.length;
  const ws = () => { while (i < n && (buf[i] === 32 || buf[i] === 9 || buf[i] === 10 || buf[i] === 13)) i++; };
  const skipString = () => { i++; while (i < n) { const c = buf[i]; if (c === 92) i += 2; else if (c === 34) { i++; return; } else i++; } };
  const skipValue = () => {
    const c = buf[i];
    if (c === 34) { skipString(); return; }
    if (c === 123 || c === 91) {
      let depth = 0;
      while (i < n) {
        const d = buf[i];
        if (d === 34) { skipString(); continue; }
        if (d === 123 || d === 91) depth++;
        else if (d === 125 || d === 93) { depth--; if (depth === 0) { i++; return; } }
        i++;
      }
      return;
    }
    while (i < n && buf[i] !== 44 && buf[i] !== 125 && buf[i] !== 93 && buf[i] !== 32 && buf[i] !== 10 && buf[i] !== 13 && buf[i] !== 9) i++;
  };
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3;
  ws();
  if (buf[i] !== 123) return null;
  i++;
  const headerParts: string[] = [];
  let items: Piece[] | null = null;
  // line and column of each item's start, counted once through the text
  let line = 1, lineStart = 0, nextNL = buf.indexOf(10);
  const advance = (off: number) => { while (nextNL >= 0 && nextNL < off) { line++; lineStart = nextNL + 1; nextNL = buf.indexOf(10, lineStart); } };
  for (;;) {
    ws();
    if (buf[i] === 125) break;
    if (buf[i] !== 34) return null;
    const ks = i; skipString(); const key = buf.toString('utf8', ks, i);
    ws(); if (buf[i] !== 58) return null; i++; ws();
    if (key === '"items"' && buf[i] === 91 && items === null) {
      items = [];
      i++;
      for (;;) {
        ws();
        if (buf[i] === 93) { i++; break; }
        const s = i;
        skipValue();
        const e = i;
        advance(s);
        const ln = line, col = s - lineStart + 1;
        const bytes = e - s;
        items.push(bytes > maxBytes
          ? { kind: 'item', text: '', line: ln, col, byteStart: s, byteEnd: e, doc: 0, oversized: { bytes } }
          : { kind: 'item', text: buf.toString('utf8', s, e), line: ln, col, byteStart: s, byteEnd: e, doc: 0 });
        ws();
        if (buf[i] === 44) { i++; continue; }
        if (buf[i] === 93) { i++; break; }
        return null;
      }
    } else {
      const vs = i; skipValue();
      headerParts.push(`${key}:${buf.toString('utf8', vs, i)}`);
    }
    ws();
    if (buf[i] === 44) { i++; continue; }
    if (buf[i] === 125) break;
    return null;
  }
  if (items === null) return null;
  return { header: `{${headerParts.join(',')}}`, items };
}
