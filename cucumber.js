// Cucumber profiles. `default` runs the living docs and the examples; `ci` also writes html,
// junit and message reports under reports/; `run` is what `netspec run` uses (the step library,
// no paths of its own: the command names the features).
const engine = {
  requireModule: ['ts-node/register/transpile-only'],
  require: ['steps/**/*.ts'],
  formatOptions: { snippetInterface: 'synchronous' },
  strict: true,
};
const common = {
  ...engine,
  paths: ['features/**/*.feature', 'examples/**/*.feature'],
  format: ['progress-bar'],
};

module.exports = {
  default: { ...common },
  run: { ...engine, require: [], format: ['summary'] },
  ci: {
    ...common,
    format: [
      'summary',
      'html:reports/cucumber.html',
      'junit:reports/cucumber.xml',
      'message:reports/cucumber.ndjson',
    ],
  },
};
