// Services and kube-proxy: declaring Services (every type, policies, affinity, hand-made
// endpoints), connecting to them by their addresses, and asserting what kube-proxy did — the
// DNAT, the masquerade, the rules it wrote (iptables-save) and the IPVS table (ipvsadm -Ln).
// Thin glue: objects are API-shaped and go through the loader and the controllers.
import { Given, Then, When, defineParameterType, type DataTable } from '@cucumber/cucumber';
import type { ConnectResult } from '../src/cni';
import type { RService } from '../src/model/realised';
import type { KObject } from '../src/model/types';
import { isServiceAddress, kubeServicesPosition, natRulesOfNamespace, nodeAddrs, servicePorts, type KpServicePort } from '../src/kubeproxy';
import {
  connectAndRemember, editDeclared, failConnect, hostOf, lastConnect, listOf, mismatch, missingInOrder, natText, parseLabels, realNode,
  rememberConnect, removeDeclared, type LastConnect,
} from './support';
import type { NetspecWorld } from './world';
import { closest } from '../src/model/suggest';

// ---- parameter types ---------------------------------------------------------------------------

defineParameterType({
  name: 'svctype',
  regexp: /ClusterIP|NodePort|LoadBalancer/,
  transformer: (s: string) => s,
});

// ---- declaring services ------------------------------------------------------------------------

interface PortDecl { name?: string; port: number; targetPort: number | string; protocol: string; nodePort?: number }

function serviceObject(world: NetspecWorld, name: string, ns: string, type: string, selector: Record<string, string> | null, ports: PortDecl[], extra: Record<string, unknown> = {}): KObject {
  const spec: any = { type, ports: ports.map((p) => {
    const o: any = { port: p.port, targetPort: p.targetPort, protocol: p.protocol };
    if (p.name) o.name = p.name;
    if (p.nodePort) o.nodePort = p.nodePort;
    return o;
  }), ...extra };
  if (selector) spec.selector = selector;
  return world.addObject({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec } as KObject);
}

function patch(world: NetspecWorld, name: string, ns: string, f: (spec: any, obj: KObject) => void): void {
  editDeclared(world, 'Service', ns, name, (o) => f(o.spec ??= {}, o), ' (declare it with "Given a service …")');
}

Given('a service {string} in namespace {string} selecting {string} mapping port {int} to {int}', function (this: NetspecWorld, name: string, ns: string, sel: string, port: number, target: number) {
  serviceObject(this, name, ns, 'ClusterIP', parseLabels(sel), [{ port, targetPort: target, protocol: 'TCP' }]);
});

Given('a service {string} in namespace {string} selecting {string} mapping {protocol} port {int} to {int}', function (this: NetspecWorld, name: string, ns: string, sel: string, proto: string, port: number, target: number) {
  serviceObject(this, name, ns, 'ClusterIP', parseLabels(sel), [{ port, targetPort: target, protocol: proto }]);
});

Given('a service {string} in namespace {string} selecting {string} mapping port {int} to the port named {string}', function (this: NetspecWorld, name: string, ns: string, sel: string, port: number, target: string) {
  serviceObject(this, name, ns, 'ClusterIP', parseLabels(sel), [{ port, targetPort: target, protocol: 'TCP' }]);
});

Given('a {svctype} service {string} in namespace {string} selecting {string} mapping port {int} to {int}', function (this: NetspecWorld, type: string, name: string, ns: string, sel: string, port: number, target: number) {
  serviceObject(this, name, ns, type, parseLabels(sel), [{ port, targetPort: target, protocol: 'TCP' }]);
});

Given('a {svctype} service {string} in namespace {string} selecting {string} mapping port {int} to {int} with node port {int}', function (this: NetspecWorld, type: string, name: string, ns: string, sel: string, port: number, target: number, nodePort: number) {
  serviceObject(this, name, ns, type, parseLabels(sel), [{ port, targetPort: target, protocol: 'TCP', nodePort }]);
});

Given('a service {string} in namespace {string} selecting {string} with ports:', function (this: NetspecWorld, name: string, ns: string, sel: string, table: DataTable) {
  serviceObject(this, name, ns, 'ClusterIP', parseLabels(sel), portsFromTable(table));
});

Given('a {svctype} service {string} in namespace {string} selecting {string} with ports:', function (this: NetspecWorld, type: string, name: string, ns: string, sel: string, table: DataTable) {
  serviceObject(this, name, ns, type, parseLabels(sel), portsFromTable(table));
});

