// Helpers for the controllers' unit tests: objects built in code, with origins whose field
// positions are predictable, so a test can assert that an error points at the right field.
import { defaultConfig, type ClusterConfig } from '../model/config';
import { Diagnostics } from '../model/errors';
import type { Realised } from '../model/realised';
import { setOrigin, type KObject } from '../model/types';
import type { SourcePos } from '../net/trace';
import { realise } from './index';

let nextLine = 1;

/** The position testkit origins give to `path` inside an object declared at `line`. */
export function fieldPos(file: string, line: number, path: readonly (string | number)[]): SourcePos {
  return { file, line: line + path.length, col: path.join('.').length + 1 };
}

/** Gives an object an origin in a fake file; each object gets its own line. */
export function located<T extends KObject>(obj: T, file = 'test.yaml'): T {
  const line = (nextLine += 100);
  return setOrigin(obj, { file, line, col: 1, at: (path) => fieldPos(file, line, path) });
}

export function posIn(obj: KObject, path: (string | number)[]): SourcePos {
  const o = (obj as any)[Symbol.for('netspec.origin')];
  return path.length ? o.at(path) : { file: o.file, line: o.line, col: o.col };
}

export function node(name: string, extra: { labels?: Record<string, string>; ip?: string; podCIDR?: string; taints?: any[]; unschedulable?: boolean; ready?: boolean } = {}): KObject {
  const o: KObject = { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {} };
  if (extra.labels) o.metadata.labels = extra.labels;
  if (extra.podCIDR) o.spec.podCIDR = extra.podCIDR;
  if (extra.taints) o.spec.taints = extra.taints;
  if (extra.unschedulable) o.spec.unschedulable = true;
  if (extra.ip || extra.ready === false) o.status = {};
  if (extra.ip) o.status.addresses = [{ type: 'InternalIP', address: extra.ip }];
  if (extra.ready === false) o.status.conditions = [{ type: 'Ready', status: 'False' }];
  return located(o);
}

export interface PodOpts {
  ns?: string;
  labels?: Record<string, string>;
  nodeName?: string;
  podIP?: string;
  ports?: { containerPort: number; name?: string; protocol?: string }[];
  hostNetwork?: boolean;
  nodeSelector?: Record<string, string>;
  status?: any;
  hostname?: string;
  subdomain?: string;
  deletionTimestamp?: string;
}

export function pod(name: string, o: PodOpts = {}): KObject {
  const spec: any = { containers: [{ name: 'app', image: 'app', ports: o.ports ?? [{ containerPort: 8080 }] }] };
  if (o.nodeName) spec.nodeName = o.nodeName;
  if (o.hostNetwork) spec.hostNetwork = true;
  if (o.nodeSelector) spec.nodeSelector = o.nodeSelector;
  if (o.hostname) spec.hostname = o.hostname;
  if (o.subdomain) spec.subdomain = o.subdomain;
  const obj: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: o.ns ?? 'default', labels: o.labels ?? {} }, spec };
  if (o.deletionTimestamp) obj.metadata.deletionTimestamp = o.deletionTimestamp;
  if (o.status) obj.status = o.status;
  if (o.podIP) obj.status = { ...(obj.status ?? {}), podIP: o.podIP };
  return located(obj);
}

export function deployment(name: string, ns: string, replicas: number | undefined, labels: Record<string, string>, spec: any = {}): KObject {
  const s: any = { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'app', ports: [{ containerPort: 8080, name: 'http' }] }], ...spec } } };
  if (replicas !== undefined) s.replicas = replicas;
  return located({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns }, spec: s });
}

export function service(name: string, ns: string, spec: any): KObject {
  return located({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec });
}

/**
 * Realises `objects`. Unless `coredns` is asked for, a selector-less kube-dns Service is added so the
 * control plane installs no CoreDNS pods (which would take the first pod addresses of a node).
 */
export function run(objects: KObject[], cfg: Partial<ClusterConfig> = {}, opts: { coredns?: boolean } = {}): { r: Realised; diag: Diagnostics } {
  const diag = new Diagnostics();
  const config = { ...defaultConfig(), ...cfg };
  const extra: KObject[] = opts.coredns || objects.some((o) => o.kind === 'Service' && o.metadata.name === 'kube-dns' && o.metadata.namespace === 'kube-system')
    ? [] : [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'kube-dns', namespace: 'kube-system' }, spec: { clusterIP: config.clusterDNS?.[0] ?? '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] } }];
  const r = realise([...objects, ...extra], config, diag);
  return { r, diag };
}

/** Codes of the errors collected. */
export function codes(diag: Diagnostics): string[] {
  return diag.errors.map((e) => e.code);
}
