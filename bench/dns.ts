// Issue 4's benchmark: cluster DNS on the generated 150 000-pod / 10 000-service cluster.
// Figures: time to build CoreDNS's records (Corefile read, the kubernetes plugin's record store
// filled), and answers per second for service A (fully qualified), headless A, PTR, and short names
// through a pod's search path. Targets on a 2-core machine: records < 5 s, ≥ 1 000 000 FQDN
// service A answers/s in-process.
import { rmSync } from 'node:fs';
import { Cluster } from '../src/cluster';
import { coreDns, dnsQuery, reverseName, stubResolve, stubSettings, podResolvConf, type RRType, type ServeContext } from '../src/dns';
import { generate, REAL } from './generate';

function rate(n: number, ms: number): number {
  return Math.round(n / (ms / 1000));
}

export async function run(): Promise<Record<string, string | number>> {
  const { dir } = generate(REAL);
  const cluster = Cluster.load([{ path: dir }]);
  rmSync(dir, { recursive: true, force: true });
  const r = cluster.realised;
  global.gc?.();

  const t0 = performance.now();
  const server = coreDns(r); // built once per realised cluster, then shared by every query
  const t1 = performance.now();
  const names = server.kubeBackends().reduce((n, k) => n + k.size, 0);

  const ctx: ServeContext = { upstreams: new Map(), hops: null, depth: 0 };
  const normal = r.services.filter((s) => !s.headless && s.type !== 'ExternalName' && s.ns.startsWith('team-'));
  const headless = r.services.filter((s) => s.headless && s.ns.startsWith('team-'));
  const svcNames = normal.map((s) => `${s.name}.${s.ns}.svc.cluster.local.`);
  const headlessNames = headless.map((s) => `${s.name}.${s.ns}.svc.cluster.local.`);
  const ptrNames = r.pods.filter((p) => p.ns.startsWith('team-') && p.ip).slice(0, 20000).map((p) => reverseName(p.ip));

  const measure = (list: string[], type: RRType, n: number): { qps: number; ok: number } => {
    for (let i = 0; i < Math.min(n, 200000); i++) server.query(list[i % list.length], type, ctx);
    let ok = 0;
    const s = performance.now();
    for (let i = 0; i < n; i++) if (server.query(list[i % list.length], type, ctx).rcode === 'NOERROR') ok++;
    return { qps: rate(n, performance.now() - s), ok };
  };
  const svcA = measure(svcNames, 'A', 3_000_000);
  const headA = measure(headlessNames, 'A', 1_000_000);
  const ptr = measure(ptrNames, 'PTR', 1_000_000);

  // short names from pods through their resolv.conf and the glibc search list: half in the pod's
  // own namespace ("svc-3": one query), half in another ("svc-3.team-0042": NXDOMAIN, then found)
  const clients = r.pods.filter((p) => p.ns.startsWith('team-')).slice(0, 2000);
  const settings = clients.map((p) => stubSettings(podResolvConf(r, p)));
  const shortNames = Array.from({ length: 1000 }, (_, i) => (i % 2 ? `svc-${i % 9}` : `svc-${i % 9}.team-${String((i * 7) % 1000).padStart(4, '0')}`));
  const ask = (_ip: string, name: string) => server.query(name, 'A', ctx);
  for (let i = 0; i < 20000; i++) stubResolve(shortNames[i % shortNames.length], 'A', settings[i % settings.length], 'glibc', ask, null, 'pod');
  const N = 200_000;
  let found = 0, queries = 0;
  const s0 = performance.now();
  for (let i = 0; i < N; i++) {
    const out = stubResolve(shortNames[i % shortNames.length], 'A', settings[i % settings.length], 'glibc', ask, null, 'pod');
    if (out.final.answers.length) found++;
    queries += out.tried.length;
  }
  const shortMs = performance.now() - s0;
  // the same with everything `netspec dns` reports: the pod's resolv.conf, every try, the trace
  const M = 20_000;
  const s1 = performance.now();
  for (let i = 0; i < M; i++) dnsQuery(r, { name: shortNames[i % shortNames.length], from: clients[i % clients.length] });
  const tracedQps = rate(M, performance.now() - s1);

  return {
    'cluster': `${r.pods.length} pods, ${r.services.length} services (${headless.length} headless), ${r.namespaces.size} namespaces`,
    'records built (s)': +((t1 - t0) / 1000).toFixed(2),
    'names in the record store': names,
    'target records (s)': '< 5',
    'service A answers/s (FQDN)': svcA.qps,
    'target service A answers/s': '>= 1000000',
    'headless A answers/s (50 pods each)': headA.qps,
    'PTR answers/s (pod IPs)': ptr.qps,
    'short-name lookups/s (glibc search list)': rate(N, shortMs),
    'queries/s behind them': rate(queries, shortMs),
    'short-name lookups/s with resolv.conf and trace (netspec dns)': tracedQps,
    'answered (sanity)': `A ${svcA.ok}, headless ${headA.ok}, PTR ${ptr.ok}, short ${found}/${N}`,
  };
}
