// A connect result as people and programs read it: a verdict line plus the trace, or the JSON of
// design §5 (fields may be added, never renamed).
import { formatDecider, formatPos, renderHops, type Hop } from '../net/trace';
import type { ConnectResult } from './types';

/** The hop that decided the verdict: the last hop that is not conntrack's reply bookkeeping. */
export function decidingHop(res: ConnectResult): Hop | undefined {
  for (let i = res.hops.length - 1; i >= 0; i--) {
    const h = res.hops[i];
    if (h.action !== 'reply' && h.action !== 'unnat') return h;
  }
  return undefined;
}

/** One line: the verdict and what it means. */
export function verdictLine(res: ConnectResult): string {
  if (res.verdict === 'delivered') {
    if (res.delivered) {
      const d = res.delivered;
      return `delivered to ${d.pod} (${d.ip.includes(':') ? `[${d.ip}]` : d.ip}:${d.port}, container ${d.container})`;
    }
    if (res.egress) return `delivered: left the cluster from ${res.egress.node} towards ${res.final?.dst ?? res.egress.ip}`;
    if (res.deliveredNode) return `delivered to node ${res.deliveredNode} (${res.final?.dst ?? ''}, ${nodeAgent(decidingHop(res)?.at)})`;
    return 'delivered';
  }
  const h = decidingHop(res);
  return h ? `${res.verdict}: ${h.detail}` : res.verdict;
}

/** The text the CLI prints and failing steps show. */
export function renderConnect(res: ConnectResult): string {
  const lines = [verdictLine(res)];
  lines.push(res.nat.length ? `nat: ${res.nat.map((n) => `${n.kind} ${n.before} → ${n.after} by ${n.by}${n.node ? ` on ${n.node}` : ''}`).join('; ')}` : 'nat: none');
  if (res.reply) lines.push(`reply from: ${res.reply.source}`);
  lines.push('', renderHops(res.hops));
  return lines.join('\n');
}

/** design §5's connect JSON. */
export function connectJSON(res: ConnectResult): Record<string, unknown> {
  const out: Record<string, unknown> = {
    verdict: res.verdict,
    delivered: res.delivered ? { pod: res.delivered.pod, ip: res.delivered.ip, port: res.delivered.port, container: res.delivered.container } : null,
    nat: res.nat.map((n) => ({ kind: n.kind, by: n.by, before: n.before, after: n.after })),
    reply: res.reply ? { source: res.reply.source } : null,
    hops: res.hops.map((h) => {
      const hop: Record<string, unknown> = { at: h.at, action: h.action, detail: h.detail };
      if (h.packet) {
        const p: Record<string, unknown> = { src: h.packet.src, dst: h.packet.dst };
        if (h.packet.outer) p.outer = { src: h.packet.outer.src, dst: h.packet.outer.dst, proto: h.packet.outer.proto };
        hop.packet = p;
      } else {
        hop.packet = null;
      }
      if (h.source) hop.source = formatDecider(h.source);
      if (h.policy) hop.policy = { ...h.policy, source: h.source?.pos ? formatPos(h.source.pos) : null };
      return hop;
    }),
  };
  if (res.egress) out.egress = { ip: res.egress.ip, port: res.egress.port, node: res.egress.node };
  if (res.deliveredNode) out.deliveredNode = res.deliveredNode;
  return out;
}

/** The node agent a delivery hop names (node/NAME/kubelet → "the kubelet"), else the netns. */
function nodeAgent(at: string | undefined): string {
  const m = at ? /^node\/[^/]+\/(kubelet|kube-proxy|kube-apiserver)$/.exec(at) : null;
  return m ? (m[1] === 'kubelet' ? 'the kubelet' : m[1]) : 'its network namespace';
}
