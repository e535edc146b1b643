// The apps' behaviour over time, as data: one YAML format for `--script FILE` and the Gherkin doc string.
//
//   apps:
//   - pod: shop/web              # a pod (NS/NAME) or a workload's pods (NS/NAME of a Deployment, StatefulSet …)
//     selector: app=web          # or: namespace + a label selector
//     namespace: shop
//     container: app             # absent: every container of the pod
//     clock: instance            # instance (default): times count from each container start, replayed
//                                #   on every restart; pod: times count from t=0
//     probes:                    # what the probe handlers answer, per probe (liveness, readiness, startup, all)
//       liveness:
//       - {from: 35s, answer: hang}
//     paths:                     # HTTP answers by path, for any probe (redirect targets)
//       /login: [{from: 0s, answer: 200}]
//     exit: {after: 50s, code: 1}   # the process exits by itself
//     sigterm: ignore            # or {exitCode: 0}: how the process takes SIGTERM (default: it ends, code 143)
//     preStop: 5s                # how long the preStop hook runs
//   events:
//   - {at: 60s, delete: shop/web}
//   - {at: 20s, condition: {pod: shop/web, type: example.com/lb, status: "True"}}
//   - {at: 60s, rollout: {deployment: shop/web, image: {app: "nginx:1.27"}}}   # a new template: images by
//                                #   container, and/or template: {…} merged into spec.template (JSON merge patch)
//   - {at: 90s, restart: shop/web}                          # kubectl rollout restart (restartedAt annotation)
//   - {at: 30s, scale: {deployment: shop/web, replicas: 5}}
//   apps: … image: "nginx:1.27"  # only the pods running that image (the old or the new version)
//
// Answers: ok, fail, hang, refused, open, closed, SERVING, NOT_SERVING, an HTTP status (200, 503),
// {status: 302, location: /other}, {exitCode: 1}. Every mistake is a located error, all at once.
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Document } from 'yaml';
import type { InputError } from '../model/errors';
import type { SourcePos } from '../net/trace';
import type { ProbeKind } from './sim';

export type Answer =
  | { kind: 'ok' } | { kind: 'fail' } | { kind: 'hang' } | { kind: 'refused' }
  | { kind: 'http'; status: number; location?: string }
  | { kind: 'exit'; code: number }
  | { kind: 'grpc'; serving: boolean }
  | { kind: 'tcp'; open: boolean };

export interface AnswerRule {
  /** absent: every probe */
  probe?: ProbeKind;
  /** httpGet path this answer is for (absent: any) */
  path?: string;
  from: number;
  /** exclusive; absent: for ever */
  to?: number;
  answer: Answer;
}

export interface Target {
  /** "NS/NAME": a pod, or a workload's pods */
  pod?: string;
  namespace?: string;
  selector?: string;
  pos?: SourcePos;
}

export interface AppScript {
  target?: Target;
  container?: string;
  clock: 'instance' | 'pod';
  answers: AnswerRule[];
  exit?: { after: number; code: number };
  sigterm?: { ignore: true; exitCode?: undefined } | { ignore?: false; exitCode: number };
  preStopMs?: number;
  /** only the pods whose containers run this image */
  image?: string;
  pos?: SourcePos;
}

export type ScriptEvent =
  | { at: number; kind: 'delete'; target: Target; pos?: SourcePos }
  | { at: number; kind: 'condition'; target: Target; type: string; status: boolean; pos?: SourcePos }
  | { at: number; kind: 'rollout'; deployment: string; images: Record<string, string>; template?: Record<string, unknown>; restart?: boolean; pos?: SourcePos }
  | { at: number; kind: 'scale'; deployment: string; replicas: number; pos?: SourcePos };

export interface Script {
  apps: AppScript[];
  events: ScriptEvent[];
}

export const EMPTY_SCRIPT: Script = { apps: [], events: [] };

