// What `netspec run` reads back from cucumber's message stream (ndjson): how many scenarios ran,
// and the steps no definition matched (undefined) or several did (ambiguous), each with the known
// phrases closest to it, so a typo in a spec names its fix instead of printing a snippet.
import { closest } from '../model/suggest';

export interface UnmatchedStep {
  status: 'UNDEFINED' | 'AMBIGUOUS';
  text: string;
  /** "features/x.feature:12" */
  where: string;
  /** the closest step phrases netspec knows (cucumber expression text) */
  closest: string[];
}

export interface RunReport {
  /** cucumber started a run (false: it stopped before, e.g. on a bad option) */
  started: boolean;
  testCases: number;
  unmatched: UnmatchedStep[];
}

/** Reads cucumber's message ndjson. */
export function readRunMessages(ndjson: string): RunReport {
  const pickleSteps = new Map<string, { text: string; uri: string; astNodeIds: readonly string[] }>();
  const stepLines = new Map<string, number>();
  const testStepToPickleStep = new Map<string, string>();
  const patterns: string[] = [];
  const report: RunReport = { started: false, testCases: 0, unmatched: [] };
  const bad: { id: string; status: 'UNDEFINED' | 'AMBIGUOUS' }[] = [];
  for (const line of ndjson.split('\n')) {
    if (!line.trim()) continue;
    let m: any;
    try { m = JSON.parse(line); } catch { continue; }
    if (m.testRunStarted) report.started = true;
    else if (m.gherkinDocument) {
      const visit = (children: any[]) => {
        for (const c of children ?? []) {
          for (const s of [...(c.background?.steps ?? []), ...(c.scenario?.steps ?? [])]) stepLines.set(s.id, s.location?.line ?? 0);
          if (c.rule) visit(c.rule.children);
        }
      };
      visit(m.gherkinDocument.feature?.children ?? []);
    } else if (m.pickle) {
      for (const s of m.pickle.steps ?? []) pickleSteps.set(s.id, { text: s.text, uri: m.pickle.uri, astNodeIds: s.astNodeIds ?? [] });
    } else if (m.stepDefinition) {
      const src = m.stepDefinition.pattern?.source;
      if (typeof src === 'string') patterns.push(src);
    } else if (m.testCase) {
      for (const ts of m.testCase.testSteps ?? []) if (ts.pickleStepId) testStepToPickleStep.set(ts.id, ts.pickleStepId);
    } else if (m.testCaseStarted) {
      report.testCases++;
    } else if (m.testStepFinished) {
      const st = m.testStepFinished.testStepResult?.status;
      if (st === 'UNDEFINED' || st === 'AMBIGUOUS') bad.push({ id: m.testStepFinished.testStepId, status: st });
    }
  }
  const seen = new Set<string>();
  for (const b of bad) {
    const ps = pickleSteps.get(testStepToPickleStep.get(b.id) ?? '');
    if (!ps) continue;
    const line = stepLines.get(ps.astNodeIds[0]) ?? 0;
    const where = `${ps.uri}:${line}`;
    if (seen.has(where + b.status)) continue;
    seen.add(where + b.status);
    report.unmatched.push({ status: b.status, text: ps.text, where, closest: closest(asPattern(ps.text), patterns, 3) });
  }
  return report;
}

/** A step's text with its values written as parameters, to compare with expressions: "x" → {string}, 80 → {int}. */
function asPattern(text: string): string {
  return text.replace(/"[^"]*"/g, '{string}').replace(/\b\d+\b/g, '{int}');
}

/** One block per unmatched step: where, what, and the closest known phrases. */
export function renderUnmatched(list: readonly UnmatchedStep[]): string[] {
  return list.map((u) => [
    `${u.where}: ${u.status === 'UNDEFINED' ? 'undefined step' : 'ambiguous step (several definitions match)'}: ${u.text}`,
    ...(u.closest.length ? ['  closest known phrases:', ...u.closest.map((c) => `    ${c}`)] : []),
  ].join('\n'));
}
