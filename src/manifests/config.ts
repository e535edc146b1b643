// Cluster configuration from the real configuration documents among the inputs:
// kubeadm ClusterConfiguration, KubeProxyConfiguration, KubeletConfiguration, ServiceCIDR objects,
// the ip-masq-agent ConfigMap, and the CNI's own configuration (flannel, Calico, Cilium).
// Each setting remembers which document set it (config.provenance), for traces.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { originOf, posOf, ref, type KObject } from '../model/types';
import type { ClusterConfig, DetectLocalMode, IpvsScheduler, PodNetworkMode } from '../model/config';
import type { Diagnostics } from '../model/errors';
import type { SourcePos } from '../net/trace';
import { formatPos } from '../net/trace';
import { parseCIDR, isStrictCIDR } from '../net/ip';
import { classify } from './kinds';
import { validCIDR, validIP, cidrFamily, splitList } from './addr';
import { dns1123Subdomain } from './names';
import { yamlOptions, MAX_ALIAS_COUNT } from './yamlopts';

type Path = (string | number)[];

const IPVS_SCHEDULERS: readonly IpvsScheduler[] = ['rr', 'wrr', 'lc', 'wlc', 'sh', 'dh', 'sed', 'nq'];

/** ip-masq-agent's defaults (NewMasqConfig): RFC 1918 ranges are not masqueraded, link-local is not either. */
export const IP_MASQ_AGENT_DEFAULT_CIDRS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
/** ip-masq-agent refuses configs with more CIDRs than cidrLimit (default 64). */
const IP_MASQ_AGENT_CIDR_LIMIT = 64;

function isObj(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? 'a list' : isObj(v) ? 'a mapping' : String(v);
}

/** Folds one document at a time, tracking provenance and conflicts. */
class Folder {
  constructor(readonly config: ClusterConfig, readonly diag: Diagnostics) {}
  /** who set what, this run (base provenance is kept but not warned about) */
  private readonly setBy = new Map<string, { by: string; value: string }>();

  label(obj: KObject): string {
    if (obj.kind === 'ConfigMap' || obj.kind === 'ServiceCIDR' || obj.kind === 'IPPool') return ref(obj);
    return obj.kind;
  }

  where(obj: KObject, p: Path = []): string {
    const pos = posOf(obj, p);
    return pos ? `${this.label(obj)} (${pos.file}:${pos.line})` : this.label(obj);
  }

  pos(obj: KObject, p: Path): SourcePos | undefined { return posOf(obj, p); }

  error(obj: KObject, p: Path, code: string, message: string, hint: string): void {
    this.diag.error(code, `${this.label(obj)}: ${p.map((x) => (typeof x === 'number' ? `[${x}]` : x)).join('.').replace(/\.\[/g, '[')}: ${message}`, this.pos(obj, p), hint);
  }

  /** Records a setting; warns when an earlier document of this run set it to something else. */
  set<K extends keyof ClusterConfig>(key: K, value: ClusterConfig[K], obj: KObject, p: Path): void {
    const by = this.where(obj, p);
    const text = JSON.stringify(value);
    const prev = this.setBy.get(key);
    if (prev && prev.value !== text && prev.by !== by) {
      this.diag.warn('NS-CONFIG-CONFLICT', `${key} is set to ${prev.value} by ${prev.by} and to ${text} by ${by}; the latter wins`, this.pos(obj, p));
    }
    this.setBy.set(key, { by, value: text });
    (this.config as any)[key] = value;
    this.config.provenance[key] = by;
  }

  /** A comma-separated CIDR list: at most one per IP family. Returns canonical CIDRs, or null after reporting. */
  cidrList(obj: KObject, p: Path, v: unknown, what: string): string[] | null {
    if (typeof v !== 'string') {
      this.error(obj, p, 'NS-CONFIG-VALUE', `${what} must be a string, not ${describe(v)}`, 'write CIDRs as text, e.g. "10.244.0.0/16" or "10.244.0.0/16,fd00:10:244::/56"');
      return null;
    }
    const list = splitList(v);
    if (list.length === 0) return null;
    const out: string[] = [];
    for (const c of list) {
      if (!validCIDR(c)) {
        this.error(obj, p, 'NS-CONFIG-CIDR', `"${c}" in ${what} is not a valid CIDR`, 'write a CIDR as address/prefix, e.g. 10.96.0.0/12; dual-stack: two CIDRs separated by a comma');
        return null;
      }
      out.push(parseCIDR(c).text);
    }
    if (out.length > 2 || (out.length === 2 && cidrFamily(out[0]) === cidrFamily(out[1]))) {
      this.error(obj, p, 'NS-CONFIG-CIDR', `${what} "${v}" must be one CIDR, or two of different IP families (dual-stack)`, 'a dual-stack list has one IPv4 and one IPv6 CIDR');
      return null;
    }
    return out;
  }
}

