// Issue 7's scheduling benchmark: the 150 000-pod cluster of `foundation` realised twice, without
// and with inter-pod rules on every Deployment (required anti-affinity on the hostname, a
// DoNotSchedule zone spread, required affinity to another Deployment's zones: 150 000 pods under
// rules), and the rules checked on the result. Target: the rules cost < 2 s on top of the realise.
import { rmSync } from 'node:fs';
import { Cluster } from '../src/cluster';
import type { RPod } from '../src/model/realised';
import { generate, REAL } from './generate';

/** One cluster at a time (the previous one is garbage by then): its load time and what `check` says of its pods. */
function realise<T>(rules: boolean, check: (pods: readonly RPod[]) => T): { s: number; pods: number; pending: number; checked: T } {
  const { dir } = generate({ ...REAL, rules });
  global.gc?.();
  const t0 = performance.now();
  const cluster = Cluster.load([{ path: dir }]);
  const t1 = performance.now();
  rmSync(dir, { recursive: true, force: true });
  const pods = cluster.realised.pods;
  return { s: (t1 - t0) / 1000, pods: pods.length, pending: pods.filter((p) => !p.node).length, checked: check(pods) };
}

/** The rules hold: no two app-0 pods of a namespace on one node; app-1's zones within 1; app-2 only in app-0's zones. */
function check(all: readonly RPod[]): { antiBroken: number; skew: number; affBroken: number } {
  let antiBroken = 0, skew = 0, affBroken = 0;
  const byNs = new Map<string, RPod[]>();
  for (const p of all) { const l = byNs.get(p.ns); if (l) l.push(p); else byNs.set(p.ns, [p]); }
  for (const [ns, pods] of byNs) {
    if (!ns.startsWith('team-')) continue;
    const app = (a: string) => pods.filter((p) => p.labels.app === a && p.node);
    const nodes = new Set<string>();
    for (const p of app('app-0')) { if (nodes.has(p.node!.name)) antiBroken++; nodes.add(p.node!.name); }
    const zones = new Map<string, number>();
    for (const p of app('app-1')) { const z = p.node!.labels['topology.kubernetes.io/zone']; zones.set(z, (zones.get(z) ?? 0) + 1); }
    skew = Math.max(skew, Math.max(...zones.values()) - Math.min(...zones.values()));
    const z0 = new Set(app('app-0').map((p) => p.node!.labels['topology.kubernetes.io/zone']));
    for (const p of app('app-2')) if (!z0.has(p.node!.labels['topology.kubernetes.io/zone'])) affBroken++;
  }
  return { antiBroken, skew, affBroken };
}

export async function run(): Promise<Record<string, string | number>> {
  const plain = realise(false, () => null);
  const ruled = realise(true, check);
  const { antiBroken, skew, affBroken } = ruled.checked;
  return {
    'cluster': `${REAL.nodes} nodes, ${plain.pods} pods`,
    'load + realise, no rules (s)': +plain.s.toFixed(2),
    'load + realise, rules on every Deployment (s)': +ruled.s.toFixed(2),
    'cost of the rules (s)': +(ruled.s - plain.s).toFixed(2),
    'target cost (s)': '< 2',
    'Pending (no rules / rules)': `${plain.pending} / ${ruled.pending}`,
    'anti-affinity violations': antiBroken,
    'largest zone skew of app-1': skew,
    'affinity violations': affBroken,
  };
}
