// Hand-built Realised snapshots for the CNI's unit tests (independent of the controllers): node i
// gets the (i+2)th address of the node subnet (172.18.0.2…) and the i-th /24 of the pod network
// (10.244.i.0/24), pods the next free address of their node's range (.2, .3…).
import { defaultConfig, type ClusterConfig } from '../model/config';
import type { RContainerPort, RNode, RPod, RService, Realised } from '../model/realised';
import { LabelIndex } from '../model/selector';
import { setOrigin, type KObject } from '../model/types';
import { nthAddress, parseCIDR, subnet } from '../net/ip';
import type { Protocol } from '../net/packet';

export interface FixturePod {
  ns?: string;
  name: string;
  node: string | null;
  labels?: Record<string, string>;
  hostNetwork?: boolean;
  containers?: { name: string; ports?: { port: number; protocol?: Protocol; name?: string; hostPort?: number }[] }[];
  phase?: RPod['phase'];
  /** false: the pod has no IP */
  ip?: string | false;
}

export interface FixtureSpec {
  nodes: string[];
  pods: FixturePod[];
  services?: { ns?: string; name: string; clusterIP: string; port: number }[];
  config?: Partial<ClusterConfig>;
}

let line = 0;
/** Objects get lines 10, 20, 30… in the order a fixture declares them (restarting per fixture). */
function located<T extends object>(obj: T): T {
  const l = (line += 10);
  return setOrigin(obj, { file: 'fixture.yaml', line: l, col: 1, at: (path) => ({ file: 'fixture.yaml', line: l + path.length, col: 3 }) });
}

export function fixture(spec: FixtureSpec): Realised {
  line = 0;
  const config: ClusterConfig = { ...defaultConfig(), ...(spec.config ?? {}) };
  const nodes: RNode[] = spec.nodes.map((name, i) => {
    const ip = nthAddress(parseCIDR(config.nodeSubnet), i + 2);
    const cidr = subnet(parseCIDR(config.podSubnets[0]), config.nodeCidrMaskSizeV4, i);
    const obj = located<KObject>({
      apiVersion: 'v1', kind: 'Node', metadata: { name },
      spec: { podCIDR: cidr.text, podCIDRs: [cidr.text] },
      status: { addresses: [{ type: 'InternalIP', address: ip }] },
    });
    return { name, obj, ip, ips: [ip], podCIDRs: [cidr], labels: {}, ready: true, unschedulable: false, index: i };
  });
  const nodeByName = new Map(nodes.map((n) => [n.name, n]));
  const nodeByIP = new Map(nodes.map((n) => [n.ip, n]));
  const nextHost = new Map<string, number>();
  const pods: RPod[] = spec.pods.map((fp) => {
    const ns = fp.ns ?? 'default';
    const node = fp.node === null ? null : nodeByName.get(fp.node) ?? null;
    if (fp.node !== null && !node) throw new Error(`fixture: no node ${fp.node}`);
    const containers = fp.containers ?? [{ name: 'app', ports: [{ port: 8080 }] }];
    const ports: RContainerPort[] = [];
    for (const c of containers) {
      for (const p of c.ports ?? []) ports.push({ container: c.name, port: p.port, protocol: p.protocol ?? 'TCP', name: p.name, hostPort: p.hostPort });
    }
    let ip = '';
    if (fp.hostNetwork && node) ip = node.ip;
    else if (fp.ip) ip = fp.ip;
    else if (fp.ip !== false && node) {
      const n = (nextHost.get(node.name) ?? 1) + 1;
      nextHost.set(node.name, n);
      ip = nthAddress(node.podCIDRs[0], n);
    }
    const obj = located<KObject>({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: fp.name, namespace: ns, labels: fp.labels ?? {} },
      spec: {
        nodeName: node?.name, hostNetwork: fp.hostNetwork || undefined,
        containers: containers.map((c) => ({ name: c.name, image: 'app', ports: (c.ports ?? []).map((p) => ({ containerPort: p.port, protocol: p.protocol ?? 'TCP', hostPort: p.hostPort })) })),
      },
      status: { phase: fp.phase ?? 'Running', podIP: ip || undefined },
    });
    return {
      key: `${ns}/${fp.name}`, ns, name: fp.name, obj, node, ips: ip ? [ip] : [], ip,
      hostNetwork: !!fp.hostNetwork, labels: fp.labels ?? {}, containers: containers.map((c) => c.name), ports,
      listening: new Map(ports.map((p) => [`${p.protocol}/${p.port}`, p] as const)),
      phase: fp.phase ?? 'Running', ready: (fp.phase ?? 'Running') === 'Running', terminating: false, hostname: fp.name,
    };
  });
  const podByKey = new Map(pods.map((p) => [p.key, p]));
  const podByIP = new Map(pods.filter((p) => !p.hostNetwork && p.ip).map((p) => [p.ip, p]));
  const podsByNode = new Map<string, RPod[]>();
  for (const p of pods) if (p.node) (podsByNode.get(p.node.name) ?? podsByNode.set(p.node.name, []).get(p.node.name)!).push(p);
  const services: RService[] = (spec.services ?? []).map((s) => {
    const ns = s.ns ?? 'default';
    const obj = located<KObject>({ apiVersion: 'v1', kind: 'Service', metadata: { name: s.name, namespace: ns }, spec: { clusterIP: s.clusterIP, ports: [{ port: s.port }] } });
    return {
      key: `${ns}/${s.name}`, ns, name: s.name, obj, type: 'ClusterIP', headless: false, clusterIPs: [s.clusterIP],
      ports: [{ name: '', port: s.port, targetPort: s.port, protocol: 'TCP' }], selector: null, externalIPs: [], loadBalancerIPs: [],
      loadBalancerSourceRanges: [], externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster', sessionAffinity: 'None',
      affinityTimeoutSeconds: 10800, publishNotReadyAddresses: false, allocateLoadBalancerNodePorts: true,
    };
  });
  const indexes = new Map<string, LabelIndex<RPod>>();
  return {
    config,
    objects: [...nodes.map((n) => n.obj), ...pods.map((p) => p.obj), ...services.map((s) => s.obj)],
    namespaces: new Map(),
    nodes, nodeByName, nodeByIP,
    pods, podByKey, podByIP, podsByNode,
    podIndex(ns: string) {
      let ix = indexes.get(ns);
      if (!ix) {
        ix = new LabelIndex<RPod>((p) => p.labels);
        for (const p of pods) if (p.ns === ns) ix.add(p);
        indexes.set(ns, ix);
      }
      return ix;
    },
    services,
    serviceByKey: new Map(services.map((s) => [s.key, s])),
    serviceByClusterIP: new Map(services.map((s) => [s.clusterIPs[0], s])),
    slicesByService: new Map(),
    warnings: [],
  };
}
