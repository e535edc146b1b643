// Reading input: files, directories, stdin and doc strings → API objects with positions.
// (stub signatures; the loader fills them in)
import type { KObject } from '../model/types';
import type { Diagnostics } from '../model/errors';
import type { ClusterConfig } from '../model/config';

/** One input: a path (file, directory, or "-" for stdin), or inline text (a Gherkin doc string). */
export type InputSource =
  | { path: string }
  | { text: string; name: string; /** 1-based line of the text's first line in `name` */ line?: number; col?: number };

/** Parses every source; errors go to `diag`, never thrown. Objects carry their origin. */
export function loadSources(_sources: InputSource[], _diag: Diagnostics): KObject[] {
  throw new Error('loadSources: not implemented yet');
}

/**
 * Splits configuration documents (kubeadm ClusterConfiguration, KubeProxyConfiguration,
 * KubeletConfiguration, ServiceCIDR, CNI config maps, ip-masq-agent) from the objects and folds
 * them into `base`. Returns the config and the objects that go to the API server.
 */
export function configFrom(objects: KObject[], base: ClusterConfig, _diag: Diagnostics): { config: ClusterConfig; objects: KObject[] } {
  return { config: base, objects };
}
