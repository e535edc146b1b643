// Label selectors exactly as Kubernetes evaluates them (apimachinery labels.Selector):
// matchLabels and matchExpressions are ANDed; In / NotIn / Exists / DoesNotExist;
// NotIn and DoesNotExist match objects that lack the key; an empty selector matches everything;
// a null selector (absent) matches nothing where the API says so (callers decide).
import type { Labels, LabelSelector, LabelSelectorRequirement } from './types';

export const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

export interface Requirement {
  key: string;
  op: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: readonly string[];
}

export interface CompiledSelector {
  readonly requirements: readonly Requirement[];
  /** true when it selects everything */
  readonly empty: boolean;
  matches(labels: Labels | undefined): boolean;
  /** kubectl's text form, e.g. "app=web,tier in (a,b)" */
  readonly text: string;
}

function reqMatches(r: Requirement, labels: Labels | undefined): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.op) {
    case 'In': return has && r.values.includes(labels![r.key]);
    case 'NotIn': return !has || !r.values.includes(labels![r.key]);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
  }
}

function reqText(r: Requirement): string {
  switch (r.op) {
    case 'In': return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(',')})`;
    case 'NotIn': return r.values.length === 1 ? `${r.key}!=${r.values[0]}` : `${r.key} notin (${r.values.join(',')})`;
    case 'Exists': return r.key;
    case 'DoesNotExist': return `!${r.key}`;
  }
}

export function compileRequirements(reqs: Requirement[]): CompiledSelector {
  const requirements = reqs.slice().sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    requirements,
    empty: requirements.length === 0,
    matches: (labels) => {
      for (const r of requirements) if (!reqMatches(r, labels)) return false;
      return true;
    },
    text: requirements.map(reqText).join(','),
  };
}

export class SelectorError extends Error {
  constructor(message: string, readonly path: (string | number)[]) { super(message); }
}

/** A metav1.LabelSelector. Throws SelectorError on an operator that does not exist or bad values. */
export function compileLabelSelector(sel: LabelSelector | undefined | null): CompiledSelector {
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) reqs.push({ key: k, op: 'In', values: [String(v)] });
  (sel?.matchExpressions ?? []).forEach((e: LabelSelectorRequirement, i) => {
    if (!(SELECTOR_OPERATORS as readonly string[]).includes(e.operator)) {
      throw new SelectorError(`"${e.operator}" is not a valid label selector operator (In, NotIn, Exists, DoesNotExist)`, ['matchExpressions', i, 'operator']);
    }
    const op = e.operator as Requirement['op'];
    const values = (e.values ?? []).map(String);
    if ((op === 'In' || op === 'NotIn') && values.length === 0) {
      throw new SelectorError(`operator ${op} needs at least one value`, ['matchExpressions', i, 'values']);
    }
    if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) {
      throw new SelectorError(`operator ${op} takes no values`, ['matchExpressions', i, 'values']);
    }
    reqs.push({ key: e.key, op, values });
  });
  return compileRequirements(reqs);
}

/** A Service's spec.selector (a plain map, equality only). */
export function compileMapSelector(sel: Labels | undefined | null): CompiledSelector {
  return compileRequirements(Object.entries(sel ?? {}).map(([key, v]) => ({ key, op: 'In' as const, values: [String(v)] })));
}

/**
 * kubectl's selector syntax: "app=web,tier!=db,env in (a,b),env notin (c),key,!key".
 * Throws SelectorError with a readable message on bad syntax.
 */
export function parseSelectorString(text: string): CompiledSelector {
  const reqs: Requirement[] = [];
  const s = text.trim();
  if (s === '') return compileRequirements([]);
  // split on commas that are not inside parentheses
  const parts: string[] = [];
  let depth = 0, cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { parts.push(cur); cur = ''; } else cur += ch;
  }
  parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    let m: RegExpMatchArray | null;
    if ((m = p.match(/^([^\s!=(),]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      reqs.push({ key: m[1], op: m[2] === 'in' ? 'In' : 'NotIn', values: m[3].split(',').map((v) => v.trim()).filter(Boolean) });
    } else if ((m = p.match(/^([^\s!=(),]+)\s*!=\s*([^\s!=(),]*)$/))) {
      reqs.push({ key: m[1], op: 'NotIn', values: [m[2]] });
    } else if ((m = p.match(/^([^\s!=(),]+)\s*==?\s*([^\s!=(),]*)$/))) {
      reqs.push({ key: m[1], op: 'In', values: [m[2]] });
    } else if ((m = p.match(/^!\s*([^\s!=(),]+)$/))) {
      reqs.push({ key: m[1], op: 'DoesNotExist', values: [] });
    } else if ((m = p.match(/^([^\s!=(),]+)$/))) {
      reqs.push({ key: m[1], op: 'Exists', values: [] });
    } else {
      throw new SelectorError(`cannot parse label selector "${p}" (expected key=value, key!=value, key in (a,b), key notin (a,b), key or !key)`, []);
    }
  }
  return compileRequirements(reqs);
}

/**
 * An inverted index over labels: "key=value" → items, "key" → items. Selecting walks the
 * smallest posting list of the selector's equality terms instead of every item.
 */
export class LabelIndex<T> {
  private readonly byPair = new Map<string, T[]>();
  private readonly byKey = new Map<string, T[]>();
  private readonly all: T[] = [];

  constructor(private readonly labelsOf: (t: T) => Labels | undefined) {}

  add(item: T): void {
    this.all.push(item);
    const labels = this.labelsOf(item);
    if (!labels) return;
    const { keys, pairs } = termsOf(labels);
    for (let i = 0; i < keys.length; i++) {
      push(this.byPair, pairs[i], item);
      push(this.byKey, keys[i], item);
    }
  }

  get size(): number { return this.all.length; }

  /** Items matching the selector, in insertion order. */
  select(sel: CompiledSelector): T[] {
    let best: readonly T[] = this.all;
    for (const r of sel.requirements) {
      let cand: readonly T[] | undefined;
      // one value: its "key=value" list; several (a union) or Exists: the key's list bounds it
      if (r.op === 'In' && r.values.length === 1) cand = this.byPair.get(`${r.key}=${r.values[0]}`) ?? [];
      else if (r.op === 'In' || r.op === 'Exists') cand = this.byKey.get(r.key) ?? [];
      if (cand && cand.length < best.length) best = cand;
      if (best.length === 0) return [];
    }
    if (sel.empty) return this.all.slice();
    const out: T[] = [];
    for (const it of best) if (sel.matches(this.labelsOf(it))) out.push(it);
    return out;
  }
}

interface Terms { keys: string[]; pairs: string[] }

/**
 * The keys and "key=value" strings of a labels object. Cached for frozen objects, which cannot
 * change: the pods of one ReplicaSet or DaemonSet share their template's frozen labels.
 */
const TERMS = new WeakMap<Labels, Terms>();
function termsOf(labels: Labels): Terms {
  let t = TERMS.get(labels);
  if (t) return t;
  const keys = Object.keys(labels);
  t = { keys, pairs: keys.map((k) => `${k}=${labels[k]}`) };
  if (Object.isFrozen(labels)) TERMS.set(labels, t);
  return t;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) a.push(v); else m.set(k, [v]);
}
