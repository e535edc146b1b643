// What kube-proxy's ServiceChangeTracker / EndpointSliceCache hold: one entry per service port
// (ServicePortName "ns/name[:port]" + protocol) per IP family, with its endpoints as kube-proxy
// lists them (addresses[0] of each slice endpoint, deduplicated by "ip:port", sorted by that
// string: pkg/proxy/endpointslicecache.go sorts byEndpoint, i.e. lexically, so 10.0.0.10 sorts
// before 10.0.0.2). Computed once per realised cluster and family; per-node views come from
// categorize(), which is pkg/proxy/topology.go's CategorizeEndpoints without topology hints.
import { canonicalIP as canonicalAny, hostPort, intToIpv4, ipFamily as ipFamilyAny, ipv4ToInt, parseCIDR, type Cidr, type Family } from '../net/ip';

/** Canonical text of an address (IPv4 without the parser: this runs once per endpoint). */
function canonicalIP(ip: string): string {
  const n = ipv4ToInt(ip);
  return n >= 0 ? intToIpv4(n) : canonicalAny(ip);
}

function ipFamily(ip: string): Family | null {
  return ipv4ToInt(ip) >= 0 ? 4 : ipFamilyAny(ip);
}
import type { Protocol } from '../net/packet';
import type { RNode, RPod, RService, RServicePort, RSlice, Realised } from '../model/realised';
import { portProtoHash, sepChain } from './hash';

export type Proto = 'tcp' | 'udp' | 'sctp';

export interface KpEndpoint {
  ip: string;
  port: number;
  /** "ip:port" as kube-proxy's Endpoint.String() ("[ip]:port" for IPv6) */
  str: string;
  nodeName?: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  pod?: RPod;
  slice: RSlice;
  /** KUBE-SEP-… chain (iptables mode) */
  readonly sep: string;
}

/** An endpoint; its KUBE-SEP chain name (a sha256) is computed on first use only. */
class Endpoint implements KpEndpoint {
  private sepName?: string;
  constructor(
    readonly ip: string, readonly port: number, readonly str: string, readonly nodeName: string | undefined,
    readonly ready: boolean, readonly serving: boolean, readonly terminating: boolean, readonly pod: RPod | undefined,
    readonly slice: RSlice, private readonly spn: string, private readonly proto: Proto,
  ) {}
  get sep(): string { return (this.sepName ??= sepChain(this.spn, this.proto, this.str)); }
}

export interface KpServicePort {
  svc: RService;
  port: RServicePort;
  /** ServicePortName.String(): "ns/name" or "ns/name:portname" */
  name: string;
  proto: Proto;
  protocol: Protocol;
  family: Family;
  clusterIP: string;
  externalIPs: string[];
  lbIPs: string[];
  /** loadBalancerSourceRanges as kube-proxy parses them (masked network, this family only) */
  sourceRanges: Cidr[];
  nodePort: number;
  healthCheckNodePort: number;
  externallyAccessible: boolean;
  internalLocal: boolean;
  externalLocal: boolean;
  affinity: boolean;
  affinitySeconds: number;
  endpoints: KpEndpoint[];
  readonly svcChain: string;
  readonly svlChain: string;
  readonly extChain: string;
  readonly fwChain: string;
}

export interface Categorized {
  /** endpoints for "Cluster" traffic policy (ready ones, else serving+terminating) */
  cluster: KpEndpoint[];
  /** endpoints for "Local" traffic policy */
  local: KpEndpoint[];
  /** every endpoint a KUBE-SEP chain is written for on this node */
  reachable: KpEndpoint[];
  /** the service has usable endpoints somewhere in the cluster */
  hasAny: boolean;
}

const PROXY_NAME_LABEL = 'service.kubernetes.io/service-proxy-name';
const HEADLESS_LABEL = 'service.kubernetes.io/headless';

const cache = new WeakMap<Realised, Map<Family, KpServicePort[]>>();

/** Every service port kube-proxy proxies for `family`, sorted by name then protocol. */
export function servicePorts(r: Realised, family: Family = 4): KpServicePort[] {
  let byFam = cache.get(r);
  if (!byFam) { byFam = new Map(); cache.set(r, byFam); }
  let list = byFam.get(family);
  if (!list) { list = build(r, family); byFam.set(family, list); }
  return list;
}

