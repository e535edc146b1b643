// The runtime state of a node's IPVS table, given as optional input (`--ipvs-state NODE=FILE`, or a
// Gherkin doc string): per virtual server and real server, the connection counters `ipvsadm -Ln`
// shows (ActiveConn, InActConn) and the weight. They change what the kernel's schedulers choose:
//  - lc (ip_vs_lc.c) takes the real server with the least ip_vs_dest_conn_overhead(), which is
//    activeconns * 256 + inactconns; wlc (ip_vs_wlc.c) the least overhead / weight;
//  - sed (ip_vs_sed.c) the least (activeconns + 1) / weight; nq (ip_vs_nq.c) the first real server
//    with no active connection, else as sed;
//  - a real server of weight 0 is quiesced: every scheduler skips it, so it takes no new
//    connection (kube-proxy's graceful termination sets weight 0 on a real server whose endpoint
//    went away and removes it once its connections are gone; kube-proxy also sets
//    net/ipv4/vs/expire_quiescent_template=1, so a persistence template to it expires).
// The file is YAML keyed as `ipvsadm -Ln` prints the table:
//   TCP 10.96.0.10:80:
//     10.244.1.5:8080: {activeConn: 12, inActConn: 40}
//     10.244.2.7:8080: {weight: 0}
// Every mistake is a located NS-IPVS-STATE error, all at once.
import { LineCounter, parseDocument, isMap, isScalar, isPair, type Document } from 'yaml';
import type { InputError } from '../../model/errors';
import type { SourcePos } from '../../net/trace';
import { canonicalIP, hostPort, isIP } from '../../net/ip';
import type { RealServer, VirtualServer } from './build';

/** A node's IPVS tables (both families) as the parser needs them. */
export interface IpvsTables extends Iterable<VirtualServer> { lookup(protocol: string, vip: string, port: number): VirtualServer | undefined }

export interface RealServerRuntime {
  /** ActiveConn: established connections the table holds */
  active: number;
  /** InActConn: connections in other states (TIME_WAIT, FIN_WAIT…) */
  inactive: number;
  /** the weight ipvsadm shows (absent: the one kube-proxy wrote, 1) */
  weight?: number;
}

/** virtual server key (vsKey) → real server "ip:port" (rsKey) → its runtime state */
export type IpvsRuntime = Map<string, Map<string, RealServerRuntime>>;

const FIELDS = new Set(['activeConn', 'inActConn', 'weight']);
const HINT = 'write it as `ipvsadm -Ln` lists the table: "TCP 10.96.0.10:80:" then "10.244.1.5:8080: {activeConn: 3, inActConn: 10, weight: 1}"';

/** "10.96.0.10:80" or "[fd00::a]:80" → [ip, port], or null. */
function splitHostPort(s: string): [string, number] | null {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(s) ?? /^([^:\]]+):(\d+)$/.exec(s);
  if (!m || !isIP(m[1])) return null;
  const port = Number(m[2]);
  return port >= 1 && port <= 65535 ? [canonicalIP(m[1]), port] : null;
}

/**
 * Parses the runtime state of `node`'s IPVS table `n` from `text` (file `file`): every virtual
 * server and real server it names must be in the table kube-proxy programmed.
 */
