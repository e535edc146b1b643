// Ingress routing as the networking.k8s.io/v1 Ingress spec defines it, with ingress-nginx's choices
// where the spec leaves room (design §2 `ingress/`). One controller per IngressClass; its trace `at`
// is `ingress/<class name>`.
//
// - Class: spec.ingressClassName; else the legacy annotation kubernetes.io/ingress.class (its value
//   names the IngressClass). An Ingress with neither got the default IngressClass (annotation
//   ingressclass.kubernetes.io/is-default-class: "true") written into spec.ingressClassName by the
//   API server's DefaultIngressClass admission when it was created (admitIngresses: the newest of
//   several defaults; none for an Ingress older than every default class). An Ingress naming a
//   class that does not exist, or with no class at all, is ignored by every controller.
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
//   controller runs in the cluster (labelled app.kubernetes.io/name=ingress-nginx, as its Helm chart
//   and static manifests label it), the proxied connection is walked from it to the first ready
//   endpoint (ingress-nginx connects to endpoints, not the ClusterIP): refused or rejected → 502,
//   dropped or unreachable (a NetworkPolicy, say) → 504. Without such a pod it is described only.
// - TLS: a host listed in spec.tls over HTTPS presents that secret when it exists in the Ingress's
//   namespace with type kubernetes.io/tls, else the controller's default fake certificate; HTTP to a
//   TLS host is redirected to HTTPS with 308 (ingress-nginx ssl-redirect, default true).
import type { Diagnostics } from '../model/errors';
import type { Realised } from '../model/realised';
import { posOf, ref, type KObject } from '../model/types';
import type { Hop } from '../net/trace';
import { annotationsOf, parseAnnotations, type Location } from './nginx';

export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
export const TLS_SECRET_TYPE = 'kubernetes.io/tls';

export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

export interface RequestQuery {
  url: string;
  /** IngressClass name; default: the default class, else the only class */
  class?: string;
  /** HTTP method (default GET) */
  method?: string;
  /** request headers as the client sends them (a Host header overrides the URL's host) */
  headers?: readonly (readonly [string, string])[];
  /** https only: the TLS server name (default: the host) */
  sni?: string;
  /** the client sends no Host header (HTTP/1.0): the controller's default server answers */
  noHost?: boolean;
  /** HTTP version the client speaks (default 1.1) */
  httpVersion?: '1.0' | '1.1' | '2';
}

/** The request as the client sent it. */
export interface HttpRequest {
  method: string;
  version: string;
  /** Host header (null: none) */
  host: string | null;
  /** the path as sent, with the query string */
  uri: string;
  headers: Record<string, string>;
  sni?: string;
}

