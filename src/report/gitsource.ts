// `git:REV:PATH` as a manifest source: the YAML and JSON files under PATH as they are at REV, read
// with git itself (no checkout), named "REV:FILE" so positions say which side they came from.
import { execFileSync } from 'node:child_process';
import type { InputSource } from '../manifests';
import { InputErrors } from '../model/errors';

const MANIFEST = /\.(ya?ml|json)$/i;

export function gitSources(spec: string, cwd = process.cwd()): InputSource[] {
  const m = /^git:([^:]+):(.*)$/.exec(spec);
  if (!m) throw new InputErrors([{ code: 'NS-GIT-SOURCE', message: `"${spec}" is not git:REV:PATH`, hint: 'e.g. git:main:k8s/ or git:HEAD~1:deploy/app.yaml' }]);
  const [, rev, path] = m;
  const git = (args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  let files: string[];
  try {
    files = git(['ls-tree', '-r', '--name-only', '--full-name', rev, '--', path || '.']).split('\n').filter((f) => MANIFEST.test(f)).sort();
  } catch (e) {
    const msg = String((e as { stderr?: string }).stderr ?? (e as Error).message).trim().split('\n')[0];
    throw new InputErrors([{ code: 'NS-GIT-SOURCE', message: `cannot list ${path} at ${rev}: ${msg}`, hint: 'run netspec diff inside the repository; REV is any commit-ish git knows' }]);
  }
  if (!files.length) throw new InputErrors([{ code: 'NS-GIT-SOURCE', message: `no .yaml, .yml or .json file under ${path} at ${rev}`, hint: 'PATH is relative to the repository root' }]);
  return files.map((f) => ({ text: git(['show', `${rev}:${f}`]), name: `${rev}:${f}` }));
}