export function parseIpvsRuntime(text: string, file: string, node: string, n: IpvsTables, lineOffset = 0, colOffset = 0): { runtime: IpvsRuntime; errors: InputError[] } {
  const lines = new LineCounter();
  const errors: InputError[] = [];
  const runtime: IpvsRuntime = new Map();
  const doc: Document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const posAt = (offset: number | undefined): SourcePos => { const p = lines.linePos(offset ?? 0); return { file, line: p.line + lineOffset, col: p.col + colOffset }; };
  const at = (node: any): SourcePos => posAt(node?.range?.[0]);
  const err = (message: string, pos: SourcePos, hint = HINT) => errors.push({ code: 'NS-IPVS-STATE', message, pos, hint });
  for (const e of doc.errors) err(e.message.split('\n')[0], posAt(e.pos[0]));
  if (errors.length) return { runtime, errors };
  const root: any = doc.contents;
  if (root === null || root === undefined) return { runtime, errors };
  if (!isMap(root)) { err(`the IPVS state of node ${node} is a map of virtual servers`, at(root)); return { runtime, errors }; }
  const vsList = () => [...n].map((v) => `${v.protocol} ${hostPort(v.vip, v.port)}`).join(', ') || 'none';
  for (const item of root.items) {
    if (!isPair(item)) continue;
    const k: any = item.key;
    const key = isScalar(k) ? String(k.value) : '';
    const m = /^(TCP|UDP|SCTP)\s+(\S+)$/i.exec(key.trim());
    const hp = m ? splitHostPort(m[2]) : null;
    if (!m || !hp) { err(`"${key}" is not a virtual server: write PROTOCOL ADDRESS:PORT, e.g. "TCP 10.96.0.10:80"`, at(k)); continue; }
    const vs = n.lookup(m[1].toUpperCase(), hp[0], hp[1]);
    if (!vs) { err(`node ${node} has no IPVS virtual server ${m[1].toUpperCase()} ${hostPort(hp[0], hp[1])}`, at(k), `its virtual servers: ${vsList()}`); continue; }
    const reals = new Map<string, RealServer>(vs.reals.map((r) => [hostPort(r.ip, r.port), r] as const));
    const per = new Map<string, RealServerRuntime>();
    const v: any = item.value;
    if (!isMap(v)) { err(`virtual server ${key}: a map of its real servers ("ADDRESS:PORT": {activeConn, inActConn, weight})`, at(v ?? k)); continue; }
    for (const ri of v.items) {
      if (!isPair(ri)) continue;
      const rk: any = ri.key;
      const rkey = isScalar(rk) ? String(rk.value) : '';
      const rhp = splitHostPort(rkey.trim());
      const rs = rhp ? reals.get(hostPort(rhp[0], rhp[1])) : undefined;
      if (!rs) { err(`virtual server ${key} on node ${node} has no real server "${rkey}"`, at(rk), `its real servers: ${[...reals.keys()].join(', ') || 'none (the Service has no ready endpoint)'}`); continue; }
      const rv: any = ri.value;
      if (!isMap(rv)) { err(`real server ${rkey}: a map such as {activeConn: 3, inActConn: 10, weight: 1}`, at(rv ?? rk)); continue; }
      const st: RealServerRuntime = { active: 0, inactive: 0 };
      for (const f of rv.items) {
        if (!isPair(f)) continue;
        const fk: any = f.key;
        const name = isScalar(fk) ? String(fk.value) : '';
        if (!FIELDS.has(name)) { err(`real server ${rkey}: unknown field "${name}"`, at(fk), 'the fields are activeConn, inActConn and weight (the columns of ipvsadm -Ln)'); continue; }
        const fv: any = f.value;
        const val = isScalar(fv) ? fv.value : undefined;
        const max = name === 'weight' ? 65535 : Number.MAX_SAFE_INTEGER;
        if (typeof val !== 'number' || !Number.isInteger(val) || val < 0 || val > max) {
          err(`real server ${rkey}: ${name} ${JSON.stringify(val ?? null)} is not a whole number from 0${name === 'weight' ? ' to 65535' : ''}`, at(fv ?? fk), name === 'weight' ? 'weight 0 quiesces the real server (no new connections); kube-proxy writes 1' : 'a connection count, as ipvsadm -Ln shows it');
          continue;
        }
        if (name === 'activeConn') st.active = val; else if (name === 'inActConn') st.inactive = val; else st.weight = val;
      }
      per.set(hostPort(rs.ip, rs.port), st);
    }
    runtime.set(vs.key, per);
  }
  return { runtime, errors };
}
