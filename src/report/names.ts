// How reports name what was asked.
import type { ConnectQuery } from '../cni';

/** "shop/toolbox → cart.shop.svc.cluster.local TCP 7070" */
export function describeConnectQuery(q: ConnectQuery): string {
  const from = typeof q.from === 'string' ? q.from : q.from.kind === 'pod' ? q.from.pod.key : q.from.kind === 'node' ? `node/${q.from.node.name}` : `external:${q.from.ip}`;
  return `${from}${q.container ? ` (${q.container})` : ''} → ${q.to} ${q.protocol ?? 'TCP'} ${q.port}${q.via ? ` via ${q.via}` : ''}`;
}
