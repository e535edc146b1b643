// Never confidently wrong: fields and annotations netspec reads past without modelling, on kinds it
// models, are warned about by name, once per run (the first place, and how many objects carry it).
// A table of cases: add a row when a field is known to change networking and is not modelled yet;
// remove it when a module starts to model it. (ingress-nginx's nginx.ingress.kubernetes.io/*
// annotations are src/ingress's concern.)
import type { Diagnostics } from '../model/errors';
import { posOf, type KObject } from '../model/types';

interface Row {
  kinds: readonly string[];
  /** a field path under the pod spec ("spec" of a Pod, spec.template.spec of a workload), or under the object */
  field?: readonly string[];
  podSpec?: boolean;
  /** an annotation key prefix */
  annotation?: string;
  /** for a list field: the index of the first element the row is about (-1: none) */
  element?: (item: any) => boolean;
  /** the name in the warning, when not the path (e.g. "…topologySpreadConstraints[].whenUnsatisfiable: ScheduleAnyway") */
  label?: string;
  why: string;
}

const WORKLOADS = ['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job'];

export const UNMODELLED: readonly Row[] = [
  // required inter-pod affinity, anti-affinity and DoNotSchedule spread constraints are filters the
  // scheduler model runs (src/controllers/interpod.ts); preferences only score nodes, which it does not
  { kinds: WORKLOADS, podSpec: true, field: ['affinity', 'nodeAffinity', 'preferredDuringSchedulingIgnoredDuringExecution'], why: 'preferred node affinity only scores nodes (NodeAffinity Score), which the scheduler model does not do: it places pods on the eligible node with the fewest pods' },
  { kinds: WORKLOADS, podSpec: true, field: ['affinity', 'podAffinity', 'preferredDuringSchedulingIgnoredDuringExecution'], why: 'preferred pod affinity only scores nodes (InterPodAffinity Score), which the scheduler model does not do: placement may differ from a real cluster\'s' },
  { kinds: WORKLOADS, podSpec: true, field: ['affinity', 'podAntiAffinity', 'preferredDuringSchedulingIgnoredDuringExecution'], why: 'preferred pod anti-affinity only scores nodes (InterPodAffinity Score), which the scheduler model does not do: replicas may share a node a real scheduler would likely keep apart' },
  { kinds: WORKLOADS, podSpec: true, field: ['topologySpreadConstraints'], element: (c) => c?.whenUnsatisfiable === 'ScheduleAnyway', label: 'topologySpreadConstraints[].whenUnsatisfiable: ScheduleAnyway',
    why: 'ScheduleAnyway constraints only score nodes (PodTopologySpread Score), which the scheduler model does not do (DoNotSchedule constraints are honoured)' },
  { kinds: ['Service'], field: ['spec', 'trafficDistribution'], why: 'kube-proxy topology hints (trafficDistribution) are not modelled: endpoints in every zone are used' },
  { kinds: ['Service'], annotation: 'service.kubernetes.io/topology-mode', why: 'topology-aware routing hints are not modelled: endpoints in every zone are used' },
  { kinds: ['Service'], field: ['spec', 'loadBalancerClass'], why: 'which load-balancer implementation serves the Service is not modelled' },
  { kinds: ['Service'], annotation: 'service.beta.kubernetes.io/', why: 'cloud provider load-balancer settings are not modelled (the balancer forwards the declared ports to the nodes)' },
];

function podSpecOf(o: KObject): any {
  return o.kind === 'Pod' ? o.spec : o.spec?.template?.spec;
}

function get(obj: any, path: readonly string[]): unknown {
  let v = obj;
  for (const k of path) { if (v === null || typeof v !== 'object') return undefined; v = v[k]; }
  return v;
}

/** One warning per row (and per annotation key) that any object hits: NS-UNMODELLED-FIELD. */
export function warnUnmodelled(objects: readonly KObject[], diag: Diagnostics): void {
  const hits = new Map<string, { first: KObject; path: (string | number)[]; count: number; row: Row; name: string }>();
  for (const o of objects) {
    for (const row of UNMODELLED) {
      if (!row.kinds.includes(o.kind)) continue;
      if (row.field) {
        const base = row.podSpec ? podSpecOf(o) : o;
        const v = get(base, row.field);
        if (v === undefined || v === null || (typeof v === 'object' && !Object.keys(v as object).length)) continue;
        const prefix = row.podSpec ? (o.kind === 'Pod' ? ['spec'] : ['spec', 'template', 'spec']) : [];
        const at: (string | number)[] = [...prefix, ...row.field];
        if (row.element) {
          const i = Array.isArray(v) ? v.findIndex(row.element) : -1;
          if (i < 0) continue;
          at.push(i);
        }
        const key = row.label ?? row.field.join('.');
        const h = hits.get(key);
        if (h) h.count++; else hits.set(key, { first: o, path: at, count: 1, row, name: row.label ? [...prefix, row.label].join('.') : at.join('.') });
      } else if (row.annotation) {
        for (const key of Object.keys(o.metadata?.annotations ?? {})) {
          if (!key.startsWith(row.annotation)) continue;
          const h = hits.get(key);
          if (h) h.count++; else hits.set(key, { first: o, path: ['metadata', 'annotations', key], count: 1, row, name: `annotation ${key}` });
        }
      }
    }
  }
  for (const h of hits.values()) {
    const ref = `${h.first.kind} ${h.first.metadata.namespace ? `${h.first.metadata.namespace}/` : ''}${h.first.metadata.name}`;
    diag.warn('NS-UNMODELLED-FIELD', `${h.name} is read past, not modelled (${ref}${h.count > 1 ? ` and ${h.count - 1} more` : ''}): ${h.row.why}`, posOf(h.first, h.path));
  }
}
