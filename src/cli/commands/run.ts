// netspec run [FEATURES…] [cucumber options]: runs specs with netspec's step library.
// Default: ./features when the current folder has one, else the bundled living docs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from '../main';

const ROOT = resolve(__dirname, '..', '..', '..');
const USAGE = 'netspec run [FEATURES…] [--profile default|ci] [cucumber options…]';

const rel = (p: string) => relative(process.cwd(), p) || '.';

export const command: Command = {
  summary: 'run specs',
  usage: USAGE,
  run(argv, io) {
    const hasPaths = argv.some((a, i) => !a.startsWith('-') && !(i > 0 && /^--(profile|tags|name|format|require|import|parallel|retry|order|world-parameters|format-options|i18n-keywords)$/.test(argv[i - 1])));
    const paths: string[] = [];
    if (!hasPaths) {
      const local = resolve('features');
      paths.push(existsSync(local) ? local : join(ROOT, 'features'));
    }
    // the package's exports hide bin/; find it next to package.json (one cucumber instance: the peer dependency)
    const bin = join(dirname(require.resolve('@cucumber/cucumber/package.json')), 'bin', 'cucumber.js');
    const args = [
      bin,
      // cucumber joins these to the working folder, so they go in relative to it
      '--config', rel(join(ROOT, 'cucumber.js')),
      '--require', rel(join(ROOT, 'steps')) + '/**/*.ts',
      ...(argv.includes('--profile') || argv.includes('-p') ? [] : ['--profile', 'run']),
      ...argv,
      ...paths.map(rel),
    ];
    // the step library is TypeScript: compile it with netspec's own tsconfig wherever the user runs
    const env = { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true' };
    const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: process.cwd(), env });
    if (r.error) { io.err(`netspec run: cannot start cucumber: ${r.error.message}`); return 2; }
    // cucumber exits 1 when a scenario failed; netspec keeps that (1 = an expectation failed)
    return r.status ?? 1;
  },
};
