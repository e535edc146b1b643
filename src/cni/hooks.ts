// Netfilter as the CNI sets it up on every node, and the composition of several hook sets
// (the CNI's, kube-proxy's, later policy) in the order netfilter would run them.
//
// The CNI's own rules:
// - nat PREROUTING / OUTPUT: the portmap plugin's CNI-HOSTPORT-DNAT (a container port published
//   with hostPort is reached on the node's addresses).
// - nat POSTROUTING: egress masquerade. With `egressMasquerade.by: cni` these are flannel's
//   FLANNEL-POSTRTG rules (other plugins keep the first three: masquerade what leaves the pod network):
//     -m mark --mark 0x4000/0x4000 -j RETURN       (kube-proxy masquerades what it marked)
//     -s POD_NET -d POD_NET -j RETURN               (pod to pod: never NAT)
//     -s POD_NET ! -d 224.0.0.0/4 -j MASQUERADE --random-fully
//     ! -s POD_NET -d NODE_POD_CIDR -j RETURN       (flannel only)
//     ! -s POD_NET -d POD_NET -j MASQUERADE --random-fully   (flannel only: host → remote pods)
//   With `by: ip-masq-agent` (flannel's --ip-masq off), the IP-MASQ-AGENT chain for traffic to
//   non-local destinations: RETURN for 169.254.0.0/16 (unless masqLinkLocal) and every
//   nonMasqueradeCIDR, else MASQUERADE --to-ports 32768-65535 --random-fully.
import type { Packet } from '../net/packet';
import { hostPort, ipv4ToInt } from '../net/ip';
import type { Hop } from '../net/trace';
import { view } from '../net/packet';
import type { Realised, RNode } from '../model/realised';
import type { HookContext, HookResult, NatEntry, NetfilterHooks } from './types';
import { inNets, inV4, netIndex, type NetIndex } from './netindex';

const NO_HOPS: Hop[] = [];
const NO_NAT: NatEntry[] = [];
Object.freeze(NO_HOPS);
Object.freeze(NO_NAT);

function pass(pkt: Packet, masqueradeMark = false): HookResult {
  return { verdict: 'continue', packet: pkt, hops: NO_HOPS, nat: NO_NAT, masqueradeMark };
}

/** Hooks that do nothing (a node with no netfilter rules). */
export const NO_HOOKS: NetfilterHooks = {
  dnat: (_n, pkt) => pass(pkt),
  snat: (_n, pkt, _o, mark) => pass(pkt, mark),
};

const LINK_LOCAL_4 = { base: ipv4ToInt('169.254.0.0'), prefix: 16, text: '169.254.0.0/16' };
const MULTICAST_4 = { base: ipv4ToInt('224.0.0.0'), prefix: 4, text: '224.0.0.0/4' };

function isMulticast(ip: string): boolean {
  if (ip.indexOf(':') >= 0) return ip.toLowerCase().startsWith('ff');
  const n = ipv4ToInt(ip);
  return n >= 0 && inV4(n, MULTICAST_4);
}

function isLinkLocal(ip: string): boolean {
  if (ip.indexOf(':') >= 0) return /^fe[89ab]/i.test(ip);
  const n = ipv4ToInt(ip);
  return n >= 0 && inV4(n, LINK_LOCAL_4);
}

const hookCache = new WeakMap<Realised, NetfilterHooks>();

/** The CNI's own netfilter rules (see the file comment). Enough for pod networking without kube-proxy. */
export function cniHooks(realised: Realised): NetfilterHooks {
  let h = hookCache.get(realised);
  if (!h) {
    h = makeCniHooks(realised);
    hookCache.set(realised, h);
  }
  return h;
}

