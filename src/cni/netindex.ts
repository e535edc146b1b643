// What the CNI needs to answer a connection in O(1): per-node addresses (cni0 gateway, overlay
// device address, podCIDR), which node owns a pod address, what listens in each node's network
// namespace, hostPorts, veth names and the objects that decide each hop. Built once per Realised
// snapshot (lazily per node where it would scan pods), never per query.
import type { Realised, RContainerPort, RNode, RPod } from '../model/realised';
import { lazyDecider, posOf } from '../model/types';
import { cidrContains, ipToBigInt, ipv4ToInt, nthAddress, parseCIDR, type Cidr } from '../net/ip';
import { formatPos, type Decider } from '../net/trace';
import { KUBE_PROXY_HEALTHZ_PORT, proxyHealthz, serviceHealth } from '../kubeproxy/healthcheck';

/** Something listening in a node's network namespace: a hostNetwork pod's container, the kubelet, or the API server. */
export interface Listener {
  pod: RPod | null;
  port: RContainerPort | null;
  /** "kubelet", "kube-apiserver", "kube-proxy" or the container name */
  what: string;
  /** for node agents: what the trace says when a connection arrives */
  detail?: string;
}

export interface HostPortEntry {
  pod: RPod;
  port: RContainerPort;
}

export interface NodeNet {
  node: RNode;
  cidr4?: Cidr;
  cidr6?: Cidr;
  /** cidr4's network address as a number (-1 without one) */
  base4: number;
  /** cni0's address: the first address of the node's podCIDR (the pods' default gateway) */
  gw4?: string;
  gw6?: string;
  /** the overlay device's address (flannel gives flannel.1 the podCIDR's network address) */
  tun4?: string;
  tun6?: string;
  /** the node's first IPv4 / IPv6 InternalIP (node.ip when it has none of that family) */
  ip4: string;
  ip6: string;
  /** "node/NAME", the start of every hop path on the node */
  at: string;
  decider: Decider;
  /** lazily: hop texts that depend on this node alone ("node/NAME/cni0", the route to its podCIDR…) */
  cni0At?: string;
  devAt?: string;
  route4?: string;
  route6?: string;
  outerDst4?: string;
  outerDst6?: string;
  /** lazily: the halves of the encapsulate / decapsulate hops' texts this node contributes */
  encapFrom4?: string;
  encapFrom6?: string;
  encapTo4?: string;
  encapTo6?: string;
  decapAt4?: string;
  decapAt6?: string;
  decapFrom4?: string;
  decapFrom6?: string;
  /** lazily built: "TCP/10250" → listener */
  listeners?: Map<string, Listener>;
  /** lazily built: "TCP/8080" → the pod container port published there with hostPort */
  hostPorts?: Map<string, HostPortEntry>;
}

/**
 * What the walk says about one pod, made on first use and kept: its veth, the object that decides
 * its hops, and the texts of hops that depend on the pod alone (so a walk builds no string twice).
 */
export interface PodNet {
  pod: RPod;
  /** pod.node and pod.phase, copied so that a walk reaching the pod reads one object, not two */
  node: RNode | null;
  phase: RPod['phase'];
  /** "pod/NS/NAME" */
  at: string;
  /** the host-side veth */
  veth: string;
  decider: Decider;
  /** the pod's first IPv4 / IPv6 address ('' when it has none) */
  ip4: string;
  ip6: string;
  /** every address of the pod is ip4 or ip6 (then "is it the pod's own address" needs no scan) */
  ipsCovered: boolean;
  /** lazily: the pod's node */
  nn?: NodeNet;
  /** lazily: "pod/NS/NAME/eth0" */
  ethAt?: string;
  /** lazily: the "send" hop of the pod's first container */
  sendAt?: string;
  sendDetail?: string;
  /** lazily: the "veth" hop's detail by the default route, IPv4 / IPv6 */
  viaGw4?: string;
  viaGw6?: string;
  /** lazily: the "bridge" hop's detail */
  bridgeDetail?: string;
  /** lazily: what each of its container ports says when it receives (decider and the deliver hop) */
  ports?: PortNet[];
  /** the last pod.listening lookup: its key and answer (null: nothing listens there) */
  listenKey?: string;
  listener?: RContainerPort | null;
  /** the deliver hop of `listener` on this pod */
  listenNet?: PortNet;
}

