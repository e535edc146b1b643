// One DNS question as a pod, a node or a plain client asks it: the stub resolver's search walk,
// then CoreDNS (or an upstream fixture) for every try, with the hops of each.
import { DEFAULT_NODE_RESOLV_CONF, type ClusterConfig } from '../model/config';
import { InputErrors, type InputError } from '../model/errors';
import type { RNode, RPod, Realised } from '../model/realised';
import type { Hop } from '../net/trace';
import { CoreDns, describe, type Upstreams } from './server';
import { fqdn } from './names';
import { hostResolvConf, parseResolvConf, podResolvConf, renderResolvConf, stubSettings } from './resolvconf';
import { stubResolve, type Flavor } from './stub';
import { message, type DnsMessage, type DnsResult, type RRType } from './types';
import { parseZoneFile, UpstreamZone } from './zonefile';

const servers = new WeakMap<Realised, CoreDns>();

/** The CoreDNS of a realised cluster (built once: the Corefile read, the record store filled). */
export function coreDns(realised: Realised): CoreDns {
  let s = servers.get(realised);
  if (!s) { s = new CoreDns(realised); servers.set(realised, s); }
  return s;
}

export interface DnsQuery {
  name: string;
  /** default A */
  type?: RRType;
  /** the pod that asks (its resolv.conf and search list); absent: straight to the cluster DNS */
  from?: RPod;
  /** a node that asks, from its host network (the node's own resolv.conf) */
  fromNode?: RNode;
  /** default glibc */
  resolver?: Flavor;
  /** upstream DNS fixtures by address */
  upstreams?: Upstreams;
}

/** One DNS question as a pod (or a plain client of the cluster DNS) asks it, with every try and hop. */
export function dnsQuery(realised: Realised, q: DnsQuery): DnsResult {
  const server = coreDns(realised);
  const type = q.type ?? 'A';
  const upstreams: Upstreams = q.upstreams ?? upstreamsOfConfig(realised.config);
  const hops: Hop[] = [];
  const ask = (ip: string, name: string): DnsMessage => {
    if (server.serves(ip)) {
      if (server.addresses.includes(ip) && realised.serviceByClusterIP.get(ip)?.key === 'kube-system/kube-dns') {
        hops.push({ at: `svc/kube-system/kube-dns`, action: 'forward', detail: `${ip} is the kube-dns Service: kube-proxy sends the query to a CoreDNS pod` });
      }
      return server.query(name, type, { upstreams, hops, depth: 0 });
    }
    const z = upstreams.get(ip);
    if (z) {
      const m = z.answer(name, type);
      hops.push({ at: `dns/upstream/${ip}`, action: 'answer', detail: `${describe(m)} — from the fixture (${z.source})` });
      return m;
    }
    hops.push({ at: `dns/upstream/${ip}`, action: 'answer', detail: `SERVFAIL: no fixture for the nameserver ${ip} (netspec never asks the real network: give one with --upstream ${ip}=ZONEFILE or "Given the upstream DNS ${ip} answers …")` });
    return message('SERVFAIL');
  };

  if (q.fromNode) {
    const node = q.fromNode;
    const at = `node/${node.name}`;
    const host = hostResolvConf(realised.config);
    hops.push({ at, action: 'note', detail: `the node's resolv.conf (${realised.config.nodeResolvConfPath}): ${renderResolvConf({ nameservers: host.nameservers, searches: host.searches, options: host.options }).trim().replace(/\n/g, '; ')}` });
    const flavor: Flavor = q.resolver ?? 'glibc';
    const out = stubResolve(q.name, type, stubSettings({ nameservers: host.nameservers, searches: host.searches, options: host.options }), flavor, ask, hops, at, node.ip);
    return result(q.name, type, out.final, out.tried, out.finalServer, out.finalName, flavor, hops);
  }

  if (!q.from) {
    const ip = server.addresses[0];
    const name = fqdn(q.name);
    hops.push({ at: 'client', action: 'query', detail: `asks the cluster DNS ${ip} for ${name} ${type} directly (no search list)` });
    const m = ask(ip, q.name.endsWith('.') ? q.name : q.name + '.');
    return result(q.name, type, m, [{ name, rcode: m.rcode, answers: m.answers.length, server: ip }], ip, m.rcode === 'NOERROR' ? name : null, 'direct', hops);
  }

  const pod = q.from;
  const at = `pod/${pod.ns}/${pod.name}`;
  const rc = podResolvConf(realised, pod);
  hops.push({ at, action: 'note', detail: `resolv.conf (dnsPolicy ${rc.policy}): ${renderResolvConf(rc).trim().replace(/\n/g, '; ')}` });
  for (const n of rc.notes) hops.push({ at, action: 'note', detail: n });
  const flavor: Flavor = q.resolver ?? 'glibc';
  const out = stubResolve(q.name, type, stubSettings(rc), flavor, ask, hops, at, pod.ip || pod.node?.ip || '0.0.0.0');
  return result(q.name, type, out.final, out.tried, out.finalServer, out.finalName, flavor, hops);
}

