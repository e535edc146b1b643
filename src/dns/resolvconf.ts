// A pod's /etc/resolv.conf as the kubelet writes it (pkg/kubelet/network/dns/dns.go: GetPodDNS).
//
//  ClusterFirst              nameserver = clusterDNS; search <ns>.svc.<domain> svc.<domain> <domain>
//                            + the node's search domains; options ndots:5 (the node's options dropped)
//  ClusterFirst + hostNetwork  behaves as Default (getPodDNSType falls through)
//  ClusterFirstWithHostNet   as ClusterFirst, also for hostNetwork pods
//  Default                   the node's resolv.conf (kubelet --resolv-conf), as parsed by the kubelet
//  None                      empty; everything comes from dnsConfig
// dnsConfig is then merged: nameservers and searches appended with duplicates dropped, options
// merged by name with the pod's value winning. Last, the kubelet's limits: 3 nameservers
// (MaxDNSNameservers), 32 search domains and 2048 characters (MaxDNSSearchPaths,
// MaxDNSSearchListChars), search domains over 253 characters dropped — each cut is a warning event.
import type { RPod, Realised } from '../model/realised';
import type { ClusterConfig } from '../model/config';
import { nthAddress, parseCIDR } from '../net/ip';

export const MAX_DNS_NAMESERVERS = 3;
export const MAX_DNS_SEARCH_PATHS = 32;
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;
/** DNS1123SubdomainMaxLength: longer search domains make some resolvers (glibc 2.28) abort. */
const MAX_SEARCH_DOMAIN_LENGTH = 253;
export const DEFAULT_DNS_OPTIONS = ['ndots:5'];

export type DnsPolicy = 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';

export interface PodResolvConf {
  nameservers: string[];
  searches: string[];
  options: string[];
  /** the kubelet's DNSConfigForming warning events */
  warnings: string[];
  /** dnsPolicy as written (defaulted to ClusterFirst) */
  policy: string;
  /** what the kubelet applied: "cluster", "host" (Default) or "none" */
  applied: 'cluster' | 'host' | 'none';
  /** facts worth saying, e.g. the hostNetwork fallback */
  notes: string[];
}

export interface HostResolvConf {
  nameservers: string[];
  searches: string[];
  options: string[];
}

/**
 * parseResolvConf as the kubelet reads the node's file (pkg/kubelet/network/dns/dns.go):
 * nameserver lines accumulate; the last search line wins, with trailing dots trimmed and "." (the
 * root) dropped ("Normalise search fields so the same domain with and without trailing dot will
 * only count once"); options lines accumulate through appendOptions, one entry per option name,
 * a later value replacing an earlier one (the kubelet rebuilds the list from a Go map, so its
 * order varies; netspec keeps first-seen order); lines starting with # are comments.
 */
export function parseResolvConf(text: string): HostResolvConf {
  const out: HostResolvConf = { nameservers: [], searches: [], options: [] };
  const opts = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const t = raw.trim();
    if (t.startsWith('#') || t.startsWith(';')) continue;
    const f = t.split(/\s+/).filter(Boolean);
    if (!f.length) continue;
    if (f[0] === 'nameserver' && f[1]) out.nameservers.push(f[1]);
    if (f[0] === 'search') out.searches = f.slice(1).filter((s) => s !== '.').map((s) => (s.endsWith('.') ? s.slice(0, -1) : s));
    if (f[0] === 'options') for (const o of f.slice(1)) opts.set(o.split(':')[0], o);
  }
  out.options = [...opts.values()];
  return out;
}

const dnsCache = new WeakMap<ClusterConfig, string[]>();
const hostCache = new WeakMap<ClusterConfig, { text: string; parsed: HostResolvConf }>();

/** kubelet clusterDNS: from the KubeletConfiguration, else kubeadm's (10th address of the service range). */
export function clusterDNSAddresses(config: ClusterConfig): string[] {
  let a = dnsCache.get(config);
  if (!a) {
    a = config.clusterDNS && config.clusterDNS.length ? config.clusterDNS.slice() : [nthAddress(parseCIDR(config.serviceSubnets[0]), 10)];
    dnsCache.set(config, a);
  }
  return a.slice();
}

/** The node's resolv.conf as the kubelet parsed it (cached per configuration). */
export function hostResolvConf(config: ClusterConfig): HostResolvConf {
  const c = hostCache.get(config);
  if (c && c.text === config.nodeResolvConf) return c.parsed;
  const parsed = parseResolvConf(config.nodeResolvConf);
  hostCache.set(config, { text: config.nodeResolvConf, parsed });
  return parsed;
}

function omitDuplicates(list: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of list) if (!seen.has(s)) { seen.add(s); out.push(s); }
  return out;
}

/**
 * mergeDNSOptions: by name, the pod's value winning. The kubelet rebuilds the list from a Go map,
 * so its order varies from pod to pod; netspec keeps the node/cluster options first, in order, then
 * the pod's new ones (same set, stable order).
 */
export function mergeOptions(existing: string[], pod: { name?: string; value?: string }[]): string[] {
  const order: string[] = [];
  const vals = new Map<string, string>();
  const set = (name: string, value: string) => { if (!vals.has(name)) order.push(name); vals.set(name, value); };
  for (const o of existing) {
    const i = o.indexOf(':');
    if (i >= 0) set(o.slice(0, i), o.slice(i + 1)); else set(o, '');
  }
  for (const o of pod) if (o && typeof o.name === 'string') set(o.name, o.value !== undefined && o.value !== null ? String(o.value) : '');
  return order.map((n) => (vals.get(n) ? `${n}:${vals.get(n)}` : n));
}

