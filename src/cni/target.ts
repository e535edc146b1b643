// The connect query as users write it: a source ("NS/POD", "node/NAME", "external:IP" or an
// Endpoint) and a target (an IP, "NS/POD", "node/NAME", "localhost", a name). Misuse (an unknown
// pod, a bad port) is an InputError; everything else is an answer with a trace.
import { InputErrors, type InputError } from '../model/errors';
import { closest } from '../model/suggest';
import { unschedulableMessage, type Realised, type RPod } from '../model/realised';
import { posOf } from '../model/types';
import { canonicalIP, intToIpv4, ipv4ToInt, isIP } from '../net/ip';
import { isProtocol, type Protocol } from '../net/packet';
import type { Hop } from '../net/trace';
import type { ConnectResult, Endpoint, NetfilterHooks } from './types';
import { connect } from './walk';

export interface ConnectQuery {
  /** "NS/POD", "node/NAME", "external:IP", or an Endpoint */
  from: string | Endpoint;
  /** an IP, "NS/POD", "node/NAME", "localhost", or a DNS name (needs a NameResolver) */
  to: string;
  port: number;
  protocol?: Protocol | string;
  /** node the network hands traffic for an external client to */
  via?: string;
  seed?: number;
  sport?: number;
  /** the source container (pod sources; default: the pod's first container) */
  container?: string;
}

/**
 * Resolves a DNS name as the source would (its resolv.conf, the cluster DNS…). `ip: null` means
 * the name did not resolve; `hops` say how it went either way. The DNS module provides one.
 */
export type NameResolver = (realised: Realised, from: Endpoint, name: string) => { ip: string | null; hops: Hop[] };

export interface ResolvedTarget {
  /** null when the target has no address (a pod without an IP, a name that did not resolve) */
  ip: string | null;
  hops: Hop[];
  /** the pod the target named, when it named one */
  pod?: RPod;
}

const NO_HOPS: Hop[] = [];
Object.freeze(NO_HOPS);

function fail(code: string, message: string, hint: string): never {
  const e: InputError = { code, message, hint };
  throw new InputErrors([e]);
}

/** True when a valid dotted quad has no leading zeros (then it is its own canonical text). */
function canonicalV4(s: string): boolean {
  for (let i = 0; i < s.length - 1; i++) {
    if (s.charCodeAt(i) === 48 && (i === 0 || s.charCodeAt(i - 1) === 46) && s.charCodeAt(i + 1) !== 46) return false;
  }
  return true;
}

/** Canonical text of an IP literal, or null when `s` is not one. */
export function ipLiteral(s: string): string | null {
  const n = ipv4ToInt(s);
  if (n >= 0) return canonicalV4(s) ? s : intToIpv4(n);
  if (s.indexOf(':') >= 0 && isIP(s)) return canonicalIP(s);
  return null;
}

/** The hint for an unknown NS/POD: the closest pod names of its namespace (edit distance). */
export function nearPods(realised: Realised, key: string): string {
  const ns = key.split('/')[0];
  const near = closest(key.slice(ns.length + 1), realised.pods.filter((p) => p.ns === ns).map((p) => p.name), 3);
  if (near.length === 0) return `namespace ${ns} has no pods`;
  return `closest pods in ${ns}: ${near.map((n) => `${ns}/${n}`).join(', ')}`;
}

function podByKey(realised: Realised, key: string, role: string): RPod {
  const pod = realised.podByKey.get(key);
  if (!pod) fail('NS-CONNECT-UNKNOWN-POD', `${role}: no pod ${key}`, nearPods(realised, key));
  return pod;
}

/** The hint for an unknown node: the closest node names (edit distance). */
function nodeNames(realised: Realised, name: string): string {
  const near = closest(name, realised.nodes.map((n) => n.name), 3);
  return near.length ? `closest nodes: ${near.join(', ')}` : 'the cluster has no nodes';
}

/** "NS/POD" | "node/NAME" | "external:IP" → an Endpoint. */
export function parseSource(realised: Realised, text: string): Endpoint {
  // the common case first: a pod's key (pod keys are NS/NAME, names without "/" or spaces)
  if (!text.startsWith('node/')) {
    const pod = realised.podByKey.get(text);
    if (pod) return { kind: 'pod', pod };
  }
  if (text.startsWith('external:')) {
    const ip = ipLiteral(text.slice('external:'.length));
    if (!ip) fail('NS-CONNECT-SOURCE', `source "${text}": "${text.slice(9)}" is not an IP address`, 'write external:IP, e.g. external:203.0.113.7');
    return { kind: 'external', ip };
  }
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(text);
  if (!m) fail('NS-CONNECT-SOURCE', `source "${text}" is not NS/POD, node/NAME or external:IP`, 'e.g. shop/client, node/node-a or external:203.0.113.7');
  if (m[1] === 'node') {
    const node = realised.nodeByName.get(m[2]);
    if (node) return { kind: 'node', node };
    // a namespace may be called "node": fall back to a pod of that name
    if (!realised.podByKey.has(text)) fail('NS-CONNECT-UNKNOWN-NODE', `source: no node ${m[2]}`, nodeNames(realised, m[2]));
  }
  return { kind: 'pod', pod: podByKey(realised, text, 'source') };
}

