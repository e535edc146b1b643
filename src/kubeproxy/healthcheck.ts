// kube-proxy's two HTTP servers, as pkg/proxy/healthcheck answers them:
// - service_health.go: for every Service of type LoadBalancer with externalTrafficPolicy: Local,
//   an HTTP server on spec.healthCheckNodePort on each node address. hcHandler.ServeHTTP answers
//   every path: 200 when the node has at least one local ready endpoint (and kube-proxy is healthy),
//   else 503; Content-Type application/json, X-Content-Type-Options nosniff; the body names the
//   Service and its localEndpoints count. The count is EndpointsMap.LocalReadyEndpoints(): distinct
//   IPs of ready endpoints whose nodeName is this node (terminating ones do not count).
// - proxy_health.go: /healthz (and /livez) on healthzBindAddress, 0.0.0.0:10256. /healthz is 200
//   unless the node is not eligible: being deleted, or tainted ToBeDeletedByClusterAutoscaler
//   (ProxyHealthServer.SyncNode); then 503. Offline, the proxier is always in sync (healthy).
import type { RNode, Realised, RService } from '../model/realised';

export const KUBE_PROXY_HEALTHZ_PORT = 10256;
/** pkg/proxy/healthcheck ToBeDeletedTaint (the cluster autoscaler's) */
export const TO_BE_DELETED_TAINT = 'ToBeDeletedByClusterAutoscaler';

export interface HealthAnswer {
  status: 200 | 503 | 404;
  headers: Record<string, string>;
  body: string;
  /** which server answered: the Service's health check or kube-proxy's own /healthz */
  server: 'service-health' | 'healthz';
  /** service-health: "ns/name" */
  service?: string;
  /** service-health: LocalReadyEndpoints() on this node */
  localEndpoints?: number;
  /** one sentence: why this status */
  detail: string;
}

const JSON_HEADERS = { 'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff' } as const;

/** Distinct IPs of the Service's ready endpoints on `node` (EndpointsMap.LocalReadyEndpoints). */
export function localReadyEndpoints(r: Realised, svc: RService, node: string): number {
  const ips = new Set<string>();
  for (const sl of r.slicesByService.get(svc.key) ?? []) {
    for (const e of sl.endpoints) if (e.ready && e.nodeName === node) for (const a of e.addresses) ips.add(a);
  }
  return ips.size;
}

/** The Service whose healthCheckNodePort is `port` (kube-proxy serves it only for LoadBalancer + Local). */
export function healthCheckService(r: Realised, port: number): RService | undefined {
  for (const svc of r.services) {
    const s = svc.obj.spec;
    if (s?.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local' && s.healthCheckNodePort === port) return svc;
  }
  return undefined;
}

/** hcHandler.ServeHTTP for `svc` on `node` (any path). */
export function serviceHealth(r: Realised, svc: RService, node: RNode): HealthAnswer {
  const n = localReadyEndpoints(r, svc, node.name);
  const [ns, name] = [svc.obj.metadata.namespace ?? 'default', svc.obj.metadata.name];
  const body = JSON.stringify({ service: { namespace: ns, name }, localEndpoints: n, serviceProxyHealthy: true }, null, '\t');
  return {
    status: n ? 200 : 503, headers: { ...JSON_HEADERS }, body, server: 'service-health', service: svc.key, localEndpoints: n,
    detail: n
      ? `kube-proxy answers the health check of ${svc.key} on ${node.name}: 200, ${n} local ready endpoint${n === 1 ? '' : 's'} (pkg/proxy/healthcheck service_health.go)`
      : `kube-proxy answers the health check of ${svc.key} on ${node.name}: 503, no local ready endpoint, so the load balancer leaves this node out (pkg/proxy/healthcheck service_health.go)`,
  };
}

/** Why a node is not eligible for load balancer traffic (ProxyHealthServer.SyncNode), or null. */
export function nodeIneligible(node: RNode): string | null {
  if (node.obj.metadata?.deletionTimestamp) return `Node ${node.name} has a deletionTimestamp`;
  const taints: any[] = Array.isArray(node.obj.spec?.taints) ? node.obj.spec.taints : [];
  if (taints.some((t) => t?.key === TO_BE_DELETED_TAINT)) return `Node ${node.name} is tainted ${TO_BE_DELETED_TAINT}`;
  return null;
}

/** proxy_health.go: /healthz and /livez on 10256; other paths are the mux's 404. */
export function proxyHealthz(node: RNode, path: string): HealthAnswer {
  const p = path.split('?')[0];
  if (p !== '/healthz' && p !== '/livez') {
    return { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }, body: '404 page not found\n', server: 'healthz', detail: `kube-proxy's health server on ${node.name} serves only /healthz and /livez: ${p} is 404` };
  }
  if (p === '/livez') {
    return { status: 200, headers: { ...JSON_HEADERS }, body: '{"lastUpdated": "","currentTime": ""}', server: 'healthz', detail: `kube-proxy on ${node.name} is live (its rules are in sync)` };
  }
  const why = nodeIneligible(node);
  return {
    status: why ? 503 : 200, headers: { ...JSON_HEADERS }, body: `{"lastUpdated": "","currentTime": "", "nodeEligible": ${!why}}`, server: 'healthz',
    detail: why ? `kube-proxy's /healthz on ${node.name} is 503: ${why} (ProxyHealthServer.SyncNode)` : `kube-proxy's /healthz on ${node.name} is 200: rules in sync, node eligible`,
  };
}

/**
 * What kube-proxy answers to an HTTP request to node address `ip`, TCP `port`, `path`: its
 * /healthz server on 10256 or a Service's healthCheckNodePort; undefined when neither listens there.
 */
export function kubeProxyHttp(r: Realised, ip: string, port: number, path: string): HealthAnswer | undefined {
  const node = r.nodeByIP.get(ip);
  if (!node) return undefined;
  if (port === KUBE_PROXY_HEALTHZ_PORT) return proxyHealthz(node, path);
  const svc = healthCheckService(r, port);
  return svc ? serviceHealth(r, svc, node) : undefined;
}
