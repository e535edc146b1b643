// Small shared helpers for the simulated controllers: seeded randomness, Kubernetes-style name
// suffixes and hashes, deterministic UIDs, derived origins.
import { originOf, posOf, setOrigin, type KObject, type Origin } from '../model/types';
import type { SourcePos } from '../net/trace';

/** FNV-1a, 32 bit (what Kubernetes uses for pod-template-hash, over its own serialisation). */
export function fnv1a32(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A small seeded generator (sfc32). Every random choice the controllers make comes from one of
 * these, seeded from the cluster seed plus the name of what is being made, so adding an unrelated
 * object never changes another object's generated name.
 */
export class Rng {
  private a: number; private b: number; private c: number; private d: number;
  constructor(seed: number, context: string) {
    this.a = fnv1a32(context, 0x811c9dc5 ^ (seed >>> 0));
    this.b = fnv1a32(context, 0x9e3779b9 ^ (seed >>> 0));
    this.c = fnv1a32(context, 0x85ebca6b ^ (seed >>> 0));
    this.d = (seed >>> 0) ^ 0x2545f491;
    for (let i = 0; i < 12; i++) this.next();
  }
  /** uint32 */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  int(n: number): number { return this.next() % n; }
}

/** k8s.io/apimachinery/pkg/util/rand's alphabet: no vowels (no words), no 0/1/3 (no look-alikes). */
export const KUBE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** The 5-character suffix the API server appends to a generateName (e.g. web-7d4b9c8f5-x2k9p). */
export function randomSuffix(rng: Rng, n = 5): string {
  const k = ALNUM_CODES.length;
  // one string instead of n growing ones (150 000 pod names); arguments are evaluated left to right
  if (n === 5) return String.fromCharCode(ALNUM_CODES[rng.int(k)], ALNUM_CODES[rng.int(k)], ALNUM_CODES[rng.int(k)], ALNUM_CODES[rng.int(k)], ALNUM_CODES[rng.int(k)]);
  let s = '';
  for (let i = 0; i < n; i++) s += KUBE_ALPHANUMS[rng.int(k)];
  return s;
}
const ALNUM_CODES = Array.from(KUBE_ALPHANUMS, (c) => c.charCodeAt(0));

/** rand.SafeEncodeString: each byte mapped onto the alphabet (used on the decimal form of a hash). */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += KUBE_ALPHANUMS[s.charCodeAt(i) % KUBE_ALPHANUMS.length];
  return out;
}

/**
 * pod-template-hash / controller-revision-hash as the controllers compute them: a 32-bit FNV-1a
 * hash of the template (plus the collision count), printed in decimal, then safe-encoded — which is
 * why real hashes only ever use the letters 4 5 6 7 8 9 b c d f and are up to 10 characters long.
 */
export function templateHash(template: unknown, collisionCount = 0): string {
  let h = fnv1a32(stableStringify(template));
  if (collisionCount) h = fnv1a32(String(collisionCount), h);
  return safeEncodeString(String(h));
}

/** JSON with sorted keys, so the same object always hashes the same. */
export function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return '[' + v.map(stableStringify).join(',') + ']';
  const keys = Object.keys(v as object).filter((k) => (v as any)[k] !== undefined).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + stableStringify((v as any)[k])).join(',') + '}';
}

export function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v as object)) deepFreeze((v as any)[k]);
  }
  return v;
}

/**
 * `{ ...src }`: the same own enumerable keys, in the same order, with the same values — as an
 * object that stays cheap to add properties to. (V8 11 makes every property added to an object
 * built by spread a slow runtime call, ~0.5 µs each: with a field or two added per pod and per
 * Service that is a large share of realising a big cluster.) Object.assign differs from spread
 * only for an own "__proto__" key, which it would pass to the prototype setter; such objects are
 * spread.
 */
export function copyOf<T = any>(src: unknown): T {
  if (src === null || src === undefined) return {} as T;
  if (typeof src === 'object' && Object.prototype.hasOwnProperty.call(src, '__proto__')) return { ...(src as object) } as T;
  return Object.assign({}, src) as T;
}

/** `Object.assign(target, src)` with spread's meaning (`{ ...target, ...src }` in place) for an own "__proto__" key. */
export function assignOwn(target: object, src: unknown): void {
  if (src === null || src === undefined) return;
  if (typeof src === 'object' && Object.prototype.hasOwnProperty.call(src, '__proto__')) {
    for (const k of Reflect.ownKeys(src)) {
      const d = Object.getOwnPropertyDescriptor(src, k);
      if (d?.enumerable) Object.defineProperty(target, k, { value: (src as any)[k], writable: true, enumerable: true, configurable: true });
    }
    return;
  }
  Object.assign(target, src);
}