function build(r: Realised, family: Family): KpServicePort[] {
  const out: KpServicePort[] = [];
  for (const svc of r.services) {
    if (svc.type === 'ExternalName' || svc.headless) continue;
    // kube-proxy's informers (one label selector for Services and EndpointSlices, cmd/kube-proxy/app/server.go:
    // !service.kubernetes.io/service-proxy-name, !service.kubernetes.io/headless) skip services carrying either label
    const sl = svc.obj.metadata.labels;
    if (sl && (PROXY_NAME_LABEL in sl || HEADLESS_LABEL in sl)) continue;
    const clusterIP = svc.clusterIPs.find((ip) => ipFamily(ip) === family);
    if (!clusterIP) continue;
    const slices = (r.slicesByService.get(svc.key) ?? []).filter((s) =>
      s.addressType === (family === 4 ? 'IPv4' : 'IPv6') && !(s.obj.metadata.labels && (HEADLESS_LABEL in s.obj.metadata.labels || PROXY_NAME_LABEL in s.obj.metadata.labels)));
    // pkg/api/v1/service/util.go ExternallyAccessible: NodePort, LoadBalancer, or ClusterIP with externalIPs
    const external = svc.type === 'NodePort' || svc.type === 'LoadBalancer' || (svc.type === 'ClusterIP' && svc.externalIPs.length > 0);
    const externalIPs = svc.externalIPs.filter((ip) => ipFamily(ip) === family).map(canonicalIP);
    const lbIPs = lbVIPs(svc, family);
    const sourceRanges: Cidr[] = [];
    for (const raw of svc.loadBalancerSourceRanges) {
      try {
        const c = parseCIDR(raw.trim());
        if (c.family === family) sourceRanges.push(c);
      } catch { /* kube-proxy ignores what it cannot parse */ }
    }
    // apiservice.ExternalPolicyLocal: only externally accessible services honour externalTrafficPolicy
    const externalLocal = external && svc.externalTrafficPolicy === 'Local';
    for (const port of svc.ports) {
      const name = port.name ? `${svc.key}:${port.name}` : svc.key;
      const proto = port.protocol.toLowerCase() as Proto;
      const nodePort = port.nodePort ?? 0;
      const hc = externalLocal && svc.type === 'LoadBalancer' ? Number(svc.obj.spec?.healthCheckNodePort ?? 0) || 0 : 0;
      const eps = new Map<string, KpEndpoint>();
      for (const s of slices) {
        const sp = s.ports.find((p) => (p.name ?? '') === port.name && p.protocol === port.protocol);
        if (!sp || !sp.port) continue;
        for (const e of s.endpoints) {
          if (!e.addresses.length) continue;
          const ip = canonicalIP(e.addresses[0]);
          const str = hostPort(ip, sp.port);
          const prev = eps.get(str);
          // the same ip:port in two slices: keep the first, unless the later one is local-capable
          if (prev && !(e.nodeName && !prev.nodeName)) continue;
          eps.set(str, new Endpoint(ip, sp.port, str, e.nodeName, e.ready, e.serving, e.terminating, e.pod, s, name, proto));
        }
      }
      const endpoints = [...eps.values()].sort((a, b) => (a.str < b.str ? -1 : a.str > b.str ? 1 : 0));
      out.push({
        svc, port, name, proto, protocol: port.protocol, family, clusterIP: canonicalIP(clusterIP), externalIPs, lbIPs, sourceRanges,
        nodePort, healthCheckNodePort: hc,
        externallyAccessible: nodePort !== 0 || externalIPs.length > 0 || lbIPs.length > 0,
        internalLocal: svc.internalTrafficPolicy === 'Local',
        externalLocal,
        affinity: svc.sessionAffinity === 'ClientIP',
        affinitySeconds: svc.affinityTimeoutSeconds || 10800,
        endpoints,
      } as Omit<KpServicePort, 'svcChain' | 'svlChain' | 'extChain' | 'fwChain'> as KpServicePort);
      lazyChainNames(out[out.length - 1], name, proto);
    }
  }
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.proto < b.proto ? -1 : a.proto > b.proto ? 1 : 0));
  return out;
}

/** KUBE-SVC/SVL/EXT/FW names share one hash, computed when a ruleset first needs it. */
function lazyChainNames(sp: KpServicePort, name: string, proto: Proto): void {
  let h: string | undefined;
  const hash = () => (h ??= portProtoHash(name, proto));
  for (const [key, prefix] of [['svcChain', 'KUBE-SVC-'], ['svlChain', 'KUBE-SVL-'], ['extChain', 'KUBE-EXT-'], ['fwChain', 'KUBE-FW-']] as const) {
    Object.defineProperty(sp, key, { get: () => prefix + hash(), enumerable: true, configurable: false });
  }
}

