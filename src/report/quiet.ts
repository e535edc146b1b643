// The quiet report: each failure in a few lines (feature:line, scenario, step, message, decider),
// then one summary line.
import { repoPath, type Failure } from './failures';

export function quietFailure(f: Failure, cwd = process.cwd()): string {
  const lines = [`✗ ${repoPath(f.file, cwd)}:${f.line}  ${f.scenario}`, `    ${f.step}`];
  for (const l of f.message.split('\n').slice(0, 6)) lines.push(`    ${l}`);
  if (f.message.split('\n').length > 6) lines.push('    …');
  if (f.decider) lines.push(`    decided by ${f.decider.what}${f.decider.file ? ` (${repoPath(f.decider.file, cwd)}:${f.decider.line})` : ''}`);
  return lines.join('\n');
}

export function quietSummary(counts: Record<string, number>, total: number, seconds: number): string {
  const order = ['passed', 'FAILED', 'UNDEFINED', 'AMBIGUOUS', 'PENDING', 'SKIPPED', 'UNKNOWN'];
  const rank = (k: string) => (order.indexOf(k) < 0 ? order.length : order.indexOf(k));
  const parts = Object.entries(counts).filter(([, n]) => n > 0).sort(([a], [b]) => rank(a) - rank(b)).map(([k, n]) => `${n} ${k.toLowerCase()}`);
  return `netspec: ${total} scenario${total === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''} (${seconds.toFixed(1)}s)`;
}
