// The Endpoints controller of kube-controller-manager: for every Service with a selector it writes
// a v1 Endpoints object of the same name, what `kubectl get ep` lists. It mirrors what the
// EndpointSlice controller found, the primary IP family only (v1 Endpoints predate dual stack):
// ready addresses under `addresses`, the others under `notReadyAddresses` (publishNotReadyAddresses
// puts every one under addresses), terminating pods left out; one subset per distinct port list;
// past 1000 addresses it truncates and annotates endpoints.kubernetes.io/over-capacity: truncated.
// A hand-made Endpoints of the same name (a Service without a selector) is the user's and is kept.
import type { ClusterConfig } from '../model/config';
import type { RService, RSlice } from '../model/realised';
import type { KObject } from '../model/types';
import { derivedOrigin, makeUid } from './util';
import { setOrigin } from '../model/types';

export const MAX_ENDPOINTS_ADDRESSES = 1000;

export function realiseEndpoints(services: readonly RService[], slicesByService: ReadonlyMap<string, readonly RSlice[]>, handMade: ReadonlySet<string>, config: ClusterConfig): KObject[] {
  const out: KObject[] = [];
  for (const svc of services) {
    if (!svc.selector || svc.type === 'ExternalName' || handMade.has(svc.key)) continue;
    const primary = svc.clusterIPs[0]?.includes(':') ? 'IPv6' : 'IPv4';
    const subsets = new Map<string, { addresses: any[]; notReadyAddresses: any[]; ports: any[] }>();
    let count = 0, truncated = false;
    for (const s of slicesByService.get(svc.key) ?? []) {
      if (!s.managed || s.addressType !== primary) continue;
      const key = JSON.stringify(s.ports);
      let sub = subsets.get(key);
      if (!sub) subsets.set(key, (sub = { addresses: [], notReadyAddresses: [], ports: s.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) })) }));
      for (const e of s.endpoints) {
        if (e.terminating) continue;
        if (count >= MAX_ENDPOINTS_ADDRESSES) { truncated = true; break; }
        count++;
        const a: any = { ip: e.addresses[0] };
        if (e.hostname) a.hostname = e.hostname;
        if (e.nodeName) a.nodeName = e.nodeName;
        if (e.pod) a.targetRef = { kind: 'Pod', namespace: e.pod.ns, name: e.pod.name, uid: e.pod.obj.metadata.uid };
        (e.ready || svc.publishNotReadyAddresses ? sub.addresses : sub.notReadyAddresses).push(a);
      }
    }
    const list = [...subsets.values()].filter((x) => x.addresses.length || x.notReadyAddresses.length).map((x) => {
      const byIP = (a: any, b: any) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0);
      const sub: any = {};
      if (x.addresses.length) sub.addresses = x.addresses.sort(byIP);
      if (x.notReadyAddresses.length) sub.notReadyAddresses = x.notReadyAddresses.sort(byIP);
      sub.ports = x.ports;
      return sub;
    });
    const labels: Record<string, string> = { ...(svc.obj.metadata.labels ?? {}) };
    if (svc.headless) labels['service.kubernetes.io/headless'] = '';
    const metadata: any = { name: svc.name, namespace: svc.ns, uid: makeUid(config.seed, 'Endpoints', svc.ns, svc.name), labels };
    if (truncated) metadata.annotations = { 'endpoints.kubernetes.io/over-capacity': 'truncated' };
    const ep: KObject = { apiVersion: 'v1', kind: 'Endpoints', metadata, ...(list.length ? { subsets: list } : {}) } as KObject;
    const origin = derivedOrigin(svc.obj, `Service ${svc.key} → Endpoints controller`);
    if (origin) setOrigin(ep, origin);
    out.push(ep);
  }
  return out;
}
