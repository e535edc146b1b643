import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Diagnostics, InputErrors, formatErrors } from './errors';

test('every error is kept, and each carries code, position and hint when formatted', () => {
  const d = new Diagnostics();
  d.error('NS-B', 'second', { file: 'b.yaml', line: 3, col: 1 }, 'fix b');
  d.error('NS-A', 'first', { file: 'a.yaml', line: 9, col: 5 }, 'fix a');
  assert.throws(() => d.throwIfAny(), (e: unknown) => {
    assert.ok(e instanceof InputErrors);
    assert.equal(e.errors.length, 2);
    assert.equal(e.errors[0].pos?.file, 'a.yaml', 'sorted by file, then line');
    assert.match(e.message, /a\.yaml:9:5: error NS-A: first\n {4}hint: fix a/);
    return true;
  });
});

test('a code repeated thousands of times is summarised after the first twenty', () => {
  const errs = Array.from({ length: 25 }, (_, i) => ({ code: 'NS-X', message: `m${i}`, hint: 'h', pos: { file: 'f', line: i + 1, col: 1 } }));
  const lines = formatErrors([...errs, { code: 'NS-Y', message: 'other', hint: 'h' }]);
  assert.equal(lines.filter((l) => l.includes('NS-X:')).length, 20);
  assert.ok(lines.some((l) => l.includes('NS-Y: other')), 'other codes are never hidden');
  assert.equal(lines[lines.length - 1], '… and 5 more NS-X');
});
