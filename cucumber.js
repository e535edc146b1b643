// Cucumber profiles. `default` is what `netspec run` and `npm start` use; `ci` also writes
// html, junit and message reports under reports/.
const common = {
  requireModule: ['ts-node/register/transpile-only'],
  require: ['steps/**/*.ts'],
  paths: ['features/**/*.feature'],
  format: ['progress-bar'],
  formatOptions: { snippetInterface: 'synchronous' },
  strict: true,
};

module.exports = {
  default: { ...common },
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
