// cucumber imports formatters by path with import(): this CommonJS shim loads the compiled one
// (dist/, what npm ci / npm install build), else compiles the TypeScript one.
const path = require('node:path');
const fs = require('node:fs');
const compiled = path.join(__dirname, '..', '..', '..', 'dist', 'src', 'report', 'formatters', 'docs.js');
if (fs.existsSync(compiled)) module.exports = require(compiled).default;
else {
  require('ts-node/register/transpile-only');
  module.exports = require('./docs.ts').default;
}