/** The request as the backend receives it from ingress-nginx. */
export interface UpstreamRequest {
  method: string;
  /** the protocol to the backend (backend-protocol annotation) */
  protocol: string;
  host: string;
  /** path and query after rewrite-target */
  uri: string;
  headers: Record<string, string>;
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

/** A server listening on a node address that answers HTTP itself (kube-proxy's /healthz, a healthCheckNodePort). */
export interface DirectAnswer {
  /** e.g. node/node-a/kube-proxy */
  at: string;
  node: string;
  component: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  /** the Service whose health check answered ("ns/name") */
  service?: string;
  detail: string;
}
/** Who answers HTTP on node address ip:port (path with query), if anyone other than an ingress controller. */
export type DirectServer = (ip: string, port: number, path: string) => DirectAnswer | undefined;

/** The controller pod's connection to an endpoint (the facade walks it with Cluster.connect). */
export type UpstreamConnect = (fromPod: string, ip: string, port: number) => { verdict: string; hops: Hop[] };

export const CONTROLLER_POD_LABEL = 'app.kubernetes.io/name';
export const INGRESS_NGINX = 'k8s.io/ingress-nginx';

export interface RequestResult {
  /** answered: a server on a node address answered itself (kube-proxy's health checks), no ingress controller involved */
  outcome: 'routed' | 'redirect' | 'not-found' | 'unavailable' | 'bad-gateway' | 'gateway-timeout' | 'answered';
  status: number;
  /** the request as the client sent it */
  request: HttpRequest;
  /** routed only: the request as the backend receives it */
  forwarded?: UpstreamRequest;
  /** an answer the controller produces itself (redirects, 404, 503…): status and headers */
  response?: { status: number; headers: Record<string, string>; body?: string };
  /** outcome answered: which server on which node answered, and why that status */
  answeredBy?: DirectAnswer;
  /** a canary Ingress joined the matched location: whether this request went to it, and why */
  canary?: { ingress: string; chosen: boolean; by: string; detail: string };
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

/** Ingresses whose class the DefaultIngressClass admission wrote, with the class it chose. */
const admitted = new WeakMap<KObject, { name: string; of: number }>();

/** Which IngressClass name an Ingress asks for, and how that was decided. */
export function requestedClass(ing: KObject): { name: string | null; how: string } {
  const n = ing.spec?.ingressClassName;
  const a = admitted.get(ing);
  if (a && n === a.name) return { name: n, how: `the default IngressClass "${n}", written into spec.ingressClassName by the API server's DefaultIngressClass admission at creation${a.of > 1 ? ` (the newest of ${a.of} default classes)` : ''}` };
  if (typeof n === 'string' && n) return { name: n, how: `spec.ingressClassName "${n}"` };
  const legacy = ing.metadata.annotations?.[LEGACY_CLASS_ANNOTATION];
  if (typeof legacy === 'string' && legacy) return { name: legacy, how: `the legacy annotation ${LEGACY_CLASS_ANNOTATION}: "${legacy}"` };
  return { name: null, how: 'no ingressClassName and no class annotation (no default IngressClass existed when it was created), and ingress-nginx ignores class-less Ingresses unless run with --watch-ingress-without-class' };
}

const time = (o: KObject): number => {
  const t = Date.parse(String(o.metadata.creationTimestamp ?? ''));
  return Number.isNaN(t) ? -Infinity : t;
};

/**
 * The DefaultIngressClass admission plugin (plugin/pkg/admission/network/defaultingressclass): an
 * Ingress created without spec.ingressClassName and without the kubernetes.io/ingress.class
 * annotation gets the default IngressClass's name written into spec.ingressClassName. Several
 * defaults: the newest wins (creationTimestamp, then name). It runs when the Ingress is created:
 * an Ingress whose creationTimestamp is older than every default class stays class-less.
 * Changes the Ingress objects in place (as the API server stores them; `get` shows the field).
 */
export function admitIngresses(objects: readonly KObject[]): void {
  const defaults = objects.filter((o) => o.kind === 'IngressClass' && o.metadata && isDefaultClass(o));
  if (!defaults.length) return;
  for (const ing of objects) {
    if (ing.kind !== 'Ingress' || !ing.metadata || admitted.has(ing)) continue;
    if (ing.spec?.ingressClassName !== undefined && ing.spec?.ingressClassName !== null) continue;
    if (ing.metadata.annotations && LEGACY_CLASS_ANNOTATION in ing.metadata.annotations) continue;
    const created = ing.metadata.creationTimestamp ? time(ing) : Infinity;
    const existing = defaults.filter((d) => time(d) <= created)
      .sort((a, b) => (time(a) === time(b) ? (a.metadata.name < b.metadata.name ? -1 : 1) : time(b) - time(a)));
    if (!existing.length) continue;
    if (!ing.spec || typeof ing.spec !== 'object') ing.spec = {};
    ing.spec.ingressClassName = existing[0].metadata.name;
    admitted.set(ing, { name: existing[0].metadata.name, of: existing.length });
  }
}

/** Warnings about ingress-nginx annotations netspec does not model, or cannot read. */
export function checkIngresses(objects: readonly KObject[], diag: Diagnostics): void {
  for (const ing of objects) {
    if (ing.kind !== 'Ingress' || !ing.metadata?.annotations) continue;
    const { unmodelled, invalid } = parseAnnotations(ing);
    for (const k of unmodelled) diag.warn('NS-INGRESS-ANNOTATION-UNMODELLED', `${ref(ing)}: annotation ${k} is not modelled by netspec: requests are answered as if it were absent`, posOf(ing, ['metadata', 'annotations', k]));
    for (const x of invalid) diag.warn('NS-INGRESS-ANNOTATION-VALUE', `${ref(ing)}: annotation ${x.key}: ${x.message}`, posOf(ing, ['metadata', 'annotations', x.key]));
  }
  admitIngresses(objects);
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
export function pathLength(p: string): number {
  return p.length > 1 && p.endsWith('/') ? p.length - 1 : p.length;
}

// ---- the controller's view ---------------------------------------------------------------------

export interface PathRule {
  ing: KObject;
  rule: number;
  index: number;
  type: PathType;
  /** the type as written (ImplementationSpecific stays visible in traces) */
  written: string;
  path: string;
  backend: any;
}

export interface HostGroup {
  /** rule host as written, "" for host-less */
  host: string;
  paths: PathRule[];
  /** Ingresses contributing to this group, oldest first */
  ingresses: KObject[];
  /** canary Ingresses' paths (they add no location of their own) */
  canaries: PathRule[];
  /** the nginx locations, built on first use */
  locs?: { regex: boolean; locations: Location<PathRule>[] };
}

export interface TlsEntry {
  ing: KObject;
  index: number;
  host: string;
  secretName?: string;
}

export interface ClassView {
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

export interface IngressView {
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
  if (!g) m.set(host, (g = { host, paths: [], ingresses: [], canaries: [] }));
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
        exact: new Map(), wildcard: new Map(), any: { host: '', paths: [], ingresses: [], canaries: [] }, withDefault: [], tls: [], members: [],
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
    const { name, how } = requestedClass(ing);
    const cv = name ? classes.get(name) : undefined;
    if (!cv) {
      ignored.push({ ing, why: name ? `${how} names no IngressClass: no controller picks it up` : `${how}: no controller picks it up` });
      continue;
    }
    cv.members.push({ ing, how });
    const spec = ing.spec ?? {};
    const canary = cv.controller === INGRESS_NGINX && !!annotationsOf(ing).canary;
    if (spec.defaultBackend && !canary) cv.withDefault.push(ing);
    (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule: any, i: number) => {
      const host = typeof rule?.host === 'string' ? rule.host.toLowerCase() : '';
      const g = !host ? cv.any : host.startsWith('*.') ? group(cv.wildcard, host.slice(1)) : group(cv.exact, host);
      if (!canary && !g.ingresses.includes(ing)) g.ingresses.push(ing);
      (Array.isArray(rule?.http?.paths) ? rule.http.paths : []).forEach((p: any, j: number) => {
        const written = String(p?.pathType ?? 'ImplementationSpecific');
        const type: PathType = written === 'Exact' ? 'Exact' : written === 'Prefix' ? 'Prefix' : 'ImplementationSpecific';
        (canary ? g.canaries : g.paths).push({ ing, rule: i, index: j, type, written, path: typeof p?.path === 'string' && p.path ? p.path : '/', backend: p?.backend });
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
