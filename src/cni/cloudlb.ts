// The cloud load balancer in front of LoadBalancer Services: it listens on the Service's declared
// ports only (a listener / forwarding rule per spec.ports entry) and hands that traffic to a node.
// Traffic to its address on any other port never reaches the cluster: dropped at the balancer.
import type { Realised, RService } from '../model/realised';
import type { Protocol } from '../net/packet';

const byIP = new WeakMap<Realised, Map<string, RService[]>>();

/** The LoadBalancer Services whose status.loadBalancer.ingress holds `ip`. */
export function loadBalancersAt(r: Realised, ip: string): readonly RService[] {
  let m = byIP.get(r);
  if (!m) {
    m = new Map();
    for (const s of r.services) for (const a of s.loadBalancerIPs) {
      const l = m.get(a);
      if (l) l.push(s); else m.set(a, [s]);
    }
    byIP.set(r, m);
  }
  return m.get(ip) ?? [];
}

/** Null when a balancer at `ip` listens on port/protocol (or no balancer has the address); else why not. */
export function loadBalancerRefuses(r: Realised, ip: string, port: number, protocol: Protocol): { why: string; service: RService } | null {
  const svcs = loadBalancersAt(r, ip);
  if (!svcs.length) return null;
  if (svcs.some((s) => s.ports.some((p) => p.port === port && p.protocol === protocol))) return null;
  const s = svcs[0];
  const ports = svcs.flatMap((x) => x.ports.map((p) => `${p.port}/${p.protocol}`));
  return { service: s, why: `the cloud load balancer at ${ip} (Service ${svcs.map((x) => x.key).join(', ')}) forwards only the Service's declared ports (${ports.join(', ')}): nothing listens on ${port}/${protocol}, the packet never reaches a node` };
}
