// Issue 12's benchmark: the reachability matrix (netspec matrix) over 1000 pods × 3 ports with 200
// policies across the tiers (150 NetworkPolicies, 40 AdminNetworkPolicies, 9 Baseline
// ClusterNetworkPolicies and the BaselineAdminNetworkPolicy). Figures: load, the matrix (every cell
// read once: 3 000 000 cells), cells/s, distinct pod shapes and tier evaluations, and the text grid.
// Target: ≥ 1 000 000 cells/s after load. The policies' CIDRs are outside ranges (192.168/16,
// 172.16/12) and ranges holding the whole pod network (10.0.0.0/8, 10.244.0.0/16), as real policies
// write them; CIDRs cutting the pod network into node-sized pieces would split each app's pods into
// one shape per node (and the evaluations grow with the square of the shapes).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from '../src/cluster';
import { reachability, renderMatrix } from '../src/policy';

const NAMESPACES = 10, APPS = 10, REPLICAS = Number(process.env.BENCH_REPLICAS ?? 10), NODES = 20;

export function manifests(): string {
  const docs: string[] = [];
  for (let n = 0; n < NODES; n++) docs.push(`apiVersion: v1\nkind: Node\nmetadata: {name: node-${n}, labels: {zone: z${n % 3}}}\n`);
  for (let ns = 0; ns < NAMESPACES; ns++) {
    docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: team-${ns}, labels: {team: t${ns}, env: ${ns % 2 ? 'prod' : 'dev'}}}\n`);
    for (let a = 0; a < APPS; a++) {
      docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: {name: app-${a}, namespace: team-${ns}}
spec:
  replicas: ${REPLICAS}
  selector: {matchLabels: {app: app-${a}}}
  template:
    metadata: {labels: {app: app-${a}, tier: t${a % 3}, version: v${a % 2}}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: 8080, name: http}, {containerPort: 9090, name: metrics}, {containerPort: 5432, name: db}]}]}
`);
    }
    // 15 NetworkPolicies a namespace
    for (let k = 0; k < 15; k++) {
      const a = k % APPS;
      const rule = k % 3 === 0
        ? `[{from: [{podSelector: {matchLabels: {tier: t${(k + 1) % 3}}}}], ports: [{port: http}]}]`
        : k % 3 === 1
          ? `[{from: [{namespaceSelector: {matchLabels: {env: prod}}, podSelector: {matchLabels: {app: app-${(a + 1) % APPS}}}}], ports: [{port: 5432}]}]`
          : `[{from: [{ipBlock: {cidr: 192.168.${k}.0/24}}, {ipBlock: {cidr: 10.0.0.0/8, except: [10.96.0.0/12]}}], ports: [{port: 9090}]}, {from: [{namespaceSelector: {matchLabels: {team: t${(ns + 1) % NAMESPACES}}}}], ports: [{port: 9000, endPort: 9100}]}]`;
      docs.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np-${k}, namespace: team-${ns}}\nspec:\n  podSelector: {matchLabels: {app: app-${a}}}\n  ingress: ${rule}\n`);
    }
  }
  // 40 AdminNetworkPolicies at distinct priorities
  for (let k = 0; k < 40; k++) {
    const action = ['Allow', 'Deny', 'Pass'][k % 3];
    const subject = k % 2 ? `{namespaces: {matchLabels: {env: ${k % 4 === 1 ? 'prod' : 'dev'}}}}` : `{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: app-${k % APPS}}}}}`;
    const peer = k % 5 === 0 ? `{networks: [172.16.${k}.0/24${k % 10 === 0 ? ', 10.244.0.0/16' : ''}]}` : `{pods: {namespaceSelector: {matchLabels: {team: t${k % NAMESPACES}}}, podSelector: {matchLabels: {tier: t${k % 3}}}}}`;
    const dir = k % 5 === 0 ? 'egress' : 'ingress';
    const peersKey = dir === 'egress' ? 'to' : 'from';
    const ports = k % 4 === 0 ? '' : `, ports: [{portNumber: {protocol: TCP, port: ${[8080, 9090, 5432][k % 3]}}}]`;
    docs.push(`apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: anp-${k}}\nspec:\n  priority: ${k + 1}\n  subject: ${subject}\n  ${dir}:\n  - {action: ${action}, ${peersKey}: [${peer}]${ports}}\n`);
  }
  // 9 Baseline ClusterNetworkPolicies and the BaselineAdminNetworkPolicy
  for (let k = 0; k < 9; k++) {
    docs.push(`apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: base-${k}}\nspec:\n  tier: Baseline\n  priority: ${k}\n  subject: {namespaces: {matchLabels: {team: t${k}}}}\n  ingress:\n  - {action: ${k % 2 ? 'Accept' : 'Deny'}, from: [{namespaces: {matchLabels: {env: ${k % 3 ? 'prod' : 'dev'}}}}], protocols: [{tcp: {destinationPort: {number: ${[8080, 9090, 5432][k % 3]}}}}]}\n`);
  }
  docs.push(`apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n  subject: {namespaces: {}}\n  ingress: [{action: Deny, from: [{namespaces: {matchLabels: {env: dev}}}]}]\n`);
  return docs.join('---\n');
}

export async function run(): Promise<Record<string, string | number>> {
  const dir = mkdtempSync(join(tmpdir(), 'netspec-bench-policy-'));
  writeFileSync(join(dir, 'cluster.yaml'), manifests());
  const l0 = performance.now();
  const cluster = Cluster.load([{ path: dir }]);
  const loadMs = performance.now() - l0;
  rmSync(dir, { recursive: true, force: true });
  const r = cluster.realised;
  const policies = r.objects.filter((o) => /NetworkPolicy$/.test(o.kind)).length;
  global.gc?.();

  const ports = [{ port: 8080, protocol: 'TCP' as const }, { port: 9090, protocol: 'TCP' as const }, { port: 5432, protocol: 'TCP' as const }];
  const namespaces = Array.from({ length: NAMESPACES }, (_, i) => `team-${i}`);
  const t0 = performance.now();
  const m = reachability(r, { namespaces, ports });
  let allowed = 0, cells = 0;
  const n = m.pods.length;
  for (let pi = 0; pi < ports.length; pi++) {
    for (let s = 0; s < n; s++) for (let d = 0; d < n; d++) { if (m.cell(s, d, pi).allow) allowed++; cells++; }
  }
  const matrixMs = performance.now() - t0;
  // the same matrix read again: every cell is a lookup now
  const t1 = performance.now();
  let again = 0;
  for (let pi = 0; pi < ports.length; pi++) for (let s = 0; s < n; s++) for (let d = 0; d < n; d++) if (m.cell(s, d, pi).allow) again++;
  const rereadMs = performance.now() - t1;
  const t2 = performance.now();
  const text = renderMatrix(m, 'text');
  const textMs = performance.now() - t2;
  if (again !== allowed) throw new Error('the matrix changed between two reads');

  return {
    'pods × pods × ports': `${n} × ${n} × ${ports.length} = ${cells} cells`,
    policies: `${policies} (NetworkPolicy, AdminNetworkPolicy, ClusterNetworkPolicy, BaselineAdminNetworkPolicy)`,
    'load + realise (ms)': Math.round(loadMs),
    'matrix, every cell (ms)': Math.round(matrixMs),
    'cells/s (target ≥ 1 000 000)': Math.round(cells / (matrixMs / 1000)),
    'distinct pod shapes': m.shapes,
    'tier evaluations': m.evaluations,
    'allowed cells': `${allowed} (${((100 * allowed) / cells).toFixed(1)} %)`,
    're-read (ms)': Math.round(rereadMs),
    'text grid (ms, MB)': `${Math.round(textMs)}, ${(text.length / 1e6).toFixed(1)}`,
  };
}
