// The six chains every service port adds rules to (nat KUBE-SERVICES and KUBE-NODEPORTS; filter
// KUBE-SERVICES, KUBE-EXTERNAL-SERVICES, KUBE-PROXY-FIREWALL and KUBE-NODEPORTS), assembled for one
// node without copying the cluster's rules into it.
//
// A node's chain is the service ports' rules in service-port order (plus, for nat KUBE-SERVICES,
// the node-port tail). Most service ports write the same rules on every node, so their rules are
// indexed once for the cluster (keyed by destination, protocol and port, as the walk looks them
// up); a node adds only the rules of its own service ports (traffic policy Local, source ranges)
// and its tail. A walk asks the chain for the rules that can match a packet, in chain order;
// `rules` (iptables-save, counts, the unindexed walk) is the whole chain, built when first read.
import type { Rule, TableName } from './rules';

/** How the walk's index files a rule: by destination+protocol+port, by protocol+port, or neither. */
export type IndexKey = { k: 'dst'; key: string } | { k: 'port'; key: string } | { k: 'wild' };

export function indexKey(r: Rule): IndexKey {
  let port: number | undefined;
  for (const m of r.matches) if (m.m === 'l4') { port = m.dport; break; }
  if (!r.proto || port === undefined) return { k: 'wild' };
  if (!r.dst) return { k: 'port', key: `${r.proto}|${port}` };
  const full = !r.dst.neg && r.dst.cidr.prefix === (r.dst.cidr.family === 4 ? 32 : 128);
  if (!full) return { k: 'wild' };
  const t = r.dst.cidr.text;
  return { k: 'dst', key: `${t.slice(0, t.lastIndexOf('/'))}|${r.proto}|${port}` };
}

/** A rule and its place in the chain: service-port index × SLOT + position in its fragment. */
interface Entry { ord: number; rule: Rule }
const SLOT = 1 << 16;

interface EntryIndex { byDst: Map<string, Entry[]>; byPort: Map<string, Entry[]>; wild: Entry[] }

function newIndex(): EntryIndex { return { byDst: new Map(), byPort: new Map(), wild: [] }; }

function file(idx: EntryIndex, e: Entry): void {
  const k = indexKey(e.rule);
  if (k.k === 'wild') { idx.wild.push(e); return; }
  const m = k.k === 'dst' ? idx.byDst : idx.byPort;
  const l = m.get(k.key);
  if (l) l.push(e); else m.set(k.key, [e]);
}

/** The cluster-wide part of one of the six chains: the rules of every service port shared by all nodes. */
export class SharedBody {
  private readonly idx = newIndex();
  /** per service port: its shared rules, or null where each node has its own */
  constructor(readonly parts: readonly (readonly Rule[] | null)[]) {
    parts.forEach((rules, i) => rules?.forEach((rule, j) => file(this.idx, { ord: i * SLOT + j, rule })));
  }
  get index(): EntryIndex { return this.idx; }
}

const NONE: Entry[] = [];

/** One node's chain: the shared body, the node's own service ports' rules, then its tail. */
export class AssembledChain {
  readonly builtin = false;
  private all: Rule[] | null = null;
  private readonly own = newIndex();
  private readonly tail: Entry[];

  constructor(
    readonly table: TableName,
    readonly name: string,
    private readonly body: SharedBody,
    /** service-port index → this node's rules for a port the body has no shared rules for */
    private readonly ownParts: ReadonlyMap<number, readonly Rule[]>,
    tail: readonly Rule[],
  ) {
    for (const [i, rules] of ownParts) rules.forEach((rule, j) => file(this.own, { ord: i * SLOT + j, rule }));
    const base = body.parts.length * SLOT;
    this.tail = tail.map((rule, j) => ({ ord: base + j, rule }));
  }

  /** The whole chain in order (what iptables-save prints). */
  get rules(): Rule[] {
    if (this.all) return this.all;
    const out: Rule[] = [];
    this.body.parts.forEach((rules, i) => {
      const r = rules ?? this.ownParts.get(i);
      if (r) for (const x of r) out.push(x);
    });
    for (const e of this.tail) out.push(e.rule);
    return (this.all = out);
  }

  /** The rules that can match a packet to dst:dport over proto, in chain order. */
  lookup(dst: string, proto: string, dport: number): Rule[] {
    const kd = `${dst}|${proto}|${dport}`, kp = `${proto}|${dport}`;
    const b = this.body.index, o = this.own;
    return mergeInOrder([
      b.byDst.get(kd) ?? NONE, b.byPort.get(kp) ?? NONE, b.wild,
      o.byDst.get(kd) ?? NONE, o.byPort.get(kp) ?? NONE, o.wild,
      this.tail,
    ]);
  }
}

/** Merges lists each sorted by `ord` into one rule list in `ord` order. */
function mergeInOrder(lists: Entry[][]): Rule[] {
  const live = lists.filter((l) => l.length);
  if (live.length === 0) return [];
  if (live.length === 1) return live[0].map((e) => e.rule);
  const pos = live.map(() => 0);
  const out: Rule[] = [];
  for (;;) {
    let best = -1, bestOrd = Infinity;
    for (let i = 0; i < live.length; i++) {
      if (pos[i] < live[i].length && live[i][pos[i]].ord < bestOrd) { bestOrd = live[i][pos[i]].ord; best = i; }
    }
    if (best < 0) return out;
    out.push(live[best][pos[best]++].rule);
  }
}
