// The inbound sidecar's security, as Istio documents and istiod configures it:
// - PeerAuthentication: the workload's policy (selector matches, port-level mode first), else its
//   namespace's (no selector), else the mesh-wide one (root namespace, no selector), else PERMISSIVE.
//   UNSET inherits from the level above. STRICT accepts mutual TLS only; PERMISSIVE both; DISABLE
//   plaintext only. Among several matching policies at one level the oldest wins (here: file order).
// - AuthorizationPolicy, evaluated on the inbound sidecar: CUSTOM first (not modelled: skipped with
//   a warning hop), then DENY (any match denies), then ALLOW (no ALLOW policy: allowed; one matches:
//   allowed; ALLOW policies exist and none matches: denied, the implicit deny). Root-namespace
//   policies apply to every workload. Principals ("cluster.local/ns/NS/sa/SA") and namespaces come
//   from the peer certificate, so they never match plaintext. HTTP-only fields (methods, paths,
//   hosts) on a TCP connection: an ALLOW rule using them never matches; in a DENY rule they are
//   ignored (Istio: "the DENY policy becomes more restrictive").
import type { RPod } from '../model/realised';
import { cidrContains, parseCIDR } from '../net/ip';
import type { KObject } from '../model/types';
import type { Decider } from '../net/trace';
import { decider, selects, type MeshIndex } from './config';

export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

export interface PeerAuthDecision {
  mode: MtlsMode;
  /** the policy and field that set the mode; undefined: Istio's default PERMISSIVE */
  source?: Decider;
  level: 'port' | 'workload' | 'namespace' | 'mesh' | 'default';
}

function modeOf(v: unknown): MtlsMode | undefined {
  return v === 'STRICT' || v === 'PERMISSIVE' || v === 'DISABLE' ? v : undefined;
}

/** The mTLS mode the pod's inbound sidecar applies on `port` (the workload's target port). */
export function peerAuthMode(m: MeshIndex, pod: RPod, port: number): PeerAuthDecision {
  const inNs = m.peerAuth.get(pod.ns) ?? [];
  for (const pa of inNs) {
    const sel = pa.spec?.selector?.matchLabels;
    if (!sel || Object.keys(sel).length === 0 || !selects(sel, pod.labels)) continue;
    const pl = modeOf(pa.spec?.portLevelMtls?.[String(port)]?.mode);
    if (pl) return { mode: pl, source: decider(pa, ['spec', 'portLevelMtls', String(port), 'mode']), level: 'port' };
    const wl = modeOf(pa.spec?.mtls?.mode);
    if (wl) return { mode: wl, source: decider(pa, ['spec', 'mtls', 'mode']), level: 'workload' };
    break; // UNSET: inherit
  }
  const nsPolicy = inNs.find((pa) => !pa.spec?.selector?.matchLabels || Object.keys(pa.spec.selector.matchLabels).length === 0);
  const nsMode = nsPolicy && modeOf(nsPolicy.spec?.mtls?.mode);
  if (nsMode) return { mode: nsMode, source: decider(nsPolicy!, ['spec', 'mtls', 'mode']), level: 'namespace' };
  const meshPolicy = (m.peerAuth.get(m.rootNamespace) ?? []).find((pa) => !pa.spec?.selector?.matchLabels || Object.keys(pa.spec.selector.matchLabels).length === 0);
  const meshMode = meshPolicy && modeOf(meshPolicy.spec?.mtls?.mode);
  if (meshMode) return { mode: meshMode, source: decider(meshPolicy!, ['spec', 'mtls', 'mode']), level: 'mesh' };
  return { mode: 'PERMISSIVE', level: 'default' };
}

/** What the inbound sidecar knows about a connection. */
export interface Peer {
  /** "cluster.local/ns/NS/sa/SA" from the client certificate; undefined for plaintext */
  principal?: string;
  namespace?: string;
  /** the source address as the pod sees it */
  ip: string;
  /** the workload port */
  port: number;
  http?: { method?: string; path?: string; host?: string };
}

export interface AuthzDecision {
  allow: boolean;
  /** the policy that decided (undefined: no policy applies, or the implicit deny names the ALLOW policies) */
  policy?: KObject;
  detail: string;
  source?: Decider;
  /** CUSTOM policies that applied and were skipped */
  skipped: KObject[];
}

/** "*" wildcards as Istio matches strings: exact, "prefix*", "*suffix", "*". */
function strMatch(pattern: string, v: string | undefined): boolean {
  if (v === undefined) return false;
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return v.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return v.endsWith(pattern.slice(1));
  return pattern === v;
}

function anyStr(list: unknown, v: string | undefined): boolean {
  return Array.isArray(list) && list.some((p) => typeof p === 'string' && strMatch(p, v));
}

function anyCidr(list: unknown, ip: string): boolean {
  if (!Array.isArray(list)) return false;
  return list.some((c) => {
    try { return cidrContains(parseCIDR(String(c).includes('/') ? String(c) : `${c}/${String(c).includes(':') ? 128 : 32}`), ip); } catch { return false; }
  });
}

