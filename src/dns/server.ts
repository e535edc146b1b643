// CoreDNS as one server: the Corefile's server blocks on the port the kube-dns Service targets, the
// block with the longest matching zone taking each query (no block → REFUSED), then the plugins in
// the order CoreDNS runs them (plugin.cfg: cache, rewrite, hosts, kubernetes, loop, forward — not
// the order they are written). Upstreams are fixtures; loops back into CoreDNS are detected.
import type { Realised } from '../model/realised';
import { posOf, type KObject } from '../model/types';
import type { Warning } from '../model/errors';
import { cidrContains, parseCIDR } from '../net/ip';
import type { Decider, Hop, SourcePos } from '../net/trace';
import { kubeadmCorefile, parseCorefile, type CacheConfig, type Corefile, type ForwardConfig, type HostsConfig, type LineRef, type RewriteRule, type ServerBlock, type UpstreamAddr } from './corefile';
import { KubeBackend } from './kubernetes';
import { addressFromReverse, fqdn, isSubdomain, matchZone, nameProblem } from './names';
import { clusterDNSAddresses, hostResolvConf } from './resolvconf';
import { message, rr, type DnsMessage, type RR, type RRType } from './types';
import type { UpstreamZone } from './zonefile';

/** Upstream DNS fixtures by server address. */
export type Upstreams = ReadonlyMap<string, UpstreamZone>;

export interface ServeContext {
  upstreams: Upstreams;
  /** null: no trace (the fast path) */
  hops: Hop[] | null;
  /** how deep in CNAME lookups through the server we are */
  depth: number;
}

const AT = 'dns/coredns';
const LOOPBACK4 = parseCIDR('127.0.0.0/8');

function lineDecider(corefile: Corefile, ref: LineRef): Decider {
  const d: Decider = { what: `Corefile line ${ref.line}: ${ref.text}` };
  if (ref.pos) d.pos = ref.pos;
  return d;
}

/** Finds the coredns ConfigMap in kube-system, if the inputs have one. */
function corednsConfigMap(realised: Realised): KObject | undefined {
  return realised.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.namespace === 'kube-system' && o.metadata.name === 'coredns' && typeof o.data?.Corefile === 'string');
}

export class CoreDns {
  readonly corefile: Corefile;
  /** blocks listening where pods send queries */
  readonly blocks: ServerBlock[];
  readonly port: number;
  /** addresses that reach CoreDNS: clusterDNS and the kube-dns Service's ClusterIPs */
  readonly addresses: readonly string[];
  readonly backends = new Map<ServerBlock, KubeBackend>();
  /** why CoreDNS is not running (plugin/loop halts it), or null */
  readonly halted: { reason: string; source: Decider } | null = null;
  readonly warnings: Warning[];
  private readonly blockZones: { zone: string; block: ServerBlock }[] = [];
  /** a CoreDNS pod's address, for the packets forward sends (kube-system, k8s-app=kube-dns) */
  private readonly podIP: string | null;