/** Splits config documents from API objects and folds them into a copy of `base`. */
export function configFrom(objects: KObject[], base: ClusterConfig, diag: Diagnostics): { config: ClusterConfig; objects: KObject[] } {
  const config: ClusterConfig = structuredClone(base);
  const f = new Folder(config, diag);
  const kept: KObject[] = [];
  const byKind = (k: string) => (o: KObject) => o.kind === k;
  const configDocs: KObject[] = [];
  for (const obj of objects) {
    const cls = typeof obj.apiVersion === 'string' && typeof obj.kind === 'string' ? classify(obj.apiVersion, obj.kind).cls : 'unknown';
    if (cls === 'config') configDocs.push(obj);
    else if (cls === 'ignored-config') continue;
    else kept.push(obj);
  }
  // a fixed order, whatever the order of the inputs: kubeadm, kube-proxy, kubelet, then the
  // objects that refine them (ServiceCIDR, ip-masq-agent, the CNI's configuration)
  for (const o of configDocs.filter((o) => o.kind === 'InitConfiguration' || o.kind === 'ClusterConfiguration')) foldKubeadm(f, o);
  for (const o of configDocs.filter(byKind('KubeProxyConfiguration'))) foldKubeProxy(f, o);
  for (const o of configDocs.filter(byKind('KubeletConfiguration'))) foldKubelet(f, o);
  for (const o of kept.filter((o) => o.kind === 'ServiceCIDR')) foldServiceCIDR(f, o);
  for (const o of kept.filter((o) => isConfigMap(o, 'ip-masq-agent', 'kube-system'))) foldIpMasqAgent(f, o);
  const cni: { obj: KObject; plugin: string }[] = [];
  for (const o of [...kept, ...configDocs]) {
    if (isConfigMap(o, 'kube-flannel-cfg')) cni.push({ obj: o, plugin: 'flannel' });
    else if (o.kind === 'IPPool') cni.push({ obj: o, plugin: 'calico' });
    else if (isConfigMap(o, 'cilium-config')) cni.push({ obj: o, plugin: 'cilium' });
  }
  foldCni(f, cni);
  return { config, objects: kept };
}

function isConfigMap(o: KObject, name: string, namespace?: string): boolean {
  return o.kind === 'ConfigMap' && o.apiVersion === 'v1' && o.metadata?.name === name && (namespace === undefined || (o.metadata.namespace ?? 'default') === namespace);
}

// ---------------------------------------------------------------------------------------------
// kubeadm

/** extraArgs: a map in kubeadm v1beta3, a list of {name, value} in v1beta4. */
function extraArg(args: unknown, name: string): { value: string; path: Path } | undefined {
  if (isObj(args) && typeof args[name] === 'string') return { value: args[name], path: [name] };
  if (Array.isArray(args)) {
    const i = args.findIndex((a) => isObj(a) && a.name === name);
    if (i >= 0 && typeof args[i].value === 'string') return { value: args[i].value, path: [i, 'value'] };
  }
  return undefined;
}

function foldKubeadm(f: Folder, o: KObject): void {
  if (o.kind !== 'ClusterConfiguration') return; // InitConfiguration holds no cluster-wide networking
  const net = (o as any).networking;
  if (net !== undefined && !isObj(net)) {
    f.error(o, ['networking'], 'NS-CONFIG-VALUE', 'networking must be a mapping', 'networking: {podSubnet: ..., serviceSubnet: ..., dnsDomain: ...}');
  } else if (isObj(net)) {
    if (net.podSubnet !== undefined) {
      const l = f.cidrList(o, ['networking', 'podSubnet'], net.podSubnet, 'podSubnet');
      if (l) f.set('podSubnets', l, o, ['networking', 'podSubnet']);
    }
    if (net.serviceSubnet !== undefined) {
      const l = f.cidrList(o, ['networking', 'serviceSubnet'], net.serviceSubnet, 'serviceSubnet');
      if (l) f.set('serviceSubnets', l, o, ['networking', 'serviceSubnet']);
    }
    if (net.dnsDomain !== undefined) setDomain(f, o, ['networking', 'dnsDomain'], net.dnsDomain);
  }
  const cm = (o as any).controllerManager;
  if (isObj(cm)) {
    for (const [flag, key, max] of [
      ['node-cidr-mask-size', 'nodeCidrMaskSizeV4', 32], ['node-cidr-mask-size-ipv4', 'nodeCidrMaskSizeV4', 32], ['node-cidr-mask-size-ipv6', 'nodeCidrMaskSizeV6', 128],
    ] as const) {
      const a = extraArg(cm.extraArgs, flag);
      if (!a) continue;
      const p: Path = ['controllerManager', 'extraArgs', ...a.path];
      const n = Number(a.value);
      if (!/^\d+$/.test(a.value) || n < 1 || n > max) f.error(o, p, 'NS-CONFIG-VALUE', `${flag} "${a.value}" is not a prefix length (1-${max})`, `--${flag} is the prefix length of each node's podCIDR, e.g. 24`);
      else f.set(key, n, o, p);
    }
  }
  const api = (o as any).apiServer;
  if (isObj(api)) {
    const a = extraArg(api.extraArgs, 'service-node-port-range');
    if (a) {
      const p: Path = ['apiServer', 'extraArgs', ...a.path];
      const m = a.value.match(/^\s*(\d+)\s*-\s*(\d+)\s*$/) ?? a.value.match(/^\s*(\d+)\s*\+\s*(\d+)\s*$/);
      let range: [number, number] | undefined;
      if (m) range = a.value.includes('+') ? [Number(m[1]), Number(m[1]) + Number(m[2])] : [Number(m[1]), Number(m[2])];
      if (!range || range[0] < 1 || range[1] > 65535 || range[0] > range[1]) {
        f.error(o, p, 'NS-CONFIG-VALUE', `service-node-port-range "${a.value}" is not a port range`, 'write it as FIRST-LAST, e.g. 30000-32767');
      } else f.set('nodePortRange', range, o, p);
    }
  }
}

