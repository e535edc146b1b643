// Ingress routing as the networking.k8s.io/v1 Ingress spec defines it, with ingress-nginx's choices
// where the spec leaves room (design §2 `ingress/`). One controller per IngressClass; its trace `at`
// is `ingress/<class name>`.
//
// - Class: spec.ingressClassName; else the legacy annotation kubernetes.io/ingress.class (its value
//   names the IngressClass); else the default IngressClass (annotation
//   ingressclass.kubernetes.io/is-default-class: "true"), as the API server's DefaultIngressClass
//   admission sets it at creation. More than one default and an Ingress with no class: creation
//   fails (an input error, checkIngresses). An Ingress naming a class that does not exist is
//   ignored by every controller.
// - Hosts: exact (case-insensitive); "*.example.com" matches exactly one more DNS label; a rule
//   without host matches any host. The most precise host group wins: exact, then wildcard, then
//   host-less rules; only that group's paths are consulted (ingress-nginx: one server block per host).
// - Paths: Exact (case-sensitive), Prefix (element-wise by "/", trailing slash ignored),
//   ImplementationSpecific (ingress-nginx treats it as Prefix). The longest matching path wins;
//   for equal length Exact beats Prefix. Rules of several Ingresses of one class merge per host;
//   for the same path and type the oldest Ingress wins, as in ingress-nginx: by
//   metadata.creationTimestamp, then by namespace/name.
// - No path matches: the defaultBackend of an Ingress contributing to that host group (oldest
//   first); for requests matching no host, any Ingress's defaultBackend; else the controller's own
//   default backend answers 404.
// - Backends: Service name + port number or port name. Missing Service, unknown port or no ready
//   endpoints: 503. Resource backends: ingress-nginx does not route them (503). When a pod of the
//   class's controller runs in the cluster (controllerpods.ts: its --controller-class arg, else the
//   chart's labels; never a Job's pod), the proxied connection is walked from it to the first ready
//   endpoint (ingress-nginx connects to endpoints, not the ClusterIP): refused or rejected → 502,
//   dropped or unreachable (a NetworkPolicy, say) → 504. Without such a pod it is described only.
// - TLS: a host listed in spec.tls over HTTPS presents that secret when it exists in the Ingress's
//   namespace with type kubernetes.io/tls, else the controller's default fake certificate; HTTP to a
//   TLS host is redirected to HTTPS with 308 (ingress-nginx ssl-redirect, default true).
import type { Diagnostics } from '../model/errors';
import { InputErrors } from '../model/errors';
import type { Realised, RService } from '../model/realised';
import { posOf, ref, type KObject } from '../model/types';
import type { Hop, SourcePos } from '../net/trace';
import { controllerPod } from './controllerpods';

export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
export const TLS_SECRET_TYPE = 'kubernetes.io/tls';

export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

export interface RequestQuery {
  url: string;
  /** IngressClass name; default: the default class, else the only class */
  class?: string;
}

export interface RequestBackend {
  /** "ns/name" */
  service?: string;
  port?: number | string;
  /** ready endpoints "ip:port" (sorted) */
  endpoints?: string[];
  /** a resource backend "apiGroup/Kind name" */
  resource?: string;
  /** which Ingress and where: "Ingress ns/name" */
  ingress: string;
}

/** The controller pod's connection to an endpoint (the facade walks it with Cluster.connect). */
export type UpstreamConnect = (fromPod: string, ip: string, port: number) => { verdict: string; hops: Hop[] };

export const CONTROLLER_POD_LABEL = 'app.kubernetes.io/name';
export const INGRESS_NGINX = 'k8s.io/ingress-nginx';

export interface RequestResult {
  outcome: 'routed' | 'redirect' | 'not-found' | 'unavailable' | 'bad-gateway' | 'gateway-timeout';
  status: 200 | 308 | 404 | 502 | 503 | 504;
  url: string;
  /** IngressClass (controller) that answered */
  class: string;
  controller: string;
  host: string;
  path: string;
  scheme: 'http' | 'https';
  backend: RequestBackend | null;
  /** https only: the certificate presented */
  tls: { secret?: string; defaultCert?: true; reason?: string } | null;
  /** redirect only */
  location?: string;
  /** the controller pod's connection to the endpoint, when a controller pod runs in the cluster */
  upstream?: { from: string; to: string; verdict: string };
  hops: Hop[];
}

// ---- class selection -----------------------------------------------------------------------------

export function isDefaultClass(ic: KObject): boolean {
  return ic.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true';
}

