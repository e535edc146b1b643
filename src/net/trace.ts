// The trace: one vocabulary for every module (design §6). A hop says where something happened,
// what happened, in one human sentence, which object or rule decided, and the packet at that point.

/** A position in an input file. */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

/** The object or rule that decided a hop. */
export interface Decider {
  /** e.g. "Service shop/web", "iptables nat KUBE-SVC-XXXX rule 2", "Corefile line 4" */
  what: string;
  /** where it came from, when it came from a manifest */
  pos?: SourcePos;
}

export type Action =
  | 'send' | 'forward' | 'bridge' | 'veth' | 'loopback' | 'encapsulate' | 'decapsulate' | 'route'
  | 'dnat' | 'snat' | 'masquerade' | 'unnat' | 'deliver' | 'refuse' | 'reject' | 'drop' | 'unreachable'
  | 'allow' | 'deny' | 'query' | 'answer' | 'match' | 'jump' | 'return' | 'accept' | 'resolve'
  | 'probe' | 'restart' | 'reply' | 'note' | 'pass';

export interface PacketView {
  src: string; // ip:port
  dst: string; // ip:port
  proto?: string;
  /** outer header when encapsulated */
  outer?: { src: string; dst: string; proto: string };
}

/** Which policy rule a policy hop is about (src/policy): tier, policy, direction, rule index and name. */
export interface PolicyRef {
  tier: 'Admin' | 'NetworkPolicy' | 'Baseline';
  kind: string;
  name: string;
  namespace?: string;
  direction: 'ingress' | 'egress';
  /** 0-based index in spec.ingress / spec.egress; absent when no rule matched */
  rule?: number;
  ruleName?: string;
  /** allow, deny or pass */
  action: 'allow' | 'deny' | 'pass';
}

export interface Hop {
  at: string;
  action: Action;
  detail: string;
  packet?: PacketView;
  source?: Decider;
  /** policy hops: the tier, policy and rule that decided */
  policy?: PolicyRef;
}

export function formatPos(p?: SourcePos): string {
  return p ? `${p.file}:${p.line}:${p.col}` : '';
}

export function formatDecider(d?: Decider): string {
  if (!d) return '';
  return d.pos ? `${d.what} (${formatPos(d.pos)})` : d.what;
}

/** One line a hop, aligned, as a failing step prints it. */
export function renderHops(hops: readonly Hop[]): string {
  const lines: string[] = [];
  hops.forEach((h, i) => {
    let line = `${String(i + 1).padStart(3)}. ${h.action.padEnd(11)} ${h.at}: ${h.detail}`;
    if (h.packet) {
      line += `  [${h.packet.proto ? h.packet.proto + ' ' : ''}${h.packet.src} → ${h.packet.dst}`;
      if (h.packet.outer) line += ` in ${h.packet.outer.proto} ${h.packet.outer.src} → ${h.packet.outer.dst}`;
      line += ']';
    }
    if (h.source) line += `  ← ${formatDecider(h.source)}`;
    lines.push(line);
  });
  return lines.join('\n');
}