/** "90s", "2m30s", "1.5s", "250ms", or a number of seconds → ms; undefined when not a duration. */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return Math.round(v * 1000);
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (!/^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/.test(s)) return undefined;
  let ms = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) ms += Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : m[2] === 'm' ? 60000 : 3600000);
  return Math.round(ms);
}

const PROBE_KEYS = new Set(['liveness', 'readiness', 'startup', 'all']);
const APP_KEYS = new Set(['pod', 'selector', 'namespace', 'container', 'clock', 'probes', 'paths', 'exit', 'sigterm', 'preStop', 'image']);
const WORDS: Record<string, Answer> = {
  ok: { kind: 'ok' }, fail: { kind: 'fail' }, hang: { kind: 'hang' }, refused: { kind: 'refused' },
  open: { kind: 'tcp', open: true }, closed: { kind: 'tcp', open: false },
  SERVING: { kind: 'grpc', serving: true }, NOT_SERVING: { kind: 'grpc', serving: false },
};

/** Parses a script; returns the script and every error found (located in `file`, lines shifted by lineOffset). */
export function parseScript(text: string, file: string, lineOffset = 0, colOffset = 0): { script: Script; errors: InputError[] } {
  const lines = new LineCounter();
  const errors: InputError[] = [];
  const doc: Document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const posAt = (offset: number | undefined): SourcePos => {
    const p = lines.linePos(offset ?? 0);
    return { file, line: p.line + lineOffset, col: p.col + colOffset };
  };
  const nodePos = (path: (string | number)[]): SourcePos => {
    const n: any = doc.getIn(path, true);
    if (n && n.range) return posAt(n.range[0]);
    for (let i = path.length - 1; i >= 0; i--) {
      const up: any = doc.getIn(path.slice(0, i), true);
      if (up && up.range) return posAt(up.range[0]);
    }
    return posAt(0);
  };
  const err = (code: string, message: string, path: (string | number)[], hint: string) => errors.push({ code, message, pos: nodePos(path), hint });
  for (const e of doc.errors) errors.push({ code: 'NS-SCRIPT-YAML', message: e.message.split('\n')[0], pos: posAt(e.pos[0]), hint: 'the script is YAML: apps: [...] and events: [...]' });
  const script: Script = { apps: [], events: [] };
  if (errors.length) return { script, errors };
  const root = doc.toJS() ?? {};
  if (typeof root !== 'object' || Array.isArray(root)) {
    err('NS-SCRIPT', 'a script is a map with apps: and events:', [], 'see netspec timeline --help');
    return { script, errors };
  }
  for (const k of Object.keys(root)) if (k !== 'apps' && k !== 'events') err('NS-SCRIPT-FIELD', `unknown field "${k}"`, [k], 'a script has apps: and events:');
  const dur = (v: unknown, path: (string | number)[], what: string): number | undefined => {
    const d = parseDuration(v);
    if (d === undefined) err('NS-SCRIPT-DURATION', `${what}: "${String(v)}" is not a duration`, path, 'write 35s, 2m, 1m30s or a number of seconds');
    return d;
  };
  const target = (o: any, path: (string | number)[]): Target | undefined => {
    const t: Target = { pos: nodePos(path) };
    if (typeof o?.pod === 'string') {
      if (!/^[^/\s]+\/[^/\s]+$/.test(o.pod)) { err('NS-SCRIPT-TARGET', `pod "${o.pod}" is not NS/NAME`, [...path, 'pod'], 'name it NS/NAME, e.g. shop/web'); return undefined; }
      t.pod = o.pod;
    } else if (typeof o?.selector === 'string' && typeof o?.namespace === 'string') {
      t.selector = o.selector; t.namespace = o.namespace;
    } else { err('NS-SCRIPT-TARGET', 'names no pod', path, 'give pod: NS/NAME (a pod or a workload), or namespace: and selector:'); return undefined; }
    return t;
  };
  const answer = (v: unknown, path: (string | number)[]): Answer | undefined => {
    if (typeof v === 'string' && WORDS[v]) return WORDS[v];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 100 && v <= 599) return { kind: 'http', status: v };
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as any;
      if (Number.isInteger(o.status) && o.status >= 100 && o.status <= 599) {
        if (o.location !== undefined && typeof o.location !== 'string') { err('NS-SCRIPT-ANSWER', 'location must be a string', [...path, 'location'], 'e.g. location: /login'); return undefined; }
        if (o.location !== undefined && !(o.status >= 300 && o.status < 400)) { err('NS-SCRIPT-ANSWER', `a Location with HTTP ${o.status}: only a 3xx redirects`, [...path, 'location'], 'use 301, 302, 303, 307 or 308'); return undefined; }
        return { kind: 'http', status: o.status, ...(o.location !== undefined ? { location: o.location } : {}) };
      }
      if (Number.isInteger(o.exitCode) && o.exitCode >= 0 && o.exitCode <= 255) return { kind: 'exit', code: o.exitCode };
    }
    err('NS-SCRIPT-ANSWER', `"${typeof v === 'object' ? JSON.stringify(v) : String(v)}" is not an answer`, path, 'answers: ok, fail, hang, refused, open, closed, SERVING, NOT_SERVING, an HTTP status (503), {status: 302, location: /x}, {exitCode: 1}');
    return undefined;
  };
  const rules = (list: unknown, path: (string | number)[], base: Omit<AnswerRule, 'from' | 'answer'>, out: AnswerRule[]) => {
    if (!Array.isArray(list)) { err('NS-SCRIPT', 'a list of {from, to, answer}', path, 'e.g. - {from: 35s, answer: hang}'); return; }
    list.forEach((r: any, i) => {
      const p = [...path, i];
      if (!r || typeof r !== 'object') { err('NS-SCRIPT', 'a map {from, to, answer}', p, 'e.g. {from: 35s, answer: hang}'); return; }
      for (const k of Object.keys(r)) if (!['from', 'to', 'answer'].includes(k)) err('NS-SCRIPT-FIELD', `unknown field "${k}"`, [...p, k], 'an answer line has from, to and answer');
      const from = r.from === undefined ? 0 : dur(r.from, [...p, 'from'], 'from');
      const to = r.to === undefined ? undefined : dur(r.to, [...p, 'to'], 'to');
      if (r.answer === undefined) { err('NS-SCRIPT-ANSWER', 'no answer', p, 'add answer: ok | fail | hang | 503 | …'); return; }
      const a = answer(r.answer, [...p, 'answer']);
      if (from !== undefined && to !== undefined && to <= from) err('NS-SCRIPT-DURATION', `to (${r.to}) must come after from (${r.from ?? 0})`, [...p, 'to'], 'the window is [from, to)');
      if (from === undefined || a === undefined) return;
      out.push({ ...base, from, ...(to !== undefined ? { to } : {}), answer: a });
    });
  };

  const apps = root.apps ?? [];
  if (!Array.isArray(apps)) err('NS-SCRIPT', 'apps must be a list', ['apps'], 'apps: [- pod: shop/web …]');
  else apps.forEach((a: any, i: number) => {
    const path = ['apps', i];
    if (!a || typeof a !== 'object') { err('NS-SCRIPT', 'an app is a map', path, 'pod:, container:, probes:, exit:, sigterm:'); return; }
    for (const k of Object.keys(a)) if (!APP_KEYS.has(k)) err('NS-SCRIPT-FIELD', `unknown field "${k}"`, [...path, k], `an app has ${[...APP_KEYS].join(', ')}`);
    const app: AppScript = { clock: 'instance', answers: [], pos: nodePos(path) };
    const t = target(a, path);
    if (t) app.target = t;
    if (a.container !== undefined) app.container = String(a.container);
    if (a.clock !== undefined) {
      if (a.clock !== 'instance' && a.clock !== 'pod') err('NS-SCRIPT-CLOCK', `clock "${a.clock}"`, [...path, 'clock'], 'instance (from each container start, replayed on restarts) or pod (from t=0)');
      else app.clock = a.clock;
    }
    if (a.probes !== undefined) {
      if (!a.probes || typeof a.probes !== 'object' || Array.isArray(a.probes)) err('NS-SCRIPT', 'probes is a map by probe', [...path, 'probes'], 'liveness:, readiness:, startup:, all:');
      else for (const [k, list] of Object.entries(a.probes)) {
        if (!PROBE_KEYS.has(k)) { err('NS-SCRIPT-FIELD', `unknown probe "${k}"`, [...path, 'probes', k], 'liveness, readiness, startup or all'); continue; }
        rules(list, [...path, 'probes', k], k === 'all' ? {} : { probe: k as ProbeKind }, app.answers);
      }
    }
    if (a.paths !== undefined) {
      if (!a.paths || typeof a.paths !== 'object' || Array.isArray(a.paths)) err('NS-SCRIPT', 'paths is a map by HTTP path', [...path, 'paths'], '/healthz: [...]');
      else for (const [k, list] of Object.entries(a.paths)) {
        if (!k.startsWith('/')) { err('NS-SCRIPT-FIELD', `path "${k}" must start with /`, [...path, 'paths', k], 'e.g. /login'); continue; }
        rules(list, [...path, 'paths', k], { path: k }, app.answers);
      }
    }
    if (a.exit !== undefined) {
      const after = dur(a.exit?.after, [...path, 'exit', 'after'], 'exit.after');
      const code = a.exit?.code ?? 0;
      if (!Number.isInteger(code) || code < 0 || code > 255) err('NS-SCRIPT-EXIT', `exit code ${code}`, [...path, 'exit', 'code'], 'an exit code is 0–255');
      else if (after !== undefined) app.exit = { after, code };
    }
    if (a.sigterm !== undefined) {
      if (a.sigterm === 'ignore') app.sigterm = { ignore: true };
      else if (a.sigterm && Number.isInteger(a.sigterm.exitCode) && a.sigterm.exitCode >= 0 && a.sigterm.exitCode <= 255) app.sigterm = { exitCode: a.sigterm.exitCode };
      else err('NS-SCRIPT-SIGTERM', `sigterm: ${JSON.stringify(a.sigterm)}`, [...path, 'sigterm'], 'ignore (runs on until SIGKILL) or {exitCode: 0} (exits at once)');
    }
    if (a.image !== undefined) {
      if (typeof a.image !== 'string' || !a.image) err('NS-SCRIPT-FIELD', 'image must be a string', [...path, 'image'], 'e.g. image: "nginx:1.27"');
      else app.image = a.image;
    }
    if (a.preStop !== undefined) { const d = dur(a.preStop, [...path, 'preStop'], 'preStop'); if (d !== undefined) app.preStopMs = d; }
    script.apps.push(app);
  });

  const events = root.events ?? [];
  if (!Array.isArray(events)) err('NS-SCRIPT', 'events must be a list', ['events'], 'events: [- {at: 60s, delete: shop/web}]');
  else events.forEach((e: any, i: number) => {
    const path = ['events', i];
    if (!e || typeof e !== 'object') { err('NS-SCRIPT', 'an event is a map', path, '{at: 60s, delete: shop/web}'); return; }
    const at = dur(e.at, [...path, 'at'], 'at');
    if (e.delete !== undefined) {
      const t = target({ pod: e.delete }, [...path, 'delete']);
      if (t && at !== undefined) script.events.push({ at, kind: 'delete', target: t, pos: nodePos(path) });
    } else if (e.condition !== undefined) {
      const c = e.condition;
      const t = target(c, [...path, 'condition']);
      const status = c?.status === true || c?.status === 'True' ? true : c?.status === false || c?.status === 'False' ? false : undefined;
      if (typeof c?.type !== 'string' || !c.type) err('NS-SCRIPT-CONDITION', 'a condition needs a type', [...path, 'condition'], 'the conditionType of one of the pod\'s spec.readinessGates');
      else if (status === undefined) err('NS-SCRIPT-CONDITION', `status ${JSON.stringify(c?.status)}`, [...path, 'condition', 'status'], 'status: "True" or "False"');
      else if (t && at !== undefined) script.events.push({ at, kind: 'condition', target: t, type: c.type, status, pos: nodePos(path) });
    } else if (e.rollout !== undefined || e.restart !== undefined) {
      const r = e.rollout ?? { deployment: e.restart };
      const rp = e.rollout !== undefined ? [...path, 'rollout'] : [...path, 'restart'];
      const dep = typeof r?.deployment === 'string' && /^[^/\s]+\/[^/\s]+$/.test(r.deployment) ? r.deployment : undefined;
      if (!dep) { err('NS-SCRIPT-TARGET', `names no deployment (${JSON.stringify(r?.deployment ?? r)})`, e.rollout !== undefined ? [...rp, 'deployment'] : rp, e.rollout !== undefined ? 'rollout: {deployment: NS/NAME, image: {CONTAINER: IMAGE}}' : 'restart: NS/NAME of a Deployment'); return; }
      const images: Record<string, string> = {};
      if (e.rollout !== undefined) {
        for (const k of Object.keys(r)) if (!['deployment', 'image', 'template'].includes(k)) err('NS-SCRIPT-FIELD', `unknown field "${k}"`, [...rp, k], 'a rollout has deployment, image and template');
        if (r.image !== undefined) {
          if (!r.image || typeof r.image !== 'object' || Array.isArray(r.image) || Object.values(r.image).some((v) => typeof v !== 'string')) err('NS-SCRIPT-ROLLOUT', 'image is a map of container name → image', [...rp, 'image'], 'image: {app: "nginx:1.27"}');
          else Object.assign(images, r.image);
        }
        if (r.template !== undefined && (!r.template || typeof r.template !== 'object' || Array.isArray(r.template))) err('NS-SCRIPT-ROLLOUT', 'template is a map merged into spec.template', [...rp, 'template'], 'template: {metadata: {annotations: {a: b}}}');
        if (r.image === undefined && r.template === undefined) err('NS-SCRIPT-ROLLOUT', 'a rollout changes nothing', rp, 'give image: {CONTAINER: IMAGE} or template: {…}');
      }
      if (at !== undefined) script.events.push({ at, kind: 'rollout', deployment: dep, images, ...(r.template && typeof r.template === 'object' ? { template: r.template } : {}), ...(e.restart !== undefined ? { restart: true } : {}), pos: nodePos(path) });
    } else if (e.scale !== undefined) {
      const sp = [...path, 'scale'];
      const dep = typeof e.scale?.deployment === 'string' && /^[^/\s]+\/[^/\s]+$/.test(e.scale.deployment) ? e.scale.deployment : undefined;
      if (!dep) err('NS-SCRIPT-TARGET', 'names no deployment', sp, 'scale: {deployment: NS/NAME, replicas: 5}');
      const n = e.scale?.replicas;
      if (!Number.isInteger(n) || n < 0) err('NS-SCRIPT-SCALE', `replicas ${JSON.stringify(n)}`, [...sp, 'replicas'], 'a whole number ≥ 0');
      else if (dep && at !== undefined) script.events.push({ at, kind: 'scale', deployment: dep, replicas: n, pos: nodePos(path) });
    } else err('NS-SCRIPT-EVENT', 'an event without an action', path, 'delete: NS/POD, condition: {pod, type, status}, rollout: {deployment, image}, restart: NS/DEPLOYMENT or scale: {deployment, replicas}');
  });
  return { script, errors };
}

/** Two scripts as one (Gherkin adds lines step by step). */
export function mergeScripts(a: Script, b: Script): Script {
  return { apps: [...a.apps, ...b.apps], events: [...a.events, ...b.events] };
}