export interface PortNet {
  port: RContainerPort;
  decider: Decider;
  /** "pod/NS/NAME/container/C" */
  at: string;
  /** "C listens on TCP 8080 (port "http")" */
  detail: string;
}

/** An IPv4 network as integers, for allocation-free containment checks. */
export interface V4Net {
  base: number;
  prefix: number;
  text: string;
}

export function v4Net(c: Cidr): V4Net {
  return { base: Number(c.base), prefix: c.prefix, text: c.text };
}

export function inV4(n: number, net: V4Net): boolean {
  if (net.prefix === 0) return true;
  const shift = 32 - net.prefix;
  return (n >>> shift) === (net.base >>> shift);
}

/** The kubelet serves its API on 10250/TCP on every node address. */
export const KUBELET_PORT = 10250;
/** kube-proxy's healthz server (KubeProxyConfiguration healthzBindAddress, default 0.0.0.0:10256). */
export { KUBE_PROXY_HEALTHZ_PORT };

/** FNV-1a, for deterministic interface names. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function encapName(mode: string, plugin: string, device: string, port: number | undefined): { text: string; proto: string; port?: number } {
  if (mode === 'vxlan') {
    const p = port ?? 8472;
    // flannel names its VXLAN device flannel.<VNI> (VNI 1 by default)
    const vni = plugin === 'flannel' ? /^flannel\.(\d+)$/.exec(device)?.[1] ?? '1' : '';
    return { text: `VXLAN (${vni ? `VNI ${vni}, ` : ''}UDP ${p})`, proto: 'UDP', port: p };
  }
  if (mode === 'geneve') {
    const p = port ?? 6081;
    return { text: `Geneve (UDP ${p})`, proto: 'UDP', port: p };
  }
  return { text: 'IP-in-IP (IP protocol 4)', proto: 'IPIP' };
}

export function defaultDevice(mode: string): string {
  return mode === 'vxlan' ? 'flannel.1' : mode === 'geneve' ? 'genev_sys_6081' : 'tunl0';
}

export interface Encap {
  /** the overlay device, e.g. flannel.1 */
  device: string;
  /** e.g. "VXLAN (VNI 1, UDP 8472)" */
  text: string;
  /** outer protocol: UDP or IPIP */
  proto: string;
  port?: number;
}

export class NetIndex {
  readonly byNode = new Map<string, NodeNet>();
  /** every address a node holds (InternalIPs, cni0, overlay device) → that node */
  readonly localAddr = new Map<string, NodeNet>();
  private readonly owner4 = new Map<number, Map<number, NodeNet>>();
  private readonly prefixes4: number[] = [];
  /**
   * owner4 again as arrays, one per prefix (aligned with prefixes4), indexed by the network number
   * minus the lowest one: the podCIDRs of a cluster are a dense block of one range, and an array
   * of a few thousand entries stays in the CPU cache where a Map's buckets do not. Built with the
   * index; a node added later (not in the snapshot) turns it off.
   */
  private dense4: ({ lo: number; arr: (NodeNet | undefined)[] } | undefined)[] | undefined;
  private readonly owner6 = new Map<number, Map<string, NodeNet>>();
  readonly podNets4: V4Net[] = [];
  readonly podNets6: Cidr[] = [];
  readonly serviceNets4: V4Net[] = [];
  readonly serviceNets6: Cidr[] = [];
  readonly nonMasq4: V4Net[] = [];
  readonly nonMasq6: Cidr[] = [];
  private readonly podNets = new Map<RPod, PodNet>();
  private readonly podNetsByIP = new Map<string, PodNet>();
  readonly podNetworkDecider: Decider;
  /** how cross-node pod traffic is wrapped (overlay modes) */
  readonly encap: Encap;
  readonly masqDecider: Decider;

