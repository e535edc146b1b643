// Scheduling and pod addressing: kube-scheduler places pods that have no spec.nodeName; the CNI's
// host-local IPAM gives each pod the next free address of its node's podCIDR (the network address
// is skipped and .1 is the bridge's — cni0 is the pods' gateway — so the first pod gets .2);
// hostNetwork pods carry their node's addresses. Explicit status.podIP(s) are honoured.
import { readyAtStart, type StartReadiness } from '../probes/initial';
import { addSidecarListeners, injectedMetadata } from '../mesh/injection';
import type { ClusterConfig } from '../model/config';
import type { Diagnostics } from '../model/errors';
import type { RNode, RPod } from '../model/realised';
import { setOrigin, type KObject, type ObjectMeta } from '../model/types';
import { canonicalIP, cidrContains, isIP, nthAddress, type Cidr } from '../net/ip';
import { fmtPos, nodeHint, type Taint } from './nodes';
import { defaultPodSpec, specFacts } from './podspec';
import { Spreader } from './scheduling';
import { assignOwn, at, cmpStr, copyOf, deepFreeze, keepOrigin, makeUid } from './util';
import type { PodDraft } from './workloads';

const NOT_READY = new WeakMap<StartReadiness, readonly any[]>();
/** The kubelet's conditions for a running pod that is not Ready yet (one frozen array per cause). */
function notReadyConditions(sr: StartReadiness): readonly any[] {
  let c = NOT_READY.get(sr);
  if (!c) {
    const why = { reason: sr.reason, message: sr.message };
    c = deepFreeze([
      { type: 'PodReadyToStartContainers', status: 'True' },
      { type: 'Initialized', status: 'True' },
      { type: 'Ready', status: 'False', ...why },
      { type: 'ContainersReady', status: sr.containersReady ? 'True' : 'False', ...(sr.containersReady ? {} : why) },
      { type: 'PodScheduled', status: 'True' },
    ]);
    NOT_READY.set(sr, c);
  }
  return c;
}

const READY_CONDITIONS = deepFreeze([
  { type: 'PodReadyToStartContainers', status: 'True' },
  { type: 'Initialized', status: 'True' },
  { type: 'Ready', status: 'True' },
  { type: 'ContainersReady', status: 'True' },
  { type: 'PodScheduled', status: 'True' },
]);

/** An input Pod as a draft: its spec defaulted as the API server would, its status kept. */
export function inputPodDraft(p: KObject, config: ClusterConfig): PodDraft {
  const ns = p.metadata.namespace!;
  const metadata: ObjectMeta = copyOf(p.metadata); // (copyOf: { ...x } that stays fast to extend)
  metadata.namespace = ns;
  metadata.uid = p.metadata.uid ?? makeUid(config.seed, 'Pod', ns, p.metadata.name);
  const r = (p.metadata.ownerReferences ?? []).find((x) => x?.controller) ?? (p.metadata.ownerReferences ?? [])[0];
  const d: PodDraft = { ns, name: p.metadata.name, key: `${ns}/${p.metadata.name}`, metadata, spec: defaultPodSpec(p.spec), input: p, apiVersion: p.apiVersion ?? 'v1' };
  if (p.status !== undefined) d.status = p.status;
  if (r) d.owner = `${r.kind} ${ns}/${r.name}`;
  return d;
}

/** Shared by the drafts without explicit addresses (almost all); never handed out as a pod's ips. */
const NO_IPS: string[] = [];

