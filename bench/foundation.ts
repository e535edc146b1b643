// Issue 2's benchmark: 5000 nodes, 150 000 pods from workloads in 1000 namespaces.
// Figures: load (YAML → objects) and realise time, peak memory, pod-to-pod connects per second.
// Targets on a 2-core machine: realise < 10 s, < 2 GB, ≥ 100 000 connects/s.
import { rmSync } from 'node:fs';
import { Cluster } from '../src/cluster';
import { generate, REAL } from './generate';

export async function run(): Promise<Record<string, string | number>> {
  const { dir } = generate(REAL);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const cluster = Cluster.load([{ path: dir }]);
  const t1 = performance.now();
  rmSync(dir, { recursive: true, force: true });
  const r = cluster.realised;
  global.gc?.();
  const heldMB = (process.memoryUsage().rss - rssBefore) / 1048576;
  const peakMB = process.resourceUsage().maxRSS / 1024;

  // pod-to-pod connects between random pairs (seeded), half cross-node
  const pods = r.pods.filter((p) => !p.hostNetwork && p.ip && p.ns !== 'kube-system');
  let x = 12345;
  const rnd = () => ((x = (x * 1103515245 + 12345) >>> 0) / 4294967296);
  const pairs: [string, string][] = [];
  for (let i = 0; i < 10000; i++) {
    const a = pods[Math.floor(rnd() * pods.length)], b = pods[Math.floor(rnd() * pods.length)];
    pairs.push([a.key, b.ip]);
  }
  let delivered = 0;
  const N = 200000;
  // warm up
  for (let i = 0; i < 20000; i++) cluster.connect({ from: pairs[i % pairs.length][0], to: pairs[i % pairs.length][1], port: 8080 });
  const c0 = performance.now();
  for (let i = 0; i < N; i++) {
    const [from, to] = pairs[i % pairs.length];
    if (cluster.connect({ from, to, port: 8080 }).verdict === 'delivered') delivered++;
  }
  const c1 = performance.now();
  const qps = N / ((c1 - c0) / 1000);
  return {
    'cluster': `${r.nodes.length} nodes, ${r.pods.length} pods, ${r.services.length} services, ${r.namespaces.size} namespaces`,
    'load + realise (s)': +((t1 - t0) / 1000).toFixed(2),
    'target realise (s)': '< 10',
    'memory held by the model (MB)': Math.round(heldMB),
    'peak RSS (MB)': Math.round(peakMB),
    'target memory (MB)': '< 2048',
    'pod-to-pod connects/s': Math.round(qps),
    'target connects/s': '>= 100000',
    'delivered (sanity)': `${delivered}/${N}`,
  };
}