/** | name | port | targetPort | protocol | nodePort | */
function portsFromTable(table: DataTable): PortDecl[] {
  return table.hashes().map((row) => {
    const tp = (row.targetPort ?? '').trim();
    const p: PortDecl = { port: Number(row.port), targetPort: tp === '' ? Number(row.port) : /^\d+$/.test(tp) ? Number(tp) : tp, protocol: (row.protocol ?? '').trim() || 'TCP' };
    if ((row.name ?? '').trim()) p.name = row.name.trim();
    if ((row.nodePort ?? '').trim()) p.nodePort = Number(row.nodePort);
    return p;
  });
}

Given('a headless service {string} in namespace {string} selecting {string} mapping port {int} to {int}', function (this: NetspecWorld, name: string, ns: string, sel: string, port: number, target: number) {
  serviceObject(this, name, ns, 'ClusterIP', parseLabels(sel), [{ port, targetPort: target, protocol: 'TCP' }], { clusterIP: 'None' });
});

Given('an ExternalName service {string} in namespace {string} pointing to {string}', function (this: NetspecWorld, name: string, ns: string, ext: string) {
  this.addObject({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { type: 'ExternalName', externalName: ext } } as KObject);
});

Given('a service {string} in namespace {string} without a selector mapping port {int} to {int}', function (this: NetspecWorld, name: string, ns: string, port: number, target: number) {
  serviceObject(this, name, ns, 'ClusterIP', null, [{ port, targetPort: target, protocol: 'TCP' }]);
});

Given('the EndpointSlice {string} in namespace {string} for service {string} lists {string} on port {int}', function (this: NetspecWorld, slice: string, ns: string, svc: string, addresses: string, port: number) {
  const ips = listOf(addresses);
  this.addObject({
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: slice, namespace: ns, labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4',
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
    ports: [{ port, protocol: 'TCP' }],
  } as KObject);
});

Given('service {string} in namespace {string} has the cluster IP {ip}', function (this: NetspecWorld, name: string, ns: string, ip: string) {
  patch(this, name, ns, (s) => { s.clusterIP = ip; s.clusterIPs = [ip]; });
});

Given('service {string} in namespace {string} has externalTrafficPolicy {string}', function (this: NetspecWorld, name: string, ns: string, p: string) {
  patch(this, name, ns, (s) => { s.externalTrafficPolicy = p; });
});

Given('service {string} in namespace {string} has internalTrafficPolicy {string}', function (this: NetspecWorld, name: string, ns: string, p: string) {
  patch(this, name, ns, (s) => { s.internalTrafficPolicy = p; });
});

Given('service {string} in namespace {string} has sessionAffinity ClientIP', function (this: NetspecWorld, name: string, ns: string) {
  patch(this, name, ns, (s) => { s.sessionAffinity = 'ClientIP'; });
});

Given('service {string} in namespace {string} has sessionAffinity ClientIP with a timeout of {int} seconds', function (this: NetspecWorld, name: string, ns: string, t: number) {
  patch(this, name, ns, (s) => { s.sessionAffinity = 'ClientIP'; s.sessionAffinityConfig = { clientIP: { timeoutSeconds: t } }; });
});

Given('service {string} in namespace {string} has the external IP {ip}', function (this: NetspecWorld, name: string, ns: string, ip: string) {
  patch(this, name, ns, (s) => { s.externalIPs = [...(s.externalIPs ?? []), ip]; });
});

Given('service {string} in namespace {string} has the load balancer IP {ip}', function (this: NetspecWorld, name: string, ns: string, ip: string) {
  patch(this, name, ns, (_s, o) => { o.status = { loadBalancer: { ingress: [...(o.status?.loadBalancer?.ingress ?? []), { ip }] } }; });
});

Given('the cloud provider assigns load balancer addresses from {cidr}', function (this: NetspecWorld, cidr: string) {
  this.setConfig({ loadBalancerPool: cidr });
});

Given('service {string} in namespace {string} accepts load balancer traffic only from {string}', function (this: NetspecWorld, name: string, ns: string, ranges: string) {
  patch(this, name, ns, (s) => { s.loadBalancerSourceRanges = listOf(ranges); });
});

Given('{int} services in namespace {string} with {int} endpoints each', function (this: NetspecWorld, n: number, ns: string, m: number) {
  // selector-less services with hand-made EndpointSlices: what kube-proxy sees, without the pods
  for (let i = 0; i < n; i++) {
    serviceObject(this, `svc-${i}`, ns, 'ClusterIP', null, [{ port: 80, targetPort: 8080, protocol: 'TCP' }]);
    this.addObject({
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: { name: `svc-${i}-manual`, namespace: ns, labels: { 'kubernetes.io/service-name': `svc-${i}` } },
      addressType: 'IPv4',
      endpoints: Array.from({ length: m }, (_, j) => {
        const k = i * m + j;
        return { addresses: [`10.250.${k >> 8}.${k & 255}`], conditions: { ready: true } };
      }),
      ports: [{ port: 8080, protocol: 'TCP' }],
    } as KObject);
  }
});

