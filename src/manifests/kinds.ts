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
  // Istio's resources (src/mesh): v1 since Istio 1.22, the beta and alpha versions still served
  PeerAuthentication: ['security.istio.io/v1', 'security.istio.io/v1beta1'],
  AuthorizationPolicy: ['security.istio.io/v1', 'security.istio.io/v1beta1'],
  VirtualService: ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'],
  DestinationRule: ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'],
  ServiceEntry: ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'],
};

/** kind → API groups it was ever served in (a removed version of one of these is an error, not an unknown kind). */
const GROUPS: Record<string, readonly string[]> = {
  Deployment: ['apps', 'extensions'], ReplicaSet: ['apps', 'extensions'], DaemonSet: ['apps', 'extensions'], StatefulSet: ['apps'],
  Job: ['batch'], CronJob: ['batch'], EndpointSlice: ['discovery.k8s.io'],
  Ingress: ['networking.k8s.io', 'extensions'], IngressClass: ['networking.k8s.io'], NetworkPolicy: ['networking.k8s.io', 'extensions'],
  ServiceCIDR: ['networking.k8s.io'],
  AdminNetworkPolicy: ['policy.networking.k8s.io'], BaselineAdminNetworkPolicy: ['policy.networking.k8s.io'], ClusterNetworkPolicy: ['policy.networking.k8s.io'],
  PeerAuthentication: ['security.istio.io'], AuthorizationPolicy: ['security.istio.io'],
  VirtualService: ['networking.istio.io'], DestinationRule: ['networking.istio.io'], ServiceEntry: ['networking.istio.io'],
};

/** Configuration kinds by API group. */
const CONFIG_GROUPS: Record<string, readonly string[]> = {
  ClusterConfiguration: ['kubeadm.k8s.io'], InitConfiguration: ['kubeadm.k8s.io'],
  KubeProxyConfiguration: ['kubeproxy.config.k8s.io'], KubeletConfiguration: ['kubelet.config.k8s.io'],
  IPPool: ['crd.projectcalico.org', 'projectcalico.org'],
};

/** kubeadm documents that carry no networking setting: read and set aside without a warning. */
export const IGNORED_CONFIG = new Set(['JoinConfiguration', 'ResetConfiguration', 'UpgradeConfiguration']);

/**
 * API objects that do not touch networking, by API group: skipped without a word (design §3).
 * The same kind name in another group (a CRD of someone else's) still gets NS-UNKNOWN-KIND.
 */
const QUIET_KINDS: Record<string, readonly string[]> = {
  ServiceAccount: [''], PersistentVolumeClaim: [''], PersistentVolume: [''], LimitRange: [''], ResourceQuota: [''], Event: ['', 'events.k8s.io'],
  Role: ['rbac.authorization.k8s.io'], ClusterRole: ['rbac.authorization.k8s.io'],
  RoleBinding: ['rbac.authorization.k8s.io'], ClusterRoleBinding: ['rbac.authorization.k8s.io'],
  CustomResourceDefinition: ['apiextensions.k8s.io'], APIService: ['apiregistration.k8s.io'],
  ValidatingWebhookConfiguration: ['admissionregistration.k8s.io'], MutatingWebhookConfiguration: ['admissionregistration.k8s.io'],
  ValidatingAdmissionPolicy: ['admissionregistration.k8s.io'], ValidatingAdmissionPolicyBinding: ['admissionregistration.k8s.io'],
  PodDisruptionBudget: ['policy'], HorizontalPodAutoscaler: ['autoscaling'], VerticalPodAutoscaler: ['autoscaling.k8s.io'],
  PriorityClass: ['scheduling.k8s.io'], StorageClass: ['storage.k8s.io'], CSIDriver: ['storage.k8s.io'], VolumeSnapshotClass: ['snapshot.storage.k8s.io'],
  RuntimeClass: ['node.k8s.io'], Lease: ['coordination.k8s.io'], FlowSchema: ['flowcontrol.apiserver.k8s.io'],
  PriorityLevelConfiguration: ['flowcontrol.apiserver.k8s.io'], CertificateSigningRequest: ['certificates.k8s.io'],
  // the rest of `kubectl api-resources` (Kubernetes 1.33) that has no bearing on networking
  PodTemplate: [''], ControllerRevision: ['apps'], ClusterTrustBundle: ['certificates.k8s.io'],
  MutatingAdmissionPolicy: ['admissionregistration.k8s.io'], MutatingAdmissionPolicyBinding: ['admissionregistration.k8s.io'],
  CSINode: ['storage.k8s.io'], CSIStorageCapacity: ['storage.k8s.io'], VolumeAttachment: ['storage.k8s.io'], VolumeAttributesClass: ['storage.k8s.io'],
  VolumeSnapshot: ['snapshot.storage.k8s.io'], VolumeSnapshotContent: ['snapshot.storage.k8s.io'],
  DeviceClass: ['resource.k8s.io'], ResourceClaim: ['resource.k8s.io'], ResourceClaimTemplate: ['resource.k8s.io'], ResourceSlice: ['resource.k8s.io'],
  StorageVersionMigration: ['storagemigration.k8s.io'],
};

/** Whether an object is known to have no bearing on networking (skipped quietly). */
export function isQuietKind(apiVersion: string, kind: string): boolean {
  return (QUIET_KINDS[kind] ?? []).includes(groupOf(apiVersion));
}

export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

export type KindClass =
  | { cls: 'object' }
  | { cls: 'removed'; hint: string }
  | { cls: 'config' }
  | { cls: 'ignored-config' }
  | { cls: 'quiet' }
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
  if (isQuietKind(apiVersion, kind)) return { cls: 'quiet' };
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
  if (apiVersion.includes('.istio.io/')) return undefined; // not in kubernetes-models: checked in istio.ts
  return `${apiVersion}/${kind}`;
}
