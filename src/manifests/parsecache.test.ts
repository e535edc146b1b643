import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readSources } from './load';
import { clearParseCache, parseCacheStats, parseCacheOptions } from './parsecache';
import { Diagnostics } from '../model/errors';
import { originOf, posOf, type KObject } from '../model/types';
import { formatPos } from '../net/trace';
import { listed } from './testutil';

function tmpfile(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netspec-parsecache-'));
  const f = path.join(dir, 'app.yaml');
  fs.writeFileSync(f, text);
  return f;
}

function read(p: string, namespace?: string): { objs: KObject[]; diag: Diagnostics } {
  const diag = new Diagnostics();
  return { objs: readSources([{ path: p, namespace }], diag), diag };
}

const TEXT = [
  'apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  selector: {app: web}', '  ports:', '  - port: 80', '    targetPort: 8080',
  '---', 'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', '  labels: {app: web}', 'spec:', '  containers:', '  - name: app', '    image: nginx', '    ports:', '    - containerPort: 8080', '',
].join('\n');

test('a file named again is parsed once: equal objects, each load its own copies, positions kept', () => {
  clearParseCache();
  const f = tmpfile(TEXT);
  // an mtime well before the read: the stat alone tells that the file is unchanged
  const old = new Date(Date.now() - 60_000);
  fs.utimesSync(f, old, old);
  const a = read(f, 'shop');
  assert.deepEqual(parseCacheStats, { hits: 0, misses: 1 });
  const b = read(f);
  assert.deepEqual(parseCacheStats, { hits: 1, misses: 1 });
  assert.deepEqual(listed(b.diag.errors), []);
  assert.equal(b.objs.length, 2);
  // the first load's namespace (put in place by readSources) did not reach the second load
  assert.equal(a.objs[0].metadata.namespace, 'shop');
  assert.equal(b.objs[0].metadata.namespace, undefined);
  // copies, not shared objects: what one load changes stays in that load
  assert.notEqual(a.objs[1], b.objs[1]);
  assert.notEqual(a.objs[1].spec, b.objs[1].spec);
  (b.objs[1].spec as any).containers[0].image = 'changed';
  const c = read(f);
  assert.equal((c.objs[1].spec as any).containers[0].image, 'nginx');
  // origins and field positions are those of the file
  assert.equal(formatPos(posOf(c.objs[1])), `${f}:11:1`);
  assert.equal(formatPos(posOf(c.objs[1], ['spec', 'containers', 0, 'ports', 0, 'containerPort'])), `${f}:21:22`);
  assert.equal(originOf(c.objs[1])!.doc, 1);
});

test('a changed file is read again, even a same-size rewrite within the stat\'s resolution', () => {
  clearParseCache();
  const f = tmpfile(TEXT);
  const t = new Date();
  read(f);
  // the same size, the same mtime (set back), another image: the stat cannot tell, the text does
  fs.writeFileSync(f, TEXT.replace('image: nginx', 'image: nginy'));
  fs.utimesSync(f, t, t);
  const b = read(f);
  assert.equal((b.objs[1].spec as any).containers[0].image, 'nginy');
  // a longer text: another size
  fs.writeFileSync(f, TEXT.replace('name: p', 'name: pod-2'));
  const c = read(f);
  assert.equal(c.objs[1].metadata.name, 'pod-2');
});

test('errors of a cached file are reported again on every load', () => {
  clearParseCache();
  const f = tmpfile('apiVersion: v1\nkind: Pod\nmetadata: {}\n');
  const old = new Date(Date.now() - 60_000);
  fs.utimesSync(f, old, old);
  const first = listed(read(f).diag.errors);
  assert.equal(first.length, 1);
  const again = read(f);
  assert.deepEqual(listed(again.diag.errors), first);
  assert.equal(parseCacheStats.hits, 1);
});

test('the cache can be switched off and is bounded by the text it keeps', () => {
  clearParseCache();
  const f = tmpfile(TEXT);
  const saved = parseCacheOptions.maxChars;
  try {
    parseCacheOptions.maxChars = TEXT.length - 1; // too large to keep
    read(f); read(f);
    assert.deepEqual(parseCacheStats, { hits: 0, misses: 2 });
  } finally { parseCacheOptions.maxChars = saved; }
});
