// Issue 16's benchmark: a cluster snapshot as one file, shaped as `kubectl get pods,svc -A -o yaml`
// prints it (no Node objects: they are inferred from the pods), with and without managedFields.
// Each case loads and realises in a process of its own, so its peak memory is its own.
// Targets (2-core machine): 10 000 pods < 3 s and < 400 MB, with managedFields < 1.5× that time;
// 150 000 pods (a ~500 MB file) < 30 s and < 2 GB.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SNAPSHOT_10K, writeSnapshot, type SnapshotSize } from './snapshotgen';

/** In the child: load + realise one file, print the figures. */
function measure(file: string): void {
  const { Cluster } = require('../src/cluster') as typeof import('../src/cluster');
  const t0 = performance.now();
  let cluster: import('../src/cluster').Cluster;
  try { cluster = Cluster.load([{ path: file }]); } catch (e: any) {
    process.stderr.write(`${(e?.errors ?? [e]).slice(0, 3).map((x: any) => `${x.code ?? ''} ${x.pos ? `${x.pos.line}:${x.pos.col}` : ''} ${x.message}`).join(' | ')}\n`);
    process.exit(1);
  }
  const t1 = performance.now();
  const r = cluster.realised;
  process.stdout.write(JSON.stringify({
    s: (t1 - t0) / 1000, peak: process.resourceUsage().maxRSS / 1024,
    pods: r.pods.length, nodes: r.nodes.length, services: r.services.length,
    warnings: [...new Set(cluster.warnings.map((w) => w.code))].join(' '),
  }) + '\n');
}

const CASES: [string, SnapshotSize][] = [
  ['10 000 pods', SNAPSHOT_10K],
  ['10 000 pods with managedFields', { ...SNAPSHOT_10K, managedFields: true }],
  ['150 000 pods', { pods: 150_000, namespaces: 1000, nodes: 5000, services: 10_000, managedFields: false }],
];

export async function run(): Promise<Record<string, string | number>> {
  const out: Record<string, string | number> = {};
  const only = process.env.SNAPSHOT_CASES?.split(',');
  for (const [label, size] of CASES) {
    if (only && !only.some((o) => label.startsWith(o))) continue;
    const dir = mkdtempSync(join(tmpdir(), 'netspec-snapshot-'));
    try {
      const file = join(dir, 'snapshot.yaml');
      writeSnapshot(file, size);
      const mb = statSync(file).size / 1048576;
      const r = spawnSync(process.execPath, ['--require', join(__dirname, '..', 'scripts', 'ts-cache.js'), '--max-old-space-size=8192', __filename, file], { encoding: 'utf8', maxBuffer: 16 << 20 });
      if (r.status !== 0) { out[label] = `failed: ${(r.stderr || '').split('\n').slice(0, 3).join(' ')}`; continue; }
      const f = JSON.parse(r.stdout.trim().split('\n').pop()!);
      out[`${label}: file (MB)`] = Math.round(mb);
      out[`${label}: load + realise (s)`] = +f.s.toFixed(2);
      out[`${label}: peak RSS (MB)`] = Math.round(f.peak);
      out[`${label}: realised`] = `${f.pods} pods, ${f.nodes} nodes, ${f.services} services; warnings ${f.warnings || 'none'}`;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  out['target 10 000 pods'] = '< 3 s, < 400 MB; with managedFields < 1.5x the time';
  out['target 150 000 pods'] = '< 30 s, < 2048 MB';
  return out;
}

if (require.main === module && process.argv[2]) measure(process.argv[2]);
