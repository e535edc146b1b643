// Strict field validation as the API server does it: a field the kind's schema does not declare
// is an error ("strict decoding error: unknown field ..."). kubectl asks for it by default since
// 1.27 (--validate=strict, the fieldValidation=Strict query parameter); the API server's JSON/YAML
// decoder (k8s.io/apimachinery/pkg/runtime/serializer/json, sigs.k8s.io/json's
// UnmarshalStrict) lists the unknown fields by their path, e.g. "spec.ports[0].nodeport".
//
// kubernetes-models' validators do not report additional properties, so objects are walked against
// a table generated from its type declarations (known-fields.ts, scripts/gen-known-fields.js).
// The walk visits each key once and allocates only for an unknown one.
import { KNOWN_KINDS_FIELDS, KNOWN_TYPES } from './known-fields';
import { editDistance } from '../model/suggest';

export type Path = (string | number)[];

export interface UnknownField {
  /** path of the unknown key */
  path: Path;
  /** the closest field the schema declares at that place, if one is close */
  closest?: string;
  /** the fields declared at that place */
  known: string[];
}

interface TypeNode { fields: Map<string, Field> }
interface Field { type: TypeNode | null; list: boolean }

const compiled = new Map<string, TypeNode>();

function compile(name: string): TypeNode {
  let t = compiled.get(name);
  if (t) return t;
  t = { fields: new Map() };
  compiled.set(name, t); // before the fields: types may refer to themselves
  const decl = KNOWN_TYPES[name];
  if (!decl) throw new Error(`known-fields: no type ${name}`);
  for (const [k, spec] of Object.entries(decl)) {
    if (spec === 0) { t.fields.set(k, { type: null, list: false }); continue; }
    const list = spec.endsWith('[]');
    t.fields.set(k, { type: compile(list ? spec.slice(0, -2) : spec), list });
  }
  return t;
}

/** Whether netspec knows the fields of this apiVersion and kind. */
export function hasFieldTable(apiVersion: string, kind: string): boolean {
  return Object.prototype.hasOwnProperty.call(KNOWN_KINDS_FIELDS, `${apiVersion}/${kind}`);
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The fields of an object its kind's schema does not declare (empty for a kind without a table).
 * `skip` names top-level fields not to walk (e.g. "status" of a stored object).
 */
export function unknownFields(obj: Record<string, unknown>, skip?: ReadonlySet<string>): UnknownField[] {
  if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string' || !hasFieldTable(obj.apiVersion, obj.kind)) return [];
  const root = KNOWN_KINDS_FIELDS[`${obj.apiVersion}/${obj.kind}`];
  const out: UnknownField[] = [];
  walk(obj, compile(root), [], out, skip);
  return out;
}

// `path` is one stack, pushed and popped as the walk descends: nothing is allocated per field
// unless a field is unknown. for…in reads own keys ("__proto__" included, as the YAML and JSON
// readers define it) and would read inherited enumerable ones, which plain objects have none of.
function walk(v: Record<string, unknown>, t: TypeNode, path: Path, out: UnknownField[], skip?: ReadonlySet<string>): void {
  for (const k in v) {
    if (skip !== undefined && skip.has(k)) continue;
    const f = t.fields.get(k);
    if (f === undefined) {
      const known = [...t.fields.keys()];
      out.push({ path: [...path, k], closest: closest(k, known), known });
      continue;
    }
    if (f.type === null) continue;
    const x = v[k];
    if (typeof x !== 'object' || x === null) continue; // a wrong type is the schema's to report
    path.push(k);
    if (f.list) {
      if (Array.isArray(x)) {
        for (let i = 0; i < x.length; i++) {
          const e = x[i];
          if (isObj(e)) { path.push(i); walk(e, f.type, path, out); path.pop(); }
        }
      }
    } else if (!Array.isArray(x)) walk(x as Record<string, unknown>, f.type, path, out);
    path.pop();
  }
}

/**
 * The known name closest to `name`: equal ignoring case, else the least edit distance (optimal
 * string alignment: a swap of two neighbours counts 1) within a third of the name's length
 * (at least 2), ties to the first declared.
 */
export function closest(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const ci = known.find((k) => k.toLowerCase() === lower);
  if (ci) return ci;
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: string | undefined, bestD = limit + 1;
  for (const k of known) {
    if (Math.abs(k.length - name.length) >= bestD) continue;
    const d = distance(lower, k.toLowerCase());
    if (d < bestD) { best = k; bestD = d; }
  }
  return best;
}

/** Optimal string alignment distance (Levenshtein plus transposition of adjacent characters): src/model/suggest's. */
export const distance = editDistance;
