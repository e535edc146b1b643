// Issue 7's scenario-cost benchmark: 20 scenarios over a bundle the size and shape of Argo CD's HA
// install + ingress-nginx's cloud deploy.yaml + Online Boutique (bench/realbundle.ts, about 2 MB),
// every scenario with the same Background (`Given the manifests in …`), run by cucumber in this
// process with netspec's step library (compiled dist/ when built, else the TypeScript sources).
// Figures: the first scenario's time (it reads, parses and realises the bundle), the mean and the
// slowest of the other 19 (they reuse the parsed files and the realised cluster: src/clustercache),
// and, for comparison, the mean of 4 scenarios with both caches switched off (what every scenario
// cost before). Per-scenario time is cucumber's own (testCaseStarted → testCaseFinished), and the
// process's CPU time over the same span (the machine may be shared: wall time then says less).
// Target: ≤ 50 ms per scenario after the first.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBundle } from './realbundle';

const ROOT = join(__dirname, '..');

const BACKGROUND = `
  Background:
    Given the manifests in "cluster"
    And the manifests in "ingress-nginx"
    And the manifests in "argocd" applied to namespace "argocd"
    And the manifests in "boutique" applied to namespace "boutique"
`;

/** 20 scenarios a platform team would write about these installs: roles, DNS, the ingress, policy. */
const SCENARIOS: [string, string[]][] = [
  ['the admission Jobs ran to completion', ['Then every pod of job "ingress-nginx-admission-create" in namespace "ingress-nginx" is Succeeded', 'And every pod of job "ingress-nginx-admission-patch" in namespace "ingress-nginx" is Succeeded']],
  ['the shop is served through the ingress', ['When a request for "http://shop.example.com/" arrives at the ingress controller', 'Then it is routed to service "frontend" on port 80', 'And the ingress controller answers 200', 'And the request was proxied from a pod of deployment "ingress-nginx-controller" in namespace "ingress-nginx"']],
  ['the frontend reaches the cart', ['When a pod of deployment "frontend" in namespace "boutique" connects to "svc/cartservice" on TCP port 7070', 'Then the connection is delivered to a pod of deployment "cartservice" in namespace "boutique"']],
  ['the frontend finds the catalog by name', ['When a pod of deployment "frontend" in namespace "boutique" looks up "productcatalogservice"', 'Then the answer is the cluster IP of service "productcatalogservice" in namespace "boutique"']],
  ['checkout reaches payment', ['When a pod of deployment "checkoutservice" in namespace "boutique" connects to "svc/paymentservice" on TCP port 50051', 'Then the connection is delivered to a pod of deployment "paymentservice" in namespace "boutique"']],
  ['argocd-server reaches the repo server', ['When a pod of deployment "argocd-server" in namespace "argocd" connects to "deployment/argocd-repo-server" on TCP port 8081', 'Then the connection is delivered to a pod of deployment "argocd-repo-server" in namespace "argocd"']],
  ['dex may not reach the repo server', ['When a pod of deployment "argocd-dex-server" in namespace "argocd" connects to "deployment/argocd-repo-server" on TCP port 8081', 'Then the connection is dropped']],
  ['the redis servers run', ['Then every pod of statefulset "argocd-redis-ha-server" in namespace "argocd" is Running']],
  ['the haproxies run', ['Then every pod of deployment "argocd-redis-ha-haproxy" in namespace "argocd" is Running']],
  ['the repo server finds haproxy by name', ['When a pod of deployment "argocd-repo-server" in namespace "argocd" looks up "argocd-redis-ha-haproxy"', 'Then the answer is the cluster IP of service "argocd-redis-ha-haproxy" in namespace "argocd"']],
  ['argocd-server reaches dex', ['When a pod of deployment "argocd-server" in namespace "argocd" connects to "svc/argocd-dex-server" on TCP port 5556', 'Then the connection is delivered to a pod of deployment "argocd-dex-server" in namespace "argocd"']],
  ['notifications may not reach haproxy', ['When a pod of deployment "argocd-notifications-controller" in namespace "argocd" connects to "deployment/argocd-redis-ha-haproxy" on TCP port 6379', 'Then the connection is dropped']],
  ['the load generator reaches the frontend', ['When a pod of deployment "loadgenerator" in namespace "boutique" connects to "svc/frontend" on TCP port 80', 'Then the connection is delivered to a pod of deployment "frontend" in namespace "boutique"']],
  ['the frontend reaches the ads', ['When a pod of deployment "frontend" in namespace "boutique" connects to "svc/adservice" on TCP port 9555', 'Then the connection is delivered to a pod of deployment "adservice" in namespace "boutique"']],
  ['a deeper path of the shop', ['When a request for "http://shop.example.com/cart" arrives at the ingress controller', 'Then it is routed to service "frontend" on port 80', 'And the ingress controller answers 200']],
  ['an unknown host gets the default backend', ['When a request for "http://other.example.com/" arrives at the ingress controller', 'Then the ingress controller answers 404']],
  ['recommendations read the catalog', ['When a pod of deployment "recommendationservice" in namespace "boutique" connects to "svc/productcatalogservice" on TCP port 3550', 'Then the connection is delivered to a pod of deployment "productcatalogservice" in namespace "boutique"']],
  ['the cart reaches redis', ['When a pod of deployment "cartservice" in namespace "boutique" connects to "svc/redis-cart" on TCP port 6379', 'Then the connection is delivered to a pod of deployment "redis-cart" in namespace "boutique"']],
  ['the application controller reaches the repo server', ['When a pod of statefulset "argocd-application-controller" in namespace "argocd" connects to "deployment/argocd-repo-server" on TCP port 8081', 'Then the connection is delivered to a pod of deployment "argocd-repo-server" in namespace "argocd"']],
  ['every argocd-server pod reaches haproxy', ['Then every pod of deployment "argocd-server" in namespace "argocd" connecting to "deployment/argocd-redis-ha-haproxy" on TCP port 6379 is delivered']],
];

