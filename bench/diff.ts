// Issue 13's benchmark: `netspec diff` on the generated 150 000-pod cluster, for one NetworkPolicy
// changed (its ingress rule now names another workload) and for one Service's selector changed.
// Figures: the diff itself (pairs asked, wall time; target < 5 s each) and, apart, loading each side.
import { readFileSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { Cluster } from '../src/cluster';
import { behaviourDiff } from '../src/report';
import { generate, REAL } from './generate';

const policy = (from: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: app-1-ingress
  namespace: team-0500
spec:
  podSelector:
    matchLabels:
      app: app-1
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: ${from}
    ports:
    - port: 8080
`;

export async function run(): Promise<Record<string, string | number>> {
  const { dir, files } = generate(REAL);
  const changedFile = files.find((f) => basename(f) === 'team-0500.yaml')!;
  const others = files.filter((f) => f !== changedFile).map((path) => ({ path }));
  const text = readFileSync(changedFile, 'utf8');
  const svcChanged = text.replace(/name: svc-3\n  namespace: team-0500\nspec:\n  selector:\n    app: app-0/, 'name: svc-3\n  namespace: team-0500\nspec:\n  selector:\n    app: app-2');
  if (svcChanged === text) throw new Error('the generated svc-3 of team-0500 was not found');

  const time = <T>(f: () => T): [T, number] => { const t = performance.now(); const v = f(); return [v, (performance.now() - t) / 1000]; };
  const [before, loadOld] = time(() => Cluster.load([...others, { text, name: 'team-0500.yaml' }, { text: policy('app-0'), name: 'policy.yaml' }]));
  let [after, loadNew] = time(() => Cluster.load([...others, { text, name: 'team-0500.yaml' }, { text: policy('app-2'), name: 'policy.yaml' }]));
  const [d1, t1] = time(() => behaviourDiff(before, after));
  after = null as never;
  global.gc?.();
  const [after2] = time(() => Cluster.load([...others, { text: svcChanged, name: 'team-0500.yaml' }, { text: policy('app-0'), name: 'policy.yaml' }]));
  const [d2, t2] = time(() => behaviourDiff(before, after2));
  rmSync(dir, { recursive: true, force: true });
  const r = before.realised;
  const sum = (d: typeof d1) => `${d.pairs.filter((p) => p.change === 'lost').length} lost, ${d.pairs.filter((p) => p.change === 'gained').length} gained, ${d.pairs.filter((p) => p.change === 'changed').length} changed`;
  return {
    'cluster': `${r.nodes.length} nodes, ${r.pods.length} pods, ${r.services.length} services`,
    'load + realise one side (s)': `${loadOld.toFixed(2)} / ${loadNew.toFixed(2)}`,
    'NetworkPolicy changed: pairs asked (each side)': d1.scope.asked,
    'NetworkPolicy changed: result': sum(d1),
    'NetworkPolicy changed: diff (s)': +t1.toFixed(2),
    'Service selector changed: pairs asked (each side)': d2.scope.asked,
    'Service selector changed: result': sum(d2),
    'Service selector changed: diff (s)': +t2.toFixed(2),
    'target diff (s)': '< 5',
  };
}
