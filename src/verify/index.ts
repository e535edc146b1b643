// `npm run verify:kernel`: the Linux kernel as judge of netspec's kube-proxy model. For each
// backend (iptables-nft, iptables-legacy, nftables) it builds the fixture cluster in network
// namespaces, loads netspec's own rules for each node, sends real connections and compares every
// flow with netspec's in-process answer. Where it cannot run (not Linux, no privileges, a tool or
// kernel feature missing) it says SKIP with the reason.
import { iptablesSave, nftListRuleset } from '../kubeproxy';
import type { Cluster } from '../cluster';
import { Sandbox, SandboxError, hasTool, rootLinks, run } from './netns';
import { FLOWS, expect, externalClientIP, loadCluster, type Expectation, type ProxyMode } from './plan';
import { TOOLS, buildTopology, connectFrom, loadRules, saveCounters, zeroCounters, type Backend, type Topology } from './kernel';
import { compareFlow, kernelHits, type Row } from './compare';
import { counts, table, writeJunit } from './report';

export { FLOWS, expect, loadCluster, type Flow, type Expectation } from './plan';
export { compareFlow, kernelHits, compared, parseSave, sharesWithin, type Row } from './compare';
export { table, junit, counts } from './report';

export type Break = 'masquerade';
export const BREAKS: Break[] = ['masquerade'];

export interface VerifyOptions {
  backends?: Backend[];
  /** break one rule in a copy of netspec's output (the check must then fail, naming the flows) */
  break?: Break;
  junit?: string;
  log?: (line: string) => void;
}

export interface VerifyResult { rows: Row[]; skipped?: string; exitCode: number }

/** netspec's output with one rule removed: the masquerade mark (iptables KUBE-MARK-MASQ, nftables mark-for-masquerade). */
export function breakRules(text: string, b: Break, backend: Backend): string {
  if (b !== 'masquerade') return text;
  const lines = text.split('\n');
  const i = backend === 'nftables'
    ? lines.findIndex((l) => /^\s*meta mark set meta mark \| 0x0*4000\s*$/.test(l))
    : lines.findIndex((l) => /^-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000\/0x4000$/.test(l));
  if (i < 0) throw new Error(`--break ${b}: no masquerade mark rule in netspec's ${backend} output`);
  lines.splice(i, 1);
  return lines.join('\n');
}

const ALL: Backend[] = ['iptables-nft', 'iptables-legacy', 'nftables'];
const modeOf = (b: Backend): ProxyMode => (b === 'nftables' ? 'nftables' : 'iptables');

/** Why the check cannot run here at all, or null. */
function cannotRun(sb: Sandbox): string | null {
  if (process.platform !== 'linux') return `not Linux (${process.platform}): network namespaces are Linux's`;
  if (!hasTool('ip')) return 'no `ip` command (Debian package iproute2)';
  if (!hasTool('sysctl')) return 'no `sysctl` command (Debian package procps)';
  let probe: string;
  try { probe = sb.addNs('probe'); } catch (e) { return `cannot create a network namespace (needs CAP_SYS_ADMIN and CAP_NET_ADMIN): ${(e as Error).message}`; }
  try {
    const veth = run('ip', ['-n', probe, 'link', 'add', 'a0', 'type', 'veth', 'peer', 'name', 'b0']);
    if (!veth.ok) return `cannot create a veth pair in a namespace: ${veth.stderr.trim()}`;
    const br = sb.exec(probe, 'test', ['-e', '/proc/sys/net/bridge/bridge-nf-call-iptables']);
    if (!br.ok) return 'the kernel has no br_netfilter (net.bridge.bridge-nf-call-iptables is missing)';
    return null;
  } finally { sb.reset(); }
}

