// kubectl-style tables for `netspec get`: the columns kubectl prints for each kind (plus -o wide),
// without AGE (a model has no clock of creation). Nodes carry a POD-CIDR column and pods their IP
// and NODE in the default view: they are what netspec's users come for.
import type { KObject } from '../model/types';
import type { Realised } from '../model/realised';
import { compileLabelSelector, compileMapSelector, SelectorError } from '../model/selector';
import { hostPort } from '../net/ip';

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

/** The API group of each kind ("" for the core group), as in `deployment.apps/web`. */
export const KIND_GROUPS: Record<string, string> = {
  Node: '', Namespace: '', Pod: '', Service: '', Endpoints: '', ConfigMap: '', Secret: '',
  EndpointSlice: 'discovery.k8s.io',
  Deployment: 'apps', ReplicaSet: 'apps', StatefulSet: 'apps', DaemonSet: 'apps',
  Job: 'batch', CronJob: 'batch',
  Ingress: 'networking.k8s.io', IngressClass: 'networking.k8s.io', NetworkPolicy: 'networking.k8s.io', ServiceCIDR: 'networking.k8s.io',
};

/**
 * A kind as typed on the command line: a name or short name, any case, optionally qualified with
 * its group as kubectl accepts it (`deployments.apps`, `endpointslices.discovery.k8s.io`).
 */
export function resolveKind(text: string): string | undefined {
  const t = text.toLowerCase();
  if (KIND_ALIASES[t]) return KIND_ALIASES[t];
  const dot = t.indexOf('.');
  if (dot > 0) {
    const kind = KIND_ALIASES[t.slice(0, dot)];
    if (kind && KIND_GROUPS[kind] === t.slice(dot + 1)) return kind;
  }
  return undefined;
}

/** kubectl's `-o name` and multi-kind prefix: `pod/web-1`, `deployment.apps/web`. */
export function resourceName(o: KObject): string {
  const group = KIND_GROUPS[o.kind] ?? (o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.indexOf('/')) : '');
  return `${o.kind.toLowerCase()}${group ? '.' + group : ''}/${o.metadata.name}`;
}

/** kubectl's resource name in messages: `pods`, `deployments.apps`, `ingresses.networking.k8s.io`. */
export function resourcePlural(kind: string): string {
  const k = kind.toLowerCase();
  const plural = k === 'endpoints' ? k : /(s|ss)$/.test(k) ? k + 'es' : /y$/.test(k) ? k.slice(0, -1) + 'ies' : k + 's';
  const group = KIND_GROUPS[kind] ?? '';
  return group ? `${plural}.${group}` : plural;
}

type Row = string[];
interface Printer { head: string[]; wide?: string[]; row(o: KObject, r: Realised): Row; wideRow?(o: KObject, r: Realised): Row }

const none = '<none>';
const join = (xs: readonly unknown[] | undefined) => (xs && xs.length ? xs.join(',') : none);
const num = (v: unknown) => String(typeof v === 'number' ? v : 0);

/** kubectl's listWithMoreString: the first three, then "+ N more...", or <unset>. */
function firstThree(list: readonly string[]): string {
  if (list.length === 0) return '<unset>';
  return list.slice(0, 3).join(',') + (list.length > 3 ? ` + ${list.length - 3} more...` : '');
}

