// CoreDNS's kubernetes plugin (plugin/kubernetes: parse.go, kubernetes.go, reverse.go, ns.go,
// handler.go, with plugin/backend_lookup.go), as a pure function of the realised cluster.
//
// The record store: every name that exists is a key (lower-cased FQDN) of one Map, holding what
// CoreDNS's Records() returns for it and, for A/AAAA/PTR, the finished answer, so a query is one
// Map lookup and no allocation. Names that are not keys go through the same parser CoreDNS uses
// (namespaces → NODATA, pod names under `pods insecure|verified`, anything else → NXDOMAIN).
import type { RPod, RService, Realised } from '../model/realised';
import { posOf, type KObject } from '../model/types';
import { canonicalIP, ipFamily, ipv4ToInt } from '../net/ip';
import type { Decider } from '../net/trace';
import type { KubernetesConfig } from './corefile';
import { addressFromReverse, dashedIP, isReverse, isSubdomain, matchZone, reverseName, trimZone } from './names';
import { message, rr, type DnsMessage, type RR, type RRType } from './types';

/** The kubernetes DNS schema version (github.com/kubernetes/dns docs/specification.md), TTL 28800. */
export const DNS_SCHEMA_VERSION = '1.1.0';
/**
 * The SOA serial. CoreDNS uses the time of the last change it saw from the API server; netspec has
 * no clock, so the serial is fixed (answers stay byte-for-byte reproducible).
 */
export const SOA_SERIAL = 1;

/** What CoreDNS calls a msg.Service: one host (address or name) a record speaks of. */
export interface Item {
  /** an IP address, or a target name (ExternalName) */
  readonly host: string;
  /** 4 or 6 for addresses, 0 for names */
  readonly family: 0 | 4 | 6;
  /** -1: the sentinel CoreDNS adds when a service or slice has no ports */
  readonly port: number;
  /** the name the record is about: svc.ns.svc.zone. or endpoint.svc.ns.svc.zone. */
  readonly key: string;
  readonly ttl: number;
  /** the object behind it, for traces */
  readonly obj?: KObject;
}

export type RecordsError = 'noitems' | 'nsnotexposed' | 'invalid';

export interface Records {
  items: readonly Item[];
  err: RecordsError | null;
  /** one sentence on how the plugin got there */
  why: string;
  source?: Decider;
}

interface Entry {
  rec: Records;
  /** the finished A outcome (most queries), and the other types' once asked */
  a: KubeOutcome | undefined;
  memo: Map<RRType, KubeOutcome> | null;
  /** true when an ExternalName points outside the zone (the answer depends on upstreams) */
  dynamic: boolean;
}

interface EpAddr {
  ip: string;
  hostname: string;
  targetRef: string;
  ports: { port: number; name: string; protocol: string }[];
  slice: KObject;
}

/** The result of the kubernetes plugin for one query. */
export type KubeOutcome =
  | { kind: 'answer'; msg: DnsMessage; why: string; source?: Decider }
  | { kind: 'next'; why: string };

/** Looks a name up through the whole server again (CoreDNS's upstream.Lookup), for CNAME targets. */
export type UpstreamLookup = (name: string, type: RRType) => DnsMessage;
/** The server's lookup, given the query's context (kept opaque here). */
export type ServerLookup = (name: string, type: RRType, ctx: unknown) => DnsMessage;

const NOITEMS: Records = Object.freeze({ items: [], err: 'noitems', why: '' }) as Records;

function deciderOf(obj: KObject | undefined, what?: string): Decider | undefined {
  if (!obj) return undefined;
  const d: Decider = { what: what ?? `${obj.kind} ${obj.metadata.namespace ? obj.metadata.namespace + '/' : ''}${obj.metadata.name}` };
  const p = posOf(obj);
  if (p) d.pos = p;
  return d;
}

export class KubeBackend {
  private readonly entries = new Map<string, Entry>();
  /** service names only (a small map stays in the CPU cache: the lookups pods make most) */
  private readonly hot = new Map<string, Entry>();
  private readonly svcIndex = new Map<string, RService>();
  /** "name.ns" → the Service's ready endpoint addresses (computed when first asked) */
  private readonly epIndex = new Map<string, EpAddr[]>();
  /** address → the Services and endpoints that have it (for PTR; built on the first reverse lookup) */
  private epByIP: Map<string, { svc: RService; addr: EpAddr }[]> | null = null;
  private readonly namespaces: ReadonlySet<string>;
  private podsByIP: Map<string, RPod[]> | null = null;
  /** zones that are not reverse zones (where service names live) */
  readonly forwardZones: string[];
  readonly soaCache = new Map<string, RR>();
  private readonly nsRecords: { name: string; ip: string }[];
  private readonly deciders = new Map<KObject, Decider | undefined>();

