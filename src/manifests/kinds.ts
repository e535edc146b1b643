// Which kinds netspec reads, under which apiVersions the API server serves them (Kubernetes 1.33),
// and which were served once and removed (kubectl then fails with "no matches for kind").
import { KNOWN_KINDS, CONFIG_KINDS } from '../model/types';

/** kind → the apiVersions served today. The first is the one to suggest. */
export const SERVED: Record<string, readonly string[]> = {
  Pod: ['v1'], Service: ['v1'], Endpoints: ['v1'], ConfigMap: ['v1'], Secret: ['v1'], Namespace: ['v1'], Node: ['v1'],
  Deployment: ['apps/v1'], ReplicaSet: ['apps/v1'], StatefulSet: ['apps/v1'], DaemonSet: ['apps/v1'],
  Job: ['batch/v1'], CronJob: ['batch/v1'],
  EndpointSlice: ['discovery.k8s.io/v1'],
  Ingress: ['networking.k8s.io/v1'], IngressClass: ['networking.k8s.io/v1'], NetworkPolicy: ['networking.k8s.io/v1'],
  ServiceCIDR: ['networking.k8s.io/v1', 'networking.k8s.io/v1beta1'],
  // the Network Policy API's CRDs (kubernetes-sigs/network-policy-api), read by src/policy
  AdminNetworkPolicy: ['policy.networking.k8s.io/v1alpha1'], BaselineAdminNetworkPolicy: ['policy.networking.k8s.io/v1alpha1'],
  ClusterNetworkPolicy: ['policy.networking.k8s.io/v1alpha2'],
};

/** kind → API groups it was ever served in (a removed version of one of these is an error, not an unknown kind). */
const GROUPS: Record<string, readonly string[]> = {
  Deployment: ['apps', 'extensions'], ReplicaSet: ['apps', 'extensions'], DaemonSet: ['apps', 'extensions'], StatefulSet: ['apps'],
  Job: ['batch'], CronJob: ['batch'], EndpointSlice: ['discovery.k8s.io'],
  Ingress: ['networking.k8s.io', 'extensions'], IngressClass: ['networking.k8s.io'], NetworkPolicy: ['networking.k8s.io', 'extensions'],
  ServiceCIDR: ['networking.k8s.io'],
  AdminNetworkPolicy: ['policy.networking.k8s.io'], BaselineAdminNetworkPolicy: ['policy.networking.k8s.io'], ClusterNetworkPolicy: ['policy.networking.k8s.io'],
};

/** Configuration kinds by API group. */
const CONFIG_GROUPS: Record<string, readonly string[]> = {
  ClusterConfiguration: ['kubeadm.k8s.io'], InitConfiguration: ['kubeadm.k8s.io'],
  KubeProxyConfiguration: ['kubeproxy.config.k8s.io'], KubeletConfiguration: ['kubelet.config.k8s.io'],
  IPPool: ['crd.projectcalico.org', 'projectcalico.org'],
};

/** kubeadm documents that carry no networking setting: read and set aside without a warning. */
export const IGNORED_CONFIG = new Set(['JoinConfiguration', 'ResetConfiguration', 'UpgradeConfiguration']);

export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

export type KindClass =
  | { cls: 'object' }
  | { cls: 'removed'; hint: string }
  | { cls: 'config' }
  | { cls: 'ignored-config' }
  | { cls: 'unknown' };

export function classify(apiVersion: string, kind: string): KindClass {
  const group = groupOf(apiVersion);
  if (KNOWN_KINDS.has(kind)) {
    const served = SERVED[kind] ?? [];
    if (served.includes(apiVersion)) return { cls: 'object' };
    const groups = GROUPS[kind] ?? [''];
    if (groups.includes(group)) {
      return { cls: 'removed', hint: `${kind} is served as ${served.join(' or ')} (${apiVersion} is not served by current Kubernetes)` };
    }
    return { cls: 'unknown' };
  }
  if (CONFIG_KINDS.has(kind)) {
    if ((CONFIG_GROUPS[kind] ?? []).includes(group)) return { cls: 'config' };
    return { cls: 'unknown' };
  }
  if (IGNORED_CONFIG.has(kind) && group === 'kubeadm.k8s.io') return { cls: 'ignored-config' };
  return { cls: 'unknown' };
}

/** Config kinds that are not API objects and so carry no metadata.name. */
export function needsName(kind: string, cls: KindClass['cls']): boolean {
  if (cls === 'ignored-config') return false;
  if (cls === 'config') return kind === 'IPPool';
  return true;
}

/** Module of kubernetes-models holding the schema of a served kind, e.g. "apps/v1/Deployment". */
export function modelModule(apiVersion: string, kind: string): string | undefined {
  if (!(SERVED[kind] ?? []).includes(apiVersion)) return undefined;
  if (kind === 'ServiceCIDR' && apiVersion !== 'networking.k8s.io/v1') return undefined;
  if (apiVersion.startsWith('policy.networking.k8s.io/')) return undefined; // CRDs: src/policy validates them
  return `${apiVersion}/${kind}`;
}