// ---- kube-proxy's configuration ----------------------------------------------------------------

/** Throws for a mode netspec does not simulate, saying why. */
function checkMode(mode: string): 'iptables' | 'ipvs' | 'nftables' {
  if (mode === 'userspace') throw new Error('the userspace proxy mode was removed from kube-proxy (1.26) and is not simulated: use "iptables", "ipvs" or "nftables"');
  if (mode !== 'iptables' && mode !== 'ipvs' && mode !== 'nftables') throw new Error(`kube-proxy mode "${mode}" is not simulated (iptables, ipvs or nftables)`);
  return mode;
}

Given('kube-proxy runs in {string} mode', function (this: NetspecWorld, mode: string) {
  this.setConfig({ proxyMode: checkMode(mode) });
});

Then('kube-proxy\'s {string} mode is not simulated because {string}', function (this: NetspecWorld, mode: string, why: string) {
  try { checkMode(mode); } catch (e) {
    if (!String((e as Error).message).includes(why)) throw new Error(`the mode "${mode}" is refused, but not because "${why}": ${(e as Error).message}`);
    return;
  }
  throw new Error(`the mode "${mode}" is simulated`);
});

Given('kube-proxy runs in {string} mode with scheduler {string}', function (this: NetspecWorld, mode: string, sched: string) {
  if (mode !== 'ipvs') throw new Error('a scheduler only applies to the ipvs mode');
  const ok = ['rr', 'wrr', 'lc', 'wlc', 'sh', 'dh', 'sed', 'nq'];
  if (!ok.includes(sched)) throw new Error(`unknown IPVS scheduler "${sched}" (${ok.join(', ')})`);
  this.setConfig({ proxyMode: 'ipvs', ipvsScheduler: sched as any });
});

Given('kube-proxy masquerades all service traffic', function (this: NetspecWorld) {
  this.setConfig({ masqueradeAll: true });
});

Given('kube-proxy has no cluster CIDR', function (this: NetspecWorld) {
  this.setConfig({ proxyClusterCIDR: '' });
});

// ---- connecting to services --------------------------------------------------------------------

function svc(world: NetspecWorld, name: string, ns: string): RService {
  const s = world.cluster.realised.serviceByKey.get(`${ns}/${name}`);
  if (!s) {
    const near = closest(name, world.cluster.realised.services.filter((x) => x.ns === ns).map((x) => x.name), 3);
    throw new Error(`no service ${ns}/${name}${near.length ? ` (closest services in ${ns}: ${near.join(', ')})` : ` (namespace ${ns} has no services)`}`);
  }
  return s;
}

function nodePortOf(s: RService, port?: number): number {
  const p = port === undefined ? s.ports[0] : s.ports.find((x) => x.port === port);
  if (!p?.nodePort) throw new Error(`service ${s.key} has no node port${port ? ` for port ${port}` : ''} (type ${s.type})`);
  return p.nodePort;
}

When('pod {string} in namespace {string} connects to service {string} on {protocol} port {int}', function (this: NetspecWorld, pod: string, ns: string, name: string, proto: string, port: number) {
  const s = svc(this, name, ns);
  if (!s.clusterIPs.length) throw new Error(`service ${s.key} has no cluster IP (${s.headless ? 'headless' : s.type})`);
  connectAndRemember(this, { from: `${ns}/${pod}`, to: s.clusterIPs[0], port, protocol: proto });
});

When('node {string} connects to service {string} in namespace {string} on {protocol} port {int}', function (this: NetspecWorld, node: string, name: string, ns: string, proto: string, port: number) {
  const s = svc(this, name, ns);
  connectAndRemember(this, { from: `node/${node}`, to: s.clusterIPs[0], port, protocol: proto });
});

When('a client at {ip} outside the cluster connects to the node port of service {string} in namespace {string} on node {string}', function (this: NetspecWorld, ip: string, name: string, ns: string, node: string) {
  const s = svc(this, name, ns);
  const n = realNode(this, node);
  connectAndRemember(this, { from: `external:${ip}`, to: n.ip, port: nodePortOf(s), protocol: s.ports[0].protocol, via: node });
});

When('a client at {ip} outside the cluster connects to the load balancer IP of service {string} in namespace {string} through node {string}', function (this: NetspecWorld, ip: string, name: string, ns: string, node: string) {
  const s = svc(this, name, ns);
  if (!s.loadBalancerIPs.length) throw new Error(`service ${s.key} has no load balancer IP (type ${s.type}${s.type === 'LoadBalancer' ? ': <pending>, no cloud provider assigned one; declare status.loadBalancer.ingress or use "Given the cloud provider assigns load balancer addresses from CIDR"' : ''})`);
  connectAndRemember(this, { from: `external:${ip}`, to: s.loadBalancerIPs[0], port: s.ports[0].port, protocol: s.ports[0].protocol, via: node });
});

