// netspec run [FEATURES…] [--allow-empty] [cucumber options]: runs specs with netspec's step library.
// Default: ./features when the current folder has one, else the bundled living docs.
// CI safety: a named path that does not exist, a run in which no scenario ran (unless
// --allow-empty) and a cucumber usage error exit 2; undefined and ambiguous steps fail (strict)
// and are listed with the three closest known phrases.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { didYouMean } from '../../model/suggest';
import { readRunMessages, renderUnmatched } from '../runreport';
import type { Command } from '../main';

const ROOT = resolve(__dirname, '..', '..', '..');
const USAGE = 'netspec run [FEATURES…] [--allow-empty] [--profile default|ci] [cucumber options…]\n\n'
  + '  --allow-empty  exit 0 when no scenario ran (default: exit 2, a run that checked nothing is an error)';

const rel = (p: string) => relative(process.cwd(), p) || '.';
/** cucumber options that take a value (the next argument is not a path) */
const VALUED = /^(--profile|-p|--tags|-t|--name|--format|-f|--require|-r|--import|-i|--require-module|--parallel|--retry|--order|--world-parameters|--format-options|--i18n-keywords|--language|--config|-c)$/;

/** "features/x.feature:12:20" → "features/x.feature" */
function pathPart(a: string): string {
  return a.replace(/(:\d+)+$/, '');
}

export const command: Command = {
  summary: 'run specs',
  usage: USAGE,
  run(argv0, io) {
    const allowEmpty = argv0.includes('--allow-empty');
    const argv = argv0.filter((a) => a !== '--allow-empty');
    const named = argv.filter((a, i) => !a.startsWith('-') && !(i > 0 && VALUED.test(argv[i - 1])));
    const missing = named.filter((a) => !existsSync(pathPart(a)));
    if (missing.length) {
      for (const m of missing) {
        const p = pathPart(m), dir = dirname(p);
        let near = '';
        try { near = didYouMean(basename(p), readdirSync(dir || '.')); } catch { /* the folder is missing too */ }
        io.err(`netspec run: no such file or folder: ${m}${near}`);
      }
      return 2;
    }
    const paths: string[] = [];
    if (!named.length) {
      const local = resolve('features');
      paths.push(existsSync(local) ? local : join(ROOT, 'features'));
    }
    const tmp = mkdtempSync(join(tmpdir(), 'netspec-run-'));
    const messages = join(tmp, 'messages.ndjson');
    try {
      // the package's exports hide bin/; find it next to package.json (one cucumber instance: the peer dependency)
      const bin = join(dirname(require.resolve('@cucumber/cucumber/package.json')), 'bin', 'cucumber.js');
      const args = [
        bin,
        // cucumber joins these to the working folder, so they go in relative to it
        '--config', rel(join(ROOT, 'cucumber.js')),
        '--require', rel(join(ROOT, 'steps')) + '/**/*.ts',
        ...(argv.includes('--profile') || argv.includes('-p') ? [] : ['--profile', 'run']),
        '--format', `message:${messages}`,
        ...argv,
        ...paths.map(rel),
      ];
      // the step library is TypeScript: compile it with netspec's own tsconfig wherever the user runs
      const env = { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true' };
      const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: process.cwd(), env });
      if (r.error) { io.err(`netspec run: cannot start cucumber: ${r.error.message}`); return 2; }
      const report = readRunMessages(existsSync(messages) ? readFileSync(messages, 'utf8') : '');
      // cucumber stopped before running anything (a bad option, a step library that does not load): usage
      if (!report.started) {
        io.err(`netspec run: cucumber did not start a run (see above); nothing was checked\n\nUsage: ${USAGE}`);
        return 2;
      }
      for (const block of renderUnmatched(report.unmatched)) io.err(block);
      if (report.testCases === 0 && !allowEmpty) {
        io.err(`netspec run: no scenario ran (${named.length ? named.join(', ') : paths.map(rel).join(', ')}${argv.some((a) => /^(--tags|-t|--name)$/.test(a)) ? ', with the filters given' : ''}): a run that checked nothing fails; pass --allow-empty to accept it`);
        return 2;
      }
      // cucumber exits 1 when a scenario failed; netspec keeps that (1 = an expectation failed)
      return r.status ?? 1;
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
};
