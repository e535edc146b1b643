// The outbound sidecar's routing, as istiod builds Envoy's outbound config (pilot/pkg/networking):
// - a Service's ClusterIP:port is a listener/route for host NAME.NS.svc.DOMAIN; the VirtualService
//   naming that host (short names are the rule's own namespace's Services; exportTo "." hides a
//   rule from other namespaces; the first rule for a host wins) routes it: HTTP routes for HTTP
//   ports (port name http*, grpc*, http2* or appProtocol), TCP routes otherwise; the first route
//   whose match (uri exact/prefix/regex, method, headers, port, sourceLabels, sourceNamespace)
//   holds; a weighted choice among its destinations; no route matching an HTTP request is a 404.
// - DestinationRule subsets pick endpoints by labels (a subset no rule defines: 503, no cluster);
//   trafficPolicy.tls.mode overrides automatic mTLS.
// - The cluster is outbound|PORT|SUBSET|HOST; Envoy picks a ready endpoint itself
//   (LEAST_REQUEST by default: with no load, a random choice among equals) and connects to the
//   pod IP and target port: kube-proxy's DNAT does not route a meshed connection.
// - ServiceEntry hosts/addresses are in the registry; anything else is PassthroughCluster under
//   outboundTrafficPolicy ALLOW_ANY and BlackHoleCluster under REGISTRY_ONLY.
import type { RPod, RService, RServicePort } from '../model/realised';
import type { KObject } from '../model/types';
import { cidrContains, parseCIDR } from '../net/ip';
import type { Decider } from '../net/trace';
import { decider, fqdn, selects, serviceHost, type MeshIndex } from './config';

export interface HttpRequest {
  method?: string;
  path?: string;
  host?: string;
  headers?: Record<string, string>;
}

export interface RouteHop {
  at: string;
  action: 'match' | 'forward' | 'reject' | 'note';
  detail: string;
  source?: Decider;
}

export type RouteResult =
  | { kind: 'service'; service: RService; port: RServicePort; subset?: string; subsetLabels?: Record<string, string>; cluster: string; tls?: string; tlsSource?: Decider; hops: RouteHop[]; route?: string }
  | { kind: 'entry'; entry: KObject; host: string; hops: RouteHop[] }
  | { kind: 'passthrough'; hops: RouteHop[] }
  | { kind: 'blocked'; status?: number; hops: RouteHop[] };

function visible(o: KObject, fromNs: string): boolean {
  const ex = o.spec?.exportTo;
  if (!Array.isArray(ex) || ex.length === 0 || ex.includes('*')) return true;
  return ex.includes('.') ? o.metadata.namespace === fromNs || ex.includes(fromNs) : ex.includes(fromNs);
}

export function isHttpPort(p: RServicePort): boolean {
  const proto = (p.appProtocol ?? p.name.split('-')[0]).toLowerCase();
  return proto === 'http' || proto === 'http2' || proto === 'grpc' || proto === 'grpc-web' || proto === 'kubernetes.io/h2c';
}

function strMatch(m: any, v: string | undefined): boolean {
  if (!m || typeof m !== 'object') return true;
  if (v === undefined) return false;
  if (typeof m.exact === 'string') return v === m.exact;
  if (typeof m.prefix === 'string') return v.startsWith(m.prefix);
  if (typeof m.regex === 'string') { try { return new RegExp(`^(?:${m.regex})$`).test(v); } catch { return false; } }
  return true;
}

/** Why a match block does not hold (undefined: it holds). */
function matchFails(mt: any, port: number, src: RPod, req: HttpRequest | undefined, http: boolean): string | undefined {
  if (mt.port !== undefined && Number(mt.port) !== port) return `port ${mt.port} ≠ ${port}`;
  if (mt.sourceLabels && !selects(mt.sourceLabels, src.labels)) return 'sourceLabels do not match the client';
  if (mt.sourceNamespace !== undefined && mt.sourceNamespace !== src.ns) return `sourceNamespace ${mt.sourceNamespace} ≠ ${src.ns}`;
  if (!http) return undefined;
  const needsReq = mt.uri || mt.method || mt.headers;
  if (needsReq && !req) return 'it matches on the request (uri, method or headers) and this connection carries none';
  if (mt.uri && !strMatch(mt.uri, req!.path ?? '/')) return `uri does not match ${req!.path ?? '/'}`;
  if (mt.method && !strMatch(mt.method, req!.method ?? 'GET')) return `method does not match ${req!.method ?? 'GET'}`;
  for (const [k, v] of Object.entries(mt.headers ?? {})) if (!strMatch(v, req!.headers?.[k.toLowerCase()] ?? req!.headers?.[k])) return `header ${k} does not match`;
  return undefined;
}

