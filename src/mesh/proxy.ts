// Envoy as a hop: a connection in a cluster with sidecars.
// Outbound: the app's TCP connection is redirected (ISTIO_OUTPUT → 15001) to its own sidecar,
// which routes it (routing.ts), picks the endpoint itself and opens its own connection (UID
// 1337, so not redirected again) to the pod IP and target port, with mutual TLS when the server
// runs a sidecar too (automatic mTLS; a DestinationRule's tls.mode overrides; a server whose
// PeerAuthentication is DISABLE gets plaintext). That connection crosses the network as any other
// (the CNI walk: veth, bridge, overlay, NetworkPolicy).
// Inbound: at a pod with a sidecar, TCP to a captured port is redirected (ISTIO_INBOUND → 15006)
// to its sidecar, which applies PeerAuthentication and AuthorizationPolicy (security.ts) and then
// connects to the app from 127.0.0.6 (the inbound passthrough source) at the pod's own IP and the
// port (Istio ≥ 1.10 forwards to the pod IP, not localhost), over lo.
import { connect, connectQuery, mulberry32, parseSource, resolveTarget, isLoopback, type ConnectQuery, type ConnectResult, type Endpoint, type MeshInfo, type NameResolver, type NetfilterHooks } from '../cni';
import type { Realised, RPod } from '../model/realised';
import { lazyDecider, posOf } from '../model/types';
import { hostPort } from '../net/ip';
import type { Hop } from '../net/trace';
import { meshIndex, spiffeId, type MeshIndex } from './config';
import { hasSidecar, PORTS } from './injection';
import { inboundCapture, interception, outboundCapture } from './interception';
import { routeService, serviceEntryFor, type HttpRequest } from './routing';
import { authorize, peerAuthMode } from './security';

export interface MeshConnectQuery extends ConnectQuery {
  /** an HTTP request's attributes, for VirtualService matches and AuthorizationPolicy operations */
  http?: HttpRequest;
}

function istioInitDecider(pod: RPod) {
  const i = (pod.obj.spec?.initContainers ?? []).findIndex((c: any) => c?.name === 'istio-init');
  return lazyDecider(`istio-init of ${pod.key} (istio-iptables)`, pod.obj, i >= 0 ? ['spec', 'initContainers', i, 'args'] : []);
}

/** What the client side leaves for the server's sidecar. */
interface ClientSide {
  pod?: RPod;
  mtls: boolean;
  info?: MeshInfo;
}

