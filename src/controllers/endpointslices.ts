// The EndpointSlice controller, the EndpointSlice mirroring controller (legacy Endpoints of
// selector-less services), and hand-made slices attaching through the kubernetes.io/service-name
// label — what kube-proxy and CoreDNS read to find a service's endpoints.
import type { ClusterConfig } from '../model/config';
import type { Diagnostics } from '../model/errors';
import type { REndpoint, RNode, RPod, RService, RSlice, RSlicePort } from '../model/realised';
import type { LabelIndex } from '../model/selector';
import { ref, type KObject, type OwnerReference } from '../model/types';
import { canonicalIP, ipFamily, isIP } from '../net/ip';
import { isProtocol, type Protocol } from '../net/packet';
import { at, derivedOrigin, keepOrigin, makeUid, randomSuffix, Rng, setOriginIf } from './util';

export const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const SERVICE_NAME = 'kubernetes.io/service-name';
export const CONTROLLER = 'endpointslice-controller.k8s.io';
const HEADLESS = 'service.kubernetes.io/headless';
export const MIRROR_CONTROLLER = 'endpointslicemirroring-controller.k8s.io';
/** kube-controller-manager --max-endpoints-per-slice */
export const MAX_ENDPOINTS_PER_SLICE = 100;
/** --mirroring-max-endpoints-per-subset */
export const MIRROR_MAX_PER_SUBSET = 1000;

type AddressType = 'IPv4' | 'IPv6';

export interface SliceInputs {
  services: readonly RService[];
  podIndex: (ns: string) => LabelIndex<RPod>;
  podByKey: ReadonlyMap<string, RPod>;
  nodeByName: ReadonlyMap<string, RNode>;
  /** hand-made EndpointSlices */
  slices: readonly KObject[];
  /** legacy Endpoints */
  endpoints: readonly KObject[];
  /** the kubernetes Service when the control plane made it, and the API server's address */
  /** the API servers' addresses (one per control-plane node) */
  apiserver?: { service: RService; ips: string[] };
}

export interface SliceResult {
  slices: RSlice[];
  byService: Map<string, RSlice[]>;
  /** objects made here (slices, and the API server's Endpoints) */
  objects: KObject[];
}

/**
 * Labels the controller copies from the Service: all but the reserved ones (setEndpointSliceLabels /
 * isReservedLabelKey: service-name, managed-by and service.kubernetes.io/headless, which the
 * controller sets itself from whether the Service has a cluster IP).
 */
function sliceLabels(svc: RService, managedBy: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.obj.metadata.labels ?? {})) {
    if (k === SERVICE_NAME || k === MANAGED_BY || k === HEADLESS) continue;
    out[k] = v;
  }
  out[MANAGED_BY] = managedBy;
  out[SERVICE_NAME] = svc.name;
  if (svc.headless) out[HEADLESS] = '';
  return out;
}

/** podutil.FindPort: a named targetPort is looked up in the pod's container ports (name and protocol must match). */
function findPort(pod: RPod, target: number | string, protocol: Protocol): number | null {
  if (typeof target === 'number') return target;
  for (const p of pod.ports) if (p.name === target && p.protocol === protocol) return p.port;
  return null;
}

/** The pod's address of a family (the first one). */
function ipOfFamily(ips: readonly string[], fam: number): string | undefined {
  for (let i = 0; i < ips.length; i++) if ((ips[i].includes(':') ? 6 : 4) === fam) return ips[i];
  return undefined;
}

function familyType(f: string): AddressType | null {
  return f === 'IPv4' ? 'IPv4' : f === 'IPv6' ? 'IPv6' : null;
}

