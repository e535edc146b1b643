// A failed scenario as the CI formatters report it: the feature file and line of the failing step,
// the message, and the rule or object that decided (its manifest file and line), read from the
// decider attachment the steps add to a failing step (steps/pictures.ts).
import type { Envelope, GherkinDocument, Pickle, TestCase, TestStepResult, Attachment } from '@cucumber/messages';
import { relative } from 'node:path';

export const DECIDER_MEDIA_TYPE = 'application/vnd.netspec.decider+json';
/**
 * A step's trace (steps/world.ts attachTrace). Not text/plain, which cucumber's console formatters
 * print in full: a failing step's message carries its trace, so the report shows it once.
 */
export const TRACE_MEDIA_TYPE = 'text/vnd.netspec.trace';

export interface DeciderRef { what: string; file?: string; line?: number }

export interface Failure {
  /** feature file as cucumber names it (relative to the working folder) */
  file: string;
  /** the failing step's line (the scenario's when no step failed, e.g. an undefined step) */
  line: number;
  scenario: string;
  step: string;
  status: string;
  message: string;
  decider?: DeciderRef;
}

/** What a formatter needs of one finished test case (cucumber's ITestCaseAttempt has these fields). */
export interface AttemptLike {
  gherkinDocument: GherkinDocument;
  pickle: Pickle;
  testCase: TestCase;
  stepResults: Record<string, TestStepResult>;
  stepAttachments: Record<string, Attachment[]>;
  worstTestStepResult: TestStepResult;
}

function stepLines(doc: GherkinDocument): Map<string, { line: number; text: string }> {
  const m = new Map<string, { line: number; text: string }>();
  const visit = (children: readonly any[]) => {
    for (const c of children) {
      for (const s of c.background?.steps ?? []) m.set(s.id, { line: s.location.line, text: `${s.keyword}${s.text}` });
      for (const s of c.scenario?.steps ?? []) m.set(s.id, { line: s.location.line, text: `${s.keyword}${s.text}` });
      if (c.rule) visit(c.rule.children);
    }
  };
  if (doc.feature) visit(doc.feature.children);
  return m;
}

function scenarioLine(doc: GherkinDocument, pickle: Pickle): number {
  let line = 1;
  const visit = (children: readonly any[]) => {
    for (const c of children) {
      if (c.scenario && pickle.astNodeIds.includes(c.scenario.id)) line = c.scenario.location.line;
      if (c.rule) visit(c.rule.children);
    }
  };
  if (doc.feature) visit(doc.feature.children);
  return line;
}

/** An error message without its JavaScript stack (the trace and positions are in the message). */
function withoutStack(m: string): string {
  return m.split('\n').filter((l) => !/^\s+at .+(\(.*:\d+:\d+\)|:\d+:\d+)$/.test(l)).join('\n').replace(/^Error: /, '').trimEnd();
}

/** Where a failed (or undefined, ambiguous) test case failed; null when it passed or was skipped. */
export function failureOf(a: AttemptLike): Failure | null {
  const worst = a.worstTestStepResult.status;
  if (worst === 'PASSED' || worst === 'SKIPPED') return null;
  const lines = stepLines(a.gherkinDocument);
  const file = a.pickle.uri;
  for (const ts of a.testCase.testSteps) {
    const r = a.stepResults[ts.id];
    if (!r || r.status === 'PASSED' || r.status === 'SKIPPED') continue;
    const ps = ts.pickleStepId ? a.pickle.steps.find((s) => s.id === ts.pickleStepId) : undefined;
    const at = ps ? lines.get(ps.astNodeIds[0]) : undefined;
    const att = (a.stepAttachments[ts.id] ?? []).find((x) => x.mediaType === DECIDER_MEDIA_TYPE);
    let decider: DeciderRef | undefined;
    if (att) { try { decider = JSON.parse(att.body); } catch { /* a broken attachment names no decider */ } }
    return {
      file, line: at?.line ?? scenarioLine(a.gherkinDocument, a.pickle), scenario: a.pickle.name,
      step: at?.text ?? (ps ? ps.text : 'a hook'), status: r.status,
      message: r.message ? withoutStack(r.message) : (r.status === 'UNDEFINED' ? `undefined step: ${ps?.text ?? ''}` : r.status.toLowerCase()),
      decider,
    };
  }
  return { file, line: scenarioLine(a.gherkinDocument, a.pickle), scenario: a.pickle.name, step: '', status: worst, message: a.worstTestStepResult.message ?? worst.toLowerCase() };
}

/** A manifest path as a CI annotation wants it: relative to the repository (the working folder). */
export function repoPath(file: string, cwd = process.cwd()): string {
  return file.startsWith('/') ? relative(cwd, file) : file;
}

export type { Envelope };
