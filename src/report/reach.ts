// Reachability as `netspec diff` asks it: who (a workload's pods) reaches what (a Service on each
// declared port, a workload's pods on each declared container port no Service exposes).
// Each pair is answered by the Cluster facade's connect from one representative pod, so the answer
// carries the same trace and deciders as `netspec connect`. When src/policy's reachability matrix
// lands, `reachPairs` is the one function to swap.
import type { Cluster } from '../cluster';
import { decidingHop, type ConnectResult } from '../cni';
import type { RPod, RService, Realised } from '../model/realised';
import type { Decider } from '../net/trace';

/** The pods of one workload (or one bare pod): a source, and the owner of pod destinations. */
export interface Group {
  /** "ns/deployment/name", "ns/statefulset/name", "ns/pod/name"… */
  id: string;
  ns: string;
  pods: RPod[];
}

export interface Destination {
  /** "ns/svc/name:port/TCP" or "ns/deployment/name:port/TCP" */
  id: string;
  kind: 'service' | 'pods';
  ns: string;
  /** the Service's key, or the group's id */
  owner: string;
  port: number;
  protocol: string;
  /** the Service port's or container port's name, when it has one */
  portName?: string;
}

export interface ReachAnswer {
  reachable: boolean;
  verdict: string;
  /** one sentence: what decided */
  detail: string;
  /** the objects or rules that decided (a deny: every policy that isolates the pod) */
  deciders: Decider[];
}

/** What a workload's pods are called, from their controller (the ReplicaSet's Deployment when the pod-template-hash says so). */
export function groupIdOf(pod: RPod): string {
  const ref = (pod.obj.metadata.ownerReferences as { kind: string; name: string; controller?: boolean }[] | undefined)?.find((r) => r.controller) ;
  if (!ref) return `${pod.ns}/pod/${pod.name}`;
  const hash = pod.labels['pod-template-hash'];
  if (ref.kind === 'ReplicaSet' && hash && ref.name.endsWith(`-${hash}`)) return `${pod.ns}/deployment/${ref.name.slice(0, -hash.length - 1)}`;
  return `${pod.ns}/${ref.kind.toLowerCase()}/${ref.name}`;
}

/** The sources and destinations of one realised cluster, indexed; services of a group are found lazily. */
export class ReachIndex {
  readonly groups = new Map<string, Group>();
  readonly groupsByNs = new Map<string, Group[]>();
  private readonly servicesByNs = new Map<string, RService[]>();
  private destCache = new Map<string, Destination[]>();
  private allDests: Map<string, Destination> | null = null;

  constructor(readonly cluster: Cluster) {
    const r = cluster.realised;
    for (const p of r.pods) {
      // pods without their own address are no one's source or destination (hostNetwork pods are their node)
      if (p.hostNetwork || !p.ip) continue;
      const id = groupIdOf(p);
      let g = this.groups.get(id);
      if (!g) {
        g = { id, ns: p.ns, pods: [] };
        this.groups.set(id, g);
        const l = this.groupsByNs.get(p.ns);
        if (l) l.push(g); else this.groupsByNs.set(p.ns, [g]);
      }
      g.pods.push(p);
    }
    for (const s of r.services) {
      const l = this.servicesByNs.get(s.ns);
      if (l) l.push(s); else this.servicesByNs.set(s.ns, [s]);
    }
  }

  get realised(): Realised { return this.cluster.realised; }

  /** Services of a namespace. */
  services(ns: string): readonly RService[] { return this.servicesByNs.get(ns) ?? []; }

  /** The groups whose pods a Service's selector picks. */
  backingGroups(s: RService): Group[] {
    if (!s.selector) return [];
    const ids = new Set<string>();
    for (const p of this.realised.podIndex(s.ns).select(s.selector)) ids.add(groupIdOf(p));
    return [...ids].map((id) => this.groups.get(id)).filter((g): g is Group => !!g);
  }

  /** Services whose selector picks a pod of the group. */
  servicesOf(g: Group): RService[] {
    return this.services(g.ns).filter((s) => s.selector && !s.selector.empty ? g.pods.some((p) => s.selector!.matches(p.labels)) : false);
  }

  /** A Service's destinations: each port of its ClusterIP (none for headless and ExternalName Services). */
  serviceDests(s: RService): Destination[] {
    if (s.headless || s.type === 'ExternalName' || !s.clusterIPs.length) return [];
    return s.ports.map((p) => ({ id: `${s.ns}/svc/${s.name}:${p.port}/${p.protocol}`, kind: 'service' as const, ns: s.ns, owner: s.key, port: p.port, protocol: p.protocol, portName: p.name || undefined }));
  }

  /** A group's own destinations: its declared container ports that no Service of it targets. */
  groupDests(g: Group): Destination[] {
    const cached = this.destCache.get(g.id);
    if (cached) return cached;
    const exposed = new Set<string>();
    for (const s of this.servicesOf(g)) {
      for (const sp of s.ports) {
        for (const p of g.pods) {
          const cp = typeof sp.targetPort === 'number' ? p.listening.get(`${sp.protocol}/${sp.targetPort}`) : p.ports.find((x) => x.name === sp.targetPort && x.protocol === sp.protocol);
          if (cp) exposed.add(`${cp.protocol}/${cp.port}`);
        }
      }
    }
    const seen = new Set<string>();
    const out: Destination[] = [];
    for (const cp of g.pods[0].ports) {
      const k = `${cp.protocol}/${cp.port}`;
      if (exposed.has(k) || seen.has(k)) continue;
      seen.add(k);
      out.push({ id: `${g.id}:${cp.port}/${cp.protocol}`, kind: 'pods', ns: g.ns, owner: g.id, port: cp.port, protocol: cp.protocol, portName: cp.name });
    }
    this.destCache.set(g.id, out);
    return out;
  }