/** Which IngressClass name an Ingress asks for, and how that was decided. */
export function requestedClass(ing: KObject, defaults: readonly KObject[]): { name: string | null; how: string } {
  const n = ing.spec?.ingressClassName;
  if (typeof n === 'string' && n) return { name: n, how: `spec.ingressClassName "${n}"` };
  const legacy = ing.metadata.annotations?.[LEGACY_CLASS_ANNOTATION];
  if (typeof legacy === 'string' && legacy) return { name: legacy, how: `the legacy annotation ${LEGACY_CLASS_ANNOTATION}: "${legacy}"` };
  if (defaults.length === 1) return { name: defaults[0].metadata.name, how: `the default IngressClass "${defaults[0].metadata.name}" (set by the API server at creation)` };
  return { name: null, how: 'no ingressClassName, no class annotation and no default IngressClass' };
}

/**
 * API server admission (DefaultIngressClass): with more than one IngressClass marked default, an
 * Ingress without ingressClassName (and without the legacy annotation) cannot be created.
 */
export function checkIngresses(objects: readonly KObject[], diag: Diagnostics): void {
  const defaults = objects.filter((o) => o.kind === 'IngressClass' && o.metadata && isDefaultClass(o));
  if (defaults.length < 2) return;
  for (const ing of objects) {
    if (ing.kind !== 'Ingress' || !ing.metadata) continue;
    if (ing.spec?.ingressClassName || ing.metadata.annotations?.[LEGACY_CLASS_ANNOTATION]) continue;
    diag.error('NS-INGRESS-DEFAULT-CLASS', `${ref(ing)} has no ingressClassName and ${defaults.length} IngressClasses are marked default (${defaults.map((d) => d.metadata.name).join(', ')}): the API server rejects it`,
      posOf(ing), `set spec.ingressClassName, or keep ${DEFAULT_CLASS_ANNOTATION}: "true" on one IngressClass only`);
  }
}

// ---- host and path matching ----------------------------------------------------------------------

/** "*.example.com" matches exactly one extra label: foo.example.com, not bar.foo.example.com nor example.com. */
export function hostMatches(ruleHost: string, host: string): boolean {
  const r = ruleHost.toLowerCase(), h = host.toLowerCase();
  if (!r.startsWith('*.')) return r === h;
  const suffix = r.slice(1); // ".example.com"
  if (!h.endsWith(suffix)) return false;
  const label = h.slice(0, h.length - suffix.length);
  return label.length > 0 && !label.includes('.');
}

function elements(p: string): string[] {
  return p.split('/').filter((x) => x !== '');
}

/** Whether a path rule matches a request path (no query string). */
export function pathMatches(type: PathType, rulePath: string, path: string): boolean {
  if (type === 'Exact') return rulePath === path;
  const want = elements(rulePath), got = elements(path);
  if (want.length > got.length) return false;
  for (let i = 0; i < want.length; i++) if (want[i] !== got[i]) return false;
  return true;
}

/** Length used for precedence: the path without its trailing slash. */
function pathLength(p: string): number {
  return p.length > 1 && p.endsWith('/') ? p.length - 1 : p.length;
}

// ---- the controller's view ---------------------------------------------------------------------

interface PathRule {
  ing: KObject;
  rule: number;
  index: number;
  type: PathType;
  /** the type as written (ImplementationSpecific stays visible in traces) */
  written: string;
  path: string;
  backend: any;
}

interface HostGroup {
  /** rule host as written, "" for host-less */
  host: string;
  paths: PathRule[];
  /** Ingresses contributing to this group, oldest first */
  ingresses: KObject[];
}

interface TlsEntry {
  ing: KObject;
  index: number;
  host: string;
  secretName?: string;
}

interface ClassView {
  ic: KObject;
  name: string;
  controller: string;
  exact: Map<string, HostGroup>;
  wildcard: Map<string, HostGroup>;
  any: HostGroup;
  /** Ingresses with a spec.defaultBackend, oldest first */
  withDefault: KObject[];
  tls: TlsEntry[];
  /** Ingresses of this class, and how the class was decided */
  members: { ing: KObject; how: string }[];
}

interface IngressView {
  classes: Map<string, ClassView>;
  classOrder: string[];
  defaults: KObject[];
  /** Ingresses no controller picks up, with why */
  ignored: { ing: KObject; why: string }[];
  secrets: Map<string, KObject>;
}

const views = new WeakMap<Realised, IngressView>();