  constructor(readonly realised: Realised) {
    const cfg = realised.config;
    const host = hostResolvConf(cfg);
    const cm = corednsConfigMap(realised);
    if (cm) {
      const at = posOf(cm, ['data', 'Corefile']);
      const json = at?.file.endsWith('.json') ?? false;
      // a block scalar (Corefile: |) starts on the line after the key; JSON keeps it on one line
      // the block's indentation is the key's plus two (what kubectl and editors write)
      const indent = at ? Math.max(0, at.col - 1 - 'Corefile: '.length) + 2 : 0;
      const posFn = at ? (line: number, col: number): SourcePos => (json ? { ...at } : { file: at.file, line: at.line + line, col: indent + col }) : undefined;
      this.corefile = parseCorefile(cm.data!.Corefile, { posOf: posFn, resolvConfNameservers: host.nameservers, source: 'ConfigMap kube-system/coredns' });
    } else {
      this.corefile = parseCorefile(kubeadmCorefile(cfg.dnsDomain), { resolvConfNameservers: host.nameservers, source: "kubeadm's default Corefile" });
    }
    this.warnings = this.corefile.warnings.slice();
    this.podIP = realised.pods.find((p) => p.ns === 'kube-system' && p.labels?.['k8s-app'] === 'kube-dns' && p.ip && !p.hostNetwork)?.ip ?? null;
    const kubeDns = realised.serviceByKey.get('kube-system/kube-dns');
    const dnsPort = kubeDns?.ports.find((p) => p.protocol === 'UDP' && p.port === 53) ?? kubeDns?.ports.find((p) => p.port === 53);
    this.port = typeof dnsPort?.targetPort === 'number' ? dnsPort.targetPort : 53;
    const addrs = new Set(clusterDNSAddresses(cfg));
    for (const ip of kubeDns?.clusterIPs ?? []) addrs.add(ip);
    this.addresses = [...addrs];
    this.blocks = this.corefile.blocks.filter((b) => b.port === this.port);
    if (this.blocks.length === 0 && this.corefile.blocks.length) {
      this.warnings.push({ code: 'NS-COREFILE-PORT', message: `${this.corefile.source}: no server block listens on port ${this.port}, where the kube-dns Service sends queries; every query is refused` });
    }
    for (const b of this.blocks) {
      for (const z of b.zones) this.blockZones.push({ zone: z, block: b });
      if (b.kubernetes) this.backends.set(b, new KubeBackend(realised, b.kubernetes, this.addresses, (n, t, ctx) => this.lookup(n, t, ctx as ServeContext)));
    }
    // plugin/loop: CoreDNS sends itself a probe; if a forward leads back to it, it exits
    for (const b of this.blocks) {
      if (!b.loop) continue;
      for (const f of b.forward) {
        if (!b.zones.some((z) => isSubdomain(f.from, z))) continue;
        const self = f.to.find((u) => this.isSelf(u.ip));
        if (self) {
          (this as { halted: CoreDns['halted'] }).halted = {
            reason: `plugin/loop: Loop (${self.ip}:53 -> :53) detected for zone "${b.zones[0]}": forward sends queries to ${self.ip}${self.fromResolvConf ? ` (a nameserver of the node's resolv.conf, ${cfg.nodeResolvConfPath})` : ''}, which is CoreDNS itself. CoreDNS exits and restarts (CrashLoopBackOff); point forward at a real upstream`,
            source: lineDecider(this.corefile, f.ref),
          };
          break;
        }
      }
      if (this.halted) break;
    }
  }

  /** An address that is CoreDNS itself: loopback inside its pod, or the cluster DNS service. */
  isSelf(ip: string): boolean {
    return ip === '::1' || cidrContains(LOOPBACK4, ip) || this.addresses.includes(ip);
  }

  /** True when queries to `ip` reach CoreDNS. */
  serves(ip: string): boolean {
    return this.addresses.includes(ip);
  }

  /** The kubernetes backends, for the benchmark and tests. */
  kubeBackends(): KubeBackend[] {
    return [...this.backends.values()];
  }

  /**
   * Answers one query as CoreDNS would. `name` may be any case, with or without the trailing dot.
   * Never throws.
   */
  query(name: string, qtype: RRType, ctx: ServeContext): DnsMessage {
    const hops = ctx.hops;
    if (this.halted) {
      hops?.push({ at: AT, action: 'drop', detail: `no answer: CoreDNS is not running — ${this.halted.reason}`, source: this.halted.source });
      return message('SERVFAIL');
    }
    const problem = nameProblem(name);
    if (problem) {
      hops?.push({ at: AT, action: 'answer', detail: `FORMERR-like refusal: ${problem}` });
      return message('REFUSED');
    }
    const qname = fqdn(name);
    let best: { zone: string; block: ServerBlock } | null = null;
    for (const bz of this.blockZones) {
      if (isSubdomain(bz.zone, qname) && (best === null || bz.zone.length > best.zone.length)) best = bz;
    }
    if (best === null) {
      hops?.push({ at: AT, action: 'refuse', detail: `REFUSED: no server block serves ${qname} (zones: ${this.blockZones.map((b) => b.zone).join(' ') || 'none'} on port ${this.port})` });
      return message('REFUSED');
    }
    const block = best.block;
    hops?.push({ at: AT, action: 'match', detail: `server block ${block.keys.map((k) => k.raw).join(' ')} takes ${qname} ${qtype} (zone ${best.zone})`, source: lineDecider(this.corefile, block.ref) });
    let msg = this.serveBlock(block, qname, qtype, ctx);
    // the owner name keeps the case the question was asked in
    if (qname !== name && qname !== name + '.') {
      const asked = name.endsWith('.') ? name : name + '.';
      if (msg.answers.length) msg = keepCase(msg, qname, asked);
      // the kubernetes plugin spells its zone as the question did ("zone = qname[len(qname)-len(zone):]
      // // maintain case of original query"): SRV targets, their additional records, NS and SOA names
      const kzone = this.backends.get(block)?.zoneOf(qname);
      if (kzone && asked.slice(asked.length - kzone.length) !== kzone) msg = zoneCase(msg, kzone, asked.slice(asked.length - kzone.length));
    }
    return msg;
  }

  private serveBlock(block: ServerBlock, qname: string, qtype: RRType, ctx: ServeContext): DnsMessage {
    const hops = ctx.hops;
    const cache = block.cache && matchZone(block.cache.zones, qname) !== null ? block.cache : null;
    // rewrite
    let name = qname;
    let applied: { rule: RewriteRule; from: string; to: string }[] | null = null;
    for (const rule of block.rewrite) {
      const to = applyRewrite(rule, name);
      if (to === null) continue;
      (applied ??= []).push({ rule, from: name, to });
      hops?.push({ at: `${AT}/rewrite`, action: 'match', detail: `rewrite name ${rule.match}: ${name} → ${to}`, source: lineDecider(this.corefile, rule.ref) });
      name = to;
      if (rule.stop) break;
    }
    if (name !== qname && nameProblem(name)) {
      hops?.push({ at: `${AT}/rewrite`, action: 'answer', detail: `SERVFAIL: the rewritten name "${name}" is not a legal domain name` });
      return message('SERVFAIL');
    }
    let msg = this.chain(block, name, qtype, ctx);
    if (applied !== null) msg = revertRewrite(msg, qname, name, applied, hops);
    if (cache) {
      const clamped = clampTTL(msg, cache);
      if (clamped !== msg && hops) hops.push({ at: `${AT}/cache`, action: 'note', detail: `cache sets every TTL of the reply to ${clamped.answers[0]?.ttl ?? clamped.authority[0]?.ttl ?? clamped.additional[0]?.ttl} s (the message's lowest TTL, kept between ${msg.rcode === 'NOERROR' && msg.answers.length ? cache.successMin : cache.denialMin} and ${msg.rcode === 'NOERROR' && msg.answers.length ? cache.successMax : cache.denialMax}); it never changes what is answered`, source: lineDecider(this.corefile, cache.ref) });
      msg = clamped;
    }
    return msg;
  }

  private chain(block: ServerBlock, qname: string, qtype: RRType, ctx: ServeContext): DnsMessage {
    const hops = ctx.hops;
    if (block.hosts) {
      const h = serveHosts(block.hosts, qname, qtype);
      if (h) {
        hops?.push({ at: `${AT}/hosts`, action: 'answer', detail: h.why, source: lineDecider(this.corefile, block.hosts.ref) });
        return h.msg;
      }
      if (hops && (matchZone(block.hosts.zones, qname) || qtype === 'PTR') && (block.hosts.byName.has(qname) || qtype === 'PTR')) {
        hops.push({ at: `${AT}/hosts`, action: 'note', detail: `no hosts entry answers ${qname} ${qtype}; fallthrough passes it on`, source: lineDecider(this.corefile, block.hosts.ref) });
      }
    }
    const kube = this.backends.get(block);
    if (kube) {
      const zone = kube.zoneOf(qname);
      if (zone !== null) {
        const out = kube.serve(qname, qtype, zone, ctx);
        if (out.kind === 'answer') {
          if (hops) {
            const m = out.msg;
            const what = m.rcode !== 'NOERROR' ? m.rcode : m.answers.length ? m.answers.map((a) => `${a.type} ${a.data}`).slice(0, 4).join(', ') + (m.answers.length > 4 ? `, … (${m.answers.length})` : '') : 'NODATA';
            hops.push({ at: `${AT}/kubernetes`, action: 'answer', detail: `${what} — ${out.why}`, source: out.source ?? lineDecider(this.corefile, kube.cfg.ref) });
          }
          return out.msg;
        }
        hops?.push({ at: `${AT}/kubernetes`, action: 'note', detail: out.why, source: lineDecider(this.corefile, kube.cfg.ref) });
      }
    }
    for (const f of block.forward) {
      if (!isSubdomain(f.from, qname)) continue;
      if (f.except.some((z) => isSubdomain(z, qname))) {
        hops?.push({ at: `${AT}/forward`, action: 'note', detail: `${qname} is excepted from forward ${f.from}`, source: lineDecider(this.corefile, f.ref) });
        continue;
      }
      return this.forward(f, qname, qtype, ctx);
    }
    hops?.push({ at: AT, action: 'answer', detail: `SERVFAIL: no plugin in the server block answers ${qname} ("no next plugin found")`, source: lineDecider(this.corefile, block.ref) });
    return message('SERVFAIL');
  }

  /** CoreDNS's upstream.Lookup: the whole server again, for a CNAME target outside the zone. */
  private lookup(name: string, qtype: RRType, ctx: ServeContext): DnsMessage {
    if (ctx.depth > 8) return message('SERVFAIL');
    ctx.hops?.push({ at: AT, action: 'query', detail: `looks up the CNAME target ${name} ${qtype} through the server` });
    return this.query(name, qtype, { ...ctx, depth: ctx.depth + 1 });
  }

  private forward(f: ForwardConfig, qname: string, qtype: RRType, ctx: ServeContext): DnsMessage {
    const hops = ctx.hops;
    const src = lineDecider(this.corefile, f.ref);
    if (f.to.length === 0) {
      hops?.push({ at: `${AT}/forward`, action: 'answer', detail: `SERVFAIL: forward ${f.from} has no upstreams`, source: src });
      return message('SERVFAIL');
    }
    const missing: UpstreamAddr[] = [];
    for (const u of f.to) {
      if (this.isSelf(u.ip)) {
        hops?.push({ at: `${AT}/forward`, action: 'forward', detail: `forward ${f.from} → ${u.ip}, which is CoreDNS itself${u.fromResolvConf ? ` (from the node's resolv.conf, ${this.realised.config.nodeResolvConfPath})` : ''}: the query loops until it times out`, source: src });
        return message('SERVFAIL');
      }
      const z = ctx.upstreams.get(u.ip);
      if (!z) { missing.push(u); continue; }
      const via = u.fromResolvConf ? ` (nameserver of the node's resolv.conf, ${this.realised.config.nodeResolvConfPath})` : '';
      hops?.push({ at: `${AT}/forward`, action: 'forward', detail: `forward ${f.from} sends ${qname} ${qtype} to ${u.ip}:${u.port}${via}${missing.length ? `; ${missing.map((m) => m.ip).join(', ')} did not answer (no fixture)` : ''}`, source: src, ...(this.podIP ? { packet: { src: `${this.podIP}:41000`, dst: `${u.ip}:${u.port}`, proto: 'UDP' } } : {}) });
      const m = z.answer(qname, qtype);
      hops?.push({ at: `dns/upstream/${u.ip}`, action: 'answer', detail: `${describe(m)} — from the fixture (${z.source})` });
      return m;
    }
    hops?.push({ at: `${AT}/forward`, action: 'answer', detail: `SERVFAIL: no fixture for upstream ${missing.map((m) => m.ip).join(', ')} (netspec never asks the real network: give one with --upstream ${missing[0].ip}=ZONEFILE or "Given the upstream DNS ${missing[0].ip} answers …")`, source: src });
    return message('SERVFAIL');
  }
}

/** One line on a message for traces. */
export function describe(m: DnsMessage): string {
  if (m.rcode !== 'NOERROR') return m.rcode;
  if (!m.answers.length) return 'NODATA';
  const shown = m.answers.slice(0, 4).map((a) => `${a.type} ${a.data}`).join(', ');
  return m.answers.length > 4 ? `${shown}, … (${m.answers.length} records)` : shown;
}

/** Names derived from the kubernetes plugin's zone take the question's spelling of the zone. */
function zoneCase(m: DnsMessage, zone: string, spelled: string): DnsMessage {
  const name = (n: string) => (n.length >= zone.length && n.slice(n.length - zone.length).toLowerCase() === zone ? n.slice(0, n.length - zone.length) + spelled : n);
  const fix = (list: readonly RR[]) => list.map((r) => {
    const data = r.type === 'SRV' || r.type === 'SOA' || r.type === 'NS' ? r.data.split(' ').map(name).join(' ') : r.data;
    const owner = r.type === 'PTR' ? r.name : name(r.name);
    return owner === r.name && data === r.data ? r : rr(owner, r.type, r.ttl, data);
  });
  return message(m.rcode, fix(m.answers), fix(m.authority), fix(m.additional), m.aa);
}

function keepCase(m: DnsMessage, lower: string, asked: string): DnsMessage {
  const fix = (list: readonly RR[]) => list.map((r) => (r.name === lower ? rr(asked, r.type, r.ttl, r.data) : r));
  return message(m.rcode, fix(m.answers), m.authority, fix(m.additional), m.aa);
}

// ------------------------------------------------------------------------------------------------
// hosts

function serveHosts(h: HostsConfig, qname: string, qtype: RRType): { msg: DnsMessage; why: string } | null {
  const inZone = matchZone(h.zones, qname) !== null;
  if (!inZone && qtype !== 'PTR') return null;
  let answers: RR[] = [];
  if (qtype === 'PTR') {
    const names = h.noReverse ? undefined : h.byIP.get(addressFromReverse(qname));
    if (!names || !names.length) return null; // no entry: the next plugin, regardless of fallthrough
    answers = names.map((n) => rr(qname, 'PTR', h.ttl, n));
  } else if (qtype === 'A' || qtype === 'AAAA') {
    const ips = (h.byName.get(qname) ?? []).filter((ip) => (qtype === 'A') === !ip.includes(':'));
    answers = ips.map((ip) => rr(qname, qtype, h.ttl, ip));
  }
  if (answers.length) return { msg: message('NOERROR', answers, [], [], true), why: `hosts entry: ${answers.map((a) => a.data).join(', ')}` };
  if (h.fallthrough !== null && (h.fallthrough.length === 0 || matchZone(h.fallthrough, qname))) return null;
  if (h.byName.has(qname)) return { msg: message('NOERROR', [], [], [], true), why: `${qname} has hosts entries, none of type ${qtype}` };
  return { msg: message('NXDOMAIN', [], [], [], true), why: `NXDOMAIN: ${qname} has no hosts entry and hosts has no fallthrough` };
}

// ------------------------------------------------------------------------------------------------
// rewrite

function expandGroups(repl: string, m: RegExpExecArray): string {
  return repl.replace(/\{(\d+)\}/g, (_, n) => m[Number(n)] ?? '');
}

/** The name a rule rewrites `name` to, or null when it does not match. */
export function applyRewrite(rule: RewriteRule, name: string): string | null {
  switch (rule.match) {
    case 'exact': return name === rule.from ? rule.to : null;
    case 'prefix': return name.startsWith(rule.from) ? fqdn(rule.to + name.slice(rule.from.length)) : null;
    case 'suffix': return name.endsWith(rule.from) ? fqdn(name.slice(0, name.length - rule.from.length) + rule.to) : null;
    case 'substring': return name.includes(rule.from) ? fqdn(name.split(rule.from).join(rule.to)) : null;
    case 'regex': {
      const m = rule.re!.exec(name);
      return m ? fqdn(expandGroups(rule.to, m)) : null;
    }
  }
}

/** The response side: answers carry the original name again where the rule says so. */
function revertRewrite(m: DnsMessage, original: string, rewritten: string, applied: { rule: RewriteRule; from: string; to: string }[], hops: Hop[] | null): DnsMessage {
  let owner = (n: string) => n;
  let value = (d: string) => d;
  let reverted = false;
  for (const a of applied.slice().reverse()) {
    const prevOwner = owner, prevValue = value;
    for (const ans of a.rule.answer.length ? a.rule.answer : a.rule.match === 'exact' ? [{ kind: 'auto' as const }] : []) {
      reverted = true;
      if (ans.kind === 'auto') {
        const o = prevOwner;
        owner = (n: string) => o(revertName(a.rule, n, a.from, a.to));
      } else if (ans.kind === 'name') {
        const o = prevOwner;
        owner = (n: string) => { const mm = ans.re.exec(n); return o(mm ? fqdn(expandGroups(ans.repl, mm)) : n); };
      } else {
        const v = prevValue;
        value = (d: string) => v(d.replace(/\S+\.$/, (t) => { const mm = ans.re.exec(t); return mm ? fqdn(expandGroups(ans.repl, mm)) : t; }));
      }
    }
  }
  void rewritten;
  if (!reverted) {
    hops?.push({ at: `${AT}/rewrite`, action: 'note', detail: `the answers keep the rewritten name; resolvers that check owner names (glibc's getaddrinfo) ignore them — add "answer auto" (or "answer name …") to the rule`, source: { what: `Corefile line ${applied[0].rule.ref.line}: ${applied[0].rule.ref.text}`, pos: applied[0].rule.ref.pos } });
    return m;
  }
  const fix = (list: readonly RR[]) => list.map((r) => rr(owner(r.name), r.type, r.ttl, value(r.data)));
  hops?.push({ at: `${AT}/rewrite`, action: 'note', detail: `the answer names are rewritten back for ${original}` });
  return message(m.rcode, fix(m.answers), fix(m.authority), fix(m.additional), m.aa);
}

function revertName(rule: RewriteRule, n: string, from: string, to: string): string {
  if (n === to) return from;
  switch (rule.match) {
    case 'suffix': return n.endsWith(rule.to) ? fqdn(n.slice(0, n.length - rule.to.length) + rule.from) : n;
    case 'prefix': return n.startsWith(rule.to) ? fqdn(rule.from + n.slice(rule.to.length)) : n;
    case 'substring': return n.includes(rule.to) ? fqdn(n.split(rule.to).join(rule.from)) : n;
    default: return n;
  }
}

// ------------------------------------------------------------------------------------------------
// cache

/**
 * What the cache plugin does to a reply on its way out (cache.go ResponseWriter.WriteMsg): every
 * TTL becomes the message's lowest TTL, kept between the configured minimum and maximum (success:
 * 5…3600 s, denial: 5…1800 s, or the TTL given to `cache`). The records themselves never change.
 * Returns the same object when nothing changes.
 */
export function clampTTL(m: DnsMessage, c: CacheConfig): DnsMessage {
  if (m.rcode !== 'NOERROR' && m.rcode !== 'NXDOMAIN') return m;
  if (m.answers.length + m.authority.length + m.additional.length === 0) return m;
  const positive = m.rcode === 'NOERROR' && m.answers.length > 0;
  const max = positive ? c.successMax : c.denialMax;
  const min = positive ? c.successMin : c.denialMin;
  let ttl = Math.min(3600, max, m.lowTTL ?? Infinity);
  if (!positive) ttl = Math.min(ttl, m.soaMin ?? Infinity);
  if (ttl > max) ttl = max;
  if (ttl < min) ttl = min;
  if (m.sameTTL === ttl) return m;
  const set = (list: readonly RR[]) => list.map((r) => rr(r.name, r.type, ttl, r.data));
  return message(m.rcode, set(m.answers), set(m.authority), set(m.additional), m.aa);
}
