// Address by role: specs name workloads, labels and Services, never generated pod names or
// allocated IPs, so they outlive a deploy. A reference is one of
//   NS/POD                                   a pod by name
//   [NS/]deployment/NAME  (statefulset, daemonset, replicaset, job; also their short names deploy, sts, ds, rs)
//                                            the pods the workload's controllers made
//   [NS/]svc/NAME  ([NS/]service/NAME)       as a source: a pod of its endpoints; as a target: its cluster IP
//   [NS/]KEY=VALUE[,…]  ([NS/]-l SELECTOR)   the pods a label selector (kubectl -l syntax) matches
// NS/NAME names a pod; when no pod has that name but one workload does, that workload (said in
// the trace). Without NS the default namespace applies (-n, the scenario's namespace, else "default").
// "A pod of X" is one representative, chosen deterministically and said in the trace: the first
// ready Running pod in name order, else the first Running one, else the first.
import { InputErrors } from '../model/errors';
import type { Realised, RPod, RService } from '../model/realised';
import { parseSelectorString, SelectorError, type CompiledSelector } from '../model/selector';
import { closest } from '../model/suggest';
import type { Hop } from '../net/trace';

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'Job';

const KIND_WORDS: Record<string, WorkloadKind> = {
  deployment: 'Deployment', deployments: 'Deployment', deploy: 'Deployment',
  statefulset: 'StatefulSet', statefulsets: 'StatefulSet', sts: 'StatefulSet',
  daemonset: 'DaemonSet', daemonsets: 'DaemonSet', ds: 'DaemonSet',
  replicaset: 'ReplicaSet', replicasets: 'ReplicaSet', rs: 'ReplicaSet',
  job: 'Job', jobs: 'Job',
};
const SERVICE_WORDS = new Set(['svc', 'service', 'services']);

export type RoleRef =
  | { kind: 'pod'; ns: string; name: string; text: string }
  | { kind: 'workload'; workload: WorkloadKind; ns: string; name: string; text: string }
  | { kind: 'service'; ns: string; name: string; text: string }
  | { kind: 'selector'; ns: string; selector: CompiledSelector; text: string };

function fail(code: string, message: string, hint: string): never {
  throw new InputErrors([{ code, message, hint }]);
}

/** The word before "/NAME" names a workload kind or Service. */
export function isRoleWord(word: string): boolean {
  return word.toLowerCase() in KIND_WORDS || SERVICE_WORDS.has(word.toLowerCase());
}

/**
 * Parses a reference by role; null when the text is not one (an IP, a DNS name, node/NAME,
 * external:IP, localhost). NS/POD is returned as a pod reference.
 */
export function parseRole(text: string, defaultNs = 'default'): RoleRef | null {
  const t = text.trim();
  if (t.startsWith('external:') || /^node\/[^/]+$/.test(t)) return null;
  let rest = t;
  let ns: string | null = null;
  // a selector: "-l app=web", "NS/-l app=web", "app=web", "NS/app=web"
  const sel = /^(?:([a-z0-9][a-z0-9-]*)\/)?(?:-l\s*)?(.*[=!].*|-l\s*\S.*)$/.exec(t);
  if (sel && (t.includes('=') || /(^|\/)-l\s/.test(t)) && !t.includes('://')) {
    const body = sel[2].replace(/^-l\s*/, '');
    let selector: CompiledSelector;
    try { selector = parseSelectorString(body); } catch (e) {
      if (e instanceof SelectorError) fail('NS-ROLE-SELECTOR', `"${text}": ${e.message}`, 'write a label selector as kubectl -l does, e.g. app=web,tier!=db');
      throw e;
    }
    return { kind: 'selector', ns: sel[1] ?? defaultNs, selector, text: t };
  }
  const parts = rest.split('/');
  if (parts.some((p) => p === '' || /\s/.test(p))) return null;
  if (parts.length === 3) { ns = parts[0]; rest = parts.slice(1).join('/'); }
  const segs = rest.split('/');
  if (segs.length === 2 && isRoleWord(segs[0])) {
    const w = segs[0].toLowerCase();
    if (SERVICE_WORDS.has(w)) return { kind: 'service', ns: ns ?? defaultNs, name: segs[1], text: t };
    return { kind: 'workload', workload: KIND_WORDS[w], ns: ns ?? defaultNs, name: segs[1], text: t };
  }
  if (parts.length === 3) {
    fail('NS-ROLE-KIND', `"${text}": "${segs[0]}" is not a workload kind or svc`, `write NS/deployment/NAME, NS/statefulset/NAME, NS/daemonset/NAME, NS/job/NAME or NS/svc/NAME${closest(segs[0], Object.keys(KIND_WORDS).concat('svc'), 1, 0.6).map((x) => ` (did you mean ${x}?)`).join('')}`);
  }
  if (parts.length === 2) return { kind: 'pod', ns: parts[0], name: parts[1], text: t };
  return null;
}

