// Realised clusters reused across loads that declare the same inputs (the scenarios of one run
// that say the same `Given the manifests in …`, declare the same objects at the same places and
// set the same configuration). A load finds an entry when
//   - its inputs serialise the same: sources (paths as given, doc strings with their positions,
//     target namespaces), declared objects with their origins, configuration overrides, and the
//     loader's switches and limits; anything not plainly serialisable is never reused;
//   - every file and directory the first load read is unchanged on disk (manifests/parsecache.ts:
//     stat signature, then the content when the stat cannot tell);
// and gets `Cluster.fork()` of it: a new facade with kube-proxy's runtime state reset. A step that
// changes a declaration changes the key (a different cluster); the objects given to the load are
// copies, so editing a declared object in place later never reaches the cached cluster.
import { Cluster, type ClusterOptions } from './cluster';
import type { InputSource } from './manifests';
import { limits, loaderOptions } from './manifests/load';
import { readLog, unchanged, type ReadRecord } from './manifests/parsecache';
import { cloneObject, cloneTree, isPlainTree } from './model/clone';
import { originOf, type KObject } from './model/types';

interface Entry { cluster: Cluster; reads: ReadRecord[] }

export const clusterCacheOptions = { enabled: true, maxEntries: 4 };
export const clusterCacheStats = { hits: 0, misses: 0 };
const entries = new Map<string, Entry>();

/** A canonical text for a plain tree: key order kept, undefined said, numbers exact. */
function ser(v: unknown): string {
  if (v === undefined) return 'u';
  if (v === null) return 'n';
  switch (typeof v) {
    case 'string': return JSON.stringify(v);
    case 'number': return Object.is(v, -0) ? '-0' : String(v);
    case 'boolean': return v ? 't' : 'f';
    case 'bigint': return `${v}n`;
    default: break;
  }
  if (Array.isArray(v)) return `[${v.map(ser).join(',')}]`;
  return `{${Object.keys(v as object).map((k) => `${JSON.stringify(k)}:${ser((v as any)[k])}`).join(',')}}`;
}

/** The key of a load's inputs, or null when they cannot be compared safely (then it is never reused). */
export function inputKey(sources: readonly InputSource[], opts: ClusterOptions): string | null {
  if (sources.some((s) => 'path' in s && s.path === '-')) return null; // standard input reads differently every time
  const objects = opts.objects ?? [];
  const origins = objects.map((o) => originOf(o) ?? null);
  if (origins.some((o) => o && typeof o.at === 'function')) return null;
  const parts = { cwd: process.cwd(), sources, objects, origins, overrides: opts.overrides ?? {}, limits, loaderOptions };
  if (!isPlainTree(parts)) return null;
  return ser(parts);
}

/**
 * Cluster.load, reusing a realised cluster loaded before from the same inputs (see above). Bad
 * input throws InputErrors as Cluster.load does (never cached).
 */
export function loadShared(sources: InputSource[], opts: ClusterOptions = {}): Cluster {
  const key = clusterCacheOptions.enabled ? inputKey(sources, opts) : null;
  if (key !== null) {
    const e = entries.get(key);
    if (e && e.reads.every(unchanged)) {
      clusterCacheStats.hits++;
      entries.delete(key); entries.set(key, e);
      return e.cluster.fork();
    }
    if (e) entries.delete(key);
  }
  clusterCacheStats.misses++;
  const objects = (opts.objects ?? []).map(cloneObject);
  const reads: ReadRecord[] = [];
  const outer = readLog.records;
  readLog.records = reads;
  let cluster: Cluster;
  try {
    // copies: a declaration edited in place later must not reach the cluster kept for reuse
    cluster = Cluster.load(sources, { ...opts, objects, overrides: key !== null ? cloneTree(opts.overrides) : opts.overrides });
  } finally {
    readLog.records = outer;
    if (outer) outer.push(...reads);
  }
  if (key !== null) {
    entries.set(key, { cluster, reads });
    while (entries.size > clusterCacheOptions.maxEntries) entries.delete(entries.keys().next().value as string);
    // the caller gets its own facade; the cached one stays unused, to fork from
    return cluster.fork();
  }
  return cluster;
}

/** Forgets every cached cluster (tests). */
export function clearClusterCache(): void {
  entries.clear();
  clusterCacheStats.hits = clusterCacheStats.misses = 0;
}
