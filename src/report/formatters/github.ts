// cucumber-js --format ./src/report/formatters/github.ts (netspec run --format github)
import type { IFormatterOptions } from '@cucumber/cucumber';
import type { Failure } from '../failures';
import { githubAnnotations } from '../github';
import { quietSummary } from '../quiet';
import { FailureFormatter } from './base';

export default class GithubFormatter extends FailureFormatter {
  static override readonly documentation = 'GitHub Actions ::error annotations on the failing step and on the deciding manifest line';
  constructor(options: IFormatterOptions) { super(options); }
  protected onFailure(f: Failure): void { for (const l of githubAnnotations(f)) this.log(l + '\n'); }
  protected onFinished(seconds: number): void { this.log(quietSummary(this.counts, this.total, seconds) + '\n'); }
}
