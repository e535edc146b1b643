// `ipvsadm -Ln` for one node: the header lines ipvsadm prints, then each virtual service
// ("TCP  10.96.0.10:53 rr" with " persistent N" for session affinity) and its real servers
// ("  -> %-28s %-7s %-6d %-10u %-10u", trailing spaces included, as printf leaves them).
// ipvsadm sorts services by protocol, address and port, and real servers by address and port.
// Counters are those of a freshly synced node, 0, unless the node's runtime state was given
// (runtime.ts): then its weights and ActiveConn / InActConn.
import { hostPort } from '../../net/ip';
import type { IpvsNode } from './build';
import type { IpvsRuntime } from './runtime';

export const IPVS_HEADER = [
  'IP Virtual Server version 1.2.1 (size=4096)',
  'Prot LocalAddress:Port Scheduler Flags',
  '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
];

export function renderIpvsadm(n: IpvsNode, runtime?: IpvsRuntime): string {
  const out = [...IPVS_HEADER];
  for (const vs of n.sorted()) {
    let line = `${vs.protocol}  ${hostPort(vs.vip, vs.port)} ${vs.scheduler}`;
    if (vs.persistent !== undefined) line += ` persistent ${vs.persistent}`;
    out.push(line);
    const rt = runtime?.get(vs.key);
    for (const rs of vs.reals) {
      const g = rt?.get(hostPort(rs.ip, rs.port));
      out.push(`  -> ${hostPort(rs.ip, rs.port).padEnd(28)} ${'Masq'.padEnd(7)} ${String(g?.weight ?? rs.weight).padEnd(6)} ${String(g?.active ?? 0).padEnd(10)} ${String(g?.inactive ?? 0).padEnd(10)}`);
    }
  }
  return out.join('\n') + '\n';
}
