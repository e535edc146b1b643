// kubectl-style tables for `netspec get`: the columns kubectl prints for each kind (plus -o wide).
import type { KObject } from '../model/types';
import type { Realised } from '../model/realised';

/** kubectl's names and short names for the kinds netspec holds. */
export const KIND_ALIASES: Record<string, string> = {
  node: 'Node', nodes: 'Node', no: 'Node',
  namespace: 'Namespace', namespaces: 'Namespace', ns: 'Namespace',
  pod: 'Pod', pods: 'Pod', po: 'Pod',
  service: 'Service', services: 'Service', svc: 'Service',
  endpointslice: 'EndpointSlice', endpointslices: 'EndpointSlice',
  endpoints: 'Endpoints', ep: 'Endpoints',
  deployment: 'Deployment', deployments: 'Deployment', deploy: 'Deployment',
  replicaset: 'ReplicaSet', replicasets: 'ReplicaSet', rs: 'ReplicaSet',
  statefulset: 'StatefulSet', statefulsets: 'StatefulSet', sts: 'StatefulSet',
  daemonset: 'DaemonSet', daemonsets: 'DaemonSet', ds: 'DaemonSet',
  job: 'Job', jobs: 'Job', cronjob: 'CronJob', cronjobs: 'CronJob', cj: 'CronJob',
  ingress: 'Ingress', ingresses: 'Ingress', ing: 'Ingress',
  ingressclass: 'IngressClass', ingressclasses: 'IngressClass',
  networkpolicy: 'NetworkPolicy', networkpolicies: 'NetworkPolicy', netpol: 'NetworkPolicy',
  configmap: 'ConfigMap', configmaps: 'ConfigMap', cm: 'ConfigMap',
  secret: 'Secret', secrets: 'Secret',
  servicecidr: 'ServiceCIDR', servicecidrs: 'ServiceCIDR',
};

type Row = string[];
interface Printer { head: string[]; wide?: string[]; row(o: KObject, r: Realised): Row; wideRow?(o: KObject, r: Realised): Row }

const none = '<none>';
const join = (xs: readonly unknown[] | undefined) => (xs && xs.length ? xs.join(',') : none);

function ports(svc: KObject): string {
  const ps: any[] = svc.spec?.ports ?? [];
  if (!ps.length) return none;
  return ps.map((p) => `${p.port}${p.nodePort ? ':' + p.nodePort : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

function selectorText(sel: Record<string, string> | undefined): string {
  return sel && Object.keys(sel).length ? Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',') : none;
}

const PRINTERS: Record<string, Printer> = {
  Node: {
    head: ['NAME', 'STATUS', 'ROLES', 'POD-CIDR'], wide: ['INTERNAL-IP', 'POD-CIDRS'],
    row: (o, r) => {
      const n = r.nodeByName.get(o.metadata.name);
      const roles = Object.keys(o.metadata.labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice(24));
      return [o.metadata.name, n?.ready === false ? 'NotReady' : 'Ready' + (n?.unschedulable ? ',SchedulingDisabled' : ''), roles.join(',') || none, o.spec?.podCIDR ?? none];
    },
    wideRow: (o) => [(o.status?.addresses ?? []).filter((a: any) => a.type === 'InternalIP').map((a: any) => a.address).join(',') || none, join(o.spec?.podCIDRs)],
  },
  Namespace: {
    head: ['NAME', 'STATUS'],
    row: (o) => [o.metadata.name, o.status?.phase ?? 'Active'],
  },
  Pod: {
    head: ['NAME', 'READY', 'STATUS', 'IP', 'NODE'], wide: ['NOMINATED NODE', 'READINESS GATES'],
    row: (o, r) => {
      const p = r.podByKey.get(`${o.metadata.namespace}/${o.metadata.name}`);
      const total = (o.spec?.containers ?? []).length;
      const ready = p?.ready ? total : 0;
      const status = p?.terminating ? 'Terminating' : (p?.phase ?? o.status?.phase ?? 'Pending');
      return [o.metadata.name, `${ready}/${total}`, status, o.status?.podIP ?? none, o.spec?.nodeName ?? none];
    },
    wideRow: () => [none, none],
  },
  Service: {
    head: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)'], wide: ['SELECTOR'],
    row: (o) => {
      const type = o.spec?.type ?? 'ClusterIP';
      const ext = type === 'ExternalName' ? o.spec?.externalName
        : [...(o.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip ?? i.hostname), ...(o.spec?.externalIPs ?? [])].join(',') || (type === 'LoadBalancer' ? '<pending>' : none);
      return [o.metadata.name, type, o.spec?.clusterIP ?? none, ext, ports(o)];
    },
    wideRow: (o) => [selectorText(o.spec?.selector)],
  },
  EndpointSlice: {
    head: ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS'],
    row: (o) => {
      const eps: any[] = (o as any).endpoints ?? [];
      const addrs = eps.flatMap((e) => e.addresses ?? []);
      const shown = addrs.slice(0, 3).join(',') + (addrs.length > 3 ? ` + ${addrs.length - 3} more...` : '');
      const ps: any[] = (o as any).ports ?? [];
      return [o.metadata.name, String((o as any).addressType ?? ''), ps.length ? ps.map((p) => p.port ?? '').join(',') : none, shown || none];
    },
  },
  Deployment: {
    head: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE'],
    row: (o) => { const n = o.spec?.replicas ?? 1; return [o.metadata.name, `${n}/${n}`, String(n), String(n)]; },
  },
  ReplicaSet: {
    head: ['NAME', 'DESIRED', 'CURRENT', 'READY'],
    row: (o) => { const n = String(o.spec?.replicas ?? 1); return [o.metadata.name, n, n, n]; },
  },
};

function generic(o: KObject): Row { return [o.metadata.name]; }

export function printTable(kind: string, objs: readonly KObject[], r: Realised, wide: boolean, allNamespaces: boolean): string {
  const p = PRINTERS[kind];
  const namespaced = objs.some((o) => o.metadata.namespace);
  const head = [...(allNamespaces && namespaced ? ['NAMESPACE'] : []), ...(p?.head ?? ['NAME']), ...(wide && p?.wide ? p.wide : [])];
  const rows = objs.map((o) => [
    ...(allNamespaces && namespaced ? [o.metadata.namespace ?? ''] : []),
    ...(p ? p.row(o, r) : generic(o)),
    ...(wide && p?.wideRow ? p.wideRow(o, r) : []),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const fmt = (row: string[]) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] + 3))).join('');
  return [fmt(head), ...rows.map(fmt)].join('\n');
}