function setDomain(f: Folder, o: KObject, p: Path, v: unknown): void {
  if (typeof v !== 'string' || v === '') {
    f.error(o, p, 'NS-CONFIG-VALUE', `the cluster domain must be a non-empty string, not ${describe(v)}`, 'e.g. cluster.local');
    return;
  }
  const d = v.replace(/\.$/, '');
  const why = dns1123Subdomain(d);
  if (why) { f.error(o, p, 'NS-CONFIG-VALUE', `cluster domain "${v}" is not a valid DNS name: it ${why}`, 'e.g. cluster.local'); return; }
  f.set('dnsDomain', d, o, p);
}

// ---------------------------------------------------------------------------------------------
// kube-proxy

function foldKubeProxy(f: Folder, o: KObject): void {
  const c = o as any;
  if (c.mode !== undefined) {
    if (c.mode === '' || c.mode === 'iptables' || c.mode === 'ipvs' || c.mode === 'nftables') {
      // an empty mode means the platform default: iptables on Linux (cmd/kube-proxy/app/server_linux.go)
      f.set('proxyMode', c.mode === '' ? 'iptables' : c.mode, o, ['mode']);
    } else if (c.mode === 'kernelspace') {
      f.error(o, ['mode'], 'NS-CONFIG-MODE', 'kube-proxy mode "kernelspace" is Windows only and not modelled by netspec', 'netspec models kube-proxy on Linux: iptables, ipvs or nftables');
    } else {
      f.error(o, ['mode'], 'NS-CONFIG-MODE', `${describe(c.mode)} is not a kube-proxy mode`, 'kube-proxy modes are iptables (the default, also written ""), ipvs and nftables');
    }
  }
  if (c.clusterCIDR !== undefined && c.clusterCIDR !== '' && c.clusterCIDR !== null) {
    const l = f.cidrList(o, ['clusterCIDR'], c.clusterCIDR, 'clusterCIDR');
    if (l) f.set('proxyClusterCIDR', l.join(','), o, ['clusterCIDR']);
  }
  if (isObj(c.ipvs) && c.ipvs.scheduler !== undefined) {
    const s = c.ipvs.scheduler;
    if (s === '' || (typeof s === 'string' && (IPVS_SCHEDULERS as readonly string[]).includes(s))) {
      // an empty scheduler means round robin
      f.set('ipvsScheduler', (s === '' ? 'rr' : s) as IpvsScheduler, o, ['ipvs', 'scheduler']);
    } else {
      f.error(o, ['ipvs', 'scheduler'], 'NS-CONFIG-MODE', `${describe(s)} is not an IPVS scheduler netspec models`, `use one of ${IPVS_SCHEDULERS.join(', ')} ("" means rr)`);
    }
  }
  const bool = (sect: string, key: string, into: 'masqueradeAll' | 'nftMasqueradeAll' | 'localhostNodePorts') => {
    if (!isObj(c[sect]) || c[sect][key] === undefined || c[sect][key] === null) return;
    const v = c[sect][key];
    if (typeof v !== 'boolean') f.error(o, [sect, key], 'NS-CONFIG-VALUE', `${key} must be true or false, not ${describe(v)}`, 'write true or false without quotes');
    else f.set(into, v, o, [sect, key]);
  };
  bool('iptables', 'masqueradeAll', 'masqueradeAll');
  bool('iptables', 'localhostNodePorts', 'localhostNodePorts');
  bool('nftables', 'masqueradeAll', 'nftMasqueradeAll');
  // masqueradeBit: validation.go allows 0..31; the mark is 1 << bit
  for (const [sect, into] of [['iptables', 'masqueradeBit'], ['nftables', 'nftMasqueradeBit']] as const) {
    if (!isObj(c[sect]) || c[sect].masqueradeBit === undefined || c[sect].masqueradeBit === null) continue;
    const v = c[sect].masqueradeBit;
    if (!Number.isInteger(v) || v < 0 || v > 31) f.error(o, [sect, 'masqueradeBit'], 'NS-CONFIG-VALUE', `masqueradeBit must be a whole number from 0 to 31, not ${describe(v)}`, 'kube-proxy marks with 1 << masqueradeBit; the default is 14 (0x4000)');
    else f.set(into, v, o, [sect, 'masqueradeBit']);
  }
  if (c.nodePortAddresses !== undefined && c.nodePortAddresses !== null) {
    const l = c.nodePortAddresses;
    if (!Array.isArray(l)) {
      f.error(o, ['nodePortAddresses'], 'NS-CONFIG-VALUE', `nodePortAddresses must be a list, not ${describe(l)}`, 'e.g. nodePortAddresses: ["primary"] or ["10.0.0.0/8"]');
    } else {
      // validation.go validateKubeProxyNodePortAddress: "primary" alone, or CIDRs
      let ok = true;
      l.forEach((a: unknown, i: number) => {
        if (a === 'primary' && l.length === 1) return;
        if (typeof a !== 'string' || !validCIDR(a)) {
          ok = false;
          f.error(o, ['nodePortAddresses', i], 'NS-CONFIG-CIDR', a === 'primary' ? '"primary" must be the only entry of nodePortAddresses' : `${describe(a)} must be a valid CIDR`, 'write CIDRs such as 10.0.0.0/8, or the single value "primary" (the node\'s primary IPs)');
        }
      });
      if (ok) f.set('nodePortAddresses', l.map((a: string) => (a === 'primary' ? a : parseCIDR(a).text)), o, ['nodePortAddresses']);
    }
  }
  if (c.detectLocalMode !== undefined && c.detectLocalMode !== null && c.detectLocalMode !== '') {
    const m = c.detectLocalMode;
    if (!(DETECT_LOCAL_MODES as readonly unknown[]).includes(m)) {
      f.error(o, ['detectLocalMode'], 'NS-CONFIG-VALUE', `${describe(m)} is not a detectLocalMode`, `use one of ${DETECT_LOCAL_MODES.join(', ')}`);
    } else {
      f.set('detectLocalMode', m as DetectLocalMode, o, ['detectLocalMode']);
      const dl = isObj(c.detectLocal) ? c.detectLocal : {};
      const need = m === 'BridgeInterface' ? 'bridgeInterface' : m === 'InterfaceNamePrefix' ? 'interfaceNamePrefix' : null;
      // validation.go: the interface (prefix) must be given for these modes
      if (need && (typeof dl[need] !== 'string' || dl[need] === '')) {
        f.error(o, ['detectLocal', need], 'NS-CONFIG-VALUE', `detectLocalMode ${m} needs detectLocal.${need}`, m === 'BridgeInterface' ? 'e.g. detectLocal: {bridgeInterface: cni0}' : 'e.g. detectLocal: {interfaceNamePrefix: veth}');
      } else if (need) {
        f.set('detectLocal', { bridgeInterface: String(dl.bridgeInterface ?? ''), interfaceNamePrefix: String(dl.interfaceNamePrefix ?? '') }, o, ['detectLocal', need]);
      }
    }
  }
  // settings that change what kube-proxy does but that netspec does not model: say so rather than
  // answer as if they were not there
  const unmodelled: [Path, boolean, string][] = [
    [['ipvs', 'excludeCIDRs'], isObj(c.ipvs) && Array.isArray(c.ipvs.excludeCIDRs) && c.ipvs.excludeCIDRs.length > 0, 'it only keeps kube-proxy from cleaning up IPVS rules it did not write, and netspec models no foreign IPVS rules'],
    [['ipvs', 'strictARP'], isObj(c.ipvs) && c.ipvs.strictARP === true, 'ARP is not modelled (L2 announcement of service addresses, e.g. MetalLB)'],
    [['conntrack'], isObj(c.conntrack) && Object.keys(c.conntrack).length > 0, 'conntrack table sizes and timeouts are not modelled (every connection is new)'],
  ];
  if (f.config.proxyMode === 'ipvs') {
    unmodelled.push([['nodePortAddresses'], Array.isArray(c.nodePortAddresses) && c.nodePortAddresses.length > 0, 'in ipvs mode NodePorts are modelled on every node address']);
    unmodelled.push([['detectLocalMode'], typeof c.detectLocalMode === 'string' && c.detectLocalMode !== '' && c.detectLocalMode !== 'ClusterCIDR', 'in ipvs mode local traffic is detected by the cluster CIDR']);
  }
  for (const [p, set, how] of unmodelled) {
    if (set) f.diag.warn('NS-CONFIG-UNMODELLED', `${f.label(o)}: ${p.join('.')} is not modelled: ${how}`, f.pos(o, p));
  }
}