function result(query: string, type: RRType, m: DnsMessage, tried: DnsResult['tried'], server: string, name: string | null, resolver: DnsResult['resolver'], hops: Hop[]): DnsResult {
  return {
    query, type, rcode: m.rcode,
    answers: m.answers.map((r) => ({ ...r })),
    authority: m.authority.map((r) => ({ ...r })),
    additional: m.additional.map((r) => ({ ...r })),
    tried, server, name, resolver, hops,
  };
}

/**
 * Builds upstream fixtures from zone-file texts keyed by server address. Errors come back as
 * InputError-shaped objects (file:line:col, code NS-ZONEFILE); fixtures for one address merge.
 */
export function upstreamsFrom(list: { server: string; text: string; file: string; line?: number; col?: number }[]): { upstreams: Map<string, UpstreamZone>; errors: InputError[] } {
  const upstreams = new Map<string, UpstreamZone>();
  const errors: InputError[] = [];
  for (const u of list) {
    const r = parseZoneFile(u.text, u.server, u.file, u.line ?? 1, u.col ?? 1);
    errors.push(...r.errors);
    const z = upstreams.get(u.server);
    if (z) z.merge(r.zone); else upstreams.set(u.server, r.zone);
  }
  return { upstreams, errors };
}

/** The addresses "the upstream DNS" means when a step names none: the node's resolv.conf nameservers. */
export function defaultUpstreamAddresses(config: ClusterConfig): string[] {
  return parseResolvConf(config.nodeResolvConf).nameservers.filter((ip, i, a) => a.indexOf(ip) === i);
}


const configUpstreams = new WeakMap<ClusterConfig, { list: unknown; upstreams: Upstreams }>();

/**
 * The fixtures a cluster configuration carries (config.upstreamDNS, e.g. from Gherkin steps),
 * parsed once. A null server stands for the node's resolv.conf nameservers. Broken zone text
 * throws InputErrors (the steps parse each fixture as it is given, so this is a backstop).
 */
export function upstreamsOfConfig(config: ClusterConfig): Upstreams {
  const list = config.upstreamDNS;
  if (!list || !list.length) return config.nodeResolvConf === DEFAULT_NODE_RESOLV_CONF ? standIn() : EMPTY;
  const c = configUpstreams.get(config);
  if (c && c.list === list) return c.upstreams;
  const defaults = list.some((f) => f.server === null) ? defaultUpstreamAddresses(config) : [];
  const items = list.flatMap((f) => (f.server === null ? defaults.map((s) => ({ ...f, server: s })) : [{ ...f, server: f.server }]));
  const { upstreams, errors } = upstreamsFrom(items);
  if (errors.length) throw new InputErrors(errors);
  configUpstreams.set(config, { list, upstreams });
  return upstreams;
}

const EMPTY: Upstreams = new Map();

let standInUpstreams: Upstreams | null = null;
/**
 * When the user gave neither a node resolv.conf nor any upstream fixture, the node's nameserver is
 * netspec's own stand-in for "the internet": it knows no names, so a name outside the cluster is
 * NXDOMAIN (what a user expects of a name that does not exist), said in the trace. A resolv.conf
 * or fixture the user gives replaces it (a nameserver with no fixture then answers SERVFAIL).
 */
function standIn(): Upstreams {
  if (standInUpstreams) return standInUpstreams;
  const server = defaultUpstreamAddresses({ nodeResolvConf: DEFAULT_NODE_RESOLV_CONF } as ClusterConfig)[0];
  const { upstreams } = upstreamsFrom([{ server, text: '', file: `netspec's stand-in for the node's upstream resolver (no fixture given: it knows no names outside the cluster)` }]);
  return (standInUpstreams = upstreams);
}
