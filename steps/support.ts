// What the step files share. A helper module: it defines no steps and no parameter types.
// - words of step texts: lists, labels, selectors
// - the one shape of a failed expectation: what was asked, expected, actual, then what explains it
// - objects by name (declared by a step, or in the realised cluster), failing with the near names
// - the scenario's last connection, which the connectivity and the Services steps both make and read
import { renderConnect, type ConnectQuery, type ConnectResult, type NatEntry } from '../src/cni';
import { formatError, InputErrors, type InputError, type Warning } from '../src/model/errors';
import { parseRole, representative, rolePods, type RolePods } from '../src/roles';
import type { RNode, RPod } from '../src/model/realised';
import { parseSelectorString, SelectorError, type CompiledSelector } from '../src/model/selector';
import type { KObject } from '../src/model/types';
import type { NetspecWorld } from './world';
import { closestList } from '../src/model/suggest';

// ---- words in step texts -----------------------------------------------------------------------

/** "a, b and c" (or "a,b") → ['a', 'b', 'c'] */
export function listOf(text: string): string[] {
  return text.split(/,\s*|\s+and\s+/).map((x) => x.trim()).filter(Boolean);
}

/** "app=web,tier=front" → { app: 'web', tier: 'front' } */
export function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const p = part.trim();
    if (!p) continue;
    const eq = p.indexOf('=');
    if (eq <= 0) throw new Error(`labels are written key=value[,key=value] (got "${text}")`);
    out[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
  }
  return out;
}

/** A label selector in kubectl's -l syntax; a bad one fails the step naming it. */
export function parseSelector(text: string): CompiledSelector {
  try { return parseSelectorString(text); } catch (e) {
    if (e instanceof SelectorError) throw new Error(`bad selector "${text}": ${e.message}`);
    throw e;
  }
}

// ---- failures ----------------------------------------------------------------------------------

/** A failed expectation: the subject, expected vs actual, then (after a blank line) what explains it. */
export function mismatch(subject: string, expected: string, actual: string, explanation?: string): Error {
  return new Error(`${subject}\n  expected: ${expected}\n  actual:   ${actual}${explanation ? `\n\n${explanation}` : ''}`);
}

/**
 * Finds `want` in `lines` in order (other lines may come between); the first wanted line that is
 * not found, or null when all are.
 */
export function missingInOrder(lines: readonly string[], want: readonly string[], same = (a: string, b: string) => a === b): string | null {
  let i = 0;
  for (const l of lines) if (i < want.length && same(l, want[i])) i++;
  return i < want.length ? want[i] : null;
}

/** Input errors or warnings one under the other, each indented by `pad`. */
export function diagnosticsText(list: readonly (InputError | Warning)[], pad = '  '): string {
  return list.map((e) => pad + formatError(e)).join('\n');
}

/** Lines indented by four spaces (multi-line values under "expected:" / "actual:"). */
export function indent(s: string): string {
  return s.split('\n').map((l) => `    ${l}`).join('\n');
}

// ---- objects by name ---------------------------------------------------------------------------

/** An object a step declared (`why` is added to the error when there is none). */
export function declared(world: NetspecWorld, kind: string, ns: string, name: string, why = ''): KObject {
  const o = world.objects.find((x) => x.kind === kind && x.metadata.name === name && (x.metadata.namespace ?? 'default') === ns);
  if (!o) throw new Error(`${kind.toLowerCase()} ${ns}/${name} was not declared by a step${why}`);
  return o;
}

/** Changes an object a step declared, in place; the cluster is realised again on the next query. */
export function editDeclared(world: NetspecWorld, kind: string, ns: string, name: string, edit: (obj: KObject) => void, why = ''): void {
  edit(declared(world, kind, ns, name, why));
  world.invalidate();
}

/** Removes an object a step declared (as if deleted through the API). */
export function removeDeclared(world: NetspecWorld, kind: string, ns: string, name: string): void {
  const o = declared(world, kind, ns, name);
  world.objects.splice(world.objects.indexOf(o), 1);
  world.invalidate();
}

/** The first few names for an error message: "a, b, c, …" or "none" (clusters can be large). */

export function realNode(world: NetspecWorld, name: string): RNode {
  const r = world.cluster.realised;
  const n = r.nodeByName.get(name);
  if (!n) throw new Error(`no node ${name} (closest nodes: ${closestList(name, r.nodes.map((x) => x.name))})`);
  return n;
}

/** A pod of the realised cluster by "NS/NAME". */
export function realPod(world: NetspecWorld, key: string): RPod {
  const r = world.cluster.realised;
  const p = r.podByKey.get(key);
  if (!p) {
    const ns = key.split('/')[0];
    throw new Error(`no pod ${key} (closest pods in ${ns}: ${closestList(key.slice(ns.length + 1), r.pods.filter((x) => x.ns === ns).map((x) => x.name))})`);
  }
  return p;
}