/** A connection with the mesh's sidecars in it; without any sidecar in the cluster, the CNI walk as is. */
export function meshConnect(r: Realised, q: MeshConnectQuery, hooks: NetfilterHooks, resolver?: NameResolver): ConnectResult {
  const m = meshIndex(r);
  if (!m.meshed) return connectQuery(r, q, hooks, resolver);
  const from: Endpoint = typeof q.from === 'string' ? parseSource(r, q.from) : q.from;
  const protocol = q.protocol === undefined ? 'TCP' : String(q.protocol).toUpperCase();
  const pod = from.kind === 'pod' ? from.pod : undefined;
  const ctr = q.container ?? (from.kind === 'pod' ? from.container : undefined);
  if (!pod || !hasSidecar(pod) || protocol !== 'TCP' || ctr === 'istio-proxy' || pod.phase !== 'Running' || !pod.ip) {
    return inbound(m, connectQuery(r, { ...q, from }, hooks, resolver), { mtls: false }, q.http);
  }
  const x = interception(pod);
  if (!Number.isInteger(q.port) || q.port < 1 || q.port > 65535 || !x) return inbound(m, connectQuery(r, { ...q, from }, hooks, resolver), { mtls: false }, q.http);
  const src: Endpoint = ctr !== undefined ? { kind: 'pod', pod, container: ctr } : { kind: 'pod', pod };
  if (ctr !== undefined && !pod.containers.includes(ctr)) return connectQuery(r, { ...q, from }, hooks, resolver); // its error
  const target = resolveTarget(r, src, q.to, resolver);
  if (target.ip === null) return { verdict: 'unreachable', delivered: null, nat: [], reply: null, hops: target.hops, encapsulated: false };
  const ip = target.ip;
  const walk = (to: string, port: number, from: Endpoint) => connect(r, { from, to, port, protocol: 'TCP', via: q.via, seed: q.seed, sport: q.sport }, hooks);
  const prefix = (res: ConnectResult, hops: Hop[]) => { res.hops.unshift(...target.hops, ...hops); return res; };
  // the app's own connection ends at its sidecar: REDIRECT is a DNAT in the pod's conntrack, so the
  // app sees replies from the address it dialled
  const redirected = (res: ConnectResult) => {
    res.nat.unshift({ kind: 'DNAT', by: `istio-iptables REDIRECT in ${pod.key}`, before: hostPort(ip, q.port), after: hostPort('127.0.0.1', x.outboundPort) });
    if (res.reply) res.reply = { source: hostPort(ip, q.port) };
    return res;
  };
  // over lo (loopback, the pod's own address): ISTIO_OUTPUT returns for the app's UID
  if (isLoopback(ip) || pod.ips.includes(ip)) return prefix(walk(ip, q.port, src), []);
  const cap = outboundCapture(x, ip, q.port, 0);
  const app = ctr ?? pod.containers[0] ?? 'app';
  const dec = istioInitDecider(pod);
  if (!cap.captured) {
    const note: Hop = { at: `pod/${pod.key}/iptables/nat/ISTIO_OUTPUT`, action: 'note', detail: `not redirected to the sidecar: ${cap.rule}; ${app} connects to ${hostPort(ip, q.port)} directly`, source: dec };
    return inbound(m, prefix(walk(ip, q.port, src), [note]), { mtls: false }, q.http);
  }
  const proxyAt = `pod/${pod.key}/container/istio-proxy`;
  const hops: Hop[] = [
    { at: `pod/${pod.key}/container/${app}`, action: 'send', detail: `${app} connects to ${hostPort(ip, q.port)} from ${pod.key}'s network namespace` },
    { at: `pod/${pod.key}/iptables/nat/ISTIO_OUTPUT`, action: 'dnat', detail: `OUTPUT → ${cap.rule} → ISTIO_REDIRECT: REDIRECT --to-ports ${x.outboundPort}: the connection goes to ${pod.key}'s sidecar (Envoy's outbound listener; the original destination ${hostPort(ip, q.port)} is kept for it)`, source: dec },
  ];
  const random = mulberry32(((q.seed ?? r.config.seed) ^ 0x5eed1570) >>> 0);
  const proxySrc: Endpoint = { kind: 'pod', pod, container: 'istio-proxy' };
  const svc = r.serviceByClusterIP.get(ip);
  const sp = svc?.ports.find((p) => p.port === q.port && p.protocol === 'TCP');
  if (svc && sp) {
    const rt = routeService(m, pod, svc, sp, q.http, random);
    for (const h of rt.hops) hops.push({ at: h.at, action: h.action, detail: h.detail, source: h.source });
    if (rt.kind !== 'service') {
      const res: ConnectResult = { verdict: 'rejected', delivered: null, nat: [], reply: null, hops: [...target.hops, ...hops], encapsulated: false };
      res.mesh = { sidecars: [pod.key], mtls: false, status: rt.kind === 'blocked' ? rt.status : undefined };
      return res;
    }
    // the endpoint: Envoy's own choice among the ready endpoints of the cluster (EDS)
    const eps: { ip: string; port: number; pod?: RPod }[] = [];
    const v6 = ip.includes(':');
    for (const sl of r.slicesByService.get(rt.service.key) ?? []) {
      if ((sl.addressType === 'IPv6') !== v6 || sl.addressType === 'FQDN') continue;
      const slp = sl.ports.find((p) => p.name === rt.port.name && p.protocol === 'TCP');
      if (!slp) continue;
      for (const e of sl.endpoints) {
        if (!e.ready || !e.addresses.length) continue;
        if (rt.subsetLabels && (!e.pod || !Object.entries(rt.subsetLabels).every(([k, v]) => e.pod!.labels[k] === v))) continue;
        eps.push({ ip: e.addresses[0], port: slp.port, pod: e.pod });
      }
    }
    const cluster = rt.cluster;
    if (eps.length === 0) {
      hops.push({ at: proxyAt, action: 'reject', detail: `${cluster} has no ready endpoint${rt.subset ? ` labelled for subset ${rt.subset}` : ''}: Envoy answers 503 (UH, no healthy upstream)` });
      const res: ConnectResult = { verdict: 'rejected', delivered: null, nat: [], reply: null, hops: [...target.hops, ...hops], encapsulated: false };
      res.mesh = { sidecars: [pod.key], mtls: false, cluster, route: rt.route, subset: rt.subset, status: 503 };
      return res;
    }
    const ep = eps[Math.floor(random() * eps.length)];
    // mTLS: the DestinationRule's mode, else automatic mTLS (the server has a sidecar and does not DISABLE)
    const server = ep.pod && hasSidecar(ep.pod) ? ep.pod : undefined;
    const serverMode = server ? peerAuthMode(m, server, ep.port) : undefined;
    let mtls: boolean, why: string;
    if (rt.tls) {
      mtls = rt.tls === 'ISTIO_MUTUAL';
      why = `DestinationRule tls.mode ${rt.tls}`;
    } else if (!m.autoMtls) {
      mtls = false; why = 'automatic mTLS is off (mesh config enableAutoMtls: false) and no DestinationRule sets tls';
    } else if (!server) {
      mtls = false; why = `automatic mTLS: ${ep.pod ? ep.pod.key : ep.ip} has no sidecar, so plaintext`;
    } else if (serverMode!.mode === 'DISABLE') {
      mtls = false; why = `automatic mTLS: ${server.key}'s PeerAuthentication mode is DISABLE, so plaintext`;
    } else {
      mtls = true; why = `automatic mTLS: ${server.key} has a sidecar (label security.istio.io/tlsMode=istio)`;
    }
    hops.push({
      at: proxyAt, action: 'forward',
      detail: `Envoy cluster ${cluster}: endpoint ${hostPort(ep.ip, ep.port)}${ep.pod ? ` (${ep.pod.key})` : ''} chosen by the sidecar among ${eps.length} ready endpoint${eps.length === 1 ? '' : 's'} (LEAST_REQUEST); it connects to the pod IP itself, so kube-proxy's Service DNAT does not apply; ${mtls ? `mutual TLS as ${spiffeId(m, pod)}` : 'plaintext'} (${why}); UID ${x.uid} is not redirected again`,
      source: rt.tlsSource ?? { what: `Service ${rt.service.key}`, pos: posOf(rt.service.obj) },
    });
    const res = prefix(walk(ep.ip, ep.port, proxySrc), hops);
    return redirected(inbound(m, res, { pod, mtls, info: { sidecars: [pod.key], mtls, cluster, route: rt.route, subset: rt.subset } }, q.http));
  }
  // a headless Service's endpoint: Istio has a listener for each endpoint address, mTLS as for a Service
  const headless = m.headlessByIP.get(ip)?.find((s) => s.ports.some((p) => p.protocol === 'TCP'));
  const server = r.podByIP.get(ip);
  if (headless) {
    const cluster = `outbound|${q.port}||${headless.name}.${headless.ns}.svc.${r.config.dnsDomain}`;
    const mtls = m.autoMtls && !!server && hasSidecar(server) && peerAuthMode(m, server, q.port).mode !== 'DISABLE';
    hops.push({ at: proxyAt, action: 'forward', detail: `${ip} is an endpoint of headless Service ${headless.key}: Envoy cluster ${cluster} connects to the original destination ${hostPort(ip, q.port)}; ${mtls ? `mutual TLS as ${spiffeId(m, pod)} (automatic mTLS)` : 'plaintext (automatic mTLS: no sidecar there)'}` });
    const res = prefix(walk(ip, q.port, proxySrc), hops);
    return redirected(inbound(m, res, { pod, mtls, info: { sidecars: [pod.key], mtls, cluster } }, q.http));
  }
  // not a Service: a ServiceEntry, else outboundTrafficPolicy
  const name = target.hops.length ? q.to : undefined;
  const se = serviceEntryFor(m, pod, ip, q.port, name);
  if (se) {
    hops.push({ at: proxyAt, action: 'forward', detail: `ServiceEntry ${se.entry.metadata.namespace}/${se.entry.metadata.name} puts ${se.host} in the registry: Envoy cluster outbound|${q.port}||${se.host} connects to ${hostPort(ip, q.port)}`, source: { what: `ServiceEntry ${se.entry.metadata.namespace}/${se.entry.metadata.name}`, pos: posOf(se.entry, ['spec', 'hosts']) } });
    const res = prefix(walk(ip, q.port, proxySrc), hops);
    res.mesh = { sidecars: [pod.key], mtls: false, cluster: `outbound|${q.port}||${se.host}` };
    return redirected(res);
  }
  if (m.outboundPolicy === 'REGISTRY_ONLY') {
    hops.push({ at: proxyAt, action: 'reject', detail: `${hostPort(ip, q.port)} is neither a Service nor a ServiceEntry and outboundTrafficPolicy is REGISTRY_ONLY: BlackHoleCluster, Envoy closes the connection`, source: m.meshConfig });
    const res: ConnectResult = { verdict: 'rejected', delivered: null, nat: [], reply: null, hops: [...target.hops, ...hops], encapsulated: false };
    res.mesh = { sidecars: [pod.key], mtls: false, cluster: 'BlackHoleCluster' };
    return res;
  }
  hops.push({ at: proxyAt, action: 'forward', detail: `${hostPort(ip, q.port)} is not a Service port in the registry: outboundTrafficPolicy ALLOW_ANY sends it to PassthroughCluster, which connects to the original destination${m.meshConfig ? '' : ' (the mesh config default)'}`, source: m.meshConfig });
  const res = prefix(walk(ip, q.port, proxySrc), hops);
  return redirected(inbound(m, res, { pod, mtls: false, info: { sidecars: [pod.key], mtls: false, cluster: 'PassthroughCluster' } }, q.http));
}

