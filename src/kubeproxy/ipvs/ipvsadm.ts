// `ipvsadm -Ln` for one node: the header lines ipvsadm prints, then each virtual service
// ("TCP  10.96.0.10:53 rr" with " persistent N" for session affinity) and its real servers
// ("  -> %-28s %-7s %-6d %-10u %-10u", trailing spaces included, as printf leaves them).
// ipvsadm sorts services by protocol, address and port, and real servers by address and port.
// Counters are those of a freshly synced node: 0 (netspec lists the ruleset, not traffic).
import { hostPort } from '../../net/ip';
import type { IpvsNode } from './build';

export const IPVS_HEADER = [
  'IP Virtual Server version 1.2.1 (size=4096)',
  'Prot LocalAddress:Port Scheduler Flags',
  '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
];

export function renderIpvsadm(n: IpvsNode): string {
  const out = [...IPVS_HEADER];
  for (const vs of n.sorted()) {
    let line = `${vs.protocol}  ${hostPort(vs.vip, vs.port)} ${vs.scheduler}`;
    if (vs.persistent !== undefined) line += ` persistent ${vs.persistent}`;
    out.push(line);
    for (const rs of vs.reals) {
      out.push(`  -> ${hostPort(rs.ip, rs.port).padEnd(28)} ${'Masq'.padEnd(7)} ${String(rs.weight).padEnd(6)} ${'0'.padEnd(10)} ${'0'.padEnd(10)}`);
    }
  }
  return out.join('\n') + '\n';
}
