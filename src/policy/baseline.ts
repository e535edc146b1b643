// The Baseline tier: BaselineAdminNetworkPolicy "default" (v1alpha1) and ClusterNetworkPolicy with
// tier Baseline (v1alpha2). "Baseline tier is a cluster-wide policy that can be overridden by the
// v1.NetworkPolicy": it is consulted only for a direction no NetworkPolicy isolates the pod for (or
// after an Admin Pass), and what it does not decide is allowed (Kubernetes' default). The v1alpha1
// singleton has no priority; netspec evaluates it after the Baseline ClusterNetworkPolicies.
import type { Realised } from '../model/realised';
import { compileClusterPolicy, orderTier, type ClusterPolicy } from './clusterscoped';

export function baselinePolicies(realised: Realised): { ordered: ClusterPolicy[]; ties: ClusterPolicy[][] } {
  const ps: ClusterPolicy[] = [];
  for (const o of realised.objects) {
    if (o.kind === 'BaselineAdminNetworkPolicy' || (o.kind === 'ClusterNetworkPolicy' && (o.spec as any)?.tier === 'Baseline')) ps.push(compileClusterPolicy(o));
  }
  return orderTier(ps);
}
