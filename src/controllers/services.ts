// Services as the API server stores them: validation and defaulting (ports' protocol and
// targetPort, type, sessionAffinity, traffic policies, IP families), the ClusterIP allocator and the
// NodePort allocator, and LoadBalancer addresses (status.loadBalancer.ingress as given, else the
// next free address of the configured pool, as MetalLB would hand it out).
//
// The real allocators pick at random. KEP-3070 (ClusterIPs) and KEP-3668 (NodePorts) split each
// range in two bands: dynamic allocation prefers the upper band and only falls back to the lower
// one, which is left for static (explicit) choices. netspec keeps exactly that split but walks each
// band in order instead of at random, so the same input always gets the same addresses.
import type { ClusterConfig } from '../model/config';
import type { Diagnostics } from '../model/errors';
import type { RService, RServicePort, ServiceType } from '../model/realised';
import { compileMapSelector } from '../model/selector';
import { ref, type KObject } from '../model/types';
import { bigIntToIP, canonicalIP, cidrContains, intToIpv4, ipFamily, isCIDR, isIP, ipToBigInt, parseCIDR, type Cidr, type Family } from '../net/ip';
import { isProtocol, type Protocol } from '../net/packet';
import { fmtPos } from './nodes';
import { at, copyOf, keepOrigin, makeUid } from './util';

/** KEP-3070: min(max(16, size/16), 256) addresses at the bottom of a service range form the static band. */
export function clusterIPBandOffset(c: Cidr): number {
  const size = c.size;
  if (size < 16n) return 0;
  const o = size / 16n;
  return o < 16n ? 16 : o > 256n ? 256 : Number(o);
}

/** KEP-3668: min(max(16, size/32), 128) ports at the bottom of the NodePort range form the static band. */
export function nodePortBandOffset(lo: number, hi: number): number {
  const size = hi - lo + 1;
  if (size < 16) return 0;
  return Math.min(Math.max(16, Math.floor(size / 32)), 128);
}

/** One service range: offsets 0..max-1 are base+1 … (network address and, for IPv4, broadcast excluded). */
class IPRange {
  readonly max: number;
  readonly offset: number;
  private upper: number;
  private lower = 0;
  /** the first usable address (base + 1) as a number, for IPv4 */
  private readonly first4: number;
  constructor(readonly cidr: Cidr) {
    const size = cidr.size > 1n << 52n ? 1n << 52n : cidr.size;
    this.max = Number(size) - (cidr.family === 4 ? 2 : 1);
    this.offset = Math.min(clusterIPBandOffset(cidr), Math.max(this.max, 0));
    this.upper = this.offset;
    this.first4 = cidr.family === 4 ? Number(cidr.base) + 1 : 0;
  }
  ip(off: number): string { return this.cidr.family === 4 ? intToIpv4(this.first4 + off) : bigIntToIP(this.cidr.base + 1n + BigInt(off), this.cidr.family); }
  contains(ip: string): boolean {
    if (!cidrContains(this.cidr, ip)) return false;
    const off = ipToBigInt(ip) - this.cidr.base - 1n;
    return off >= 0n && off < BigInt(this.max);
  }
  /** next free address: the upper (dynamic) band first, then the lower (static) band */
  next(taken: Set<string>): string | null {
    while (this.upper < this.max) { const ip = this.ip(this.upper++); if (!taken.has(ip)) return ip; }
    while (this.lower < this.offset) { const ip = this.ip(this.lower++); if (!taken.has(ip)) return ip; }
    return null;
  }
}

class PortRange {
  private upper: number;
  private lower: number;
  readonly offset: number;
  constructor(readonly lo: number, readonly hi: number) {
    this.offset = nodePortBandOffset(lo, hi);
    this.upper = lo + this.offset;
    this.lower = lo;
  }
  next(taken: Map<number, unknown>): number | null {
    while (this.upper <= this.hi) { const p = this.upper++; if (!taken.has(p)) return p; }
    while (this.lower < this.lo + this.offset) { const p = this.lower++; if (!taken.has(p)) return p; }
    return null;
  }
}

const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;
const TYPES: readonly string[] = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

interface Pending {
  src: KObject;
  obj: KObject;
  spec: any;
  type: ServiceType;
  headless: boolean;
  families: Family[];
  clusterIPs: string[];
  ok: boolean;
  builtin: boolean;
}

/** The `kubernetes` Service the API server keeps in `default`. */
export function kubernetesService(ip: string | null): KObject {
  const spec: any = { ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: APISERVER_PORT }], type: 'ClusterIP', sessionAffinity: 'None' };
  if (ip) spec.clusterIP = ip;
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec,
  };
}

/** The port kubeadm's kube-apiserver listens on (localAPIEndpoint.bindPort, --secure-port). */
export const APISERVER_PORT = 6443;

