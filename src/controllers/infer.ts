// Nodes a snapshot names but does not hold (pods whose status shows they ran there). `kubectl get pods,svc -A -o yaml` by a user who may not
// list Nodes gives pods with spec.nodeName, status.hostIP and status.podIP(s): the nodes are facts of
// the dump even when their objects are missing. Each such node is made from its pods — its name,
// its InternalIP (the pods' hostIP), a podCIDR covering its pods' addresses (the node CIDR mask
// size of the range allocator, or tighter where two nodes' pods share such a block, as Calico's /26
// blocks do) — and said in one summarised warning. Pod addresses outside the configured pod subnet
// widen the pod network, since the cluster evidently routes them as pods (the warning says so).
import type { ClusterConfig } from '../model/config';
import type { Diagnostics } from '../model/errors';
import { setOrigin, type KObject } from '../model/types';
import { bigIntToIP, canonicalIP, cidrContains, cidrsOverlap, ipToBigInt, isIP, parseCIDR, type Cidr } from '../net/ip';
import { derivedOrigin, few } from './util';

export interface Inferred {
  /** Node objects made for the nodes pods name (empty when every named node is given) */
  nodes: KObject[];
  /** pod networks to add to the configured ones (the inferred podCIDRs outside them) */
  podSubnets: string[];
}

function podAddresses(p: KObject): string[] {
  const st = p.status;
  if (!st || typeof st !== 'object' || p.spec?.hostNetwork === true) return [];
  const raw: unknown[] = Array.isArray(st.podIPs) && st.podIPs.length ? st.podIPs.map((x: any) => x?.ip) : [st.podIP];
  return raw.filter((ip): ip is string => typeof ip === 'string' && isIP(ip)).map(canonicalIP);
}

function hostAddress(p: KObject): string | undefined {
  const st = p.status;
  const ip = st?.hostIP ?? (Array.isArray(st?.hostIPs) ? st.hostIPs[0]?.ip : undefined);
  return typeof ip === 'string' && isIP(ip) ? canonicalIP(ip) : undefined;
}

/** The CIDR of the first `prefix` bits of an address. */
function cidrOf(ip: string, prefix: number): Cidr {
  const family = ip.includes(':') ? 6 : 4;
  const shift = BigInt((family === 4 ? 32 : 128) - prefix);
  return parseCIDR(`${bigIntToIP((ipToBigInt(ip) >> shift) << shift, family)}/${prefix}`);
}

/** First and last address of a block, as numbers. */
function range(c: Cidr): [bigint, bigint] {
  const first = ipToBigInt(c.text.split('/')[0]);
  return [first, first + c.size - 1n];
}

/**
 * For each of `probes`, whether it overlaps a block of `blocks` other than `self[i]`: blocks sorted
 * by their first address with a running maximum of last addresses, so each probe costs a binary
 * search (5000 nodes would be 25 million pairwise checks).
 */
function overlapsOther(blocks: Cidr[], probes: Cidr[], self: number[]): boolean[] {
  const rs = blocks.map((b, i) => ({ r: range(b), i })).sort((a, b) => (a.r[0] < b.r[0] ? -1 : a.r[0] > b.r[0] ? 1 : 0));
  const maxEnd: bigint[] = [];
  rs.forEach((x, k) => maxEnd.push(k === 0 || x.r[1] > maxEnd[k - 1] ? x.r[1] : maxEnd[k - 1]));
  return probes.map((p, pi) => {
    const [ps, pe] = range(p);
    // blocks starting at or before pe (binary search), walked back while some of them still reach ps
    let lo = 0, hi = rs.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (rs[mid].r[0] <= pe) lo = mid + 1; else hi = mid; }
    for (let k = lo - 1; k >= 0 && maxEnd[k] >= ps; k--) {
      if (rs[k].i !== self[pi] && rs[k].r[1] >= ps) return true;
    }
    return false;
  });
}

/** The longest prefix (no longer than `max`) whose block holds every address. */
function covering(ips: string[], max: number): Cidr {
  let prefix = max;
  for (;;) {
    const c = cidrOf(ips[0], prefix);
    if (prefix === 0 || ips.every((ip) => cidrContains(c, ip))) return c;
    prefix--;
  }
}