function group(m: Map<string, HostGroup>, host: string): HostGroup {
  let g = m.get(host);
  if (!g) m.set(host, (g = { host, paths: [], ingresses: [] }));
  return g;
}

export function ingressView(r: Realised): IngressView {
  const cached = views.get(r);
  if (cached) return cached;
  const classes = new Map<string, ClassView>();
  const defaults: KObject[] = [];
  const ingresses: KObject[] = [];
  const secrets = new Map<string, KObject>();
  for (const o of r.objects) {
    if (o.kind === 'IngressClass') {
      classes.set(o.metadata.name, {
        ic: o, name: o.metadata.name, controller: String(o.spec?.controller ?? 'unknown'),
        exact: new Map(), wildcard: new Map(), any: { host: '', paths: [], ingresses: [] }, withDefault: [], tls: [], members: [],
      });
      if (isDefaultClass(o)) defaults.push(o);
    } else if (o.kind === 'Ingress') ingresses.push(o);
    else if (o.kind === 'Secret') secrets.set(`${o.metadata.namespace ?? 'default'}/${o.metadata.name}`, o);
  }
  // the oldest first (ingress-nginx keeps the oldest Ingress's rule on a conflict): by
  // metadata.creationTimestamp (none sorts first), then by namespace/name (realised.objects' order)
  ingresses.sort((a, b) => {
    const ta = String(a.metadata.creationTimestamp ?? ''), tb = String(b.metadata.creationTimestamp ?? '');
    return ta === tb ? 0 : ta < tb ? -1 : 1;
  });
  const ignored: { ing: KObject; why: string }[] = [];
  for (const ing of ingresses) {
    const { name, how } = requestedClass(ing, defaults);
    const cv = name ? classes.get(name) : undefined;
    if (!cv) {
      ignored.push({ ing, why: name ? `${how} names no IngressClass: no controller picks it up` : `${how}: no controller picks it up` });
      continue;
    }
    cv.members.push({ ing, how });
    const spec = ing.spec ?? {};
    if (spec.defaultBackend) cv.withDefault.push(ing);
    (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule: any, i: number) => {
      const host = typeof rule?.host === 'string' ? rule.host.toLowerCase() : '';
      const g = !host ? cv.any : host.startsWith('*.') ? group(cv.wildcard, host.slice(1)) : group(cv.exact, host);
      if (!g.ingresses.includes(ing)) g.ingresses.push(ing);
      (Array.isArray(rule?.http?.paths) ? rule.http.paths : []).forEach((p: any, j: number) => {
        const written = String(p?.pathType ?? 'ImplementationSpecific');
        const type: PathType = written === 'Exact' ? 'Exact' : written === 'Prefix' ? 'Prefix' : 'ImplementationSpecific';
        g.paths.push({ ing, rule: i, index: j, type, written, path: typeof p?.path === 'string' && p.path ? p.path : '/', backend: p?.backend });
      });
    });
    (Array.isArray(spec.tls) ? spec.tls : []).forEach((t: any, i: number) => {
      for (const h of Array.isArray(t?.hosts) ? t.hosts : []) cv.tls.push({ ing, index: i, host: String(h), secretName: t.secretName });
    });
  }
  const names = [...classes.keys()].sort();
  const v: IngressView = { classes, classOrder: names, defaults, ignored, secrets };
  views.set(r, v);
  return v;
}

// ---- the request ---------------------------------------------------------------------------------

/** Whether an Ingress has a rule for the host (exact, wildcard or host-less) or a defaultBackend. */
function claims(ing: KObject, host: string): boolean {
  if (ing.spec?.defaultBackend) return true;
  return (Array.isArray(ing.spec?.rules) ? ing.spec.rules : []).some((r: any) => !r?.host || hostMatches(String(r.host), host));
}

function inputError(code: string, message: string, hint: string): InputErrors {
  return new InputErrors([{ code, message, hint }]);
}

function src(ing: KObject, path: (string | number)[] = [], what = ref(ing)): { what: string; pos?: SourcePos } {
  return { what, pos: posOf(ing, path) };
}

