// What several commands share: loading the cluster from -f, naming pods and nodes, printing.
import { readFileSync } from 'node:fs';
import { Cluster } from '../cluster';
import { upstreamsFrom, type Upstreams } from '../dns';
import { canonicalIP, isIP } from '../net/ip';
import { InputErrors } from '../model/errors';
import { formatError } from '../model/errors';
import type { InputSource } from '../manifests';
import type { RNode, RPod } from '../model/realised';
import { UsageError, one, required, type Parsed } from './args';
import { parseDuration, parseScript, type Script } from '../probes';
import type { IO } from './main';
import { parseRole, podOrWorkload, representative, rolePods } from '../roles';
import { closest } from '../model/suggest';

/** Loads every -f source; bad input throws InputErrors (main prints them and exits 2). */
export function loadFromFlags(p: Parsed, io: IO): Cluster {
  const files = p.flags.get('filename') ?? [];
  if (files.length === 0) throw new UsageError('at least one -f/--filename is required (a file, a directory, or - for stdin)');
  // -n NS puts namespace-less objects where `kubectl apply -n NS` would
  const namespace = p.flags.get('namespace')?.[0];
  const sources: InputSource[] = files.map((path) => (namespace ? { path, namespace } : { path }));
  const at = durationFlag(p, 'at');
  const script = scriptFlag(p);
  if (script && at === undefined && !p.flags.has('until')) throw new UsageError('--script needs --at DURATION (the moment to look at)');
  const cluster = Cluster.load(sources);
  for (const w of cluster.warnings) io.err(formatError(w, 'warning'));
  // --at: the cluster as the kubelet and the controllers leave it at that moment
  if (at === undefined) return cluster;
  const tl = cluster.timeline({ until: at, script });
  for (const w of tl.warnings) io.err(formatError(w, 'warning'));
  return tl.at(at);
}

/** --NAME DURATION (90s, 2m30s, or seconds) in ms. */
export function durationFlag(p: Parsed, name: string): number | undefined {
  const v = one(p, name);
  if (v === undefined) return undefined;
  const ms = parseDuration(/^\d+(\.\d+)?$/.test(v) ? Number(v) : v);
  if (ms === undefined) throw new UsageError(`--${name} takes a duration like 90s, 2m or 1m30s (got "${v}")`);
  return ms;
}

/** --script FILE: parsed; its errors are located input errors (exit 2). */
export function scriptFlag(p: Parsed): Script | undefined {
  const file = one(p, 'script');
  if (file === undefined) return undefined;
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) { throw new UsageError(`--script ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`); }
  const { script, errors } = parseScript(text, file);
  if (errors.length) throw new InputErrors(errors);
  return script;
}

/** NS/POD (or a workload, svc/NAME or selector: its representative pod) → the pod, or a usage error that lists near names. */
export function podArg(cluster: Cluster, text: string, flag: string, ns?: string): RPod {
  const ref = podOrWorkload(cluster.realised, parseRole(text, ns));
  if (ref && ref.kind !== 'pod') return representative(rolePods(cluster.realised, ref)).pod;
  const m = /^([^/]+)\/([^/]+)$/.exec(text);
  if (!m) throw new UsageError(`${flag} takes NS/POD (got "${text}")`);
  const pod = cluster.realised.podByKey.get(text);
  if (!pod) {
    const inNs = closest(m[2], cluster.realised.pods.filter((p) => p.ns === m[1]).map((p) => p.name), 3).map((n) => `${m[1]}/${n}`);
    throw new UsageError(`no pod ${text}${inNs.length ? ` (closest pods in ${m[1]}: ${inNs.join(', ')}; or name a workload: ${m[1]}/deployment/NAME)` : ` (namespace ${m[1]} has no pods)`}`);
  }
  return pod;
}

/** --node NAME → the node, or a usage error that lists the cluster's nodes. */
export function nodeArg(cluster: Cluster, name: string): RNode {
  const r = cluster.realised;
  const node = r.nodeByName.get(name);
  if (!node) {
    const names = r.nodes.slice(0, 8).map((n) => n.name);
    throw new UsageError(`no node "${name}" (${names.length ? `nodes: ${names.join(', ')}${r.nodes.length > 8 ? ', …' : ''}` : 'the cluster has no nodes'})`);
  }
  return node;
}

/** The commands about one pod: --pod is required (checked before loading), then -f, then the pod. */
export function loadWithPod(p: Parsed, io: IO): { cluster: Cluster; pod: RPod } {
  const text = required(p, 'pod');
  const cluster = loadFromFlags(p, io);
  return { cluster, pod: podArg(cluster, text, '--pod') };
}

/** The commands about one node: --node is required (checked before loading), then -f, then the node. */
export function loadWithNode(p: Parsed, io: IO): { cluster: Cluster; node: RNode } {
  const name = required(p, 'node');
  const cluster = loadFromFlags(p, io);
  return { cluster, node: nodeArg(cluster, name) };
}

/** Stable JSON for -o json. */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** --upstream IP=ZONEFILE (repeatable): upstream DNS servers as zone-file fixtures, never the network. */
/** The --ipvs-state NODE=FILE flag's spec and usage line (connect, ipvsadm). */
export const IPVS_STATE_FLAG = { name: 'ipvs-state', value: true, repeat: true } as const;
export const IPVS_STATE_USAGE = '  --ipvs-state NODE=FILE  ipvs mode: the runtime state of NODE\'s IPVS table (YAML keyed as ipvsadm -Ln lists it: ActiveConn,\n                         InActConn and weight per real server); lc/wlc/sed/nq count them, weight 0 takes no new connection (repeatable)';

/** --ipvs-state NODE=FILE…: applied to the cluster; located NS-IPVS-STATE errors (exit 2). */
export function applyIpvsState(p: Parsed, cluster: Cluster): void {
  const errors = [];
  for (const v of p.flags.get('ipvs-state') ?? []) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`--ipvs-state takes NODE=FILE (got "${v}")`);
    const node = v.slice(0, eq), file = v.slice(eq + 1);
    let text: string;
    try { text = readFileSync(file, 'utf8'); } catch (e) { throw new UsageError(`--ipvs-state ${v}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`); }
    errors.push(...cluster.setIpvsState(node, text, file));
  }
  if (errors.length) throw new InputErrors(errors);
}

export function upstreamFlags(p: Parsed): Upstreams | undefined {
  const fixtures: { server: string; text: string; file: string }[] = [];
  for (const u of p.flags.get('upstream') ?? []) {
    const eq = u.indexOf('=');
    if (eq <= 0) throw new UsageError(`--upstream takes IP=ZONEFILE (got "${u}")`);
    const ip = u.slice(0, eq), file = u.slice(eq + 1);
    if (!isIP(ip)) throw new UsageError(`--upstream ${u}: "${ip}" is not an IP address`);
    let text: string;
    try { text = readFileSync(file, 'utf8'); } catch (e) { throw new UsageError(`--upstream ${u}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`); }
    fixtures.push({ server: canonicalIP(ip), text, file });
  }
  if (!fixtures.length) return undefined;
  const { upstreams, errors } = upstreamsFrom(fixtures);
  if (errors.length) throw new InputErrors(errors);
  return upstreams;
}
