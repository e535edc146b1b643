// A request's way through an ingress controller: class, host, TLS, the nginx location (nginx.ts),
// ingress-nginx's redirects, canary and rewrite, the backend and the request as it receives it.
import { controllerPod } from './controllerpods';
import { InputErrors } from '../model/errors';
import type { Realised, RService } from '../model/realised';
import { posOf, ref, type KObject } from '../model/types';
import type { Hop, SourcePos } from '../net/trace';
import {
  hostMatches, ingressView, INGRESS_NGINX, pathLength, pathMatches, TLS_SECRET_TYPE,
  type ClassView, type DirectServer, type HostGroup, type HttpRequest, type IngressView, type PathRule, type RequestQuery,
  type RequestResult, type TlsEntry, type UpstreamConnect, type UpstreamRequest,
} from './view';
import { annotationsOf, buildLocations, decideCanary, matchLocation, normaliseUri, rewrite, type NginxAnnotations } from './nginx';

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

interface ParsedUrl { scheme: 'http' | 'https'; host: string; authority: string; port: number; rawPath: string; query: string }

function parseUrl(url: string): ParsedUrl {
  let u: URL;
  try { u = new URL(url); } catch {
    throw inputError('NS-BAD-URL', `"${url}" is not a URL`, 'write it as http(s)://HOST/PATH, e.g. https://shop.example.com/cart');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw inputError('NS-BAD-URL', `"${url}": only http and https reach an ingress controller`, 'write it as http(s)://HOST/PATH');
  const scheme = u.protocol === 'https:' ? 'https' : 'http';
  // the path as the client sends it (URL() would resolve "." and ".." already)
  const m = /^[a-z]+:\/\/[^/?#]*([^?#]*)(?:\?([^#]*))?/i.exec(url);
  return { scheme, host: u.hostname.toLowerCase(), authority: u.host.toLowerCase(), port: u.port ? Number(u.port) : scheme === 'https' ? 443 : 80, rawPath: m?.[1] || '/', query: m?.[2] ?? '' };
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

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function clientRequest(q: RequestQuery, u: ParsedUrl): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of q.headers ?? []) {
    if (!HEADER_NAME.test(k)) throw inputError('NS-BAD-HEADER', `"${k}" is not an HTTP header name`, 'write a header as Name: value, e.g. X-Canary: always');
    const name = k.toLowerCase();
    headers[name] = name in headers ? `${headers[name]}, ${v}` : v;
  }
  const method = (q.method ?? 'GET').toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw inputError('NS-BAD-METHOD', `"${q.method}" is not an HTTP method`, 'e.g. GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS');
  const hostHeader = q.noHost ? null : headers.host ?? u.authority;
  if (hostHeader !== null) headers.host = hostHeader;
  else delete headers.host;
  return { method, version: q.httpVersion ?? '1.1', host: hostHeader, uri: u.rawPath + (u.query ? '?' + u.query : ''), headers, ...(u.scheme === 'https' ? { sni: (q.sni ?? u.host).toLowerCase() } : {}) };
}

/** The headers ingress-nginx sets towards the backend (nginx.tmpl proxy_set_header, defaults). */
function upstreamRequest(req: HttpRequest, u: ParsedUrl, uri: string, a: NginxAnnotations | undefined, xfPrefix?: string): UpstreamRequest {
  const host = a?.upstreamVhost ?? req.host ?? '';
  const headers: Record<string, string> = { ...req.headers };
  delete headers.connection;
  Object.assign(headers, {
    host,
    'x-request-id': '$req_id (a random id per request)',
    'x-real-ip': '$remote_addr (the client address)',
    'x-forwarded-for': '$remote_addr (the client address; use-forwarded-headers is off)',
    'x-forwarded-host': req.host ?? '',
    'x-forwarded-port': String(u.port),
    'x-forwarded-proto': u.scheme,
    'x-forwarded-scheme': u.scheme,
    'x-scheme': u.scheme,
    'x-original-uri': req.uri,
  });
  if (req.headers['x-forwarded-for']) headers['x-original-forwarded-for'] = req.headers['x-forwarded-for'];
  if (xfPrefix) headers['x-forwarded-prefix'] = xfPrefix;
  const proto = a?.backendProtocol ?? 'HTTP';
  return { method: req.method, protocol: proto === 'AUTO_HTTP' ? u.scheme.toUpperCase() : proto, host, uri, headers };
}

function redirect(res: RequestResult, at: string, status: number, location: string, why: string, source?: { what: string; pos?: SourcePos }): RequestResult {
  res.outcome = 'redirect'; res.status = status; res.location = location;
  res.response = { status, headers: { location } };
  res.hops.push({ at, action: 'reply', detail: `${status} redirect to ${location}: ${why}`, ...(source ? { source } : {}) });
  return res;
}

function locationsOf(g: HostGroup) {
  return (g.locs ??= buildLocations(g.paths));
}

export function ingressRequest(r: Realised, q: RequestQuery, upstream?: UpstreamConnect, direct?: DirectServer): RequestResult {
  const u = parseUrl(q.url);
  const req = clientRequest(q, u);
  // a node address and a port some node-level server listens on (kube-proxy's health checks): it
  // answers itself, whatever Ingresses exist
  const d = direct && u.scheme === 'http' ? direct(u.host.replace(/^\[|\]$/g, ''), u.port, req.uri) : undefined;
  if (d) {
    const hops: Hop[] = [
      { at: d.at, action: 'query', detail: `${req.method} ${req.uri} HTTP/${req.version} to ${u.authority} arrives at ${d.component} on node ${d.node}` },
      { at: d.at, action: 'answer', detail: d.detail },
    ];
    return { outcome: 'answered', status: d.status, url: q.url, class: '', controller: d.component, host: u.host, path: u.rawPath, scheme: u.scheme, backend: null, tls: null, request: req, response: { status: d.status, headers: d.headers, body: d.body }, answeredBy: d, hops };
  }
  const v = ingressView(r);
  const cv = pickClass(v, q.class);
  const scheme = u.scheme;
  // routing uses the Host header (its name without a port), as nginx's server_name matching does
  const host = req.host === null ? '' : req.host.replace(/:\d+$/, '').replace(/\.$/, '').toLowerCase();
  const uri = normaliseUri(u.rawPath);
  const nginx = cv.controller === INGRESS_NGINX;
  const at = `ingress/${cv.name}`;
  const hops: Hop[] = [];
  const cp = controllerPod(r, cv.name, cv.controller);
  const ctx: Upstream = { connect: upstream, pod: cp?.pod, how: cp?.how, controller: cv.controller, req, url: u, uri, classHow: (i) => cv.members.find((m) => m.ing === i)?.how };
  const res: RequestResult = { outcome: 'not-found', status: 404, url: q.url, class: cv.name, controller: cv.controller, host, path: uri, scheme, backend: null, tls: null, request: req, hops };
  hops.push({ at, action: 'query', detail: `${req.method} ${req.uri} HTTP/${req.version} (${req.host === null ? 'no Host header' : `Host: ${req.host}`}) over ${scheme.toUpperCase()} arrives at the ${cv.controller} controller of IngressClass ${cv.name} (${cv.members.length} Ingress${cv.members.length === 1 ? '' : 'es'} of this class)`, source: src(cv.ic) });
  if (uri !== u.rawPath) hops.push({ at, action: 'note', detail: `nginx matches the normalised path ${uri} (decoded, slashes merged, "." and ".." resolved)` });
  const relevant = host ? v.ignored.filter((x) => claims(x.ing, host)) : [];
  for (const x of relevant.slice(0, 5)) hops.push({ at, action: 'note', detail: `${ref(x.ing)} is ignored: ${x.why}`, source: src(x.ing) });
  if (relevant.length > 5) hops.push({ at, action: 'note', detail: `… and ${relevant.length - 5} more Ingresses for ${host} that no controller serves` });

  // host group: exact, then wildcard (one label), then host-less rules (nginx's default server)
  let g: HostGroup | undefined = host ? cv.exact.get(host) : undefined;
  let how = `exact host ${host}`;
  if (!g && host) {
    const dot = host.indexOf('.');
    g = dot > 0 ? cv.wildcard.get(host.slice(dot)) : undefined;
    how = g ? `wildcard host *${host.slice(dot)} (one label)` : '';
  }
  if (!g && (cv.any.paths.length || cv.any.ingresses.length)) { g = cv.any; how = req.host === null ? 'rules without host (no Host header: the default server)' : 'rules without host (any host)'; }
  const groupHost = g ? (g.host ? (g.host.startsWith('.') ? '*' + g.host : g.host) : '*') : null;

  // TLS: the certificate is chosen by SNI; the redirect to HTTPS by the Host
  const t = host ? tlsFor(cv, host) : null;
  if (scheme === 'https') tlsCertificate(v, cv, res, at, req.sni ?? host);
  const sslRedirect = (a: NginxAnnotations | undefined, source?: { what: string; pos?: SourcePos }): RequestResult | null => {
    if (scheme !== 'http') return null;
    const force = !!a?.forceSslRedirect;
    if (!force && !(t && (a?.sslRedirect ?? true))) return null;
    return redirect(res, at, 308, `https://${req.host ?? host}${req.uri}`, force
      ? 'force-ssl-redirect: "true" (the Location keeps the request URI and its query string)'
      : `${host} is listed in spec.tls and ingress-nginx's ssl-redirect defaults to true (the Location keeps the request URI and its query string)`,
    source ?? (t ? src(t.ing, ['spec', 'tls', t.index]) : undefined));
  };

  if (!g) {
    hops.push({ at, action: 'match', detail: host ? `no rule for host ${host}` : 'no Host header and no rule without host' });
    return sslRedirect(undefined) ?? fallback(r, res, at, cv.withDefault, 'no Ingress of this class has a rule for the host', ctx);
  }
  if (nginx) {
    const appRoot = g.ingresses.find((i) => annotationsOf(i).appRoot);
    if (appRoot && uri === '/') {
      return redirect(res, at, 302, `${scheme}://${req.host ?? host}${annotationsOf(appRoot).appRoot}`, `app-root of ${ref(appRoot)} ("if ($uri = /) { return 302 $scheme://$http_host<app-root>; }" in the server of ${groupHost})`, src(appRoot, ['metadata', 'annotations', 'nginx.ingress.kubernetes.io/app-root']));
    }
  }
  let best: PathRule | null;
  if (nginx) {
    const locs = locationsOf(g);
    const m = matchLocation(locs, uri);
    if (m.kind === 'slash-redirect') {
      const l = m.location.rule;
      return redirect(res, at, 301, `${scheme}://${req.host ?? host}${uri}/${u.query ? '?' + u.query : ''}`, `nginx's location ${m.location.path} (from ${l.written} "${l.path}") answers ${uri} with a 301 that adds the trailing slash`, src(l.ing, ['spec', 'rules', l.rule, 'http', 'paths', l.index]));
    }
    best = m.kind === 'match' ? m.location.rule : null;
    if (best && m.kind === 'match') {
      const l = m.location;
      const mode = l.kind === 'regex' ? `location ~* "^${l.path}" (regex mode for ${groupHost}: use-regex or rewrite-target on one of its Ingresses; case-insensitive, anchored at the start, longest path tried first)`
        : l.kind === 'exact' ? `location = ${l.path}` : `location ${l.path} (the longest prefix)`;
      hops.push({ at, action: 'match', detail: `host ${host || '(none)'} matches ${how}; path ${uri} matches ${best.written} "${best.path}" as nginx ${mode}`, source: src(best.ing, pathField(best), `${ref(best.ing)} rules[${best.rule}].http.paths[${best.index}]`) });
    }
  } else {
    best = bestPath(g.paths, uri);
    if (best) {
      const note = best.type === 'ImplementationSpecific' ? ' (ImplementationSpecific: treated as Prefix)' : '';
      hops.push({ at, action: 'match', detail: `host ${host} matches ${how}; path ${uri} matches ${best.written} "${best.path}"${note}, the longest matching path`, source: src(best.ing, pathField(best), `${ref(best.ing)} rules[${best.rule}].http.paths[${best.index}]`) });
    }
  }
  if (!best) {
    hops.push({ at, action: 'match', detail: `host ${host || '(none)'} matches ${how} but no path matches ${uri}` });
    const own = g.ingresses.filter((i) => i.spec?.defaultBackend);
    return sslRedirect(undefined) ?? fallback(r, res, at, g === cv.any ? cv.withDefault : own, `no path of host ${groupHost} matches`, ctx);
  }
  const a = nginx ? annotationsOf(best.ing) : undefined;
  const annSrc = (k: string) => src(best!.ing, ['metadata', 'annotations', `nginx.ingress.kubernetes.io/${k}`]);
  if (a?.permanentRedirect) return redirect(res, at, a.permanentRedirect.code, a.permanentRedirect.url, `permanent-redirect of ${ref(best.ing)} (nginx "return ${a.permanentRedirect.code} URL": the URL as written, no query string added)`, annSrc('permanent-redirect'));
  if (a?.temporalRedirect) return redirect(res, at, 302, a.temporalRedirect, `temporal-redirect of ${ref(best.ing)}`, annSrc('temporal-redirect'));
  const ssl = sslRedirect(a, a?.forceSslRedirect ? annSrc('force-ssl-redirect') : undefined);
  if (ssl) return ssl;
  if (a && !a.sslRedirect && scheme === 'http' && t) hops.push({ at, action: 'note', detail: `ssl-redirect: "false" on ${ref(best.ing)}: no redirect to HTTPS`, source: annSrc('ssl-redirect') });

  // canary: a canary Ingress's path equal to the matched one joins this location
  let target = best;
  if (nginx) {
    const c = g.canaries.find((x) => x.path === best!.path);
    const ca = c ? annotationsOf(c.ing).canary : undefined;
    if (c && ca) {
      const d = decideCanary(ca, new Map(Object.entries(req.headers)));
      res.canary = { ingress: ref(c.ing), chosen: d.canary, by: d.by, detail: d.detail };
      hops.push({ at, action: 'match', detail: `canary ${ref(c.ing)} shares ${best.path}: ${d.detail} → ${d.canary ? 'the canary backend' : 'the main backend'} (canary-by-header, then canary-by-cookie, then canary-weight)`, source: src(c.ing, ['metadata', 'annotations']) });
      if (d.canary) target = c;
    }
  }
  ctx.annotations = a;
  if (a?.rewriteTarget && a.rewriteTarget !== best.path) ctx.rewrite = { path: best.path, target: a.rewriteTarget, ing: best.ing };
  return toBackend(r, res, at, target.ing, target.backend, [...pathField(target), 'backend'], ctx);
}

function pathField(p: PathRule): (string | number)[] {
  return ['spec', 'rules', p.rule, 'http', 'paths', p.index];
}

function tlsCertificate(v: IngressView, cv: ClassView, res: RequestResult, at: string, sni: string): void {
  const t = sni ? tlsFor(cv, sni) : null;
  const by = res.request.sni && res.request.sni !== res.host ? ` (SNI ${sni})` : '';
  if (!t) {
    res.tls = { defaultCert: true, reason: `${sni || 'the server name'} is in no Ingress's spec.tls` };
    res.hops.push({ at, action: 'note', detail: `TLS${by}: ${sni || '(no SNI)'} is in no spec.tls: the controller presents its default (fake) certificate` });
    return;
  }
  const ns = t.ing.metadata.namespace ?? 'default';
  const key = `${ns}/${t.secretName ?? ''}`;
  const s = t.secretName ? v.secrets.get(key) : undefined;
  const why = !t.secretName ? 'the tls entry names no secretName'
    : !s ? `no Secret ${key} (it must be in the Ingress's namespace)`
    : (s.type ?? 'Opaque') !== TLS_SECRET_TYPE ? `Secret ${key} has type ${String(s.type ?? 'Opaque')}, not ${TLS_SECRET_TYPE}` : '';
  if (why) {
    res.tls = { defaultCert: true, reason: why };
    res.hops.push({ at, action: 'note', detail: `TLS${by}: ${why}: the controller presents its default (fake) certificate`, source: src(t.ing, ['spec', 'tls', t.index]) });
  } else {
    res.tls = { secret: key };
    res.hops.push({ at, action: 'match', detail: `TLS${by}: ${sni} is listed in spec.tls[${t.index}]: the controller presents the certificate of Secret ${key}`, source: src(t.ing, ['spec', 'tls', t.index]) });
  }
}

interface Upstream {
  connect?: UpstreamConnect;
  /** the class's controller pod (controllerpods.ts) and which rule picked it */
  pod?: string;
  how?: string;
  controller: string;
  req: HttpRequest;
  url: ParsedUrl;
  /** the normalised URI */
  uri: string;
  /** the matched location's Ingress's annotations (ingress-nginx) */
  annotations?: NginxAnnotations;
  rewrite?: { path: string; target: string; ing: KObject };
  /** how an Ingress's class was decided */
  classHow?: (ing: KObject) => string | undefined;
}

/** The request as the backend receives it: rewrite-target applied, ingress-nginx's headers set. */
function forward(res: RequestResult, at: string, ctx: Upstream): void {
  let uri = ctx.req.uri;
  const rw = ctx.rewrite;
  if (rw) {
    const out = rewrite(rw.path, rw.target, ctx.uri, ctx.url.query);
    uri = out.uri;
    res.hops.push({ at, action: 'forward', detail: out.matched
      ? `rewrite-target: nginx "rewrite \"(?i)${rw.path}\" ${rw.target} break;" turns ${ctx.uri} into ${uri}${ctx.url.query && !rw.target.includes('?') ? ' (the query string is kept)' : ''}`
      : `rewrite-target: "(?i)${rw.path}" does not match ${ctx.uri}: the URI is passed unchanged`, source: src(rw.ing, ['metadata', 'annotations', 'nginx.ingress.kubernetes.io/rewrite-target']) });
  }
  res.forwarded = upstreamRequest(ctx.req, ctx.url, uri, ctx.annotations, ctx.annotations?.xForwardedPrefix);
  if (!rw) res.hops.push({ at, action: 'note', detail: `the backend receives ${res.forwarded.method} ${uri} as the client sent it (no rewrite-target)` });
  if (ctx.annotations && ctx.annotations.backendProtocol !== 'HTTP') res.hops.push({ at, action: 'note', detail: `backend-protocol ${ctx.annotations.backendProtocol}: the controller speaks ${res.forwarded.protocol} to the backend` });
}

function answer(res: RequestResult): RequestResult {
  res.response = { status: res.status, headers: {} };
  return res;
}

function fallback(r: Realised, res: RequestResult, at: string, withDefault: readonly KObject[], why: string, ctx: Upstream): RequestResult {
  const ing = withDefault[0];
  if (ing) {
    res.hops.push({ at, action: 'match', detail: `${why}: the request goes to the defaultBackend of ${ref(ing)}`, source: src(ing, ['spec', 'defaultBackend']) });
    return toBackend(r, res, at, ing, ing.spec.defaultBackend, ['spec', 'defaultBackend'], ctx);
  }
  res.outcome = 'not-found'; res.status = 404;
  res.hops.push({ at, action: 'reply', detail: `${why} and no defaultBackend applies: the controller's own default backend answers 404` });
  return answer(res);
}

function toBackend(r: Realised, res: RequestResult, at: string, ing: KObject, b: any, fp: (string | number)[], ctx: Upstream): RequestResult {
  const ns = ing.metadata.namespace ?? 'default';
  const unavailable = (detail: string): RequestResult => {
    res.outcome = 'unavailable'; res.status = 503;
    res.hops.push({ at, action: 'reply', detail: `503 Service Unavailable: ${detail}`, source: src(ing, fp) });
    return answer(res);
  };
  if (b?.resource) {
    res.backend = { resource: `${b.resource.apiGroup ?? ''}/${b.resource.kind} ${b.resource.name}`, ingress: ref(ing) };
    return unavailable(`the backend is a resource (${b.resource.kind} ${b.resource.name}), which ingress-nginx does not route`);
  }
  const how = ctx.classHow?.(ing);
  if (how && !how.startsWith('spec.ingressClassName')) res.hops.push({ at, action: 'note', detail: `${ref(ing)} belongs to this class by ${how}`, source: src(ing) });
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
    forward(res, at, ctx);
    return res;
  }
  const eps = readyEndpoints(r, svc, sp.name);
  res.backend.endpoints = eps;
  if (!eps.length) return unavailable(`Service ${svc.key} port ${sp.name || sp.port} has no ready endpoints`);
  res.outcome = 'routed'; res.status = 200;
  res.hops.push({ at, action: 'forward', detail: `proxied to Service ${svc.key} port ${sp.name ? `${sp.name} (${sp.port})` : sp.port}: ingress-nginx balances over the ready endpoints ${eps.join(', ')} directly (not the ClusterIP)`, source: { what: `Service ${svc.key}`, pos: posOf(svc.obj) } });
  forward(res, at, ctx);
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
  return answer(res);
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
  if (res.answeredBy) return `${res.status} answered (${res.answeredBy.component} on node ${res.answeredBy.node}${res.answeredBy.service ? `, health check of service ${res.answeredBy.service}` : ''})`;
  const b = res.backend;
  const to = b ? (b.service ? `service ${b.service} port ${b.port}` : `resource ${b.resource}`) : 'no backend';
  return `${res.status} ${res.outcome}${res.location ? ` → ${res.location}` : ''} (${to}${res.tls ? `, TLS ${res.tls.secret ? `secret ${res.tls.secret}` : 'default certificate'}` : ''})`;
}
