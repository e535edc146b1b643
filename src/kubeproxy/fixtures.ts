// Hand-built realised clusters for kube-proxy's unit tests, property tests and benchmark (they do
// not go through the loader and the controllers, so kube-proxy is tested on its own). Services
// come already allocated, EndpointSlices as the EndpointSlice controller would write them.
import { defaultConfig, type ClusterConfig } from '../model/config';
import { LabelIndex, compileMapSelector } from '../model/selector';
import { setOrigin, type KObject } from '../model/types';
import type { Protocol } from '../net/packet';
import { parseCIDR, subnet, type Cidr } from '../net/ip';
import type { RContainerPort, REndpoint, RNode, RPod, RService, RServicePort, RSlice, Realised, ServiceType } from '../model/realised';

export interface FxNode { name: string; ip: string; podCIDR?: string }
export interface FxPod {
  ns: string; name: string; node: string; ip: string; labels?: Record<string, string>;
  ports?: { port: number; name?: string; protocol?: Protocol }[];
  ready?: boolean; terminating?: boolean; hostNetwork?: boolean;
}
export interface FxService {
  ns: string; name: string; type?: ServiceType; clusterIP: string;
  ports: { name?: string; port: number; targetPort?: number | string; protocol?: Protocol; nodePort?: number }[];
  selector?: Record<string, string> | null;
  externalIPs?: string[]; lbIPs?: string[]; sourceRanges?: string[];
  etp?: 'Cluster' | 'Local'; itp?: 'Cluster' | 'Local';
  affinity?: boolean; affinityTimeout?: number; healthCheckNodePort?: number;
  publishNotReady?: boolean;
  /** endpoints given by hand (selector-less services): one slice with these */
  endpoints?: { ip: string; node?: string; ready?: boolean; serving?: boolean; terminating?: boolean; ports: { name?: string; port: number; protocol?: Protocol }[] }[];
}

export interface Fixture {
  nodes: FxNode[];
  pods?: FxPod[];
  services?: FxService[];
  config?: Partial<ClusterConfig>;
  /** manifest file name for positions (default "fixture.yaml") */
  file?: string;
}

