import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Diagnostics, InputErrors, formatErrors, formatWarnings } from './errors';

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

test('--warnings: summary is one line per code and per unknown kind, with the first position and the count; all lists each; none nothing', () => {
  const d = new Diagnostics();
  const at = (line: number) => ({ file: 'x.yaml', line, col: 1 });
  d.warn('NS-UNKNOWN-KIND', 'Certificate "a" (cert-manager.io/v1) is not a kind netspec models; it is ignored', at(1), 'kind Certificate (cert-manager.io/v1)');
  d.warn('NS-ANNOTATION', 'annotation x is not modelled', at(5));
  d.warn('NS-UNKNOWN-KIND', 'Issuer "i" (cert-manager.io/v1) is not a kind netspec models; it is ignored', at(9), 'kind Issuer (cert-manager.io/v1)');
  d.warn('NS-UNKNOWN-KIND', 'Certificate "b" (cert-manager.io/v1) is not a kind netspec models; it is ignored', at(12), 'kind Certificate (cert-manager.io/v1)');
  d.warn('NS-UNKNOWN-KIND', 'Certificate "c" (cert-manager.io/v1) is not a kind netspec models; it is ignored', at(20), 'kind Certificate (cert-manager.io/v1)');
  d.warn('NS-ANNOTATION', 'annotation y is not modelled', at(30));
  assert.deepEqual(formatWarnings(d.warnings), [
    'x.yaml:1:1: warning NS-UNKNOWN-KIND: Certificate "a" (cert-manager.io/v1) is not a kind netspec models; it is ignored [3 NS-UNKNOWN-KIND for kind Certificate (cert-manager.io/v1) in all; --warnings all lists each]',
    'x.yaml:5:1: warning NS-ANNOTATION: annotation x is not modelled [2 NS-ANNOTATION in all; --warnings all lists each]',
    'x.yaml:9:1: warning NS-UNKNOWN-KIND: Issuer "i" (cert-manager.io/v1) is not a kind netspec models; it is ignored',
  ]);
  assert.equal(formatWarnings(d.warnings, 'all').length, 6);
  assert.deepEqual(formatWarnings(d.warnings, 'none'), []);
});