function makeCniHooks(realised: Realised): NetfilterHooks {
  const ix = netIndex(realised);
  const cfg = realised.config;
  const flannel = cfg.podNetwork.plugin === 'flannel';
  const viaAgent = cfg.egressMasquerade.by === 'ip-masq-agent';
  const podNetText = cfg.podSubnets.join(', ');
  // a walk hands the same packet to POSTROUTING on every node it leaves: remember where its
  // addresses lie for the last packet seen
  let lastPkt: Packet | undefined;
  let lastSrcIn = false, lastDstIn = false;

  return {
    dnat(node: RNode, pkt: Packet, hook: 'PREROUTING' | 'OUTPUT', _ctx: HookContext): HookResult {
      // portmap: -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT (PREROUTING and OUTPUT)
      if (!ix.mayBeHostPort(pkt.dport)) return pass(pkt);
      const nn = ix.nodeNet(node);
      const hp = ix.hostPorts(nn);
      if (hp.size === 0) return pass(pkt);
      if (!node.ips.includes(pkt.dst)) return pass(pkt);
      const e = hp.get(`${pkt.proto}/${pkt.dport}`);
      if (!e) return pass(pkt);
      const after: Packet = { proto: pkt.proto, src: pkt.src, sport: pkt.sport, dst: e.pod.ip, dport: e.port.port };
      const before = hostPort(pkt.dst, pkt.dport);
      const afterText = hostPort(after.dst, after.dport);
      return {
        verdict: 'continue',
        packet: after,
        hops: [{
          at: `node/${node.name}/iptables/nat/CNI-HOSTPORT-DNAT`,
          action: 'dnat',
          detail: `${hook}: hostPort ${pkt.dport}/${pkt.proto} of ${e.pod.key} (container ${e.port.container}): ${before} → ${afterText} (CNI portmap plugin)`,
          packet: view(after),
          source: ix.portDecider(e.pod, e.port),
        }],
        nat: [{ kind: 'DNAT', by: 'portmap (CNI)', before, after: afterText, node: node.name }],
      };
    },

    snat(node: RNode, pkt: Packet, out, mark: boolean, ctx: HookContext): HookResult {
      const to = ctx.outAddress;
      if (!to) return pass(pkt, mark);
      if (viaAgent) {
        // -A POSTROUTING -m addrtype ! --dst-type LOCAL -j IP-MASQ-AGENT; bridged traffic to a
        // local pod (out cni0) is left alone here (a simplification, said in the docs).
        if (out === 'lo' || out === 'cni0' || out === 'veth') return pass(pkt, mark);
        if (!cfg.egressMasquerade.masqLinkLocal && isLinkLocal(pkt.dst)) return pass(pkt, mark);
        if (inNets(pkt.dst, ix.nonMasq4, ix.nonMasq6)) return pass(pkt, mark);
        return masquerade(ix, node, pkt, to, ctx, 32768, 65535,
          `ip-masq-agent: ${pkt.dst} is outside every nonMasqueradeCIDR (${cfg.egressMasquerade.nonMasqueradeCIDRs.join(', ') || 'none'}): MASQUERADE to ${to} (${ifaceName(out, cfg.podNetwork.device)}'s address)`, 'ip-masq-agent', mark);
      }
      if (mark) return pass(pkt, mark); // -m mark --mark 0x4000/0x4000 -j RETURN
      if (pkt !== lastPkt) {
        lastSrcIn = ix.inPodNetwork(pkt.src);
        lastDstIn = ix.inPodNetwork(pkt.dst);
        lastPkt = pkt;
      }
      const srcIn = lastSrcIn, dstIn = lastDstIn;
      if (srcIn) {
        if (dstIn) return pass(pkt, mark);
        if (isMulticast(pkt.dst)) return pass(pkt, mark);
        return masquerade(ix, node, pkt, to, ctx, 1024, 65535,
          `${cfg.podNetwork.plugin}: ${pkt.src} is in the pod network ${podNetText} and ${pkt.dst} is not: MASQUERADE to ${to} (${ifaceName(out, cfg.podNetwork.device)}'s address)`, cfg.podNetwork.plugin, mark);
      }
      if (!flannel || !dstIn) return pass(pkt, mark);
      const nn = ix.nodeNet(node);
      if (ix.ownerOf(pkt.dst) === nn) return pass(pkt, mark); // ! -s POD_NET -d NODE_POD_CIDR -j RETURN
      return masquerade(ix, node, pkt, to, ctx, 1024, 65535,
        `flannel: ${pkt.src} is outside the pod network and ${pkt.dst} is a pod on another node: MASQUERADE to ${to} (${ifaceName(out, cfg.podNetwork.device)}'s address)`, 'flannel', mark);
    },
  };
}