export function inferNodes(pods: readonly KObject[], nodes: readonly KObject[], config: ClusterConfig, diag: Diagnostics): Inferred {
  const known = new Set(nodes.map((n) => n.metadata.name));
  const named = new Map<string, KObject[]>();
  for (const p of pods) {
    const n = p.spec?.nodeName;
    if (typeof n !== 'string' || !n || known.has(n)) continue;
    // only a pod that ran there says so (a dump: its status has the node's or its own address);
    // a hand-written pod pinned to a node nobody declared is a mistake (NS-UNKNOWN-NODE)
    if (!hostAddress(p) && !podAddresses(p).length) continue;
    const l = named.get(n);
    if (l) l.push(p); else named.set(n, [p]);
  }
  if (named.size === 0) return { nodes: [], podSubnets: [] };

  // per node and family: the tight block (all its pods) and the allocator-sized one around it
  type Block = { tight: Cidr; loose: Cidr; chosen?: Cidr };
  const blocks = new Map<string, Block[]>();
  const hostIPs = new Map<string, string>();
  for (const [name, list] of named) {
    const byFamily = new Map<4 | 6, string[]>();
    for (const p of list) {
      for (const ip of podAddresses(p)) {
        const f = ip.includes(':') ? 6 : 4;
        const l = byFamily.get(f); if (l) l.push(ip); else byFamily.set(f, [ip]);
      }
      if (!hostIPs.has(name)) { const h = hostAddress(p); if (h) hostIPs.set(name, h); }
    }
    const bs: Block[] = [];
    for (const [f, ips] of byFamily) {
      const mask = f === 4 ? config.nodeCidrMaskSizeV4 : config.nodeCidrMaskSizeV6;
      const tight = covering(ips, f === 4 ? 32 : 128);
      bs.push({ tight, loose: tight.prefix >= mask ? cidrOf(ips[0], mask) : tight });
    }
    blocks.set(name, bs);
  }
  // the allocator-sized block unless it would overlap another node's pods; else the tight one
  const overlapping = new Set<string>();
  for (const f of [4, 6] as const) {
    const owners: string[] = [], list: Block[] = [];
    for (const [name, bs] of blocks) for (const b of bs) if (b.tight.family === f) { owners.push(name); list.push(b); }
    const idx = list.map((_, i) => i);
    const looseClash = overlapsOther(list.map((b) => b.tight), list.map((b) => b.loose), idx);
    list.forEach((b, i) => { b.chosen = looseClash[i] ? b.tight : b.loose; });
    const clash = overlapsOther(list.map((b) => b.chosen!), list.map((b) => b.chosen!), idx);
    clash.forEach((c, i) => { if (c) overlapping.add(owners[i]); });
  }

  const out: KObject[] = [];
  const outside: Cidr[] = [];
  const configured = config.podSubnets.flatMap((s) => { try { return [parseCIDR(s)]; } catch { return []; } });
  for (const [name, list] of [...named].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const cidrs = overlapping.has(name) ? [] : blocks.get(name)!.map((b) => b.chosen!);
    for (const c of cidrs) if (!configured.some((k) => k.family === c.family && cidrContains(k, c.text.split('/')[0]) && c.prefix >= k.prefix)) outside.push(c);
    const ip = hostIPs.get(name);
    const node: KObject = {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name } },
      spec: cidrs.length ? { podCIDR: cidrs[0].text, podCIDRs: cidrs.map((c) => c.text) } : {},
      status: ip ? { addresses: [{ type: 'InternalIP', address: ip }] } : {},
    };
    const org = derivedOrigin(list[0], `node named by pod ${list[0].metadata.namespace}/${list[0].metadata.name}`, () => ['spec', 'nodeName']);
    if (org) setOrigin(node, org);
    out.push(node);
  }
  const names = out.map((n) => n.metadata.name);
  diag.warn('NS-INFERRED-NODE', `${names.length} node${names.length === 1 ? '' : 's'} named by pods but absent from the input, made from their pods (name, hostIP as InternalIP, a podCIDR covering their pod IPs): ${few(names)}`,
    derivedOrigin(named.get(names[0])![0], '', () => ['spec', 'nodeName'])?.at?.(['spec', 'nodeName']));
  if (overlapping.size) {
    diag.warn('NS-INFERRED-NODE', `${overlapping.size} inferred node${overlapping.size === 1 ? '\'s' : 's\''} pod addresses interleave with another node's (${few([...overlapping])}): no podCIDR is inferred for them; their pods keep the addresses the dump gives`);
  }
  // the pod network as the dump shows it: one covering block per family, unless that would take in the services
  const podSubnets: string[] = [];
  for (const f of [4, 6] as const) {
    const cs = outside.filter((c) => c.family === f);
    if (!cs.length) continue;
    const firsts = cs.map((c) => c.text.split('/')[0]);
    const cover = covering(firsts, Math.min(...cs.map((c) => c.prefix)));
    const services = config.serviceSubnets.flatMap((s) => { try { return [parseCIDR(s)]; } catch { return []; } });
    const list = services.some((s) => s.family === f && cidrsOverlap(s, cover)) ? cs.map((c) => c.text) : [cover.text];
    podSubnets.push(...list);
    diag.warn('NS-POD-NETWORK', `pod addresses in the input lie outside the configured pod subnet (${config.podSubnets.join(', ')}): ${few(list)} is taken as pod network too (give the cluster's ClusterConfiguration or CNI config to be exact)`);
  }
  return { nodes: out, podSubnets };
}