function pickClass(v: IngressView, name?: string): ClassView {
  if (name) {
    const c = v.classes.get(name);
    if (!c) throw inputError('NS-UNKNOWN-INGRESS-CLASS', `no IngressClass ${name}`, `IngressClasses: ${v.classOrder.join(', ') || 'none'}`);
    return c;
  }
  if (v.defaults.length === 1) return v.classes.get(v.defaults[0].metadata.name)!;
  if (v.classes.size === 1) return v.classes.get(v.classOrder[0])!;
  if (v.classes.size === 0) throw inputError('NS-NO-INGRESS-CLASS', 'no IngressClass: no ingress controller is modelled', 'add an IngressClass (spec.controller: k8s.io/ingress-nginx)');
  throw inputError('NS-INGRESS-CLASS-AMBIGUOUS', `${v.classes.size} IngressClasses and ${v.defaults.length ? 'several defaults' : 'no default'}: which controller receives the request?`, `name the class (--class NAME): ${v.classOrder.join(', ')}`);
}

function parseUrl(url: string): { scheme: 'http' | 'https'; host: string; path: string } {
  let u: URL;
  try { u = new URL(url); } catch {
    throw inputError('NS-BAD-URL', `"${url}" is not a URL`, 'write it as http(s)://HOST/PATH, e.g. https://shop.example.com/cart');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw inputError('NS-BAD-URL', `"${url}": only http and https reach an ingress controller`, 'write it as http(s)://HOST/PATH');
  return { scheme: u.protocol === 'https:' ? 'https' : 'http', host: u.hostname.toLowerCase(), path: decodeURIComponent(u.pathname || '/') };
}

function bestPath(paths: readonly PathRule[], path: string): PathRule | null {
  let best: PathRule | null = null;
  for (const p of paths) {
    if (!pathMatches(p.type, p.path, path)) continue;
    if (!best) { best = p; continue; }
    const lp = pathLength(p.path), lb = pathLength(best.path);
    // longer wins; equal length: Exact beats Prefix; otherwise the oldest stays
    if (lp > lb || (lp === lb && p.type === 'Exact' && best.type !== 'Exact')) best = p;
  }
  return best;
}

function tlsFor(cv: ClassView, host: string): TlsEntry | null {
  // a precise tls host before a wildcard one, oldest first
  let wild: TlsEntry | null = null;
  for (const t of cv.tls) {
    if (t.host.toLowerCase() === host) return t;
    if (!wild && t.host.startsWith('*.') && hostMatches(t.host, host)) wild = t;
  }
  return wild;
}

export function ingressRequest(r: Realised, q: RequestQuery, upstream?: UpstreamConnect): RequestResult {
  const v = ingressView(r);
  const cv = pickClass(v, q.class);
  const { scheme, host, path } = parseUrl(q.url);
  const at = `ingress/${cv.name}`;
  const hops: Hop[] = [];
  const cp = controllerPod(r, cv.name, cv.controller);
  const ctx: Upstream = { connect: upstream, pod: cp?.pod, how: cp?.how, controller: cv.controller };
  const res: RequestResult = { outcome: 'not-found', status: 404, url: q.url, class: cv.name, controller: cv.controller, host, path, scheme, backend: null, tls: null, hops };
  hops.push({ at, action: 'query', detail: `${scheme.toUpperCase()} request for ${host}${path} arrives at the ${cv.controller} controller of IngressClass ${cv.name} (${cv.members.length} Ingress${cv.members.length === 1 ? '' : 'es'} of this class)`, source: src(cv.ic) });
  // Ingresses no controller serves, when they would have claimed this request (at most 5 named)
  const relevant = v.ignored.filter((x) => claims(x.ing, host));
  for (const x of relevant.slice(0, 5)) hops.push({ at, action: 'note', detail: `${ref(x.ing)} is ignored: ${x.why}`, source: src(x.ing) });
  if (relevant.length > 5) hops.push({ at, action: 'note', detail: `… and ${relevant.length - 5} more Ingresses for ${host} that no controller serves` });

  // host group: exact, then wildcard (one label), then host-less rules
  let g: HostGroup | undefined = cv.exact.get(host);
  let how = `exact host ${host}`;
  if (!g) {
    const dot = host.indexOf('.');
    g = dot > 0 ? cv.wildcard.get(host.slice(dot)) : undefined;
    how = g ? `wildcard host *${host.slice(dot)} (one label)` : '';
  }
  if (!g && (cv.any.paths.length || cv.any.ingresses.length)) { g = cv.any; how = 'rules without host (any host)'; }
  const groupHost = g ? (g.host ? (g.host.startsWith('.') ? '*' + g.host : g.host) : '*') : null;

  // TLS and the redirect
  const t = tlsFor(cv, host);
  if (scheme === 'http' && t) {
    res.outcome = 'redirect'; res.status = 308; res.location = `https://${host}${path}`;
    hops.push({ at, action: 'reply', detail: `308 Permanent Redirect to ${res.location}: ${host} is listed in spec.tls and ingress-nginx's ssl-redirect defaults to true`, source: src(t.ing, ['spec', 'tls', t.index]) });
    return res;
  }
  if (scheme === 'https') {
    if (!t) {
      res.tls = { defaultCert: true, reason: `${host} is in no Ingress's spec.tls` };
      hops.push({ at, action: 'note', detail: `TLS: ${host} is in no spec.tls: the controller presents its default (fake) certificate` });
    } else {
      const ns = t.ing.metadata.namespace ?? 'default';
      const key = `${ns}/${t.secretName ?? ''}`;
      const s = t.secretName ? v.secrets.get(key) : undefined;
      const why = !t.secretName ? 'the tls entry names no secretName'
        : !s ? `no Secret ${key} (it must be in the Ingress's namespace)`
        : (s.type ?? 'Opaque') !== TLS_SECRET_TYPE ? `Secret ${key} has type ${String(s.type ?? 'Opaque')}, not ${TLS_SECRET_TYPE}` : '';
      if (why) {
        res.tls = { defaultCert: true, reason: why };
        hops.push({ at, action: 'note', detail: `TLS: ${why}: the controller presents its default (fake) certificate`, source: src(t.ing, ['spec', 'tls', t.index]) });
      } else {
        res.tls = { secret: key };
        hops.push({ at, action: 'match', detail: `TLS: ${host} is listed in spec.tls[${t.index}]: the controller presents the certificate of Secret ${key}`, source: src(t.ing, ['spec', 'tls', t.index]) });
      }
    }
  }

  if (!g) {
    hops.push({ at, action: 'match', detail: `no rule for host ${host}` });
    return fallback(r, res, at, cv.withDefault, 'no Ingress of this class has a rule for the host', ctx);
  }
  const best = bestPath(g.paths, path);
  if (!best) {
    hops.push({ at, action: 'match', detail: `host ${host} matches ${how} but no path matches ${path}` });
    const own = g.ingresses.filter((i) => i.spec?.defaultBackend);
    return fallback(r, res, at, g === cv.any ? cv.withDefault : own, `no path of host ${groupHost} matches`, ctx);
  }
  const fp = ['spec', 'rules', best.rule, 'http', 'paths', best.index];
  const note = best.type === 'ImplementationSpecific' ? ' (ImplementationSpecific: ingress-nginx treats it as Prefix)' : '';
  hops.push({ at, action: 'match', detail: `host ${host} matches ${how}; path ${path} matches ${best.written} "${best.path}"${note}, the longest matching path`, source: src(best.ing, fp, `${ref(best.ing)} rules[${best.rule}].http.paths[${best.index}]`) });
  return toBackend(r, res, at, best.ing, best.backend, [...fp, 'backend'], ctx);
}

interface Upstream { connect?: UpstreamConnect; pod?: string; how?: string; controller: string }

function fallback(r: Realised, res: RequestResult, at: string, withDefault: readonly KObject[], why: string, ctx: Upstream): RequestResult {
  const ing = withDefault[0];
  if (ing) {
    res.hops.push({ at, action: 'match', detail: `${why}: the request goes to the defaultBackend of ${ref(ing)}`, source: src(ing, ['spec', 'defaultBackend']) });
    return toBackend(r, res, at, ing, ing.spec.defaultBackend, ['spec', 'defaultBackend'], ctx);
  }
  res.outcome = 'not-found'; res.status = 404;
  res.hops.push({ at, action: 'reply', detail: `${why} and no defaultBackend applies: the controller's own default backend answers 404` });
  return res;
}

function toBackend(r: Realised, res: RequestResult, at: string, ing: KObject, b: any, fp: (string | number)[], ctx: Upstream): RequestResult {
  const ns = ing.metadata.namespace ?? 'default';
  const unavailable = (detail: string): RequestResult => {
    res.outcome = 'unavailable'; res.status = 503;
    res.hops.push({ at, action: 'reply', detail: `503 Service Unavailable: ${detail}`, source: src(ing, fp) });
    return res;
  };
  if (b?.resource) {
    res.backend = { resource: `${b.resource.apiGroup ?? ''}/${b.resource.kind} ${b.resource.name}`, ingress: ref(ing) };
    return unavailable(`the backend is a resource (${b.resource.kind} ${b.resource.name}), which ingress-nginx does not route`);
  }
  const name = String(b?.service?.name ?? '');
  const port: number | string = b?.service?.port?.number ?? b?.service?.port?.name ?? '';
  res.backend = { service: `${ns}/${name}`, port, ingress: ref(ing) };
  const svc = r.serviceByKey.get(`${ns}/${name}`);
  if (!svc) return unavailable(`no Service ${ns}/${name} (a backend must be in the Ingress's namespace)`);
  const sp = svc.ports.find((p) => (typeof port === 'number' ? p.port === port : p.name === port));
  if (!sp) return unavailable(`Service ${svc.key} has no port ${typeof port === 'number' ? port : `named "${port}"`} (ports: ${svc.ports.map((p) => p.name ? `${p.name}/${p.port}` : String(p.port)).join(', ') || 'none'})`);
  if (svc.type === 'ExternalName') {
    res.backend.endpoints = [`${svc.externalName}:${sp.port}`];
    res.outcome = 'routed'; res.status = 200;
    res.hops.push({ at, action: 'forward', detail: `proxied to ExternalName ${svc.externalName}:${sp.port} (Service ${svc.key})`, source: { what: `Service ${svc.key}`, pos: posOf(svc.obj) } });
    return res;
  }
  const eps = readyEndpoints(r, svc, sp.name);
  res.backend.endpoints = eps;
  if (!eps.length) return unavailable(`Service ${svc.key} port ${sp.name || sp.port} has no ready endpoints`);
  res.outcome = 'routed'; res.status = 200;
  res.hops.push({ at, action: 'forward', detail: `proxied to Service ${svc.key} port ${sp.name ? `${sp.name} (${sp.port})` : sp.port}: ingress-nginx balances over the ready endpoints ${eps.join(', ')} directly (not the ClusterIP)`, source: { what: `Service ${svc.key}`, pos: posOf(svc.obj) } });
  if (!ctx.connect || !ctx.pod) {
    res.hops.push({ at, action: 'note', detail: `no pod of the ${ctx.controller} controller runs in the cluster (none runs with --controller-class=${ctx.controller}${ctx.controller === INGRESS_NGINX ? ' or is labelled app.kubernetes.io/name=ingress-nginx' : ''}): the connection to the endpoint is not walked` });
    return res;
  }
  const to = eps[0];
  const colon = to.lastIndexOf(':');
  const ip = to.slice(0, colon).replace(/^\[|\]$/g, ''), epPort = Number(to.slice(colon + 1));
  const c = ctx.connect(ctx.pod, ip, epPort);
  res.upstream = { from: ctx.pod, to, verdict: c.verdict };
  res.hops.push({ at, action: 'send', detail: `controller pod ${ctx.pod} connects to the first endpoint ${to} (the controller's pod: ${ctx.how})` }, ...c.hops);
  if (c.verdict === 'delivered') return res;
  const timeout = c.verdict === 'dropped' || c.verdict === 'unreachable';
  res.outcome = timeout ? 'gateway-timeout' : 'bad-gateway';
  res.status = timeout ? 504 : 502;
  res.hops.push({ at, action: 'reply', detail: timeout
    ? `504 Gateway Timeout: the connection from ${ctx.pod} to ${to} was ${c.verdict} (no answer before proxy_connect_timeout)`
    : `502 Bad Gateway: the connection from ${ctx.pod} to ${to} was ${c.verdict}` });
  return res;
}

function readyEndpoints(r: Realised, svc: RService, portName: string): string[] {
  const out = new Set<string>();
  for (const sl of r.slicesByService.get(svc.key) ?? []) {
    const p = sl.ports.find((x) => x.name === portName && x.protocol === 'TCP');
    if (!p || sl.addressType === 'FQDN') continue;
    for (const e of sl.endpoints) if (e.ready && e.addresses[0]) out.add(sl.addressType === 'IPv6' ? `[${e.addresses[0]}]:${p.port}` : `${e.addresses[0]}:${p.port}`);
  }
  return [...out].sort();
}

/** One line a result, for failure messages. */
export function describeRequest(res: RequestResult): string {
  const b = res.backend;
  const to = b ? (b.service ? `service ${b.service} port ${b.port}` : `resource ${b.resource}`) : 'no backend';
  return `${res.status} ${res.outcome}${res.location ? ` → ${res.location}` : ''} (${to}${res.tls ? `, TLS ${res.tls.secret ? `secret ${res.tls.secret}` : 'default certificate'}` : ''})`;
}
