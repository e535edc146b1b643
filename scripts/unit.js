#!/usr/bin/env node
// Runs every src/**/*.test.ts with node's test runner (Node 20's --test takes no globs).
'use strict';
const { readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

function find(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = process.argv.length > 2 ? process.argv.slice(2) : find('src', []);
if (files.length === 0) { console.error('no unit tests found under src/'); process.exit(1); }
const r = spawnSync(process.execPath, ['--require', 'ts-node/register/transpile-only', '--test', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
