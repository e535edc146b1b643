// Reading input: files, directories, stdin and doc strings → API objects with positions,
// validated as the API server would; and the cluster configuration from config documents.
import type { KObject } from '../model/types';
import type { Diagnostics } from '../model/errors';
import { readSources, type InputSource } from './load';
import { validateObjects } from './validate';

export type { InputSource } from './load';
export { limits, STDIN_NAME } from './load';
export { configFrom, IP_MASQ_AGENT_DEFAULT_CIDRS } from './config';
export { validateObjects } from './validate';
export { readSources } from './load';
export { warnUnmodelled } from './unmodelled';
export { formatPath } from './origin';

/**
 * Parses every source; errors go to `diag`, never thrown. Objects carry their origin
 * (setOrigin/originOf/posOf in model/types). Unknown kinds are dropped with a warning; known kinds
 * are validated (schema + the API server's semantic checks + duplicate names across all sources).
 * Configuration documents (kubeadm, kube-proxy, kubelet, Calico IPPool) are returned too, for
 * configFrom to take out.
 */
export function loadSources(sources: InputSource[], diag: Diagnostics): KObject[] {
  const objects = readSources(sources, diag);
  validateObjects(objects, diag);
  return objects;
}
