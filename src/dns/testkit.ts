// Test helpers: a realised cluster from YAML text (through the real loader and controllers), and
// upstream fixtures from zone-file text.
import { Cluster } from '../cluster';
import type { ClusterConfig } from '../model/config';
import { upstreamsFrom } from './query';
import type { Upstreams } from './server';

export function clusterOf(yaml: string, overrides: Partial<ClusterConfig> = {}): Cluster {
  return Cluster.load([{ text: yaml, name: 'test.yaml' }], { overrides });
}

export function upstreams(map: Record<string, string>): Upstreams {
  const { upstreams: u, errors } = upstreamsFrom(Object.entries(map).map(([server, text]) => ({ server, text, file: `${server}.zone` })));
  if (errors.length) throw new Error(errors.map((e) => e.message).join('\n'));
  return u;
}

/** A Service manifest. */
export function svc(ns: string, name: string, spec: Record<string, unknown>): string {
  return `---\n${JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec })}\n`;
}

/** A Pod manifest with a fixed IP. */
export function pod(ns: string, name: string, opts: { ip?: string; labels?: Record<string, string>; spec?: Record<string, unknown>; ready?: boolean; port?: number } = {}): string {
  const spec: Record<string, unknown> = { containers: [{ name: 'app', image: 'app', ports: opts.port ? [{ containerPort: opts.port }] : [] }], ...(opts.spec ?? {}) };
  const status: Record<string, unknown> = {};
  if (opts.ip) status.podIP = opts.ip;
  if (opts.ready === false) { status.phase = 'Running'; status.conditions = [{ type: 'Ready', status: 'False' }]; }
  const o: Record<string, unknown> = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: opts.labels ?? {} }, spec };
  if (Object.keys(status).length) o.status = status;
  return `---\n${JSON.stringify(o)}\n`;
}
