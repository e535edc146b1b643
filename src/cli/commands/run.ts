// netspec run [FEATURES…] [--allow-empty] [cucumber options]: runs specs with netspec's step library.
// Default: ./features when the current folder has one, else the bundled living docs.
// CI safety: a named path that does not exist, a run in which no scenario ran (unless
// --allow-empty) and a cucumber usage error exit 2; undefined and ambiguous steps fail (strict)
// and are listed with the three closest known phrases.
// A cucumber config in the current folder (what `netspec init` writes) is used as it is, with
// netspec's steps added; otherwise netspec's own `run` profile. netspec's steps load compiled;
// only the user's own TypeScript (a config's requireModule, e.g. ts-node) pays for transpiling.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { didYouMean } from '../../model/suggest';
import { WARNINGS_MODES } from '../../model/errors';
import { UsageError } from '../args';
import { readRunMessages, renderUnmatched } from '../runreport';
import type { Command } from '../main';
import { PACKAGE_ROOT, STEPS_ENTRY, COMPILED } from '../paths';

const USAGE = [
  'netspec run [FEATURES…] [--allow-empty] [--warnings none|summary|all] [--profile NAME] [--config FILE] [--format github|quiet|junit:FILE|…] [--pictures failed|all|none] [--docs DIR] [cucumber options…]',
  '',
  '  --allow-empty       exit 0 when no scenario ran (default: exit 2, a run that checked nothing is an error)',
  '  --format github     GitHub Actions ::error annotations: the failing step\'s feature line and the deciding manifest line',
  '  --format quiet      failures only, then a one-line summary',
  '  --format junit:FILE JUnit XML, one test case per scenario (named after it); any cucumber formatter works too',
  '  --pictures all      attach packet-path SVGs to passing connection steps too (default: failed steps only)',
  '  --warnings MODE     none | summary (default: one line per warning code and unknown kind) | all: the manifests\' warnings, once per run at its end (also NETSPEC_WARNINGS)',
  '  --docs DIR          write the living-docs site (HTML, one page per feature, with pictures) to DIR',
].join('\n');
/** What cucumber-js looks for in the working folder, in its order. */
const CONFIG_FILES = ['cucumber.js', 'cucumber.cjs', 'cucumber.mjs', 'cucumber.json', 'cucumber.yaml', 'cucumber.yml'];
/** cucumber options that take a value (the next argument is not a path) */
const VALUED = /^(--profile|-p|--config|-c|--tags|-t|--name|--format|-f|--require|-r|--import|-i|--require-module|--parallel|--retry|--order|--world-parameters|--format-options|--i18n-keywords|--language)$/;

/** netspec's own formatters by name (cucumber takes a path for a custom one). */
const FORMATTERS: Record<string, string> = {
  github: join(PACKAGE_ROOT, 'src', 'report', 'formatters', 'github.cjs'),
  quiet: join(PACKAGE_ROOT, 'src', 'report', 'formatters', 'quiet.cjs'),
  docs: join(PACKAGE_ROOT, 'src', 'report', 'formatters', 'docs.cjs'),
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
    } else if (a === '--warnings' || a.startsWith('--warnings=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!(WARNINGS_MODES as readonly string[]).includes(v ?? '')) throw new UsageError(`--warnings must be one of ${WARNINGS_MODES.join(', ')} (got ${v === undefined ? 'nothing' : `"${v}"`})`);
      env.NETSPEC_WARNINGS = v;
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

/** "features/x.feature:12:20" → "features/x.feature" */
function pathPart(a: string): string {
  return a.replace(/(:\d+)+$/, '');
}

export const command: Command = {
  summary: 'run specs',
  usage: USAGE,
  run(argv0, io) {
    const allowEmpty = argv0.includes('--allow-empty');
    const { args: argv, env: extra } = translateRunArgs(argv0.filter((a) => a !== '--allow-empty'));
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
    const hasOption = (...names: string[]) => argv.some((a) => names.includes(a) || names.some((n) => a.startsWith(n + '=')));
    const own = join(PACKAGE_ROOT, 'cucumber.js');
    const local = CONFIG_FILES.map((f) => resolve(f)).find((f) => existsSync(f));
    // the user's config (given or found), else netspec's own and its `run` profile
    const userConfig = hasOption('--config', '-c') || (local !== undefined && local !== own);
    const tmp = mkdtempSync(join(tmpdir(), 'netspec-run-'));
    const messages = join(tmp, 'messages.ndjson');
    try {
      const args: string[] = [];
      if (!userConfig) {
        args.push('--config', rel(own));
        if (!hasOption('--profile', '-p')) args.push('--profile', 'run');
      }
      // netspec's step library (the same module a user's config may require too: loaded once)
      args.push('--require', rel(STEPS_ENTRY));
      if (!COMPILED) args.push('--require-module', rel(join(PACKAGE_ROOT, 'scripts', 'ts-cache.js')));
      // the message stream tells whether anything ran and which steps matched nothing
      args.push('--format', `message:${messages}`);
      args.push(...argv);
      const paths: string[] = [];
      if (!named.length && !userConfig) {
        const features = resolve('features');
        paths.push(existsSync(features) ? features : join(PACKAGE_ROOT, 'features'));
        args.push(...paths.map(rel));
      }
      // the package's exports hide bin/; find it next to package.json (one cucumber instance: the peer dependency)
      const bin = join(dirname(require.resolve('@cucumber/cucumber/package.json')), 'bin', 'cucumber.js');
      const r = spawnSync(process.execPath, [bin, ...args], { stdio: 'inherit', cwd: process.cwd(), env: { ...process.env, ...extra } });
      if (r.error) { io.err(`netspec run: cannot start cucumber: ${r.error.message}`); return 2; }
      const report = readRunMessages(existsSync(messages) ? readFileSync(messages, 'utf8') : '');
      // cucumber stopped before running anything (a bad option, a step library that does not load): usage
      if (!report.started) {
        io.err(`netspec run: cucumber did not start a run (see above); nothing was checked\n\nUsage: ${USAGE}`);
        return 2;
      }
      for (const block of renderUnmatched(report.unmatched)) io.err(block);
      if (report.testCases === 0 && !allowEmpty) {
        io.err(`netspec run: no scenario ran (${named.length ? named.join(', ') : paths.length ? paths.map(rel).join(', ') : 'the paths of the cucumber config'}${argv.some((a) => /^(--tags|-t|--name)$/.test(a)) ? ', with the filters given' : ''}): a run that checked nothing fails; pass --allow-empty to accept it`);
        return 2;
      }
      // cucumber exits 1 when a scenario failed; netspec keeps that (1 = an expectation failed)
      return r.status ?? 1;
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
};
