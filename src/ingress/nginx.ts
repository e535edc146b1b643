// ingress-nginx's own behaviour where the Ingress spec leaves room: the annotations it reads
// (docs/user-guide/nginx-configuration/annotations.md, internal/ingress/annotations), the nginx
// locations it writes for a host (internal/ingress/controller/controller.go updateServerLocations,
// rootfs/etc/nginx/template/nginx.tmpl buildLocation / buildProxyPass / enforceRegexModifier) and
// how nginx picks one of them for a request URI.
//
// - Locations: an Exact path is `location = P`; a Prefix path P (not "/", not ending in "/") is
//   `location = P` plus `location P/`; a Prefix path ending in "/" is `location P` (nginx answers
//   the URI without the slash with a 301 that adds it); an ImplementationSpecific path is a plain
//   nginx string prefix `location P` (/foo matches /foobar). nginx takes the exact location, else
//   the longest prefix.
// - Regex mode: when any Ingress of the host sets use-regex "true" or a rewrite-target, every
//   location of that host is `location ~* "^P"` (case-insensitive, anchored at the start, Exact
//   included); locations are ordered by path length, longest first (then reverse lexical) and the
//   first match wins.
// - rewrite-target: `rewrite "(?i)P" TARGET break;` on the normalised URI: the whole URI becomes
//   TARGET with $1…$9 from P's groups; nginx appends the query string unless TARGET has a "?".
//   Without a rewrite the backend receives the request URI exactly as the client sent it.
// - Canary Ingresses (canary: "true") add no locations: they join the main Ingress's location of
//   the same host and path; precedence canary-by-header, then canary-by-cookie, then canary-weight.
//   A canary Ingress's other annotations are ignored (the main Ingress's apply).
import type { KObject } from '../model/types';

export const NGINX_PREFIX = 'nginx.ingress.kubernetes.io/';

/** Annotations netspec models (the rest are warned about by name). */
export const MODELLED_ANNOTATIONS = [
  'use-regex', 'rewrite-target', 'ssl-redirect', 'force-ssl-redirect', 'app-root', 'permanent-redirect',
  'permanent-redirect-code', 'temporal-redirect', 'canary', 'canary-by-header', 'canary-by-header-value',
  'canary-by-header-pattern', 'canary-by-cookie', 'canary-weight', 'canary-weight-total', 'backend-protocol',
  'x-forwarded-prefix', 'upstream-vhost',
] as const;

export const BACKEND_PROTOCOLS = ['HTTP', 'HTTPS', 'GRPC', 'GRPCS', 'AUTO_HTTP', 'FCGI'] as const;

export interface NginxAnnotations {
  useRegex: boolean;
  rewriteTarget?: string;
  sslRedirect: boolean;
  forceSslRedirect: boolean;
  appRoot?: string;
  permanentRedirect?: { url: string; code: number };
  temporalRedirect?: string;
  canary?: { header?: string; headerValue?: string; headerPattern?: string; cookie?: string; weight: number; weightTotal: number };
  backendProtocol: (typeof BACKEND_PROTOCOLS)[number];
  xForwardedPrefix?: string;
  upstreamVhost?: string;
}

export interface AnnotationNote { key: string; message: string }

function bool(v: string | undefined, dflt: boolean): boolean {
  return v === undefined ? dflt : v === 'true' ? true : v === 'false' ? false : dflt;
}