When('a client at {ip} outside the cluster connects to the load balancer IP of service {string} in namespace {string} on {protocol} port {int} through node {string}', function (this: NetspecWorld, ip: string, name: string, ns: string, protocol: string, port: number, node: string) {
  const s = svc(this, name, ns);
  if (!s.loadBalancerIPs.length) throw new Error(`service ${s.key} has no load balancer IP (type ${s.type})`);
  connectAndRemember(this, { from: `external:${ip}`, to: s.loadBalancerIPs[0], port, protocol, via: node });
});

Then('service {string} in namespace {string} has no load balancer IP', function (this: NetspecWorld, name: string, ns: string) {
  const s = svc(this, name, ns);
  if (s.loadBalancerIPs.length) throw mismatch(`service ${s.key}`, 'no load balancer IP (<pending>)', `status.loadBalancer.ingress ${s.loadBalancerIPs.join(', ')}`);
});

When('a client at {ip} outside the cluster connects to the external IP of service {string} in namespace {string} through node {string}', function (this: NetspecWorld, ip: string, name: string, ns: string, node: string) {
  const s = svc(this, name, ns);
  if (!s.externalIPs.length) throw new Error(`service ${s.key} has no externalIPs`);
  connectAndRemember(this, { from: `external:${ip}`, to: s.externalIPs[0], port: s.ports[0].port, protocol: s.ports[0].protocol, via: node });
});

When('pod {string} in namespace {string} connects to service {string} on {protocol} port {int} {int} times', function (this: NetspecWorld, pod: string, ns: string, name: string, proto: string, port: number, times: number) {
  repeat(this, pod, ns, name, proto, port, times, 0);
});

When('pod {string} in namespace {string} connects to service {string} on {protocol} port {int} {int} times, {int} seconds apart', function (this: NetspecWorld, pod: string, ns: string, name: string, proto: string, port: number, times: number, gap: number) {
  repeat(this, pod, ns, name, proto, port, times, gap);
});

interface Distribution { times: number; counts: Map<string, number>; verdicts: Map<string, number>; label: string }

function distribution(world: NetspecWorld): Distribution {
  const d = world.last.distribution as Distribution | undefined;
  if (!d) throw new Error('no repeated connection was made (use "… connects to service … N times")');
  return d;
}

/** "shop/web-1: 3, shop/web-2: 4" */
const countsText = (d: Distribution) => [...d.counts].map(([p, c]) => `${p}: ${c}`).join(', ');

function repeat(world: NetspecWorld, pod: string, ns: string, name: string, proto: string, port: number, times: number, gap: number): void {
  const s = svc(world, name, ns);
  const counts = new Map<string, number>();
  const verdicts = new Map<string, number>();
  let lastResult: ConnectResult | undefined;
  for (let i = 0; i < times; i++) {
    if (i > 0 && gap) world.cluster.advanceKubeProxyClock(gap);
    const res = world.cluster.connect({ from: `${ns}/${pod}`, to: s.clusterIPs[0], port, protocol: proto, seed: 1000 + i });
    verdicts.set(res.verdict, (verdicts.get(res.verdict) ?? 0) + 1);
    if (res.delivered) counts.set(res.delivered.pod, (counts.get(res.delivered.pod) ?? 0) + 1);
    lastResult = res;
  }
  const d: Distribution = { times, counts, verdicts, label: `${ns}/${pod} → service ${s.key} (${s.clusterIPs[0]}:${port}) × ${times}${gap ? `, ${gap} s apart` : ''}` };
  world.last.distribution = d;
  // the last connection stays the scenario's "last connection" (its trace, its verdict)
  if (lastResult) {
    rememberConnect(world, { from: `${ns}/${pod}`, to: s.clusterIPs[0], port, protocol: proto, seed: 1000 + times - 1 }, lastResult, d.label);
    world.attachTrace(`last of ${d.label}: ${lastResult.verdict}`, lastResult.hops);
  }
  world.attachText(`${d.label}\n${[...counts].sort().map(([p, n]) => `  ${p}: ${n} (${((100 * n) / times).toFixed(1)} %)`).join('\n')}`);
}

// ---- what kube-proxy did -------------------------------------------------------------------------


Then('kube-proxy rewrote the destination from the service IP to the pod IP', function (this: NetspecWorld) {
  const l = lastConnect(this);
  const d = l.result.nat.find((n) => n.kind === 'DNAT' && n.by === 'kube-proxy');
  const del = l.result.delivered;
  const target = hostOf(d?.before ?? '');
  if (!d || !del || d.after !== `${del.ip}:${del.port}` || !isServiceAddress(this.cluster.realised, target)) {
    failConnect(l, "a DNAT by kube-proxy from the service's address to the pod that answered", `${natText(l.result.nat)}; ${del ? `delivered to ${del.pod} ${del.ip}:${del.port}` : l.result.verdict}`);
  }
});

