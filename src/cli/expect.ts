// --expect / --expect-to: a query command as a CI assertion. The answer is printed as always; when
// it differs from what was expected the command exits 1 with one line saying expected vs actual.
import { parseRole, rolePods } from '../roles';
import type { Cluster } from '../cluster';
import { UsageError, one, type Parsed } from './args';
import type { IO } from './main';

export const EXPECT = { name: 'expect', value: true } as const;
export const EXPECT_TO = { name: 'expect-to', value: true } as const;

/** The --expect value, checked against the words the command can answer with (before loading). */
export function expectFlag(p: Parsed, allowed: readonly string[] | RegExp, what: string): string | undefined {
  const v = one(p, 'expect');
  if (v === undefined) return undefined;
  const ok = Array.isArray(allowed) ? allowed.includes(v) : (allowed as RegExp).test(v);
  if (!ok) throw new UsageError(`--expect takes ${what} (got "${v}")`);
  return v;
}

/** 0 when every expectation held; else prints one line a failed one on stderr and returns 1. */
export function verdictExit(io: IO, command: string, failures: string[]): number {
  for (const f of failures) io.err(`netspec ${command}: expectation failed: ${f}`);
  return failures.length ? 1 : 0;
}

/** --expect-to TARGET: the connection was delivered to a pod TARGET names (NS/POD, a workload, svc/NAME, a selector). */
export function expectToFailure(cluster: Cluster, target: string, ns: string | undefined, delivered: string | null, verdictText: string): string | null {
  const ref = parseRole(target, ns);
  if (!ref) throw new UsageError(`--expect-to takes NS/POD, [NS/]deployment/NAME (statefulset, daemonset, job), [NS/]svc/NAME or [NS/]KEY=VALUE (got "${target}")`);
  const rp = rolePods(cluster.realised, ref);
  if (delivered && rp.pods.some((p) => p.key === delivered)) return null;
  return `expected delivery to ${rp.what} (${rp.pods.length} pod${rp.pods.length === 1 ? '' : 's'}), got ${delivered ? `delivered to ${delivered}` : verdictText}`;
}