  constructor(readonly realised: Realised) {
    const cfg = realised.config;
    for (const text of cfg.podSubnets) addNet(text, this.podNets4, this.podNets6);
    for (const text of cfg.serviceSubnets) addNet(text, this.serviceNets4, this.serviceNets6);
    for (const text of cfg.egressMasquerade.nonMasqueradeCIDRs) addNet(text, this.nonMasq4, this.nonMasq6);
    for (const node of realised.nodes) this.addNode(node);
    const pn = cfg.podNetwork;
    const device = pn.mode === 'routed' ? pn.device || 'eth0' : pn.device || defaultDevice(pn.mode);
    this.encap = { device, ...encapName(pn.mode, pn.plugin, device, pn.port) };
    const posText = pn.pos ? ` (${formatPos(pn.pos)})` : '';
    const decided = posText && pn.decidedBy.endsWith(posText) ? pn.decidedBy.slice(0, -posText.length) : pn.decidedBy;
    this.podNetworkDecider = { what: `pod network: ${decided}`, pos: pn.pos };
    this.localsByOwner = this.checkLocalsByOwner();
    this.dense4 = this.prefixes4.map((p) => denseOwners(p, this.owner4.get(p)!));
    const em = cfg.egressMasquerade;
    this.masqDecider = em.by === 'ip-masq-agent'
      ? { what: `ip-masq-agent (nonMasqueradeCIDRs: ${em.nonMasqueradeCIDRs.join(', ') || 'none'})`, pos: em.pos }
      : { what: `${pn.plugin} egress masquerade (pod network ${cfg.podSubnets.join(', ')})`, pos: em.pos ?? pn.pos };
  }

  private addNode(node: RNode): void {
    if (this.built) { this.localsByOwner = false; this.dense4 = undefined; } // a node the snapshot did not list: keep to the maps
    // every field is set here, the lazy ones to undefined: one object shape for all nodes, its
    // fields inside the object (fields added later would live in a separate, slower store)
    const nn: NodeNet = {
      node,
      cidr4: undefined, cidr6: undefined, base4: -1,
      gw4: undefined, gw6: undefined, tun4: undefined, tun6: undefined,
      ip4: firstOf(node.ips, false) ?? node.ip,
      ip6: firstOf(node.ips, true) ?? node.ip,
      at: 'node/' + node.name,
      decider: lazyDecider(`Node ${node.name}${node.podCIDRs.length ? ` (podCIDR ${node.podCIDRs.map((c) => c.text).join(', ')})` : ''}`, node.obj, ['spec', 'podCIDR']),
      cni0At: undefined, devAt: undefined, route4: undefined, route6: undefined, outerDst4: undefined, outerDst6: undefined,
      encapFrom4: undefined, encapFrom6: undefined, encapTo4: undefined, encapTo6: undefined,
      decapAt4: undefined, decapAt6: undefined, decapFrom4: undefined, decapFrom6: undefined,
      listeners: undefined, hostPorts: undefined,
    };
    for (const c of node.podCIDRs) {
      if (c.family === 4) {
        if (nn.cidr4) continue;
        nn.cidr4 = c;
        nn.base4 = Number(c.base);
        nn.gw4 = nthAddress(c, 1);
        nn.tun4 = nthAddress(c, 0);
        let m = this.owner4.get(c.prefix);
        if (!m) { m = new Map(); this.owner4.set(c.prefix, m); this.prefixes4.push(c.prefix); }
        m.set(Number(c.base), nn);
      } else {
        if (nn.cidr6) continue;
        nn.cidr6 = c;
        nn.gw6 = nthAddress(c, 1);
        nn.tun6 = nthAddress(c, 0);
        let m = this.owner6.get(c.prefix);
        if (!m) { m = new Map(); this.owner6.set(c.prefix, m); }
        m.set((c.base >> BigInt(128 - c.prefix)).toString(16), nn);
      }
    }
    this.byNode.set(node.name, nn);
    for (const ip of node.ips) this.localAddr.set(ip, nn);
    if (nn.gw4) this.localAddr.set(nn.gw4, nn);
    if (nn.gw6) this.localAddr.set(nn.gw6, nn);
    if (this.realised.config.podNetwork.mode !== 'routed') {
      if (nn.tun4) this.localAddr.set(nn.tun4, nn);
      if (nn.tun6) this.localAddr.set(nn.tun6, nn);
    }
  }

  private lastNode: RNode | undefined;
  private lastNN: NodeNet | undefined;

  /**
   * True when every local address inside some node's podCIDR is that node's cni0 or overlay
   * address (as flannel and the bridge plugin set them): then localOf needs no map lookup for pod
   * addresses. A node IP inside the pod network (a misconfiguration) turns it off.
   */
  private localsByOwner = false;
  private built = false;