Then('kube-proxy rewrote the destination to {string}', function (this: NetspecWorld, to: string) {
  const l = lastConnect(this);
  if (!l.result.nat.some((n) => n.kind === 'DNAT' && n.by === 'kube-proxy' && n.after === to)) failConnect(l, `a DNAT by kube-proxy to ${to}`, natText(l.result.nat));
});

Then('kube-proxy did not rewrite the destination', function (this: NetspecWorld) {
  const l = lastConnect(this);
  if (l.result.nat.some((n) => n.kind === 'DNAT' && n.by === 'kube-proxy')) failConnect(l, 'no DNAT by kube-proxy', natText(l.result.nat));
});

Then('the client sees the reply from the service address', function (this: NetspecWorld) {
  const l = lastConnect(this);
  // the address the client connected to: what kube-proxy's DNAT rewrote
  const d = l.result.nat.find((n) => n.kind === 'DNAT' && n.by === 'kube-proxy');
  if (!d) failConnect(l, "a connection to a service address (DNAT by kube-proxy)", natText(l.result.nat));
  if (l.result.reply?.source !== d.before) failConnect(l, `the reply from ${d.before} (conntrack reverses kube-proxy's DNAT)`, `reply from ${l.result.reply?.source ?? 'nothing'}`);
});

Then('kube-proxy masqueraded the source', function (this: NetspecWorld) {
  const l = lastConnect(this);
  if (!l.result.nat.some((n) => n.kind === 'SNAT' && n.by.startsWith('kube-proxy'))) failConnect(l, 'an SNAT (MASQUERADE) by kube-proxy', natText(l.result.nat));
});

Then('kube-proxy did not masquerade the source', function (this: NetspecWorld) {
  const l = lastConnect(this);
  const s = l.result.nat.filter((n) => n.kind === 'SNAT' && n.by.startsWith('kube-proxy'));
  if (s.length) failConnect(l, 'no SNAT by kube-proxy', natText(l.result.nat));
});

function seen(l: LastConnect): string | null {
  return l.result.final && l.result.verdict === 'delivered' ? hostOf(l.result.final.src) : null;
}

Then('the source seen by the pod is the client\'s own address', function (this: NetspecWorld) {
  const l = lastConnect(this);
  if (!l.clientIP || seen(l) !== l.clientIP) failConnect(l, `delivered with the client's own address ${l.clientIP} as the source`, `${l.result.verdict}; source seen: ${seen(l) ?? 'nothing arrived'}`);
});

Then('the source seen by the pod is an address of node {string}', function (this: NetspecWorld, node: string) {
  const l = lastConnect(this);
  const addrs = nodeAddrs(this.cluster.realised, realNode(this, node)).all;
  const s = seen(l);
  if (!s || !addrs.has(s)) failConnect(l, `delivered with one of ${node}'s addresses (${[...addrs].join(', ')}) as the source`, `${l.result.verdict}; source seen: ${s ?? 'nothing arrived'}`);
});

Then('the source seen by the pod is its own address', function (this: NetspecWorld) {
  const l = lastConnect(this);
  const s = seen(l);
  if (!s || !l.result.delivered || s !== l.result.delivered.ip) failConnect(l, 'the pod sees its own address as the source (hairpin without masquerade)', `source seen: ${s ?? 'nothing arrived'}`);
});

Then('the connection was delivered to one of the pods of service {string} in namespace {string}', function (this: NetspecWorld, name: string, ns: string) {
  const l = lastConnect(this);
  const s = svc(this, name, ns);
  const eps = new Set((this.cluster.realised.slicesByService.get(s.key) ?? []).flatMap((x) => x.endpoints.flatMap((e) => e.addresses)));
  if (l.result.verdict !== 'delivered' || !l.result.delivered || !eps.has(l.result.delivered.ip)) {
    failConnect(l, `delivered to one of ${[...eps].join(', ') || 'no endpoints'}`, l.result.delivered ? `${l.result.delivered.pod} ${l.result.delivered.ip}` : l.result.verdict);
  }
});

Then(/^each of the (\d+) pods gets (a third|a half|a quarter|an equal share), within (\d+) ?%$/, function (this: NetspecWorld, n: string, _share: string, pct: string) {
  const d = distribution(this);
  const want = Number(n);
  const share = 1 / want;
  const tol = Number(pct) / 100;
  const rows = [...d.counts].sort().map(([p, c]) => `${p}: ${c} (${((100 * c) / d.times).toFixed(1)} %)`);
  const bad = [...d.counts].filter(([, c]) => Math.abs(c / d.times - share) > tol);
  if (d.counts.size !== want || bad.length) {
    throw new Error(`${d.label}\n  expected: ${want} pods, each ${(100 * share).toFixed(1)} % ± ${pct} %\n  actual:\n    ${rows.join('\n    ') || 'nothing delivered'}`);
  }
});

