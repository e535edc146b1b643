import { hostPort } from './ip';
import type { PacketView } from './trace';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** An L4 packet as the data plane sees it. Immutable: NAT makes a new one. */
export interface Packet {
  readonly proto: Protocol;
  readonly src: string;
  readonly sport: number;
  readonly dst: string;
  readonly dport: number;
}

export function view(p: Packet, outer?: PacketView['outer']): PacketView {
  const v: PacketView = { src: hostPort(p.src, p.sport), dst: hostPort(p.dst, p.dport), proto: p.proto };
  if (outer) v.outer = outer;
  return v;
}

export function isProtocol(s: string): s is Protocol {
  return s === 'TCP' || s === 'UDP' || s === 'SCTP';
}
