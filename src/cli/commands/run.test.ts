import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translateRunArgs } from './run';

test("netspec run maps netspec's formatter names to their files and its own flags to the environment; cucumber's pass through", () => {
  const { args, env } = translateRunArgs(['features', '--format', 'github', '--format', 'junit:reports/x.xml', '--format', 'quiet:out.txt', '--pictures', 'all', '--tags', '@x']);
  assert.equal(args[0], 'features');
  assert.match(args[2], /src\/report\/formatters\/github\.cjs$/);
  assert.equal(args[4], 'junit:reports/x.xml');
  assert.match(args[6], /^".*src\/report\/formatters\/quiet\.cjs":"out\.txt"$/);
  assert.deepEqual(args.slice(7), ['--tags', '@x']);
  assert.deepEqual(env, { NETSPEC_PICTURES: 'all' });
  const docs = translateRunArgs(['--docs', 'site']);
  assert.match(docs.args[1], /docs\.cjs":".*\/site\/index\.html"$/);
  assert.equal(docs.env.NETSPEC_PICTURES, 'all');
  assert.match(docs.env.NETSPEC_DOCS_DIR, /\/site$/);
});
