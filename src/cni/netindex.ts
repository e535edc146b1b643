// What the CNI needs to answer a connection in O(1): per-node addresses (cni0 gateway, overlay
// device address, podCIDR), which node owns a pod address, what listens in each node's network
// namespace, hostPorts, veth names and the objects that decide each hop. Built once per Realised
// snapshot (lazily per node where it would scan pods), never per query.
import type { Realised, RContainerPort, RNode, RPod } from '../model/realised';
import { posOf } from '../model/types';
import { cidrContains, ipToBigInt, ipv4ToInt, nthAddress, parseCIDR, type Cidr } from '../net/ip';
import { formatPos, type Decider } from '../net/trace';

/** Something listening in a node's network namespace: a hostNetwork pod's container, or the kubelet. */
export interface Listener {
  pod: RPod | null;
  port: RContainerPort | null;
  /** "kubelet" or the container name */
  what: string;
}

export interface HostPortEntry {
  pod: RPod;
  port: RContainerPort;
}

export interface NodeNet {
  node: RNode;
  cidr4?: Cidr;
  cidr6?: Cidr;
  /** cni0's address: the first address of the node's podCIDR (the pods' default gateway) */
  gw4?: string;
  gw6?: string;
  /** the overlay device's address (flannel gives flannel.1 the podCIDR's network address) */
  tun4?: string;
  tun6?: string;
  decider: Decider;
  /** lazily built: "TCP/10250" → listener */
  listeners?: Map<string, Listener>;
  /** lazily built: "TCP/8080" → the pod container port published there with hostPort */
  hostPorts?: Map<string, HostPortEntry>;
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
  private readonly owner6 = new Map<number, Map<string, NodeNet>>();
  readonly podNets4: V4Net[] = [];
  readonly podNets6: Cidr[] = [];
  readonly serviceNets4: V4Net[] = [];
  readonly serviceNets6: Cidr[] = [];
  readonly nonMasq4: V4Net[] = [];
  readonly nonMasq6: Cidr[] = [];
  private readonly veths = new Map<RPod, string>();
  private readonly podDeciders = new Map<RPod, Decider>();
  private readonly portDeciders = new Map<RContainerPort, Decider>();
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
    const em = cfg.egressMasquerade;
    this.masqDecider = em.by === 'ip-masq-agent'
      ? { what: `ip-masq-agent (nonMasqueradeCIDRs: ${em.nonMasqueradeCIDRs.join(', ') || 'none'})`, pos: em.pos }
      : { what: `${pn.plugin} egress masquerade (pod network ${cfg.podSubnets.join(', ')})`, pos: em.pos ?? pn.pos };
  }

  private addNode(node: RNode): void {
    const nn: NodeNet = {
      node,
      decider: { what: `Node ${node.name}${node.podCIDRs.length ? ` (podCIDR ${node.podCIDRs.map((c) => c.text).join(', ')})` : ''}`, pos: posOf(node.obj, ['spec', 'podCIDR']) },
    };
    for (const c of node.podCIDRs) {
      if (c.family === 4) {
        if (nn.cidr4) continue;
        nn.cidr4 = c;
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

  nodeNet(node: RNode): NodeNet {
    let nn = this.byNode.get(node.name);
    if (!nn) { this.addNode(node); nn = this.byNode.get(node.name)!; }
    return nn;
  }

  /** The node whose podCIDR contains `ip`, if any. */
  ownerOf(ip: string): NodeNet | undefined {
    if (ip.indexOf(':') < 0) {
      const n = ipv4ToInt(ip);
      if (n < 0) return undefined;
      for (const p of this.prefixes4) {
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

  /** The host-side veth of a pod, named as the bridge plugin does ("veth" + 8 hex digits; ours from a hash). */
  veth(pod: RPod): string {
    let v = this.veths.get(pod);
    if (!v) {
      v = 'veth' + fnv1a(pod.key).toString(16).padStart(8, '0');
      this.veths.set(pod, v);
    }
    return v;
  }

  podDecider(pod: RPod): Decider {
    let d = this.podDeciders.get(pod);
    if (!d) {
      d = { what: `Pod ${pod.key}`, pos: posOf(pod.obj) };
      this.podDeciders.set(pod, d);
    }
    return d;
  }

  /** The containerPort entry that declares `port`, positioned at spec.containers[i].ports[j]. */
  portDecider(pod: RPod, port: RContainerPort): Decider {
    let d = this.portDeciders.get(port);
    if (!d) {
      const path = containerPortPath(pod, port);
      d = { what: `Pod ${pod.key} container ${port.container} port ${port.port}/${port.protocol}`, pos: posOf(pod.obj, path) };
      this.portDeciders.set(port, d);
    }
    return d;
  }

  /** What listens in a node's network namespace: the kubelet, then hostNetwork pods in pod order. */
  listeners(nn: NodeNet): Map<string, Listener> {
    if (nn.listeners) return nn.listeners;
    const m = new Map<string, Listener>();
    m.set(`TCP/${KUBELET_PORT}`, { pod: null, port: null, what: 'kubelet' });
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
