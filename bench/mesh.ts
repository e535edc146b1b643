// Issue 10's benchmark: the 150 000-pod cluster of the foundation benchmark, without and with
// Istio sidecars in every team namespace (istio-injection=enabled, mesh-wide STRICT mTLS).
// Figure: pod → Service (ClusterIP:80) connects per second; target: with sidecars ≥ 50 % of without.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cluster } from '../src/cluster';
import { generate, REAL } from './generate';

function measure(cluster: Cluster): { qps: number; delivered: number; n: number; mtls: number } {
  const r = cluster.realised;
  const pods = r.pods.filter((p) => !p.hostNetwork && p.ip && p.ns.startsWith('team-'));
  const svcs = r.services.filter((s) => s.ns.startsWith('team-') && !s.headless);
  let x = 12345;
  const rnd = () => ((x = (x * 1103515245 + 12345) >>> 0) / 4294967296);
  const pairs: [string, string][] = [];
  for (let i = 0; i < 10000; i++) pairs.push([pods[Math.floor(rnd() * pods.length)].key, svcs[Math.floor(rnd() * svcs.length)].clusterIPs[0]]);
  for (let i = 0; i < 10000; i++) cluster.connect({ from: pairs[i % pairs.length][0], to: pairs[i % pairs.length][1], port: 80 });
  const n = 100000;
  let delivered = 0, mtls = 0;
  const c0 = performance.now();
  for (let i = 0; i < n; i++) {
    const [from, to] = pairs[i % pairs.length];
    const res = cluster.connect({ from, to, port: 80 });
    if (res.verdict === 'delivered') delivered++;
    if (res.mesh?.mtls) mtls++;
  }
  return { qps: n / ((performance.now() - c0) / 1000), delivered, n, mtls };
}

export async function run(): Promise<Record<string, string | number>> {
  const { dir, files } = generate(REAL);
  const plain = measure(Cluster.load([{ path: dir }]));
  global.gc?.();
  for (const f of files) {
    if (!f.includes('team-')) continue;
    const t = readFileSync(f, 'utf8');
    writeFileSync(f, t.replace(/^(kind: Namespace\nmetadata:\n  name: [^\n]+\n)/m, '$1  labels:\n    istio-injection: enabled\n'));
  }
  writeFileSync(join(dir, 'istio.yaml'), 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: istio-system\nspec:\n  mtls:\n    mode: STRICT\n');
  const t0 = performance.now();
  const meshedCluster = Cluster.load([{ path: dir }]);
  const t1 = performance.now();
  rmSync(dir, { recursive: true, force: true });
  const meshed = measure(meshedCluster);
  return {
    'cluster': `${meshedCluster.realised.pods.length} pods, every team namespace istio-injection=enabled, mesh-wide STRICT`,
    'load + realise with injection (s)': +((t1 - t0) / 1000).toFixed(2),
    'pod → Service connects/s without sidecars': Math.round(plain.qps),
    'pod → Service connects/s with sidecars': Math.round(meshed.qps),
    'with / without': `${Math.round((100 * meshed.qps) / plain.qps)} %`,
    'target with / without': '>= 50 %',
    'delivered (sanity)': `${plain.delivered}/${plain.n} without, ${meshed.delivered}/${meshed.n} with (${meshed.mtls} over mTLS)`,
  };
}
