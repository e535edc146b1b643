// Istio's resources as istiod's validation webhook checks them (pkg/config/validation): enum
// values, required fields, ports, CIDRs; fields netspec reads but does not model are warned about
// by name (src/mesh models the rest). Not in kubernetes-models, so checked here by hand.
import { validCIDR, validIP } from './addr';

type Path = (string | number)[];

/** What a check reports to (validate.ts's Check, adapted). */
export interface IstioCheck {
  err(path: Path, code: string, message: string, hint: string): void;
  warn(path: Path, message: string): void;
}

function isObj(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function list(c: IstioCheck, v: unknown, path: Path): any[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) { c.err(path, 'NS-ISTIO-INVALID', 'must be a list', 'write a YAML list'); return []; }
  return v;
}

/** Known fields of an object: modelled ones pass, `ignored` ones are warned about, others are errors. */
function fields(c: IstioCheck, v: unknown, path: Path, modelled: readonly string[], ignored: readonly string[] = []): Record<string, any> {
  if (v === undefined || v === null) return {};
  if (!isObj(v)) { c.err(path, 'NS-ISTIO-INVALID', 'must be an object', 'write a YAML mapping'); return {}; }
  for (const k of Object.keys(v)) {
    if (modelled.includes(k)) continue;
    if (ignored.includes(k)) c.warn([...path, k], `${k} is not modelled by netspec; it is ignored`);
    else c.err([...path, k], 'NS-ISTIO-UNKNOWN-FIELD', `unknown field "${k}"`, `known here: ${[...modelled, ...ignored].join(', ')}`);
  }
  return v;
}

function oneOf(c: IstioCheck, v: unknown, path: Path, allowed: readonly string[]): void {
  if (v === undefined) return;
  if (typeof v !== 'string' || !allowed.includes(v)) c.err(path, 'NS-ISTIO-ENUM', `"${String(v)}" is not one of ${allowed.join(', ')}`, `Istio accepts ${allowed.join(' | ')}`);
}

function port(c: IstioCheck, v: unknown, path: Path, what = 'port'): void {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) {
    c.err(path, 'NS-ISTIO-PORT', `${what} ${JSON.stringify(v)} is not a port number`, 'a whole number from 1 to 65535');
  }
}

function strings(c: IstioCheck, v: unknown, path: Path): string[] {
  const out: string[] = [];
  list(c, v, path).forEach((s, i) => {
    if (typeof s !== 'string') c.err([...path, i], 'NS-ISTIO-INVALID', 'must be a string', 'quote the value');
    else out.push(s);
  });
  return out;
}

function selector(c: IstioCheck, v: unknown, path: Path): void {
  const s = fields(c, v, path, ['matchLabels']);
  if (s.matchLabels !== undefined && !isObj(s.matchLabels)) c.err([...path, 'matchLabels'], 'NS-ISTIO-INVALID', 'must be a map of labels', 'e.g. matchLabels: {app: cart}');
}

function cidrs(c: IstioCheck, v: unknown, path: Path): void {
  strings(c, v, path).forEach((s, i) => {
    if (!validIP(s) && !validCIDR(s)) c.err([...path, i], 'NS-ISTIO-CIDR', `"${s}" is not an IP address or CIDR`, 'e.g. 10.0.0.0/8 or 203.0.113.7');
  });
}

const MTLS_MODES = ['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT'];