const DETECT_LOCAL_MODES = ['ClusterCIDR', 'NodeCIDR', 'BridgeInterface', 'InterfaceNamePrefix'] as const;

// ---------------------------------------------------------------------------------------------
// kubelet

function foldKubelet(f: Folder, o: KObject): void {
  const c = o as any;
  if (c.clusterDNS !== undefined && c.clusterDNS !== null) {
    if (!Array.isArray(c.clusterDNS)) {
      f.error(o, ['clusterDNS'], 'NS-CONFIG-VALUE', 'clusterDNS must be a list of IP addresses', 'e.g. clusterDNS: [10.96.0.10]');
    } else {
      let ok = true;
      c.clusterDNS.forEach((ip: unknown, i: number) => {
        if (!validIP(ip)) { ok = false; f.error(o, ['clusterDNS', i], 'NS-CONFIG-IP', `${describe(ip)} is not a valid IP address`, 'clusterDNS lists the cluster DNS Service IPs, e.g. 10.96.0.10'); }
      });
      if (ok && c.clusterDNS.length) f.set('clusterDNS', c.clusterDNS.slice(), o, ['clusterDNS']);
    }
  }
  if (c.clusterDomain !== undefined) setDomain(f, o, ['clusterDomain'], c.clusterDomain);
  if (c.resolvConf !== undefined) foldResolvConf(f, o, c.resolvConf);
}