function ifaceName(out: string, device: string): string {
  return out === 'tunnel' ? device || 'the tunnel device' : out;
}

function masquerade(ix: NetIndex, node: RNode, pkt: Packet, to: string, ctx: HookContext, lo: number, hi: number, detail: string, by: string, mark: boolean): HookResult {
  // MASQUERADE to the address the packet already has changes nothing we show (no-op).
  if (pkt.src === to) return pass(pkt, mark);
  // --random-fully: the source port is picked at random from the range
  const sport = lo + Math.floor(ctx.random() * (hi - lo + 1));
  const after: Packet = { proto: pkt.proto, src: to, sport, dst: pkt.dst, dport: pkt.dport };
  const before = hostPort(pkt.src, pkt.sport);
  const afterText = hostPort(to, sport);
  return {
    verdict: 'continue',
    packet: after,
    hops: [{ at: `node/${node.name}/iptables/nat/POSTROUTING`, action: 'masquerade', detail, packet: view(after), source: ix.masqDecider }],
    nat: [{ kind: 'SNAT', by, before, after: afterText, node: node.name }],
    masqueradeMark: mark,
  };
}

function translated(a: Packet, b: Packet): boolean {
  return a !== b && (a.src !== b.src || a.sport !== b.sport || a.dst !== b.dst || a.dport !== b.dport);
}

/**
 * Several hook sets run in order, as their chains sit in one netfilter hook. A NAT target is
 * terminal for the nat table: once one hook translated the packet (or rejected / dropped it),
 * later hooks do not see this packet at this hook. Marks (kube-proxy's 0x4000) carry on.
 */
export function combineHooks(...sets: NetfilterHooks[]): NetfilterHooks {
  if (sets.length === 0) return NO_HOOKS;
  if (sets.length === 1) return sets[0];
  const n = sets.length;
  return {
    dnat: (node, pkt, hook, ctx) => foldHooks(n, pkt, false, (i, cur) => sets[i].dnat(node, cur, hook, ctx)),
    snat: (node, pkt, out, masqueradeMark, ctx) => foldHooks(n, pkt, masqueradeMark, (i, cur, mark) => sets[i].snat(node, cur, out, mark, ctx)),
  };
}

/**
 * Runs n hook sets in order as one table: each sees the packet the previous one left; a
 * translation or a verdict other than continue ends the chain (as a nat table's first DNAT does);
 * hops and NAT entries add up, and the masquerade mark sticks once set.
 */
function foldHooks(n: number, pkt: Packet, mark0: boolean, step: (i: number, cur: Packet, mark: boolean) => HookResult): HookResult {
  let cur = pkt;
  let mark = mark0;
  let hops: Hop[] = NO_HOPS;
  let nat: NatEntry[] = NO_NAT;
  for (let i = 0; i < n; i++) {
    const r = step(i, cur, mark);
    if (r.hops.length) hops = hops.length ? hops.concat(r.hops) : r.hops;
    if (r.nat.length) nat = nat.length ? nat.concat(r.nat) : r.nat;
    if (r.masqueradeMark) mark = true;
    if (r.verdict !== 'continue' || i === n - 1 || translated(r.packet, cur)) {
      // nothing gathered from earlier sets: the last answer is the whole answer
      if (hops.length === 0 && nat.length === 0 && r.masqueradeMark === mark) return r;
      return { verdict: r.verdict, packet: r.packet, hops, nat, masqueradeMark: mark };
    }
    cur = r.packet;
  }
  return { verdict: 'continue', packet: cur, hops, nat, masqueradeMark: mark };
}
