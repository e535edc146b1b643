// The Admin tier: AdminNetworkPolicy (v1alpha1) and ClusterNetworkPolicy with tier Admin (v1alpha2),
// evaluated before any NetworkPolicy. "The Admin tier takes precedence over all other policies ...
// If Admin tier has made a final decision (Accept or Deny) on a connection, then no further
// evaluation is done" (ClusterNetworkPolicySpec.Tier). Policies by priority, lowest number first;
// a Pass rule hands the connection to the NetworkPolicy tier.
import type { Realised } from '../model/realised';
import { compileClusterPolicy, orderTier, type ClusterPolicy } from './clusterscoped';

export function adminPolicies(realised: Realised): { ordered: ClusterPolicy[]; ties: ClusterPolicy[][] } {
  const ps: ClusterPolicy[] = [];
  for (const o of realised.objects) {
    if (o.kind === 'AdminNetworkPolicy' || (o.kind === 'ClusterNetworkPolicy' && (o.spec as any)?.tier !== 'Baseline')) ps.push(compileClusterPolicy(o));
  }
  return orderTier(ps);
}
