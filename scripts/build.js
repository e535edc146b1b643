#!/usr/bin/env node
// npm run build: tsc (tsconfig.build.json, incremental) into dist/, after removing the compiled
// files whose TypeScript source is gone — a renamed or deleted step file must not keep its steps
// alive in dist/ (the step library loads every compiled file of dist/steps). --watch passes on.
'use strict';
const { existsSync, readdirSync, rmSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = join(__dirname, '..');
const DIST = join(ROOT, 'dist');

function prune(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { prune(p); continue; }
    const m = /^(.*?)(\.d\.ts|\.js|\.js\.map|\.d\.ts\.map)$/.exec(name);
    if (!m) continue;
    const source = join(ROOT, relative(DIST, dir), `${m[1]}.ts`);
    if (!existsSync(source)) rmSync(p);
  }
}
prune(join(DIST, 'src'));
prune(join(DIST, 'steps'));

const tsc = require.resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