function explicitIPs(d: PodDraft, diag: Diagnostics): string[] {
  const st = d.status;
  if (!st || typeof st !== 'object') return NO_IPS;
  const raw: { ip: unknown; path: (string | number)[] }[] = [];
  if (Array.isArray(st.podIPs) && st.podIPs.length) st.podIPs.forEach((x: any, i: number) => raw.push({ ip: x?.ip, path: ['status', 'podIPs', i, 'ip'] }));
  else if (st.podIP !== undefined && st.podIP !== '') raw.push({ ip: st.podIP, path: ['status', 'podIP'] });
  const out: string[] = [];
  for (const { ip, path } of raw) {
    if (typeof ip !== 'string' || !isIP(ip)) {
      diag.error('NS-INVALID-IP', `Pod ${d.key}: ${path.join('.')} "${String(ip)}" is not an IP address`, d.input ? at(d.input, ...path) : undefined, 'write an address inside the node\'s podCIDR, e.g. 10.244.0.7');
      continue;
    }
    out.push(canonicalIP(ip));
  }
  return out;
}

/** The draft's given status is phase Pending with no podIP(s) (a snapshot of a pod being set up). */
function pendingWithoutIP(d: PodDraft): boolean {
  const st = d.status;
  if (!st || typeof st !== 'object' || st.phase !== 'Pending') return false;
  return !(Array.isArray(st.podIPs) && st.podIPs.length) && (st.podIP === undefined || st.podIP === '' || st.podIP === null);
}

function phaseOf(d: PodDraft): RPod['phase'] {
  const ph = d.status?.phase;
  if (ph === undefined) return 'Running';
  return ph === 'Pending' || ph === 'Running' || ph === 'Succeeded' || ph === 'Failed' ? ph : 'Unknown';
}

export interface PodResult {
  pods: RPod[];
  /** "ns/name" → pod, in pod order */
  byKey: Map<string, RPod>;
  /** pod IP → pod, for pods with their own addresses that are not terminal, in pod order */
  byIP: Map<string, RPod>;
}

/** Per node, per podCIDR: the next offset host-local would hand out. */
interface Pool {
  cidr: Cidr; next: number; limit: number; base4: number;
  /** IPv4: the dotted first three octets ("10.244.3.") of addresses whose upper 24 bits are `hi` */
  hi: number; pfx: string;
}

/** "0" … "255" */
const OCTETS = Array.from({ length: 256 }, (_, i) => String(i));

/** The address at `off` in a pool (intToIpv4 for IPv4, with the first three octets written once per 256 addresses). */
function poolAddress(pool: Pool, off: number): string {
  if (pool.cidr.family !== 4) return nthAddress(pool.cidr, off);
  const a = pool.base4 + off;
  const hi = a >>> 8;
  if (hi !== pool.hi) { pool.hi = hi; pool.pfx = `${(a >>> 24) & 255}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.`; }
  return pool.pfx + OCTETS[a & 255];
}

