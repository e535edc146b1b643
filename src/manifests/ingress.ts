// Ingress validation as the API server does it on create (k8s.io/kubernetes
// pkg/apis/networking/validation: ValidateIngressCreate, ValidateIngressSpec, validateIngressRules,
// validateHTTPIngressPath, validateIngressBackend, validateIngressTLS). Messages keep the API
// server's wording ("Invalid value: …: must be an absolute path") so a user recognises them.
import { isIP } from 'node:net';
import { dns1123Subdomain, portName } from './names';

export interface IngressProblem {
  path: (string | number)[];
  code: string;
  message: string;
  hint: string;
}

/** invalidPathSequences and invalidPathSuffixes of the API server (Exact and Prefix paths only). */
export const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'] as const;
export const INVALID_PATH_SUFFIXES = ['/..', '/.'] as const;
export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

const SUBDOMAIN_RE = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '" + SUBDOMAIN_RE + "')";
const WILDCARD_MSG = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\." + SUBDOMAIN_RE + "')";
const WILDCARD = new RegExp(`^\\*\\.${SUBDOMAIN_RE}$`);

function isObj(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const q = (v: unknown): string => JSON.stringify(v);

/** IsDNS1123Subdomain / IsWildcardDNS1123Subdomain messages for a host ("" when valid). */
export function hostProblems(host: string): string[] {
  const out: string[] = [];
  if (host.includes('*')) {
    if (host.length > 253) out.push('must be no more than 253 characters');
    if (!WILDCARD.test(host)) out.push(WILDCARD_MSG);
    return out;
  }
  if (dns1123Subdomain(host)) out.push(host.length > 253 ? 'must be no more than 253 characters' : SUBDOMAIN_MSG);
  return out;
}

/** What validateHTTPIngressPath says about a path of the given type. */
export function pathProblems(type: string, path: string): string[] {
  const out: string[] = [];
  if (type === 'ImplementationSpecific') {
    if (path.length > 0 && !path.startsWith('/')) out.push('must be an absolute path');
    return out;
  }
  if (!path.startsWith('/')) out.push('must be an absolute path');
  if (path.length > 0) {
    for (const s of INVALID_PATH_SEQUENCES) if (path.includes(s)) out.push(`must not contain '${s}'`);
    for (const s of INVALID_PATH_SUFFIXES) if (path.endsWith(s)) out.push(`cannot end with '${s}'`);
  }
  return out;
}

function backendProblems(b: unknown, at: (string | number)[], out: IngressProblem[]): void {
  if (!isObj(b)) return;
  const hasRes = b.resource !== undefined && b.resource !== null, hasSvc = b.service !== undefined && b.service !== null;
  const bad = (message: string, hint: string, path = at): void => { out.push({ path, code: 'NS-INGRESS-BACKEND', message, hint }); };
  if (hasRes && hasSvc) return bad('Invalid value: "": cannot set both resource and service backends', 'a backend is either service: {name, port} or resource: {apiGroup, kind, name}');
  if (!hasRes && !hasSvc) return bad('Invalid value: "": resource or service backend is required', 'e.g. backend: {service: {name: web, port: {number: 80}}}');
  if (!hasSvc || !isObj(b.service)) return;
  const port = isObj(b.service.port) ? b.service.port : {};
  const name = typeof port.name === 'string' ? port.name : '', num = typeof port.number === 'number' ? port.number : 0;
  if (name && num) bad('Invalid value: "": cannot set both port name & port number', 'keep port.number or port.name, not both');
  else if (name) {
    const why = portName(name);
    if (why) bad(`Invalid value: ${q(name)}: ${why}`, 'a port name is the name of one of the Service\'s ports (IANA_SVC_NAME)', [...at, 'service', 'port', 'name']);
  } else if (!num) bad('Required value: port name or number is required', 'give service.port.number or service.port.name');
}

/** Every problem the API server reports when this Ingress is created. */
export function ingressProblems(ing: { metadata?: any; spec?: any }): IngressProblem[] {
  const out: IngressProblem[] = [];
  const spec = ing.spec;
  const ann = isObj(ing.metadata?.annotations) ? ing.metadata.annotations : {};
  if (typeof ann[LEGACY_CLASS_ANNOTATION] === 'string' && isObj(spec) && typeof spec.ingressClassName === 'string' && ann[LEGACY_CLASS_ANNOTATION] !== spec.ingressClassName) {
    out.push({ path: ['metadata', 'annotations', LEGACY_CLASS_ANNOTATION], code: 'NS-INGRESS-CLASS',
      message: `Invalid value: ${q(ann[LEGACY_CLASS_ANNOTATION])}: must match \`ingressClassName\` when both are specified`,
      hint: `spec.ingressClassName is "${spec.ingressClassName}": remove the annotation (it is deprecated) or make it agree` });
  }
  if (!isObj(spec)) return out;
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  if (rules.length === 0 && !spec.defaultBackend) {
    out.push({ path: ['spec'], code: 'NS-INGRESS-SPEC', message: 'Invalid value: null: either `defaultBackend` or `rules` must be specified', hint: 'add rules (host and paths) or a spec.defaultBackend' });
  }
  if (spec.defaultBackend) backendProblems(spec.defaultBackend, ['spec', 'defaultBackend'], out);
  rules.forEach((r: unknown, i: number) => {
    if (!isObj(r)) return;
    if (typeof r.host === 'string' && r.host) {
      const hp = ['spec', 'rules', i, 'host'];
      if (isIP(r.host)) out.push({ path: hp, code: 'NS-INGRESS-HOST', message: `Invalid value: ${q(r.host)}: must be a DNS name, not an IP address`, hint: 'a rule host is a DNS name; to match any host leave host out' });
      for (const m of hostProblems(r.host)) out.push({ path: hp, code: 'NS-INGRESS-HOST', message: `Invalid value: ${q(r.host)}: ${m}`, hint: "write the host in lower case; a wildcard is '*.' followed by a DNS name, as the whole first label" });
    }
    if (!isObj(r.http)) return;
    const paths = Array.isArray(r.http.paths) ? r.http.paths : [];
    if (paths.length === 0) out.push({ path: ['spec', 'rules', i, 'http', 'paths'], code: 'NS-INGRESS-PATH', message: 'Required value', hint: 'an http rule needs at least one path' });
    paths.forEach((p: unknown, j: number) => {
      if (!isObj(p)) return;
      const at = ['spec', 'rules', i, 'http', 'paths', j];
      if (p.pathType === undefined || p.pathType === null) {
        out.push({ path: [...at, 'pathType'], code: 'NS-INGRESS-PATH', message: 'Required value: pathType must be specified', hint: 'pathType is Exact, Prefix or ImplementationSpecific' });
        return;
      }
      if (!PATH_TYPES.includes(p.pathType)) {
        out.push({ path: [...at, 'pathType'], code: 'NS-INGRESS-PATH', message: `Unsupported value: ${q(p.pathType)}: supported values: ${PATH_TYPES.map((t) => `"${t}"`).join(', ')}`, hint: 'pathType is Exact, Prefix or ImplementationSpecific (case matters)' });
      } else {
        const path = typeof p.path === 'string' ? p.path : '';
        for (const m of pathProblems(p.pathType, path)) {
          out.push({ path: [...at, 'path'], code: 'NS-INGRESS-PATH', message: `Invalid value: ${q(path)}: ${m}`, hint: 'an Exact or Prefix path starts with / and has no empty, . or .. segments and no encoded slash' });
        }
      }
      backendProblems(p.backend, [...at, 'backend'], out);
    });
  });
  (Array.isArray(spec.tls) ? spec.tls : []).forEach((t: unknown, i: number) => {
    if (!isObj(t)) return;
    (Array.isArray(t.hosts) ? t.hosts : []).forEach((h: unknown, j: number) => {
      if (typeof h !== 'string') return;
      for (const m of hostProblems(h)) out.push({ path: ['spec', 'tls', i, 'hosts', j], code: 'NS-INGRESS-HOST', message: `Invalid value: ${q(h)}: ${m}`, hint: "a TLS host is a DNS name, or '*.' followed by one" });
    });
  });
  return out;
}