  private checkLocalsByOwner(): boolean {
    this.built = true;
    for (const [ip, nn] of this.localAddr) {
      if (ip.indexOf(':') >= 0) continue; // IPv6 addresses always take the map
      const o = this.ownerOf(ip);
      if (o === undefined) continue;
      if (o !== nn) return false;
      if (ip !== nn.gw4 && !(this.tunnelLocal && ip === nn.tun4)) return false;
    }
    return true;
  }

  private get tunnelLocal(): boolean {
    return this.realised.config.podNetwork.mode !== 'routed';
  }

  /**
   * localAddr.get(ip), given owner = ownerOf(ip): the node that holds `ip` on one of its
   * interfaces (InternalIPs, cni0, the overlay device).
   */
  localOf(ip: string, owner: NodeNet | undefined): NodeNet | undefined {
    if (owner === undefined || !this.localsByOwner || ip.indexOf(':') >= 0) return this.localAddr.get(ip);
    // in owner's podCIDR: only its cni0 (base + 1) and overlay (base) addresses are local
    const off = ipv4ToInt(ip) - owner.base4;
    if (off === 1) return ip === owner.gw4 ? owner : undefined;
    if (off === 0 && this.tunnelLocal) return ip === owner.tun4 ? owner : undefined;
    return undefined;
  }

  nodeNet(node: RNode): NodeNet {
    // a walk asks for the same node several times in a row: remember the last answer
    if (node === this.lastNode) return this.lastNN!;
    let nn = this.byNode.get(node.name);
    if (!nn) { this.addNode(node); nn = this.byNode.get(node.name)!; }
    this.lastNode = node;
    this.lastNN = nn;
    return nn;
  }

  private hostPortNums: Set<number> | undefined;

  /**
   * False when no pod anywhere publishes `port` as a hostPort, so no CNI-HOSTPORT-DNAT rule on any
   * node can match it (the portmap hook's O(1) shortcut; hostPorts(nn) is the per-node answer).
   */
  mayBeHostPort(port: number): boolean {
    let s = this.hostPortNums;
    if (!s) {
      s = new Set();
      for (const pod of this.realised.pods) for (const p of pod.ports) if (p.hostPort !== undefined) s.add(p.hostPort);
      this.hostPortNums = s;
    }
    return s.size !== 0 && s.has(port);
  }

  /** The node whose podCIDR contains `ip`, if any. */
  ownerOf(ip: string): NodeNet | undefined {
    if (ip.indexOf(':') < 0) {
      const n = ipv4ToInt(ip);
      if (n < 0) return undefined;
      const dense = this.dense4;
      for (let i = 0; i < this.prefixes4.length; i++) {
        const p = this.prefixes4[i];
        const d = dense?.[i];
        if (d) {
          const k = (n >>> (32 - p)) - d.lo;
          if (k >= 0 && k < d.arr.length) {
            const hit = d.arr[k];
            if (hit) return hit;
          }
          continue;
        }
        const shift = 32 - p;
        const base = p === 0 ? 0 : ((n >>> shift) << shift) >>> 0;
        const hit = this.owner4.get(p)!.get(base);
        if (hit) return hit;
      }
      return undefined;
    }
    if (this.owner6.size === 0) return undefined;
    const v = ipToBigInt(ip);
    for (const [p, m] of this.owner6) {
      const hit = m.get((v >> BigInt(128 - p)).toString(16));
      if (hit) return hit;
    }
    return undefined;
  }

  inPodNetwork(ip: string): boolean {
    return inNets(ip, this.podNets4, this.podNets6);
  }

  inServiceNetwork(ip: string): boolean {
    return inNets(ip, this.serviceNets4, this.serviceNets6);
  }

  /** The walk's facts about a pod (one lookup for all of them). */
  podNet(pod: RPod): PodNet {
    let pn = this.podNets.get(pod);
    if (!pn) {
      const ip4 = firstOf(pod.ips, false) ?? '', ip6 = firstOf(pod.ips, true) ?? '';
      // every field set here (the lazy ones to undefined): one shape, fields inside the object
      pn = {
        pod, node: pod.node ?? null, phase: pod.phase, at: 'pod/' + pod.key,
        veth: 'veth' + fnv1a(pod.key).toString(16).padStart(8, '0'),
        decider: { what: `Pod ${pod.key}`, pos: posOf(pod.obj) },
        ip4, ip6, ipsCovered: pod.ips.every((ip) => ip === ip4 || ip === ip6),
        nn: undefined, ethAt: undefined, sendAt: undefined, sendDetail: undefined, viaGw4: undefined, viaGw6: undefined,
        bridgeDetail: undefined, ports: undefined, listenKey: undefined, listener: undefined, listenNet: undefined,
      };
      this.podNets.set(pod, pn);
    }
    return pn;
  }