Then('the connections went to more than one pod', function (this: NetspecWorld) {
  const d = distribution(this);
  if (d.counts.size < 2) throw mismatch(d.label, 'more than one pod', countsText(d) || 'nothing delivered');
});

Then('every connection went to the same pod', function (this: NetspecWorld) {
  const d = distribution(this);
  if (d.counts.size !== 1) throw mismatch(d.label, 'one pod', countsText(d) || 'nothing delivered');
});

Then('the endpoints of service {string} in namespace {string} are the pods {names}', function (this: NetspecWorld, name: string, ns: string, pods: string[]) {
  const s = svc(this, name, ns);
  const r = this.cluster.realised;
  const got = (r.slicesByService.get(s.key) ?? []).flatMap((x) => x.endpoints.filter((e) => e.ready).map((e) => e.pod?.name ?? e.addresses[0])).sort();
  const want = [...pods].sort();
  if (got.join(',') !== want.join(',')) throw new Error(`service ${s.key}: expected ready endpoints ${want.join(', ') || 'none'}, got ${got.join(', ') || 'none'}`);
});

Then('service {string} in namespace {string} has no ready endpoints', function (this: NetspecWorld, name: string, ns: string) {
  const s = svc(this, name, ns);
  const got = (this.cluster.realised.slicesByService.get(s.key) ?? []).flatMap((x) => x.endpoints.filter((e) => e.ready).map((e) => e.pod?.key ?? e.addresses[0]));
  if (got.length) throw new Error(`service ${s.key}: expected no ready endpoint, got ${got.join(', ')}`);
});

Then('the endpoints of service {string} in namespace {string} are {string}', function (this: NetspecWorld, name: string, ns: string, list: string) {
  const s = svc(this, name, ns);
  const got = (this.cluster.realised.slicesByService.get(s.key) ?? []).flatMap((x) => x.endpoints.filter((e) => e.ready).flatMap((e) => x.ports.map((p) => `${e.addresses[0]}:${p.port}`))).sort();
  const want = listOf(list).sort();
  if (got.join(',') !== want.join(',')) throw new Error(`service ${s.key}: expected endpoints ${want.join(', ')}, got ${got.join(', ') || 'none'}`);
});

// ---- the rules: iptables-save and ipvsadm --------------------------------------------------------

function saveText(world: NetspecWorld, n: string): string {
  realNode(world, n);
  const text = world.cluster.iptablesSave(n);
  world.attachText(`iptables-save on ${n}\n${text}`);
  return text;
}

/** A chain by name, or by description: "the KUBE-SVC chain of service shop/web". */
function chainName(world: NetspecWorld, text: string): string {
  const m = /^(KUBE-SVC|KUBE-SVL|KUBE-EXT|KUBE-FW) of (?:service )?([^/\s]+)\/([^\s:]+)(?::(\S+))?$/.exec(text);
  if (!m) return text;
  const sp = spOf(world, m[2], m[3], m[4]);
  return ({ 'KUBE-SVC': sp.svcChain, 'KUBE-SVL': sp.svlChain, 'KUBE-EXT': sp.extChain, 'KUBE-FW': sp.fwChain } as Record<string, string>)[m[1]];
}

function spOf(world: NetspecWorld, ns: string, name: string, port?: string): KpServicePort {
  const sps = servicePorts(world.cluster.realised).filter((x) => x.svc.ns === ns && x.svc.name === name && (port === undefined || x.port.name === port || String(x.port.port) === port));
  if (!sps.length) throw new Error(`kube-proxy has no service port for ${ns}/${name}${port ? `:${port}` : ''}`);
  return sps[0];
}

function chainRules(world: NetspecWorld, n: string, table: string, chain: string): string[] {
  if (table !== 'nat' && table !== 'filter') throw new Error(`table is "nat" or "filter" (got "${table}")`);
  const text = saveText(world, n);
  const name = chainName(world, chain);
  const start = text.indexOf(`*${table}\n`);
  const end = text.indexOf('COMMIT', start);
  const block = text.slice(start, end).split('\n');
  if (!block.includes(`:${name} - [0:0]`) && !block.some((l) => l.startsWith(`:${name} ACCEPT`))) {
    throw new Error(`node ${n} has no ${table} chain ${name}${name !== chain ? ` (${chain})` : ''}`);
  }
  return block.filter((l) => l.startsWith(`-A ${name} `) || l === `-A ${name}`);
}

