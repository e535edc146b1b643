// The warnings of the scenarios' manifests, once per run: what netspec read past without modelling
// (unknown kinds, unmodelled annotations and fields…) is said by name at the end of `netspec run`,
// on stderr, as `--warnings` asks: `netspec run --warnings none|summary|all`, the environment
// variable NETSPEC_WARNINGS, or the world parameter {"warnings": "all"}. Default: summary, one
// line per warning code and per unknown kind. A scenario that asserts its warnings ("the cluster
// loads with these warnings:") has them checked, not reported.
import { After, AfterAll } from '@cucumber/cucumber';
import { formatWarnings, WARNINGS_MODES, type Warning, type WarningsMode } from '../src/model/errors';
import type { NetspecWorld } from './world';

const seen = new Map<string, Warning>();
let mode: WarningsMode = 'summary';

/** none | summary | all from the world parameter, else NETSPEC_WARNINGS, else summary; anything else is an error. */
export function warningsMode(parameter: unknown, env = process.env.NETSPEC_WARNINGS): WarningsMode {
  const v = String(parameter ?? env ?? 'summary');
  if (!(WARNINGS_MODES as readonly string[]).includes(v)) throw new Error(`warnings must be one of ${WARNINGS_MODES.join(', ')} (got "${v}" from ${parameter !== undefined ? 'the world parameter "warnings"' : 'NETSPEC_WARNINGS'})`);
  return v as WarningsMode;
}

After(function (this: NetspecWorld) {
  mode = warningsMode(this.parameters?.warnings);
  const c = this.loaded;
  if (mode === 'none' || !c || this.last.warningsChecked) return;
  for (const w of c.warnings) {
    const key = `${w.code}|${w.pos ? `${w.pos.file}:${w.pos.line}:${w.pos.col}` : ''}|${w.message}`;
    if (!seen.has(key)) seen.set(key, w);
  }
});

AfterAll(function () {
  if (mode === 'none' || seen.size === 0) return;
  const lines = formatWarnings([...seen.values()], mode);
  process.stderr.write(`netspec: ${seen.size} warning${seen.size === 1 ? '' : 's'} from the scenarios' manifests${mode === 'summary' ? ' (--warnings all lists each, none hides them)' : ''}:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
});
