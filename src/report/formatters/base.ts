// What the CI formatters share: collect each finished test case's failure, report at the end.
import { Formatter, type IFormatterOptions } from '@cucumber/cucumber';
import type { Envelope } from '@cucumber/messages';
import { failureOf, type AttemptLike, type Failure } from '../failures';

export abstract class FailureFormatter extends Formatter {
  protected readonly failures: Failure[] = [];
  protected readonly counts: Record<string, number> = {};
  protected total = 0;
  private started = Date.now();

  constructor(options: IFormatterOptions) {
    super(options);
    options.eventBroadcaster.on('envelope', (e: Envelope) => {
      if (e.testRunStarted) this.started = Date.now();
      if (e.testCaseFinished && !e.testCaseFinished.willBeRetried) {
        const a = options.eventDataCollector.getTestCaseAttempt(e.testCaseFinished.testCaseStartedId) as unknown as AttemptLike;
        this.total++;
        const st = a.worstTestStepResult.status;
        this.counts[st === 'PASSED' ? 'passed' : st] = (this.counts[st === 'PASSED' ? 'passed' : st] ?? 0) + 1;
        const f = failureOf(a);
        if (f) { this.failures.push(f); this.onFailure(f); }
      }
      if (e.testRunFinished) this.onFinished((Date.now() - this.started) / 1000);
    });
  }

  protected abstract onFailure(f: Failure): void;
  protected abstract onFinished(seconds: number): void;
}