// ---- which pods a workload owns ----------------------------------------------------------------

const ownedIndex = new WeakMap<Realised, Map<string, RPod[]>>();

/** "Kind/ns/name" → the pods it owns, directly or through a ReplicaSet (Deployment), in name order. */
function owned(r: Realised): Map<string, RPod[]> {
  let m = ownedIndex.get(r);
  if (m) return m;
  m = new Map();
  const rsOwner = new Map<string, string>();
  for (const o of r.objects) {
    if (o.kind !== 'ReplicaSet') continue;
    const ref = (o.metadata.ownerReferences ?? []).find((x) => x?.controller) ?? (o.metadata.ownerReferences ?? [])[0];
    if (ref?.kind === 'Deployment') rsOwner.set(`${o.metadata.namespace ?? 'default'}/${o.metadata.name}`, `Deployment/${o.metadata.namespace ?? 'default'}/${ref.name}`);
  }
  const add = (k: string, p: RPod) => { const l = m!.get(k); if (l) l.push(p); else m!.set(k, [p]); };
  for (const p of r.pods) {
    if (!p.owner) continue;
    const sp = p.owner.indexOf(' ');
    const kind = p.owner.slice(0, sp), key = p.owner.slice(sp + 1);
    add(`${kind}/${key}`, p);
    if (kind === 'ReplicaSet') { const d = rsOwner.get(key); if (d) add(d, p); }
  }
  for (const l of m.values()) l.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  ownedIndex.set(r, m);
  return m;
}

function workloadExists(r: Realised, kind: WorkloadKind, ns: string, name: string): boolean {
  return r.objects.some((o) => o.kind === kind && (o.metadata.namespace ?? 'default') === ns && o.metadata.name === name);
}

function namesOfKind(r: Realised, kind: string, ns: string): string[] {
  return r.objects.filter((o) => o.kind === kind && (o.metadata.namespace ?? 'default') === ns).map((o) => o.metadata.name);
}

export interface RolePods {
  ref: RoleRef;
  /** every pod the reference names, in name order (services: the pods behind their endpoints) */
  pods: RPod[];
  /** what the reference named, for traces and messages, e.g. "deployment shop/frontend" */
  what: string;
  service?: RService;
}

function byName(a: RPod, b: RPod): number { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; }

/** Every pod a reference names. An unknown workload, Service or pod is an InputError naming the closest ones. */
/** The hint when a namespace holds no candidate: a namespace that does not exist names the closest ones. */
function noneIn(r: Realised, ns: string, what: string): string {
  if (r.namespaces.has(ns)) return `namespace ${ns} has no ${what}`;
  const near = closest(ns, r.namespaces.keys(), 3);
  return `there is no namespace ${ns}${near.length ? ` (closest namespaces: ${near.join(', ')})` : ''}`;
}

export function rolePods(r: Realised, ref: RoleRef): RolePods {
  switch (ref.kind) {
    case 'pod': {
      const p = r.podByKey.get(`${ref.ns}/${ref.name}`);
      if (!p) {
        const near = closest(ref.name, r.pods.filter((x) => x.ns === ref.ns).map((x) => x.name), 3);
        fail('NS-UNKNOWN-POD', `no pod ${ref.ns}/${ref.name}`, near.length ? `closest pods in ${ref.ns}: ${near.join(', ')}; or name a workload (deployment/NAME) or svc/NAME` : noneIn(r, ref.ns, 'pods'));
      }
      return { ref, pods: [p], what: `pod ${p.key}` };
    }
    case 'workload': {
      const what = `${ref.workload.toLowerCase()} ${ref.ns}/${ref.name}`;
      if (!workloadExists(r, ref.workload, ref.ns, ref.name)) {
        const near = closest(ref.name, namesOfKind(r, ref.workload, ref.ns), 3);
        fail('NS-UNKNOWN-WORKLOAD', `no ${what}`, near.length ? `closest ${ref.workload}s in ${ref.ns}: ${near.join(', ')}` : noneIn(r, ref.ns, ref.workload));
      }
      return { ref, pods: owned(r).get(`${ref.workload}/${ref.ns}/${ref.name}`) ?? [], what };
    }
    case 'service': {
      const svc = r.serviceByKey.get(`${ref.ns}/${ref.name}`);
      if (!svc) {
        const near = closest(ref.name, r.services.filter((s) => s.ns === ref.ns).map((s) => s.name), 3);
        fail('NS-UNKNOWN-SERVICE', `no service ${ref.ns}/${ref.name}`, near.length ? `closest services in ${ref.ns}: ${near.join(', ')}` : noneIn(r, ref.ns, 'services'));
      }
      const seen = new Set<RPod>();
      for (const s of r.slicesByService.get(svc.key) ?? []) for (const e of s.endpoints) if (e.pod) seen.add(e.pod);
      return { ref, pods: [...seen].sort(byName), what: `service ${svc.key}`, service: svc };
    }
    case 'selector': {
      const pods = r.podIndex(ref.ns).select(ref.selector).slice().sort(byName);
      return { ref, pods, what: `the pods labelled ${ref.selector.text} in ${ref.ns}` };
    }
  }
}

