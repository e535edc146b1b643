// What the API server (the CRDs' OpenAPI schema and CEL rules in network-policy-api's apis/) rejects
// in AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy objects: every problem a
// located error (code, file:line:col, hint), all at once. Fields netspec reads but does not model are
// warnings (domainNames: DNS-based egress needs the DNS answers an implementation snoops).
import type { Diagnostics } from '../model/errors';
import { compileLabelSelector, SelectorError } from '../model/selector';
import { posOf, ref, type KObject } from '../model/types';
import { formatPath } from '../manifests';
import { validCIDR } from '../manifests/addr';
import { isObj, list } from './shared';

type Path = (string | number)[];
const KINDS = new Set(['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy']);
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

class Check {
  constructor(readonly obj: KObject, readonly diag: Diagnostics) {}
  err(path: Path, code: string, message: string, hint: string): void {
    this.diag.error(code, `${ref(this.obj)}: ${path.length ? formatPath(path) + ': ' : ''}${message}`, posOf(this.obj, path) ?? posOf(this.obj), hint);
  }
  warn(path: Path, code: string, message: string): void {
    this.diag.warn(code, `${ref(this.obj)}: ${formatPath(path)}: ${message}`, posOf(this.obj, path) ?? posOf(this.obj));
  }
}

function selector(c: Check, path: Path, v: unknown, required: boolean): void {
  if (v === undefined || v === null) {
    if (required) c.err(path, 'NS-MISSING-FIELD', 'a label selector is required here', 'write {} to select everything');
    return;
  }
  if (!isObj(v)) { c.err(path, 'NS-SCHEMA', 'must be a label selector (matchLabels / matchExpressions)', 'e.g. {matchLabels: {team: shop}}'); return; }
  try {
    compileLabelSelector(v as never);
  } catch (e) {
    if (!(e instanceof SelectorError)) throw e;
    c.err([...path, ...e.path], 'NS-SELECTOR', e.message, 'matchExpressions operators are In, NotIn, Exists and DoesNotExist; In and NotIn need values');
  }
}

/** Exactly one of `allowed` set (the CRDs' MinProperties=1 / MaxProperties=1). */
function exactlyOne(c: Check, path: Path, o: Record<string, unknown>, allowed: readonly string[], what: string): string | undefined {
  const keys = Object.keys(o);
  const unknown = keys.filter((k) => !allowed.includes(k));
  if (unknown.length) {
    c.err([...path, unknown[0]], 'NS-SCHEMA', `${what} has no field "${unknown[0]}"`, `a ${what} is exactly one of: ${allowed.join(', ')}`);
    return undefined;
  }
  if (keys.length !== 1) {
    c.err(path, 'NS-POLICY-ONE-OF', `${what} must set exactly one of ${allowed.join(', ')} (it sets ${keys.length ? keys.join(' and ') : 'none'})`, keys.length ? `split it into ${keys.length} entries of the list; entries are ORed` : `e.g. {namespaces: {}} for every namespace`);
    return undefined;
  }
  return keys[0];
}

function port(c: Check, path: Path, v: unknown, what: string): boolean {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) {
    c.err(path, 'NS-PORT-RANGE', `${what} ${JSON.stringify(v)} is not a port number from 1 to 65535`, 'ports are 16-bit numbers from 1 to 65535');
    return false;
  }
  return true;
}

function protocol(c: Check, path: Path, v: unknown): void {
  if (v !== undefined && !PROTOCOLS.includes(v as string)) c.err(path, 'NS-PROTOCOL', `protocol ${JSON.stringify(v)} is not supported (TCP, UDP, SCTP)`, 'Kubernetes knows the protocols TCP, UDP and SCTP (upper case)');
}

function range(c: Check, path: Path, start: unknown, end: unknown): void {
  if (port(c, [...path, 'start'], start, 'start') && port(c, [...path, 'end'], end, 'end') && (start as number) >= (end as number)) {
    c.err(path, 'NS-PORT-RANGE', `start ${start} must be less than end ${end}`, 'a port range is start..end with start < end (a single port is a port number)');
  }
}