function peerAuthentication(c: IstioCheck, spec: unknown): void {
  const s = fields(c, spec, ['spec'], ['selector', 'mtls', 'portLevelMtls']);
  selector(c, s.selector, ['spec', 'selector']);
  oneOf(c, fields(c, s.mtls, ['spec', 'mtls'], ['mode']).mode, ['spec', 'mtls', 'mode'], MTLS_MODES);
  if (s.portLevelMtls !== undefined) {
    const pl = fields(c, s.portLevelMtls, ['spec', 'portLevelMtls'], Object.keys(isObj(s.portLevelMtls) ? s.portLevelMtls : {}));
    // Istio: "portLevelMtls requires selector"
    if (!isObj(s.selector) || !isObj(s.selector.matchLabels) || Object.keys(s.selector.matchLabels).length === 0) {
      c.err(['spec', 'portLevelMtls'], 'NS-ISTIO-INVALID', 'portLevelMtls requires a workload selector', 'add spec.selector.matchLabels naming the workload whose ports these are');
    }
    for (const [k, v] of Object.entries(pl)) {
      port(c, k, ['spec', 'portLevelMtls', k], 'portLevelMtls key');
      oneOf(c, fields(c, v, ['spec', 'portLevelMtls', k], ['mode']).mode, ['spec', 'portLevelMtls', k, 'mode'], MTLS_MODES);
    }
  }
}

function authorizationPolicy(c: IstioCheck, spec: unknown): void {
  const s = fields(c, spec, ['spec'], ['selector', 'action', 'rules', 'provider'], ['targetRef', 'targetRefs']);
  selector(c, s.selector, ['spec', 'selector']);
  oneOf(c, s.action, ['spec', 'action'], ['ALLOW', 'DENY', 'AUDIT', 'CUSTOM']);
  if (s.provider !== undefined && s.action !== 'CUSTOM') c.err(['spec', 'provider'], 'NS-ISTIO-INVALID', 'provider is only allowed with action CUSTOM', 'set action: CUSTOM or remove provider');
  if (s.action === 'CUSTOM' && s.provider === undefined) c.err(['spec', 'action'], 'NS-ISTIO-INVALID', 'action CUSTOM needs a provider', 'name an extensionProvider of the mesh config');
  list(c, s.rules, ['spec', 'rules']).forEach((r, ri) => {
    const rp = ['spec', 'rules', ri];
    const rule = fields(c, r, rp, ['from', 'to', 'when']);
    list(c, rule.from, [...rp, 'from']).forEach((f, fi) => {
      const src = fields(c, fields(c, f, [...rp, 'from', fi], ['source']).source, [...rp, 'from', fi, 'source'],
        ['principals', 'notPrincipals', 'namespaces', 'notNamespaces', 'ipBlocks', 'notIpBlocks'],
        ['requestPrincipals', 'notRequestPrincipals', 'remoteIpBlocks', 'notRemoteIpBlocks', 'serviceAccounts', 'notServiceAccounts']);
      for (const k of ['principals', 'notPrincipals', 'namespaces', 'notNamespaces']) strings(c, src[k], [...rp, 'from', fi, 'source', k]);
      for (const k of ['ipBlocks', 'notIpBlocks']) cidrs(c, src[k], [...rp, 'from', fi, 'source', k]);
    });
    list(c, rule.to, [...rp, 'to']).forEach((t, ti) => {
      const op = fields(c, fields(c, t, [...rp, 'to', ti], ['operation']).operation, [...rp, 'to', ti, 'operation'],
        ['ports', 'notPorts', 'methods', 'notMethods', 'paths', 'notPaths', 'hosts', 'notHosts']);
      for (const k of ['ports', 'notPorts']) strings(c, op[k], [...rp, 'to', ti, 'operation', k]).forEach((p, i) => port(c, p, [...rp, 'to', ti, 'operation', k, i]));
      for (const k of ['methods', 'notMethods', 'paths', 'notPaths', 'hosts', 'notHosts']) strings(c, op[k], [...rp, 'to', ti, 'operation', k]);
    });
    if (rule.when !== undefined) c.warn([...rp, 'when'], 'when conditions are not modelled by netspec; a rule with them is treated as never matching');
  });
}

function stringMatch(c: IstioCheck, v: unknown, path: Path): void {
  fields(c, v, path, ['exact', 'prefix', 'regex']);
}

