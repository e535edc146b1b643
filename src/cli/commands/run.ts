// netspec run [FEATURES…] [cucumber options]: runs specs with netspec's step library.
// Default: ./features when the current folder has one, else the bundled living docs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from '../main';

const ROOT = resolve(__dirname, '..', '..', '..');
const USAGE = [
  'netspec run [FEATURES…] [--profile default|ci] [--format github|quiet|junit:FILE|…] [--pictures failed|all|none] [--docs DIR] [cucumber options…]',
  '',
  '  --format github     GitHub Actions ::error annotations: the failing step\'s feature line and the deciding manifest line',
  '  --format quiet      failures only, then a one-line summary',
  '  --format junit:FILE JUnit XML, one test case per scenario (named after it); any cucumber formatter works too',
  '  --pictures all      attach packet-path SVGs to passing connection steps too (default: failed steps only)',
  '  --docs DIR          write the living-docs site (HTML, one page per feature, with pictures) to DIR',
].join('\n');

/** netspec's own formatters by name (cucumber takes a path for a custom one). */
const FORMATTERS: Record<string, string> = {
  github: join(ROOT, 'src', 'report', 'formatters', 'github.cjs'),
  quiet: join(ROOT, 'src', 'report', 'formatters', 'quiet.cjs'),
  docs: join(ROOT, 'src', 'report', 'formatters', 'docs.cjs'),
};

/** Rewrites netspec's own flags into cucumber's; returns the rest and the environment they set. */
export function translateRunArgs(argv: readonly string[]): { args: string[]; env: Record<string, string> } {
  const args: string[] = [];
  const env: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if ((a === '--format' || a === '-f') && i + 1 < argv.length) {
      const v = argv[++i];
      const name = v.split(':')[0];
      const path = FORMATTERS[name];
      // a custom formatter is a path; cucumber takes PATH:FILE as "path":"file"
      args.push('--format', path ? (v.includes(':') ? `"${path}":"${v.slice(name.length + 1)}"` : path) : v);
    } else if (a === '--pictures' && i + 1 < argv.length) {
      env.NETSPEC_PICTURES = argv[++i];
    } else if (a === '--docs' && i + 1 < argv.length) {
      const dir = resolve(argv[++i]);
      args.push('--format', `"${FORMATTERS.docs}":"${join(dir, 'index.html')}"`);
      env.NETSPEC_DOCS_DIR = dir;
      env.NETSPEC_PICTURES ??= 'all';
    } else {
      args.push(a);
    }
  }
  return { args, env };
}

const rel = (p: string) => relative(process.cwd(), p) || '.';

export const command: Command = {
  summary: 'run specs',
  usage: USAGE,
  run(argv0, io) {
    const { args: argv, env: extra } = translateRunArgs(argv0);
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
    const env = { ...process.env, ...extra, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true' };
    const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: process.cwd(), env });
    if (r.error) { io.err(`netspec run: cannot start cucumber: ${r.error.message}`); return 2; }
    // cucumber exits 1 when a scenario failed; netspec keeps that (1 = an expectation failed)
    return r.status ?? 1;
  },
};
