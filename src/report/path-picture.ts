// The packet path of one connection as an SVG: source pod → its node's veth and bridge → netfilter
// (kube-proxy's chains folded into one box, each NAT its own box with the rewritten address) →
// overlay → destination. Boxes sit inside their node (and pod); the deciding hop is named with its
// rule or object and file:line; refused, rejected, dropped and denied hops are red.
import { decidingHop, type ConnectResult } from '../cni';
import { formatDecider, formatPos, type Hop } from '../net/trace';
import { renderGraph, type GCluster, type GEdge, type GNode, type Tone } from './svg';

const BAD = new Set(['refuse', 'reject', 'drop', 'deny', 'unreachable']);
const NAT = new Set(['dnat', 'snat', 'masquerade']);
const GOOD = new Set(['deliver', 'allow', 'accept']);

export interface PathPictureOptions {
  /** what was asked, e.g. "shop/toolbox → cart.shop.svc.cluster.local TCP 7070" */
  title: string;
  /** a pod's node ("ns/name" → node name), so pod hops sit inside their node */
  podNode?: (podKey: string) => string | undefined;
}

function packetText(h: Hop): string | undefined {
  const p = h.packet;
  if (!p) return undefined;
  return `${p.proto ? p.proto + ' ' : ''}${p.src} → ${p.dst}${p.outer ? ` in ${p.outer.proto} ${p.outer.src} → ${p.outer.dst}` : ''}`;
}

/** The hops the picture shows: the connection itself (name resolution folded into its result). */
function shownHops(res: ConnectResult): { hops: Hop[]; folded: number } {
  const send = res.hops.findIndex((h) => h.action === 'send');
  const decider = decidingHop(res);
  const end = decider ? res.hops.lastIndexOf(decider) : res.hops.length - 1;
  if (send < 0) return { hops: res.hops.slice(0, end + 1), folded: 0 };
  const resolved = res.hops.slice(0, send).filter((h) => h.action === 'resolve');
  return { hops: [...resolved, ...res.hops.slice(send, Math.max(end, send) + 1)], folded: send - resolved.length };
}

/** "node/worker-2/iptables/nat/KUBE-SEP-X" → { node: "worker-2" }; "pod/shop/x/eth0" → { pod: "shop/x" } */
function placeOf(at: string): { node?: string; pod?: string } {
  const n = /^node\/([^/]+)/.exec(at);
  if (n) return { node: n[1] };
  const p = /^pod\/([^/]+\/[^/]+)/.exec(at);
  if (p) return { pod: p[1] };
  return {};
}

export function pathPicture(res: ConnectResult, opts: PathPictureOptions): string {
  const { hops, folded } = shownHops(res);
  const decider = decidingHop(res);
  const nodes: GNode[] = [];
  const clusters = new Map<string, GCluster>();
  const clusterFor = (at: string): string | undefined => {
    const pl = placeOf(at);
    const node = pl.node ?? (pl.pod ? opts.podNode?.(pl.pod) : undefined);
    let parent: string | undefined;
    if (node) {
      parent = `node:${node}`;
      if (!clusters.has(parent)) clusters.set(parent, { id: parent, label: `node ${node}` });
    }
    if (pl.pod) {
      const id = `pod:${pl.pod}`;
      if (!clusters.has(id)) clusters.set(id, { id, label: `pod ${pl.pod}`, parent });
      return id;
    }
    return parent;
  };
  const packets: (string | undefined)[] = [];
  for (let i = 0; i < hops.length; i++) {
    const h = hops[i];
    // kube-proxy's (and the CNI's) chain jumps fold into one box per node: the chains they pass
    if (h.action === 'jump' || h.action === 'return' || (h.action === 'match' && h.at.includes('/iptables/'))) {
      const chains: string[] = [];
      let j = i;
      while (j < hops.length && (hops[j].action === 'jump' || hops[j].action === 'return' || (hops[j].action === 'match' && hops[j].at.includes('/iptables/'))) && placeOf(hops[j].at).node === placeOf(h.at).node) {
        chains.push(hops[j].at.split('/').slice(-1)[0]);
        j++;
      }
      const last = hops[j - 1];
      nodes.push({ id: `h${i}`, lines: [`netfilter · ${placeOf(h.at).node ?? h.at}`, chains.join(' → '), last.detail], tone: 'muted', parent: clusterFor(h.at), title: hops.slice(i, j).map((x) => `${x.at}: ${x.detail}${x.source ? `  ← ${formatDecider(x.source)}` : ''}`).join('\n') });
      packets.push(packetText(last));
      i = j - 1;
      continue;
    }
    const isDecider = h === decider;
    let tone: Tone = BAD.has(h.action) ? 'bad' : NAT.has(h.action) ? 'nat' : GOOD.has(h.action) ? 'good' : 'normal';
    const lines = [`${h.action} · ${h.at}`, h.detail];
    if (NAT.has(h.action) && h.packet) lines.push(`now ${packetText(h)}`);
    if (isDecider) {
      if (!BAD.has(h.action) && res.verdict !== 'delivered') tone = 'bad';
      // the deciding rule in full: its name, then where it is written (never cut)
      lines.push(`decided by: ${h.source ? h.source.what : h.at}`);
      if (h.source?.pos) lines.push(`  at ${formatPos(h.source.pos)}`);
    } else if (h.source && (BAD.has(h.action) || NAT.has(h.action))) {
      lines.push(`by: ${formatDecider(h.source)}`);
    }
    nodes.push({ id: `h${i}`, lines, tone, parent: clusterFor(h.at), title: [`${h.action} ${h.at}`, h.detail, packetText(h) ?? '', h.source ? formatDecider(h.source) : ''].filter(Boolean).join('\n') });
    packets.push(packetText(h));
  }
  const edges: GEdge[] = [];
  let shown: string | undefined;
  for (let k = 1; k < nodes.length; k++) {
    const pk = packets[k];
    const label = pk && pk !== shown ? pk : undefined;
    if (pk) shown = pk;
    edges.push({ from: nodes[k - 1].id, to: nodes[k].id, label, tone: nodes[k].tone === 'bad' ? 'bad' : 'normal' });
  }
  if (packets[0]) shown = packets[0];
  const verdict = res.verdict === 'delivered' && res.delivered ? `delivered to ${res.delivered.pod}:${res.delivered.port}` : res.verdict;
  const nat = res.nat.map((n) => `${n.kind} ${n.before} → ${n.after} by ${n.by}`).join('; ');
  return renderGraph({
    title: `${opts.title}: ${verdict}`,
    subtitle: [nat && `nat: ${nat}`, folded ? `${folded} DNS hops folded into the resolve box` : ''].filter(Boolean).join(' · ') || undefined,
    nodes, clusters: [...clusters.values()], edges,
  });
}