/**
 * One representative pod, deterministic: the first ready Running pod in name order, else the
 * first Running one, else the first. The hop says which and why; none at all is an InputError.
 */
export function representative(rp: RolePods): { pod: RPod; hop: Hop } {
  const ready = rp.pods.find((p) => p.ready && p.phase === 'Running');
  const pod = ready ?? rp.pods.find((p) => p.phase === 'Running') ?? rp.pods[0];
  if (!pod) {
    fail('NS-ROLE-NO-POD', `${rp.what} has no pods`, rp.ref.kind === 'service' ? 'a Service names the pods of its endpoints: check its selector and that its pods are ready' : 'check the name, the labels and that the workload has replicas');
  }
  const why = ready ? 'the first ready pod in name order' : pod.phase === 'Running' ? 'no pod is ready: the first Running pod in name order' : `no pod is running: the first in name order (${pod.phase})`;
  return { pod, hop: { at: `pod/${pod.key}`, action: 'resolve', detail: `${rp.ref.text} → pod ${pod.key}, one of ${rp.pods.length} pod${rp.pods.length === 1 ? '' : 's'} of ${rp.what} (${why})` } };
}

const WORKLOAD_KINDS: readonly WorkloadKind[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet'];

/**
 * NS/NAME where no pod has that name but one workload does (`--from shop/frontend`, the frontend
 * Deployment): the workload, said in the trace. Two workloads of that name are ambiguous: an
 * InputError naming both ways to write it. A pod of that name always wins.
 */
export function podOrWorkload(r: Realised, ref: RoleRef | null): RoleRef | null {
  if (!ref || ref.kind !== 'pod' || r.podByKey.has(`${ref.ns}/${ref.name}`)) return ref;
  const kinds = WORKLOAD_KINDS.filter((k) => workloadExists(r, k, ref.ns, ref.name));
  if (kinds.length === 0) return ref;
  if (kinds.length > 1) {
    fail('NS-ROLE-AMBIGUOUS', `"${ref.text}": no pod has that name, and ${kinds.map((k) => `a ${k}`).join(' and ')} do`, `say which: ${kinds.map((k) => `${ref.ns}/${k.toLowerCase()}/${ref.name}`).join(' or ')}`);
  }
  return { kind: 'workload', workload: kinds[0], ns: ref.ns, name: ref.name, text: ref.text };
}

function noPodNamed(ref: RoleRef): string {
  return ref.kind === 'workload' && !ref.text.toLowerCase().includes(ref.workload.toLowerCase()) && !/\/(deploy|sts|ds|rs)\//.test(ref.text)
    ? ` (no pod is named ${ref.ns}/${ref.name}: the ${ref.workload} of that name)` : '';
}

/** A connection source by role → "NS/POD" plus the hop saying which pod stands for it; other sources pass through. */
export function resolveSource(r: Realised, text: string, defaultNs?: string): { text: string; hops: Hop[] } {
  const ref = podOrWorkload(r, parseRole(text, defaultNs));
  if (!ref || ref.kind === 'pod') return { text, hops: [] };
  const { pod, hop } = representative(rolePods(r, ref));
  hop.detail += noPodNamed(ref);
  return { text: pod.key, hops: [hop] };
}

/**
 * A connection target by role: a Service → its cluster IP (headless: a pod of its endpoints); a
 * workload or selector → a representative pod. Other targets (IPs, names, NS/POD) pass through.
 */
export function resolveTargetRole(r: Realised, text: string, defaultNs?: string): { text: string; hops: Hop[] } {
  const ref = podOrWorkload(r, parseRole(text, defaultNs));
  if (!ref || ref.kind === 'pod') return { text, hops: [] };
  const rp = rolePods(r, ref);
  if (rp.service && rp.service.clusterIPs.length) {
    const s = rp.service;
    return { text: s.clusterIPs[0], hops: [{ at: `service/${s.key}`, action: 'resolve', detail: `${ref.text} → the cluster IP ${s.clusterIPs[0]} of service ${s.key}`, source: { what: `Service ${s.key}` } }] };
  }
  const { pod, hop } = representative(rp);
  hop.detail += noPodNamed(ref);
  return { text: pod.key, hops: [hop] };
}