  /** podNet(podByIP.get(ip)) in one lookup: the pod holding `ip`, kept by address once asked. */
  podNetAt(ip: string): PodNet | undefined {
    let pn = this.podNetsByIP.get(ip);
    if (pn === undefined) {
      const pod = this.realised.podByIP.get(ip);
      if (!pod) return undefined;
      pn = this.podNet(pod);
      this.podNetsByIP.set(ip, pn);
    }
    return pn;
  }

  /** The host-side veth of a pod, named as the bridge plugin does ("veth" + 8 hex digits; ours from a hash). */
  veth(pod: RPod): string {
    return this.podNet(pod).veth;
  }

  podDecider(pod: RPod): Decider {
    return this.podNet(pod).decider;
  }

  /**
   * A container port of a pod as the deliver hop names it. Pods of one ReplicaSet share their
   * RContainerPort objects (one spec), so this is kept per pod: the decider names the pod that received.
   */
  portNet(pod: RPod, port: RContainerPort, pn: PodNet = this.podNet(pod)): PortNet {
    const list = pn.ports ??= [];
    for (let i = 0; i < list.length; i++) if (list[i].port === port) return list[i];
    const path = containerPortPath(pod, port);
    const e: PortNet = {
      port,
      decider: lazyDecider(`Pod ${pod.key} container ${port.container} port ${port.port}/${port.protocol}`, pod.obj, path),
      at: `pod/${pod.key}/container/${port.container}`,
      detail: `${port.container} listens on ${port.protocol} ${port.port}${port.name ? ` (port "${port.name}")` : ''}${port.assumedFrom ? ` (not declared in ports: assumed from its ${port.assumedFrom} on that port)` : ''}`,
    };
    list.push(e);
    return e;
  }

  /** The containerPort entry that declares `port`, positioned at spec.containers[i].ports[j]. */
  portDecider(pod: RPod, port: RContainerPort): Decider {
    return this.portNet(pod, port).decider;
  }

  /** What listens in a node's network namespace: the kubelet, then hostNetwork pods in pod order. */
  listeners(nn: NodeNet): Map<string, Listener> {
    if (nn.listeners) return nn.listeners;
    const m = new Map<string, Listener>();
    m.set(`TCP/${KUBELET_PORT}`, { pod: null, port: null, what: 'kubelet', detail: `the kubelet listens on TCP ${KUBELET_PORT} on every address of ${nn.node.name}` });
    // kube-proxy serves /healthz on 0.0.0.0:10256 (healthzBindAddress), and for every
    // externalTrafficPolicy: Local load balancer its healthCheckNodePort, answering 200 where the
    // node has a local ready endpoint and 503 where it has none (how cloud LBs pick nodes)
    m.set(`TCP/${KUBE_PROXY_HEALTHZ_PORT}`, { pod: null, port: null, what: 'kube-proxy', detail: `kube-proxy serves /healthz on TCP ${KUBE_PROXY_HEALTHZ_PORT} on ${nn.node.name}: ${proxyHealthz(nn.node, '/healthz').status}` });
    for (const svc of this.realised.services) {
      const hc = svc.obj.spec?.healthCheckNodePort;
      if (typeof hc !== 'number' || svc.type !== 'LoadBalancer' || svc.obj.spec?.externalTrafficPolicy !== 'Local') continue;
      m.set(`TCP/${hc}`, { pod: null, port: null, what: 'kube-proxy', detail: serviceHealth(this.realised, svc, nn.node).detail });
    }
    // the API server listens where the `kubernetes` Service's endpoints say it does (6443 on a
    // kubeadm control-plane node: a static hostNetwork pod the inputs usually do not declare)
    for (const slice of this.realised.slicesByService.get('default/kubernetes') ?? []) {
      if (!slice.endpoints.some((e) => e.addresses.some((a) => nn.node.ips.includes(a)))) continue;
      for (const sp of slice.ports) m.set(`${sp.protocol}/${sp.port}`, { pod: null, port: null, what: 'kube-apiserver', detail: `kube-apiserver listens on ${sp.protocol} ${sp.port} on ${nn.node.name} (an endpoint of Service default/kubernetes)` });
    }
    for (const pod of this.realised.podsByNode.get(nn.node.name) ?? []) {
      if (!pod.hostNetwork || pod.phase !== 'Running') continue;
      for (const p of pod.ports) {
        const k = `${p.protocol}/${p.port}`;
        if (!m.has(k)) m.set(k, { pod, port: p, what: p.container });
      }
    }
    nn.listeners = m;
    return m;
  }