  private decider(obj: KObject | undefined): Decider | undefined {
    if (!obj) return undefined;
    let d = this.deciders.get(obj);
    if (d === undefined && !this.deciders.has(obj)) { d = deciderOf(obj); this.deciders.set(obj, d); }
    return d;
  }

  constructor(private readonly realised: Realised, readonly cfg: KubernetesConfig, clusterDNS: readonly string[], private readonly serverLookup: ServerLookup = () => message('SERVFAIL')) {
    this.namespaces = new Set(realised.namespaces.keys());
    this.forwardZones = cfg.zones.filter((z) => !isReverse(z) && z !== 'in-addr.arpa.' && z !== 'ip6.arpa.');
    for (const s of realised.services) this.svcIndex.set(`${s.name}.${s.ns}`, s);
    // ns.dns.<zone>: the kube-dns service (CoreDNS finds the services of its own endpoints)
    const kubeDns = this.svcIndex.get('kube-dns.kube-system');
    this.nsRecords = [];
    if (kubeDns && !kubeDns.headless && kubeDns.clusterIPs.length) {
      for (const ip of kubeDns.clusterIPs) this.nsRecords.push({ name: 'kube-dns.kube-system.svc.', ip });
    } else {
      for (const ip of clusterDNS) this.nsRecords.push({ name: 'ns.dns.', ip });
    }
    this.build();
  }

  // ----------------------------------------------------------------------------------------------
  // The store

  private build(): void {
    const ttl = this.cfg.ttl;
    // first the service names (allocated together: they are what pods ask for most)
    for (const zone of this.forwardZones) {
      for (const svc of this.realised.services) {
        if (!this.exposed(svc.ns)) continue;
        const base = `${svc.name}.${svc.ns}.svc.${zone}`;
        this.hot.set(base, this.entry(base, this.findServices(svc.ns, svc.name, '', '', '', zone), zone));
      }
    }
    // SRV and endpoint names (_http._tcp.web.ns.svc…, web-0.web.ns.svc…) are answered by
    // findServices when asked: there are as many as endpoints, and few are ever asked
    // reverse names (PTR) are answered from the address indexes (serviceByClusterIP, epByIP) and
    // kept in the store once asked: there is one per address, and few are ever asked
  }

  private put(name: string, rec: Records, zone: string): void {
    this.entries.set(name, this.entry(name, rec, zone));
  }

  private entry(name: string, rec: Records, zone: string): Entry {
    let cname = false, dynamic = false;
    for (const i of rec.items) {
      if (i.family !== 0) continue;
      cname = true;
      if (!isSubdomain(zone, toFqdn(i.host).toLowerCase())) dynamic = true;
    }
    const e: Entry = { rec, a: undefined, memo: null, dynamic };
    // the A answer ready to hand out: the hot path of every pod's lookups (CNAME chases inside the
    // zone are computed on first use, then kept; chases outside depend on the upstream fixtures)
    if (!rec.err && !cname) {
      const answers = this.addressRecords(name, 'A', rec.items);
      const msg = answers.length ? message('NOERROR', answers, undefined, undefined, true) : message('NOERROR', undefined, [this.soa(zone)], undefined, true);
      e.a = { kind: 'answer', msg, why: rec.why, source: rec.source };
    }
    return e;
  }

  /** Number of names in the store (for the benchmark and tests). */
  get size(): number { return this.entries.size + this.hot.size; }

  /** The zone of this plugin a name falls in, or null. */
  zoneOf(qname: string): string | null {
    return matchZone(this.cfg.zones, qname);
  }

  /** Whether a NXDOMAIN for `qname` passes to the next plugin (`fallthrough [ZONES…]`). */
  fallsThrough(qname: string): boolean {
    const f = this.cfg.fallthrough;
    if (f === null) return false;
    if (f.length === 0) return true;
    return matchZone(f, qname) !== null;
  }