export async function verifyKernel(opts: VerifyOptions = {}): Promise<VerifyResult> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const t0 = Date.now();
  const sb = new Sandbox();
  const onSignal = () => { sb.cleanup(); process.exit(130); };
  process.on('exit', () => sb.cleanup());
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const rows: Row[] = [];
  try {
    const why = cannotRun(sb);
    if (why) {
      log(`SKIP kernel check: ${why}`);
      rows.push({ backend: '-', flow: 'all', check: 'run', netspec: '-', kernel: why, ok: 'skip' });
      return finish(rows, opts, t0, log, why);
    }
    const clusters = new Map<ProxyMode, { c: Cluster; exp: Map<string, Expectation> }>();
    for (const backend of opts.backends ?? ALL) {
      const missing = TOOLS[backend].filter((t) => !hasTool(t));
      if (missing.length) {
        const reason = `missing ${missing.join(', ')} (Debian package ${backend === 'nftables' ? 'nftables' : 'iptables'})`;
        log(`SKIP ${backend}: ${reason}`);
        rows.push({ backend, flow: 'all', check: 'run', netspec: '-', kernel: reason, ok: 'skip' });
        continue;
      }
      const mode = modeOf(backend);
      let m = clusters.get(mode);
      if (!m) {
        const c = loadCluster(mode);
        m = { c, exp: new Map(FLOWS.map((f) => [f.id, expect(c, f)])) };
        clusters.set(mode, m);
      }
      await runBackend(sb, backend, m.c, m.exp, opts, rows, log);
      sb.reset();
    }
    return finish(rows, opts, t0, log);
  } finally {
    sb.cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function runBackend(sb: Sandbox, backend: Backend, c: Cluster, exp: Map<string, Expectation>, opts: VerifyOptions, rows: Row[], log: (l: string) => void): Promise<void> {
  const r = c.realised;
  const t = Date.now();
  const extIP = externalClientIP(r);
  const routes = FLOWS.filter((f) => f.from === 'external' && f.via && !r.nodeByIP.has(f.target(r).ip))
    .map((f) => ({ ip: f.target(r).ip, via: r.nodeByName.get(f.via!)!.ip }));
  const fail = (flow: string, check: string, msg: string) => rows.push({ backend, flow, check, netspec: '-', kernel: msg, ok: false });
  const before = rootLinks();
  let topo: Topology;
  try {
    topo = await buildTopology(sb, r, extIP, [...new Map(routes.map((x) => [x.ip, x])).values()]);
  } catch (e) {
    fail('topology', 'build', (e as Error).message);
    return;
  }
  const leaked = [...rootLinks()].filter((l) => !before.has(l));
  rows.push({ backend, flow: 'safety', check: 'root namespace untouched', netspec: 'no new link', kernel: leaked.length ? `new links: ${leaked.join(', ')}` : 'no new link', ok: leaked.length === 0 });
  const texts = new Map<string, string>();
  for (const [node, ns] of topo.nodes) {
    const text = backend === 'nftables' ? nftListRuleset(r, node) : iptablesSave(r, node);
    const loaded = opts.break ? breakRules(text, opts.break, backend) : text;
    // counters are read against the text the kernel holds (a broken copy lacks one rule)
    texts.set(node, loaded);
    try {
      loadRules(sb, ns, backend, loaded);
      rows.push({ backend, flow: `load ${node}`, check: 'ruleset loads', netspec: `${text.split('\n').length} lines`, kernel: 'loaded', ok: true });
    } catch (e) {
      fail(`load ${node}`, 'ruleset loads', (e as Error).message);
      return;
    }
  }
  for (const f of FLOWS) {
    // the commands below are synchronous: let a pending SIGINT/SIGTERM run its cleanup between flows
    await new Promise((ok) => setImmediate(ok));
    const e = exp.get(f.id)!;
    const src = f.from === 'external' ? topo.external : f.from.startsWith('node/') ? topo.nodes.get(f.from.slice(5)) : topo.pods.get(f.from);
    if (!src) { fail(f.id, 'source', `no namespace for ${f.from}`); continue; }
    try {
      for (const ns of topo.nodes.values()) zeroCounters(sb, ns, backend);
      const attempts = connectFrom(sb, src, e.target.ip, e.target.port, f.proto, f.count);
      let counters: ReturnType<typeof kernelHits> | null = null;
      if (backend !== 'nftables') {
        counters = { hits: new Set(), problems: [] };
        for (const [node, ns] of topo.nodes) {
          const k = kernelHits(node, texts.get(node)!, saveCounters(sb, ns, backend));
          k.hits.forEach((h) => counters!.hits.add(h));
          counters.problems.push(...k.problems);
        }
      }
      rows.push(...compareFlow(backend, f, e, attempts, counters));
    } catch (err) {
      if (!(err instanceof SandboxError)) throw err;
      fail(`${f.id}: ${f.title}`, 'run', err.message);
    }
  }
  log(`${backend}: ${FLOWS.length} flows in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

function finish(rows: Row[], opts: VerifyOptions, t0: number, log: (l: string) => void, skipped?: string): VerifyResult {
  const secs = (Date.now() - t0) / 1000;
  log(table(rows));
  if (opts.junit) writeJunit(opts.junit, rows, secs);
  const c = counts(rows);
  const failedFlows = [...new Set(rows.filter((r) => r.ok === false).map((r) => `${r.backend} ${r.flow} (${r.check})`))];
  for (const f of failedFlows) log(`FAIL ${f}`);
  log(`kernel: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
  return { rows, skipped, exitCode: c.failed ? 1 : 0 };
}
