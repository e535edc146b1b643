// The ipsets kube-proxy keeps in ipvs mode (pkg/proxy/ipvs/ipset.go) and how `-m set --match-set
// NAME dirs` tests a packet against them. Entries are kept in ipset's own text form
// ("10.96.0.1,tcp:443", "10.244.1.5,tcp:8080,10.244.1.5", "30080").
import { cidrContains, type Cidr } from '../../net/ip';
import type { WalkPacket } from '../iptables/walk';

export type SetType = 'hash:ip,port' | 'hash:ip,port,ip' | 'hash:ip,port,net' | 'bitmap:port' | 'hash:ip';

export interface IpSet {
  readonly name: string;
  readonly type: SetType;
  readonly comment: string;
  readonly entries: Set<string>;
  /** hash:ip,port,net: the nets, for matching */
  readonly nets: { key: string; net: Cidr }[];
}

export const SETS: readonly { name: string; type: SetType; comment: string }[] = [
  { name: 'KUBE-LOOP-BACK', type: 'hash:ip,port,ip', comment: 'Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose' },
  { name: 'KUBE-CLUSTER-IP', type: 'hash:ip,port', comment: 'Kubernetes service cluster ip + port for masquerade purpose' },
  { name: 'KUBE-EXTERNAL-IP', type: 'hash:ip,port', comment: 'Kubernetes service external ip + port for masquerade and filter purpose' },
  { name: 'KUBE-EXTERNAL-IP-LOCAL', type: 'hash:ip,port', comment: 'Kubernetes service external ip + port with externalTrafficPolicy=local' },
  { name: 'KUBE-LOAD-BALANCER', type: 'hash:ip,port', comment: 'Kubernetes service lb portal' },
  { name: 'KUBE-LOAD-BALANCER-FW', type: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port for load balancer with sourceRange' },
  { name: 'KUBE-LOAD-BALANCER-LOCAL', type: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port with externalTrafficPolicy=local' },
  { name: 'KUBE-LOAD-BALANCER-SOURCE-IP', type: 'hash:ip,port,ip', comment: 'Kubernetes service load balancer ip + port + source IP for packet filter purpose' },
  { name: 'KUBE-LOAD-BALANCER-SOURCE-CIDR', type: 'hash:ip,port,net', comment: 'Kubernetes service load balancer ip + port + source cidr for packet filter purpose' },
  { name: 'KUBE-NODE-PORT-TCP', type: 'bitmap:port', comment: 'Kubernetes nodeport TCP port for masquerade purpose' },
  { name: 'KUBE-NODE-PORT-LOCAL-TCP', type: 'bitmap:port', comment: 'Kubernetes nodeport TCP port with externalTrafficPolicy=local' },
  { name: 'KUBE-NODE-PORT-UDP', type: 'bitmap:port', comment: 'Kubernetes nodeport UDP port for masquerade purpose' },
  { name: 'KUBE-NODE-PORT-LOCAL-UDP', type: 'bitmap:port', comment: 'Kubernetes nodeport UDP port with externalTrafficPolicy=local' },
  { name: 'KUBE-NODE-PORT-SCTP-HASH', type: 'hash:ip,port', comment: "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'" },
  { name: 'KUBE-NODE-PORT-LOCAL-SCTP-HASH', type: 'hash:ip,port', comment: "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'" },
  { name: 'KUBE-HEALTH-CHECK-NODE-PORT', type: 'bitmap:port', comment: 'Kubernetes health check node port' },
  { name: 'KUBE-IPVS-IPS', type: 'hash:ip', comment: 'IPVS service ip' },
];

export function newSets(): Map<string, IpSet> {
  return new Map(SETS.map((s) => [s.name, { ...s, entries: new Set<string>(), nets: [] }]));
}

export function addNet(set: IpSet, ip: string, proto: string, port: number, net: Cidr): void {
  const key = `${ip},${proto}:${port}`;
  set.entries.add(`${key},${net.text}`);
  set.nets.push({ key, net });
}

/** `-m set --match-set NAME dirs` for a packet. */
export function setMatches(set: IpSet, dirs: string, p: WalkPacket): boolean {
  const pick = (d: string) => (d === 'src' ? p.src : p.dst);
  const d = dirs.split(',');
  switch (set.type) {
    case 'hash:ip': return set.entries.has(pick(d[0]));
    case 'bitmap:port': return set.entries.has(String(d[0] === 'src' ? p.sport : p.dport));
    case 'hash:ip,port': return set.entries.has(`${pick(d[0])},${p.proto}:${d[1] === 'src' ? p.sport : p.dport}`);
    case 'hash:ip,port,ip': return set.entries.has(`${pick(d[0])},${p.proto}:${d[1] === 'src' ? p.sport : p.dport},${pick(d[2])}`);
    case 'hash:ip,port,net': {
      const key = `${pick(d[0])},${p.proto}:${d[1] === 'src' ? p.sport : p.dport}`;
      const ip = pick(d[2]);
      return set.nets.some((n) => n.key === key && cidrContains(n.net, ip));
    }
  }
}