  // ----------------------------------------------------------------------------------------------
  // Serving (handler.go)

  /**
   * Answers `qname` (lower-cased FQDN inside one of the plugin's zones). `lookup` resolves CNAME
   * targets outside the zone through the whole server, as CoreDNS's upstream.Lookup does.
   */
  serve(qname: string, qtype: RRType, zone: string, ctx: unknown): KubeOutcome {
    const e = this.hot.get(qname) ?? this.entries.get(qname);
    if (e !== undefined) {
      if (qtype === 'A') { if (e.a !== undefined) return e.a; } else if (e.memo !== null) {
        const m = e.memo.get(qtype);
        if (m !== undefined) return m;
      }
      const out = this.compute(qname, qtype, zone, (n, t) => this.serverLookup(n, t, ctx));
      if (!e.dynamic && out.kind === 'answer') {
        if (qtype === 'A') e.a = out; else (e.memo ??= new Map()).set(qtype, out);
      }
      return out;
    }
    const out = this.compute(qname, qtype, zone, (n, t) => this.serverLookup(n, t, ctx));
    if (qtype === 'PTR' && out.kind === 'answer' && out.msg.answers.length && isReverse(qname)) {
      // a service or endpoint address: remember it (bounded by the number of addresses)
      this.entries.set(qname, { rec: this.recordsSlow(qname, zone), a: undefined, memo: new Map([['PTR', out]]), dynamic: false });
    }
    return out;
  }

  private compute(qname: string, qtype: RRType, zone: string, lookup: UpstreamLookup): KubeOutcome {
    let records: RR[] = [];
    let extra: RR[] = [];
    let err: RecordsError | null = null;
    let why = '';
    let source: Decider | undefined;
    const services = (): Records => {
      const r = this.services(qname, qtype, zone);
      why = r.why; source = r.source;
      return r;
    };
    switch (qtype) {
      case 'A':
      case 'AAAA': {
        const r = this.address(qname, qtype, zone, lookup, [], services);
        records = r.records; err = r.err;
        break;
      }
      case 'TXT': {
        const r = services();
        err = r.err;
        for (const it of r.items) if (it.host === '' && it.key === qname) records.push(rr(qname, 'TXT', it.ttl, `"${DNS_SCHEMA_VERSION}"`));
        break;
      }
      case 'CNAME': {
        const r = services();
        err = r.err;
        const first = r.items[0];
        if (first && first.family === 0 && first.host !== '') records.push(rr(qname, 'CNAME', first.ttl, toFqdn(first.host)));
        break;
      }
      case 'PTR': {
        const ip = addressFromReverse(qname);
        if (ip === '') { const r = this.records(qname, zone); err = r.err; why = r.why; source = r.source; break; }
        const r = this.reverse(ip);
        err = r.err; why = r.why; source = r.source;
        if (!err) records = this.ptrMessage(qname, r).answers.slice();
        break;
      }
      case 'MX': {
        const r = services();
        err = r.err; // no service is a mail exchanger: NODATA unless the name does not exist
        break;
      }
      case 'SRV': {
        const r = services();
        err = r.err;
        const s = this.srv(qname, r.items, zone, lookup);
        records = s.records; extra = s.extra;
        break;
      }
      case 'SOA':
        // handler.go: "case dns.TypeSOA: if qname == zone { … SOA }": below the apex nothing is
        // looked up, so every name there, existing or not, gets NODATA with the SOA in authority
        if (qname === zone) { records = [this.soa(zone)]; why = `the SOA of ${zone}`; } else why = `${qname} is below the zone apex ${zone}: CoreDNS answers SOA only at the apex (NODATA, whether the name exists or not)`;
        break;
      case 'NS': {
        if (qname === zone) {
          const r = this.ns(zone);
          records = r.records; extra = r.extra;
          why = `the name servers of ${zone}`;
          break;
        }
        // below the apex handler.go falls through to its fake A lookup: NXDOMAIN when the name does
        // not exist, else NODATA (Services() itself answers NS only at the apex)
        const r = this.services(qname, 'A', zone);
        why = r.why; source = r.source; err = r.err;
        break;
      }
      default: {
        const r = services();
        err = r.err;
      }
    }
    if (err !== null) {
      if (this.fallsThrough(qname)) return { kind: 'next', why: `${why || 'no such name'}; fallthrough passes ${qname} to the next plugin` };
      return { kind: 'answer', msg: message('NXDOMAIN', [], [this.soa(zone)], [], true), why: why || `${qname} does not exist`, source };
    }
    const msg = records.length ? message('NOERROR', records, [], extra, true) : message('NOERROR', [], [this.soa(zone)], [], true);
    return { kind: 'answer', msg, why: why || (records.length ? `${qname}` : `${qname} exists, with no ${qtype} record`), source };
  }

