// cucumber-js --format ./src/report/formatters/docs.cjs:DIR/index.html (netspec run --docs DIR):
// the living-docs site (src/report/docs-site.ts) written next to the index cucumber opens.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Formatter, type IFormatterOptions } from '@cucumber/cucumber';
import type { Envelope } from '@cucumber/messages';
import { renderSite, type DocsChapter, type DocsStep, type Status } from '../docs-site';
import { TRACE_MEDIA_TYPE, type AttemptLike } from '../failures';

export default class DocsFormatter extends Formatter {
  static override readonly documentation = 'the living-docs site: one HTML page per feature with its narrative, scenarios and pictures';

  constructor(options: IFormatterOptions) {
    super(options);
    // the site's folder: netspec run --docs DIR sets NETSPEC_DOCS_DIR; with cucumber-js directly,
    // --format-options '{"netspecDocs": "DIR"}' (cucumber hands class formatters only the stream)
    const dirOpt = (options.parsedArgvOptions as { netspecDocs?: string }).netspecDocs ?? process.env.NETSPEC_DOCS_DIR;
    options.eventBroadcaster.on('envelope', (e: Envelope) => {
      if (!e.testRunFinished) return;
      const attempts = options.eventDataCollector.getTestCaseAttempts() as unknown as (AttemptLike & { willBeRetried: boolean })[];
      const files = renderSite(chapters(attempts.filter((a) => !a.willBeRetried)));
      const dir = dirOpt ? resolve(options.cwd, dirOpt) : null;
      for (const f of files) {
        if (f.path === 'index.html') { this.log(f.content); continue; }
        if (!dir) continue; // no folder to write pictures and pages to (stdout): the index alone
        mkdirSync(dirname(join(dir, f.path)), { recursive: true });
        writeFileSync(join(dir, f.path), f.content);
      }
    });
  }
}

function chapters(attempts: readonly AttemptLike[]): DocsChapter[] {
  const byUri = new Map<string, DocsChapter>();
  for (const a of attempts) {
    const uri = a.pickle.uri;
    let ch = byUri.get(uri);
    if (!ch) {
      ch = { uri, title: a.gherkinDocument.feature?.name ?? uri, description: a.gherkinDocument.feature?.description ?? '', scenarios: [] };
      byUri.set(uri, ch);
    }
    const keywords = new Map<string, { keyword: string; line: number }>();
    let scenarioLine = 0;
    const visit = (children: readonly any[]) => {
      for (const c of children) {
        for (const s of [...(c.background?.steps ?? []), ...(c.scenario?.steps ?? [])]) keywords.set(s.id, { keyword: s.keyword, line: s.location.line });
        if (c.scenario && a.pickle.astNodeIds.includes(c.scenario.id)) scenarioLine = c.scenario.location.line;
        if (c.rule) visit(c.rule.children);
      }
    };
    visit(a.gherkinDocument.feature?.children ?? []);
    const steps: DocsStep[] = [];
    for (const ts of a.testCase.testSteps) {
      if (!ts.pickleStepId) continue;
      const ps = a.pickle.steps.find((s) => s.id === ts.pickleStepId)!;
      const r = a.stepResults[ts.id];
      const att = a.stepAttachments[ts.id] ?? [];
      steps.push({
        keyword: keywords.get(ps.astNodeIds[0])?.keyword ?? '*', text: ps.text,
        status: (r?.status ?? 'UNKNOWN') as Status, message: r?.status === 'FAILED' ? r.message : undefined,
        pictures: att.filter((x) => x.mediaType === 'image/svg+xml').map((x) => (x.contentEncoding === 'BASE64' ? Buffer.from(x.body, 'base64').toString('utf8') : x.body)),
        texts: att.filter((x) => x.mediaType === 'text/plain' || x.mediaType === TRACE_MEDIA_TYPE).map((x) => x.body),
      });
    }
    ch.scenarios.push({ name: a.pickle.name, line: scenarioLine, status: a.worstTestStepResult.status as Status, steps });
  }
  return [...byUri.values()];
}