export function realiseSlices(inp: SliceInputs, config: ClusterConfig, diag: Diagnostics): SliceResult {
  const slices: RSlice[] = [];
  const byService = new Map<string, RSlice[]>();
  const objects: KObject[] = [];
  const serviceByKey = new Map(inp.services.map((s) => [s.key, s] as const));
  const sliceNames = new Set<string>(inp.slices.map((s) => `${s.metadata.namespace}/${s.metadata.name}`));
  const add = (key: string, s: RSlice) => {
    slices.push(s);
    const l = byService.get(key);
    if (l) l.push(s); else byService.set(key, [s]);
  };
  const genName = (ns: string, prefix: string, rng: Rng) => {
    const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
    for (;;) {
      const n = base + randomSuffix(rng);
      if (!sliceNames.has(`${ns}/${n}`)) { sliceNames.add(`${ns}/${n}`); return n; }
    }
  };

  // --- the EndpointSlice controller -----------------------------------------------------------
  // per pod: its targetRef (shared by all its endpoints) and its plain endpoint (see below)
  const podCache = new Map<RPod, { ref: any; fam: number; ep: any; rep: REndpoint | null }>();
  for (const svc of inp.services) {
    if (!svc.selector || svc.type === 'ExternalName') continue;
    const ownerRef: OwnerReference = { apiVersion: 'v1', kind: 'Service', name: svc.name, uid: svc.obj.metadata.uid!, controller: true, blockOwnerDeletion: true } as OwnerReference;
    const labels = sliceLabels(svc, CONTROLLER);
    const types: AddressType[] = (Array.isArray(svc.obj.spec?.ipFamilies) ? svc.obj.spec.ipFamilies : ['IPv4']).map(familyType).filter((x: AddressType | null): x is AddressType => !!x);
    const selected = inp.podIndex(svc.ns).select(svc.selector);
    const named = svc.ports.some((p) => typeof p.targetPort === 'string');
    const rng = new Rng(config.seed, `endpointslice/${svc.key}`);
    const origin = derivedOrigin(svc.obj, `Service ${svc.key} → EndpointSlice controller`);
    for (const type of types) {
      const fam = type === 'IPv4' ? 4 : 6;
      // pods grouped by the ports they resolve (the controller keeps one set of slices per distinct port list)
      const groups = new Map<string, { ports: RSlicePort[]; eps: any[]; reps: REndpoint[] }>();
      let allPorts: RSlicePort[] | null = null;
      const resolved = new Map<readonly unknown[], { ports: RSlicePort[]; gkey: string }>();
      for (const pod of selected) {
        // ShouldPodBeInEndpoints: an address is needed, terminal pods are out; terminating ones stay (with conditions)
        if (!pod.node || pod.ips.length === 0 || pod.phase === 'Succeeded' || pod.phase === 'Failed') continue;
        const ip = ipOfFamily(pod.ips, fam);
        if (!ip) continue;
        let ports: RSlicePort[];
        let gkey = '';
        if (!named) {
          ports = allPorts ??= svc.ports.map((p) => slicePort(p.name, p.targetPort as number, p.protocol, p.appProtocol));
        } else {
          // pods made from one template share their ports list, so the resolution is done once per template
          let hit = resolved.get(pod.ports);
          if (!hit) {
            const list: RSlicePort[] = [];
            for (const p of svc.ports) {
              const n = findPort(pod, p.targetPort, p.protocol);
              if (n === null) continue; // this pod does not serve that port: it is left out of that port's slices
              list.push(slicePort(p.name, n, p.protocol, p.appProtocol));
            }
            hit = { ports: list, gkey: list.map((p) => `${p.name}/${p.port}/${p.protocol}`).join(',') };
            resolved.set(pod.ports, hit);
          }
          ports = hit.ports;
          gkey = hit.gkey;
        }
        let g = groups.get(gkey);
        if (!g) { g = { ports, eps: [], reps: [] }; groups.set(gkey, g); }
        // podToEndpoint (staging/src/k8s.io/endpointslice/utils.go): serving is the pod's Ready
        // condition, always; ready is never true while terminating, unless publishNotReadyAddresses,
        // which makes every endpoint ready (serving still reports the pod's readiness)
        const serving = pod.ready;
        const terminating = pod.terminating;
        const ready = svc.publishNotReadyAddresses || (serving && !terminating);
        const withHost = pod.subdomain === svc.name && !!pod.obj.spec?.hostname;
        // the common endpoint (no hostname, plain readiness) is made once per pod and shared by every
        // service selecting it (frozen): 150 000 pods behind 10 000 services stay cheap
        const plain = !svc.publishNotReadyAddresses && !withHost;
        let cached = podCache.get(pod);
        if (!cached) {
          cached = { ref: Object.freeze({ kind: 'Pod', namespace: pod.ns, name: pod.name, uid: pod.obj.metadata.uid }), fam: 0, ep: null, rep: null };
          podCache.set(pod, cached);
        }
        let ep: any, rep: REndpoint;
        if (plain && cached.rep && cached.fam === fam) {
          ep = cached.ep; rep = cached.rep;
        } else {
          const addresses = Object.freeze([ip]) as string[];
          const nodeName = pod.node.name;
          // podToEndpoint sets zone only when the node's topology.kubernetes.io/zone label is non-empty
          const zone = pod.node.labels['topology.kubernetes.io/zone'] || undefined;
          if (!withHost) {
            // built at once (same keys, same order as below)
            if (zone !== undefined) {
              ep = { addresses, conditions: conditions(ready, serving, terminating), nodeName, targetRef: cached.ref, zone };
              rep = { addresses, ready, serving, terminating, pod, nodeName, zone };
            } else {
              ep = { addresses, conditions: conditions(ready, serving, terminating), nodeName, targetRef: cached.ref };
              rep = { addresses, ready, serving, terminating, pod, nodeName };
            }
          } else {
            ep = { addresses, conditions: conditions(ready, serving, terminating) };
            rep = { addresses, ready, serving, terminating, pod };
            ep.hostname = pod.obj.spec.hostname; rep.hostname = ep.hostname;
            ep.nodeName = nodeName; rep.nodeName = nodeName;
            ep.targetRef = cached.ref;
            if (zone !== undefined) { ep.zone = zone; rep.zone = zone; }
          }
          Object.freeze(ep); Object.freeze(rep);
          if (plain) { cached.fam = fam; cached.ep = ep; cached.rep = rep; }
        }
        g.eps.push(ep);
        g.reps.push(rep);
      }
      const chunks: { ports: RSlicePort[]; eps: any[]; reps: REndpoint[] }[] = [];
      for (const g of groups.values()) {
        if (g.eps.length <= MAX_ENDPOINTS_PER_SLICE) { chunks.push(g); continue; } // one slice: its arrays as they are
        for (let i = 0; i < g.eps.length; i += MAX_ENDPOINTS_PER_SLICE) {
          chunks.push({ ports: g.ports, eps: g.eps.slice(i, i + MAX_ENDPOINTS_PER_SLICE), reps: g.reps.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
        }
      }
      // with no endpoints the controller keeps one placeholder slice (no endpoints, no ports)
      if (chunks.length === 0) chunks.push({ ports: [], eps: [], reps: [] });
      for (const c of chunks) {
        const name = genName(svc.ns, `${svc.name}-`, rng);
        const obj: KObject = {
          apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
          metadata: { name, generateName: `${svc.name}-`, namespace: svc.ns, uid: makeUid(config.seed, 'EndpointSlice', svc.ns, name), labels, ownerReferences: [ownerRef] },
          addressType: type,
          endpoints: c.eps,
          ports: c.ports.map(portObj),
        };
        setOriginIf(obj, origin);
        objects.push(obj);
        const rs: RSlice = { obj, service: svc.key, addressType: type, endpoints: c.reps, ports: c.ports, managed: true };
        add(svc.key, rs);
      }
    }
  }

  // --- the API server's own endpoints for `kubernetes` --------------------------------------------
  if (inp.apiserver) {
    const { service, ips } = inp.apiserver;
    const eps = ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } }));
    const fam: AddressType = ips.length && ipFamily(ips[0]) === 6 ? 'IPv6' : 'IPv4';
    // the API server's secure port: the `kubernetes` Service's targetPort (kubeadm: 6443)
    const tp = service.ports[0]?.targetPort;
    const port = typeof tp === 'number' ? tp : 6443;
    const ports: RSlicePort[] = [{ name: 'https', port, protocol: 'TCP' }];
    const obj: KObject = {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: { name: 'kubernetes', namespace: 'default', uid: makeUid(config.seed, 'EndpointSlice', 'default', 'kubernetes'), labels: { [SERVICE_NAME]: 'kubernetes' } },
      addressType: fam, endpoints: eps, ports: ports.map(portObj),
    };
    sliceNames.add('default/kubernetes');
    const legacy: KObject = {
      apiVersion: 'v1', kind: 'Endpoints',
      metadata: { name: 'kubernetes', namespace: 'default', uid: makeUid(config.seed, 'Endpoints', 'default', 'kubernetes'), labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets: ips.length ? [{ addresses: ips.map((ip) => ({ ip })), ports: [{ name: 'https', port, protocol: 'TCP' }] }] : [],
    };
    objects.push(obj, legacy);
    add(service.key, { obj, service: service.key, addressType: fam, endpoints: ips.map((ip) => ({ addresses: [ip], ready: true, serving: true, terminating: false })), ports, managed: false });
  }

  // --- hand-made slices attach through the kubernetes.io/service-name label ------------------------
  for (const o of inp.slices) {
    const ns = o.metadata.namespace!;
    const svcName = o.metadata.labels?.[SERVICE_NAME];
    const rs = handSlice(o, inp.podByKey, diag);
    if (!svcName) {
      diag.warn('NS-SLICE-UNATTACHED', `${ref(o)} has no ${SERVICE_NAME} label, so it belongs to no Service (kube-proxy and CoreDNS ignore it)`, at(o, 'metadata'));
      continue;
    }
    const key = `${ns}/${svcName}`;
    if (!serviceByKey.has(key)) diag.warn('NS-SLICE-UNATTACHED', `${ref(o)} names Service ${key}, which does not exist`, at(o, 'metadata', 'labels', SERVICE_NAME));
    if (rs) add(key, { ...rs, service: key });
  }

  // --- the mirroring controller: Endpoints of selector-less services become slices ----------------
  const mirrored = new Set<string>();
  for (const e of inp.endpoints) {
    const ns = e.metadata.namespace!;
    const key = `${ns}/${e.metadata.name}`;
    const svc = serviceByKey.get(key);
    if (!svc) {
      diag.warn('NS-ENDPOINTS-ORPHAN', `${ref(e)} has no Service of the same name, so nothing uses it`, at(e));
      continue;
    }
    if (svc.selector) {
      if (!e.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']) {
        diag.warn('NS-ENDPOINTS-IGNORED', `${ref(e)} is ignored: Service ${key} has a selector, so the endpoints controller owns its Endpoints and the EndpointSlice controller builds its slices from the selected pods`, at(e));
      }
      continue;
    }
    if (e.metadata.labels?.['endpointslice.kubernetes.io/skip-mirror'] === 'true') continue;
    if (mirrored.has(key)) continue;
    mirrored.add(key);
    const rng = new Rng(config.seed, `endpointslice-mirror/${key}`);
    const origin = derivedOrigin(e, `Endpoints ${key} → EndpointSlice mirroring controller`);
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(e.metadata.labels ?? {})) if (k !== MANAGED_BY && k !== SERVICE_NAME) labels[k] = v;
    labels[MANAGED_BY] = MIRROR_CONTROLLER;
    labels[SERVICE_NAME] = svc.name;
    const ownerRef = { apiVersion: 'v1', kind: 'Endpoints', name: e.metadata.name, uid: e.metadata.uid ?? makeUid(config.seed, 'Endpoints', ns, e.metadata.name), controller: true, blockOwnerDeletion: true } as OwnerReference;
    let total = 0;
    const subsets: any[] = Array.isArray((e as any).subsets) ? (e as any).subsets : [];
    subsets.forEach((sub: any, si: number) => {
      const ports: RSlicePort[] = (Array.isArray(sub?.ports) ? sub.ports : []).filter((p: any) => typeof p?.port === 'number').map((p: any) =>
        slicePort(typeof p.name === 'string' ? p.name : '', p.port, isProtocol(p.protocol) ? p.protocol : 'TCP', typeof p.appProtocol === 'string' ? p.appProtocol : undefined));
      const byType = new Map<AddressType, { ep: any; rep: REndpoint }[]>();
      for (const [field, ready] of [['addresses', true], ['notReadyAddresses', false]] as const) {
        (Array.isArray(sub?.[field]) ? sub[field] : []).forEach((a: any, ai: number) => {
          if (typeof a?.ip !== 'string' || !isIP(a.ip)) {
            diag.error('NS-INVALID-IP', `${ref(e)}: subsets[${si}].${field}[${ai}].ip "${String(a?.ip)}" is not an IP address`, at(e, 'subsets', si, field, ai, 'ip'), 'write an IP address');
            return;
          }
          if (total >= MIRROR_MAX_PER_SUBSET) return;
          total++;
          const ip = canonicalIP(a.ip);
          const type: AddressType = ipFamily(ip) === 6 ? 'IPv6' : 'IPv4';
          const ep: any = { addresses: [ip], conditions: { ready } };
          const rep: REndpoint = { addresses: ep.addresses, ready, serving: ready, terminating: false };
          if (typeof a.hostname === 'string' && a.hostname) { ep.hostname = a.hostname; rep.hostname = a.hostname; }
          // the mirroring controller's addressToEndpoint copies nodeName and hostname, never a zone
          // (pkg/controller/endpointslicemirroring/utils.go)
          if (typeof a.nodeName === 'string' && a.nodeName) { ep.nodeName = a.nodeName; rep.nodeName = a.nodeName; }
          if (a.targetRef && typeof a.targetRef === 'object') {
            ep.targetRef = { ...a.targetRef };
            if (a.targetRef.kind === 'Pod') {
              const pod = inp.podByKey.get(`${a.targetRef.namespace ?? ns}/${a.targetRef.name}`);
              if (pod) rep.pod = pod;
            }
          }
          const l = byType.get(type) ?? [];
          l.push({ ep, rep });
          byType.set(type, l);
        });
      }
      for (const [type, eps] of byType) {
        const name = genName(ns, `${e.metadata.name}-`, rng);
        const obj: KObject = {
          apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
          metadata: { name, generateName: `${e.metadata.name}-`, namespace: ns, uid: makeUid(config.seed, 'EndpointSlice', ns, name), labels, ownerReferences: [ownerRef] },
          addressType: type, endpoints: eps.map((x) => x.ep), ports: ports.map(portObj),
        };
        setOriginIf(obj, origin);
        objects.push(obj);
        add(key, { obj, service: key, addressType: type, endpoints: eps.map((x) => x.rep), ports, managed: false });
      }
    });
    if (total >= MIRROR_MAX_PER_SUBSET) diag.warn('NS-ENDPOINTS-TRUNCATED', `${ref(e)} has more than ${MIRROR_MAX_PER_SUBSET} addresses; the mirroring controller mirrors only the first ${MIRROR_MAX_PER_SUBSET}`, at(e));
  }
  return { slices, byService, objects };
}