/** The annotations ingress-nginx reads from one Ingress, and what it ignores or does not model. */
export function parseAnnotations(ing: KObject): { a: NginxAnnotations; unmodelled: string[]; invalid: AnnotationNote[] } {
  const raw: Record<string, unknown> = ing.metadata?.annotations ?? {};
  const get = (k: string): string | undefined => (typeof raw[NGINX_PREFIX + k] === 'string' ? String(raw[NGINX_PREFIX + k]) : undefined);
  const invalid: AnnotationNote[] = [];
  const unmodelled = Object.keys(raw).filter((k) => k.startsWith(NGINX_PREFIX) && !(MODELLED_ANNOTATIONS as readonly string[]).includes(k.slice(NGINX_PREFIX.length))).sort();
  const int = (k: string, dflt: number, lo: number, hi: number): number => {
    const v = get(k);
    if (v === undefined) return dflt;
    const n = /^\d+$/.test(v.trim()) ? Number(v) : NaN;
    if (Number.isNaN(n) || n < lo || n > hi) { invalid.push({ key: NGINX_PREFIX + k, message: `"${v}" is not a number from ${lo} to ${hi}: ingress-nginx uses ${dflt}` }); return dflt; }
    return n;
  };
  const proto = (get('backend-protocol') ?? 'HTTP').toUpperCase();
  if (!(BACKEND_PROTOCOLS as readonly string[]).includes(proto)) invalid.push({ key: NGINX_PREFIX + 'backend-protocol', message: `"${get('backend-protocol')}" is not one of ${BACKEND_PROTOCOLS.join(', ')}: ingress-nginx uses HTTP` });
  const a: NginxAnnotations = {
    useRegex: bool(get('use-regex'), false),
    rewriteTarget: get('rewrite-target') || undefined,
    sslRedirect: bool(get('ssl-redirect'), true),
    forceSslRedirect: bool(get('force-ssl-redirect'), false),
    appRoot: get('app-root') || undefined,
    backendProtocol: ((BACKEND_PROTOCOLS as readonly string[]).includes(proto) ? proto : 'HTTP') as NginxAnnotations['backendProtocol'],
    xForwardedPrefix: get('x-forwarded-prefix') || undefined,
    upstreamVhost: get('upstream-vhost') || undefined,
  };
  const pr = get('permanent-redirect');
  // permanent-redirect-code outside 300-308 falls back to 301 (annotations/redirect)
  if (pr) a.permanentRedirect = { url: pr, code: int('permanent-redirect-code', 301, 300, 308) };
  if (get('temporal-redirect')) a.temporalRedirect = get('temporal-redirect');
  if (bool(get('canary'), false)) {
    const weightTotal = int('canary-weight-total', 100, 1, Number.MAX_SAFE_INTEGER);
    a.canary = {
      header: get('canary-by-header') || undefined, headerValue: get('canary-by-header-value') || undefined,
      headerPattern: get('canary-by-header-pattern') || undefined, cookie: get('canary-by-cookie') || undefined,
      weight: int('canary-weight', 0, 0, weightTotal), weightTotal,
    };
  }
  return { a, unmodelled, invalid };
}

const cache = new WeakMap<KObject, NginxAnnotations>();
export function annotationsOf(ing: KObject): NginxAnnotations {
  let a = cache.get(ing);
  if (!a) cache.set(ing, (a = parseAnnotations(ing).a));
  return a;
}

// ---- locations -----------------------------------------------------------------------------------

export interface Location<T> {
  /** the nginx location path */
  path: string;
  kind: 'exact' | 'prefix' | 'regex';
  rule: T;
}

/** The nginx locations for a host's path rules (oldest Ingress first), as ingress-nginx writes them. */
export function buildLocations<T extends { type: string; path: string; ing: KObject }>(rules: readonly T[]): { regex: boolean; locations: Location<T>[] } {
  const regex = rules.some((r) => { const a = annotationsOf(r.ing); return a.useRegex || !!a.rewriteTarget; });
  const out: Location<T>[] = [];
  const exact = new Set(rules.filter((r) => r.type === 'Exact').map((r) => r.path));
  for (const r of rules) {
    const a = annotationsOf(r.ing);
    const ownRegex = a.useRegex || (!!a.rewriteTarget && a.rewriteTarget !== r.path);
    if (r.type === 'Exact') out.push({ path: r.path, kind: 'exact', rule: r });
    else if (r.type === 'Prefix' && r.path !== '/' && !ownRegex) {
      out.push({ path: r.path.endsWith('/') ? r.path : r.path + '/', kind: 'prefix', rule: r });
      if (!r.path.endsWith('/') && !exact.has(r.path)) out.push({ path: r.path, kind: 'exact', rule: r });
    } else out.push({ path: r.path || '/', kind: 'prefix', rule: r });
  }
  if (!regex) return { regex, locations: out };
  const re = out.map((l) => ({ ...l, kind: 'regex' as const }));
  // controller.go: sort by path (reverse lexical), then stably by length, longest first
  re.sort((x, y) => (x.path === y.path ? 0 : x.path > y.path ? -1 : 1));
  re.sort((x, y) => y.path.length - x.path.length);
  return { regex, locations: re };
}

const reCache = new Map<string, RegExp | null>();
/** A PCRE-style pattern as JavaScript understands it (null when it does not compile). */
export function compileRegex(source: string, flags = 'i'): RegExp | null {
  const key = flags + '\u0000' + source;
  if (!reCache.has(key)) {
    let re: RegExp | null = null;
    try { re = new RegExp(source, flags); } catch { re = null; }
    reCache.set(key, re);
  }
  return reCache.get(key)!;
}

export type LocationMatch<T> =
  | { kind: 'match'; location: Location<T> }
  | { kind: 'slash-redirect'; location: Location<T> }
  | { kind: 'none' };