/** v1alpha1 ports[] entries. */
function v1Port(c: Check, path: Path, p: unknown): string | undefined {
  if (!isObj(p)) return undefined;
  const k = exactlyOne(c, path, p, ['portNumber', 'namedPort', 'portRange'], 'port');
  if (k === 'portNumber' && isObj(p.portNumber)) { protocol(c, [...path, k, 'protocol'], p.portNumber.protocol); port(c, [...path, k, 'port'], p.portNumber.port, 'port'); }
  if (k === 'portRange' && isObj(p.portRange)) { protocol(c, [...path, k, 'protocol'], p.portRange.protocol); range(c, [...path, k], p.portRange.start, p.portRange.end); }
  if (k === 'namedPort' && (typeof p.namedPort !== 'string' || !p.namedPort)) c.err([...path, k], 'NS-SCHEMA', 'namedPort must be a container port name', 'e.g. namedPort: http');
  return k;
}

/** v1alpha2 protocols[] entries. */
function v2Protocol(c: Check, path: Path, p: unknown): string | undefined {
  if (!isObj(p)) return undefined;
  const k = exactlyOne(c, path, p, ['tcp', 'udp', 'sctp', 'destinationNamedPort'], 'protocol');
  if (k && k !== 'destinationNamedPort') {
    const v = p[k];
    if (!isObj(v) || !isObj(v.destinationPort)) { c.err([...path, k], 'NS-MISSING-FIELD', `${k} needs destinationPort (MinProperties=1)`, `omit the ${k} entry to match every ${k.toUpperCase()} port… or give {destinationPort: {number: 8080}}`); return k; }
    const dp = v.destinationPort;
    const which = exactlyOne(c, [...path, k, 'destinationPort'], dp, ['number', 'range'], 'destinationPort');
    if (which === 'number') port(c, [...path, k, 'destinationPort', 'number'], dp.number, 'number');
    if (which === 'range' && isObj(dp.range)) range(c, [...path, k, 'destinationPort', 'range'], dp.range.start, dp.range.end);
  }
  if (k === 'destinationNamedPort' && (typeof p.destinationNamedPort !== 'string' || !p.destinationNamedPort)) c.err([...path, k], 'NS-SCHEMA', 'destinationNamedPort must be a container port name', 'e.g. destinationNamedPort: http');
  return k;
}