  /** Services() in kubernetes.go: the special TXT/NS/ns.dns names, then Records(). */
  services(qname: string, qtype: RRType, zone: string): Records {
    if (qtype === 'TXT') {
      const base = trimZone(qname, zone);
      if (base === 'dns-version') return { items: [item('', 0, qname, 28800)], err: null, why: `dns-version.${zone} is the DNS schema version ${DNS_SCHEMA_VERSION}` };
      const r = this.records(qname, zone);
      if (r.items.length) return { items: [], err: null, why: r.why, source: r.source };
      return { items: [], err: 'noitems', why: r.why || `${qname} does not exist`, source: r.source };
    }
    if (qtype === 'NS') {
      return { items: [], err: null, why: '' };
    }
    if (qname.startsWith('ns.dns.') && qname.slice(7) === zone) {
      const fam = qtype === 'A' ? 4 : qtype === 'AAAA' ? 6 : -1;
      const items = this.nsRecords.filter((n) => ipFamily(n.ip) === fam).map((n) => item(n.ip, 0, qname, this.cfg.ttl));
      return { items, err: null, why: `ns.dns.${zone} is the cluster DNS service` };
    }
    const r = this.records(qname, zone);
    if (qtype !== 'SRV') return r;
    // kubernetes.go Services(): "SRV for external services is not yet implemented, so remove those
    // records": an ExternalName Service has no SRV record (NODATA, not NXDOMAIN)
    const internal = r.items.filter((i) => !(i.family === 0 && i.host !== ''));
    if (internal.length === r.items.length) return r;
    return { ...r, items: internal, why: `${r.why}; CoreDNS serves no SRV record for an ExternalName Service (NODATA)` };
  }

  /** Records() in kubernetes.go. */
  records(qname: string, zone: string): Records {
    const e = this.hot.get(qname) ?? this.entries.get(qname);
    if (e !== undefined) return e.rec;
    return this.recordsSlow(qname, zone);
  }

  private recordsSlow(qname: string, zone: string): Records {
    const req = parseRequest(qname, zone);
    if (req === null) return { items: [], err: 'invalid', why: `${qname} is not a name the kubernetes plugin knows (<svc>.<ns>.svc.${zone}, <pod>.<ns>.pod.${zone})` };
    if (req.podOrSvc === '') return { items: [], err: null, why: `${qname} is the zone itself or its svc/pod subdomain` };
    if (isReverse(qname)) return { items: [], err: 'noitems', why: `${qname} is not the reverse name of a service or endpoint address` };
    if (!this.exposed(req.namespace)) return { items: [], err: 'nsnotexposed', why: this.cfg.namespaces && !this.cfg.namespaces.has(req.namespace) ? `namespace ${req.namespace} is not in the kubernetes plugin's namespaces list` : `namespace ${req.namespace} does not exist` };
    if (req.podOrSvc === 'pod') return this.findPods(req.namespace, req.service, qname);
    return this.findServices(req.namespace, req.service, req.endpoint, req.port, req.protocol, zone);
  }

  /** namespaceExposed: in the `namespaces` list (when given) and existing in the cluster. */
  exposed(ns: string): boolean {
    if (this.cfg.namespaces && !this.cfg.namespaces.has(ns)) return false;
    return this.namespaces.has(ns);
  }