/** The server side: a connection that reached a pod with a sidecar on a captured port. */
function inbound(m: MeshIndex, res: ConnectResult, client: ClientSide, http: HttpRequest | undefined): ConnectResult {
  if (client.info) res.mesh = client.info;
  if ((res.verdict !== 'delivered' && res.verdict !== 'refused') || !res.final) return res;
  const dst = splitHostPort(res.final.dst);
  const pod = m.r.podByIP.get(dst.ip);
  if (!pod || !hasSidecar(pod)) return res;
  const x = interception(pod);
  if (!x) return res;
  const cap = inboundCapture(x, dst.port);
  let k = res.hops.length - 1;
  while (k >= 0 && res.hops[k].action !== 'deliver' && res.hops[k].action !== 'refuse') k--;
  if (k < 0) return res;
  const proxyAt = `pod/${pod.key}/container/istio-proxy`;
  const hops: Hop[] = [];
  if (!cap.captured) {
    if (dst.port === PORTS.agent || dst.port === PORTS.health || dst.port === PORTS.prometheus) return res;
    res.hops.splice(k, 0, { at: `pod/${pod.key}/iptables/nat/ISTIO_INBOUND`, action: 'note', detail: `not redirected to the sidecar: ${cap.rule}`, source: istioInitDecider(pod) });
    return res;
  }
  hops.push({ at: `pod/${pod.key}/iptables/nat/ISTIO_INBOUND`, action: 'dnat', detail: `PREROUTING → ISTIO_INBOUND: ${cap.rule} → REDIRECT --to-ports ${x.inboundPort}: the connection goes to ${pod.key}'s sidecar (Envoy's inbound listener)`, source: istioInitDecider(pod) });
  const info: MeshInfo = res.mesh ?? { sidecars: [], mtls: false };
  info.sidecars = [...info.sidecars, pod.key];
  res.mesh = info;
  const pa = peerAuthMode(m, pod, dst.port);
  const paText = pa.source ? pa.source.what : "Istio's default (no PeerAuthentication applies)";
  const srcIP = splitHostPort(res.final.src).ip;
  const mtls = client.mtls;
  const stop = (verdict: ConnectResult['verdict'], hop: Hop, status?: number) => {
    hops.push(hop);
    res.hops.splice(k, res.hops.length - k, ...hops);
    res.verdict = verdict;
    res.delivered = null;
    res.reply = null;
    if (status) info.status = status;
    return res;
  };
  if (mtls && pa.mode === 'DISABLE') {
    return stop('rejected', { at: proxyAt, action: 'reject', detail: `the client sent mutual TLS but the port's mode is DISABLE (${paText}): the inbound listener expects plaintext and the handshake fails`, source: pa.source });
  }
  if (!mtls && pa.mode === 'STRICT') {
    return stop('refused', { at: proxyAt, action: 'refuse', detail: `plaintext from ${srcIP} refused: mTLS mode STRICT (${pa.level} level, ${paText}) accepts mutual TLS only; Envoy resets the connection`, source: pa.source });
  }
  const peer = mtls && client.pod ? spiffeId(m, client.pod) : undefined;
  if (mtls) {
    info.mtls = true;
    info.identity = peer;
    info.peer = spiffeId(m, pod);
  }
  hops.push({ at: proxyAt, action: 'allow', detail: mtls ? `mutual TLS accepted (mode ${pa.mode}, ${paText}): the peer is ${peer}, the server ${spiffeId(m, pod)}` : `plaintext accepted (mode ${pa.mode}, ${paText})`, source: pa.source });
  const az = authorize(m, pod, { principal: peer?.replace(/^spiffe:\/\//, ''), namespace: peer ? client.pod!.ns : undefined, ip: srcIP, port: dst.port, http });
  if (az) {
    for (const ap of az.skipped) hops.push({ at: proxyAt, action: 'note', detail: `CUSTOM AuthorizationPolicy ${ap.metadata.namespace}/${ap.metadata.name} (ext_authz provider ${ap.spec?.provider?.name ?? '?'}) is not modelled: skipped`, source: { what: `AuthorizationPolicy ${ap.metadata.namespace}/${ap.metadata.name}`, pos: posOf(ap) } });
    if (!az.allow) {
      return stop('rejected', { at: proxyAt, action: 'deny', detail: `denied by AuthorizationPolicy: ${az.detail}${http ? ': Envoy answers 403 (RBAC: access denied)' : ': Envoy closes the connection'}`, source: az.source }, http ? 403 : undefined);
    }
    hops.push({ at: proxyAt, action: 'allow', detail: `authorized: ${az.detail}`, source: az.source });
  }
  const l = pod.listening.get(`TCP/${dst.port}`);
  if (!l || l.container === 'istio-proxy') {
    return stop('refused', { at: proxyAt, action: 'refuse', detail: `Envoy's inbound cluster inbound|${dst.port}|| connects from 127.0.0.6 to ${hostPort(pod.ip, dst.port)} and no app container listens there: the upstream connection is refused${http ? ' (503 UF)' : ' and the client\'s connection is reset'}` }, http ? 503 : undefined);
  }
  hops.push({ at: `pod/${pod.key}/container/${l.container}`, action: 'deliver', detail: `Envoy's inbound cluster inbound|${dst.port}|| connects from 127.0.0.6 to ${hostPort(pod.ip, dst.port)} over lo (Istio forwards to the pod IP); ${l.container} listens on TCP ${dst.port}${l.name ? ` (port "${l.name}")` : ''}` });
  res.hops.splice(k, 1, ...hops);
  res.verdict = 'delivered';
  res.delivered = { pod: pod.key, ip: pod.ip, port: dst.port, container: l.container };
  return res;
}

function splitHostPort(s: string): { ip: string; port: number } {
  const i = s.lastIndexOf(':');
  const ip = s.slice(0, i).replace(/^\[|\]$/g, '');
  return { ip, port: Number(s.slice(i + 1)) };
}