/** The address a target names, as seen from `from`. DNS names go to `resolveName`. */
export function resolveTarget(realised: Realised, from: Endpoint, to: string, resolveName?: NameResolver): ResolvedTarget {
  const lit = ipLiteral(to);
  if (lit) return { ip: lit, hops: NO_HOPS };
  if (to === 'localhost') {
    if (from.kind === 'external') fail('NS-CONNECT-TARGET', 'target "localhost" from an external client names the client itself', 'give an IP, NS/POD or node/NAME');
    const at = from.kind === 'pod' ? `pod/${from.pod.key}` : `node/${from.node.name}`;
    const file = from.kind === 'pod' && !from.pod.hostNetwork ? "the pod's /etc/hosts (written by the kubelet)" : "the node's /etc/hosts";
    return { ip: '127.0.0.1', hops: [{ at, action: 'resolve', detail: `localhost → 127.0.0.1 (${file})` }] };
  }
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(to);
  if (m) {
    if (m[1] === 'node' && realised.nodeByName.has(m[2])) {
      const node = realised.nodeByName.get(m[2])!;
      return { ip: node.ip, hops: NO_HOPS };
    }
    const pod = podByKey(realised, to, 'target');
    if (!pod.ip) {
      return {
        ip: null, pod,
        hops: [{ at: `pod/${pod.key}`, action: 'unreachable', detail: `${pod.key} has no IP (phase ${pod.phase}${pod.node ? '' : unschedulableMessage(pod) ? `, not scheduled — the scheduler: "${unschedulableMessage(pod)}"` : ', not scheduled'}${pod.obj.status?.podIP === undefined && pod.obj.status?.phase === 'Pending' ? ', and its status has no podIP yet' : ''}): there is no address to connect to`, source: { what: `Pod ${pod.key}`, pos: posOf(pod.obj) } }],
      };
    }
    return { ip: pod.ip, hops: NO_HOPS, pod };
  }
  // the pod's own hostname is in its /etc/hosts (the kubelet writes it)
  if (from.kind === 'pod' && !from.pod.hostNetwork && from.pod.ip && to === from.pod.hostname) {
    return { ip: from.pod.ip, hops: [{ at: `pod/${from.pod.key}`, action: 'resolve', detail: `${to} → ${from.pod.ip} (the pod's own hostname, in its /etc/hosts)` }] };
  }
  if (resolveName) return resolveName(realised, from, to);
  return fail('NS-CONNECT-TARGET', `target "${to}" is not an IP, NS/POD or node/NAME, and DNS names are not resolved here`, 'give an IP, NS/POD or node/NAME');
}

/** Validates a query, resolves its source and target, and walks the connection. */
export function connectQuery(realised: Realised, q: ConnectQuery, hooks?: NetfilterHooks, resolveName?: NameResolver): ConnectResult {
  const errors: InputError[] = [];
  if (!Number.isInteger(q.port) || q.port < 1 || q.port > 65535) {
    errors.push({ code: 'NS-CONNECT-PORT', message: `port ${q.port} is not a port number`, hint: 'a whole number from 1 to 65535' });
  }
  const protocol = q.protocol === undefined ? 'TCP' : isProtocol(q.protocol) ? q.protocol : String(q.protocol).toUpperCase();
  if (!isProtocol(protocol)) errors.push({ code: 'NS-CONNECT-PROTOCOL', message: `protocol "${q.protocol}" is not TCP, UDP or SCTP`, hint: 'TCP, UDP or SCTP' });
  if (q.via !== undefined && !realised.nodeByName.has(q.via)) {
    errors.push({ code: 'NS-CONNECT-UNKNOWN-NODE', message: `via: no node ${q.via}`, hint: nodeNames(realised, q.via) });
  }
  if (errors.length) throw new InputErrors(errors);
  let from = typeof q.from === 'string' ? parseSource(realised, q.from) : q.from;
  if (q.container !== undefined) {
    if (from.kind !== 'pod') fail('NS-CONNECT-SOURCE', `a container (${q.container}) only applies to a pod source`, 'drop the container or give NS/POD');
    if (!from.pod.containers.includes(q.container)) {
      fail('NS-CONNECT-UNKNOWN-CONTAINER', `pod ${from.pod.key} has no container ${q.container}`, `its containers: ${from.pod.containers.join(', ') || 'none'}`);
    }
    from = { kind: 'pod', pod: from.pod, container: q.container };
  }
  const target = resolveTarget(realised, from, q.to, resolveName);
  if (target.ip === null) {
    return { verdict: 'unreachable', delivered: null, nat: [], reply: null, hops: target.hops, encapsulated: false };
  }
  const res = connect(realised, { from, to: target.ip, port: q.port, protocol: protocol as Protocol, via: q.via, seed: q.seed, sport: q.sport }, hooks);
  if (target.hops.length) res.hops.unshift(...target.hops);
  return res;
}