  /** The ready endpoint addresses of Service ns/name as CoreDNS's endpoint watch holds them. */
  private eps(ns: string, name: string): EpAddr[] {
    const key = `${name}.${ns}`;
    let list = this.epIndex.get(key);
    if (list) return list;
    list = [];
    if (!this.cfg.noEndpoints) {
      for (const sl of this.realised.slicesByService.get(`${ns}/${name}`) ?? []) {
        if (sl.addressType === 'FQDN') continue;
        const ports = sl.ports.length ? sl.ports.map((p) => ({ port: p.port, name: p.name ?? '', protocol: p.protocol ?? '' })) : [{ port: -1, name: '', protocol: '' }];
        const rawEps: any[] = Array.isArray((sl.obj as any).endpoints) ? (sl.obj as any).endpoints : [];
        sl.endpoints.forEach((ep, i) => {
          if (!ep.ready) return; // CoreDNS keeps only endpoints whose ready condition is not false
          const tref = ep.pod?.name ?? rawEps[i]?.targetRef?.name ?? '';
          for (const a of ep.addresses) list!.push({ ip: canonicalOr(a), hostname: ep.hostname ?? '', targetRef: tref.length < 64 ? tref : '', ports, slice: sl.obj });
        });
      }
    }
    this.epIndex.set(key, list);
    return list;
  }

  private endpointsByIP(): Map<string, { svc: RService; addr: EpAddr }[]> {
    if (this.epByIP) return this.epByIP;
    const m = new Map<string, { svc: RService; addr: EpAddr }[]>();
    for (const svc of this.realised.services) {
      for (const addr of this.eps(svc.ns, svc.name)) {
        const l = m.get(addr.ip);
        if (l) l.push({ svc, addr }); else m.set(addr.ip, [{ svc, addr }]);
      }
    }
    return (this.epByIP = m);
  }

  private endpointHostname(a: EpAddr): string {
    if (a.hostname) return a.hostname;
    if (this.cfg.endpointPodNames && a.targetRef) return a.targetRef;
    return dashedIP(a.ip);
  }

  /** findServices in kubernetes.go. */
  findServices(ns: string, service: string, endpoint: string, port: string, protocol: string, zone: string): Records {
    if (!this.exposed(ns)) return { ...NOITEMS, why: `namespace ${ns} does not exist` };
    if (service === '') return { items: [], err: null, why: `${ns}.svc.${zone} is a namespace: it exists, with no records of its own` };
    const svc = this.svcIndex.get(`${service}.${ns}`);
    if (!svc) return { ...NOITEMS, why: `no Service ${service} in namespace ${ns}` };
    const ttl = this.cfg.ttl;
    const base = `${svc.name}.${svc.ns}.svc.${zone}`;
    const source = this.decider(svc.obj);
    const eps = () => this.eps(svc.ns, svc.name);
    if (this.cfg.ignoreEmptyService && svc.type !== 'ExternalName' && !svc.headless && eps().length === 0) {
      return { ...NOITEMS, why: `Service ${ns}/${service} has no ready endpoints and the plugin has "ignore empty_service"`, source };
    }
    if (svc.type === 'ExternalName') {
      if (endpoint !== '' || port !== '' || protocol !== '') return { ...NOITEMS, why: `Service ${ns}/${service} is an ExternalName: it has no endpoints or ports`, source };
      const target = svc.externalName ?? '';
      if (target === '' || ipFamily(target) !== null) return { ...NOITEMS, why: `Service ${ns}/${service} is an ExternalName whose target "${target}" is not a DNS name`, source };
      return { items: [item(target, 0, base, ttl, svc.obj, 0)], err: null, why: `Service ${ns}/${service} is an ExternalName for ${toFqdn(target)}`, source };
    }
    const match = (pn: string, pp: string) => (port === '' || eq(port, pn)) && (protocol === '' || eq(protocol, pp));
    if (svc.headless || endpoint !== '') {
      const items: Item[] = [];
      for (const a of eps()) {
        const h = this.endpointHostname(a);
        if (endpoint !== '' && !eq(endpoint, h)) continue;
        for (const p of a.ports) {
          if (!match(p.name, p.protocol)) continue;
          items.push(item(a.ip, p.port, `${h}.${base}`, ttl, a.slice));
        }
      }
      if (items.length === 0) {
        const why = endpoint !== ''
          ? `Service ${ns}/${service} has no ready endpoint named ${endpoint}`
          : port !== '' ? `headless Service ${ns}/${service} has no ready endpoint with a port named ${port}/${protocol}` : `headless Service ${ns}/${service} has no ready endpoints`;
        return { ...NOITEMS, why, source };
      }
      const why = endpoint !== '' ? `endpoint ${endpoint} of Service ${ns}/${service}` : `headless Service ${ns}/${service}: its ready endpoints`;
      return { items, err: null, why, source };
    }
    const items: Item[] = [];
    let matched = false;
    const ports = svc.ports.length ? svc.ports : [{ name: '', port: -1, protocol: '' } as any];
    for (const p of ports) {
      if (!match(p.name ?? '', p.protocol ?? '')) continue;
      matched = true;
      for (const ip of svc.clusterIPs) items.push(item(ip, p.port, base, ttl, svc.obj));
    }
    if (!matched) return { ...NOITEMS, why: `Service ${ns}/${service} has no port named ${port}${protocol ? '/' + protocol : ''}`, source };
    return { items, err: null, why: `Service ${ns}/${service} (ClusterIP ${svc.clusterIPs.join(', ') || 'none'})`, source };
  }

