// API-shaped objects. The model keeps what the API server would hold: plain objects in the
// Kubernetes schema. Only the fields netspec reads are typed; everything else passes through.
import type { Decider, SourcePos } from '../net/trace';

export type Labels = Record<string, string>;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  generateName?: string;
  labels?: Labels;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  uid?: string;
  [k: string]: unknown;
}

export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: any;
  status?: any;
  data?: Record<string, string>;
  [k: string]: unknown;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: LabelSelectorRequirement[];
}

/**
 * Where an object came from. Objects made by simulated controllers carry the origin of the
 * object that caused them (a Deployment's pods point at the Deployment) with `derived` set.
 */
export interface Origin extends SourcePos {
  /** index of the YAML document in its file (0-based) */
  doc?: number;
  /** set when a controller made this object; names the owner chain, e.g. "Deployment shop/web" */
  derived?: string;
  /**
   * position of a field inside the object, by path (["spec","ports",0,"port"]); falls back to the
   * object. A scalar field is found at its value, unless `key` asks for the field's key.
   */
  at?: (path: readonly (string | number)[], key?: boolean) => SourcePos;
}

const ORIGIN = Symbol.for('netspec.origin');

/** Attaches an origin without making it part of the object (it never shows in -o yaml). */
export function setOrigin<T extends object>(obj: T, origin: Origin): T {
  Object.defineProperty(obj, ORIGIN, { value: origin, enumerable: false, configurable: true, writable: true });
  return obj;
}

export function originOf(obj: object | undefined | null): Origin | undefined {
  return obj ? (obj as any)[ORIGIN] : undefined;
}

/** Position of a field of an object (or of the object itself), for messages and traces. */
export function posOf(obj: object, path: readonly (string | number)[] = [], key = false): SourcePos | undefined {
  const o = originOf(obj);
  if (!o) return undefined;
  if (path.length && o.at) return key ? o.at(path, true) : o.at(path);
  return { file: o.file, line: o.line, col: o.col };
}

/**
 * A decider whose position is looked up when first read. A field's position may mean parsing its
 * object's text again (positions are not kept for large inputs), which a hot path such as a
 * connection's walk must not pay for a trace nobody prints.
 */
export function lazyDecider(what: string, obj: object, path: readonly (string | number)[]): Decider {
  let pos: SourcePos | undefined | null = null;
  return {
    what,
    get pos() { if (pos === null) pos = posOf(obj, path); return pos; },
    set pos(p: SourcePos | undefined) { pos = p; },
  } as Decider;
}

/** "Kind ns/name" or "Kind name", how messages name objects. */
export function ref(obj: KObject): string {
  return obj.metadata.namespace ? `${obj.kind} ${obj.metadata.namespace}/${obj.metadata.name}` : `${obj.kind} ${obj.metadata.name}`;
}

/** Kinds whose objects live in a namespace. */
export const NAMESPACED_KINDS = new Set([
  'Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Service', 'Endpoints',
  'EndpointSlice', 'Ingress', 'NetworkPolicy', 'ConfigMap', 'Secret',
  ...['PeerAuthentication', 'AuthorizationPolicy', 'VirtualService', 'DestinationRule', 'ServiceEntry'], // Istio (src/mesh)
]);

/** Kinds netspec models (design §3). Cluster configuration kinds are read separately. */
export const KNOWN_KINDS = new Set([
  ...NAMESPACED_KINDS, 'Namespace', 'Node', 'IngressClass', 'ServiceCIDR',
  'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy',
]);

/** Configuration documents read into the cluster config rather than the object store. */
export const CONFIG_KINDS = new Set([
  'ClusterConfiguration', 'InitConfiguration', 'KubeProxyConfiguration', 'KubeletConfiguration', 'IPPool',
]);
