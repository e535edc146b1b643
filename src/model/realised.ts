// The realised cluster: an immutable snapshot of what the API server, the controllers and the
// node agents would hold once the control plane has run over the desired state (design §1).
// Every module reads this; only src/controllers builds it.
import type { Cidr } from '../net/ip';
import type { Protocol } from '../net/packet';
import type { ClusterConfig } from './config';
import type { Warning } from './errors';
import type { CompiledSelector, LabelIndex } from './selector';
import type { KObject, Labels } from './types';

export interface RNode {
  name: string;
  /** the Node object as the API would show it: status.addresses and spec.podCIDR(s) filled in */
  obj: KObject;
  /** first InternalIP */
  ip: string;
  ips: string[];
  podCIDRs: Cidr[];
  labels: Labels;
  ready: boolean;
  unschedulable: boolean;
  /** position in the cluster's node order (name order) */
  index: number;
}

export interface RContainerPort {
  container: string;
  name?: string;
  port: number;
  protocol: Protocol;
  hostPort?: number;
  /** not declared: taken from the container's own probe on this port (e.g. "livenessProbe") */
  assumedFrom?: string;
}

export interface RPod {
  /** "ns/name" */
  key: string;
  ns: string;
  name: string;
  /** the Pod as the API would show it: spec.nodeName, status.podIP(s), hostIP, phase, conditions */
  obj: KObject;
  node: RNode | null;
  /** status.podIPs (for hostNetwork pods: the node's IPs) */
  ips: string[];
  ip: string;
  hostNetwork: boolean;
  labels: Labels;
  /** app containers by name, in spec order (the pause container is implicit and always there) */
  containers: string[];
  ports: RContainerPort[];
  /** "TCP/8080" → the container port listening there */
  listening: Map<string, RContainerPort>;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  ready: boolean;
  /** metadata.deletionTimestamp set */
  terminating: boolean;
  /** spec.hostname or the pod name */
  hostname: string;
  subdomain?: string;
  /** the controller that made it, e.g. "ReplicaSet shop/web-6d4b8c9f7" */
  owner?: string;
}

export interface RServicePort {
  /** "" when the service has a single unnamed port */
  name: string;
  port: number;
  /** number or named container port */
  targetPort: number | string;
  protocol: Protocol;
  nodePort?: number;
  appProtocol?: string;
}

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

export interface RService {
  key: string;
  ns: string;
  name: string;
  /** the Service as the API would show it (defaulted, clusterIP and nodePorts allocated) */
  obj: KObject;
  type: ServiceType;
  /** clusterIP: None */
  headless: boolean;
  /** spec.clusterIPs ([] for headless and ExternalName) */
  clusterIPs: string[];
  ports: RServicePort[];
  /** null when the service has no selector (endpoints come from hand-made slices / Endpoints) */
  selector: CompiledSelector | null;
  externalIPs: string[];
  /** status.loadBalancer.ingress[].ip (given or assigned from the pool) */
  loadBalancerIPs: string[];
  loadBalancerSourceRanges: string[];
  externalName?: string;
  externalTrafficPolicy: 'Cluster' | 'Local';
  internalTrafficPolicy: 'Cluster' | 'Local';
  sessionAffinity: 'None' | 'ClientIP';
  /** sessionAffinityConfig.clientIP.timeoutSeconds (default 10800) */
  affinityTimeoutSeconds: number;
  publishNotReadyAddresses: boolean;
  /** allocateLoadBalancerNodePorts (default true) */
  allocateLoadBalancerNodePorts: boolean;
}

export interface REndpoint {
  addresses: string[];
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  nodeName?: string;
  hostname?: string;
  zone?: string;
  /** the pod behind it, when targetRef names one that exists */
  pod?: RPod;
}

export interface RSlicePort {
  name: string;
  port: number;
  protocol: Protocol;
  appProtocol?: string;
}

export interface RSlice {
  /** the EndpointSlice as the API would show it */
  obj: KObject;
  /** "ns/service" from the kubernetes.io/service-name label */
  service: string;
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  endpoints: REndpoint[];
  ports: RSlicePort[];
  /** made by the EndpointSlice controller (true) or by hand / mirrored from Endpoints (false) */
  managed: boolean;
}

export interface Realised {
  readonly config: ClusterConfig;
  /** every API object after the control plane ran, derived ones included */
  readonly objects: readonly KObject[];
  readonly namespaces: ReadonlyMap<string, KObject>;
  readonly nodes: readonly RNode[];
  readonly nodeByName: ReadonlyMap<string, RNode>;
  /** every node address → node */
  readonly nodeByIP: ReadonlyMap<string, RNode>;
  readonly pods: readonly RPod[];
  readonly podByKey: ReadonlyMap<string, RPod>;
  /** pod IP → pod, for pods with their own network namespace (not hostNetwork) */
  readonly podByIP: ReadonlyMap<string, RPod>;
  readonly podsByNode: ReadonlyMap<string, readonly RPod[]>;
  /** per-namespace label index over pods */
  podIndex(ns: string): LabelIndex<RPod>;
  readonly services: readonly RService[];
  readonly serviceByKey: ReadonlyMap<string, RService>;
  /** every clusterIP → service */
  readonly serviceByClusterIP: ReadonlyMap<string, RService>;
  /** "ns/service" → its slices (managed and hand-made) */
  readonly slicesByService: ReadonlyMap<string, readonly RSlice[]>;
  readonly warnings: readonly Warning[];
}

/** The scheduler's message for a pod it could not place (its PodScheduled condition, status False), if any. */
export function unschedulableMessage(pod: RPod): string | undefined {
  const conds = pod.obj.status?.conditions;
  if (pod.node || !Array.isArray(conds)) return undefined;
  const c = conds.find((x: any) => x?.type === 'PodScheduled' && x.status === 'False');
  return typeof c?.message === 'string' && c.message ? c.message : undefined;
}