  /** findPods in kubernetes.go. */
  private findPods(ns: string, podname: string, qname: string): Records {
    if (this.cfg.podMode === 'disabled') return { ...NOITEMS, why: 'pod records are off ("pods disabled", the plugin\'s default)' };
    if (!this.exposed(ns)) return { ...NOITEMS, why: `namespace ${ns} does not exist` };
    if (podname === '') return { items: [], err: null, why: `${ns}.pod is a namespace: it exists, with no records of its own` };
    const dashes = podname.split('-').length - 1;
    const ipText = dashes === 3 && !podname.includes('--') ? podname.replace(/-/g, '.') : podname.replace(/-/g, ':');
    const fam = goParseIP(ipText);
    if (this.cfg.podMode === 'insecure') {
      if (fam === null) return { ...NOITEMS, why: `"${podname}" is not a dashed IP address` };
      return { items: [item(ipText, 0, qname, this.cfg.ttl, undefined, fam)], err: null, why: `"pods insecure" answers any dashed IP in an existing namespace, without checking a pod has it` };
    }
    // verified: a pod in that namespace with that IP must exist
    if (!this.podsByIP) {
      this.podsByIP = new Map();
      for (const p of this.realised.pods) {
        if (p.terminating || !p.ip) continue;
        const l = this.podsByIP.get(p.ip);
        if (l) l.push(p); else this.podsByIP.set(p.ip, [p]);
      }
    }
    // CoreDNS looks the pod up by its status.podIP as text (PodIndex, then `ip == p.PodIP`): a dashed
    // name that spells the address another way (fd00-0-0-0-0-0-0-1 for fd00::1) matches no pod
    const ip = ipText;
    const pods = (this.podsByIP.get(ip) ?? []).filter((p) => p.ns === ns);
    if (!pods.length) return { ...NOITEMS, why: `"pods verified": no pod in namespace ${ns} has IP ${ipText}` };
    return { items: pods.map((p) => item(ipText, 0, qname, this.cfg.ttl, p.obj, fam ?? 4)), err: null, why: `"pods verified": pod ${pods[0].key} has IP ${ipText}`, source: deciderOf(pods[0].obj) };
  }

  /** serviceRecordForIP in reverse.go: a service with that clusterIP, else every endpoint with it. */
  reverse(ip: string): Records {
    const svc = this.realised.serviceByClusterIP.get(ip);
    const primary = this.cfg.primaryZone;
    if (svc && (!this.cfg.namespaces || this.exposed(svc.ns))) {
      return { items: [item(`${svc.name}.${svc.ns}.svc.${primary}`, 0, '', this.cfg.ttl, svc.obj, 0)], err: null, why: `the ClusterIP of Service ${svc.ns}/${svc.name}`, source: this.decider(svc.obj) };
    }
    const items: Item[] = [];
    for (const { svc: s, addr } of this.endpointsByIP().get(ip) ?? []) {
      if (this.cfg.namespaces && !this.exposed(s.ns)) continue;
      items.push(item(`${this.endpointHostname(addr)}.${s.name}.${s.ns}.svc.${primary}`, 0, '', this.cfg.ttl, addr.slice, 0));
    }
    if (!items.length) return { ...NOITEMS, why: `${ip} is neither a service ClusterIP nor a ready endpoint address` };
    return { items, err: null, why: items.length === 1 ? 'the address of a ready endpoint' : 'the address of ready endpoints of several services', source: this.decider(items[0].obj) };
  }