function pickWeighted(dests: any[], random: () => number): { d: any; i: number; weight: number; total: number } {
  const weights = dests.map((d) => (typeof d.weight === 'number' ? d.weight : dests.length === 1 ? 100 : 0));
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0) return { d: dests[0], i: 0, weight: 0, total: 0 };
  let x = random() * total;
  for (let i = 0; i < dests.length; i++) {
    if (x < weights[i]) return { d: dests[i], i, weight: weights[i], total };
    x -= weights[i];
  }
  return { d: dests[dests.length - 1], i: dests.length - 1, weight: weights[dests.length - 1], total };
}

function serviceForHost(m: MeshIndex, host: string): RService | undefined {
  const d = `.svc.${m.r.config.dnsDomain}`;
  if (!host.endsWith(d)) return undefined;
  const [name, ns] = host.slice(0, -d.length).split('.');
  return ns ? m.r.serviceByKey.get(`${ns}/${name}`) : undefined;
}

function firstVisible(list: KObject[] | undefined, ns: string): KObject | undefined {
  return list?.find((o) => visible(o, ns));
}

/** Routes a connection Envoy's outbound listener took for a Service's ClusterIP:port. */
export function routeService(m: MeshIndex, src: RPod, svc: RService, sp: RServicePort, req: HttpRequest | undefined, random: () => number): RouteResult {
  const at = `pod/${src.key}/container/istio-proxy`;
  const domain = m.r.config.dnsDomain;
  const host = serviceHost(svc, domain);
  const hops: RouteHop[] = [];
  const http = !!req || isHttpPort(sp);
  let destHost = host, destPort: number | undefined, subset: string | undefined, routeName: string | undefined;
  const vs = firstVisible(m.vsByHost.get(host), src.ns);
  if (vs) {
    const list: any[] = (http ? vs.spec?.http : vs.spec?.tcp) ?? [];
    const kind = http ? 'http' : 'tcp';
    let chosen = -1;
    const misses: string[] = [];
    for (let i = 0; i < list.length && chosen < 0; i++) {
      const matches: any[] = Array.isArray(list[i]?.match) && list[i].match.length ? list[i].match : [{}];
      const why = matches.map((mt) => matchFails(mt ?? {}, sp.port, src, req, http));
      if (why.some((w) => w === undefined)) chosen = i;
      else misses.push(`${kind}[${i}]: ${why.join('; ')}`);
    }
    if (chosen < 0 && list.length) {
      hops.push({ at, action: 'reject', detail: `VirtualService ${vs.metadata.namespace}/${vs.metadata.name} has ${kind} routes for ${host} and none matches (${misses.join(' | ')})${http ? ': Envoy answers 404 (NR, no route)' : ': Envoy closes the connection'}`, source: decider(vs, ['spec', kind]) });
      return { kind: 'blocked', status: http ? 404 : undefined, hops };
    }
    if (chosen >= 0) {
      const route = list[chosen];
      const dests: any[] = Array.isArray(route.route) ? route.route : [];
      if (dests.length) {
        const pick = pickWeighted(dests, random);
        const d = pick.d.destination ?? {};
        destHost = fqdn(String(d.host), vs.metadata.namespace ?? 'default', domain);
        subset = typeof d.subset === 'string' ? d.subset : undefined;
        destPort = typeof d.port?.number === 'number' ? d.port.number : undefined;
        routeName = `${vs.metadata.namespace}/${vs.metadata.name} ${kind}[${chosen}]${route.name ? ` (${route.name})` : ''}`;
        const share = dests.length > 1 ? `, destination ${pick.i} of ${dests.length} chosen by weight ${pick.weight}/${pick.total}` : '';
        hops.push({ at, action: 'match', detail: `VirtualService ${routeName} routes ${host}:${sp.port} to ${destHost}${subset ? ` subset ${subset}` : ''}${share}`, source: decider(vs, ['spec', kind, chosen, 'route', pick.i]) });
      }
    }
  }
  let service = destHost === host ? svc : serviceForHost(m, destHost);
  let port = sp;
  if (!service) {
    hops.push({ at, action: 'reject', detail: `route destination ${destHost} is not a Service in the registry: Envoy has no cluster for it${http ? ': 503 (NC)' : ''}` });
    return { kind: 'blocked', status: http ? 503 : undefined, hops };
  }
  if (service !== svc || destPort !== undefined) {
    const want = destPort ?? sp.port;
    const p = service.ports.find((x) => x.port === want) ?? (service.ports.length === 1 && destPort === undefined ? service.ports[0] : undefined);
    if (!p) {
      hops.push({ at, action: 'reject', detail: `route destination ${destHost} has no port ${want}${http ? ': 503 (NC)' : ''}` });
      return { kind: 'blocked', status: http ? 503 : undefined, hops };
    }
    port = p;
  }
  const dr = firstVisible(m.drByHost.get(destHost), src.ns);
  let subsetLabels: Record<string, string> | undefined;
  let tls: string | undefined, tlsSource: Decider | undefined;
  if (dr?.spec?.trafficPolicy?.tls?.mode) { tls = dr.spec.trafficPolicy.tls.mode; tlsSource = decider(dr, ['spec', 'trafficPolicy', 'tls', 'mode']); }
  if (subset) {
    const subs: any[] = dr?.spec?.subsets ?? [];
    const si = subs.findIndex((s) => s?.name === subset);
    if (si < 0) {
      hops.push({ at, action: 'reject', detail: `subset ${subset} of ${destHost} is not defined by ${dr ? `DestinationRule ${dr.metadata.namespace}/${dr.metadata.name}` : 'any DestinationRule'}: Envoy has no cluster outbound|${port.port}|${subset}|${destHost}${http ? ': 503 (NC)' : ''}`, source: dr ? decider(dr, ['spec', 'subsets']) : undefined });
      return { kind: 'blocked', status: http ? 503 : undefined, hops };
    }
    subsetLabels = subs[si].labels ?? {};
    if (subs[si].trafficPolicy?.tls?.mode) { tls = subs[si].trafficPolicy.tls.mode; tlsSource = decider(dr!, ['spec', 'subsets', si, 'trafficPolicy', 'tls', 'mode']); }
    hops.push({ at, action: 'match', detail: `DestinationRule ${dr!.metadata.namespace}/${dr!.metadata.name} subset ${subset} selects endpoints labelled ${Object.entries(subsetLabels!).map(([k, v]) => `${k}=${v}`).join(',') || '(any)'}`, source: decider(dr!, ['spec', 'subsets', si]) });
  }
  service = service!;
  return { kind: 'service', service, port, subset, subsetLabels, cluster: `outbound|${port.port}|${subset ?? ''}|${serviceHost(service, domain)}`, tls, tlsSource, hops, route: routeName };
}

/** A ServiceEntry that puts ip:port (or the host name the app asked for) in the registry. */
export function serviceEntryFor(m: MeshIndex, src: RPod, ip: string, port: number, name: string | undefined): { entry: KObject; host: string } | undefined {
  for (const se of m.serviceEntries) {
    if (!visible(se, src.ns)) continue;
    const ports: any[] = se.spec?.ports ?? [];
    if (ports.length && !ports.some((p) => p?.number === port)) continue;
    const hosts: string[] = se.spec?.hosts ?? [];
    if (name) {
      const h = hosts.find((x) => x === name || (x.startsWith('*.') && name.endsWith(x.slice(1))));
      if (h) return { entry: se, host: h };
    }
    for (const a of se.spec?.addresses ?? []) {
      try {
        if (cidrContains(parseCIDR(String(a).includes('/') ? String(a) : `${a}/${String(a).includes(':') ? 128 : 32}`), ip)) return { entry: se, host: hosts[0] };
      } catch { /* validated at load */ }
    }
  }
  return undefined;
}
