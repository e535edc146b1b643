// Nodes and node IPAM, as kubelet and kube-controller-manager's range allocator leave them:
// node addresses from status.addresses (else assigned, kind style), podCIDRs from spec.podCIDR(s)
// (else the next free /24 — nodeCidrMaskSize — of the cluster CIDR, one per family), the
// kubernetes.io/hostname, os and arch labels the kubelet sets, a Ready condition.
import type { ClusterConfig } from '../model/config';
import type { Diagnostics } from '../model/errors';
import type { RNode } from '../model/realised';
import { ref, type KObject, type Labels } from '../model/types';
import { canonicalIP, cidrContains, cidrsOverlap, isIP, isStrictCIDR, nthAddress, offsetIn, parseCIDR, subnet, type Cidr, type Family } from '../net/ip';
import { at, copyOf, few, keepOrigin, makeUid } from './util';

export interface Taint { key: string; value?: string; effect: string }

export interface NodeSet {
  nodes: RNode[];
  /** effective taints per node (spec.taints plus the ones the node lifecycle controller adds) */
  taints: Map<string, Taint[]>;
}

export const DEFAULT_NODE_NAME = 'node-1';

/** The pod CIDRs the range allocator hands out from: the first podSubnet of each family. */
export function clusterCidrs(config: ClusterConfig, diag: Diagnostics): Cidr[] {
  const out: Cidr[] = [];
  for (const s of config.podSubnets) {
    let c: Cidr;
    try { c = parseCIDR(s); } catch {
      diag.error('NS-CONFIG-CIDR', `pod subnet "${s}" is not a CIDR`, undefined, 'set networking.podSubnet to a CIDR such as 10.244.0.0/16');
      continue;
    }
    if (out.some((o) => o.family === c.family)) continue; // the allocator takes one CIDR per family
    const mask = c.family === 4 ? config.nodeCidrMaskSizeV4 : config.nodeCidrMaskSizeV6;
    if (mask < c.prefix || mask > (c.family === 4 ? 32 : 128)) {
      diag.error('NS-CONFIG-VALUE', `node CIDR mask size /${mask} does not fit in pod subnet ${c.text}`, undefined,
        `kube-controller-manager needs --node-cidr-mask-size at least /${c.prefix}`);
      continue;
    }
    out.push(c);
  }
  return out;
}

function addressList(o: KObject, type: string): { ip: string; i: number }[] {
  const addrs = Array.isArray(o.status?.addresses) ? o.status.addresses : [];
  const out: { ip: string; i: number }[] = [];
  addrs.forEach((a: any, i: number) => { if (a && a.type === type && typeof a.address === 'string') out.push({ ip: a.address, i }); });
  return out;
}

function readyOf(o: KObject): boolean {
  const conds = Array.isArray(o.status?.conditions) ? o.status.conditions : [];
  const r = conds.find((c: any) => c && c.type === 'Ready');
  return r ? r.status === 'True' : true;
}

/**
 * `inferred`: nodes made from a snapshot's pods (infer.ts); their podCIDRs are facts of the dump,
 * not the range allocator's, so they need not lie in the configured pod subnet.
 */
