// The packet walk: one connection's first packet through the network a Linux node with a bridge
// CNI builds, hop by hop, with netfilter hooks (the CNI's, kube-proxy's…) called where the kernel
// calls them. The model:
// - Each pod has its own network namespace, created by the pause (sandbox) container; its app
//   containers share it, so they reach each other on 127.0.0.1 and on the pod IP over lo.
// - The pod's eth0 is one end of a veth pair; the other end (vethXXXXXXXX) is a port of the
//   node's bridge cni0, whose address (the podCIDR's first address) is the pods' default gateway.
// - Same node: cni0 switches the frame to the destination pod's veth. Across nodes: an overlay
//   (VXLAN / Geneve / IP-in-IP: encapsulated between the node IPs, decapsulated on the peer) or
//   routed (a route to the peer's podCIDR via its node IP; no encapsulation).
// - hostNetwork pods live in the node's namespace: the node's IPs and ports (the kubelet's 10250 too).
// - nat PREROUTING runs on every node a packet enters (OUTPUT for locally generated packets), nat
//   POSTROUTING on every node it leaves; conntrack reverses every translation for the reply.
// - Declared containerPorts are what listens. A port nobody listens on is refused (TCP RST, ICMP
//   port unreachable for UDP, SCTP ABORT); an address nobody holds is unreachable.
import type { RContainerPort, Realised, RNode, RPod } from '../model/realised';
import { posOf } from '../model/types';
import { hostPort } from '../net/ip';
import { view, type Packet } from '../net/packet';
import type { Action, Decider, Hop, PacketView } from '../net/trace';
import { cniHooks } from './hooks';
import { netIndex, type NetIndex, type NodeNet, type PodNet } from './netindex';
import { ephemeralPort, mulberry32 } from './rng';
import { loadBalancerRefuses } from './cloudlb';
import type { ConnectRequest, ConnectResult, HookContext, HookResult, NatEntry, NetfilterHooks, PolicyCheck, PolicyDecision, Verdict } from './types';

const MAX_NODE_VISITS = 16;

/** Walks one connection. `hooks` defaults to the CNI's own rules (no kube-proxy). */
export function connect(realised: Realised, req: ConnectRequest, hooks?: NetfilterHooks): ConnectResult {
  return new Walk(realised, netIndex(realised), hooks ?? cniHooks(realised), req).run();
}

export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1';
}

function pickIP(ips: readonly string[], v6: boolean): string | undefined {
  for (const ip of ips) if ((ip.indexOf(':') >= 0) === v6) return ip;
  return undefined;
}

function refusal(proto: string): string {
  return proto === 'TCP' ? 'a TCP RST (connection refused)' : proto === 'UDP' ? 'ICMP port unreachable' : 'an SCTP ABORT';
}

/** "TCP/8080", the key of listening maps, made once per protocol and port. */
const portKeys = new Map<string, Map<number, string>>();
function portKeyOf(proto: string, port: number): string {
  let m = portKeys.get(proto);
  if (!m) { m = new Map(); portKeys.set(proto, m); }
  let k = m.get(port);
  if (k === undefined) { k = proto + '/' + port; m.set(port, k); }
  return k;
}

class Walk {
  private readonly hops: Hop[] = [];
  private readonly nat: NatEntry[] = [];
  private pkt: Packet | null = null;
  private pv: PacketView | undefined;
  private encapsulated = false;
  private visits = 0;
  private deliveredNode: string | undefined;
  private egress: ConnectResult['egress'];
  private readonly random: () => number;
  private readonly v6: boolean;
  private readonly proto: string;
  /** NetworkPolicy, when the cluster has any (the no-policy path is this one undefined check) */
  private readonly policy: PolicyCheck | undefined;

  constructor(private readonly r: Realised, private readonly ix: NetIndex, private readonly hooks: NetfilterHooks, private readonly req: ConnectRequest) {
    this.random = mulberry32(req.seed ?? r.config.seed);
    this.v6 = req.to.indexOf(':') >= 0;
    this.proto = req.protocol;
    this.policy = hooks.policy;
  }