  /** Destinations that are about a group: its own ports and the ports of every Service in front of it. */
  destsAbout(g: Group): Destination[] {
    return [...this.groupDests(g), ...this.servicesOf(g).flatMap((s) => this.serviceDests(s))];
  }

  /** Every destination of the cluster, by id. */
  destinations(): Map<string, Destination> {
    if (this.allDests) return this.allDests;
    const m = new Map<string, Destination>();
    for (const s of this.realised.services) for (const d of this.serviceDests(s)) m.set(d.id, d);
    for (const g of this.groups.values()) for (const d of this.groupDests(g)) m.set(d.id, d);
    return (this.allDests = m);
  }

  destination(id: string): Destination | undefined {
    if (this.allDests) return this.allDests.get(id);
    const m = /^(.*):(\d+)\/(\w+)$/.exec(id);
    if (!m) return undefined;
    const [, owner] = m;
    const parts = owner.split('/');
    if (parts[1] === 'svc') {
      const s = this.realised.serviceByKey.get(`${parts[0]}/${parts[2]}`);
      return s ? this.serviceDests(s).find((d) => d.id === id) : undefined;
    }
    const g = this.groups.get(owner);
    return g ? this.groupDests(g).find((d) => d.id === id) : undefined;
  }
}

function answer(res: ConnectResult): ReachAnswer {
  const denies = res.hops.filter((h) => h.action === 'deny' && h.source).map((h) => h.source!);
  const allows = res.hops.filter((h) => h.action === 'allow' && h.source).map((h) => h.source!);
  const last = decidingHop(res);
  const deciders = res.verdict === 'delivered' ? allows : denies.length ? denies : last?.source ? [last.source] : [];
  return { reachable: res.verdict === 'delivered', verdict: res.verdict, detail: last?.detail ?? res.verdict, deciders };
}

/** The first ready endpoint behind a Service port (EndpointSlices in their order), as kube-proxy would DNAT to it. */
function readyBackend(r: Realised, svc: RService, to: Destination): { ip: string; port: number } | null {
  const sp = svc.ports.find((p) => p.port === to.port && p.protocol === to.protocol);
  if (!sp) return null;
  for (const sl of r.slicesByService.get(svc.key) ?? []) {
    const port = sl.ports.find((p) => p.name === sp.name && p.protocol === sp.protocol);
    if (!port) continue;
    for (const ep of sl.endpoints) if (ep.ready && ep.addresses.length) return { ip: ep.addresses[0], port: port.port };
  }
  return null;
}

/**
 * Answers each pair (source group id → destination) in the index's cluster by connecting from the
 * group's first pod (its second when the destination is the group's own pods: a pod always reaches
 * itself). Connects use seed 0.
 *
 * A Service port with ready endpoints is asked at its first ready endpoint, as kube-proxy's DNAT
 * leaves the packet for a ClusterIP with internalTrafficPolicy Cluster and no masqueradeAll (the
 * same on every node, source address untouched; NetworkPolicy egress is checked after DNAT, so the
 * policy checks see the same packet). Walking kube-proxy's rules instead would build every source
 * node's ruleset, which at 10 000 Services costs more than the whole diff may. A Service without
 * ready endpoints (kube-proxy's REJECT), Local traffic policy, masqueradeAll, and a backend that is
 * the source itself take the full walk through kube-proxy.
 */
export function reachPairs(ix: ReachIndex, pairs: readonly { from: string; to: Destination }[]): ReachAnswer[] {
  const r = ix.realised;
  const backends = new Map<string, { ip: string; port: number } | null>();
  return pairs.map(({ from, to }) => {
    const g = ix.groups.get(from)!;
    let src = g.pods[0];
    const ask = (target: string, port: number) => ix.cluster.connect({ from: { kind: 'pod', pod: src }, to: target, port, protocol: to.protocol, seed: 0 });
    if (to.kind === 'service') {
      const svc = r.serviceByKey.get(to.owner)!;
      const vip = svc.clusterIPs[0];
      if (svc.internalTrafficPolicy === 'Local' || r.config.masqueradeAll) return answer(ask(vip, to.port));
      let be = backends.get(to.id);
      if (be === undefined) backends.set(to.id, (be = readyBackend(r, svc, to)));
      return answer(be && be.ip !== src.ip ? ask(be.ip, be.port) : ask(vip, to.port));
    }
    const dg = ix.groups.get(to.owner)!;
    if (dg === g) {
      if (g.pods.length < 2) return { reachable: true, verdict: 'delivered', detail: 'a pod always reaches itself', deciders: [] };
      src = g.pods[1];
    }
    return answer(ask(dg.pods[0].ip, to.port));
  });
}
