// GitHub Actions workflow commands for failed scenarios: an `::error` on the failing step's line of
// the feature file, and a second one on the line of the manifest whose object or rule decided.
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions: "::error
// file={name},line={line},title={title}::{message}"; data escapes % CR LF, properties also : and ,.
import { repoPath, type Failure } from './failures';

const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** The annotation lines for one failure (one or two). */
export function githubAnnotations(f: Failure, cwd = process.cwd()): string[] {
  const out = [`::error file=${prop(repoPath(f.file, cwd))},line=${f.line},title=${prop(`netspec: ${f.scenario}`)}::${data(`${f.step}\n${f.message}`)}`];
  if (f.decider?.file && f.decider.line) {
    out.push(`::error file=${prop(repoPath(f.decider.file, cwd))},line=${f.decider.line},title=${prop(`netspec: decided by ${f.decider.what}`)}::${data(`${f.decider.what} decided "${f.scenario}" (${repoPath(f.file, cwd)}:${f.line}): ${f.step}`)}`);
  }
  return out;
}