/**
 * A user's manifest of default/kubernetes is an update of the Service the API server created
 * itself (pkg/controlplane/controller/kubernetesservice, CreateOrUpdateMasterServiceIfNeeded):
 * - spec.clusterIP is immutable: the Service holds the first address of the primary service range
 *   for good; another address is the API server's "spec.clusterIPs[0]: Invalid value: …: may not
 *   change once set" (NS-SVC-IMMUTABLE, located at the field).
 * - getMasterServiceUpdateIfNeeded resets spec.ports and spec.type on every reconcile unless they
 *   are exactly [{name: https, protocol: TCP, port: 443, targetPort: <--secure-port>}] and
 *   ClusterIP (warned NS-KUBERNETES-SERVICE-RESET). One such https port keeps its targetPort: it
 *   names the API server's secure port, which netspec otherwise assumes is kubeadm's 6443.
 * - the endpoints are the API servers' own (the endpoint reconciler), never pods a selector picks:
 *   a selector is warned about and not followed.
 * Returns the Service as the API server keeps it, or null when the update is rejected.
 */
export function reconcileKubernetesService(user: KObject, config: ClusterConfig, diag: Diagnostics): KObject | null {
  const first = apiserverServiceIP(config);
  const spec: any = user.spec && typeof user.spec === 'object' ? user.spec : {};
  const range = config.serviceSubnets[0];
  const given: unknown[] = Array.isArray(spec.clusterIPs) && spec.clusterIPs.length ? spec.clusterIPs : spec.clusterIP !== undefined && spec.clusterIP !== '' ? [spec.clusterIP] : [];
  const path = Array.isArray(spec.clusterIPs) && spec.clusterIPs.length ? ['spec', 'clusterIPs', 0] : ['spec', 'clusterIP'];
  if (first && given.length && (typeof given[0] !== 'string' || !isIP(given[0]) || canonicalIP(given[0]) !== first)) {
    diag.error('NS-SVC-IMMUTABLE', `Service default/kubernetes: ${path.join('.').replace('.0', '[0]')}: Invalid value: ["${String(given[0])}"]: may not change once set (the API server created this Service at ${first}, the first address of the primary service range ${range})`,
      at(user, ...path), `leave spec.clusterIP out of this manifest, or write ${first}`);
    return null;
  }
  const ports: any[] = Array.isArray(spec.ports) ? spec.ports : [];
  const p0 = ports[0];
  const secure = ports.length === 1 && p0?.name === 'https' && (p0.protocol ?? 'TCP') === 'TCP' && p0.port === 443
    && typeof p0.targetPort === 'number' && Number.isInteger(p0.targetPort) && p0.targetPort >= 1 && p0.targetPort <= 65535 ? p0.targetPort : null;
  const out: any = copyOf(user);
  out.metadata = { ...user.metadata, labels: { ...(user.metadata.labels ?? {}), component: 'apiserver', provider: 'kubernetes' } };
  const o: any = { ...spec };
  const reset: string[] = [];
  if (secure === null) {
    reset.push(`spec.ports to https 443/TCP → ${APISERVER_PORT} (was ${ports.map((p) => `${p?.name ? `${p.name} ` : ''}${p?.port}/${p?.protocol ?? 'TCP'} → ${p?.targetPort ?? p?.port}`).join(', ') || 'none'})`);
  }
  o.ports = [{ name: 'https', port: 443, protocol: 'TCP', targetPort: secure ?? APISERVER_PORT }];
  if ((spec.type ?? 'ClusterIP') !== 'ClusterIP') reset.push(`spec.type to ClusterIP (was ${spec.type})`);
  o.type = 'ClusterIP';
  if (first) o.clusterIP = first;
  delete o.clusterIPs;
  if (reset.length) {
    diag.warn('NS-KUBERNETES-SERVICE-RESET', `Service default/kubernetes is the API server's own: its reconciler (getMasterServiceUpdateIfNeeded) resets ${reset.join(' and ')}`, at(user, 'spec', secure === null ? 'ports' : 'type'));
  }
  if (spec.selector && typeof spec.selector === 'object' && Object.keys(spec.selector).length) {
    diag.warn('NS-KUBERNETES-SERVICE-RESET', 'Service default/kubernetes: netspec keeps the API servers\' own endpoints (the endpoint reconciler writes them) and does not follow spec.selector', at(user, 'spec', 'selector'));
    delete o.selector;
  }
  out.spec = o;
  return keepOrigin(out, user);
}

/** The API server reserves the first address of the (primary) service range for `kubernetes`. */
export function apiserverServiceIP(config: ClusterConfig): string | null {
  try {
    const first = parseCIDR(config.serviceSubnets[0]);
    return bigIntToIP(first.base + 1n, first.family);
  } catch { return null; }
}

