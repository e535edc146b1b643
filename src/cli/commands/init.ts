// netspec init [DIR]: a team's spec folder — features/ with a spec that passes against the sample
// k8s/, a cucumber config loading netspec's steps and the team's own, an example team step, the
// VS Code cucumber glue and a CI workflow writing JUnit and HTML. It never overwrites: when any of
// its files exists it writes nothing, names them all and exits 2.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs, UsageError } from '../args';
import type { Command } from '../main';
import { SCAFFOLD } from '../scaffold';

const USAGE = [
  'netspec init [DIR]',
  '',
  '  writes into DIR (default: the current folder), never over an existing file:',
  ...SCAFFOLD.map(([p]) => `    ${p}`),
].join('\n');

export const command: Command = {
  summary: "scaffold a team's spec folder",
  usage: USAGE,
  run(argv, io) {
    const p = parseArgs(argv, []);
    if (p.positional.length > 1) throw new UsageError(`one folder at most (got ${p.positional.join(', ')})`);
    const dir = resolve(p.positional[0] ?? '.');
    const show = (f: string) => relative(process.cwd(), f) || '.';
    const existing = SCAFFOLD.map(([f]) => join(dir, f)).filter((f) => existsSync(f));
    if (existing.length) {
      for (const f of existing) io.err(`${show(f)}: error NS-INIT-EXISTS: already exists; netspec init never overwrites a file\n    hint: move it aside, or run netspec init in another folder`);
      io.err(`netspec init: ${existing.length} file${existing.length === 1 ? '' : 's'} already exist${existing.length === 1 ? 's' : ''}; nothing was written`);
      return 2;
    }
    for (const [f, text] of SCAFFOLD) {
      const path = join(dir, f);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text, { flag: 'wx' });
      io.out(`  created ${show(path)}`);
    }
    const cd = show(dir) === '.' ? '' : `cd ${show(dir)} && `;
    io.out(`\nNext: ${cd}npx netspec run    (replace k8s/ with your manifests and write what you expect in features/)`);
    return 0;
  },
};