export function realiseNodes(inputs: KObject[], config: ClusterConfig, diag: Diagnostics, makeDefault: boolean, inferred: ReadonlySet<KObject> = new Set()): NodeSet {
  const sorted = inputs.slice().sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  if (sorted.length === 0 && makeDefault) {
    diag.warn('NS-DEFAULT-NODE', `no Node objects among the inputs: the pods run on a single node "${DEFAULT_NODE_NAME}" (add Node objects or a "Given a cluster with nodes …" step to choose)`);
    sorted.push({ apiVersion: 'v1', kind: 'Node', metadata: { name: DEFAULT_NODE_NAME } });
  }

  // --- node addresses ------------------------------------------------------------------------
  const ipOwner = new Map<string, KObject>();
  const internal = new Map<KObject, string[]>();
  const external = new Map<KObject, string[]>();
  for (const o of sorted) {
    const ips: string[] = [];
    const ext: string[] = [];
    for (const [type, list] of [['InternalIP', ips], ['ExternalIP', ext]] as const) {
      for (const { ip, i } of addressList(o, type)) {
        if (!isIP(ip)) {
          diag.error('NS-INVALID-IP', `${ref(o)}: ${type} "${ip}" is not an IP address`, at(o, 'status', 'addresses', i, 'address'), 'write an IPv4 address such as 172.18.0.2 or an IPv6 address');
          continue;
        }
        const c = canonicalIP(ip);
        const prev = ipOwner.get(c);
        if (prev && prev !== o) {
          diag.error('NS-IP-CONFLICT', `${ref(o)}: address ${c} is already the address of ${ref(prev)}`, at(o, 'status', 'addresses', i, 'address'), `two nodes cannot share an address; ${ref(prev)} has it${fmtPos(at(prev))}`);
          continue;
        }
        ipOwner.set(c, o);
        list.push(c);
      }
    }
    internal.set(o, ips);
    external.set(o, ext);
  }
  // nodes without an InternalIP get one from the node subnet: kind style, the gateway is .1 and
  // the first node is .2; addresses other nodes hold explicitly are skipped
  let nodeNet: Cidr | null = null;
  try { nodeNet = parseCIDR(config.nodeSubnet); } catch {
    diag.error('NS-CONFIG-CIDR', `node subnet "${config.nodeSubnet}" is not a CIDR`, undefined, 'use a CIDR such as 172.18.0.0/16');
  }
  let nextNodeOffset = 2n;
  for (const o of sorted) {
    if (internal.get(o)!.length || !nodeNet) continue;
    let ip: string | null = null;
    while (nextNodeOffset < nodeNet.size - (nodeNet.family === 4 ? 1n : 0n)) {
      const cand = nthAddress(nodeNet, nextNodeOffset++);
      if (!ipOwner.has(cand)) { ip = cand; break; }
    }
    if (!ip) {
      diag.error('NS-NODE-SUBNET-EXHAUSTED', `${ref(o)}: no address left in node subnet ${nodeNet.text}`, at(o), 'give the node an InternalIP in status.addresses or use a larger node subnet');
      continue;
    }
    ipOwner.set(ip, o);
    internal.get(o)!.push(ip);
  }

  // --- podCIDRs: explicit ones first, then the range allocator in node order --------------------
  const clusters = clusterCidrs(config, diag);
  const cidrsOf = new Map<KObject, Cidr[]>();
  const occupied = new Map<Family, { cidr: Cidr; node: KObject }[]>();
  const explicitCidrs = new Set<KObject>();
  for (const o of sorted) {
    const given: unknown[] = Array.isArray(o.spec?.podCIDRs) && o.spec.podCIDRs.length ? o.spec.podCIDRs : o.spec?.podCIDR ? [o.spec.podCIDR] : [];
    const path = Array.isArray(o.spec?.podCIDRs) && o.spec.podCIDRs.length ? (i: number) => at(o, 'spec', 'podCIDRs', i) : () => at(o, 'spec', 'podCIDR');
    const mine: Cidr[] = [];
    given.forEach((s, i) => {
      if (typeof s !== 'string' || !isStrictCIDR(s)) {
        diag.error('NS-INVALID-CIDR', `${ref(o)}: podCIDR "${String(s)}" is not a CIDR (network address with a prefix length, no host bits set)`, path(i), 'write a network such as 10.244.3.0/24');
        return;
      }
      const c = parseCIDR(s);
      if (mine.some((m) => m.family === c.family)) {
        diag.error('NS-INVALID-CIDR', `${ref(o)}: more than one IPv${c.family} podCIDR`, path(i), 'spec.podCIDRs holds at most one CIDR per IP family');
        return;
      }
      const cl = clusters.find((x) => x.family === c.family);
      if (!inferred.has(o) && (!cl || !(cidrContains(cl, nthAddress(c, 0)) && c.prefix >= cl.prefix))) {
        diag.error('NS-POD-CIDR-RANGE', `${ref(o)}: podCIDR ${c.text} is outside the cluster's pod subnet${cl ? ' ' + cl.text : 's ' + config.podSubnets.join(', ')}`, path(i),
          `pick a podCIDR inside ${cl ? cl.text : config.podSubnets.join(' or ')}, or change networking.podSubnet`);
        return;
      }
      const occ = occupied.get(c.family) ?? [];
      const clash = occ.find((x) => cidrsOverlap(x.cidr, c));
      if (clash) {
        diag.error('NS-POD-CIDR-OVERLAP', `${ref(o)}: podCIDR ${c.text} overlaps ${clash.cidr.text} of ${ref(clash.node)}`, path(i), `every node needs its own pod range; ${ref(clash.node)} has ${clash.cidr.text}${fmtPos(at(clash.node))}`);
        return;
      }
      occ.push({ cidr: c, node: o });
      occupied.set(c.family, occ);
      mine.push(c);
    });
    if (given.length) { cidrsOf.set(o, mine); explicitCidrs.add(o); }
  }
  for (const cl of clusters) {
    const mask = cl.family === 4 ? config.nodeCidrMaskSizeV4 : config.nodeCidrMaskSizeV6;
    const bits = cl.family === 4 ? 32 : 128;
    const count = 1n << BigInt(mask - cl.prefix);
    // indexes of /mask blocks taken by explicit podCIDRs
    const taken = new Set<bigint>();
    for (const { cidr } of occupied.get(cl.family) ?? []) {
      const first = offsetIn(cl, nthAddress(cidr, 0)) >> BigInt(bits - mask);
      const n = cidr.prefix >= mask ? 1n : 1n << BigInt(mask - cidr.prefix);
      for (let k = 0n; k < n && k < 1_000_000n; k++) taken.add(first + k);
    }
    let next = 0n;
    for (const o of sorted) {
      if (explicitCidrs.has(o)) continue; // the allocator leaves nodes that already have podCIDRs alone
      while (next < count && taken.has(next)) next++;
      if (next >= count) {
        diag.error('NS-POD-CIDR-EXHAUSTED', `${ref(o)}: no /${mask} left in pod subnet ${cl.text} (it holds ${count} node ranges)`, at(o),
          `${sorted.length} nodes need a /${Math.max(0, mask - Math.ceil(Math.log2(sorted.length)))} pod subnet at /${mask} per node: set networking.podSubnet (kubeadm ClusterConfiguration) or a larger node CIDR mask size`);
        continue;
      }
      const c = subnet(cl, mask, Number(next++));
      const list = cidrsOf.get(o) ?? [];
      list.push(c);
      cidrsOf.set(o, list);
    }
  }
  // the allocator assigns families in cluster-CIDR order; keep explicit order for given ones
  for (const o of sorted) if (!cidrsOf.has(o)) cidrsOf.set(o, []);

  // --- the Node objects as the API would show them ---------------------------------------------
  const nodes: RNode[] = [];
  const taints = new Map<string, Taint[]>();
  sorted.forEach((o, index) => {
    const name = o.metadata.name;
    const labels: Labels = {
      'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux',
      ...(o.metadata.labels ?? {}),
    };
    const ips = internal.get(o)!;
    const podCIDRs = cidrsOf.get(o)!;
    const ready = readyOf(o);
    const unschedulable = o.spec?.unschedulable === true;
    const given = Array.isArray(o.status?.addresses) ? o.status.addresses : [];
    const addresses = [...given];
    for (const ip of ips) if (!given.some((a: any) => a?.type === 'InternalIP' && typeof a.address === 'string' && isIP(a.address) && canonicalIP(a.address) === ip)) addresses.push({ type: 'InternalIP', address: ip });
    if (!addresses.some((a: any) => a?.type === 'Hostname')) addresses.push({ type: 'Hostname', address: name });
    const conditions = Array.isArray(o.status?.conditions) && o.status.conditions.some((c: any) => c?.type === 'Ready')
      ? o.status.conditions
      : [...(Array.isArray(o.status?.conditions) ? o.status.conditions : []), { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }];
    const spec: any = copyOf(o.spec); // { ...o.spec }, cheap to extend (see copyOf)
    if (podCIDRs.length) { spec.podCIDR = podCIDRs[0].text; spec.podCIDRs = podCIDRs.map((c) => c.text); }
    // { ...o, apiVersion, kind, metadata: { ...o.metadata, labels, uid }, spec, status: { ...o.status, addresses, conditions } }
    const metadata: any = copyOf(o.metadata);
    metadata.labels = labels;
    metadata.uid = o.metadata.uid ?? makeUid(config.seed, 'Node', undefined, name);
    const status: any = copyOf(o.status);
    status.addresses = addresses;
    status.conditions = conditions;
    const obj: KObject = copyOf(o);
    obj.apiVersion = o.apiVersion ?? 'v1'; obj.kind = 'Node'; obj.metadata = metadata; obj.spec = spec; obj.status = status;
    keepOrigin(obj, o);
    // effective taints: the node's own plus what the node lifecycle controller adds
    const t: Taint[] = (Array.isArray(o.spec?.taints) ? o.spec.taints : []).filter((x: any) => x && typeof x.key === 'string').map((x: any) => ({ key: x.key, value: x.value, effect: x.effect }));
    if (unschedulable && !t.some((x) => x.key === 'node.kubernetes.io/unschedulable')) t.push({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });
    if (!ready && !t.some((x) => x.key === 'node.kubernetes.io/not-ready')) t.push({ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' });
    taints.set(name, t);
    nodes.push({ name, obj, ip: ips[0] ?? '', ips, podCIDRs, labels, ready, unschedulable, index });
    extraIPs.set(nodes[nodes.length - 1], external.get(o)!);
  });
  return { nodes, taints };
}

/** ExternalIPs of nodes (indexed by nodeByIP too). */
export const extraIPs = new WeakMap<RNode, string[]>();

export function fmtPos(p: { file: string; line: number; col: number } | undefined): string {
  return p ? ` (${p.file}:${p.line}:${p.col})` : '';
}

export function nodeHint(nodes: readonly RNode[]): string {
  return nodes.length ? `known nodes: ${few(nodes.map((n) => n.name))}` : 'there are no nodes; add Node objects or a "Given a cluster with nodes …" step';
}

