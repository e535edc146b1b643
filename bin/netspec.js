#!/usr/bin/env node
// netspec command line. Compiles TypeScript on the fly (transpile-only; `npm test` type-checks).
'use strict';
require('ts-node').register({ transpileOnly: true, project: require('path').join(__dirname, '..', 'tsconfig.json') });
require('../src/cli/main').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`netspec: internal error: ${err && err.stack || err}\n`); process.exitCode = 3; },
);
