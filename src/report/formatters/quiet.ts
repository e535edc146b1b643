// cucumber-js --format ./src/report/formatters/quiet.ts (netspec run --format quiet)
import type { IFormatterOptions } from '@cucumber/cucumber';
import type { Failure } from '../failures';
import { quietFailure, quietSummary } from '../quiet';
import { FailureFormatter } from './base';

export default class QuietFormatter extends FailureFormatter {
  static override readonly documentation = 'failures only, then a one-line summary';
  constructor(options: IFormatterOptions) { super(options); }
  protected onFailure(f: Failure): void { this.log(quietFailure(f) + '\n\n'); }
  protected onFinished(seconds: number): void { this.log(quietSummary(this.counts, this.total, seconds) + '\n'); }
}