function feature(title: string, scenarios: [string, string[]][]): string {
  return `Feature: ${title}\n${BACKGROUND}\n${scenarios.map(([name, steps]) => `  Scenario: ${name}\n${steps.map((s) => `    ${s}`).join('\n')}\n`).join('\n')}`;
}

interface Timed { name: string; ms: number; cpu: number; status: string }

async function runFeature(api: any, support: any, runConfiguration: any, path: string): Promise<Timed[]> {
  const names = new Map<string, string>();
  const cases = new Map<string, string>();
  const started = new Map<string, number>();
  const cpuAt = new Map<string, number>();
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const worst = new Map<string, string>();
  const out: Timed[] = [];
  const ts = (t: { seconds: number; nanos: number }) => t.seconds * 1000 + t.nanos / 1e6;
  const result = await api.runCucumber({ ...runConfiguration, support, sources: { ...runConfiguration.sources, paths: [path] } }, { cwd: ROOT, stdout: { write: () => true } as any, stderr: process.stderr }, (m: any) => {
    if (m.pickle) names.set(m.pickle.id, m.pickle.name);
    if (m.testCase) cases.set(m.testCase.id, m.testCase.pickleId);
    if (m.testCaseStarted) { started.set(m.testCaseStarted.id, ts(m.testCaseStarted.timestamp)); cpuAt.set(m.testCaseStarted.id, cpu()); }
    if (m.testStepFinished && m.testStepFinished.testStepResult.status !== 'PASSED') worst.set(m.testStepFinished.testCaseStartedId, `${m.testStepFinished.testStepResult.status}: ${m.testStepFinished.testStepResult.message ?? ''}`);
    if (m.testCaseFinished) {
      const id = m.testCaseFinished.testCaseStartedId;
      out.push({ name: id, ms: ts(m.testCaseFinished.timestamp) - started.get(id)!, cpu: cpu() - cpuAt.get(id)!, status: worst.get(id) ?? 'PASSED' });
    }
    if (m.testCaseStarted) { const c = cases.get(m.testCaseStarted.testCaseId); if (c) names.set(m.testCaseStarted.id, names.get(c) ?? c); }
  });
  for (const t of out) t.name = names.get(t.name) ?? t.name;
  const failed = out.filter((t) => t.status !== 'PASSED');
  if (!result.success || failed.length) throw new Error(`scenarios failed:\n${failed.map((t) => `  ${t.name}: ${t.status.slice(0, 2000)}`).join('\n')}`);
  return out;
}