/** A source block: every field given must match (not* fields must not). */
function sourceMatches(s: any, p: Peer): boolean {
  if (!s) return true;
  if (s.principals && !anyStr(s.principals, p.principal)) return false;
  if (s.notPrincipals && p.principal !== undefined && anyStr(s.notPrincipals, p.principal)) return false;
  if (s.namespaces && !anyStr(s.namespaces, p.namespace)) return false;
  if (s.notNamespaces && p.namespace !== undefined && anyStr(s.notNamespaces, p.namespace)) return false;
  if (s.ipBlocks && !anyCidr(s.ipBlocks, p.ip)) return false;
  if (s.notIpBlocks && anyCidr(s.notIpBlocks, p.ip)) return false;
  return true;
}

const HTTP_FIELDS = ['methods', 'notMethods', 'paths', 'notPaths', 'hosts', 'notHosts'];

function operationMatches(o: any, p: Peer, action: string): boolean {
  if (!o) return true;
  const portText = String(p.port);
  if (o.ports && !o.ports.map(String).includes(portText)) return false;
  if (o.notPorts && o.notPorts.map(String).includes(portText)) return false;
  if (!p.http) {
    if (HTTP_FIELDS.some((f) => o[f] !== undefined)) return action === 'DENY'; // ALLOW: never; DENY: ignored
    return true;
  }
  const h = p.http;
  if (o.methods && !anyStr(o.methods, h.method ?? 'GET')) return false;
  if (o.notMethods && anyStr(o.notMethods, h.method ?? 'GET')) return false;
  if (o.paths && !anyStr(o.paths, h.path ?? '/')) return false;
  if (o.notPaths && anyStr(o.notPaths, h.path ?? '/')) return false;
  if (o.hosts && !anyStr(o.hosts, h.host)) return false;
  if (o.notHosts && anyStr(o.notHosts, h.host)) return false;
  return true;
}

/** Index of the first rule of a policy that matches, or -1. */
function matchingRule(ap: KObject, p: Peer): number {
  const rules: any[] = Array.isArray(ap.spec?.rules) ? ap.spec.rules : [];
  const action = ap.spec?.action ?? 'ALLOW';
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i] ?? {};
    if (r.when !== undefined) continue; // not modelled (warned at load): never matches
    const from: any[] = Array.isArray(r.from) ? r.from : [];
    const to: any[] = Array.isArray(r.to) ? r.to : [];
    if (from.length && !from.some((f) => sourceMatches(f?.source, p))) continue;
    if (to.length && !to.some((t) => operationMatches(t?.operation, p, action))) continue;
    return i;
  }
  return -1;
}

/** The AuthorizationPolicies that apply to a pod: its namespace's and the root namespace's, selector matching. */
export function applicablePolicies(m: MeshIndex, pod: RPod): KObject[] {
  const out: KObject[] = [];
  const add = (l: KObject[] | undefined) => {
    for (const ap of l ?? []) if (selects(ap.spec?.selector?.matchLabels, pod.labels)) out.push(ap);
  };
  add(m.authz.get(m.rootNamespace));
  if (pod.ns !== m.rootNamespace) add(m.authz.get(pod.ns));
  return out;
}

function who(p: Peer): string {
  return p.principal ? `principal ${p.principal}` : `plaintext from ${p.ip} (no peer identity)`;
}

/** The inbound sidecar's authorization decision; null when no policy applies to the pod. */
export function authorize(m: MeshIndex, pod: RPod, p: Peer): AuthzDecision | null {
  const policies = applicablePolicies(m, pod);
  if (policies.length === 0) return null;
  const skipped = policies.filter((ap) => ap.spec?.action === 'CUSTOM');
  const what = `${who(p)} to port ${p.port}${p.http ? ` (${p.http.method ?? 'GET'} ${p.http.path ?? '/'})` : ''}`;
  for (const ap of policies) {
    if (ap.spec?.action !== 'DENY') continue;
    const i = matchingRule(ap, p);
    if (i >= 0) return { allow: false, policy: ap, detail: `DENY policy ${ap.metadata.namespace}/${ap.metadata.name} rule ${i} matches ${what}`, source: decider(ap, ['spec', 'rules', i]), skipped };
  }
  const allows = policies.filter((ap) => (ap.spec?.action ?? 'ALLOW') === 'ALLOW');
  if (allows.length === 0) return { allow: true, detail: `no DENY policy matches ${what} and no ALLOW policy applies`, skipped };
  for (const ap of allows) {
    const i = matchingRule(ap, p);
    if (i >= 0) return { allow: true, policy: ap, detail: `ALLOW policy ${ap.metadata.namespace}/${ap.metadata.name} rule ${i} matches ${what}`, source: decider(ap, ['spec', 'rules', i]), skipped };
  }
  const names = allows.map((ap) => `${ap.metadata.namespace}/${ap.metadata.name}`).join(', ');
  return { allow: false, policy: allows[0], detail: `ALLOW policies apply (${names}) and none matches ${what}: the implicit deny`, source: decider(allows[0]), skipped };
}
