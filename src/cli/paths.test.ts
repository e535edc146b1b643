import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './testkit';
import { PACKAGE_ROOT, STEPS_ENTRY, COMPILED } from './paths';

test('netspec --version prints the package.json version; the package root and the step library are found from the code', async () => {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8'));
  assert.equal(pkg.name, 'netspec');
  const r = await runCli('--version');
  assert.deepEqual([r.code, r.out, r.err], [0, `netspec ${pkg.version}\n`, '']);
  assert.equal(COMPILED, false, 'the unit tests run the sources');
  assert.equal(STEPS_ENTRY, join(PACKAGE_ROOT, 'steps', 'index.ts'));
});