export function realiseFixture(fx: Fixture): Realised {
  const config: ClusterConfig = { ...defaultConfig(), ...(fx.config ?? {}) };
  const file = fx.file ?? 'fixture.yaml';
  let line = 1;
  const origin = <T extends object>(o: T): T => setOrigin(o, { file, line: line++, col: 1 });
  const podNet: Cidr = parseCIDR(config.podSubnets[0]);
  const nodes: RNode[] = fx.nodes.map((n, index) => {
    const podCIDR = n.podCIDR ?? subnet(podNet, config.nodeCidrMaskSizeV4, index).text;
    const obj = origin({ apiVersion: 'v1', kind: 'Node', metadata: { name: n.name }, spec: { podCIDR, podCIDRs: [podCIDR] },
      status: { addresses: [{ type: 'InternalIP', address: n.ip }] } } as KObject);
    return { name: n.name, obj, ip: n.ip, ips: [n.ip], podCIDRs: [parseCIDR(podCIDR)], labels: {}, ready: true, unschedulable: false, index };
  });
  const nodeByName = new Map(nodes.map((n) => [n.name, n]));
  const nodeByIP = new Map(nodes.map((n) => [n.ip, n]));
  const pods: RPod[] = (fx.pods ?? []).map((p) => {
    const node = nodeByName.get(p.node) ?? null;
    const ports: RContainerPort[] = (p.ports ?? []).map((cp) => ({ container: 'app', name: cp.name, port: cp.port, protocol: cp.protocol ?? 'TCP' }));
    const obj = origin({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p.name, namespace: p.ns, labels: p.labels ?? {} },
      spec: { nodeName: p.node, containers: [{ name: 'app' }] }, status: { podIP: p.ip, phase: 'Running' } } as KObject);
    const ip = p.hostNetwork && node ? node.ip : p.ip;
    return {
      key: `${p.ns}/${p.name}`, ns: p.ns, name: p.name, obj, node, ips: [ip], ip, hostNetwork: !!p.hostNetwork, labels: p.labels ?? {},
      containers: ['app'], ports, listening: new Map(ports.map((cp) => [`${cp.protocol}/${cp.port}`, cp])), phase: 'Running',
      ready: p.ready ?? true, terminating: !!p.terminating, hostname: p.name,
    };
  });
  const podByKey = new Map(pods.map((p) => [p.key, p]));
  const podByIP = new Map(pods.filter((p) => !p.hostNetwork).map((p) => [p.ip, p]));
  const podsByNode = new Map<string, RPod[]>();
  for (const p of pods) if (p.node) { const l = podsByNode.get(p.node.name) ?? []; l.push(p); podsByNode.set(p.node.name, l); }
  const indexes = new Map<string, LabelIndex<RPod>>();
  for (const p of pods) {
    let ix = indexes.get(p.ns);
    if (!ix) { ix = new LabelIndex<RPod>((x) => x.labels); indexes.set(p.ns, ix); }
    ix.add(p);
  }
  const services: RService[] = [];
  const slicesByService = new Map<string, RSlice[]>();
  for (const s of fx.services ?? []) {
    const type = s.type ?? 'ClusterIP';
    const ports: RServicePort[] = s.ports.map((p) => ({
      name: p.name ?? '', port: p.port, targetPort: p.targetPort ?? p.port, protocol: p.protocol ?? 'TCP', nodePort: p.nodePort,
    }));
    const spec: any = {
      type, clusterIP: s.clusterIP, clusterIPs: [s.clusterIP], ports: ports.map((p) => ({ name: p.name || undefined, port: p.port, targetPort: p.targetPort, protocol: p.protocol, nodePort: p.nodePort })),
      selector: s.selector ?? undefined, externalIPs: s.externalIPs, sessionAffinity: s.affinity ? 'ClientIP' : 'None',
      externalTrafficPolicy: s.etp ?? 'Cluster', internalTrafficPolicy: s.itp ?? 'Cluster', loadBalancerSourceRanges: s.sourceRanges,
      healthCheckNodePort: s.healthCheckNodePort,
    };
    const obj = origin({ apiVersion: 'v1', kind: 'Service', metadata: { name: s.name, namespace: s.ns }, spec,
      status: { loadBalancer: { ingress: (s.lbIPs ?? []).map((ip) => ({ ip })) } } } as KObject);
    const svc: RService = {
      key: `${s.ns}/${s.name}`, ns: s.ns, name: s.name, obj, type, headless: false, clusterIPs: [s.clusterIP], ports,
      selector: s.selector ? compileMapSelector(s.selector) : null, externalIPs: s.externalIPs ?? [], loadBalancerIPs: s.lbIPs ?? [],
      loadBalancerSourceRanges: s.sourceRanges ?? [], externalTrafficPolicy: s.etp ?? 'Cluster', internalTrafficPolicy: s.itp ?? 'Cluster',
      sessionAffinity: s.affinity ? 'ClientIP' : 'None', affinityTimeoutSeconds: s.affinityTimeout ?? 10800,
      publishNotReadyAddresses: !!s.publishNotReady, allocateLoadBalancerNodePorts: true,
    };
    services.push(svc);
    const slices: RSlice[] = [];
    if (s.selector) {
      const matched = (indexes.get(s.ns)?.select(svc.selector!) ?? []).filter((p) => !p.hostNetwork || true);
      // one slice per distinct resolved port set (named targetPorts resolve per pod)
      const groups = new Map<string, { ports: RSlice['ports']; eps: REndpoint[] }>();
      for (const p of matched) {
        const sp = ports.map((port) => {
          let num = typeof port.targetPort === 'number' ? port.targetPort : NaN;
          if (typeof port.targetPort === 'string') {
            const cp = p.ports.find((c) => c.name === port.targetPort && c.protocol === port.protocol);
            num = cp ? cp.port : NaN;
          }
          return { name: port.name, port: num, protocol: port.protocol };
        }).filter((x) => !Number.isNaN(x.port));
        const key = JSON.stringify(sp);
        let g = groups.get(key);
        if (!g) { g = { ports: sp, eps: [] }; groups.set(key, g); }
        const ready = p.ready && !p.terminating;
        g.eps.push({ addresses: [p.ip], ready: ready || s.publishNotReady === true, serving: p.ready, terminating: p.terminating, nodeName: p.node?.name, pod: p });
      }
      let i = 0;
      for (const g of groups.values()) {
        const sobj = origin({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
          metadata: { name: `${s.name}-${(i++).toString(36).padStart(5, 'x')}`, namespace: s.ns, labels: { 'kubernetes.io/service-name': s.name } } } as KObject);
        slices.push({ obj: sobj, service: svc.key, addressType: 'IPv4', endpoints: g.eps, ports: g.ports, managed: true });
      }
    } else if (s.endpoints) {
      const sobj = origin({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
        metadata: { name: `${s.name}-manual`, namespace: s.ns, labels: { 'kubernetes.io/service-name': s.name } } } as KObject);
      const sp = s.endpoints[0]?.ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })) ?? [];
      slices.push({
        obj: sobj, service: svc.key, addressType: 'IPv4', ports: sp, managed: false,
        endpoints: s.endpoints.map((e) => ({
          addresses: [e.ip], ready: e.ready ?? true, serving: e.serving ?? e.ready ?? true, terminating: !!e.terminating, nodeName: e.node,
          pod: podByIP.get(e.ip),
        })),
      });
    }
    slicesByService.set(svc.key, slices);
  }
  const objects: KObject[] = [...nodes.map((n) => n.obj), ...pods.map((p) => p.obj), ...services.map((s) => s.obj),
    ...[...slicesByService.values()].flat().map((s) => s.obj)];
  return {
    config, objects, namespaces: new Map(), nodes, nodeByName, nodeByIP, pods, podByKey, podByIP, podsByNode,
    podIndex: (ns: string) => indexes.get(ns) ?? new LabelIndex<RPod>((x) => x.labels),
    services, serviceByKey: new Map(services.map((s) => [s.key, s])),
    serviceByClusterIP: new Map(services.flatMap((s) => s.clusterIPs.map((ip) => [ip, s] as [string, RService]))),
    slicesByService, warnings: [],
  };
}