/** kube-dns as kubeadm's CoreDNS addon installs it. */
export function kubeDnsService(ip: string | null): KObject {
  const spec: any = {
    ports: [
      { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
      { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
      { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
    ],
    selector: { 'k8s-app': 'kube-dns' },
    type: 'ClusterIP',
  };
  if (ip) spec.clusterIP = ip;
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: {
      name: 'kube-dns', namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec,
  };
}

export function parseServiceRanges(config: ClusterConfig, diag: Diagnostics): Cidr[] {
  const out: Cidr[] = [];
  for (const s of config.serviceSubnets) {
    try { out.push(parseCIDR(s)); } catch {
      diag.error('NS-CONFIG-CIDR', `service subnet "${s}" is not a CIDR`, undefined, 'set networking.serviceSubnet to a CIDR such as 10.96.0.0/12');
    }
  }
  return out;
}

/** The address kubeadm gives kube-dns: clusterDNS when set, else the 10th address of the first service range. */
export function clusterDnsIP(config: ClusterConfig): string | null {
  if (config.clusterDNS && config.clusterDNS.length && isIP(config.clusterDNS[0])) return canonicalIP(config.clusterDNS[0]);
  try {
    const first = parseCIDR(config.serviceSubnets[0]);
    return bigIntToIP(first.base + 10n, first.family);
  } catch { return null; }
}

/**
 * Validates, defaults and allocates every Service. `builtins` are the services the control plane
 * made itself (kubernetes, kube-dns): their addresses are reserved before anyone else's, as they
 * exist before any user object is created.
 */
export function realiseServices(inputs: KObject[], builtins: Set<KObject>, config: ClusterConfig, diag: Diagnostics): RService[] {
  const ranges = parseServiceRanges(config, diag);
  const rangesBy = new Map<Family, IPRange[]>();
  for (const c of ranges) { const l = rangesBy.get(c.family) ?? []; l.push(new IPRange(c)); rangesBy.set(c.family, l); }
  const primary: Family = ranges[0]?.family ?? 4;
  const configured: Family[] = [primary, ...([4, 6] as Family[]).filter((f) => f !== primary && rangesBy.has(f))];
  // builtins first, then by "ns/name" (each key built once, not at every comparison)
  const keyed = inputs.filter((s) => !builtins.has(s)).map((s) => ({ s, k: `${s.metadata.namespace}/${s.metadata.name}` }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  const ordered = [...inputs.filter((s) => builtins.has(s)), ...keyed.map((x) => x.s)];

  // --- validation and defaulting ----------------------------------------------------------------
  const pend: Pending[] = [];
  for (const s of ordered) {
    const spec: any = copyOf(s.spec); // { ...s.spec }, cheap to extend (see copyOf)
    let ok = true;
    const err = (code: string, msg: string, path: (string | number)[], hint: string) => { diag.error(code, `${ref(s)}: ${msg}`, at(s, ...path), hint); ok = false; };
    const type = (spec.type ?? 'ClusterIP') as ServiceType;
    if (!TYPES.includes(type)) err('NS-SVC-TYPE', `type "${spec.type}" is not a Service type`, ['spec', 'type'], 'use ClusterIP, NodePort, LoadBalancer or ExternalName');
    spec.type = type;
    const headless = spec.clusterIP === 'None' || (Array.isArray(spec.clusterIPs) && spec.clusterIPs[0] === 'None');
    if (headless && (type === 'NodePort' || type === 'LoadBalancer')) err('NS-SVC-HEADLESS', `clusterIP None is not allowed for type ${type}`, ['spec', 'clusterIP'], 'a headless service has no virtual IP to forward node ports to; use type ClusterIP');
    if (type === 'ExternalName') {
      if (typeof spec.externalName !== 'string' || !spec.externalName) err('NS-SVC-EXTERNALNAME', 'type ExternalName needs spec.externalName', ['spec'], 'set spec.externalName to a DNS name such as db.example.com');
    }

    // ports
    const rawPorts: any[] = Array.isArray(spec.ports) ? spec.ports : [];
    if (rawPorts.length === 0 && type !== 'ExternalName' && !headless) err('NS-SVC-NO-PORTS', 'spec.ports is empty', ['spec'], 'a Service with a virtual IP needs at least one port (only headless and ExternalName services may have none)');
    // (duplicates are only possible with two ports or more)
    const names = rawPorts.length > 1 ? new Map<string, number>() : null;
    const portProto = rawPorts.length > 1 ? new Map<string, number>() : null;
    spec.ports = rawPorts.map((p0: any, i: number) => {
      const p: any = copyOf(p0);
      if (p.protocol === undefined) p.protocol = 'TCP';
      else if (!isProtocol(p.protocol)) err('NS-PROTOCOL', `ports[${i}].protocol "${p.protocol}" is not supported`, ['spec', 'ports', i, 'protocol'], 'use TCP, UDP or SCTP');
      if (typeof p.port !== 'number' || !Number.isInteger(p.port) || p.port < 1 || p.port > 65535) err('NS-PORT-RANGE', `ports[${i}].port ${JSON.stringify(p.port)} is not a port number`, ['spec', 'ports', i, 'port'], 'ports are whole numbers from 1 to 65535');
      if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
      else if (typeof p.targetPort === 'number') {
        if (!Number.isInteger(p.targetPort) || p.targetPort < 1 || p.targetPort > 65535) err('NS-PORT-RANGE', `ports[${i}].targetPort ${p.targetPort} is not a port number`, ['spec', 'ports', i, 'targetPort'], 'ports are whole numbers from 1 to 65535');
      } else if (typeof p.targetPort !== 'string' || !IANA_SVC_NAME.test(p.targetPort)) {
        err('NS-PORT-NAME', `ports[${i}].targetPort ${JSON.stringify(p.targetPort)} is neither a port number nor a port name`, ['spec', 'ports', i, 'targetPort'],
          'a named targetPort is at most 15 lowercase letters, digits and "-", with at least one letter; or write a number without quotes');
      }
      const name = typeof p.name === 'string' ? p.name : '';
      if (rawPorts.length > 1 && !name) err('NS-PORT-NAME', `ports[${i}] has no name, and a Service with more than one port must name every port`, ['spec', 'ports', i], 'add name: to each port (e.g. http, metrics)');
      if (name) {
        if (names?.has(name)) err('NS-PORT-NAME', `ports[${i}].name "${name}" is used twice (also ports[${names.get(name)}])`, ['spec', 'ports', i, 'name'], 'port names must be unique within a Service');
        else names?.set(name, i);
      }
      const pp = portProto ? `${p.port}/${p.protocol}` : '';
      if (portProto?.has(pp)) err('NS-DUPLICATE-PORT', `ports[${i}] repeats port ${p.port}/${p.protocol} of ports[${portProto.get(pp)}]`, ['spec', 'ports', i], 'each port and protocol pair may appear once');
      else portProto?.set(pp, i);
      if (p.nodePort !== undefined && p.nodePort !== 0 && type !== 'NodePort' && type !== 'LoadBalancer') {
        err('NS-SVC-NODEPORT', `ports[${i}].nodePort is set but the type is ${type}`, ['spec', 'ports', i, 'nodePort'], 'nodePort is only for type NodePort or LoadBalancer');
      }
      return p;
    });

    if (type !== 'ExternalName') {
      spec.sessionAffinity ??= 'None';
      if (spec.sessionAffinity !== 'None' && spec.sessionAffinity !== 'ClientIP') err('NS-SVC-AFFINITY', `sessionAffinity "${spec.sessionAffinity}" is not valid`, ['spec', 'sessionAffinity'], 'use None or ClientIP');
      if (spec.sessionAffinity === 'ClientIP') {
        const t = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800;
        if (typeof t !== 'number' || t < 1 || t > 86400) err('NS-SVC-AFFINITY', `sessionAffinityConfig.clientIP.timeoutSeconds ${t} is out of range`, ['spec', 'sessionAffinityConfig'], 'use 1 to 86400 seconds');
        spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: t } };
      }
      spec.internalTrafficPolicy ??= 'Cluster';
      if (spec.internalTrafficPolicy !== 'Cluster' && spec.internalTrafficPolicy !== 'Local') err('NS-SVC-POLICY', `internalTrafficPolicy "${spec.internalTrafficPolicy}" is not valid`, ['spec', 'internalTrafficPolicy'], 'use Cluster or Local');
    }
    if (type === 'NodePort' || type === 'LoadBalancer') {
      spec.externalTrafficPolicy ??= 'Cluster';
      if (spec.externalTrafficPolicy !== 'Cluster' && spec.externalTrafficPolicy !== 'Local') err('NS-SVC-POLICY', `externalTrafficPolicy "${spec.externalTrafficPolicy}" is not valid`, ['spec', 'externalTrafficPolicy'], 'use Cluster or Local');
    } else if (spec.externalTrafficPolicy !== undefined && !(Array.isArray(spec.externalIPs) && spec.externalIPs.length)) {
      err('NS-SVC-POLICY', `externalTrafficPolicy is only for NodePort and LoadBalancer services (or ones with externalIPs)`, ['spec', 'externalTrafficPolicy'], 'remove it or change the type');
    }
    if (type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
    (Array.isArray(spec.externalIPs) ? spec.externalIPs : []).forEach((ip: unknown, i: number) => {
      if (typeof ip !== 'string' || !isIP(ip)) err('NS-INVALID-IP', `externalIPs[${i}] "${String(ip)}" is not an IP address`, ['spec', 'externalIPs', i], 'write an IP address');
    });
    (Array.isArray(spec.loadBalancerSourceRanges) ? spec.loadBalancerSourceRanges : []).forEach((c: unknown, i: number) => {
      if (typeof c !== 'string' || !isCIDR(c.trim())) err('NS-INVALID-CIDR', `loadBalancerSourceRanges[${i}] "${String(c)}" is not a CIDR`, ['spec', 'loadBalancerSourceRanges', i], 'write a CIDR such as 203.0.113.0/24');
    });

    // IP families and explicit cluster IPs
    let families: Family[] = [];
    const explicit: string[] = [];
    if (type !== 'ExternalName') {
      const given: unknown[] = Array.isArray(spec.clusterIPs) && spec.clusterIPs.length ? spec.clusterIPs : spec.clusterIP !== undefined && spec.clusterIP !== '' ? [spec.clusterIP] : [];
      const ipPath = (i: number) => (Array.isArray(spec.clusterIPs) && spec.clusterIPs.length ? ['spec', 'clusterIPs', i] : ['spec', 'clusterIP']);
      if (!headless) {
        given.forEach((ip, i) => {
          if (typeof ip !== 'string' || !isIP(ip)) { err('NS-INVALID-IP', `clusterIP "${String(ip)}" is not an IP address`, ipPath(i), 'write an address inside the service range, or leave clusterIP out to have one allocated'); return; }
          explicit.push(canonicalIP(ip));
        });
        if (spec.clusterIP !== undefined && spec.clusterIP !== '' && Array.isArray(spec.clusterIPs) && spec.clusterIPs.length && typeof spec.clusterIP === 'string' && isIP(spec.clusterIP) && explicit[0] && canonicalIP(spec.clusterIP) !== explicit[0]) {
          err('NS-SVC-IP', 'clusterIP and clusterIPs[0] differ', ['spec', 'clusterIP'], 'clusterIPs[0] must equal clusterIP');
        }
      }
      const fams: Family[] = [];
      if (Array.isArray(spec.ipFamilies) && spec.ipFamilies.length) {
        spec.ipFamilies.forEach((f: unknown, i: number) => {
          const fam = f === 'IPv4' ? 4 : f === 'IPv6' ? 6 : null;
          if (!fam) { err('NS-SVC-IP-FAMILY', `ipFamilies[${i}] "${String(f)}" is not IPv4 or IPv6`, ['spec', 'ipFamilies', i], 'use IPv4 or IPv6'); return; }
          if (!rangesBy.has(fam)) { err('NS-SVC-IP-FAMILY', `ipFamilies[${i}] ${f}: the cluster has no IPv${fam} service range`, ['spec', 'ipFamilies', i], `configured service ranges: ${config.serviceSubnets.join(', ')}`); return; }
          if (!fams.includes(fam)) fams.push(fam);
        });
      }
      explicit.forEach((ip, i) => {
        const fam = ipFamily(ip)!;
        if (fams[i] !== undefined && fams[i] !== fam) err('NS-SVC-IP-FAMILY', `clusterIPs[${i}] ${ip} is IPv${fam} but ipFamilies[${i}] is IPv${fams[i]}`, ipPath(i), 'make ipFamilies agree with clusterIPs');
        if (fams[i] === undefined && !fams.includes(fam)) fams[i] = fam;
      });
      const policy = spec.ipFamilyPolicy ?? (headless && !spec.selector && configured.length > 1 ? 'RequireDualStack' : fams.length > 1 ? 'PreferDualStack' : 'SingleStack');
      if (!['SingleStack', 'PreferDualStack', 'RequireDualStack'].includes(policy)) err('NS-SVC-IP-FAMILY', `ipFamilyPolicy "${policy}" is not valid`, ['spec', 'ipFamilyPolicy'], 'use SingleStack, PreferDualStack or RequireDualStack');
      if (policy === 'RequireDualStack' && configured.length < 2) err('NS-SVC-IP-FAMILY', 'ipFamilyPolicy RequireDualStack, but the cluster is single-stack', ['spec', 'ipFamilyPolicy'], `configured service ranges: ${config.serviceSubnets.join(', ')}`);
      if (fams.length === 0) fams.push(primary);
      if (policy !== 'SingleStack') for (const f of configured) if (!fams.includes(f)) fams.push(f);
      if (policy === 'SingleStack' && fams.length > 1) err('NS-SVC-IP-FAMILY', 'ipFamilyPolicy SingleStack with two IP families', ['spec', 'ipFamilyPolicy'], 'use PreferDualStack or RequireDualStack, or list one family');
      families = fams.filter((f) => rangesBy.has(f)).slice(0, 2);
      spec.ipFamilyPolicy = policy;
      spec.ipFamilies = families.map((f) => `IPv${f}`);
    } else {
      delete spec.clusterIP; delete spec.clusterIPs; delete spec.ipFamilies; delete spec.ipFamilyPolicy;
    }
    // { ...s, metadata: { ...s.metadata, uid }, spec }
    const metadata: any = copyOf(s.metadata);
    metadata.uid = s.metadata.uid ?? makeUid(config.seed, 'Service', s.metadata.namespace, s.metadata.name);
    const obj: KObject = copyOf(s);
    obj.metadata = metadata; obj.spec = spec;
    keepOrigin(obj, s);
    pend.push({ src: s, obj, spec, type, headless, families, clusterIPs: explicit, ok, builtin: builtins.has(s) });
  }

  // Explicit clusterIPs and nodePorts are reserved in the order the objects reach the API server:
  // the control plane's own Services, then the input as read (kubectl apply -f creates in file
  // order), so of two objects claiming one address the later is refused and names the first
  // (the allocator's "provided IP is already allocated" / "provided port is already allocated").
  const inputIndex = new Map<KObject, number>();
  inputs.forEach((s, i) => inputIndex.set(s, i));
  const arrival = pend.slice().sort((a, b) => (a.builtin === b.builtin ? (inputIndex.get(a.src) ?? -1) - (inputIndex.get(b.src) ?? -1) : a.builtin ? -1 : 1));

  // --- ClusterIPs: explicit ones are reserved first, then the allocator fills in ------------------
  const ipOwner = new Map<string, Pending>();
  const ipPath = new Map<string, (string | number)[]>(); // where each explicit address was claimed
  for (const p of arrival) {
    if (p.type === 'ExternalName' || p.headless) continue;
    const kept: string[] = [];
    p.clusterIPs.forEach((ip, i) => {
      const path = Array.isArray(p.src.spec?.clusterIPs) && p.src.spec.clusterIPs.length ? ['spec', 'clusterIPs', i] : ['spec', 'clusterIP'];
      const fam = ipFamily(ip)! as Family;
      const rs = rangesBy.get(fam) ?? [];
      if (!rs.some((r) => r.contains(ip))) {
        diag.error('NS-SVC-IP-RANGE', `${ref(p.src)}: clusterIP ${ip} is outside the service range${rs.length > 1 ? 's' : ''} (${config.serviceSubnets.join(', ')})`, at(p.src, ...path),
          `pick an address inside ${rs.map((r) => r.cidr.text).join(' or ') || config.serviceSubnets.join(' or ')} (the network${fam === 4 ? ' and broadcast addresses are' : ' address is'} not usable), or leave clusterIP out`);
        p.ok = false;
        return;
      }
      const prev = ipOwner.get(ip);
      if (prev) {
        diag.error('NS-IP-CONFLICT', `${ref(p.src)}: clusterIP ${ip} is already allocated to ${ref(prev.obj)}${prev.builtin ? ' (created by the control plane)' : fmtPos(at(prev.src, ...ipPath.get(ip)!))} (the API server: failed to allocate IP ${ip}: provided IP is already allocated)`, at(p.src, ...path),
          'every Service needs its own clusterIP; choose another address or leave clusterIP out to have one allocated');
        p.ok = false;
        return;
      }
      ipOwner.set(ip, p); ipPath.set(ip, path);
      kept.push(ip);
    });
    p.clusterIPs = kept;
  }
  const taken = new Set(ipOwner.keys());
  for (const p of pend) {
    if (p.type === 'ExternalName') continue;
    if (p.headless) { p.spec.clusterIP = 'None'; p.spec.clusterIPs = ['None']; p.clusterIPs = []; continue; }
    if (!p.ok && p.clusterIPs.length === 0 && (p.src.spec?.clusterIP || p.src.spec?.clusterIPs)) continue;
    const have = p.clusterIPs.length ? new Set(p.clusterIPs.map((ip) => ipFamily(ip))) : null;
    for (const f of p.families) {
      if (have?.has(f)) continue;
      let ip: string | null = null;
      for (const r of rangesBy.get(f) ?? []) { ip = r.next(taken); if (ip) break; }
      if (!ip) {
        diag.error('NS-SVC-IP-EXHAUSTED', `${ref(p.src)}: no free IPv${f} address left in the service range (${config.serviceSubnets.join(', ')})`, at(p.src), 'use a larger service range (networking.serviceSubnet) or add a ServiceCIDR');
        p.ok = false;
        continue;
      }
      taken.add(ip);
      p.clusterIPs.push(ip);
    }
    // order by the service's families
    if (p.clusterIPs.length > 1) p.clusterIPs.sort((a, b) => p.families.indexOf(ipFamily(a)!) - p.families.indexOf(ipFamily(b)!));
    if (p.clusterIPs.length) { p.spec.clusterIP = p.clusterIPs[0]; p.spec.clusterIPs = p.clusterIPs.slice(); }
  }

  // --- NodePorts -------------------------------------------------------------------------------
  const [lo, hi] = config.nodePortRange;
  const portRange = new PortRange(lo, hi);
  const portOwner = new Map<number, { p: Pending; protocols: Set<string>; path?: (string | number)[] }>();
  const wantsNodePorts = (p: Pending) => p.type === 'NodePort' || (p.type === 'LoadBalancer' && p.spec.allocateLoadBalancerNodePorts !== false);
  const reserve = (p: Pending, port: number, proto: string, path: (string | number)[]): boolean => {
    if (!Number.isInteger(port) || port < lo || port > hi) {
      diag.error('NS-NODEPORT-RANGE', `${ref(p.src)}: nodePort ${port} is outside the node port range ${lo}-${hi}`, at(p.src, ...path), `pick a port from ${lo} to ${hi} (--service-node-port-range), or leave nodePort out`);
      p.ok = false;
      return false;
    }
    const prev = portOwner.get(port);
    if (prev && (prev.p !== p || prev.protocols.has(proto))) {
      diag.error('NS-NODEPORT-CONFLICT', `${ref(p.src)}: nodePort ${port} is already allocated to ${ref(prev.p.obj)}${prev.p === p ? '' : fmtPos(at(prev.p.src, ...(prev.path ?? [])))} (the API server: provided port is already allocated)`, at(p.src, ...path), 'every NodePort must be unique in the cluster; choose another or leave nodePort out');
      p.ok = false;
      return false;
    }
    if (prev) prev.protocols.add(proto); else portOwner.set(port, { p, protocols: new Set([proto]), path });
    return true;
  };
  for (const p of arrival) {
    if (p.type !== 'NodePort' && p.type !== 'LoadBalancer') continue;
    p.spec.ports.forEach((sp: any, i: number) => {
      if (sp.nodePort !== undefined && sp.nodePort !== 0 && !reserve(p, sp.nodePort, sp.protocol, ['spec', 'ports', i, 'nodePort'])) delete sp.nodePort;
    });
    if (p.type === 'LoadBalancer' && p.spec.externalTrafficPolicy === 'Local' && p.spec.healthCheckNodePort) {
      if (!reserve(p, p.spec.healthCheckNodePort, 'TCP', ['spec', 'healthCheckNodePort'])) delete p.spec.healthCheckNodePort;
    }
  }
  const nextPort = (p: Pending): number | null => {
    const n = portRange.next(portOwner);
    if (n === null) {
      diag.error('NS-NODEPORT-EXHAUSTED', `${ref(p.src)}: no free node port left in ${lo}-${hi}`, at(p.src), 'widen --service-node-port-range or use fewer NodePort services');
      p.ok = false;
    }
    return n;
  };
  for (const p of pend) {
    if (!wantsNodePorts(p)) continue;
    // ports sharing a port number (e.g. 53/UDP and 53/TCP) share one node port, as the API server does
    const byPort = new Map<number, number>();
    for (const sp of p.spec.ports) if (sp.nodePort) byPort.set(sp.port, sp.nodePort);
    for (const sp of p.spec.ports) {
      if (sp.nodePort) continue;
      const reuse = byPort.get(sp.port);
      if (reuse !== undefined && !portOwner.get(reuse)?.protocols.has(sp.protocol)) {
        sp.nodePort = reuse; portOwner.get(reuse)!.protocols.add(sp.protocol);
        continue;
      }
      const n = nextPort(p);
      if (n === null) break;
      portOwner.set(n, { p, protocols: new Set([sp.protocol]) });
      sp.nodePort = n;
      byPort.set(sp.port, n);
    }
  }
  for (const p of pend) {
    if (p.type === 'LoadBalancer' && p.spec.externalTrafficPolicy === 'Local' && !p.spec.healthCheckNodePort) {
      const n = nextPort(p);
      if (n !== null) { portOwner.set(n, { p, protocols: new Set(['TCP']) }); p.spec.healthCheckNodePort = n; }
    }
  }

  // --- LoadBalancer addresses ------------------------------------------------------------------
  let pool: Cidr | null = null;
  if (config.loadBalancerPool !== null) try { pool = parseCIDR(config.loadBalancerPool); } catch {
    diag.error('NS-CONFIG-CIDR', `load balancer pool "${config.loadBalancerPool}" is not a CIDR`, undefined, 'use a CIDR such as 198.51.100.0/24');
  }
  const lbTaken = new Set<string>();
  const lbOf = new Map<Pending, string[]>();
  for (const p of pend) {
    if (p.type !== 'LoadBalancer') continue;
    const ing: any[] = Array.isArray(p.src.status?.loadBalancer?.ingress) ? p.src.status.loadBalancer.ingress : [];
    const ips: string[] = [];
    ing.forEach((x, i) => {
      if (x?.ip === undefined) return;
      if (typeof x.ip !== 'string' || !isIP(x.ip)) { diag.error('NS-INVALID-IP', `${ref(p.src)}: status.loadBalancer.ingress[${i}].ip "${String(x.ip)}" is not an IP address`, at(p.src, 'status', 'loadBalancer', 'ingress', i, 'ip'), 'write an IP address'); return; }
      ips.push(canonicalIP(x.ip));
    });
    if (!ips.length && typeof p.spec.loadBalancerIP === 'string' && p.spec.loadBalancerIP) {
      if (isIP(p.spec.loadBalancerIP)) ips.push(canonicalIP(p.spec.loadBalancerIP));
      else diag.error('NS-INVALID-IP', `${ref(p.src)}: loadBalancerIP "${p.spec.loadBalancerIP}" is not an IP address`, at(p.src, 'spec', 'loadBalancerIP'), 'write an IP address');
    }
    for (const ip of ips) lbTaken.add(ip);
    lbOf.set(p, ips);
  }
  let poolNext = 1n;
  for (const p of pend) {
    if (p.type !== 'LoadBalancer' || lbOf.get(p)!.length || !pool) continue;
    let ip: string | null = null;
    const end = pool.size - (pool.family === 4 && pool.prefix < 31 ? 1n : 0n);
    while (poolNext < end) {
      const cand = bigIntToIP(pool.base + poolNext++, pool.family);
      if (!lbTaken.has(cand)) { ip = cand; break; }
    }
    if (!ip) {
      diag.warn('NS-LB-POOL-EXHAUSTED', `${ref(p.src)}: the load balancer pool ${pool.text} has no free address; the service stays <pending>`, at(p.src));
      continue;
    }
    lbTaken.add(ip);
    lbOf.get(p)!.push(ip);
  }

  // --- the realised services -------------------------------------------------------------------
  const out: RService[] = [];
  for (const p of pend) {
    const s = p.obj;
    const spec = p.spec;
    if (p.type === 'LoadBalancer') {
      const given = Array.isArray(p.src.status?.loadBalancer?.ingress) && p.src.status.loadBalancer.ingress.length;
      const st: any = copyOf(p.src.status);
      st.loadBalancer = given ? p.src.status.loadBalancer : lbOf.get(p)!.length ? { ingress: lbOf.get(p)!.map((ip) => ({ ip, ipMode: 'VIP' })) } : {};
      s.status = st;
    } else {
      const st: any = copyOf(p.src.status);
      st.loadBalancer = {};
      s.status = st;
    }
    const ports: RServicePort[] = spec.ports.map((sp: any) => {
      const rp: RServicePort = { name: typeof sp.name === 'string' ? sp.name : '', port: sp.port, targetPort: sp.targetPort, protocol: (isProtocol(sp.protocol) ? sp.protocol : 'TCP') as Protocol };
      if (sp.nodePort) rp.nodePort = sp.nodePort;
      if (typeof sp.appProtocol === 'string') rp.appProtocol = sp.appProtocol;
      return rp;
    });
    const hasSelector = p.type !== 'ExternalName' && spec.selector && typeof spec.selector === 'object' && Object.keys(spec.selector).length > 0;
    const rs: RService = {
      key: `${s.metadata.namespace}/${s.metadata.name}`,
      ns: s.metadata.namespace!,
      name: s.metadata.name,
      obj: s,
      type: p.type,
      headless: p.headless,
      clusterIPs: p.type === 'ExternalName' || p.headless ? [] : p.clusterIPs.slice(),
      ports,
      selector: hasSelector ? compileMapSelector(spec.selector) : null,
      externalIPs: !(Array.isArray(spec.externalIPs) && spec.externalIPs.length) ? [] : spec.externalIPs.filter((ip: unknown) => typeof ip === 'string' && isIP(ip)).map((ip: string) => canonicalIP(ip)),
      loadBalancerIPs: p.type === 'LoadBalancer' ? ((s.status.loadBalancer.ingress ?? []) as any[]).filter((x) => typeof x?.ip === 'string' && isIP(x.ip)).map((x) => canonicalIP(x.ip)) : [],
      loadBalancerSourceRanges: !(Array.isArray(spec.loadBalancerSourceRanges) && spec.loadBalancerSourceRanges.length) ? [] : spec.loadBalancerSourceRanges.filter((c: unknown) => typeof c === 'string' && isCIDR(c.trim())).map((c: string) => parseCIDR(c.trim()).text),
      externalTrafficPolicy: spec.externalTrafficPolicy === 'Local' ? 'Local' : 'Cluster',
      internalTrafficPolicy: spec.internalTrafficPolicy === 'Local' ? 'Local' : 'Cluster',
      sessionAffinity: spec.sessionAffinity === 'ClientIP' ? 'ClientIP' : 'None',
      affinityTimeoutSeconds: spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800,
      publishNotReadyAddresses: spec.publishNotReadyAddresses === true,
      allocateLoadBalancerNodePorts: spec.allocateLoadBalancerNodePorts !== false,
    };
    if (p.type === 'ExternalName') rs.externalName = spec.externalName;
    out.push(rs);
  }
  return out;
}