export async function run(): Promise<Record<string, string | number>> {
  const dir = mkdtempSync(join(tmpdir(), 'netspec-bench-scenarios-'));
  try {
    const bytes = writeBundle(dir);
    writeFileSync(join(dir, 'cached.feature'), feature('Argo CD HA, ingress-nginx and Online Boutique', SCENARIOS));
    writeFileSync(join(dir, 'uncached.feature'), feature('the same, caches off', SCENARIOS.slice(1, 5)));
    // scenarios that each declare one more pod: other inputs, so the cluster is realised again, from the parsed files
    const variants: [string, string[]][] = [1, 2, 3, 4].map((i) => [`a debug pod ${i}`, [`Given a pod "debug-${i}" in namespace "boutique"`, `When pod "debug-${i}" in namespace "boutique" connects to "svc/cartservice" on TCP port 7070`, 'Then the connection is delivered to a pod of deployment "cartservice" in namespace "boutique"']]);
    writeFileSync(join(dir, 'variants.feature'), feature('one more pod each', variants));
    const compiled = existsSync(join(ROOT, 'dist', 'steps', 'index.js'));
    const api = require('@cucumber/cucumber/api');
    const { runConfiguration } = await api.loadConfiguration({
      file: false,
      provided: compiled
        ? { paths: [join(dir, 'cached.feature')], require: [join(ROOT, 'dist', 'steps', 'index.js')], strict: true, format: [], worldParameters: { warnings: 'none' } }
        : { paths: [join(dir, 'cached.feature')], requireModule: [join(ROOT, 'scripts', 'ts-cache.js')], require: [join(ROOT, 'steps', '**', '*.ts')], strict: true, format: [], worldParameters: { warnings: 'none' } },
    }, { cwd: ROOT });
    const support = await api.loadSupport(runConfiguration, { cwd: ROOT });
    const src = compiled ? join(ROOT, 'dist', 'src') : join(ROOT, 'src');
    const cc = require(join(src, 'clustercache'));
    const pc = require(join(src, 'manifests', 'parsecache'));

    const times = await runFeature(api, support, runConfiguration, join(dir, 'cached.feature'));
    const [first, ...rest] = times;
    const mean = rest.reduce((a, t) => a + t.ms, 0) / rest.length;
    const slowest = rest.reduce((a, t) => (t.ms > a.ms ? t : a), rest[0]);
    const figures: Record<string, string | number> = {
      'bundle': `${(bytes / 1e6).toFixed(2)} MB (Argo CD HA + ingress-nginx cloud + Online Boutique, generated)`,
      'steps': compiled ? 'compiled (dist/)' : 'TypeScript sources',
      'scenarios': `${times.length}, all passed`,
      'first scenario (reads, parses, realises): wall / cpu': `${first.ms.toFixed(0)} ms / ${first.cpu.toFixed(0)} ms`,
      'mean of the other 19: wall / cpu': `${mean.toFixed(1)} ms / ${(rest.reduce((a, t) => a + t.cpu, 0) / rest.length).toFixed(1)} ms`,
      'median of the other 19: wall': `${[...rest].sort((a, b) => a.ms - b.ms)[Math.floor(rest.length / 2)].ms.toFixed(1)} ms`,
      'slowest of the other 19: wall / cpu': `${slowest.ms.toFixed(1)} ms / ${slowest.cpu.toFixed(1)} ms (${slowest.name})`,
      'cluster cache: hits / misses': `${cc.clusterCacheStats.hits} / ${cc.clusterCacheStats.misses}`,
      'parse cache: hits / misses': `${pc.parseCacheStats.hits} / ${pc.parseCacheStats.misses}`,
    };
    const pc0 = pc.parseCacheStats.hits;
    const v = await runFeature(api, support, runConfiguration, join(dir, 'variants.feature'));
    figures['one more declared pod each (realised again, files from the parse cache): mean wall / cpu'] = `${(v.reduce((a, t) => a + t.ms, 0) / v.length).toFixed(0)} ms / ${(v.reduce((a, t) => a + t.cpu, 0) / v.length).toFixed(0)} ms (${v.length} scenarios, ${pc.parseCacheStats.hits - pc0} parse cache hits)`;
    cc.clusterCacheOptions.enabled = false;
    pc.parseCacheOptions.enabled = false;
    const off = await runFeature(api, support, runConfiguration, join(dir, 'uncached.feature'));
    cc.clusterCacheOptions.enabled = true;
    pc.parseCacheOptions.enabled = true;
    figures['caches off: mean of 4 scenarios (as before): wall / cpu'] = `${(off.reduce((a, t) => a + t.ms, 0) / off.length).toFixed(0)} ms / ${(off.reduce((a, t) => a + t.cpu, 0) / off.length).toFixed(0)} ms`;
    figures['target'] = '<= 50 ms per scenario after the first';
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
