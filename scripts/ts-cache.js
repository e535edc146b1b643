// A require hook for netspec's own TypeScript in development: transpile-only (tsc type-checks),
// with the output cached on disk by content hash so that the many processes of the unit suite and
// the dev cucumber profile transpile each file once, not once per process. TypeScript itself is
// loaded only on a cache miss. Users' step files go through ts-node instead (see README).
//   node --require ./scripts/ts-cache.js --enable-source-maps FILE.ts
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const ROOT = path.resolve(__dirname, '..');
const DIR = process.env.NETSPEC_TS_CACHE || path.join(ROOT, 'node_modules', '.cache', 'netspec-ts');
const tsconfig = require(path.join(ROOT, 'tsconfig.json')).compilerOptions;

let ts = null;
let options = null;
let salt = null;

function compilerOptions() {
  if (!options) {
    ts = require('typescript');
    options = ts.convertCompilerOptionsFromJson({ ...tsconfig, outDir: undefined }, ROOT).options;
    options.sourceMap = false;
    options.inlineSourceMap = true;
    options.inlineSources = false;
  }
  return options;
}

/** What besides a file's text decides its output: the compiler's version and this hook's options. */
function cacheSalt() {
  if (salt === null) {
    const version = require('typescript/package.json').version;
    salt = `${version}\0${JSON.stringify(tsconfig)}\0v1\0`;
  }
  return salt;
}

function transpile(source, filename) {
  const key = crypto.createHash('sha1').update(cacheSalt()).update(filename).update('\0').update(source).digest('hex');
  const file = path.join(DIR, key.slice(0, 2), key + '.js');
  try { return fs.readFileSync(file, 'utf8'); } catch { /* a miss */ }
  const out = require('typescript').transpileModule(source, { compilerOptions: compilerOptions(), fileName: filename, reportDiagnostics: false }).outputText;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // write then rename: concurrent processes never read half a file
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, out);
    fs.renameSync(tmp, file);
  } catch { /* a read-only cache still works, only slower */ }
  return out;
}

require.extensions['.ts'] = function load(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  module._compile(transpile(source, filename), filename);
};
