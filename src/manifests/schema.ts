// Schema validation with kubernetes-models (the Kubernetes OpenAPI schema compiled to ajv
// validators). Loaded lazily: the first object of a kind pulls in only that kind's module.
// The ajv errors (JSON pointers into the object) become field paths, so each error points at the
// field's file:line:col; the several errors ajv gives for one oneOf field (IntOrString, Quantity)
// become one.
import type { KObject } from '../model/types';
import { modelModule } from './kinds';
import { UNREAD_IN_POD } from './fastyaml';

export interface SchemaError {
  path: (string | number)[];
  message: string;
  hint: string;
}

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, any>;
  message?: string;
}

type ModelClass = new (data: unknown) => { validate(): void };
const models = new Map<string, ModelClass | null>();

function modelFor(apiVersion: string, kind: string): ModelClass | null {
  const mod = modelModule(apiVersion, kind);
  if (!mod) return null;
  let m = models.get(mod);
  if (m === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      m = (require(`kubernetes-models/${mod}`) as Record<string, ModelClass>)[kind] ?? null;
    } catch {
      m = null;
    }
    models.set(mod, m);
  }
  return m;
}

function toPath(obj: unknown, pointer: string): (string | number)[] {
  const out: (string | number)[] = [];
  let v: any = obj;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(v) && /^\d+$/.test(seg)) { out.push(Number(seg)); v = v[Number(seg)]; }
    else { out.push(seg); v = v === null || typeof v !== 'object' ? undefined : v[seg]; }
  }
  return out;
}

function valueAt(obj: unknown, path: readonly (string | number)[]): unknown {
  let v: any = obj;
  for (const k of path) { if (v === null || typeof v !== 'object') return undefined; v = v[k]; }
  return v;
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v} ${JSON.stringify(v)}`;
}

const ARTICLE: Record<string, string> = { integer: 'an integer', number: 'a number', string: 'a string', boolean: 'a boolean', object: 'a mapping', array: 'a list' };

const FORMAT_HINT: Record<string, string> = {
  quantity: 'a quantity is a number with an optional suffix, e.g. 500m, 2, 64Mi, 1Gi',
  'int-or-string': 'write a port number (no quotes) or a port name',
  int32: 'a 32-bit integer',
  int64: 'a 64-bit integer',
  'date-time': 'an RFC 3339 time, e.g. 2024-01-02T15:04:05Z',
  byte: 'base64-encoded data',
};

/** Schema errors of one object, each with the path of the offending field. Empty when valid or unknown. */
export function schemaErrors(obj: KObject): SchemaError[] {
  const Model = modelFor(obj.apiVersion, obj.kind);
  if (!Model) return [];
  try {
    new Model(obj).validate();
    return [];
  } catch (e: any) {
    const errs: AjvError[] = Array.isArray(e?.errors) ? e.errors : [];
    if (!errs.length) return [{ path: [], message: `does not match the Kubernetes schema: ${e?.message ?? e}`, hint: 'compare the object with `kubectl explain`' }];
    return collapse(obj, errs);
  }
}

function collapse(obj: unknown, errs: AjvError[]): SchemaError[] {
  const groups = new Map<string, AjvError[]>();
  for (const e of errs) {
    const key = e.keyword === 'required' ? `${e.instancePath}/${String(e.params.missingProperty).replace(/~/g, '~0').replace(/\//g, '~1')}` : e.instancePath;
    const g = groups.get(key);
    if (g) g.push(e); else groups.set(key, [e]);
  }
  const out: SchemaError[] = [];
  for (const [pointer, group] of groups) {
    const path = toPath(obj, pointer);
    const value = valueAt(obj, path);
    const req = group.find((e) => e.keyword === 'required');
    if (req) {
      // a Pod's never-read fields (imageID in a dump's containerStatuses, …) were dropped on reading: not missing
      if ((obj as { kind?: unknown }).kind === 'Pod' && UNREAD_IN_POD.has(String(req.params.missingProperty))) continue;
      out.push({ path, message: `required field "${req.params.missingProperty}" is missing`, hint: `add ${String(path[path.length - 1])} (see \`kubectl explain\` for the field)` });
      continue;
    }
    const fmt = group.find((e) => e.keyword === 'format');
    const en = group.find((e) => e.keyword === 'enum');
    const types = group.filter((e) => e.keyword === 'type').map((e) => String(e.params.type));
    if (fmt) {
      const f = String(fmt.params.format);
      out.push({ path, message: `${show(value)} is not a valid ${f}`, hint: FORMAT_HINT[f] ?? `write the value in the ${f} format` });
    } else if (en) {
      const allowed = (en.params.allowedValues as unknown[]).map(String);
      out.push({ path, message: `${show(value)} is not one of ${allowed.join(', ')}`, hint: `use one of ${allowed.join(', ')} (case matters)` });
    } else if (types.length) {
      const want = [...new Set(types)].map((t) => ARTICLE[t] ?? t);
      out.push({ path, message: `must be ${want.join(' or ')}, not ${show(value)}`,
        hint: types.includes('string') && !types.includes('integer')
          ? `quote the value to make it a string${typeof value === 'boolean' ? ' (Kubernetes reads YAML 1.1: yes/no/on/off/y/n unquoted are booleans)' : ' (e.g. "true", "1")'}`
          : 'write the value with the type the schema expects (quotes make a string)' });
    } else {
      const e = group[0];
      out.push({ path, message: e.message ?? e.keyword, hint: 'compare the field with `kubectl explain`' });
    }
  }
  return out;
}
