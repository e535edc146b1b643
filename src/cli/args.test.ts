import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FILENAME, OUTPUT, UsageError, intFlag, noArguments, parseArgs } from './args';

const specs = [FILENAME, OUTPUT(['json', 'yaml']), { name: 'port', value: true }, { name: 'all', short: 'A', value: false }];

test('-f repeats as in kubectl; --flag=value and -fvalue forms', () => {
  const p = parseArgs(['pods', '-f', 'a.yaml', '--filename=b/', '-fc.yaml', '-A', '-o', 'json'], specs);
  assert.deepEqual(p.positional, ['pods']);
  assert.deepEqual(p.flags.get('filename'), ['a.yaml', 'b/', 'c.yaml']);
  assert.deepEqual(p.flags.get('all'), ['true']);
  assert.deepEqual(p.flags.get('output'), ['json']);
});

test('unknown flags, missing values, bad choices and repeats are usage errors', () => {
  assert.throws(() => parseArgs(['--nope'], specs), UsageError);
  assert.throws(() => parseArgs(['--port'], specs), /needs a value/);
  assert.throws(() => parseArgs(['-o', 'xml'], specs), /must be one of json, yaml/);
  assert.throws(() => parseArgs(['--port', '1', '--port', '2'], specs), /given twice/);
});

test('whole-number flags are range-checked', () => {
  assert.equal(intFlag(parseArgs(['--port', '80'], specs), 'port', 1, 65535), 80);
  assert.throws(() => intFlag(parseArgs(['--port', '0'], specs), 'port', 1, 65535), /from 1 to 65535/);
  assert.throws(() => intFlag(parseArgs(['--port', '8o'], specs), 'port', 1, 65535), UsageError);
});

test('a command that takes flags only names the first stray argument', () => {
  assert.doesNotThrow(() => noArguments(parseArgs(['-f', 'a.yaml', '--port', '80'], specs)));
  assert.throws(() => noArguments(parseArgs(['-f', 'a.yaml', 'pods', 'extra'], specs)), /^Error: unexpected argument "pods"$/);
});