Then('node {string}\'s iptables {word} chain {string} has {int} rule(s)', function (this: NetspecWorld, n: string, table: string, chain: string, count: number) {
  const rules = chainRules(this, n, table, chain);
  if (rules.length !== count) throw new Error(`node ${n} ${table} ${chain}: expected ${count} rules, found ${rules.length}:\n${rules.join('\n')}`);
});

Then('node {string}\'s iptables {word} chain {string} contains {string}', function (this: NetspecWorld, n: string, table: string, chain: string, text: string) {
  const rules = chainRules(this, n, table, chain);
  if (!rules.some((r) => r.includes(text))) throw new Error(`node ${n} ${table} ${chain}: no rule contains "${text}":\n${rules.join('\n')}`);
});

Then('node {string}\'s iptables {word} chain {string} does not contain {string}', function (this: NetspecWorld, n: string, table: string, chain: string, text: string) {
  const rules = chainRules(this, n, table, chain);
  const hit = rules.find((r) => r.includes(text));
  if (hit) throw new Error(`node ${n} ${table} ${chain}: expected no rule with "${text}", found:\n${hit}`);
});

Then('node {string}\'s iptables {word} chain {string} is:', function (this: NetspecWorld, n: string, table: string, chain: string, doc: string) {
  const rules = chainRules(this, n, table, chain);
  const want = doc.split('\n').map((l) => l.trim()).filter(Boolean);
  if (rules.join('\n') !== want.join('\n')) throw new Error(`node ${n} ${table} ${chain}\n  expected:\n${want.join('\n')}\n  actual:\n${rules.join('\n')}`);
});

Then('iptables-save on node {string} shows, in this order:', function (this: NetspecWorld, n: string, doc: string) {
  const lines = saveText(this, n).split('\n');
  const missing = missingInOrder(lines, doc.split('\n').map((l) => l.trim()).filter(Boolean));
  if (missing !== null) throw new Error(`iptables-save on ${n}: line not found (in order):\n  ${missing}\n\nthe node's rules:\n${lines.join('\n')}`);
});

Then('nft list ruleset on node {string} shows, in this order:', function (this: NetspecWorld, n: string, doc: string) {
  realNode(this, n);
  const text = this.cluster.nftListRuleset(n);
  this.attachText(`nft list ruleset on ${n}\n${text}`);
  const lines = text.split('\n').map((l) => l.trim());
  const missing = missingInOrder(lines, doc.split('\n').map((l) => l.trim()).filter(Boolean));
  if (missing !== null) throw new Error(`nft list ruleset on ${n}: line not found (in order):\n  ${missing}\n\nthe node's table:\n${text || '(empty: kube-proxy is not in nftables mode)'}`);
});

Then('the KUBE-SVC chain of service {string} in namespace {string} is {string}', function (this: NetspecWorld, name: string, ns: string, chain: string) {
  const sp = spOf(this, ns, name);
  // kube-proxy names it "KUBE-SVC-" + the first 16 characters of base32(sha256("<ns>/<svc>:<port name>" + "<proto>"))
  this.attachText(`base32(sha256("${sp.name}${sp.proto}")) → ${sp.svcChain}`);
  if (sp.svcChain !== chain) throw new Error(`service ${ns}/${name}: expected the chain ${chain}, kube-proxy's hash of "${sp.name}${sp.proto}" gives ${sp.svcChain}`);
});

Then('kube-proxy writes {int} nat rules and {int} filter rules on node {string}', function (this: NetspecWorld, nat: number, filter: number, n: string) {
  const c = this.cluster.kubeProxyRuleCounts(realNode(this, n).name);
  this.attachText(JSON.stringify(c, null, 2));
  if (c.natRules !== nat || c.filterRules !== filter) throw new Error(`node ${n}: expected ${nat} nat and ${filter} filter rules, kube-proxy writes ${c.natRules} nat and ${c.filterRules} filter rules`);
});

Then('the services of namespace {string} account for {int} nat rules on node {string}', function (this: NetspecWorld, ns: string, count: number, n: string) {
  const k = natRulesOfNamespace(this.cluster.realised, realNode(this, n).name, ns);
  if (k !== count) throw new Error(`node ${n}: the services of ${ns} account for ${k} nat rules, expected ${count}`);
});

Then('KUBE-SERVICES on node {string} has {int} rules', function (this: NetspecWorld, n: string, count: number) {
  const c = this.cluster.kubeProxyRuleCounts(realNode(this, n).name);
  if (c.kubeServices !== count) throw new Error(`node ${n}: KUBE-SERVICES has ${c.kubeServices} rules, expected ${count}`);
});

