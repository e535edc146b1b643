// npm run bench: every benchmark in its own process (so peak memory is its own), figures
// printed against the targets the issues set. Benchmarks are measurements, never tests.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const BENCHES = ['foundation', 'scheduling', 'kubeproxy', 'dns', 'policy', 'probes', 'mesh', 'snapshot', 'diff', 'cli', 'scenarios'];
const only = process.argv.slice(2);

let failed = false;
for (const name of BENCHES) {
  if (only.length && !only.includes(name)) continue;
  const file = join(__dirname, `${name}.ts`);
  if (!existsSync(file)) { console.log(`\n# ${name}: (no benchmark yet)`); continue; }
  console.log(`\n# ${name}`);
  const r = spawnSync(process.execPath, ['--require', join(__dirname, '..', 'scripts', 'ts-cache.js'), '--expose-gc', '--max-old-space-size=8192', join(__dirname, 'child.ts'), file], {
    stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 << 20,
  });
  if (r.status !== 0) { console.log(`  failed (exit ${r.status})\n${r.stdout}`); failed = true; continue; }
  const figures = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, string | number>;
  const w = Math.max(...Object.keys(figures).map((k) => k.length));
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(w)}  ${v}`);
}
process.exitCode = failed ? 1 : 0;
