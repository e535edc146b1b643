// A node's local addresses as the kernel sees them (what `-m addrtype --dst-type LOCAL` matches and
// what MASQUERADE picks from): its InternalIPs, loopback, and the addresses the CNI puts on its own
// interfaces — flannel gives cni0 the first address of the node's podCIDR and, in VXLAN mode,
// flannel.1 the podCIDR's network address. In ipvs mode every service VIP is bound to kube-ipvs0.
import { cidrContains, nthAddress, parseCIDR, type Cidr, type Family } from '../net/ip';
import type { RNode, Realised } from '../model/realised';

export interface NodeAddrs {
  /** status.addresses InternalIPs */
  primary: readonly string[];
  /** cni0 (a bridge CNI) */
  bridge?: string;
  /** flannel.1 (flannel VXLAN) */
  tunnel?: string;
  /** every local address but loopback and kube-ipvs0 */
  all: ReadonlySet<string>;
}

const cache = new WeakMap<Realised, Map<string, NodeAddrs>>();

export function nodeAddrs(r: Realised, node: RNode): NodeAddrs {
  let m = cache.get(r);
  if (!m) { m = new Map(); cache.set(r, m); }
  let a = m.get(node.name);
  if (a) return a;
  const pn = r.config.podNetwork;
  const cidr4 = node.podCIDRs.find((c) => c.family === 4);
  let bridge: string | undefined, tunnel: string | undefined;
  if (cidr4 && pn.plugin === 'flannel') {
    bridge = nthAddress(cidr4, 1);
    if (pn.mode === 'vxlan') tunnel = nthAddress(cidr4, 0);
  }
  const all = new Set<string>(node.ips);
  if (bridge) all.add(bridge);
  if (tunnel) all.add(tunnel);
  a = { primary: node.ips, bridge, tunnel, all };
  m.set(node.name, a);
  return a;
}

export function familyOf(ip: string): Family { return ip.includes(':') ? 6 : 4; }

/**
 * The address MASQUERADE gives a packet leaving through `out`: the CNI may say (HookContext.outAddr);
 * otherwise the bridge's address for traffic to a pod on this node (hairpin, NodePort to a local
 * pod) with a bridge CNI, and the node's IP for everything else.
 */
export function masqueradeAddress(r: Realised, node: RNode, out: string, family: Family, given?: string): string {
  if (given) return given;
  const a = nodeAddrs(r, node);
  if ((out === 'cni0' || out === 'veth') && a.bridge && family === 4) return a.bridge;
  return a.primary.find((ip) => familyOf(ip) === family) ?? node.ip;
}

const PRIMARY = 'primary';

/**
 * The node's addresses that accept NodePorts (proxyutil.NodePortAddresses.GetNodeIPs): null when
 * every local address does (no CIDR of this family, or a zero CIDR); "primary" is the node's
 * primary IP of the family (cmd/kube-proxy/app/server.go turns it into IP/32).
 */
export function nodePortIPs(r: Realised, node: RNode, family: Family, list: readonly string[]): string[] | null {
  let cidrs: Cidr[];
  if (list.length === 1 && list[0] === PRIMARY) {
    const ip = node.ips.find((x) => (x.includes(':') ? 6 : 4) === family);
    cidrs = ip ? [parseCIDR(`${ip}/${family === 4 ? 32 : 128}`)] : [];
    if (!cidrs.length) return [];
  } else {
    cidrs = list.filter((c) => c !== PRIMARY).map((c) => parseCIDR(c)).filter((c) => c.family === family);
    if (cidrs.length === 0 || cidrs.some((c) => c.prefix === 0)) return null;
  }
  const local = [...nodeAddrs(r, node).all, family === 4 ? '127.0.0.1' : '::1'];
  return local.filter((ip) => (ip.includes(':') ? 6 : 4) === family && cidrs.some((c) => cidrContains(c, ip)));
}

/** Effective nodePortAddresses for this mode: nftables defaults to "primary" (server_linux.go platformApplyDefaults). */
export function nodePortAddressList(r: Realised): string[] {
  const l = r.config.nodePortAddresses;
  return l.length === 0 && r.config.proxyMode === 'nftables' ? [PRIMARY] : l;
}

