// netspec's answer against the kernel's, one check per row: the outcome (delivered, REJECT =
// ECONNREFUSED), the set of backends reached, the source each backend saw, affinity, the backend
// shares within a loose bound, and (iptables) the per-rule packet counters against the rules
// netspec's traces walked.
import type { Attempt } from './kernel';
import type { Expectation, Flow } from './plan';

export interface Row { backend: string; flow: string; check: string; netspec: string; kernel: string; ok: boolean | 'skip' }

const setText = (s: Iterable<string>) => [...s].sort().join(', ') || '(none)';

const OUTCOME: Record<string, string> = { delivered: 'delivered', rejected: 'ECONNREFUSED', refused: 'ECONNREFUSED', dropped: 'ETIMEDOUT' };

function kernelOutcome(a: Attempt[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of a) { const k = x.err ?? (x.who ? 'delivered' : 'empty reply'); m.set(k, (m.get(k) ?? 0) + 1); }
  return m;
}

/** count/k ± 4.5 binomial standard deviations: loose enough never to flake, tight enough that a missing or doubled branch fails. */
export function sharesWithin(counts: Map<string, number>, backends: number, n: number): { ok: boolean; text: string } {
  const p = 1 / backends, mean = n * p, sd = Math.sqrt(n * p * (1 - p));
  const lo = Math.max(1, Math.floor(mean - 4.5 * sd)), hi = Math.ceil(mean + 4.5 * sd);
  const vals = [...counts.entries()].sort();
  const ok = counts.size === backends && vals.every(([, c]) => c >= lo && c <= hi);
  return { ok, text: `${vals.map(([k, c]) => `${k.split('/')[1]}=${c}`).join(' ')} (bound ${lo}–${hi})` };
}

/** Rules the counter check compares: kube-proxy's service rules (per-connection in nat; REJECT/DROP in filter). */
export function compared(table: string, rule: string): boolean {
  const chain = rule.split(' ')[1] ?? '';
  if (table === 'nat') {
    if (/^KUBE-(SVC|SEP|EXT|FW|SVL)-/.test(chain) || chain === 'KUBE-SERVICES' || chain === 'KUBE-NODEPORTS' || chain === 'KUBE-MARK-MASQ') return true;
    // KUBE-POSTROUTING's first rule RETURNs every unmarked new connection: netspec does not walk those
    return chain === 'KUBE-POSTROUTING' && !rule.includes('! --mark');
  }
  return /^KUBE-(SERVICES|EXTERNAL-SERVICES|NODEPORTS|PROXY-FIREWALL)$/.test(chain) && /-j (REJECT|DROP)\b/.test(rule);
}

type Saved = Map<string, Map<string, { rule: string; pkts: number }[]>>;

export function parseSave(text: string): Saved {
  const out: Saved = new Map();
  let table = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) { table = line.slice(1).trim(); out.set(table, new Map()); continue; }
    const m = /^(?:\[(\d+):\d+\] )?(-A (\S+).*)$/.exec(line);
    if (!m || !table) continue;
    const chains = out.get(table)!;
    const l = chains.get(m[3]) ?? [];
    l.push({ rule: m[2], pkts: m[1] ? Number(m[1]) : 0 });
    chains.set(m[3], l);
  }
  return out;
}

/** The compared rules the kernel counted packets on, named by netspec's text of the rule at the same place. */
export function kernelHits(node: string, netspec: string, kernel: string): { hits: Set<string>; problems: string[] } {
  const ns = parseSave(netspec), k = parseSave(kernel);
  const hits = new Set<string>(), problems: string[] = [];
  for (const [table, chains] of ns) {
    for (const [chain, rules] of chains) {
      const kr = k.get(table)?.get(chain) ?? [];
      if (kr.length !== rules.length) { problems.push(`${node} ${table} ${chain}: the kernel holds ${kr.length} rules, netspec wrote ${rules.length}`); continue; }
      rules.forEach((r, i) => { if (kr[i].pkts > 0 && compared(table, r.rule)) hits.add(`${node}|${table}|${r.rule}`); });
    }
  }
  return { hits, problems };
}