export function realisePods(drafts: PodDraft[], nodes: readonly RNode[], taints: Map<string, Taint[]>, config: ClusterConfig, diag: Diagnostics): PodResult {
  drafts.sort((a, b) => (a.builtin === b.builtin ? cmpStr(a.key, b.key) : a.builtin ? -1 : 1));
  const nodeByName = new Map(nodes.map((n) => [n.name, n] as const));
  const spreader = new Spreader(nodes, taints);
  const nodeOf = new Array<RNode | null>(drafts.length).fill(null);
  const ipsOf = new Array<string[]>(drafts.length);
  const terminal = (d: PodDraft) => { const p = phaseOf(d); return p === 'Succeeded' || p === 'Failed'; };

  // --- placement: pinned pods first, then the spread ------------------------------------------
  const unplaced: number[] = [];
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i];
    ipsOf[i] = explicitIPs(d, diag);
    const nodeName = d.pinned ?? (typeof d.spec?.nodeName === 'string' && d.spec.nodeName ? d.spec.nodeName : undefined);
    if (nodeName !== undefined) {
      const n = nodeByName.get(nodeName);
      if (!n) {
        diag.error('NS-UNKNOWN-NODE', `Pod ${d.key} is pinned to node "${nodeName}", which does not exist`, d.input ? at(d.input, 'spec', 'nodeName') : undefined, nodeHint(nodes));
        continue;
      }
      nodeOf[i] = n; spreader.place(n.index);
      continue;
    }
    // a pod that already has an address (a dump of a live cluster) ran where that address belongs
    if (ipsOf[i].length && d.spec?.hostNetwork !== true) {
      const ip = ipsOf[i][0];
      const n = nodes.find((x) => x.podCIDRs.some((c) => cidrContains(c, ip)));
      if (n) { nodeOf[i] = n; spreader.place(n.index); continue; }
    }
    unplaced.push(i);
  }
  const pendingBy = new Map<string, { count: number; first: PodDraft; reason: string }>();
  for (const i of unplaced) {
    const d = drafts[i];
    const n = spreader.choose(d.spec);
    if (n) { nodeOf[i] = n; continue; }
    const k = d.owner ?? `Pod ${d.key}`;
    const e = pendingBy.get(k);
    if (e) e.count++; else pendingBy.set(k, { count: 1, first: d, reason: spreader.explain(d.spec) });
  }
  for (const [owner, { count, first, reason }] of pendingBy) {
    diag.warn('NS-UNSCHEDULABLE', `${count === 1 ? `Pod ${first.key}` : `${count} pods of ${owner}`} stay Pending: ${reason}`, first.input ? at(first.input, 'spec') : first.origin?.at?.(['spec']) ?? (first.origin ? { file: first.origin.file, line: first.origin.line, col: first.origin.col } : undefined));
  }

  // --- addresses: explicit ones are reserved first, then host-local hands out the rest ----------
  const taken = new Map<string, number>(); // ip → draft index
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i];
    if (!ipsOf[i].length || d.spec?.hostNetwork === true || terminal(d)) continue;
    const n = nodeOf[i];
    const kept: string[] = [];
    ipsOf[i].forEach((ip, k) => {
      const path = Array.isArray(d.status?.podIPs) && d.status.podIPs.length ? ['status', 'podIPs', k, 'ip'] : ['status', 'podIP'];
      if (n && !n.podCIDRs.some((c) => cidrContains(c, ip))) {
        diag.error('NS-POD-IP-RANGE', `Pod ${d.key}: IP ${ip} is outside the podCIDR of its node ${n.name} (${n.podCIDRs.map((c) => c.text).join(', ') || 'none'})`,
          d.input ? at(d.input, ...path) : undefined, `a pod's address comes from its node's podCIDR; pick one inside ${n.podCIDRs.map((c) => c.text).join(' or ') || 'it'} or move the pod`);
        return;
      }
      if (!n && !nodes.some((x) => x.podCIDRs.some((c) => cidrContains(c, ip)))) {
        diag.error('NS-POD-IP-RANGE', `Pod ${d.key}: IP ${ip} lies in no node's podCIDR`, d.input ? at(d.input, ...path) : undefined, `pod addresses come from the nodes' podCIDRs (cluster pod subnet ${config.podSubnets.join(', ')})`);
        return;
      }
      const prev = taken.get(ip);
      if (prev !== undefined) {
        const other = drafts[prev];
        const op = other.input ? at(other.input) : undefined;
        diag.error('NS-IP-CONFLICT', `Pod ${d.key}: IP ${ip} is already the address of Pod ${other.key}${fmtPos(op)}`, d.input ? at(d.input, ...path) : undefined, 'two pods cannot share an address; remove one status.podIP or change it');
        return;
      }
      taken.set(ip, i);
      kept.push(ip);
    });
    ipsOf[i] = kept;
  }
  const pools = new Map<RNode, Pool[]>();
  for (const n of nodes) {
    pools.set(n, n.podCIDRs.map((c) => {
      const bits = c.family === 4 ? 32 : 128;
      const hostBits = bits - c.prefix;
      // IPv4: the broadcast address is not handed out; IPv6 ranges are effectively endless
      const size = hostBits >= 52 ? Number.MAX_SAFE_INTEGER : Number(c.size);
      return { cidr: c, next: 2, limit: c.family === 4 && hostBits >= 2 ? size - 1 : size, base4: c.family === 4 ? Number(c.base) : 0, hi: -1, pfx: '' };
    }));
  }
  // host-local hands out each address of a pool once, and pools of different nodes are disjoint
  // (the range allocator never overlaps them): an address it hands out can only clash with an
  // explicit one. When pools are provably disjoint, only explicit addresses need remembering.
  const trackAll = poolsOverlap(pools);
  const fullWarned = new Set<RNode>();
  const ipless: boolean[] = new Array(drafts.length).fill(false);
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i];
    const n = nodeOf[i];
    if (!n) { ipsOf[i] = []; continue; }
    if (d.spec?.hostNetwork === true) { ipsOf[i] = n.ips; continue; }
    if (ipsOf[i].length || terminal(d)) continue;
    // a given status of phase Pending without podIP (a snapshot of a pod whose sandbox has no
    // network yet): the pod has no address, as the API shows it; the CNI is not asked for one
    // (the kubelet writes status.podIP(s) only once the sandbox's network is set up). A hand-written
    // Running status without podIP still gets host-local's next address, as a running pod has one.
    if (pendingWithoutIP(d)) { ipsOf[i] = []; continue; }
    const ps = pools.get(n)!;
    // (the pod's list, exactly sized: one address per pool, nearly always a single pool)
    const got: string[] = ps.length === 1 ? new Array(1) : [];
    let count = 0;
    for (const pool of ps) {
      let ip: string | null = null;
      while (pool.next < pool.limit) {
        const off = pool.next++;
        const cand = poolAddress(pool, off);
        if (taken.size === 0 || !taken.has(cand)) { ip = cand; break; }
      }
      if (ip === null) {
        if (!fullWarned.has(n)) {
          fullWarned.add(n);
          diag.warn('NS-POD-CIDR-FULL', `node ${n.name}'s podCIDR ${pool.cidr.text} has no free address left: further pods there stay Pending (ContainerCreating) without an IP`, at(n.obj));
        }
        continue;
      }
      if (trackAll) taken.set(ip, i);
      got[count++] = ip;
    }
    if (got.length !== count) got.length = count;
    ipsOf[i] = got;
    if (!count) ipless[i] = true;
  }

  // --- the Pod objects and their realised view -------------------------------------------------
  const hostIPsOf = new Map<RNode, { ip: string }[]>();
  for (const n of nodes) hostIPsOf.set(n, deepFreeze(n.ips.map((ip) => ({ ip }))));
  const pods: RPod[] = new Array(drafts.length);
  // (the two indexes are filled as each pod is made, while its key and addresses are fresh in the
  // CPU's caches: a separate pass over 150 000 pods afterwards costs several times more)
  const byKey = new Map<string, RPod>();
  const byIP = new Map<string, RPod>();
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i];
    const n = nodeOf[i];
    const ips = ipsOf[i] === NO_IPS ? [] : ipsOf[i];
    const hostNetwork = d.spec?.hostNetwork === true;
    let spec = d.spec;
    if (d.extra || (n && spec.nodeName !== n.name)) {
      // { ...spec, ...d.extra, nodeName }
      spec = copyOf(spec);
      assignOwn(spec, d.extra);
      if (n) spec.nodeName = n.name;
    }
    const facts = specFacts(d.spec);
    // an injected sidecar listens on undeclared ports (the kubelet's probe of it goes to 15021)
    if (injectedMetadata(d.metadata, spec?.hostNetwork === true)) addSidecarListeners(facts.listening);
    let phase = phaseOf(d);
    let status: any;
    // a readiness probe's first result comes later, or a readiness gate is not True: not Ready at t=0
    const startReady = n && ips.length ? readyAtStart(spec, d.status?.conditions, d.builtin ? null : facts.listening) : null;
    const initialConditions = startReady && !startReady.ready ? notReadyConditions(startReady) : READY_CONDITIONS;
    if (!n) {
      phase = d.status?.phase === undefined ? 'Pending' : phase;
      status = d.status ?? { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] };
    } else if (!d.status && ips.length) {
      // what the kubelet reports for a running pod (built at once: the same keys, in the same order)
      status = { phase: 'Running', conditions: initialConditions, hostIP: n.ip, hostIPs: hostIPsOf.get(n), podIP: ips[0], podIPs: ips.map((ip) => ({ ip })) };
    } else {
      status = d.status ? copyOf(d.status) : { phase: ipless[i] ? 'Pending' : 'Running', conditions: ipless[i] ? [{ type: 'PodScheduled', status: 'True' }] : initialConditions };
      if (ipless[i] && !d.status) phase = 'Pending';
      if (status.phase === undefined) status.phase = phase;
      status.hostIP = n.ip;
      status.hostIPs = hostIPsOf.get(n);
      if (ips.length) { status.podIP = ips[0]; status.podIPs = ips.map((ip) => ({ ip })); }
    }
    const conds: any[] = Array.isArray(status.conditions) ? status.conditions : [];
    const readyCond = conds === READY_CONDITIONS ? READY_CONDITIONS[2] : conds.find((c) => c && c.type === 'Ready');
    const ready = !!n && ips.length > 0 && phase === 'Running' && (readyCond ? readyCond.status === 'True' : startReady?.ready !== false);
    const terminating = d.metadata.deletionTimestamp !== undefined && d.metadata.deletionTimestamp !== null;
    let obj: KObject;
    if (d.input) {
      // { ...d.input, apiVersion, kind, metadata, spec, status }
      obj = copyOf(d.input);
      obj.apiVersion = d.apiVersion; obj.kind = 'Pod'; obj.metadata = d.metadata; obj.spec = spec; obj.status = status;
      keepOrigin(obj, d.input);
    } else obj = { apiVersion: 'v1', kind: 'Pod', metadata: d.metadata, spec, status };
    if (!d.input && d.origin) setOrigin(obj, d.origin);
    const hostname = typeof spec.hostname === 'string' && spec.hostname ? spec.hostname : d.name;
    const subdomain = typeof spec.subdomain === 'string' && spec.subdomain ? spec.subdomain : undefined;
    let rp: RPod;
    if (subdomain === undefined && d.owner) {
      // the common case (a controller's pod) built at once
      rp = {
        key: d.key, ns: d.ns, name: d.name, obj, node: n, ips, ip: ips[0] ?? '', hostNetwork,
        labels: d.metadata.labels ?? EMPTY, containers: facts.containers, ports: facts.ports, listening: facts.listening,
        phase, ready, terminating, hostname, owner: d.owner,
      };
    } else {
      rp = {
        key: d.key, ns: d.ns, name: d.name, obj, node: n, ips, ip: ips[0] ?? '', hostNetwork,
        labels: d.metadata.labels ?? EMPTY, containers: facts.containers, ports: facts.ports, listening: facts.listening,
        phase, ready, terminating, hostname,
      };
      if (subdomain !== undefined) rp.subdomain = subdomain;
      if (d.owner) rp.owner = d.owner;
    }
    pods[i] = rp;
    byKey.set(rp.key, rp);
    if (!hostNetwork && phase !== 'Succeeded' && phase !== 'Failed') for (const ip of ips) byIP.set(ip, rp);
  }
  return { pods, byKey, byIP };
}

const EMPTY = Object.freeze({}) as Record<string, string>;

/** Whether two pools (of any nodes) share an address. */
function poolsOverlap(pools: Map<RNode, Pool[]>): boolean {
  const all: Cidr[] = [];
  for (const ps of pools.values()) for (const p of ps) all.push(p.cidr);
  all.sort((a, b) => (a.family !== b.family ? a.family - b.family : a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  for (let i = 1; i < all.length; i++) {
    const a = all[i - 1], b = all[i];
    if (a.family === b.family && b.base < a.base + a.size) return true;
  }
  return false;
}