const CONDITIONS = new Map<number, any>();
/** EndpointConditions objects are shared (frozen): there are only eight. */
function conditions(ready: boolean, serving: boolean, terminating: boolean): any {
  const k = (ready ? 1 : 0) | (serving ? 2 : 0) | (terminating ? 4 : 0);
  let c = CONDITIONS.get(k);
  if (!c) { c = Object.freeze({ ready, serving, terminating }); CONDITIONS.set(k, c); }
  return c;
}

function slicePort(name: string, port: number, protocol: Protocol, appProtocol?: string): RSlicePort {
  const p: RSlicePort = { name, port, protocol };
  if (appProtocol !== undefined) p.appProtocol = appProtocol;
  return p;
}

function portObj(p: RSlicePort): any {
  const o: any = { name: p.name, port: p.port, protocol: p.protocol };
  if (p.appProtocol !== undefined) o.appProtocol = p.appProtocol;
  return o;
}

/** A hand-made EndpointSlice as kube-proxy reads it: a missing ready or serving condition means true. */
function handSlice(o: KObject, podByKey: ReadonlyMap<string, RPod>, diag: Diagnostics): Omit<RSlice, 'service'> | null {
  const t = (o as any).addressType;
  if (t !== 'IPv4' && t !== 'IPv6' && t !== 'FQDN') {
    diag.error('NS-SLICE-ADDRESSTYPE', `${ref(o)}: addressType ${JSON.stringify(t)} is not IPv4, IPv6 or FQDN`, at(o, 'addressType'), 'set addressType: IPv4');
    return null;
  }
  const ns = o.metadata.namespace!;
  const endpoints: REndpoint[] = [];
  const raw: any[] = Array.isArray((o as any).endpoints) ? (o as any).endpoints : [];
  raw.forEach((e, i) => {
    const addrs: string[] = [];
    (Array.isArray(e?.addresses) ? e.addresses : []).forEach((a: unknown, j: number) => {
      if (t === 'FQDN') { if (typeof a === 'string') addrs.push(a); return; }
      if (typeof a !== 'string' || !isIP(a) || (ipFamily(a) === 4) !== (t === 'IPv4')) {
        diag.error('NS-INVALID-IP', `${ref(o)}: endpoints[${i}].addresses[${j}] ${JSON.stringify(a)} is not an ${t} address`, at(o, 'endpoints', i, 'addresses', j), `addressType is ${t}; write an ${t} address`);
        return;
      }
      addrs.push(canonicalIP(a));
    });
    if (!addrs.length) return;
    const c = e?.conditions ?? {};
    const ready = c.ready !== false;
    // kube-proxy's EndpointSliceCache (pkg/proxy/endpointslicecache.go newEndpointSliceInfo) reads a
    // missing serving as true and a missing terminating as false
    const serving = c.serving === undefined || c.serving === null ? true : c.serving === true;
    const rep: REndpoint = { addresses: addrs, ready, serving, terminating: c.terminating === true };
    if (typeof e.nodeName === 'string') rep.nodeName = e.nodeName;
    if (typeof e.hostname === 'string') rep.hostname = e.hostname;
    if (typeof e.zone === 'string') rep.zone = e.zone;
    if (e.targetRef?.kind === 'Pod' && typeof e.targetRef.name === 'string') {
      const pod = podByKey.get(`${e.targetRef.namespace ?? ns}/${e.targetRef.name}`);
      if (pod) rep.pod = pod;
    }
    endpoints.push(rep);
  });
  const ports: RSlicePort[] = (Array.isArray((o as any).ports) ? (o as any).ports : []).filter((p: any) => typeof p?.port === 'number').map((p: any) =>
    slicePort(typeof p.name === 'string' ? p.name : '', p.port, isProtocol(p.protocol) ? p.protocol : 'TCP', typeof p.appProtocol === 'string' ? p.appProtocol : undefined));
  const managed = o.metadata.labels?.[MANAGED_BY] === CONTROLLER;
  return { obj: keepOrigin(o, o), addressType: t, endpoints, ports, managed };
}
