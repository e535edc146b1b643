// netspec run [FEATURES…] [cucumber options]: runs specs with netspec's step library.
// Default: ./features when the current folder has one, else the bundled living docs.
// A cucumber config in the current folder (what `netspec init` writes) is used as it is, with
// netspec's steps added; otherwise netspec's own `run` profile. netspec's steps load compiled;
// only the user's own TypeScript (a config's requireModule, e.g. ts-node) pays for transpiling.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from '../main';
import { PACKAGE_ROOT, STEPS_ENTRY, COMPILED } from '../paths';

const USAGE = 'netspec run [FEATURES…] [--profile NAME] [--config FILE] [cucumber options…]';
/** What cucumber-js looks for in the working folder, in its order. */
const CONFIG_FILES = ['cucumber.js', 'cucumber.cjs', 'cucumber.mjs', 'cucumber.json', 'cucumber.yaml', 'cucumber.yml'];
const VALUED = /^(--profile|-p|--config|-c|--tags|-t|--name|--format|-f|--require|-r|--import|-i|--require-module|--parallel|--retry|--order|--world-parameters|--format-options|--i18n-keywords|--language)$/;

const rel = (p: string) => relative(process.cwd(), p) || '.';

export const command: Command = {
  summary: 'run specs',
  usage: USAGE,
  run(argv, io) {
    const hasPaths = argv.some((a, i) => !a.startsWith('-') && !(i > 0 && VALUED.test(argv[i - 1])));
    const hasOption = (...names: string[]) => argv.some((a) => names.includes(a) || names.some((n) => a.startsWith(n + '=')));
    const own = join(PACKAGE_ROOT, 'cucumber.js');
    const local = CONFIG_FILES.map((f) => resolve(f)).find((f) => existsSync(f));
    // the user's config (given or found), else netspec's own and its `run` profile
    const userConfig = hasOption('--config', '-c') || (local !== undefined && local !== own);
    const args: string[] = [];
    if (!userConfig) {
      args.push('--config', rel(own));
      if (!hasOption('--profile', '-p')) args.push('--profile', 'run');
    }
    // netspec's step library (the same module a user's config may require too: loaded once)
    args.push('--require', rel(STEPS_ENTRY));
    if (!COMPILED) args.push('--require-module', rel(join(PACKAGE_ROOT, 'scripts', 'ts-cache.js')));
    args.push(...argv);
    if (!hasPaths && !userConfig) {
      const features = resolve('features');
      args.push(rel(existsSync(features) ? features : join(PACKAGE_ROOT, 'features')));
    }
    // the package's exports hide bin/; find it next to package.json (one cucumber instance: the peer dependency)
    const bin = join(dirname(require.resolve('@cucumber/cucumber/package.json')), 'bin', 'cucumber.js');
    const r = spawnSync(process.execPath, [bin, ...args], { stdio: 'inherit', cwd: process.cwd() });
    if (r.error) { io.err(`netspec run: cannot start cucumber: ${r.error.message}`); return 2; }
    // cucumber exits 1 when a scenario failed; netspec keeps that (1 = an expectation failed)
    return r.status ?? 1;
  },
};
