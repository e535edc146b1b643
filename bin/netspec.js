#!/usr/bin/env node
// netspec command line. Runs the compiled build (dist/, made by `npm run build`, which `npm ci`
// and `npm install` run through `prepare`). In a development checkout, NETSPEC_FROM_SOURCE=1 runs
// the TypeScript sources instead (transpiled through scripts/ts-cache.js; `npm test` type-checks).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
let entry = join(root, 'dist', 'src', 'cli', 'main.js');
if (process.env.NETSPEC_FROM_SOURCE === '1' && existsSync(join(root, 'scripts', 'ts-cache.js'))) {
  require(join(root, 'scripts', 'ts-cache.js'));
  entry = join(root, 'src', 'cli', 'main.ts');
} else if (!existsSync(entry)) {
  process.stderr.write(`netspec: the compiled build is missing (${entry}); run \`npm run build\` in ${root}\n`);
  process.exit(2);
}
require(entry).main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`netspec: internal error: ${err && err.stack || err}\n`); process.exitCode = 3; },
);