/** A plain deep copy of JSON-shaped data. */
export function clone<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(clone) as unknown as T;
  const out: any = {};
  for (const k of Object.keys(v as object)) out[k] = clone((v as any)[k]);
  return out;
}

/** A deterministic RFC 4122-shaped UID for objects that have none (same seed ⇒ same UID). */
export function makeUid(seed: number, kind: string, ns: string | undefined, name: string): string {
  // the four FNV-1a hashes of `${kind}/${ns}/${name}` (differently seeded), in one pass and without
  // building the string; then the UID's 36 characters written at once (150 000 pods get one each):
  // hex(a) - hex(b)[0..4] - 4 hex(b)[5..8] - variant(hex(c)[0]) hex(c)[1..4] - hex(c)[4..8] hex(d)
  const h = UID_STATE;
  h[0] = 0x811c9dc5 ^ seed; h[1] = 0x01234567 ^ seed; h[2] = 0x89abcdef ^ seed; h[3] = 0x5bd1e995 ^ seed;
  fnvInto(h, kind); fnvInto(h, '/'); if (ns) fnvInto(h, ns); fnvInto(h, '/'); fnvInto(h, name);
  const a = h[0], b = h[1], c = h[2], d = h[3];
  return String.fromCharCode(
    hx(a, 28), hx(a, 24), hx(a, 20), hx(a, 16), hx(a, 12), hx(a, 8), hx(a, 4), hx(a, 0), 45,
    hx(b, 28), hx(b, 24), hx(b, 20), hx(b, 16), 45, 52, hx(b, 8), hx(b, 4), hx(b, 0), 45,
    VARIANT_CODES[(c >>> 28) & 3], hx(c, 24), hx(c, 20), hx(c, 16), 45, hx(c, 12), hx(c, 8), hx(c, 4), hx(c, 0),
    hx(d, 28), hx(d, 24), hx(d, 20), hx(d, 16), hx(d, 12), hx(d, 8), hx(d, 4), hx(d, 0));
}
const UID_STATE = new Int32Array(4);
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const VARIANT_CODES = Array.from('89ab', (c) => c.charCodeAt(0));
/** Char code of the hex digit of x at bit `shift`. */
function hx(x: number, shift: number): number { return HEX_CODES[(x >>> shift) & 15]; }
function fnvInto(h: Int32Array, s: string): void {
  let h0 = h[0], h1 = h[1], h2 = h[2], h3 = h[3];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h0 = Math.imul(h0 ^ c, 0x01000193); h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x01000193); h3 = Math.imul(h3 ^ c, 0x01000193);
  }
  h[0] = h0; h[1] = h1; h[2] = h2; h[3] = h3;
}

/**
 * The origin of an object a controller made: its owner's position, `derived` naming the chain.
 * `mapPath` turns a path in the derived object into a path in the owner (a pod's
 * spec.containers[0] is the Deployment's spec.template.spec.containers[0]).
 */
export function derivedOrigin(owner: object, chain: string, mapPath?: (p: readonly (string | number)[]) => readonly (string | number)[] | null): Origin | undefined {
  const o = originOf(owner);
  if (!o) return undefined;
  const derived: Origin = { file: o.file, line: o.line, col: o.col, derived: chain };
  if (o.doc !== undefined) derived.doc = o.doc;
  if (o.at) {
    const ownerAt = o.at;
    derived.at = (p, key) => {
      const q = mapPath ? mapPath(p) : p;
      return q ? (key ? ownerAt(q, true) : ownerAt(q)) : { file: o.file, line: o.line, col: o.col };
    };
  }
  return derived;
}

/** Path mapping from a pod made from a template to the template holder (`prefix` = ['spec','template']). */
export function templatePathMapper(prefix: readonly (string | number)[]) {
  return (p: readonly (string | number)[]): readonly (string | number)[] | null => {
    if (p[0] === 'spec') return [...prefix, ...p];
    if (p[0] === 'metadata' && (p[1] === 'labels' || p[1] === 'annotations')) return [...prefix, ...p];
    return null;
  };
}

/** Copies `from`'s origin onto `to` (objects the controllers rewrite keep their source position). */
export function keepOrigin<T extends object>(to: T, from: object): T {
  const o = originOf(from);
  if (o) setOrigin(to, o);
  return to;
}

export function at(obj: object, ...path: (string | number)[]): SourcePos | undefined {
  return posOf(obj, path);
}

export function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "a, b, c and 12 more" for hints. */
export function few(items: readonly string[], n = 5): string {
  if (items.length === 0) return '(none)';
  const shown = items.slice(0, n).map((s) => `"${s}"`).join(', ');
  return items.length > n ? `${shown} and ${items.length - n} more` : shown;
}

export function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) a.push(v); else m.set(k, [v]);
}

export function setOriginIf<T extends object>(obj: T, origin: Origin | undefined): T {
  if (origin) setOrigin(obj, origin);
  return obj;
}