/** status.loadBalancer.ingress[].ip of this family, except ipMode: Proxy (kube-proxy leaves those to the LB). */
function lbVIPs(svc: RService, family: Family): string[] {
  const ingress: any[] = Array.isArray(svc.obj.status?.loadBalancer?.ingress) ? svc.obj.status.loadBalancer.ingress : [];
  const proxyMode = new Set(ingress.filter((i) => i && i.ipMode === 'Proxy' && i.ip).map((i) => String(i.ip)));
  return svc.loadBalancerIPs.filter((ip) => ipFamily(ip) === family && !proxyMode.has(ip)).map(canonicalIP);
}

/** Service uses the "Cluster" endpoint set for some traffic (even with externalTrafficPolicy Local: pod traffic to external IPs short-circuits to it). */
export function usesClusterEndpoints(sp: KpServicePort): boolean {
  return !sp.internalLocal || sp.externallyAccessible;
}

/** Service uses the "Local" endpoint set for some traffic. */
export function usesLocalEndpoints(sp: KpServicePort): boolean {
  return sp.internalLocal || (sp.externallyAccessible && sp.externalLocal);
}

/** CategorizeEndpoints for one node (no topology hints: netspec does not model zones' hints). */
export function categorize(sp: KpServicePort, nodeName: string): Categorized {
  const eps = sp.endpoints;
  let cluster: KpEndpoint[] = [];
  let local: KpEndpoint[] = [];
  let hasAny = false;
  const useCluster = usesClusterEndpoints(sp);
  if (useCluster) {
    cluster = eps.filter((e) => e.ready);
    // no ready endpoint anywhere: fall back to serving, terminating ones
    if (cluster.length === 0) cluster = eps.filter((e) => e.serving && e.terminating);
    if (cluster.length > 0) hasAny = true;
  }
  if (!usesLocalEndpoints(sp)) return { cluster, local, reachable: cluster, hasAny };
  let localReady = false, localTerm = false;
  for (const e of eps) {
    const isLocal = e.nodeName === nodeName;
    if (e.ready) { hasAny = true; if (isLocal) localReady = true; }
    else if (e.serving && e.terminating) { hasAny = true; if (isLocal) localTerm = true; }
  }
  let usedTerminating = false;
  if (localReady) local = eps.filter((e) => e.nodeName === nodeName && e.ready);
  else if (localTerm) { usedTerminating = true; local = eps.filter((e) => e.nodeName === nodeName && e.serving && e.terminating); }
  if (!useCluster) return { cluster, local, reachable: local, hasAny };
  if (!usedTerminating) return { cluster, local, reachable: cluster, hasAny };
  const merged = new Map<string, KpEndpoint>();
  for (const e of cluster) merged.set(e.str, e);
  for (const e of local) merged.set(e.str, e);
  const reachable = [...merged.values()].sort((a, b) => (a.str < b.str ? -1 : a.str > b.str ? 1 : 0));
  return { cluster, local, reachable, hasAny };
}

/** The local-traffic detector kube-proxy uses (detectLocalMode ClusterCIDR): the pod CIDR of this family, or null (NoOp). */
export function localDetectorCIDR(r: Realised, family: Family): Cidr | null {
  const conf = r.config.proxyClusterCIDR;
  // null: kubeadm sets clusterCIDR from networking.podSubnet; "" means the user left it empty (NoOp detector)
  const list = conf === null ? r.config.podSubnets : conf.split(',').map((s) => s.trim()).filter(Boolean);
  for (const c of list) {
    try { const p = parseCIDR(c); if (p.family === family) return p; } catch { /* config validation reports it */ }
  }
  return null;
}


/**
 * The local-traffic detector of LocalTrafficDetector (pkg/proxy/util/localdetector.go) for
 * detectLocalMode: a source CIDR (ClusterCIDR: the cluster CIDR; NodeCIDR: the node's podCIDR), an
 * input interface (BridgeInterface), an interface-name prefix (InterfaceNamePrefix, "cali*"), or
 * none (the no-op detector).
 */
export type Detector = { kind: 'cidr'; cidr: Cidr } | { kind: 'iif'; name: string } | null;

export function detectorFor(r: Realised, node: RNode, family: Family): Detector {
  const c = r.config;
  switch (c.detectLocalMode) {
    case 'ClusterCIDR': { const cidr = localDetectorCIDR(r, family); return cidr ? { kind: 'cidr', cidr } : null; }
    case 'NodeCIDR': { const cidr = node.podCIDRs.find((x) => x.family === family); return cidr ? { kind: 'cidr', cidr } : null; }
    case 'BridgeInterface': return { kind: 'iif', name: c.detectLocal.bridgeInterface };
    case 'InterfaceNamePrefix': return { kind: 'iif', name: c.detectLocal.interfaceNamePrefix + '*' };
  }
}
