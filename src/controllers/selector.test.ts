// Label selectors as the controllers apply them (src/model/selector.ts, evaluated over the pods the
// control plane realised).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileLabelSelector, parseSelectorString } from '../model/selector';
import { node, pod, run } from './testkit';

function cluster() {
  return run([
    node('a'),
    pod('web', { labels: { app: 'web', tier: 'front' }, nodeName: 'a' }),
    pod('api', { labels: { app: 'api', tier: 'back' }, nodeName: 'a' }),
    pod('bare', { labels: {}, nodeName: 'a' }),
    pod('elsewhere', { ns: 'other', labels: { app: 'web', tier: 'front' }, nodeName: 'a' }),
  ]).r;
}
const names = (r: ReturnType<typeof cluster>, sel: any) => r.podIndex('default').select(compileLabelSelector(sel)).map((p) => p.name).sort();

test('NotIn matches objects that lack the label (apimachinery labels.Selector)', () => {
  const r = cluster();
  assert.deepEqual(names(r, { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }), ['api', 'bare']);
});

test('DoesNotExist matches objects without the key; Exists those with it, whatever the value', () => {
  const r = cluster();
  assert.deepEqual(names(r, { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }), ['bare']);
  assert.deepEqual(names(r, { matchExpressions: [{ key: 'app', operator: 'Exists' }] }), ['api', 'web']);
});

test('matchLabels and matchExpressions are ANDed; In takes any of its values', () => {
  const r = cluster();
  assert.deepEqual(names(r, { matchLabels: { tier: 'front' }, matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }), ['web']);
  assert.deepEqual(names(r, { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }), ['api', 'web']);
});

test('an empty selector selects every pod of the namespace; the index is per namespace', () => {
  const r = cluster();
  assert.deepEqual(names(r, {}), ['api', 'bare', 'web']);
  assert.deepEqual(r.podIndex('other').select(parseSelectorString('app=web')).map((p) => p.name), ['elsewhere']);
  assert.deepEqual(r.podIndex('nowhere').select(parseSelectorString('')).map((p) => p.name), []);
});

test('kubectl syntax: "tier!=front" also matches pods without a tier label', () => {
  const r = cluster();
  assert.deepEqual(r.podIndex('default').select(parseSelectorString('tier!=front')).map((p) => p.name).sort(), ['api', 'bare']);
});
