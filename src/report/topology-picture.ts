// The topology of a cluster as an SVG: nodes holding their pods (by namespace), Services with
// edges to the pods behind their ready endpoints, Ingress routes to their Services, and
// NetworkPolicies as dashed red edges to the pods they isolate.
import type { Realised } from '../model/realised';
import { compileLabelSelector } from '../model/selector';
import { renderGraph, type GCluster, type GEdge, type GNode } from './svg';

/** Above this many pods a picture is no longer read: ask for a namespace. */
export const TOPOLOGY_MAX_PODS = 400;

export class TopologyTooLarge extends Error {}

export function topologyPicture(r: Realised, opts: { namespace?: string; title?: string } = {}): string {
  const inNs = (ns: string | undefined) => !opts.namespace || ns === opts.namespace;
  const pods = r.pods.filter((p) => inNs(p.ns));
  if (pods.length > TOPOLOGY_MAX_PODS) throw new TopologyTooLarge(`${pods.length} pods are too many for one picture (at most ${TOPOLOGY_MAX_PODS}): draw one namespace with -n NS`);
  const clusters: GCluster[] = [];
  const nodes: GNode[] = [];
  const edges: GEdge[] = [];
  const seenCluster = new Set<string>();
  for (const p of pods) {
    const node = p.node?.name ?? '(unscheduled)';
    const nid = `node:${node}`;
    if (!seenCluster.has(nid)) { seenCluster.add(nid); clusters.push({ id: nid, label: p.node ? `node ${node} ${p.node.ip}` : 'not scheduled' }); }
    const sid = `${nid}/ns:${p.ns}`;
    if (!seenCluster.has(sid)) { seenCluster.add(sid); clusters.push({ id: sid, label: `namespace ${p.ns}`, parent: nid }); }
    nodes.push({ id: `pod:${p.key}`, lines: [p.name, `${p.ip || 'no IP'}${p.hostNetwork ? ' (hostNetwork)' : ''}${p.ready ? '' : ' · not ready'}`], tone: p.ready ? 'normal' : 'muted', parent: sid });
  }
  const podIds = new Set(pods.map((p) => `pod:${p.key}`));
  const podByIP = new Map(pods.map((p) => [p.ip, p]));
  for (const s of r.services) {
    if (!inNs(s.ns)) continue;
    const ports = s.ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol}`).join(', ');
    const addr = s.type === 'ExternalName' ? `→ ${s.externalName}` : s.headless ? 'headless' : s.clusterIPs[0];
    nodes.push({ id: `svc:${s.key}`, lines: [`Service ${s.key}`, `${s.type} ${addr}`, ports || 'no ports', ...(s.loadBalancerIPs.length ? [`LB ${s.loadBalancerIPs.join(', ')}`] : [])], tone: 'nat' });
    const seen = new Set<string>();
    for (const sl of r.slicesByService.get(s.key) ?? []) {
      for (const ep of sl.endpoints) {
        const pod = ep.pod ?? podByIP.get(ep.addresses[0]);
        const id = pod && `pod:${pod.key}`;
        if (!id || !podIds.has(id) || seen.has(id)) continue;
        seen.add(id);
        edges.push({ from: `svc:${s.key}`, to: id, tone: ep.ready ? 'normal' : 'muted', dashed: !ep.ready });
      }
    }
  }
  const byKind = (k: string) => r.objects.filter((o) => o.kind === k && inNs(o.metadata.namespace ?? 'default'));
  for (const ing of byKind('Ingress')) {
    const ns = ing.metadata.namespace ?? 'default';
    const spec = (ing.spec ?? {}) as Record<string, any>;
    const id = `ing:${ns}/${ing.metadata.name}`;
    const routes: { text: string; svc?: string }[] = [];
    for (const rule of spec.rules ?? []) {
      for (const path of rule?.http?.paths ?? []) routes.push({ text: `${rule.host ?? '*'}${path.path ?? '/'}`, svc: path.backend?.service?.name });
    }
    if (spec.defaultBackend?.service?.name) routes.push({ text: '(default backend)', svc: spec.defaultBackend.service.name });
    nodes.push({ id, lines: [`Ingress ${ns}/${ing.metadata.name}`, ...routes.map((x) => `${x.text} → ${x.svc ?? '?'}`)], tone: 'good' });
    const done = new Set<string>();
    for (const x of routes) {
      const to = `svc:${ns}/${x.svc}`;
      if (!x.svc || done.has(to) || !r.serviceByKey.has(`${ns}/${x.svc}`)) continue;
      done.add(to);
      edges.push({ from: id, to, label: routes.filter((y) => y.svc === x.svc).map((y) => y.text).join(' ') });
    }
  }
  for (const pol of byKind('NetworkPolicy')) {
    const ns = pol.metadata.namespace ?? 'default';
    const spec = (pol.spec ?? {}) as Record<string, any>;
    const sel = compileLabelSelector(spec.podSelector ?? {});
    const types = Array.isArray(spec.policyTypes) && spec.policyTypes.length ? spec.policyTypes : ['Ingress', ...(Array.isArray(spec.egress) && spec.egress.length ? ['Egress'] : [])];
    const id = `pol:${ns}/${pol.metadata.name}`;
    nodes.push({ id, lines: [`NetworkPolicy ${ns}/${pol.metadata.name}`, `isolates ${sel.text || 'every pod'} for ${types.join(' and ').toLowerCase()}`, ...ruleLines(spec)], tone: 'bad' });
    for (const p of r.podIndex(ns).select(sel)) {
      if (p.hostNetwork || !podIds.has(`pod:${p.key}`)) continue;
      edges.push({ from: id, to: `pod:${p.key}`, tone: 'bad', dashed: true });
    }
  }
  return renderGraph({
    title: opts.title ?? `cluster topology${opts.namespace ? ` (namespace ${opts.namespace})` : ''}`,
    subtitle: `${new Set(pods.map((p) => p.node?.name)).size} nodes · ${pods.length} pods · ${nodes.filter((n) => n.id.startsWith('svc:')).length} services · ${nodes.filter((n) => n.id.startsWith('pol:')).length} policies`,
    nodes, clusters, edges,
  });
}

/** "allows from podSelector app=web on TCP 80" for each rule, at most three. */
function ruleLines(spec: Record<string, any>): string[] {
  const out: string[] = [];
  for (const [dir, peersKey] of [['ingress', 'from'], ['egress', 'to']] as const) {
    for (const rule of (Array.isArray(spec[dir]) ? spec[dir] : []) as Record<string, any>[]) {
      const peers = (rule?.[peersKey] ?? []) as Record<string, any>[];
      const who = peers.length ? peers.map(peerText).join(' or ') : 'anyone';
      const ports = (rule?.ports ?? []) as Record<string, any>[];
      out.push(`${dir === 'ingress' ? 'allows from' : 'allows to'} ${who}${ports.length ? ` on ${ports.map((p) => `${p.protocol ?? 'TCP'} ${p.port ?? '*'}`).join(', ')}` : ''}`);
    }
  }
  return out.length > 3 ? [...out.slice(0, 3), `… ${out.length - 3} more rules`] : out;
}

function peerText(p: Record<string, any>): string {
  const parts: string[] = [];
  if (p.ipBlock) parts.push(`ipBlock ${p.ipBlock.cidr}`);
  if (p.namespaceSelector) parts.push(`ns ${compileLabelSelector(p.namespaceSelector).text || '*'}`);
  if (p.podSelector) parts.push(`pods ${compileLabelSelector(p.podSelector).text || '*'}`);
  return parts.join(' & ') || '?';
}
