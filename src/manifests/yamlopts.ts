// YAML parsing options shared by the loader and the position finder.
//
// Kubernetes reads manifests with sigs.k8s.io/yaml, which resolves plain scalars the YAML 1.1 way
// (go-yaml v2): `yes`/`on`/`y` are booleans, `0755` is octal, `<<` merges. Timestamps and base-60
// numbers are not resolved (they end up as strings in the JSON the API server sees), so those tags
// are left out.
import type { ParseOptions, DocumentOptions, SchemaOptions } from 'yaml';

/** Alias expansions allowed per document before it is refused as a resource-exhaustion attack. */
export const MAX_ALIAS_COUNT = 100;

export function yamlOptions(): ParseOptions & DocumentOptions & SchemaOptions {
  return {
    schema: 'yaml-1.1',
    merge: true,
    prettyErrors: true,
    customTags: (tags) => tags.filter((t) => (typeof t === 'string'
      ? !['timestamp', 'intTime', 'floatTime'].includes(t)
      : !(t.tag === 'tag:yaml.org,2002:timestamp' || ('format' in t && t.format === 'TIME')))),
  };
}