/** The pod's resolv.conf. */
export function podResolvConf(realised: Realised, pod: RPod): PodResolvConf {
  const cfg = realised.config;
  const spec = pod.obj.spec ?? {};
  const policy: string = spec.dnsPolicy ?? 'ClusterFirst';
  const host = hostResolvConf(cfg);
  const notes: string[] = [];
  const warnings: string[] = [];
  let applied: PodResolvConf['applied'];
  switch (policy) {
    case 'None': applied = 'none'; break;
    case 'ClusterFirstWithHostNet': applied = 'cluster'; break;
    case 'Default': applied = 'host'; break;
    case 'ClusterFirst':
      if (pod.hostNetwork) {
        applied = 'host';
        notes.push('a hostNetwork pod with dnsPolicy ClusterFirst gets the node\'s resolv.conf (the kubelet falls back to Default); use ClusterFirstWithHostNet to reach cluster DNS');
      } else applied = 'cluster';
      break;
    default:
      applied = 'cluster';
      notes.push(`dnsPolicy "${policy}" is not valid; the kubelet falls back to ClusterFirst`);
  }
  let nameservers: string[];
  let searches: string[];
  let options: string[];
  if (applied === 'none') {
    nameservers = []; searches = []; options = [];
  } else if (applied === 'cluster') {
    nameservers = clusterDNSAddresses(cfg);
    const d = cfg.dnsDomain;
    searches = d ? omitDuplicates([`${pod.ns}.svc.${d}`, `svc.${d}`, d, ...host.searches]) : host.searches.slice();
    options = DEFAULT_DNS_OPTIONS.slice();
  } else {
    nameservers = host.nameservers.slice();
    searches = host.searches.slice();
    options = host.options.slice();
    if (cfg.nodeResolvConf.trim() === '') {
      // kubelet --resolv-conf="": the local machine's resolver, searches "."
      nameservers = [pod.node && pod.node.ip.includes(':') ? '::1' : '127.0.0.1'];
      searches = ['.'];
    }
  }
  const dc = spec.dnsConfig;
  if (dc && typeof dc === 'object') {
    nameservers = omitDuplicates([...nameservers, ...(Array.isArray(dc.nameservers) ? dc.nameservers.map(String) : [])]);
    searches = omitDuplicates([...searches, ...(Array.isArray(dc.searches) ? dc.searches.map(String) : [])]);
    options = mergeOptions(options, Array.isArray(dc.options) ? dc.options : []);
  } else if (applied === 'none') {
    notes.push('dnsPolicy None without dnsConfig: the API server rejects such a pod; its resolv.conf would be empty');
  }
  // formDNSConfigFitsLimits: nameservers first, then the search line
  if (nameservers.length > MAX_DNS_NAMESERVERS) {
    nameservers = nameservers.slice(0, MAX_DNS_NAMESERVERS);
    warnings.push(`Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${nameservers.join(' ')}`);
  }
  const fit = fitSearch(searches);
  searches = fit.searches;
  if (fit.exceeded) warnings.push(`Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${searches.join(' ')}`);
  return { nameservers, searches, options, warnings, policy, applied, notes };
}

/** formDNSSearchFitsLimits: at most 32 domains, none over 253 characters, at most 2048 characters. */
export function fitSearch(input: string[]): { searches: string[]; exceeded: boolean } {
  let exceeded = false;
  let s = input.slice();
  if (s.length > MAX_DNS_SEARCH_PATHS) { s = s.slice(0, MAX_DNS_SEARCH_PATHS); exceeded = true; }
  const kept = s.filter((d) => d.length <= MAX_SEARCH_DOMAIN_LENGTH);
  if (kept.length !== s.length) exceeded = true;
  s = kept;
  const len = s.join(' ').length;
  if (len > MAX_DNS_SEARCH_LIST_CHARS) {
    let cut = 0, cutLen = 0;
    for (let i = s.length - 1; i >= 0; i--) {
      cutLen += s[i].length + 1;
      cut++;
      if (len - cutLen <= MAX_DNS_SEARCH_LIST_CHARS) break;
    }
    s = s.slice(0, s.length - cut);
    exceeded = true;
  }
  return { searches: s, exceeded };
}

/** The file as the container sees it. */
export function renderResolvConf(r: { nameservers: string[]; searches: string[]; options: string[] }): string {
  const lines: string[] = [];
  if (r.searches.length) lines.push(`search ${r.searches.join(' ')}`);
  for (const n of r.nameservers) lines.push(`nameserver ${n}`);
  if (r.options.length) lines.push(`options ${r.options.join(' ')}`);
  return lines.join('\n') + '\n';
}

/** The resolver settings a stub resolver reads from the file. */
export interface StubSettings {
  nameservers: string[];
  search: string[];
  ndots: number;
}

/** ndots from the options (default 1, at most 15 as glibc RES_MAXNDOTS and musl cap it). */
export function stubSettings(r: { nameservers: string[]; searches: string[]; options: string[] }): StubSettings {
  let ndots = 1;
  for (const o of r.options) {
    const m = /^ndots:(\d+)$/.exec(o);
    if (m) ndots = Math.min(15, Number(m[1]));
  }
  return { nameservers: r.nameservers.slice(), search: r.searches.slice(), ndots };
}