  private ptrMessage(qname: string, r: Records): DnsMessage {
    if (r.items.length === 1) return message('NOERROR', [rr(qname, 'PTR', r.items[0].ttl, r.items[0].host)], undefined, undefined, true);
    const seen = new Set<string>();
    const answers: RR[] = [];
    for (const it of r.items) {
      if (seen.has(it.host)) continue;
      seen.add(it.host);
      answers.push(rr(qname, 'PTR', it.ttl, it.host));
    }
    return message('NOERROR', answers, [], [], true);
  }

  // ----------------------------------------------------------------------------------------------
  // backend_lookup.go

  private addressRecords(qname: string, t: 'A' | 'AAAA', items: readonly Item[]): RR[] {
    const fam = t === 'A' ? 4 : 6;
    const out: RR[] = [];
    const dup = new Set<string>();
    for (const it of items) {
      if (it.family !== fam || dup.has(it.host)) continue;
      dup.add(it.host);
      out.push(rr(qname, t, it.ttl, it.host));
    }
    return out;
  }

  /** plugin.A / plugin.AAAA: addresses, CNAMEs chased inside the zone, looked up elsewhere otherwise. */
  private address(
    qname: string, t: 'A' | 'AAAA', zone: string, lookup: UpstreamLookup, previous: RR[],
    services: () => Records,
  ): { records: RR[]; err: RecordsError | null } {
    // the zone apex has no address records (checkForApex finds no apex.dns entry)
    const r = qname === zone ? this.recordsSlow(qname, zone) : services();
    if (r.err) return { records: [], err: r.err };
    const records: RR[] = [];
    const dup = new Set<string>();
    const fam = t === 'A' ? 4 : 6;
    for (const it of r.items) {
      if (it.family === 0) {
        const target = toFqdn(it.host).toLowerCase();
        if (isSubdomain(qname, target)) continue; // x CNAME x (or below it) is a loop
        if (previous.length > 7) continue;
        const cname = rr(qname, 'CNAME', it.ttl, toFqdn(it.host));
        if (previous.some((p) => p.type === 'CNAME' && p.name === cname.name && p.data === cname.data)) continue;
        if (isSubdomain(zone, target)) {
          const next = this.address(target, t, zone, lookup, [...previous, cname], () => this.services(target, t, zone));
          if (next.err === null && next.records.length) records.push(cname, ...next.records);
          continue;
        }
        const m = lookup(target, t);
        records.push(cname, ...m.answers);
        continue;
      }
      if (it.family === fam && !dup.has(it.host)) {
        dup.add(it.host);
        records.push(rr(qname, t, it.ttl, it.host));
      }
    }
    return { records, err: null };
  }

  /**
   * plugin.SRV with CoreDNS's weights: 100 / (number of items), floored, at least 1. A name item
   * (an ExternalName service asked for SRV on its own name) becomes `0 100 0 <externalName>.`, its
   * target's addresses in the additional section: looked up through the whole server (A answers,
   * then AAAA answers without CNAMEs) outside the zone, the plugin's own A answer inside it
   * (coredns plugin/backend_lookup.go SRV, case dns.TypeCNAME).
   */
  private srv(qname: string, items: readonly Item[], zone: string, lookup: UpstreamLookup): { records: RR[]; extra: RR[] } {
    const records: RR[] = [];
    const extra: RR[] = [];
    const total = items.length * 100;
    const dup = new Set<string>();
    const looked = new Set<string>();
    for (const it of items) {
      if (it.port === -1) continue;
      let weight = Math.floor((100 / total) * 100);
      if (weight === 0) weight = 1;
      if (it.family === 0) {
        const target = toFqdn(it.host);
        records.push(rr(qname, 'SRV', it.ttl, `0 ${weight} ${it.port} ${target}`));
        const t = target.toLowerCase();
        if (looked.has(t)) continue;
        looked.add(t);
        if (!isSubdomain(zone, t)) {
          extra.push(...lookup(t, 'A').answers);
          for (const a of lookup(t, 'AAAA').answers) if (a.type !== 'CNAME') extra.push(a);
        } else {
          const a = this.address(t, 'A', zone, lookup, [], () => this.services(t, 'A', zone));
          if (a.err === null) extra.push(...a.records);
        }
        continue;
      }
      const target = it.key;
      const k1 = `${target} ${it.port}`;
      if (!dup.has(k1)) { dup.add(k1); records.push(rr(qname, 'SRV', it.ttl, `0 ${weight} ${it.port} ${target}`)); }
      const k2 = `${target} @${it.host}`;
      if (!dup.has(k2)) { dup.add(k2); extra.push(rr(target, it.family === 6 ? 'AAAA' : 'A', it.ttl, it.host)); }
    }
    return { records, extra };
  }

