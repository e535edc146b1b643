// netspec run [FEATURES…] [cucumber options]: runs specs with netspec's step library.
// Default: ./features when the current folder has one, else the bundled living docs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from '../main';

const ROOT = resolve(__dirname, '..', '..', '..');
const USAGE = 'netspec run [FEATURES…] [--profile default|ci] [cucumber options…]';

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
    const bin = require.resolve('@cucumber/cucumber/bin/cucumber.js');
    const args = [
      bin,
      '--config', join(ROOT, 'cucumber.js'),
      '--require', join(ROOT, 'steps', '**', '*.ts'),
      ...(argv.includes('--profile') || argv.includes('-p') ? [] : ['--format', 'summary']),
      ...argv,
      ...paths,
    ];
    const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: process.cwd() });
    if (r.error) { io.err(`netspec run: cannot start cucumber: ${r.error.message}`); return 2; }
    // cucumber exits 1 when a scenario failed; netspec keeps that (1 = an expectation failed)
    return r.status ?? 1;
  },
};