export function compareFlow(backend: string, f: Flow, e: Expectation, attempts: Attempt[], counters: { hits: Set<string>; problems: string[] } | null): Row[] {
  const rows: Row[] = [];
  const row = (check: string, netspec: string, kernel: string, ok: boolean | 'skip') => rows.push({ backend, flow: `${f.id}: ${f.title}`, check, netspec, kernel, ok });
  // outcome
  const want = [...e.verdicts].map((v) => OUTCOME[v] ?? v);
  const got = kernelOutcome(attempts);
  const outcomeOk = want.length === 1 && got.size === 1 && got.has(want[0]);
  row('outcome', `${setText(want)} ×${f.count}`, [...got].map(([k, n]) => `${k} ×${n}`).join(', '), outcomeOk);
  const reached = new Map<string, Set<string>>();
  const counts = new Map<string, number>();
  for (const a of attempts) {
    if (!a.who) continue;
    const s = reached.get(a.who) ?? new Set<string>();
    if (a.peer) s.add(a.peer.replace(/^::ffff:/, ''));
    reached.set(a.who, s);
    counts.set(a.who, (counts.get(a.who) ?? 0) + 1);
  }
  if (!e.verdicts.has('delivered')) {
    // nothing to reach: the outcome row says it all; counters below still apply
  } else if (f.affinity) {
    const runs = [...e.sticky!.values()];
    const nsSticks = runs.length > 0 && runs.every((x) => x.backends.size === 1);
    const kSticks = reached.size === 1 && e.backends.has([...reached.keys()][0]);
    row('affinity sticks', `every run of ${f.count} on one backend (${runs.length} runs, first picks ${setText(e.sticky!.keys())})`, `${setText(reached.keys())}`, nsSticks && kSticks);
    row('backends affinity may pin', setText(e.backends.keys()), `${setText(reached.keys())} ⊆`, [...reached.keys()].every((b) => e.backends.has(b)));
  } else {
    row('backends reached', setText(e.backends.keys()), setText(reached.keys()), setText(e.backends.keys()) === setText(reached.keys()));
    const srcText = (m: Map<string, Set<string>>) => [...m.entries()].sort().map(([k, v]) => `${k.split('/')[1]}←${setText(v)}`).join('; ');
    row('source each backend sees', srcText(e.backends), srcText(reached), srcText(e.backends) === srcText(reached));
    if (e.backends.size > 1) {
      const ks = sharesWithin(counts, e.backends.size, attempts.length), ns = sharesWithin(e.counts, e.backends.size, f.count);
      row('backend shares', ns.text, ks.text, ks.ok && ns.ok);
    }
  }
  if (counters) {
    let want = e.hits;
    if (f.affinity) want = e.sticky!.get([...reached.keys()][0] ?? '')?.hits ?? new Set(['(no sticky netspec run picked this backend first)']);
    const ws = new Set([...want].filter((h) => { const [, t, r] = h.split('|'); return compared(t, r); }));
    const only = (a: Set<string>, b: Set<string>) => [...a].filter((x) => !b.has(x)).map((x) => x.replace('|', ' ').replace('|', ' '));
    const missing = only(ws, counters.hits), extra = only(counters.hits, ws);
    const ok = counters.problems.length === 0 && missing.length === 0 && extra.length === 0;
    row('rule counters', `${ws.size} rules walked`,
      ok ? `${counters.hits.size} rules counted` : [...counters.problems, ...missing.map((x) => `not counted: ${x}`), ...extra.map((x) => `counted, not walked: ${x}`)].join(' | '), ok);
  } else {
    row('rule counters', 'n/a', 'kube-proxy\'s nftables rules carry no counters', 'skip');
  }
  return rows;
}