  /** plugin.NS: the zone's name servers (the kube-dns service) with their addresses. */
  private ns(zone: string): { records: RR[]; extra: RR[] } {
    const records: RR[] = [];
    const extra: RR[] = [];
    const seen = new Set<string>();
    for (const n of this.nsRecords) {
      const target = n.name + zone;
      extra.push(rr(target, ipFamily(n.ip) === 6 ? 'AAAA' : 'A', this.cfg.ttl, n.ip));
      if (seen.has(target)) continue;
      seen.add(target);
      records.push(rr(zone, 'NS', this.cfg.ttl, target));
    }
    return { records, extra };
  }

  /** plugin.SOA: `ns.dns.<zone> hostmaster.<zone> <serial> 7200 1800 86400 <ttl>`, TTL min(ttl, 300). */
  soa(zone: string): RR {
    let s = this.soaCache.get(zone);
    if (!s) {
      const z = zone === '.' ? '' : zone;
      s = rr(zone, 'SOA', Math.min(this.cfg.ttl, 300), `ns.dns.${z} hostmaster.${z} ${SOA_SERIAL} 7200 1800 86400 ${this.cfg.ttl}`);
      this.soaCache.set(zone, s);
    }
    return s;
  }
}

function item(host: string, port: number, key: string, ttl: number, obj?: KObject, family?: 0 | 4 | 6): Item {
  const fam = family ?? familyOf(host);
  return { host, family: fam, port, key, ttl, obj };
}

/** 4, 6 or 0 (a name), cheaply: the hot path of building the store. */
function familyOf(host: string): 0 | 4 | 6 {
  if (ipv4ToInt(host) >= 0) return 4;
  if (host.indexOf(':') >= 0 && ipFamily(host) === 6) return 6;
  return 0;
}

function eq(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase();
}

function toFqdn(n: string): string {
  return n.endsWith('.') ? n : n + '.';
}

function canonicalOr(ip: string): string {
  if (ipv4ToInt(ip) >= 0 && !/(^|\.)0\d/.test(ip)) return ip;
  try { return canonicalIP(ip); } catch { return ip; }
}

/** Go's net.ParseIP: dotted quads without leading zeros, or IPv6. Returns the family or null. */
function goParseIP(s: string): 4 | 6 | null {
  if (s.includes(':')) return ipFamily(s) === 6 ? 6 : null;
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  for (const p of parts) if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return null;
  return 4;
}

export interface ParsedRequest {
  port: string;
  protocol: string;
  endpoint: string;
  service: string;
  namespace: string;
  /** "svc", "pod", or "" for the zone apex and the bare svc/pod names */
  podOrSvc: '' | 'svc' | 'pod';
}

/**
 * parseRequest in parse.go: `[_port._proto.|endpoint.]service.namespace.(svc|pod).zone`. Returns
 * null for names the plugin treats as invalid (NXDOMAIN). Never throws.
 */
export function parseRequest(qname: string, zone: string): ParsedRequest | null {
  const r: ParsedRequest = { port: '', protocol: '', endpoint: '', service: '', namespace: '', podOrSvc: '' };
  if (!isSubdomain(zone, qname)) return null;
  const base = trimZone(qname, zone);
  if (base === '' || base === 'svc' || base === 'pod') return r;
  const segs = base.split('.');
  let last = segs.length - 1;
  const kind = segs[last];
  if (kind !== 'svc' && kind !== 'pod') return null;
  r.podOrSvc = kind;
  last--;
  if (last < 0) return r;
  r.namespace = segs[last];
  last--;
  if (last < 0) return r;
  r.service = segs[last];
  last--;
  if (last < 0) return r;
  if (last === 0) r.endpoint = segs[0];
  else if (last === 1) { r.protocol = strip(segs[1]); r.port = strip(segs[0]); }
  else return null;
  return r;
}

function strip(s: string): string {
  return s.length > 0 && s[0] === '_' ? s.slice(1) : s;
}