function rules(c: Check, kind: string, spec: Record<string, any>, dir: 'ingress' | 'egress', v2: boolean): void {
  const max = v2 ? 25 : 100;
  const rs = spec[dir];
  if (rs === undefined) return;
  if (!Array.isArray(rs)) { c.err(['spec', dir], 'NS-SCHEMA', `${dir} must be a list of rules`, `write ${dir}: [ {action: …, ${dir === 'ingress' ? 'from' : 'to'}: [...]} ]`); return; }
  if (rs.length > max) c.err(['spec', dir], 'NS-POLICY-TOO-MANY', `${rs.length} ${dir} rules (at most ${max})`, 'merge rules or split the policy');
  const actions = kind === 'BaselineAdminNetworkPolicy' ? ['Allow', 'Deny'] : v2 ? ['Accept', 'Deny', 'Pass'] : ['Allow', 'Deny', 'Pass'];
  const peersKey = dir === 'ingress' ? 'from' : 'to';
  const peerKinds = dir === 'ingress' ? ['namespaces', 'pods'] : ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'];
  rs.forEach((r: unknown, i: number) => {
    const rp: Path = ['spec', dir, i];
    if (!isObj(r)) { c.err(rp, 'NS-SCHEMA', 'a rule must be a mapping', 'e.g. {action: Deny, from: [{namespaces: {}}]}'); return; }
    if (typeof r.name === 'string' && r.name.length > 100) c.err([...rp, 'name'], 'NS-SCHEMA', `rule name is ${r.name.length} characters (at most 100)`, 'shorten the name');
    if (!actions.includes(r.action)) {
      const hint = kind === 'BaselineAdminNetworkPolicy' && r.action === 'Pass' ? 'the Baseline tier is the last one: there is nothing to pass to' : v2 && r.action === 'Allow' ? 'ClusterNetworkPolicy (v1alpha2) says Accept where AdminNetworkPolicy said Allow' : !v2 && r.action === 'Accept' ? 'v1alpha1 says Allow (Accept is v1alpha2 ClusterNetworkPolicy)' : `one of ${actions.join(', ')} (case matters)`;
      c.err([...rp, 'action'], r.action === undefined ? 'NS-MISSING-FIELD' : 'NS-POLICY-ACTION', r.action === undefined ? 'action is required' : `action ${JSON.stringify(r.action)} is not one of ${actions.join(', ')}`, hint);
    }
    const peers = r[peersKey];
    if (!Array.isArray(peers) || peers.length === 0) {
      c.err([...rp, peersKey], 'NS-MISSING-FIELD', `${peersKey} must list at least one peer (MinItems=1)`, `e.g. ${peersKey}: [{namespaces: {}}] for every pod of every namespace`);
    } else {
      if (peers.length > max) c.err([...rp, peersKey], 'NS-POLICY-TOO-MANY', `${peers.length} peers (at most ${max})`, 'use one selector that matches them all');
      let noNamedPorts = false;
      peers.forEach((p: unknown, j: number) => {
        const pp: Path = [...rp, peersKey, j];
        if (!isObj(p)) return;
        const k = exactlyOne(c, pp, p, peerKinds, 'peer');
        if (k === 'namespaces') selector(c, [...pp, k], p.namespaces, true);
        if (k === 'nodes') { selector(c, [...pp, k], p.nodes, true); noNamedPorts = true; }
        if (k === 'pods') {
          if (!isObj(p.pods)) c.err([...pp, k], 'NS-SCHEMA', 'pods must be {namespaceSelector, podSelector}', 'e.g. pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}');
          else { selector(c, [...pp, k, 'namespaceSelector'], p.pods.namespaceSelector, false); selector(c, [...pp, k, 'podSelector'], p.pods.podSelector, true); }
        }
        if (k === 'networks') {
          noNamedPorts = true;
          const nets = list(p.networks);
          if (!nets.length || nets.length > 25) c.err([...pp, k], 'NS-POLICY-TOO-MANY', `networks lists ${nets.length} CIDRs (1 to 25)`, 'list between 1 and 25 CIDRs');
          nets.forEach((n, x) => { if (!validCIDR(n)) c.err([...pp, k, x], 'NS-INVALID-CIDR', `${JSON.stringify(n)} is not a CIDR`, 'e.g. 10.0.0.0/8 or fd00::/8'); });
        }
        if (k === 'domainNames') {
          noNamedPorts = true;
          if (r.action !== 'Accept' && r.action !== 'Allow') c.err([...pp, k], 'NS-POLICY-ACTION', `domainNames peers are only allowed in ${v2 ? 'Accept' : 'Allow'} rules`, 'keep an allowlist of names in an Accept rule and deny the rest with a later rule');
          c.warn([...pp, k], 'NS-POLICY-UNMODELLED', 'domainNames peers are not modelled (an implementation learns the addresses from DNS answers): netspec treats this peer as matching nothing');
        }
      });
      if (noNamedPorts) {
        const ps = list(v2 ? r.protocols : r.ports);
        ps.forEach((p, x) => {
          if (isObj(p) && (p.namedPort !== undefined || p.destinationNamedPort !== undefined)) {
            c.err([...rp, v2 ? 'protocols' : 'ports', x], 'NS-POLICY-NAMED-PORT', 'networks/nodes/domainNames peers cannot be combined with a named port: there are no named ports there', 'use a port number, or move the pod peers to their own rule');
          }
        });
      }
    }
    const portsKey = v2 ? 'protocols' : 'ports';
    if (!v2 && r.protocols !== undefined) c.err([...rp, 'protocols'], 'NS-SCHEMA', `${kind} (v1alpha1) has "ports", not "protocols"`, 'protocols is the v1alpha2 ClusterNetworkPolicy field');
    if (v2 && r.ports !== undefined) c.err([...rp, 'ports'], 'NS-SCHEMA', 'ClusterNetworkPolicy (v1alpha2) has "protocols", not "ports"', 'e.g. protocols: [{tcp: {destinationPort: {number: 8080}}}]');
    const ps = r[portsKey];
    if (ps !== undefined) {
      if (!Array.isArray(ps) || ps.length === 0) c.err([...rp, portsKey], 'NS-SCHEMA', `${portsKey} must list at least one entry`, `omit ${portsKey} to match every port`);
      else ps.forEach((p: unknown, x: number) => (v2 ? v2Protocol : v1Port)(c, [...rp, portsKey, x], p));
    }
  });
}

