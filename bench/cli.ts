// Issue 8's benchmark: netspec as a tool — what a command costs to start and answer, compiled.
// Figures (medians of RUNS runs, one machine, one run of the benchmark): CPU and wall time of
// `node -e 0`, `netspec --version`, `netspec get pods` and `netspec connect` on the shop example,
// `netspec run` of the bundled features (against the step time cucumber reports), each also as a
// ratio to `node -e 0`; then `netspec query` throughput: 10 000 connect questions through one
// process on the shop example, and answered in-process on the 150 000-pod cluster once loaded
// (full answers with every hop, and --brief ones).
// Targets: get pods CPU ≤ 3× node -e 0; run wall ≤ 2× its step time; ≥ 100 000 connect answers/s.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Cluster } from '../src/cluster';
import { answerLines } from '../src/cli/commands/query';
import { generate, REAL } from './generate';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'bin', 'netspec.js');
const SHOP = join(ROOT, 'examples', 'shop', 'k8s');
const RUNS = Number(process.env.NETSPEC_BENCH_RUNS) || 5;

/** CPU seconds (user + system) of this process's reaped children, from /proc (10 ms ticks). */
function childrenCpu(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields 16 and 17 of stat (cutime, cstime) are 13 and 14 after the command name
  return (Number(f[13]) + Number(f[14])) / 100;
}

interface Sample { cpu: number; wall: number; out: string }
function once(args: string[], input?: string): Sample {
  const c0 = childrenCpu();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, input, encoding: 'utf8', maxBuffer: 256 << 20 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0 && r.status !== 2) throw new Error(`${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return { cpu: childrenCpu() - c0, wall, out: r.stdout + r.stderr };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function measure(args: string[]): { cpu: number; wall: number; outs: string[] } {
  const samples = Array.from({ length: RUNS }, () => once(args));
  return { cpu: median(samples.map((s) => s.cpu)), wall: median(samples.map((s) => s.wall)), outs: samples.map((s) => s.out) };
}
const fmt = (s: number) => `${(s * 1000).toFixed(0)} ms`;

function connectLines(pairs: [string, string, number][], n: number): string {
  let text = '';
  for (let i = 0; i < n; i++) {
    const [from, to, port] = pairs[i % pairs.length];
    text += JSON.stringify({ connect: { from, to, port } }) + '\n';
  }
  return text;
}

export async function run(): Promise<Record<string, string | number>> {
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) throw new Error('no compiled build: run `npm run build` first');
  const figures: Record<string, string | number> = { runs: `median of ${RUNS}` };
  const base = measure(['-e', '0']);
  figures['node -e 0: cpu / wall'] = `${fmt(base.cpu)} / ${fmt(base.wall)}`;
  const commands: [string, string[]][] = [
    ['netspec --version', ['--version']],
    ['netspec get pods (shop)', ['get', 'pods', '-f', SHOP]],
    ['netspec connect (shop)', ['connect', '-f', SHOP, '--from', 'shop/toolbox', '--to', 'cart.shop.svc.cluster.local', '--port', '7070']],
  ];
  for (const [label, args] of commands) {
    const m = measure([BIN, ...args]);
    figures[`${label}: cpu / wall`] = `${fmt(m.cpu)} / ${fmt(m.wall)} (${(m.cpu / base.cpu).toFixed(1)}× / ${(m.wall / base.wall).toFixed(1)}× node -e 0)`;
  }
  figures['target get pods cpu'] = '<= 3× node -e 0';

  const run = measure([BIN, 'run', 'features', 'examples']);
  const stepTimes = run.outs.map((o) => {
    const m = /executing steps: (\d+)m(\d+\.\d+)s/.exec(o);
    if (!m) throw new Error(`netspec run printed no step time:\n${o.slice(-2000)}`);
    return Number(m[1]) * 60 + Number(m[2]);
  });
  const scenarios = /(\d+) scenarios? \(/.exec(run.outs[0])?.[1];
  figures[`netspec run (${scenarios} scenarios): cpu / wall`] = `${fmt(run.cpu)} / ${fmt(run.wall)} (${(run.cpu / base.cpu).toFixed(1)}× / ${(run.wall / base.wall).toFixed(1)}× node -e 0)`;
  figures['netspec run: step time (cucumber) / wall ratio'] = `${fmt(median(stepTimes))} / ${(run.wall / median(stepTimes)).toFixed(2)}×`;
  figures['target run wall'] = '<= 2× step time';

  // query through one process on the shop example: every pod to every service port, 10 000 lines
  const shop = Cluster.load([{ path: SHOP }]);
  const shopPods = shop.realised.pods.filter((p) => !p.hostNetwork && p.ns === 'shop');
  const shopPairs: [string, string, number][] = [];
  for (const p of shopPods) for (const s of shop.realised.services.filter((x) => x.ns === 'shop')) {
    for (const port of s.ports) shopPairs.push([p.key, `${s.name}.shop.svc.cluster.local`, port.port]);
  }
  const N = 10000;
  const q = once([BIN, 'query', '-f', SHOP], connectLines(shopPairs, N));
  const answered = q.out.split('\n').filter((l) => l.startsWith('{"line"')).length;
  if (answered !== N) throw new Error(`query answered ${answered} of ${N} lines`);
  figures['query, shop, one process (load included): answers/s'] = `${Math.round(N / q.wall)} (${N} in ${fmt(q.wall)}, cpu ${fmt(q.cpu)})`;
  const shopIn = connectLines(shopPairs, N).split('\n').slice(0, N);
  const s0 = performance.now();
  answerLines(shop, shopIn, '<bench>', 1, { n: 0 });
  figures['query, shop, once loaded: answers/s'] = Math.round(N / ((performance.now() - s0) / 1000));

  // the 150 000-pod cluster: pod-to-pod connects (as bench/foundation.ts), answered as query does
  const { dir } = generate(REAL);
  const big = Cluster.load([{ path: dir }]);
  rmSync(dir, { recursive: true, force: true });
  const pods = big.realised.pods.filter((p) => !p.hostNetwork && p.ip && p.ns !== 'kube-system');
  let x = 12345;
  const rnd = () => ((x = (x * 1103515245 + 12345) >>> 0) / 4294967296);
  const pairs: [string, string, number][] = [];
  for (let i = 0; i < N; i++) pairs.push([pods[Math.floor(rnd() * pods.length)].key, pods[Math.floor(rnd() * pods.length)].ip, 8080]);
  const lines = connectLines(pairs, N).split('\n').slice(0, N);
  answerLines(big, lines.slice(0, 2000), '<bench>', 1, { n: 0 }); // warm up
  const bad = { n: 0 };
  const b0 = performance.now();
  const out = answerLines(big, lines, '<bench>', 1, bad);
  const secs = (performance.now() - b0) / 1000;
  const delivered = out.split('\n').filter((l) => l.includes('"verdict":"delivered"')).length;
  figures[`query, ${big.realised.pods.length} pods, once loaded: answers/s`] = `${Math.round(N / secs)} (${delivered}/${N} delivered, ${bad.n} errors, ${(out.length / N).toFixed(0)} bytes an answer)`;
  const r0 = performance.now();
  answerLines(big, lines, '<bench>', 1, { n: 0 }, true);
  figures['query --brief (no hops), same questions: answers/s'] = Math.round(N / ((performance.now() - r0) / 1000));
  const c0 = performance.now();
  for (const [from, to, port] of pairs) big.connect({ from, to, port });
  figures['  of which connect alone: answers/s'] = Math.round(N / ((performance.now() - c0) / 1000));
  figures['target query answers/s'] = '>= 100000';
  return figures;
}