Then('a new connection to service {string} in namespace {string} on node {string} is checked against {int} rules before kube-proxy finds it', function (this: NetspecWorld, name: string, ns: string, n: string, count: number) {
  const sp = spOf(this, ns, name);
  // the kernel walks nat KUBE-SERVICES rule by rule: count what it evaluates until the jump matches
  const p = kubeServicesPosition(this.cluster.realised, realNode(this, n).name, sp);
  if (!p) throw new Error(`${sp.name} has no rule in KUBE-SERVICES on ${n}`);
  this.attachText(`${sp.name} is rule ${p.position} of ${p.of} in KUBE-SERVICES on ${n}: ${p.rule}\n(the walk evaluated ${p.evaluated} rules in all tables)`);
  if (p.position !== count) throw new Error(`${sp.name} is rule ${p.position} of KUBE-SERVICES on ${n}, so a new connection checks ${p.position} rules there, not ${count}`);
});

function ipvsText(world: NetspecWorld, n: string): string {
  realNode(world, n);
  const text = world.cluster.ipvsadm(n);
  world.attachText(`ipvsadm -Ln on ${n}\n${text}`);
  return text;
}

Then('ipvsadm -Ln on node {string} shows, in this order:', function (this: NetspecWorld, n: string, doc: string) {
  const lines = ipvsText(this, n).split('\n').map((l) => l.trimEnd());
  const missing = missingInOrder(lines, doc.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim()), (a, b) => a.trim() === b.trim());
  if (missing !== null) throw new Error(`ipvsadm -Ln on ${n}: line not found (in order):\n  ${missing}\n\nthe table:\n${lines.join('\n')}`);
});

Then('node {string} has {int} IPVS virtual servers', function (this: NetspecWorld, n: string, count: number) {
  const vs = ipvsText(this, n).split('\n').filter((l) => /^(TCP|UDP|SCTP) /.test(l));
  if (vs.length !== count) throw new Error(`node ${n}: ${vs.length} virtual servers, expected ${count}:\n${vs.join('\n')}`);
});

/** Checks how many real servers (`  -> ` lines) follow the virtual server line that starts with `vs`. */
function realServers(world: NetspecWorld, n: string, vs: string, what: string, count: number): void {
  const lines = ipvsText(world, n).split('\n');
  const i = lines.findIndex((l) => l.startsWith(vs));
  if (i < 0) throw new Error(`node ${n} has no virtual server ${what}:\n${lines.join('\n')}`);
  let k = 0;
  for (let j = i + 1; j < lines.length && lines[j].startsWith('  -> '); j++) k++;
  if (k !== count) throw new Error(`virtual server ${lines[i]} on ${n}: ${k} real servers, expected ${count}`);
}

Then('the IPVS virtual server of service {string} in namespace {string} on node {string} has {int} real server(s)', function (this: NetspecWorld, name: string, ns: string, n: string, count: number) {
  const s = svc(this, name, ns);
  const p = s.ports[0];
  const vs = `${p.protocol}  ${s.clusterIPs[0]}:${p.port} `;
  realServers(this, n, vs, `for ${s.key} (${vs.trim()})`, count);
});

Then('the IPVS virtual server {string} on node {string} has {int} real server(s)', function (this: NetspecWorld, vsText: string, n: string, count: number) {
  realServers(this, n, vsText, `"${vsText}"`, count);
});

// ---- pods coming and going -----------------------------------------------------------------------

When('pod {string} in namespace {string} stops being ready', function (this: NetspecWorld, name: string, ns: string) {
  editDeclared(this, 'Pod', ns, name, (o) => {
    o.status = { ...(o.status ?? {}), phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }, { type: 'ContainersReady', status: 'False' }] };
  });
});

When('pod {string} in namespace {string} is deleted', function (this: NetspecWorld, name: string, ns: string) {
  removeDeclared(this, 'Pod', ns, name);
});

When('pod {string} in namespace {string} is terminating', function (this: NetspecWorld, name: string, ns: string) {
  // deletion requested, grace period running: the API server sets metadata.deletionTimestamp; the pod stays Ready
  editDeclared(this, 'Pod', ns, name, (o) => { o.metadata.deletionTimestamp = '2024-01-01T00:00:00Z'; });
});

When('pod {string} in namespace {string} is labelled {string}', function (this: NetspecWorld, name: string, ns: string, labels: string) {
  const added = parseLabels(labels);
  editDeclared(this, 'Pod', ns, name, (o) => { o.metadata.labels = { ...(o.metadata.labels ?? {}), ...added }; });
});

When('deployment {string} in namespace {string} is scaled to {int} replica(s)', function (this: NetspecWorld, name: string, ns: string, n: number) {
  editDeclared(this, 'Deployment', ns, name, (o) => { o.spec.replicas = n; });
});