  run(): ConnectResult {
    const from = this.req.from;
    if (from.kind === 'pod') {
      const pod = from.pod;
      if (!this.sourceRuns(pod)) return this.finish('unreachable');
      return pod.hostNetwork ? this.fromNode(pod.node!, pod, from.container ?? pod.containers[0] ?? 'app') : this.fromPod(pod, from.container);
    }
    if (from.kind === 'node') return this.fromNode(from.node);
    return this.fromExternal(from.ip);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private hop(at: string, action: Action, detail: string, source?: Decider): void {
    // built whole (a field added afterwards would go to a separate store)
    this.hops.push(source ? { at, action, detail, packet: this.pv, source } : { at, action, detail, packet: this.pv });
  }

  private setPacket(p: Packet): void {
    if (p !== this.pkt) {
      this.pkt = p;
      this.pv = view(p);
    }
  }

  /** The node whose podCIDR holds `ip` (remembered: a walk asks about the same address on every node). */
  private ownerIP: string | undefined;
  private ownerNN: NodeNet | undefined;
  private ownerOf(ip: string): NodeNet | undefined {
    if (ip !== this.ownerIP) {
      this.ownerNN = this.ix.ownerOf(ip);
      this.ownerIP = ip;
    }
    return this.ownerNN;
  }

  /** The node holding `ip` on an interface (the index's localAddr, answered from ownerOf where it can). */
  private localOf(ip: string): NodeNet | undefined {
    return this.ix.localOf(ip, this.ownerOf(ip));
  }

  /** "TCP/8080" for the packet's destination port, the key of listening maps (made once per port). */
  private portKey(): string {
    return portKeyOf(this.pkt!.proto, this.pkt!.dport);
  }

  private newPacket(src: string, dst: string): void {
    const sport = this.req.sport ?? ephemeralPort(this.random);
    this.setPacket({ proto: this.req.protocol, src, sport, dst, dport: this.req.port });
  }

  /** Takes a hook's result in; false when the hook stopped the packet. */
  private absorb(res: HookResult, node: RNode): boolean {
    for (const h of res.hops) this.hops.push(h);
    for (const e of res.nat) this.nat.push(e.node ? e : { ...e, node: node.name });
    this.setPacket(res.packet);
    return res.verdict === 'continue';
  }

  /** A policy decision into the trace; a ConnectResult when it denied (the CNI drops silently). */
  private enforce(d: PolicyDecision | null): ConnectResult | null {
    if (d === null) return null;
    const action = d.allow ? 'allow' : 'deny';
    for (const h of d.hops) {
      if (h.policy) this.hops.push({ at: h.at, action: h.action ?? action, detail: h.detail, packet: this.pv, source: h.source, policy: h.policy });
      else this.hop(h.at, h.action ?? action, h.detail, h.source);
    }
    return d.allow ? null : this.finish('dropped');
  }

  private stopped(res: HookResult): ConnectResult {
    return this.finish(res.verdict === 'reject' ? 'rejected' : 'dropped');
  }

  private sourceRuns(pod: RPod): boolean {
    if (pod.phase === 'Running' && pod.node && pod.ip) return true;
    let why: string;
    if (pod.phase === 'Pending') {
      why = pod.node
        ? `is Pending on ${pod.node.name}: its containers are not running yet${pod.ip ? '' : ' and its sandbox has no IP'}`
        : 'is Pending and not scheduled to any node: no sandbox (pause container) exists, so it has no network namespace and no IP';
    } else if (pod.phase === 'Succeeded' || pod.phase === 'Failed') {
      why = `has ${pod.phase}: its containers have exited and its sandbox (with its network namespace) is gone`;
    } else if (!pod.node || !pod.ip) {
      why = 'has no node or no IP';
    } else {
      why = `is in phase ${pod.phase}`;
    }
    this.hop(`pod/${pod.key}`, 'unreachable', `${pod.key} ${why}; it cannot open a connection`, this.ix.podDecider(pod));
    return false;
  }

  // ---- sources -------------------------------------------------------------------------------

  private fromPod(pod: RPod, container: string | undefined): ConnectResult {
    const dst = this.req.to;
    const pn = this.ix.podNet(pod);
    const src = this.v6 ? pn.ip6 : pn.ip4;
    if (!src) {
      this.hop(pn.at, 'unreachable', `${pod.key} has no IPv${this.v6 ? 6 : 4} address, so it has no route to ${dst}`, pn.decider);
      return this.finish('unreachable');
    }
    this.newPacket(src, dst);
    if (container === undefined) {
      // the pod's first container: its hop texts are the pod's own, made once
      if (pn.sendAt === undefined) {
        const ctr = pod.containers[0] ?? 'app';
        pn.sendAt = `pod/${pod.key}/container/${ctr}`;
        pn.sendDetail = `${ctr} connects from ${pod.key}'s network namespace (created by the pause container, shared by all its containers)`;
      }
      this.hop(pn.sendAt, 'send', pn.sendDetail!, pn.decider);
    } else {
      this.hop(`pod/${pod.key}/container/${container}`, 'send',
        `${container} connects from ${pod.key}'s network namespace (created by the pause container, shared by all its containers)`, pn.decider);
    }
    if (isLoopback(dst) || (pn.ipsCovered ? dst === pn.ip4 || dst === pn.ip6 : pod.ips.includes(dst))) {
      this.hop(`pod/${pod.key}/lo`, 'loopback', `${dst} is local to the pod's network namespace: over lo, without leaving the pod (no veth, no bridge)`);
      return this.deliverInPod(pod, pn);
    }
    const nn = pn.nn ??= this.ix.nodeNet(pod.node!);
    const cidr = this.v6 ? nn.cidr6 : nn.cidr4;
    const ethAt = pn.ethAt ??= pn.at + '/eth0';
    if (cidr && this.ownerOf(dst) === nn) {
      this.hop(ethAt, 'veth', `${dst} is on-link (${cidr.text} dev eth0): out eth0 into ${pn.veth} on ${nn.node.name}`);
    } else if (this.v6) {
      this.hop(ethAt, 'veth', pn.viaGw6 ??= `default route via ${nn.gw6 ?? 'the node'} (cni0): out eth0 into ${pn.veth} on ${nn.node.name}`);
    } else {
      this.hop(ethAt, 'veth', pn.viaGw4 ??= `default route via ${nn.gw4 ?? 'the node'} (cni0): out eth0 into ${pn.veth} on ${nn.node.name}`);
    }
    return this.enterNode(nn, 'veth', pod, 'PREROUTING');
  }

  private fromNode(node: RNode, hostPod?: RPod, ctr?: string): ConnectResult {
    const dst = this.req.to;
    const nn = this.ix.nodeNet(node);
    let src: string | undefined;
    let why: string;
    if (isLoopback(dst)) {
      src = this.v6 ? '::1' : '127.0.0.1';
      why = 'lo';
    } else if (this.ix.localAddr.get(dst) === nn) {
      src = dst;
      why = `${dst} is the node's own address`;
    } else {
      const owner = this.ix.ownerOf(dst);
      if (owner === nn) {
        src = this.v6 ? nn.gw6 : nn.gw4;
        why = `the route ${(this.v6 ? nn.cidr6 : nn.cidr4)!.text} dev cni0 has src ${src}`;
      } else if (owner && this.r.config.podNetwork.mode !== 'routed') {
        src = this.v6 ? nn.tun6 : nn.tun4;
        why = `the route to ${owner.node.name}'s podCIDR goes through ${this.ix.encap.device}, whose address is ${src}`;
      } else {
        why = 'the route goes out eth0';
      }
    }
    if (!src) src = pickIP(node.ips, this.v6) ?? node.ip;
    this.newPacket(src, dst);
    if (hostPod) {
      this.hop(`pod/${hostPod.key}/container/${ctr}`, 'send',
        `${ctr} of hostNetwork pod ${hostPod.key} connects from ${node.name}'s own network namespace (no pod sandbox namespace; source ${src}: ${why})`, this.ix.podDecider(hostPod));
    } else {
      this.hop(`node/${node.name}`, 'send', `a process on ${node.name} connects from the node's network namespace (source ${src}: ${why})`, nn.decider);
    }
    return this.enterNode(nn, 'local', undefined, 'OUTPUT');
  }

  private fromExternal(ip: string): ConnectResult {
    const dst = this.req.to;
    const via = this.req.via;
    this.newPacket(ip, dst);
    this.hop(`external/${ip}`, 'send', `a client at ${ip} outside the cluster connects to ${hostPort(dst, this.req.port)}`);
    const dstNode = this.r.nodeByIP.get(dst);
    const lb = dstNode ? null : loadBalancerRefuses(this.r, dst, this.req.port, this.req.protocol);
    if (lb) {
      this.hop(`cloud-lb/${dst}`, 'drop', lb.why, { what: `Service ${lb.service.key}`, pos: posOf(lb.service.obj) });
      return this.finish('dropped');
    }
    let entry: NodeNet | undefined;
    let why: string;
    if (dstNode) {
      entry = this.ix.nodeNet(dstNode);
      why = `${dst} is ${dstNode.name}'s address`;
      if (via && via !== dstNode.name) why += ` (via ${via} does not apply: the network delivers a node's address to that node)`;
    } else if (via) {
      const n = this.r.nodeByName.get(via);
      if (!n) {
        this.hop(`external/${ip}`, 'unreachable', `no node is named ${via}`);
        return this.finish('unreachable');
      }
      entry = this.ix.nodeNet(n);
      why = `the network hands ${dst} to ${via} (named by via)`;
    } else {
      const owner = this.ix.ownerOf(dst);
      if (owner && this.r.config.podNetwork.mode === 'routed') {
        entry = owner;
        why = `${dst} is in ${owner.node.name}'s podCIDR, which the routed network sends to ${owner.node.name}`;
      } else if (this.ix.inPodNetwork(dst)) {
        this.hop(`external/${ip}`, 'unreachable',
          `${dst} is a pod address: in the ${this.r.config.podNetwork.mode} overlay, pod addresses are not routed outside the cluster (name the node the network hands it to with via)`, this.ix.podNetworkDecider);
        return this.finish('unreachable');
      } else {
        const first = this.r.nodes.find((n) => n.ready) ?? this.r.nodes[0];
        if (!first) {
          this.hop(`external/${ip}`, 'unreachable', 'the cluster has no nodes');
          return this.finish('unreachable');
        }
        entry = this.ix.nodeNet(first);
        why = `the network hands ${dst} to ${first.name}, the first ready node (via names another)`;
      }
    }
    this.hop(`node/${entry.node.name}/eth0`, 'forward', `arrives on ${entry.node.name}'s eth0: ${why}`, entry.decider);
    return this.enterNode(entry, 'eth0', undefined, 'PREROUTING');
  }

  // ---- nodes ---------------------------------------------------------------------------------

  private enterNode(nn: NodeNet, inIface: HookContext['inIface'], fromPod: RPod | undefined, hook: 'PREROUTING' | 'OUTPUT'): ConnectResult {
    if (++this.visits > MAX_NODE_VISITS) {
      this.hop(nn.at, 'drop', `the packet entered nodes ${MAX_NODE_VISITS} times: a routing loop, dropped`);
      return this.finish('dropped');
    }
    const node = nn.node;
    const ctx: HookContext = { realised: this.r, random: this.random, fromPod, inIface, outAddress: undefined };
    const res = this.hooks.dnat(node, this.pkt!, hook, ctx);
    if (!this.absorb(res, node)) return this.stopped(res);
    // egress policy sees the destination after DNAT (a Service's backend pod and targetPort)
    if (fromPod !== undefined && this.policy !== undefined) {
      const stop = this.enforce(this.policy.egress(fromPod, this.pkt!));
      if (stop) return stop;
    }
    return this.route(nn, ctx, !!res.masqueradeMark, hook === 'OUTPUT');
  }

  /** nat POSTROUTING on the way out of `node`; a ConnectResult when a hook stopped the packet. */
  private snat(node: RNode, nn: NodeNet, out: 'cni0' | 'eth0' | 'tunnel' | 'lo', mark: boolean, ctx: HookContext): ConnectResult | null {
    ctx.outAddress = out === 'eth0' ? (this.v6 ? nn.ip6 : nn.ip4)
      : out === 'tunnel' ? (this.v6 ? nn.tun6 : nn.tun4)
      : out === 'cni0' ? (this.v6 ? nn.gw6 : nn.gw4)
      // lo: its only address is host-scope (127.0.0.1/8, ::1), which MASQUERADE's inet_select_addr(dev,
      // dst, RT_SCOPE_UNIVERSE) skips; it then takes the first universe-scope address of any device:
      // the node's own (eth0 comes before cni0 and the overlay device)
      : (this.v6 ? nn.ip6 : nn.ip4);
    const res = this.hooks.snat(node, this.pkt!, out, mark, ctx);
    if (!this.absorb(res, node)) return this.stopped(res);
    return null;
  }

  private route(nn: NodeNet, ctx: HookContext, mark: boolean, localOrigin: boolean): ConnectResult {
    const node = nn.node;
    const dst = this.pkt!.dst;
    const local = this.localOf(dst);
    if (local === nn || (localOrigin && isLoopback(dst))) {
      if (localOrigin) {
        const stop = this.snat(node, nn, 'lo', mark, ctx);
        if (stop) return stop;
      }
      return this.deliverOnNode(nn, localOrigin);
    }
    if (isLoopback(dst)) {
      this.hop(`node/${node.name}`, 'drop', `${dst} arriving from outside the node is a martian (loopback) address: the kernel drops it`);
      return this.finish('dropped');
    }
    const owner = this.ownerOf(dst);
    if (owner === nn) return this.toLocalPod(nn, ctx, mark);
    if (owner) return this.crossNode(nn, owner, ctx, mark);
    if (this.ix.inPodNetwork(dst)) {
      this.hop(`node/${node.name}`, 'unreachable',
        `${dst} is inside the pod network (${this.r.config.podSubnets.join(', ')}) but no node holds a podCIDR containing it: no route`, this.ix.podNetworkDecider);
      return this.finish('unreachable');
    }
    if (local) return this.toOtherNode(nn, local, ctx, mark);
    const svc = this.r.serviceByClusterIP.get(dst);
    if (svc) {
      this.hop(`node/${node.name}`, 'drop',
        `${dst} is the ClusterIP of Service ${svc.key}, but nothing on ${node.name} translated ${hostPort(dst, this.pkt!.dport)}/${this.proto}${this.r.config.proxyMode === 'iptables' ? ` (no KUBE-SERVICES rule matches: kube-proxy writes one per declared port and protocol, and ${svc.key} declares ${svc.ports.map((p) => `${p.port}/${p.protocol}`).join(', ') || 'none'})` : ''}: a ClusterIP is virtual (no interface holds it), so the packet follows the default route and is lost`,
        { what: `Service ${svc.key}`, pos: posOf(svc.obj) });
      return this.finish('dropped');
    }
    if (this.ix.inServiceNetwork(dst)) {
      this.hop(`node/${node.name}`, 'unreachable',
        `${dst} is inside the service range (${this.r.config.serviceSubnets.join(', ')}) but no Service holds it`);
      return this.finish('unreachable');
    }
    return this.leaveCluster(nn, ctx, mark);
  }

  private toLocalPod(nn: NodeNet, ctx: HookContext, mark: boolean): ConnectResult {
    const node = nn.node;
    const stop = this.snat(node, nn, 'cni0', mark, ctx);
    if (stop) return stop;
    const dst = this.pkt!.dst;
    const pn = this.ix.podNetAt(dst);
    const pod = pn?.pod;
    const at = nn.cni0At ??= nn.at + '/cni0';
    if (!pn || !pod || pn.node !== node) {
      this.hop(at, 'unreachable',
        `no pod on ${node.name} has ${dst} (${(this.v6 ? nn.cidr6 : nn.cidr4)?.text} is ${node.name}'s podCIDR): nobody answers ARP on cni0, so the sender gets ICMP host unreachable`, nn.decider);
      return this.finish('unreachable');
    }
    this.hop(at, 'bridge', pn.bridgeDetail ??= `cni0 switches the frame to ${pn.veth}, the other end of ${pod.key}'s eth0`, pn.decider);
    if (this.policy !== undefined) {
      const stop = this.enforce(this.policy.ingress(pod, this.pkt!));
      if (stop) return stop;
    }
    return this.deliverInPod(pod, pn);
  }

  private crossNode(nn: NodeNet, owner: NodeNet, ctx: HookContext, mark: boolean): ConnectResult {
    const node = nn.node;
    const peer = owner.node;
    const cfg = this.r.config.podNetwork;
    const v6 = this.v6;
    const selfIP = v6 ? nn.ip6 : nn.ip4;
    const peerIP = v6 ? owner.ip6 : owner.ip4;
    // the route hop's text depends on the peer alone (and the family): made once per peer
    let routeText = v6 ? owner.route6 : owner.route4;
    if (routeText === undefined) {
      const cidr = (v6 ? owner.cidr6 : owner.cidr4)!;
      routeText = cfg.mode === 'routed'
        ? `${cidr.text} (${peer.name}'s podCIDR) via ${peerIP} dev eth0: routed, no encapsulation`
        : `${cidr.text} (${peer.name}'s podCIDR) via ${this.ix.encap.device}: the ${cfg.mode} overlay`;
      if (v6) owner.route6 = routeText; else owner.route4 = routeText;
    }
    if (cfg.mode === 'routed') {
      this.hop(nn.at, 'route', routeText, owner.decider);
      const stop = this.snat(node, nn, 'eth0', mark, ctx);
      if (stop) return stop;
      this.hop(`node/${node.name}/eth0`, 'forward', `out eth0 to ${peer.name} (${peerIP}), the pod addresses unchanged on the wire`, this.ix.podNetworkDecider);
      return this.enterNode(owner, 'eth0', undefined, 'PREROUTING');
    }
    const enc = this.ix.encap;
    const dev = enc.device;
    this.hop(nn.at, 'route', routeText, owner.decider);
    const stop = this.snat(node, nn, 'tunnel', mark, ctx);
    if (stop) return stop;
    let outerDst = v6 ? owner.outerDst6 : owner.outerDst4;
    if (outerDst === undefined) {
      outerDst = enc.port ? hostPort(peerIP, enc.port) : peerIP;
      if (v6) owner.outerDst6 = outerDst; else owner.outerDst4 = outerDst;
    }
    const cur = this.pv!; // the view of the current packet (setPacket keeps them together)
    const pv: PacketView = { src: cur.src, dst: cur.dst, proto: cur.proto, outer: { src: selfIP, dst: outerDst, proto: enc.proto } };
    this.encapsulated = true;
    // each text is one half from this node and one from the peer, both made once per node
    let encFrom: string | undefined, encTo: string | undefined, decAt: string | undefined, decFrom: string | undefined;
    if (v6) {
      encFrom = nn.encapFrom6 ??= `${dev} wraps the packet in ${enc.text}: outer ${selfIP} (${node.name}) → `;
      encTo = owner.encapTo6 ??= `${peerIP} (${peer.name}), out eth0`;
      decAt = owner.decapAt6 ??= `${dev} on ${peer.name} unwraps the ${enc.text} packet from `;
      decFrom = nn.decapFrom6 ??= `${selfIP} (${node.name})`;
    } else {
      encFrom = nn.encapFrom4 ??= `${dev} wraps the packet in ${enc.text}: outer ${selfIP} (${node.name}) → `;
      encTo = owner.encapTo4 ??= `${peerIP} (${peer.name}), out eth0`;
      decAt = owner.decapAt4 ??= `${dev} on ${peer.name} unwraps the ${enc.text} packet from `;
      decFrom = nn.decapFrom4 ??= `${selfIP} (${node.name})`;
    }
    this.hops.push({
      at: nn.devAt ??= nn.at + '/' + dev, action: 'encapsulate',
      detail: encFrom + encTo,
      packet: pv, source: this.ix.podNetworkDecider,
    });
    this.hops.push({
      at: owner.devAt ??= owner.at + '/' + dev, action: 'decapsulate',
      detail: decAt + decFrom,
      packet: pv, source: this.ix.podNetworkDecider,
    });
    return this.enterNode(owner, 'tunnel', undefined, 'PREROUTING');
  }

  private toOtherNode(nn: NodeNet, other: NodeNet, ctx: HookContext, mark: boolean): ConnectResult {
    const node = nn.node;
    const stop = this.snat(node, nn, 'eth0', mark, ctx);
    if (stop) return stop;
    this.hop(`node/${node.name}/eth0`, 'forward', `${this.pkt!.dst} is ${other.node.name}'s address: out eth0 on the node network`, other.decider);
    return this.enterNode(other, 'eth0', undefined, 'PREROUTING');
  }

  private leaveCluster(nn: NodeNet, ctx: HookContext, mark: boolean): ConnectResult {
    const node = nn.node;
    const stop = this.snat(node, nn, 'eth0', mark, ctx);
    if (stop) return stop;
    const dst = this.pkt!.dst;
    this.hop(`node/${node.name}/eth0`, 'forward', `${dst} is outside the cluster: out eth0 by the default route; the packet leaves the cluster`, nn.decider);
    this.egress = { ip: dst, port: this.pkt!.dport, node: node.name };
    return this.finish('delivered');
  }

  // ---- delivery ------------------------------------------------------------------------------

  private deliverOnNode(nn: NodeNet, localOrigin: boolean): ConnectResult {
    const node = nn.node;
    const p = this.pkt!;
    const l = this.ix.listeners(nn).get(this.portKey());
    this.deliveredNode = node.name;
    if (!l) {
      this.hop(`node/${node.name}`, 'refuse',
        `${p.dst} is ${node.name}'s own address${localOrigin ? ' (over lo)' : ''}, but nothing listens on ${p.proto} ${p.dport} in its network namespace (the kubelet's 10250/TCP, kube-proxy's 10256/TCP and health-check node ports, the API server's port where it runs, and hostNetwork pods' ports): the kernel answers ${refusal(p.proto)}`, nn.decider);
      return this.finish('refused');
    }
    if (!l.pod) {
      this.hop(`node/${node.name}/${l.what}`, 'deliver', (l.detail ?? `${l.what} listens on ${p.proto} ${p.dport}`) + (localOrigin ? ' (over lo)' : ''), nn.decider);
      return this.finish('delivered');
    }
    this.hop(`pod/${l.pod.key}/container/${l.what}`, 'deliver',
      `${l.what} of hostNetwork pod ${l.pod.key} listens on ${p.proto} ${p.dport} in ${node.name}'s network namespace${localOrigin ? ' (over lo)' : ''}`, this.ix.portDecider(l.pod, l.port!));
    return this.finish('delivered', { pod: l.pod.key, ip: p.dst, port: p.dport, container: l.what });
  }

  private deliverInPod(pod: RPod, pn?: PodNet): ConnectResult {
    const p = this.pkt!;
    if ((pn ? pn.phase : pod.phase) !== 'Running') {
      if (pod.phase === 'Pending') {
        this.hop(`pod/${pod.key}`, 'refuse', `${pod.key} is Pending: its sandbox holds ${p.dst} but no container runs yet, so nothing listens: the kernel answers ${refusal(p.proto)}`, this.ix.podDecider(pod));
        return this.finish('refused');
      }
      this.hop(`pod/${pod.key}`, 'unreachable', `${pod.key} is ${pod.phase}: its containers have exited and its network namespace is gone`, this.ix.podDecider(pod));
      return this.finish('unreachable');
    }
    const key = this.portKey();
    let l: RContainerPort | null | undefined;
    if (pn !== undefined && pn.listenKey === key) l = pn.listener;
    else {
      l = pod.listening.get(key);
      if (pn !== undefined) { pn.listenKey = key; pn.listener = l ?? null; pn.listenNet = undefined; }
    }
    if (!l) {
      const declared = pod.ports.length ? pod.ports.map((x) => `${x.container} ${x.port}/${x.protocol}`).join(', ') : 'none';
      this.hop(`pod/${pod.key}`, 'refuse',
        `no container of ${pod.key} listens on ${p.proto} ${p.dport} (declared: ${declared}): the pod's kernel answers ${refusal(p.proto)}`, this.ix.podDecider(pod));
      return this.finish('refused');
    }
    let pe = pn?.listenNet;
    if (pe === undefined) {
      pe = this.ix.portNet(pod, l, pn);
      if (pn !== undefined) pn.listenNet = pe;
    }
    this.hop(pe.at, 'deliver',
      l.protocol === p.proto && l.port === p.dport ? pe.detail : `${l.container} listens on ${p.proto} ${p.dport}${l.name ? ` (port "${l.name}")` : ''}`, pe.decider);
    return this.finish('delivered', { pod: pod.key, ip: p.dst, port: p.dport, container: l.container });
  }

  // ---- result --------------------------------------------------------------------------------

  private finish(verdict: Verdict, delivered: ConnectResult['delivered'] = null): ConnectResult {
    const p = this.pkt;
    let reply: ConnectResult['reply'] = null;
    if (p && (verdict === 'delivered' || verdict === 'refused')) reply = { source: this.conntrackReply(p) };
    const pv = this.pv;
    // `final` in the literal when there is one (a field added afterwards would go to a separate store)
    const res: ConnectResult = pv
      ? { verdict, delivered, nat: this.nat, reply, hops: this.hops, encapsulated: this.encapsulated, final: { src: pv.src, dst: pv.dst } }
      : { verdict, delivered, nat: this.nat, reply, hops: this.hops, encapsulated: this.encapsulated };
    if (this.deliveredNode && verdict === 'delivered') res.deliveredNode = this.deliveredNode;
    if (this.egress) res.egress = this.egress;
    return res;
  }

  /** The reply retraces the connection; conntrack reverses each translation, last first. */
  private conntrackReply(p: Packet): string {
    let src = this.pv!.dst; // hostPort(p.dst, p.dport): the view of the current packet
    if (this.nat.length === 0) return src;
    let dst = this.pv!.src;
    this.hops.push({ at: 'conntrack', action: 'reply', detail: `the reply ${src} → ${dst} follows the connection back; conntrack reverses every translation`, packet: { src, dst, proto: p.proto } });
    for (let i = this.nat.length - 1; i >= 0; i--) {
      const e = this.nat[i];
      if (e.kind === 'DNAT' && src === e.after) {
        src = e.before;
        this.hops.push({ at: `node/${e.node}/conntrack`, action: 'unnat', detail: `reply source ${e.after} → ${e.before} (reverses the DNAT by ${e.by})`, packet: { src, dst, proto: p.proto } });
      } else if (e.kind === 'SNAT' && dst === e.after) {
        dst = e.before;
        this.hops.push({ at: `node/${e.node}/conntrack`, action: 'unnat', detail: `reply destination ${e.after} → ${e.before} (reverses the SNAT by ${e.by})`, packet: { src, dst, proto: p.proto } });
      }
    }
    return src;
  }
}