function ports(svc: KObject): string {
  const ps: any[] = svc.spec?.ports ?? [];
  if (!ps.length) return none;
  return ps.map((p) => `${p.port}${p.nodePort ? ':' + p.nodePort : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

function mapSelectorText(sel: Record<string, string> | undefined): string {
  return sel && Object.keys(sel).length ? compileMapSelector(sel).text : none;
}

function labelSelectorText(sel: any): string {
  if (!sel) return none;
  try {
    // kubectl prints the values of In / NotIn sorted (apimachinery sorts a requirement's value set)
    const sorted = { ...sel, matchExpressions: (sel.matchExpressions ?? []).map((e: any) => (Array.isArray(e?.values) ? { ...e, values: [...e.values].map(String).sort() } : e)) };
    const c = compileLabelSelector(sorted);
    return c.empty ? none : c.text;
  } catch (e) {
    if (e instanceof SelectorError) return '<invalid>';
    throw e;
  }
}

/** kubectl's layoutContainerCells: container names and images, comma-separated. */
function containerCells(tmplSpec: any): Row {
  const cs: any[] = tmplSpec?.containers ?? [];
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image ?? '').join(',')];
}

function nodeRoles(o: KObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(o.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/') && k.length > 24) roles.add(k.slice(24));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort().join(',') || none;
}

function nodeAddress(o: KObject, type: string): string {
  return (o.status?.addresses ?? []).find((a: any) => a.type === type)?.address ?? none;
}

/** kubectl's pod STATUS column, reduced to what a model holds. */
function podStatus(o: KObject, phase: string | undefined): string {
  if (o.metadata.deletionTimestamp) return 'Terminating';
  let reason: string = o.status?.reason ?? phase ?? o.status?.phase ?? 'Pending';
  for (const s of (o.status?.containerStatuses ?? []) as any[]) {
    if (s.state?.waiting?.reason) reason = s.state.waiting.reason;
    else if (s.state?.terminated?.reason) reason = s.state.terminated.reason;
  }
  return reason;
}

const PRINTERS: Record<string, Printer> = {
  Node: {
    head: ['NAME', 'STATUS', 'ROLES', 'POD-CIDR'], wide: ['INTERNAL-IP', 'EXTERNAL-IP', 'POD-CIDRS'],
    row: (o, r) => {
      const n = r.nodeByName.get(o.metadata.name);
      const status = [n?.ready === false ? 'NotReady' : 'Ready'];
      if (n?.unschedulable || o.spec?.unschedulable) status.push('SchedulingDisabled');
      return [o.metadata.name, status.join(','), nodeRoles(o), o.spec?.podCIDR ?? none];
    },
    wideRow: (o) => [nodeAddress(o, 'InternalIP'), nodeAddress(o, 'ExternalIP'), join(o.spec?.podCIDRs)],
  },
  Namespace: {
    head: ['NAME', 'STATUS'],
    row: (o) => [o.metadata.name, o.status?.phase ?? 'Active'],
  },
  Pod: {
    head: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'IP', 'NODE'], wide: ['NOMINATED NODE', 'READINESS GATES'],
    row: (o, r) => {
      const p = r.podByKey.get(`${o.metadata.namespace}/${o.metadata.name}`);
      const total = (o.spec?.containers ?? []).length;
      const statuses: any[] = o.status?.containerStatuses ?? [];
      const ready = statuses.length ? statuses.filter((s) => s.ready).length : p?.ready ? total : 0;
      const restarts = statuses.reduce((n, s) => n + (typeof s.restartCount === 'number' ? s.restartCount : 0), 0);
      return [o.metadata.name, `${ready}/${total}`, podStatus(o, p?.phase), String(restarts), o.status?.podIP ?? none, o.spec?.nodeName ?? none];
    },
    wideRow: (o) => {
      const gates: any[] = o.spec?.readinessGates ?? [];
      const conds: any[] = o.status?.conditions ?? [];
      const met = gates.filter((g) => conds.some((c) => c.type === g.conditionType && c.status === 'True')).length;
      return [o.status?.nominatedNodeName ?? none, gates.length ? `${met}/${gates.length}` : none];
    },
  },
  Service: {
    head: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)'], wide: ['SELECTOR'],
    row: (o) => {
      const type = o.spec?.type ?? 'ClusterIP';
      const ext = type === 'ExternalName' ? o.spec?.externalName
        : [...(o.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip ?? i.hostname), ...(o.spec?.externalIPs ?? [])].join(',') || (type === 'LoadBalancer' ? '<pending>' : none);
      return [o.metadata.name, type, o.spec?.clusterIP || none, ext, ports(o)];
    },
    wideRow: (o) => [mapSelectorText(o.spec?.selector)],
  },
  EndpointSlice: {
    head: ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS'],
    row: (o) => {
      const eps: any[] = (o as any).endpoints ?? [];
      const ps: any[] = (o as any).ports ?? [];
      return [o.metadata.name, String((o as any).addressType ?? ''),
        firstThree(ps.map((p) => (typeof p.port === 'number' ? String(p.port) : p.name ?? '*'))),
        firstThree(eps.flatMap((e) => e.addresses ?? []))];
    },
  },
  Endpoints: {
    head: ['NAME', 'ENDPOINTS'],
    row: (o) => {
      const list: string[] = [];
      for (const s of ((o as any).subsets ?? []) as any[]) {
        const addrs: string[] = (s.addresses ?? []).map((a: any) => a.ip);
        const ps: any[] = s.ports ?? [];
        if (!ps.length) list.push(...addrs);
        else for (const p of ps) for (const a of addrs) list.push(hostPort(a, p.port));
      }
      return [o.metadata.name, list.length ? firstThree(list) : none];
    },
  },
  Deployment: {
    head: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE'], wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (o) => [o.metadata.name, `${num(o.status?.readyReplicas)}/${o.spec?.replicas ?? 1}`, num(o.status?.updatedReplicas), num(o.status?.availableReplicas)],
    wideRow: (o) => [...containerCells(o.spec?.template?.spec), labelSelectorText(o.spec?.selector)],
  },
  ReplicaSet: {
    head: ['NAME', 'DESIRED', 'CURRENT', 'READY'], wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (o) => [o.metadata.name, String(o.spec?.replicas ?? 1), num(o.status?.replicas), num(o.status?.readyReplicas)],
    wideRow: (o) => [...containerCells(o.spec?.template?.spec), labelSelectorText(o.spec?.selector)],
  },
  StatefulSet: {
    head: ['NAME', 'READY'], wide: ['CONTAINERS', 'IMAGES'],
    row: (o) => [o.metadata.name, `${num(o.status?.readyReplicas)}/${o.spec?.replicas ?? 1}`],
    wideRow: (o) => containerCells(o.spec?.template?.spec),
  },
  DaemonSet: {
    head: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR'], wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (o) => {
      const s = o.status ?? {};
      return [o.metadata.name, num(s.desiredNumberScheduled), num(s.currentNumberScheduled), num(s.numberReady), num(s.updatedNumberScheduled), num(s.numberAvailable), mapSelectorText(o.spec?.template?.spec?.nodeSelector)];
    },
    wideRow: (o) => [...containerCells(o.spec?.template?.spec), labelSelectorText(o.spec?.selector)],
  },
  Job: {
    head: ['NAME', 'COMPLETIONS'], wide: ['CONTAINERS', 'IMAGES'],
    row: (o) => {
      const completions = o.spec?.completions;
      const parallel = o.spec?.parallelism ?? 1;
      // kubectl: succeeded/completions; without completions, succeeded/1 (of parallelism when > 1)
      const done = num(o.status?.succeeded);
      return [o.metadata.name, completions !== undefined && completions !== null ? `${done}/${completions}` : parallel > 1 ? `${done}/1 of ${parallel}` : `${done}/1`];
    },
    wideRow: (o) => containerCells(o.spec?.template?.spec),
  },
  CronJob: {
    head: ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE'],
    row: (o) => [o.metadata.name, String(o.spec?.schedule ?? ''), o.spec?.timeZone ?? none, String(o.spec?.suspend === true ? 'True' : 'False'), String((o.status?.active ?? []).length)],
  },
  ConfigMap: {
    head: ['NAME', 'DATA'],
    row: (o) => [o.metadata.name, String(Object.keys(o.data ?? {}).length + Object.keys((o as any).binaryData ?? {}).length)],
  },
  Secret: {
    head: ['NAME', 'TYPE', 'DATA'],
    row: (o) => [o.metadata.name, String((o as any).type ?? 'Opaque'), String(new Set([...Object.keys(o.data ?? {}), ...Object.keys((o as any).stringData ?? {})]).size)],
  },
  Ingress: {
    head: ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS'],
    row: (o) => {
      const hosts = [...new Set(((o.spec?.rules ?? []) as any[]).map((r) => r.host).filter(Boolean))];
      const addr = ((o.status?.loadBalancer?.ingress ?? []) as any[]).map((i) => i.ip ?? i.hostname).filter(Boolean);
      return [o.metadata.name, o.spec?.ingressClassName ?? none, hosts.length ? hosts.slice(0, 4).join(',') + (hosts.length > 4 ? ` + ${hosts.length - 4} more...` : '') : '*', addr.join(','), (o.spec?.tls ?? []).length ? '80, 443' : '80'];
    },
  },
  IngressClass: {
    head: ['NAME', 'CONTROLLER', 'PARAMETERS'],
    row: (o) => {
      const p = o.spec?.parameters;
      return [o.metadata.name, String(o.spec?.controller ?? ''), p ? `${p.kind}${p.apiGroup ? '.' + p.apiGroup : ''}/${p.name}` : none];
    },
  },
  NetworkPolicy: {
    head: ['NAME', 'POD-SELECTOR'],
    row: (o) => [o.metadata.name, labelSelectorText(o.spec?.podSelector ?? {})],
  },
  ServiceCIDR: {
    head: ['NAME', 'CIDRS'],
    row: (o) => [o.metadata.name, join(o.spec?.cidrs)],
  },
};

function generic(o: KObject): Row { return [o.metadata.name]; }

export interface TableOptions {
  wide: boolean;
  /** a NAMESPACE column first (kubectl -A) */
  allNamespaces: boolean;
  /** NAME as kind[.group]/name (kubectl does this when several kinds are asked for) */
  withKind?: boolean;
}

export function printTable(kind: string, objs: readonly KObject[], r: Realised, opts: TableOptions): string {
  const p = PRINTERS[kind];
  const namespaced = objs.some((o) => o.metadata.namespace);
  const nsCol = opts.allNamespaces && namespaced;
  const head = [...(nsCol ? ['NAMESPACE'] : []), ...(p?.head ?? ['NAME']), ...(opts.wide && p?.wide ? p.wide : [])];
  const rows = objs.map((o) => {
    const cells = p ? p.row(o, r) : generic(o);
    if (opts.withKind) cells[0] = resourceName(o);
    return [
      ...(nsCol ? [o.metadata.namespace ?? ''] : []),
      ...cells,
      ...(opts.wide && p?.wideRow ? p.wideRow(o, r) : []),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const fmt = (row: string[]) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] + 3))).join('');
  return [fmt(head), ...rows.map(fmt)].join('\n');
}
