// `connect --to NAME`: the name is resolved the way the source would resolve it — a pod through its
// resolv.conf, search list and the cluster DNS; a node through its own resolv.conf — and the DNS
// hops go at the front of the connection's trace.
import type { Endpoint, NameResolver } from '../cni';
import type { Realised } from '../model/realised';
import type { Hop } from '../net/trace';
import { dnsQuery } from './query';
import type { Upstreams } from './server';

/** `upstreams` may give none: the cluster configuration's fixtures (config.upstreamDNS) are used. */
export function dnsNameResolver(upstreams: () => Upstreams | undefined): NameResolver {
  return (realised: Realised, from: Endpoint, name: string): { ip: string | null; hops: Hop[] } => {
    if (from.kind === 'external') {
      return { ip: null, hops: [{ at: `external/${from.ip}`, action: 'resolve', detail: `an external client does not use the cluster DNS: "${name}" cannot be resolved from ${from.ip}; give an IP` }] };
    }
    const res = from.kind === 'pod'
      ? dnsQuery(realised, { name, type: 'A', from: from.pod, upstreams: upstreams() })
      : dnsQuery(realised, { name, type: 'A', fromNode: from.node, upstreams: upstreams() });
    const a = res.answers.find((r) => r.type === 'A');
    const at = from.kind === 'pod' ? `pod/${from.pod.key}` : `node/${from.node.name}`;
    const tried = res.tried.map((t) => `${t.name} ${t.rcode}`).join(', ');
    if (!a) {
      return { ip: null, hops: [...res.hops, { at, action: 'resolve', detail: `"${name}" does not resolve (${res.rcode}; tried ${tried}): there is no address to connect to` }] };
    }
    const chain = res.answers.filter((r) => r.type === 'CNAME').map((r) => r.data);
    return { ip: a.data, hops: [...res.hops, { at, action: 'resolve', detail: `${name} → ${a.data} (${res.name}${chain.length ? ` via CNAME ${chain.join(' → ')}` : ''}; ${res.tried.length} quer${res.tried.length === 1 ? 'y' : 'ies'}: ${tried})` }] };
  };
}
