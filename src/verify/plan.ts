// What the kernel check asks and what netspec answers: the fixture cluster's flows, each asked of
// netspec in-process (Cluster.connect over seeds) before the kernel is asked the same.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Cluster } from '../cluster';
import type { ConnectResult, Verdict } from '../cni';
import type { Realised } from '../model/realised';

export type ProxyMode = 'iptables' | 'nftables';

export interface Flow {
  id: string;
  title: string;
  /** "NS/POD", "node/NAME" or "external" (the client outside the cluster) */
  from: string;
  /** the destination address and port, read from netspec's model */
  target(r: Realised): { ip: string; port: number };
  proto: 'TCP' | 'UDP';
  /** the node the network hands an external client's packets to */
  via?: string;
  /** connections sent to the kernel, and seeds asked of netspec */
  count: number;
  affinity?: boolean;
}

const svc = (r: Realised, key: string) => {
  const s = r.serviceByKey.get(key);
  if (!s) throw new Error(`verify fixture: no Service ${key}`);
  return s;
};
const vip = (key: string, port: number) => (r: Realised) => ({ ip: svc(r, key).clusterIPs[0], port });
const nodePort = (key: string, node: string) => (r: Realised) => ({ ip: r.nodeByName.get(node)!.ip, port: svc(r, key).ports[0].nodePort! });

/** The flows; the cluster is features/kube-proxy/k8s/kernel/cluster.yaml. Multi-endpoint flows send 45 connections (a missed backend has odds < 1e-7). */
export const FLOWS: Flow[] = [
  { id: 'clusterip', title: 'pod → ClusterIP, 3 endpoints on 2 nodes (host-gw)', from: 'shop/client', target: vip('shop/web', 80), proto: 'TCP', count: 60 },
  { id: 'no-endpoints', title: 'pod → ClusterIP without endpoints (REJECT)', from: 'shop/client', target: vip('shop/empty', 80), proto: 'TCP', count: 5 },
  { id: 'affinity', title: 'pod → ClusterIP with ClientIP affinity', from: 'shop/client', target: vip('shop/sticky', 80), proto: 'TCP', count: 20, affinity: true },
  { id: 'hairpin', title: 'pod → its own Service (hairpin)', from: 'shop/solo', target: vip('shop/solo', 80), proto: 'TCP', count: 5 },
  { id: 'nodeport-cluster', title: 'outside → NodePort, externalTrafficPolicy Cluster', from: 'external', target: nodePort('shop/web-np', 'node-a'), via: 'node-a', proto: 'TCP', count: 45 },
  { id: 'nodeport-local-a', title: 'outside → NodePort on node-a, externalTrafficPolicy Local', from: 'external', target: nodePort('shop/web-local', 'node-a'), via: 'node-a', proto: 'TCP', count: 10 },
  { id: 'nodeport-local-b', title: 'outside → NodePort on node-b, externalTrafficPolicy Local', from: 'external', target: nodePort('shop/web-local', 'node-b'), via: 'node-b', proto: 'TCP', count: 45 },
  { id: 'node-clusterip', title: 'node → ClusterIP', from: 'node/node-a', target: vip('shop/web', 80), proto: 'TCP', count: 45 },
  { id: 'pod-nodeport', title: 'pod → NodePort of another node', from: 'shop/client', target: nodePort('shop/web-np', 'node-b'), proto: 'TCP', count: 45 },
  { id: 'external-ip', title: 'outside → externalIP', from: 'external', target: (r) => ({ ip: svc(r, 'shop/web-ext').externalIPs[0], port: 80 }), via: 'node-a', proto: 'TCP', count: 45 },
  { id: 'udp', title: 'pod → UDP Service', from: 'shop/client', target: vip('shop/web-udp', 53), proto: 'UDP', count: 45 },
];

/** The cluster's manifests, shared with features/kube-proxy/kernel.feature. */
export const FIXTURE_DIR = path.join(packageRoot(__dirname), 'features', 'kube-proxy', 'k8s', 'kernel');