  /** hostPorts published on a node (the CNI portmap plugin's CNI-HOSTPORT-DNAT). */
  hostPorts(nn: NodeNet): Map<string, HostPortEntry> {
    if (nn.hostPorts) return nn.hostPorts;
    const m = new Map<string, HostPortEntry>();
    for (const pod of this.realised.podsByNode.get(nn.node.name) ?? []) {
      if (pod.hostNetwork || pod.phase !== 'Running' || !pod.ip) continue;
      for (const p of pod.ports) {
        if (p.hostPort === undefined) continue;
        const k = `${p.protocol}/${p.hostPort}`;
        if (!m.has(k)) m.set(k, { pod, port: p });
      }
    }
    nn.hostPorts = m;
    return m;
  }
}

const DENSE_MAX = 1 << 17;

/** The owners of one prefix length as an array by network number, when their numbers are few and close. */
function denseOwners(prefix: number, m: Map<number, NodeNet>): { lo: number; arr: (NodeNet | undefined)[] } | undefined {
  if (prefix === 0 || m.size === 0) return undefined;
  const shift = 32 - prefix;
  let lo = Infinity, hi = -Infinity;
  for (const base of m.keys()) {
    const k = base >>> shift;
    if (k < lo) lo = k;
    if (k > hi) hi = k;
  }
  if (hi - lo >= DENSE_MAX) return undefined;
  const arr = new Array<NodeNet | undefined>(hi - lo + 1).fill(undefined);
  for (const [base, nn] of m) arr[(base >>> shift) - lo] = nn;
  return { lo, arr };
}

function firstOf(ips: readonly string[], v6: boolean): string | undefined {
  for (const ip of ips) if ((ip.indexOf(':') >= 0) === v6) return ip;
  return undefined;
}

function addNet(text: string, v4: V4Net[], v6: Cidr[]): void {
  let c: Cidr;
  try { c = parseCIDR(text); } catch { return; }
  if (c.family === 4) v4.push(v4Net(c)); else v6.push(c);
}

export function inNets(ip: string, nets4: readonly V4Net[], nets6: readonly Cidr[]): boolean {
  if (ip.indexOf(':') < 0) {
    const n = ipv4ToInt(ip);
    if (n < 0) return false;
    for (const net of nets4) if (inV4(n, net)) return true;
    return false;
  }
  for (const c of nets6) if (cidrContains(c, ip)) return true;
  return false;
}

function containerPortPath(pod: RPod, port: RContainerPort): (string | number)[] {
  const spec = pod.obj.spec ?? {};
  for (const field of ['containers', 'initContainers']) {
    const list: any[] = Array.isArray(spec[field]) ? spec[field] : [];
    for (let i = 0; i < list.length; i++) {
      if (list[i]?.name !== port.container) continue;
      if (port.assumedFrom) return ['spec', field, i, port.assumedFrom];
      const ports: any[] = Array.isArray(list[i].ports) ? list[i].ports : [];
      for (let j = 0; j < ports.length; j++) {
        if (Number(ports[j]?.containerPort) === port.port && (ports[j]?.protocol ?? 'TCP') === port.protocol) return ['spec', field, i, 'ports', j];
      }
      return ['spec', field, i];
    }
  }
  return [];
}

const cache = new WeakMap<Realised, NetIndex>();

/** The CNI's index for a snapshot (built on first use, then shared). */
export function netIndex(realised: Realised): NetIndex {
  let ix = cache.get(realised);
  if (!ix) {
    ix = new NetIndex(realised);
    cache.set(realised, ix);
  }
  return ix;
}