function foldResolvConf(f: Folder, o: KObject, v: unknown): void {
  const p: Path = ['resolvConf'];
  if (typeof v !== 'string') {
    f.error(o, p, 'NS-CONFIG-VALUE', `resolvConf must be a path, not ${describe(v)}`, 'a path relative to this file\'s folder, e.g. resolv.conf');
    return;
  }
  if (v === '') {
    // kubelet: an empty resolvConf gives pods with dnsPolicy Default no nameserver at all
    f.set('nodeResolvConf', '', o, p);
    f.set('nodeResolvConfPath', '', o, p);
    return;
  }
  const file = originOf(o)?.file;
  const dir = file && !file.startsWith('<') ? path.dirname(file) : '.';
  // the node's file lives next to the config; an absolute path is looked up under that folder too,
  // never on this machine (whose resolv.conf is not the node's)
  const candidate = path.isAbsolute(v) ? path.join(dir, v) : path.join(dir, v);
  let text: string | undefined;
  try {
    if (fs.statSync(candidate).isFile()) text = fs.readFileSync(candidate, 'utf8');
  } catch { text = undefined; }
  if (text === undefined) {
    if (path.isAbsolute(v)) {
      f.diag.warn('NS-RESOLVCONF-MISSING', `KubeletConfiguration resolvConf ${v} was looked for at ${candidate} and not found; the nodes keep netspec's default resolv.conf`, f.pos(o, p));
      f.set('nodeResolvConfPath', v, o, p);
      return;
    }
    f.error(o, p, 'NS-RESOLVCONF-MISSING', `resolvConf "${v}" not found (looked for ${candidate})`, 'put the node\'s resolv.conf beside the KubeletConfiguration, or fix the path (it is relative to the config file\'s folder)');
    return;
  }
  f.set('nodeResolvConf', text, o, p);
  f.set('nodeResolvConfPath', v, o, p);
}

// ---------------------------------------------------------------------------------------------
// ServiceCIDR (networking.k8s.io): extra ranges for ClusterIPs

function foldServiceCIDR(f: Folder, o: KObject): void {
  const cidrs = o.spec?.cidrs;
  if (!Array.isArray(cidrs)) {
    f.error(o, ['spec', 'cidrs'], 'NS-CONFIG-CIDR', 'a ServiceCIDR needs spec.cidrs', 'spec.cidrs lists one CIDR per IP family, e.g. [10.100.0.0/16]');
    return;
  }
  const good: string[] = [];
  cidrs.forEach((c: unknown, i: number) => {
    if (!validCIDR(c)) f.error(o, ['spec', 'cidrs', i], 'NS-CONFIG-CIDR', `${describe(c)} is not a valid CIDR`, 'write a CIDR as address/prefix, e.g. 10.100.0.0/16');
    else if (!isStrictCIDR(c)) f.error(o, ['spec', 'cidrs', i], 'NS-CONFIG-CIDR', `"${c}" has host bits set; did you mean ${parseCIDR(c).text}?`, 'a ServiceCIDR range must start at its network address');
    else good.push(parseCIDR(c).text);
  });
  if (cidrs.length > 2 || (cidrs.length === 2 && cidrFamily(cidrs[0]) !== null && cidrFamily(cidrs[0]) === cidrFamily(cidrs[1]))) {
    f.error(o, ['spec', 'cidrs'], 'NS-CONFIG-CIDR', 'spec.cidrs holds at most one CIDR per IP family', 'use a second ServiceCIDR object for another range of the same family');
    return;
  }
  if (good.length !== cidrs.length) return;
  const next = f.config.serviceSubnets.slice();
  for (const c of good) if (!next.includes(c)) next.push(c);
  if (next.length !== f.config.serviceSubnets.length) {
    f.config.serviceSubnets = next;
    const by = f.where(o, ['spec', 'cidrs']);
    f.config.provenance.serviceSubnets = f.config.provenance.serviceSubnets ? `${f.config.provenance.serviceSubnets}; ${by}` : by;
  }
}

// ---------------------------------------------------------------------------------------------
// ip-masq-agent