/** The folder holding netspec's package.json (src/verify from the sources, dist/src/verify once built). */
function packageRoot(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'package.json'))) return d;
    if (path.dirname(d) === d) return path.resolve(dir, '..', '..');
  }
}
/** The address of the client outside the cluster: on the nodes' network, host part .200. */
export function externalClientIP(r: Realised): string {
  const ip = r.nodes[0].ip.split('.').slice(0, 3).concat('200').join('.');
  if (r.nodeByIP.has(ip)) throw new Error(`verify fixture: ${ip} is a node`);
  return ip;
}

export function loadCluster(mode: ProxyMode): Cluster {
  return Cluster.load([{ path: FIXTURE_DIR }], { overrides: { proxyMode: mode } });
}

/** netspec's answer for a flow over its seeds. */
export interface Expectation {
  target: { ip: string; port: number };
  verdicts: Set<Verdict>;
  /** backend pod → the source addresses it saw */
  backends: Map<string, Set<string>>;
  /** backend pod → connections */
  counts: Map<string, number>;
  /** "node|table|rule" of every iptables rule the traces walked */
  hits: Set<string>;
  /** affinity flows: each sticky run, keyed by the backend its first connection picked */
  sticky?: Map<string, { backends: Set<string>; hits: Set<string> }>;
}

function connectOf(c: Cluster, f: Flow, r: Realised, seed: number): ConnectResult {
  const t = f.target(r);
  const from = f.from === 'external' ? `external:${externalClientIP(r)}` : f.from;
  return c.connect({ from, to: t.ip, port: t.port, protocol: f.proto, via: f.via, seed });
}

const HOP_AT = /^node\/([^/]+)\/iptables\/(nat|filter)\//;

/** The iptables rules a trace walked, as "node|table|rule text". */
export function ruleHits(res: ConnectResult, into = new Set<string>()): Set<string> {
  for (const h of res.hops) {
    const m = HOP_AT.exec(h.at);
    const what = h.source?.what;
    if (!m || !what || !what.startsWith(`${m[2]} -A `)) continue;
    into.add(`${m[1]}|${m[2]}|${what.slice(m[2].length + 1)}`);
  }
  return into;
}

function record(e: Expectation, res: ConnectResult): void {
  e.verdicts.add(res.verdict);
  ruleHits(res, e.hits);
  if (res.verdict === 'delivered' && res.delivered) {
    const src = res.final!.src.slice(0, res.final!.src.lastIndexOf(':'));
    const s = e.backends.get(res.delivered.pod) ?? new Set<string>();
    s.add(src);
    e.backends.set(res.delivered.pod, s);
    e.counts.set(res.delivered.pod, (e.counts.get(res.delivered.pod) ?? 0) + 1);
  }
}

/**
 * Asks netspec: `count` seeds. Affinity flows: every seed after the clock moved past the affinity
 * timeout (so the set is every backend affinity may pin to), plus sticky runs of `count`
 * connections on one clock, one per first pick.
 */
export function expect(c: Cluster, f: Flow): Expectation {
  const r = c.realised;
  const e: Expectation = { target: f.target(r), verdicts: new Set(), backends: new Map(), counts: new Map(), hits: new Set() };
  for (let seed = 1; seed <= f.count; seed++) {
    if (f.affinity) c.advanceKubeProxyClock(86_400);
    record(e, connectOf(c, f, r, seed));
  }
  if (f.affinity) {
    e.hits.clear();
    e.sticky = new Map();
    for (let start = 1; start <= 40 && e.sticky.size < e.backends.size; start++) {
      c.advanceKubeProxyClock(86_400);
      const run: Expectation = { target: e.target, verdicts: new Set(), backends: new Map(), counts: new Map(), hits: new Set() };
      for (let k = 0; k < f.count; k++) record(run, connectOf(c, f, r, start * 1000 + k));
      const first = [...run.backends.keys()][0];
      if (first && !e.sticky.has(first)) e.sticky.set(first, { backends: new Set(run.backends.keys()), hits: run.hits });
    }
  }
  return e;
}