/** Validates the admin-tier kinds among `objects`; errors and warnings go to diag. */
export function checkAdminPolicies(objects: readonly KObject[], diag: Diagnostics): void {
  for (const obj of objects) {
    if (!KINDS.has(obj.kind) || !isObj(obj.metadata)) continue;
    const c = new Check(obj, diag);
    const kind = obj.kind;
    const v2 = kind === 'ClusterNetworkPolicy';
    if (kind === 'BaselineAdminNetworkPolicy' && obj.metadata.name !== 'default') {
      c.err(['metadata', 'name'], 'NS-POLICY-BANP-NAME', `a BaselineAdminNetworkPolicy must be named "default" (it is "${obj.metadata.name}")`, 'there is one BaselineAdminNetworkPolicy per cluster, metadata.name: default');
    }
    const spec = obj.spec;
    if (!isObj(spec)) { c.err(['spec'], 'NS-MISSING-FIELD', 'spec is required', 'give spec.subject and rules'); continue; }
    if (v2 && spec.tier !== 'Admin' && spec.tier !== 'Baseline') {
      c.err(['spec', 'tier'], spec.tier === undefined ? 'NS-MISSING-FIELD' : 'NS-SCHEMA', spec.tier === undefined ? 'spec.tier is required' : `tier ${JSON.stringify(spec.tier)} is not Admin or Baseline`, 'tier: Admin (before NetworkPolicy) or tier: Baseline (after it)');
    }
    if (kind !== 'BaselineAdminNetworkPolicy') {
      const pr = spec.priority;
      if (pr === undefined) c.err(['spec', 'priority'], 'NS-MISSING-FIELD', 'spec.priority is required', 'a number from 0 to 1000; lower numbers are evaluated first');
      else if (typeof pr !== 'number' || !Number.isInteger(pr) || pr < 0 || pr > 1000) c.err(['spec', 'priority'], 'NS-POLICY-PRIORITY', `priority ${JSON.stringify(pr)} is not an integer from 0 to 1000`, 'lower numbers are evaluated first');
    } else if (spec.priority !== undefined) {
      c.err(['spec', 'priority'], 'NS-SCHEMA', 'BaselineAdminNetworkPolicy has no priority', 'remove it: the Baseline tier has one policy');
    }
    if (!isObj(spec.subject)) c.err(['spec', 'subject'], 'NS-MISSING-FIELD', 'spec.subject is required', 'e.g. subject: {namespaces: {matchLabels: {team: shop}}}');
    else {
      const k = exactlyOne(c, ['spec', 'subject'], spec.subject, ['namespaces', 'pods'], 'subject');
      if (k === 'namespaces') selector(c, ['spec', 'subject', k], spec.subject.namespaces, true);
      if (k === 'pods') {
        const p = spec.subject.pods;
        if (!isObj(p)) c.err(['spec', 'subject', k], 'NS-SCHEMA', 'pods must be {namespaceSelector, podSelector}', 'e.g. pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}');
        else { selector(c, ['spec', 'subject', k, 'namespaceSelector'], p.namespaceSelector, false); selector(c, ['spec', 'subject', k, 'podSelector'], p.podSelector, true); }
      }
    }
    rules(c, kind, spec, 'ingress', v2);
    rules(c, kind, spec, 'egress', v2);
  }
}