function foldIpMasqAgent(f: Folder, o: KObject): void {
  let nonMasq = IP_MASQ_AGENT_DEFAULT_CIDRS.slice();
  let masqLinkLocal = false;
  const p: Path = ['data', 'config'];
  const text = o.data?.config;
  if (typeof text === 'string') {
    let cfg: unknown;
    try {
      cfg = parseYaml(text, { ...yamlOptions(), maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e: any) {
      f.error(o, p, 'NS-CONFIG-VALUE', `data.config is not YAML or JSON: ${String(e?.message ?? e).split('\n')[0]}`, 'ip-masq-agent reads data.config as YAML or JSON: {nonMasqueradeCIDRs: [...], masqLinkLocal: false}');
      return;
    }
    if (cfg !== null && cfg !== undefined && !isObj(cfg)) {
      f.error(o, p, 'NS-CONFIG-VALUE', 'data.config must be a mapping', 'e.g. nonMasqueradeCIDRs: [10.0.0.0/8]');
      return;
    }
    const c = (cfg ?? {}) as Record<string, any>;
    // only the fields present override the defaults, as the agent's JSON decoding does
    if (c.nonMasqueradeCIDRs !== undefined && c.nonMasqueradeCIDRs !== null) {
      if (!Array.isArray(c.nonMasqueradeCIDRs)) {
        f.error(o, p, 'NS-CONFIG-VALUE', 'nonMasqueradeCIDRs must be a list of CIDRs', 'e.g. nonMasqueradeCIDRs: [10.0.0.0/8, 192.168.0.0/16]');
        return;
      }
      const limit = typeof c.cidrLimit === 'number' ? c.cidrLimit : IP_MASQ_AGENT_CIDR_LIMIT;
      if (c.nonMasqueradeCIDRs.length > limit) {
        f.error(o, p, 'NS-CONFIG-VALUE', `${c.nonMasqueradeCIDRs.length} nonMasqueradeCIDRs given; ip-masq-agent accepts at most ${limit}`, 'raise cidrLimit or merge ranges');
        return;
      }
      for (const cidr of c.nonMasqueradeCIDRs) {
        if (!validCIDR(cidr)) { f.error(o, p, 'NS-CONFIG-CIDR', `nonMasqueradeCIDRs entry ${describe(cidr)} is not a valid CIDR`, 'write a CIDR as address/prefix, e.g. 10.0.0.0/8'); return; }
        // the agent refuses a CIDR whose address is not its network address
        if (!isStrictCIDR(cidr)) { f.error(o, p, 'NS-CONFIG-CIDR', `nonMasqueradeCIDRs entry "${cidr}" is not aligned to a CIDR block (network ${parseCIDR(cidr).text})`, 'ip-masq-agent refuses unaligned CIDRs; write the network address'); return; }
      }
      nonMasq = c.nonMasqueradeCIDRs.map((x: string) => parseCIDR(x).text);
      if (nonMasq.some((x) => cidrFamily(x) === 6)) {
        f.diag.warn('NS-CONFIG-VALUE', 'ip-masq-agent applies IPv6 nonMasqueradeCIDRs only when started with --enable-ipv6', f.pos(o, p));
      }
    }
    if (c.masqLinkLocal !== undefined) {
      if (typeof c.masqLinkLocal !== 'boolean') { f.error(o, p, 'NS-CONFIG-VALUE', 'masqLinkLocal must be true or false', 'masqLinkLocal: false keeps 169.254.0.0/16 unmasqueraded'); return; }
      masqLinkLocal = c.masqLinkLocal;
    }
  }
  f.set('egressMasquerade', { by: 'ip-masq-agent', nonMasqueradeCIDRs: nonMasq, masqLinkLocal, pos: f.pos(o, typeof text === 'string' ? p : []) }, o, typeof text === 'string' ? p : []);
}

// ---------------------------------------------------------------------------------------------
// CNI: flannel, Calico, Cilium

interface NetChoice { mode: PodNetworkMode; device: string; port?: number; detail: string; path: Path }

/** The node's uplink: routed pod traffic leaves through it, unencapsulated. */
const ROUTED_DEVICE = 'eth0';

function foldCni(f: Folder, found: { obj: KObject; plugin: string }[]): void {
  if (found.length === 0) return;
  const plugins = [...new Set(found.map((x) => x.plugin))];
  if (plugins.length > 1) {
    const first = found[0];
    const other = found.find((x) => x.plugin !== first.plugin)!;
    f.diag.warn('NS-CONFIG-CONFLICT', `configuration of more than one CNI plugin found (${plugins.join(', ')}); ${first.plugin} from ${f.where(first.obj)} is used, ${f.where(other.obj)} is ignored`, f.pos(other.obj, []));
  }
  const plugin = found[0].plugin;
  const docs = found.filter((x) => x.plugin === plugin).map((x) => x.obj);
  if (plugin === 'flannel') foldFlannel(f, docs[0]);
  else if (plugin === 'cilium') foldCilium(f, docs[0]);
  else foldCalico(f, docs);
}

function setNetwork(f: Folder, o: KObject, plugin: string, n: NetChoice): void {
  const pos = f.pos(o, n.path);
  const decidedBy = `${f.label(o)} ${n.detail}${pos ? ` (${formatPos(pos)})` : ''}`;
  f.set('podNetwork', { mode: n.mode, plugin, device: n.device, ...(n.port !== undefined ? { port: n.port } : {}), decidedBy, pos }, o, n.path);
}

function foldFlannel(f: Folder, o: KObject): void {
  const key = 'net-conf.json';
  const p: Path = ['data', key];
  const text = o.data?.[key];
  if (typeof text !== 'string') {
    f.error(o, p, 'NS-CONFIG-VALUE', `kube-flannel-cfg has no data["${key}"]`, 'flannel reads its network from net-conf.json: {"Network": "10.244.0.0/16", "Backend": {"Type": "vxlan"}}');
    return;
  }
  let cfg: any;
  try { cfg = JSON.parse(text); } catch (e: any) {
    f.error(o, p, 'NS-CONFIG-VALUE', `net-conf.json is not valid JSON: ${e?.message ?? e}`, 'flannel parses net-conf.json as strict JSON (no trailing commas, double quotes)');
    return;
  }
  if (!isObj(cfg)) { f.error(o, p, 'NS-CONFIG-VALUE', 'net-conf.json must be a JSON object', '{"Network": "10.244.0.0/16", "Backend": {"Type": "vxlan"}}'); return; }
  const subnets: string[] = [];
  if (cfg.EnableIPv4 !== false && cfg.Network !== undefined) {
    if (!validCIDR(cfg.Network) || cidrFamily(cfg.Network) !== 4) { f.error(o, p, 'NS-CONFIG-CIDR', `net-conf.json Network ${describe(cfg.Network)} is not an IPv4 CIDR`, 'e.g. "Network": "10.244.0.0/16"'); return; }
    subnets.push(parseCIDR(cfg.Network).text);
  }
  if (cfg.EnableIPv6 === true && cfg.IPv6Network !== undefined) {
    if (!validCIDR(cfg.IPv6Network) || cidrFamily(cfg.IPv6Network) !== 6) { f.error(o, p, 'NS-CONFIG-CIDR', `net-conf.json IPv6Network ${describe(cfg.IPv6Network)} is not an IPv6 CIDR`, 'e.g. "IPv6Network": "fd00:10:244::/56"'); return; }
    subnets.push(parseCIDR(cfg.IPv6Network).text);
  }
  if (subnets.length) f.set('podSubnets', subnets, o, p);
  if (cfg.SubnetLen !== undefined) {
    if (!Number.isInteger(cfg.SubnetLen) || cfg.SubnetLen < 1 || cfg.SubnetLen > 30) f.error(o, p, 'NS-CONFIG-VALUE', `SubnetLen ${describe(cfg.SubnetLen)} is not a prefix length up to 30`, 'flannel gives each node a /SubnetLen (default 24)');
    else f.set('nodeCidrMaskSizeV4', cfg.SubnetLen, o, p);
  }
  if (cfg.IPv6SubnetLen !== undefined && Number.isInteger(cfg.IPv6SubnetLen) && cfg.IPv6SubnetLen > 0 && cfg.IPv6SubnetLen <= 126) f.set('nodeCidrMaskSizeV6', cfg.IPv6SubnetLen, o, p);
  // flannel: no Backend at all means the udp backend
  const be = cfg.Backend;
  const type = isObj(be) ? (typeof be.Type === 'string' ? be.Type : '') : be === undefined ? 'udp' : '';
  const vni = isObj(be) && Number.isInteger(be.VNI) ? be.VNI : 1;
  const port = isObj(be) && Number.isInteger(be.Port) && be.Port > 0 ? be.Port : undefined;
  switch (type) {
    case 'vxlan':
      // the kernel's default VXLAN port on Linux is 8472; the device is flannel.<VNI>
      setNetwork(f, o, 'flannel', { mode: 'vxlan', device: `flannel.${vni}`, port: port ?? 8472, detail: 'net-conf.json Backend.Type vxlan', path: p });
      break;
    case 'host-gw':
      setNetwork(f, o, 'flannel', { mode: 'routed', device: ROUTED_DEVICE, detail: 'net-conf.json Backend.Type host-gw', path: p });
      break;
    case 'ipip':
      setNetwork(f, o, 'flannel', { mode: 'ipip', device: 'flannel.ipip', detail: 'net-conf.json Backend.Type ipip', path: p });
      break;
    default:
      f.error(o, p, 'NS-CONFIG-MODE', `flannel backend ${type ? `"${type}"` : be === undefined ? '"udp" (no Backend given)' : '(no Type)'} is not modelled by netspec`,
        'netspec models the flannel backends vxlan, host-gw and ipip: set "Backend": {"Type": "vxlan"}');
  }
}

const CALICO_MODES = ['Always', 'CrossSubnet', 'Never'];

function foldCalico(f: Folder, pools: KObject[]): void {
  const subnets: string[] = [];
  let chosen: { o: KObject; n: NetChoice } | undefined;
  let block4: { o: KObject; v: number } | undefined, block6: { o: KObject; v: number } | undefined;
  for (const o of pools) {
    const spec = o.spec;
    if (!isObj(spec)) { f.error(o, ['spec'], 'NS-CONFIG-VALUE', 'an IPPool needs a spec', 'spec: {cidr: 192.168.0.0/16, vxlanMode: Always}'); continue; }
    if (spec.disabled === true) continue;
    if (!validCIDR(spec.cidr)) { f.error(o, ['spec', 'cidr'], 'NS-CONFIG-CIDR', `IPPool cidr ${describe(spec.cidr)} is not a valid CIDR`, 'e.g. cidr: 192.168.0.0/16'); continue; }
    const fam = cidrFamily(spec.cidr)!;
    let bad = false;
    for (const k of ['vxlanMode', 'ipipMode']) {
      if (spec[k] !== undefined && !CALICO_MODES.includes(spec[k])) {
        f.error(o, ['spec', k], 'NS-CONFIG-MODE', `${k} ${describe(spec[k])} is not one of ${CALICO_MODES.join(', ')}`, `Calico's ${k} is Always, CrossSubnet or Never`);
        bad = true;
      }
    }
    const vx = spec.vxlanMode === 'Always' || spec.vxlanMode === 'CrossSubnet';
    const ipip = spec.ipipMode === 'Always' || spec.ipipMode === 'CrossSubnet';
    if (vx && ipip) {
      f.error(o, ['spec', 'ipipMode'], 'NS-CONFIG-MODE', 'an IPPool cannot enable both VXLAN and IP-in-IP', 'Calico refuses a pool with both vxlanMode and ipipMode enabled; set one of them to Never');
      bad = true;
    }
    if (bad) continue;
    subnets.push(parseCIDR(spec.cidr).text);
    const bs = spec.blockSize;
    const defBs = fam === 4 ? 26 : 122;
    const blockSize = Number.isInteger(bs) ? bs : defBs;
    if (fam === 4 && !block4) block4 = { o, v: blockSize };
    if (fam === 6 && !block6) block6 = { o, v: blockSize };
    if (!chosen) {
      const n: NetChoice = vx
        ? { mode: 'vxlan', device: fam === 6 ? 'vxlan-v6.calico' : 'vxlan.calico', port: 4789, detail: `vxlanMode ${spec.vxlanMode}`, path: ['spec', 'vxlanMode'] }
        : ipip
          ? { mode: 'ipip', device: 'tunl0', detail: `ipipMode ${spec.ipipMode}`, path: ['spec', 'ipipMode'] }
          : { mode: 'routed', device: ROUTED_DEVICE, detail: 'no encapsulation (BGP routes)', path: ['spec', 'cidr'] };
      chosen = { o, n };
    }
  }
  if (subnets.length) {
    // pools in the order given; one IPv4 and one IPv6 pool make a dual-stack pod network
    f.set('podSubnets', subnets, pools[0], ['spec', 'cidr']);
  }
  // calico-ipam hands each node blocks of /blockSize (26 for IPv4, 122 for IPv6 by default)
  if (block4) f.set('nodeCidrMaskSizeV4', block4.v, block4.o, ['spec', 'blockSize']);
  if (block6) f.set('nodeCidrMaskSizeV6', block6.v, block6.o, ['spec', 'blockSize']);
  if (chosen) setNetwork(f, chosen.o, 'calico', chosen.n);
}

function foldCilium(f: Folder, o: KObject): void {
  const d = (o.data ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string).trim() : undefined);
  const routing = str('routing-mode');
  const legacy = str('tunnel');
  const proto = str('tunnel-protocol');
  let n: NetChoice | undefined;
  const tunnel = (p: string | undefined, key: string): NetChoice | undefined => {
    const prot = p ?? 'vxlan';
    if (prot !== 'vxlan' && prot !== 'geneve') {
      f.error(o, ['data', key], 'NS-CONFIG-MODE', `tunnel protocol "${prot}" is not vxlan or geneve`, 'Cilium tunnels with vxlan (the default) or geneve');
      return undefined;
    }
    const tp = str('tunnel-port');
    const port = tp && /^\d+$/.test(tp) && Number(tp) > 0 ? Number(tp) : prot === 'vxlan' ? 8472 : 6081;
    return { mode: prot === 'vxlan' ? 'vxlan' : 'geneve', device: prot === 'vxlan' ? 'cilium_vxlan' : 'cilium_geneve', port, detail: `${key} ${d[key] ?? ''}`.trim() + (key === 'routing-mode' ? `, tunnel-protocol ${prot}` : ''), path: ['data', key] };
  };
  if (routing !== undefined) {
    if (routing === 'native') n = { mode: 'routed', device: ROUTED_DEVICE, detail: 'routing-mode native', path: ['data', 'routing-mode'] };
    else if (routing === 'tunnel') n = tunnel(proto ?? (legacy && legacy !== 'disabled' ? legacy : undefined), 'routing-mode');
    else f.error(o, ['data', 'routing-mode'], 'NS-CONFIG-MODE', `routing-mode "${routing}" is not native or tunnel`, 'Cilium\'s routing-mode is tunnel (the default) or native');
  } else if (legacy !== undefined) {
    // before Cilium 1.14: tunnel: vxlan | geneve | disabled
    if (legacy === 'disabled') n = { mode: 'routed', device: ROUTED_DEVICE, detail: 'tunnel disabled', path: ['data', 'tunnel'] };
    else n = tunnel(legacy, 'tunnel');
  } else {
    // Cilium's default: tunnel mode over VXLAN
    n = tunnel(proto, proto !== undefined ? 'tunnel-protocol' : 'routing-mode');
    if (n) n.detail = proto !== undefined ? `tunnel-protocol ${proto} (routing-mode defaults to tunnel)` : 'defaults (routing-mode tunnel, tunnel-protocol vxlan)';
  }
  const ipam = str('ipam') ?? 'cluster-pool';
  if (ipam === 'cluster-pool') {
    const subnets: string[] = [];
    for (const [k, fam] of [['cluster-pool-ipv4-cidr', 4], ['cluster-pool-ipv6-cidr', 6]] as const) {
      const v = str(k);
      if (v === undefined || v === '') continue;
      const first = v.split(/[\s,]+/).filter(Boolean)[0];
      if (!validCIDR(first) || cidrFamily(first) !== fam) { f.error(o, ['data', k], 'NS-CONFIG-CIDR', `${k} "${v}" is not an IPv${fam} CIDR`, `e.g. ${fam === 4 ? '10.0.0.0/8' : 'fd00::/104'}`); continue; }
      subnets.push(parseCIDR(first).text);
    }
    if (subnets.length) f.set('podSubnets', subnets, o, ['data', str('cluster-pool-ipv4-cidr') ? 'cluster-pool-ipv4-cidr' : 'cluster-pool-ipv6-cidr']);
    const ms = str('cluster-pool-ipv4-mask-size');
    if (ms !== undefined) {
      if (!/^\d+$/.test(ms) || Number(ms) < 1 || Number(ms) > 32) f.error(o, ['data', 'cluster-pool-ipv4-mask-size'], 'NS-CONFIG-VALUE', `cluster-pool-ipv4-mask-size "${ms}" is not a prefix length`, 'e.g. "24"');
      else f.set('nodeCidrMaskSizeV4', Number(ms), o, ['data', 'cluster-pool-ipv4-mask-size']);
    }
  }
  if (n) setNetwork(f, o, 'cilium', n);
}

