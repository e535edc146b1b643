#!/usr/bin/env node
// Runs every *.test.ts under src/ and steps/ with node's test runner (Node 20's --test takes no
// globs): the files run concurrently, one process each, and share one on-disk transpile cache
// (scripts/ts-cache.js), so each source file is transpiled once, not once per test process.
//   node scripts/unit.js [--with-adoption] [FILE…]    NETSPEC_TEST_CONCURRENCY=N: the number of processes
// --with-adoption (npm test) runs scripts/adoption.test.js alongside, in a slot of its own: it mostly
// waits on npm's installs, so the unit files keep their slots.
'use strict';
const { readdirSync, statSync, existsSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');
const { availableParallelism } = require('node:os');

function find(dir, out) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const args = process.argv.slice(2);
const adoption = args.includes('--with-adoption');
const named = args.filter((a) => a !== '--with-adoption');
const files = named.length ? named : find('steps', find('src', []));
if (files.length === 0) { console.error('no unit tests found under src/'); process.exit(1); }
let concurrency = Number(process.env.NETSPEC_TEST_CONCURRENCY) || Math.max(2, availableParallelism());
if (adoption) { files.unshift(join(__dirname, 'adoption.test.js')); concurrency++; }
const r = spawnSync(process.execPath, [
  '--require', join(__dirname, 'ts-cache.js'), '--enable-source-maps',
  '--test', `--test-concurrency=${concurrency}`, ...files,
], { stdio: 'inherit' });
process.exit(r.status ?? 1);