/** Which location nginx picks for a normalised URI. */
export function matchLocation<T>(locs: { regex: boolean; locations: readonly Location<T>[] }, uri: string): LocationMatch<T> {
  if (locs.regex) {
    for (const l of locs.locations) if (compileRegex('^' + l.path)?.test(uri)) return { kind: 'match', location: l };
    return { kind: 'none' };
  }
  const ex = locs.locations.find((l) => l.kind === 'exact' && l.path === uri);
  if (ex) return { kind: 'match', location: ex };
  // nginx: a prefix location ending in "/" answers its path without the slash with a 301
  const slash = locs.locations.find((l) => l.kind === 'prefix' && l.path.length > 1 && l.path.endsWith('/') && l.path === uri + '/');
  if (slash) return { kind: 'slash-redirect', location: slash };
  let best: Location<T> | null = null;
  for (const l of locs.locations) if (l.kind === 'prefix' && uri.startsWith(l.path) && (!best || l.path.length > best.path.length)) best = l;
  return best ? { kind: 'match', location: best } : { kind: 'none' };
}

/** nginx's URI normalisation ($uri): percent-decoding, merged slashes, "." and ".." resolved. */
export function normaliseUri(rawPath: string): string {
  let p: string;
  try { p = decodeURIComponent(rawPath); } catch { p = rawPath; }
  const out: string[] = [];
  const segs = p.replace(/\/+/g, '/').split('/');
  for (let i = 1; i < segs.length; i++) {
    const s = segs[i];
    if (s === '.') { if (i === segs.length - 1) out.push(''); continue; }
    if (s === '..') { out.pop(); if (i === segs.length - 1) out.push(''); continue; }
    out.push(s);
  }
  return '/' + out.join('/');
}

/** nginx `rewrite "(?i)PATH" TARGET break;`: the new URI (with the query string unless TARGET has "?"). */
export function rewrite(path: string, target: string, uri: string, query: string): { uri: string; matched: boolean } {
  const re = compileRegex(path, 'i');
  const m = re ? re.exec(uri) : null;
  if (!m) return { uri: uri + (query ? '?' + query : ''), matched: false };
  const out = target.replace(/\$(\d)|\$\{(\w+)\}|\$([A-Za-z_]\w*)/g, (all, d, braced, named) => {
    if (d !== undefined) return m[Number(d)] ?? '';
    const n = braced ?? named;
    return m.groups?.[n] ?? all;
  });
  return { uri: out.includes('?') ? out : out + (query ? '?' + query : ''), matched: true };
}

// ---- canary ----------------------------------------------------------------------------------------

export interface CanaryDecision { canary: boolean; by: 'header' | 'cookie' | 'weight' | 'none'; detail: string }

function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** ingress-nginx's balancer: canary-by-header, then canary-by-cookie, then canary-weight. */
export function decideCanary(c: NonNullable<NginxAnnotations['canary']>, headers: ReadonlyMap<string, string>): CanaryDecision {
  if (c.header) {
    const v = headers.get(c.header.toLowerCase());
    if (v !== undefined) {
      if (c.headerValue) {
        if (v === c.headerValue) return { canary: true, by: 'header', detail: `header ${c.header}: ${v} equals canary-by-header-value` };
      } else if (c.headerPattern) {
        if (compileRegex(c.headerPattern, '')?.test(v)) return { canary: true, by: 'header', detail: `header ${c.header}: ${v} matches canary-by-header-pattern ${c.headerPattern}` };
      } else if (v === 'always') return { canary: true, by: 'header', detail: `header ${c.header}: always` };
      else if (v === 'never') return { canary: false, by: 'header', detail: `header ${c.header}: never` };
    }
  }
  if (c.cookie) {
    const v = cookieValue(headers.get('cookie'), c.cookie);
    if (v === 'always') return { canary: true, by: 'cookie', detail: `cookie ${c.cookie}=always` };
    if (v === 'never') return { canary: false, by: 'cookie', detail: `cookie ${c.cookie}=never` };
  }
  if (c.weight >= c.weightTotal) return { canary: true, by: 'weight', detail: `canary-weight ${c.weight} of ${c.weightTotal}: every request` };
  if (c.weight <= 0) return { canary: false, by: 'none', detail: 'no canary header or cookie decides and canary-weight is 0' };
  return { canary: false, by: 'weight', detail: `canary-weight ${c.weight} of ${c.weightTotal}: ${((100 * c.weight) / c.weightTotal).toFixed(1).replace(/\.0$/, '')}% of such requests go to the canary, the rest (this answer) to the main backend` };
}
