// cucumber imports formatters by path with import(): this CommonJS shim compiles the TypeScript one.
require('ts-node/register/transpile-only');
module.exports = require('./quiet.ts').default;
