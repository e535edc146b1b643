// Cucumber profiles. `default` (`npx cucumber-js [PATHS]`, the dev loop) runs the living docs and
// the examples on the TypeScript sources, transpiled through scripts/ts-cache.js (no build
// needed); `ci` runs the compiled step library (dist/, `npm run build`) and writes html, junit and
// message reports under reports/; `run` is what `netspec run` uses (it adds the step library
// itself, compiled, and names the features).
const common = {
  paths: ['features/**/*.feature', 'examples/**/*.feature'],
  formatOptions: { snippetInterface: 'synchronous' },
  strict: true,
};

module.exports = {
  default: {
    ...common,
    requireModule: [require('node:path').join(__dirname, 'scripts', 'ts-cache.js')],
    require: ['steps/**/*.ts'],
    format: ['progress-bar'],
  },
  run: { formatOptions: common.formatOptions, strict: true, format: ['summary'] },
  ci: {
    ...common,
    require: ['dist/steps/index.js'],
    format: [
      'summary',
      'html:reports/cucumber.html',
      'junit:reports/cucumber.xml',
      'message:reports/cucumber.ndjson',
    ],
  },
};