function destination(c: IstioCheck, v: unknown, path: Path): void {
  const d = fields(c, v, path, ['host', 'subset', 'port']);
  if (typeof d.host !== 'string' || !d.host) c.err([...path, 'host'], 'NS-ISTIO-MISSING', 'destination.host is required', 'a Service name (cart, cart.shop.svc.cluster.local) or a ServiceEntry host');
  if (d.port !== undefined) port(c, fields(c, d.port, [...path, 'port'], ['number']).number, [...path, 'port', 'number']);
}

const HTTP_IGNORED = ['redirect', 'rewrite', 'timeout', 'retries', 'fault', 'mirror', 'mirrors', 'mirrorPercentage', 'corsPolicy', 'headers', 'delegate', 'directResponse'];

function virtualService(c: IstioCheck, spec: unknown): void {
  const s = fields(c, spec, ['spec'], ['hosts', 'http', 'tcp', 'exportTo', 'gateways'], ['tls']);
  const hosts = strings(c, s.hosts, ['spec', 'hosts']);
  if (hosts.length === 0) c.err(['spec', 'hosts'], 'NS-ISTIO-MISSING', 'a VirtualService needs at least one host', 'e.g. hosts: [reviews]');
  if (s.gateways !== undefined && strings(c, s.gateways, ['spec', 'gateways']).some((g) => g !== 'mesh')) {
    c.warn(['spec', 'gateways'], 'gateways other than "mesh" (Istio ingress/egress gateways) are not modelled by netspec; only the sidecars\' routes are');
  }
  const routes = (rs: unknown, rp: Path) => list(c, rs, rp).forEach((r, i) => {
    const rt = fields(c, r, [...rp, i], ['destination', 'weight'], ['headers']);
    destination(c, rt.destination, [...rp, i, 'destination']);
    if (rt.weight !== undefined && (typeof rt.weight !== 'number' || !Number.isInteger(rt.weight) || rt.weight < 0)) {
      c.err([...rp, i, 'weight'], 'NS-ISTIO-INVALID', `weight ${JSON.stringify(rt.weight)} is not a non-negative whole number`, 'e.g. weight: 90');
    }
  });
  list(c, s.http, ['spec', 'http']).forEach((h, hi) => {
    const hp = ['spec', 'http', hi];
    const http = fields(c, h, hp, ['name', 'match', 'route'], HTTP_IGNORED);
    list(c, http.match, [...hp, 'match']).forEach((m, mi) => {
      const mp = [...hp, 'match', mi];
      const mt = fields(c, m, mp, ['name', 'uri', 'method', 'headers', 'port', 'sourceLabels', 'sourceNamespace'], ['scheme', 'authority', 'queryParams', 'ignoreUriCase', 'withoutHeaders', 'gateways', 'statPrefix']);
      if (mt.uri !== undefined) stringMatch(c, mt.uri, [...mp, 'uri']);
      if (mt.method !== undefined) stringMatch(c, mt.method, [...mp, 'method']);
      if (mt.port !== undefined) port(c, mt.port, [...mp, 'port']);
      for (const [k, v] of Object.entries(isObj(mt.headers) ? mt.headers : {})) stringMatch(c, v, [...mp, 'headers', k]);
    });
    if (http.route === undefined && http.redirect === undefined && http.directResponse === undefined && http.delegate === undefined) {
      c.err(hp, 'NS-ISTIO-MISSING', 'an HTTP route needs route, redirect or directResponse', 'add route: [{destination: {host: …}}]');
    }
    routes(http.route, [...hp, 'route']);
  });
  list(c, s.tcp, ['spec', 'tcp']).forEach((t, ti) => {
    const tp = ['spec', 'tcp', ti];
    const tcp = fields(c, t, tp, ['match', 'route']);
    list(c, tcp.match, [...tp, 'match']).forEach((m, mi) => {
      const mt = fields(c, m, [...tp, 'match', mi], ['port', 'destinationSubnets', 'sourceLabels', 'sourceNamespace'], ['gateways']);
      if (mt.port !== undefined) port(c, mt.port, [...tp, 'match', mi, 'port']);
      cidrs(c, mt.destinationSubnets, [...tp, 'match', mi, 'destinationSubnets']);
    });
    routes(tcp.route, [...tp, 'route']);
  });
}

