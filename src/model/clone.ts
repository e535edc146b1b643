// Deep copies of API objects as read (plain JSON-like trees), keeping the object's origin. Caches
// hand out copies so that what one load does to its objects (a namespace filled in, a field
// defaulted, an edit by a step) never reaches another load.
import { originOf, setOrigin } from './types';

/** True when `v` is made only of primitives, arrays and plain objects (what `cloneTree` copies faithfully). */
export function isPlainTree(v: unknown, depth = 0): boolean {
  if (v === null || typeof v !== 'object') return typeof v !== 'function' && typeof v !== 'symbol';
  if (depth > 200) return false;
  if (Array.isArray(v)) {
    for (const x of v) if (!isPlainTree(x, depth + 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const k of Object.keys(v)) if (!isPlainTree((v as any)[k], depth + 1)) return false;
  return true;
}

/** A deep copy of a plain tree (check it with isPlainTree first); `__proto__` keys stay data. */
export function cloneTree<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const a = new Array(v.length);
    for (let i = 0; i < v.length; i++) a[i] = cloneTree(v[i]);
    return a as T;
  }
  const out: any = Object.getPrototypeOf(v) === null ? Object.create(null) : {};
  for (const k of Object.keys(v)) {
    const x = cloneTree((v as any)[k]);
    if (k === '__proto__') Object.defineProperty(out, k, { value: x, writable: true, enumerable: true, configurable: true });
    else out[k] = x;
  }
  return out;
}

/** A deep copy of an object that carries the same origin (positions stay those of the original's text). */
export function cloneObject<T extends object>(obj: T): T {
  const c = cloneTree(obj);
  const o = originOf(obj);
  if (o) setOrigin(c, o);
  return c;
}
