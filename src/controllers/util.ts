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
  let s = '';
  for (let i = 0; i < n; i++) s += KUBE_ALPHANUMS[rng.int(KUBE_ALPHANUMS.length)];
  return s;
}

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
  const s = `${kind}/${ns ?? ''}/${name}`;
  const a = hex8(fnv1a32(s, 0x811c9dc5 ^ seed)), b = hex8(fnv1a32(s, 0x01234567 ^ seed));
  const c = hex8(fnv1a32(s, 0x89abcdef ^ seed)), d = hex8(fnv1a32(s, 0x5bd1e995 ^ seed));
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${VARIANT[parseInt(c[0], 16) & 3]}${c.slice(1, 4)}-${c.slice(4, 8)}${d}`;
}
const VARIANT = ['8', '9', 'a', 'b'];
const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
function hex8(x: number): string {
  return HEX2[x >>> 24] + HEX2[(x >>> 16) & 255] + HEX2[(x >>> 8) & 255] + HEX2[x & 255];
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
    derived.at = (p) => {
      const q = mapPath ? mapPath(p) : p;
      return q ? ownerAt(q) : { file: o.file, line: o.line, col: o.col };
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

export function keyOf(o: KObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
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