const TP_IGNORED = ['loadBalancer', 'connectionPool', 'outlierDetection', 'portLevelSettings', 'tunnel', 'proxyProtocol', 'retryBudget'];
const TLS_MODES = ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'];

function trafficPolicy(c: IstioCheck, v: unknown, path: Path): void {
  const tp = fields(c, v, path, ['tls'], TP_IGNORED);
  if (tp.tls !== undefined) {
    const tls = fields(c, tp.tls, [...path, 'tls'], ['mode'], ['clientCertificate', 'privateKey', 'caCertificates', 'credentialName', 'subjectAltNames', 'sni', 'insecureSkipVerify']);
    oneOf(c, tls.mode, [...path, 'tls', 'mode'], TLS_MODES);
  }
}

function destinationRule(c: IstioCheck, spec: unknown): void {
  const s = fields(c, spec, ['spec'], ['host', 'subsets', 'trafficPolicy', 'exportTo'], ['workloadSelector']);
  if (typeof s.host !== 'string' || !s.host) c.err(['spec', 'host'], 'NS-ISTIO-MISSING', 'host is required', 'the Service the rule is about, e.g. reviews');
  trafficPolicy(c, s.trafficPolicy, ['spec', 'trafficPolicy']);
  const names = new Set<string>();
  list(c, s.subsets, ['spec', 'subsets']).forEach((sub, i) => {
    const sp = ['spec', 'subsets', i];
    const ss = fields(c, sub, sp, ['name', 'labels', 'trafficPolicy']);
    if (typeof ss.name !== 'string' || !ss.name) c.err([...sp, 'name'], 'NS-ISTIO-MISSING', 'a subset needs a name', 'e.g. name: v1');
    else if (names.has(ss.name)) c.err([...sp, 'name'], 'NS-ISTIO-DUPLICATE', `subset ${ss.name} is defined twice`, 'subset names are unique in a DestinationRule');
    else names.add(ss.name);
    if (ss.labels !== undefined && !isObj(ss.labels)) c.err([...sp, 'labels'], 'NS-ISTIO-INVALID', 'must be a map of labels', 'e.g. labels: {version: v1}');
    trafficPolicy(c, ss.trafficPolicy, [...sp, 'trafficPolicy']);
  });
}

function serviceEntry(c: IstioCheck, spec: unknown): void {
  const s = fields(c, spec, ['spec'], ['hosts', 'addresses', 'ports', 'location', 'resolution', 'exportTo'], ['endpoints', 'workloadSelector', 'subjectAltNames']);
  if (strings(c, s.hosts, ['spec', 'hosts']).length === 0) c.err(['spec', 'hosts'], 'NS-ISTIO-MISSING', 'a ServiceEntry needs at least one host', 'e.g. hosts: [api.example.com]');
  cidrs(c, s.addresses, ['spec', 'addresses']);
  oneOf(c, s.location, ['spec', 'location'], ['MESH_EXTERNAL', 'MESH_INTERNAL']);
  oneOf(c, s.resolution, ['spec', 'resolution'], ['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN', 'DYNAMIC_DNS']);
  list(c, s.ports, ['spec', 'ports']).forEach((p, i) => {
    const pp = fields(c, p, ['spec', 'ports', i], ['number', 'protocol', 'name', 'targetPort']);
    port(c, pp.number, ['spec', 'ports', i, 'number']);
    oneOf(c, pp.protocol, ['spec', 'ports', i, 'protocol'], ['HTTP', 'HTTPS', 'GRPC', 'HTTP2', 'MONGO', 'TCP', 'TLS']);
  });
}

/** Validates one Istio object's spec. */
export const ISTIO_CHECKS: Record<string, (c: IstioCheck, spec: unknown) => void> = {
  PeerAuthentication: peerAuthentication,
  AuthorizationPolicy: authorizationPolicy,
  VirtualService: virtualService,
  DestinationRule: destinationRule,
  ServiceEntry: serviceEntry,
};
