// The address ingress-nginx publishes in an Ingress's status.loadBalancer.ingress
// (internal/ingress/status/status.go): with a Service of type LoadBalancer in front of the
// controller pods (what --publish-service names; the Helm chart's default) its
// status.loadBalancer IPs, else its externalIPs; without one, the addresses of the nodes that run
// a controller pod, ExternalIP first, else InternalIP. Only Ingresses of an ingress-nginx class
// get a status; an Ingress no controller serves keeps an empty one.
import { controllerPod } from './controllerpods';
import type { Realised } from '../model/realised';
import { posOf, ref, type KObject } from '../model/types';
import type { Hop } from '../net/trace';
import { ingressView, INGRESS_NGINX } from './view';

export interface IngressStatus {
  ingress: string;
  /** status.loadBalancer.ingress[].ip, as the controller would publish them */
  addresses: string[];
  /** how the addresses were found, or why there are none */
  how: string;
  hops: Hop[];
}

function nodeAddress(node: KObject): string | undefined {
  const addrs: any[] = Array.isArray(node.status?.addresses) ? node.status.addresses : [];
  return (addrs.find((a) => a?.type === 'ExternalIP') ?? addrs.find((a) => a?.type === 'InternalIP'))?.address;
}

export function ingressStatus(r: Realised, ing: KObject): IngressStatus {
  const v = ingressView(r);
  const at = 'ingress/status';
  const out = (addresses: string[], how: string): IngressStatus => ({ ingress: ref(ing), addresses, how, hops: [{ at, action: 'answer', detail: `${ref(ing)} status.loadBalancer: ${addresses.length ? addresses.join(', ') : 'empty'} — ${how}`, source: { what: ref(ing), pos: posOf(ing) } }] });
  let cls: string | undefined;
  for (const c of v.classes.values()) if (c.members.some((m) => m.ing === ing)) cls = c.name;
  if (!cls) return out([], 'no controller serves this Ingress (its class is missing or unknown)');
  const cv = v.classes.get(cls)!;
  if (cv.controller !== INGRESS_NGINX) return out([], `the controller of class ${cls} (${cv.controller}) is not modelled`);
  const cp = controllerPod(r, cv.name, cv.controller);
  // the controller's pod and its ready siblings (same owner): every replica publishes the same status
  const owner = cp ? r.podByKey.get(cp.pod)?.owner : undefined;
  const pods = cp ? r.pods.filter((p) => p.key === cp.pod || (owner !== undefined && p.owner === owner && p.ready && p.phase === 'Running')) : [];
  if (!pods.length) return out([], 'no ready ingress-nginx controller pod runs in the cluster, so nothing publishes a status');
  const lb = r.services.find((s) => s.type === 'LoadBalancer' && s.selector && pods.some((p) => p.key.startsWith(s.ns + '/') && s.selector!.matches(p.labels)));
  if (lb) {
    const ips = lb.loadBalancerIPs.length ? lb.loadBalancerIPs : lb.externalIPs;
    return out([...ips], ips.length ? `the ${lb.loadBalancerIPs.length ? 'load-balancer IPs' : 'externalIPs'} of Service ${lb.key} in front of the controller (--publish-service)` : `Service ${lb.key} in front of the controller has no load-balancer IP yet`);
  }
  const ips = [...new Set(pods.map((p) => (p.node ? nodeAddress(p.node.obj) ?? p.node.ip : undefined)).filter((x): x is string => !!x))].sort();
  return out(ips, `no LoadBalancer Service selects the controller pods: the addresses of the nodes running them (${pods.map((p) => p.node?.name).filter(Boolean).join(', ')})`);
}