// ---- by role (src/roles) ----------------------------------------------------------------------------

/** Runs a src/roles lookup, turning its InputErrors (closest names in the hint) into a failed step. */
function byRole<T>(f: () => T): T {
  try { return f(); } catch (e) {
    if (e instanceof InputErrors) throw new Error(e.errors.map((x) => `${x.message} (${x.hint})`).join('; '));
    throw e;
  }
}

/** The pods a reference names (NS/deployment/NAME, NS/svc/NAME, NS/-l SELECTOR…); naming none fails the step. */
export function podsByRole(world: NetspecWorld, text: string): RolePods {
  const rp = byRole(() => rolePods(world.cluster.realised, parseRole(text)!));
  if (!rp.pods.length) throw new Error(`${rp.what} has no pods: nothing to check`);
  return rp;
}

/** The representative pod's key ("a pod of X": the first ready one in name order). */
export function representativePod(world: NetspecWorld, text: string): string {
  return byRole(() => representative(rolePods(world.cluster.realised, parseRole(text)!)).pod.key);
}

/** A Service's cluster IPs ('cluster'), or the IPs of the pods a reference names ('pods'), sorted. */
export function roleAddresses(world: NetspecWorld, text: string, which: 'cluster' | 'pods'): string[] {
  const rp = byRole(() => rolePods(world.cluster.realised, parseRole(text)!));
  if (which === 'cluster') {
    if (!rp.service?.clusterIPs.length) throw new Error(`${rp.what} has no cluster IP${rp.service?.headless ? ' (it is headless)' : ''}`);
    return rp.service.clusterIPs.slice().sort();
  }
  const ips = rp.pods.filter((p) => p.ip).map((p) => p.ip).sort();
  if (!ips.length) throw new Error(`${rp.what} has no pod with an IP: nothing to compare with`);
  return ips;
}

// ---- the last connection -----------------------------------------------------------------------

export interface LastConnect {
  query: ConnectQuery;
  label: string;
  result: ConnectResult;
  /** the client's own address (source pod, node or external IP), for source assertions */
  clientIP: string | null;
}

export function describeConnect(q: ConnectQuery): string {
  const from = typeof q.from === 'string' ? q.from : q.from.kind;
  return `${from}${q.container ? ` (container ${q.container})` : ''} → ${q.to} ${q.protocol ?? 'TCP'} port ${q.port}${q.via ? ` via ${q.via}` : ''}`;
}

/** Makes `result` the scenario's last connection, the one the "Then the connection …" steps check. */
export function rememberConnect(world: NetspecWorld, query: ConnectQuery, result: ConnectResult, label = describeConnect(query)): LastConnect {
  const r = world.cluster.realised;
  let clientIP: string | null = null;
  if (typeof query.from === 'string') {
    if (query.from.startsWith('external:')) clientIP = query.from.slice('external:'.length);
    else if (query.from.startsWith('node/')) clientIP = r.nodeByName.get(query.from.slice('node/'.length))?.ip ?? null;
    else clientIP = r.podByKey.get(query.from)?.ip ?? null;
  }
  const l: LastConnect = { query, label, result, clientIP };
  world.last.connect = l;
  world.last.connectTouched = true;
  return l;
}

/** Connects, remembers the result as the last connection and attaches its trace to the report. */
export function connectAndRemember(world: NetspecWorld, q: ConnectQuery): LastConnect {
  const l = rememberConnect(world, q, world.cluster.connect(q));
  world.attachTrace(`connect ${l.label}: ${l.result.verdict}`, l.result.hops);
  return l;
}

export function lastConnect(world: NetspecWorld): LastConnect {
  const l = world.last.connect as LastConnect | undefined;
  if (!l) throw new Error('no connection was made in this scenario yet (use a "When … connects to …" step first)');
  // the step is about this connection: steps/pictures.ts draws it when the step fails
  world.last.connectTouched = true;
  return l;
}

/** Fails with expected vs actual and the whole trace of the last connection. */
export function failConnect(l: LastConnect, expected: string, actual: string): never {
  throw mismatch(`connect ${l.label}`, expected, actual, renderConnect(l.result));
}

/** "10.0.0.1:80", "[fd00::1]:80" (as hostPort writes them) or a bare address → the address alone. */
export function hostOf(hostPort: string): string {
  const v6 = /^\[(.*)\](?::\d+)?$/.exec(hostPort);
  if (v6) return v6[1];
  return hostPort.indexOf(':') === hostPort.lastIndexOf(':') ? hostPort.replace(/:\d+$/, '') : hostPort;
}

/** "DNAT 10.96.0.20:80 → 10.244.1.5:8080 by kube-proxy; …", or `none` for an empty list. */
export function natText(nat: readonly NatEntry[], none = 'no NAT'): string {
  return nat.length ? nat.map((n) => `${n.kind} ${n.before} → ${n.after} by ${n.by}`).join('; ') : none;
}
