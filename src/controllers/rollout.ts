// The deployment controller and the ReplicaSet controller on the virtual clock (issue 9 item 3): a
// Deployment's strategy as the API server defaults and validates it, and a discrete-event simulation
// of its ReplicaSets and pods through rollouts, scaling and pod deletions. Pure: each pod's readiness
// over time and how long it takes to go once deleted come from the kubelet model (src/probes), handed
// in as functions. Each fact is named in rollout.test.ts:
//
// - apps/v1 defaults (SetDefaults_Deployment): strategy RollingUpdate, maxSurge and maxUnavailable 25%,
//   minReadySeconds 0, progressDeadlineSeconds 600.
// - apps validation ValidateDeploymentStrategy / ValidateRollingUpdateDeployment: rollingUpdate may not
//   be set for Recreate; each value an integer or a percentage ≥ 0; maxUnavailable not over 100%;
//   "may not be 0 when `maxSurge` is 0".
// - deployment/util ResolveFenceposts: intstr.GetScaledValueFromIntOrPercent rounds maxSurge UP and
//   maxUnavailable DOWN; both resolving to 0 makes maxUnavailable 1. MaxUnavailable caps at replicas.
// - rolling.go rolloutRolling: reconcileNewReplicaSet (NewRSNewReplicas: up to replicas + maxSurge pods
//   in all ReplicaSets), then reconcileOldReplicaSets (maxScaledDown = all − minAvailable − the new
//   ReplicaSet's unavailable pods; cleanupUnhealthyReplicas first, then
//   scaleDownOldReplicaSetsForRollingUpdate down to minAvailable available pods, oldest ReplicaSet first).
// - recreate.go rolloutRecreate: old ReplicaSets to 0, wait until no old pod runs (terminating ones
//   count: oldPodsRunning), then the new ReplicaSet to replicas.
// - sync.go isScalingEvent + scale: a replicas change is spread proportionally over the active
//   ReplicaSets (getReplicaSetFraction from the max-replicas annotation, GetProportion; leftovers to the
//   largest; ReplicaSetsBySizeNewer when scaling up, BySizeOlder when down).
// - replica_set.go manageReplicas + controller_utils ActivePodsWithRanks: a ReplicaSet counts its active
//   pods (FilterActivePods: not terminating, not terminal), creates the missing ones and deletes the
//   extra ones in rank order: unscheduled < scheduled, not ready < ready, more related pods on the same
//   node first, ready for less time first, more restarts first, newer first.
// - deployment_util IsPodAvailable: a pod is available once Ready for minReadySeconds.
// - progress.go / deployment_util: conditions Progressing (NewReplicaSetCreated, ReplicaSetUpdated,
//   NewReplicaSetAvailable, ProgressDeadlineExceeded) and Available (MinimumReplicasAvailable /
//   MinimumReplicasUnavailable).
//
// Simplifications, said here and in the timeline's warnings: the controllers react at the instant of a
// change (no informer or queue latency), a ReplicaSet creates all its missing pods at once (no
// slow-start batches), and the scheduler is the one of src/controllers (no preemption, no pending pods
// for lack of room).
import type { Diagnostics } from '../model/errors';
import type { KObject } from '../model/types';
import { at } from './util';

export const DEFAULT_SURGE = '25%';
export const DEFAULT_UNAVAILABLE = '25%';
export const DEFAULT_PROGRESS_DEADLINE_S = 600;

export type IntOrPercent = number | string;

export interface Strategy {
  type: 'RollingUpdate' | 'Recreate';
  maxSurge: IntOrPercent;
  maxUnavailable: IntOrPercent;
}

/** The Deployment's strategy with the apps/v1 defaults (SetDefaults_Deployment). */
export function strategyOf(d: KObject): Strategy {
  const s = d.spec?.strategy ?? {};
  if (s.type === 'Recreate') return { type: 'Recreate', maxSurge: 0, maxUnavailable: 0 };
  const ru = s.rollingUpdate ?? {};
  return { type: 'RollingUpdate', maxSurge: ru.maxSurge ?? DEFAULT_SURGE, maxUnavailable: ru.maxUnavailable ?? DEFAULT_UNAVAILABLE };
}

/** intstr.GetScaledValueFromIntOrPercent: a percentage of total, rounded up or down; null when malformed. */
export function scaledValue(v: IntOrPercent, total: number, roundUp: boolean): number | null {
  if (typeof v === 'number') return Number.isInteger(v) ? v : null;
  const m = /^(-?\d+)%$/.exec(String(v));
  if (!m) return null; // a string must be a percentage ("5" is not: intstr getIntOrPercentValueSafely, "string is not a percentage")
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** deployment/util ResolveFenceposts: [maxSurge, maxUnavailable] in pods for `desired` replicas. */
export function resolveFenceposts(s: Strategy, desired: number): [number, number] {
  if (s.type !== 'RollingUpdate') return [0, 0];
  const surge = scaledValue(s.maxSurge, desired, true) ?? 0;
  let unavailable = scaledValue(s.maxUnavailable, desired, false) ?? 0;
  if (surge === 0 && unavailable === 0) unavailable = 1; // validation rejects 0/0 literally; rounding can still give it
  return [surge, unavailable];
}

/** deployment/util MaxUnavailable (capped at replicas; 0 for Recreate or 0 replicas). */
export function maxUnavailable(s: Strategy, replicas: number): number {
  if (s.type !== 'RollingUpdate' || replicas === 0) return 0;
  return Math.min(resolveFenceposts(s, replicas)[1], replicas);
}

/** deployment/util MaxSurge (0 for Recreate). */
export function maxSurge(s: Strategy, replicas: number): number {
  return s.type === 'RollingUpdate' ? resolveFenceposts(s, replicas)[0] : 0;
}

/** The value of an int-or-percent for validation (getIntOrPercentValue): the number, or the percentage. */
function intOrPercentValue(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  const m = typeof v === 'string' ? /^(-?\d+)%$/.exec(v) : null;
  return m ? Number(m[1]) : null;
}

/**
 * The API server's checks of a Deployment's strategy (apps validation ValidateDeploymentStrategy and
 * ValidateRollingUpdateDeployment), in its words, each a located NS-DEPLOYMENT-STRATEGY error.
 */
export function checkDeploymentStrategy(objects: readonly KObject[], diag: Diagnostics): void {
  for (const d of objects) {
    if (d.kind !== 'Deployment') continue;
    const s = d.spec?.strategy;
    if (s === undefined || s === null) continue;
    const name = `Deployment ${d.metadata.namespace ?? 'default'}/${d.metadata.name}`;
    const err = (path: string[], msg: string, hint: string) => diag.error('NS-DEPLOYMENT-STRATEGY', `${name}: spec.strategy.${path.join('.')}: ${msg}`, at(d, 'spec', 'strategy', ...path), hint);
    const type = s.type ?? 'RollingUpdate';
    if (type !== 'RollingUpdate' && type !== 'Recreate') { err(['type'], `Unsupported value: "${type}": supported values: "Recreate", "RollingUpdate"`, 'type: RollingUpdate or Recreate'); continue; }
    if (type === 'Recreate') {
      if (s.rollingUpdate !== undefined && s.rollingUpdate !== null) err(['rollingUpdate'], "Forbidden: may not be specified when strategy `type` is 'Recreate'", 'remove rollingUpdate, or use type: RollingUpdate');
      continue;
    }
    const ru = s.rollingUpdate ?? {};
    const vals: Record<string, number | null> = {};
    for (const f of ['maxUnavailable', 'maxSurge'] as const) {
      const v = ru[f] ?? (f === 'maxSurge' ? DEFAULT_SURGE : DEFAULT_UNAVAILABLE);
      const x = intOrPercentValue(v);
      vals[f] = x;
      if (x === null) err(['rollingUpdate', f], `Invalid value: ${JSON.stringify(v)}: must be an integer or percentage (e.g '5%')`, `${f}: 1 or ${f}: 25%`);
      else if (x < 0) err(['rollingUpdate', f], `Invalid value: ${JSON.stringify(v)}: must be greater than or equal to 0`, `${f}: 0 or more`);
    }
    if (vals.maxUnavailable === 0 && vals.maxSurge === 0) err(['rollingUpdate', 'maxUnavailable'], `Invalid value: ${JSON.stringify(ru.maxUnavailable)}: may not be 0 when \`maxSurge\` is 0`, 'the rollout could neither add a pod nor take one away: allow maxSurge: 1 or maxUnavailable: 1');
    const mu = ru.maxUnavailable;
    if (typeof mu === 'string' && vals.maxUnavailable !== null && vals.maxUnavailable > 100) err(['rollingUpdate', 'maxUnavailable'], `Invalid value: ${JSON.stringify(mu)}: must not be greater than 100%`, 'at most 100%');
  }
}

// ---------------------------------------------------------------------------------------------------
// The simulation

/** A pod template revision: the ReplicaSet named <deployment>-<hash>. */
export interface Revision {
  hash: string;
  /** anything the caller needs to make and simulate a pod of this template */
  template: unknown;
}

export interface FleetPod {
  name: string;
  /** its ReplicaSet: <deployment>-<hash> */
  rs: string;
  hash: string;
  createdAt: number;
  node?: string;
  /** the pod existed before t=0 (the realised cluster's) */
  initial: boolean;
  /** when its ReplicaSet (or the script) deleted it */
  deletedAt?: number;
  deletedBy?: string;
  /** when it is gone from the API (grace period over, containers stopped) */
  goneAt?: number;
}

export interface FleetRS {
  name: string;
  hash: string;
  /** creation order (ReplicaSetsByCreationTimestamp) */
  order: number;
  createdAt: number;
  /** spec.replicas over time: [t, replicas], in time order */
  replicas: [number, number][];
  /** deployment.kubernetes.io/max-replicas as last set by the deployment controller */
  maxReplicasAnn: number;
  desiredAnn: number;
}

/** What the kubelet model says about one pod. */
export interface PodLife {
  /** is the pod Ready at t (without deletion), and since when */
  readySince(t: number): number | null;
  /** when it changes readiness, in time order (to wake the controllers) */
  changes: number[];
  restarts(t: number): number;
  /** how long it stays after deletion at t (preStop, SIGTERM, grace period) */
  goneAfter(deletedAt: number): number;
}

export type FleetEvent =
  | { at: number; kind: 'rollout'; revision: Revision; cause: string }
  | { at: number; kind: 'scale'; replicas: number; cause: string }
  | { at: number; kind: 'delete'; pod: string; cause: string };

export interface FleetInput {
  deployment: string;
  replicas: number;
  strategy: Strategy;
  minReadySeconds: number;
  progressDeadlineSeconds: number;
  /** the revision running at t=0 and its pods */
  initial: { revision: Revision; rs: string; pods: { name: string; node?: string }[] };
  events: FleetEvent[];
  until: number;
  /** a new pod's name in a ReplicaSet (seeded, as generateName does) */
  newName(rs: string): string;
  /** where the scheduler puts a new pod */
  schedule(pod: FleetPod): string | undefined;
  life(pod: FleetPod): PodLife;
}

export interface FleetLog { t: number; what: string; rs?: string; pod?: string }

export interface Condition { type: 'Progressing' | 'Available'; status: 'True' | 'False'; reason: string; message: string; since: number }

export interface Fleet {
  pods: FleetPod[];
  replicaSets: FleetRS[];
  log: FleetLog[];
  lives: Map<string, PodLife>;
  /** replicas (spec) of the Deployment at t */
  replicasAt(t: number): number;
  revisionAt(t: number): string;
  rsReplicasAt(rs: FleetRS, t: number): number;
  /** the pods that exist at t (created, not gone) */
  podsAt(t: number): FleetPod[];
  available(p: FleetPod, t: number): boolean;
  conditionsAt(t: number): Condition[];
  /** status.{replicas, updatedReplicas, readyReplicas, availableReplicas, unavailableReplicas} at t */
  statusAt(t: number): Record<string, number>;
}

/** The deployment controller and its ReplicaSets over the clock. */
export function simulateFleet(inp: FleetInput): Fleet {
  const pods: FleetPod[] = [];
  const byName = new Map<string, FleetPod>();
  const lives = new Map<string, PodLife>();
  const rss: FleetRS[] = [];
  const log: FleetLog[] = [];
  const wake = new Set<number>();
  const replicasLog: [number, number][] = [[0, inp.replicas]];
  const revisionLog: [number, string][] = [[0, inp.initial.revision.hash]];
  let replicas = inp.replicas;
  let current = inp.initial.revision;
  const minReadyMs = inp.minReadySeconds * 1000;
  const conds: { progressing: Condition; available: Condition } = {
    progressing: { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${inp.initial.rs}" has successfully progressed.`, since: 0 },
    available: { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', since: 0 },
  };
  const condLog: [number, Condition, Condition][] = [];
  let lastProgress = 0;

  const addPod = (p: FleetPod) => {
    pods.push(p); byName.set(p.name, p);
    const l = inp.life(p);
    lives.set(p.name, l);
    for (const c of l.changes) { wake.add(c); if (minReadyMs) wake.add(c + minReadyMs); }
  };
  const mkRS = (rev: Revision, name: string, t: number, n: number): FleetRS => {
    const rs: FleetRS = { name, hash: rev.hash, order: rss.length, createdAt: t, replicas: [[t, n]], maxReplicasAnn: replicas + maxSurge(inp.strategy, replicas), desiredAnn: replicas };
    rss.push(rs);
    return rs;
  };
  const spec = (rs: FleetRS) => rs.replicas[rs.replicas.length - 1][1];
  const rs0 = mkRS(inp.initial.revision, inp.initial.rs, 0, inp.replicas);
  for (const p of inp.initial.pods) addPod({ name: p.name, rs: rs0.name, hash: rs0.hash, createdAt: 0, ...(p.node ? { node: p.node } : {}), initial: true });

  const ready = (p: FleetPod, t: number) => p.deletedAt === undefined || p.deletedAt > t ? lives.get(p.name)!.readySince(t) !== null : false;
  const available = (p: FleetPod, t: number): boolean => {
    if (p.deletedAt !== undefined && p.deletedAt <= t) return false;
    const s = lives.get(p.name)!.readySince(t);
    return s !== null && s + minReadyMs <= t;
  };
  const exists = (p: FleetPod, t: number) => p.createdAt <= t && (p.goneAt === undefined || p.goneAt > t);
  // FilterActivePods: not terminating (and, here, not gone)
  const active = (rs: FleetRS, t: number) => pods.filter((p) => p.rs === rs.name && p.createdAt <= t && p.deletedAt === undefined);
  const availableIn = (rs: FleetRS, t: number) => active(rs, t).filter((p) => available(p, t)).length;

  const deletePod = (p: FleetPod, t: number, by: string) => {
    p.deletedAt = t; p.deletedBy = by;
    p.goneAt = t + lives.get(p.name)!.goneAfter(t);
    wake.add(p.goneAt);
    log.push({ t, what: `pod ${p.name} deleted (${by}); gone at ${p.goneAt / 1000}s`, rs: p.rs, pod: p.name });
  };
  const scaleRS = (rs: FleetRS, n: number, t: number, why: string) => {
    rs.maxReplicasAnn = replicas + maxSurge(inp.strategy, replicas);
    rs.desiredAnn = replicas;
    if (spec(rs) === n) return false;
    log.push({ t, what: `Scaled ${n > spec(rs) ? 'up' : 'down'} replica set ${rs.name} from ${spec(rs)} to ${n} (${why})`, rs: rs.name });
    const last = rs.replicas[rs.replicas.length - 1];
    if (last[0] === t) last[1] = n; else rs.replicas.push([t, n]);
    return true;
  };

  // replica_set.go manageReplicas, with getPodsToDelete's ActivePodsWithRanks
  const manage = (rs: FleetRS, t: number) => {
    const act = active(rs, t);
    const diff = act.length - spec(rs);
    if (diff < 0) {
      for (let i = 0; i < -diff; i++) {
        const p: FleetPod = { name: inp.newName(rs.name), rs: rs.name, hash: rs.hash, createdAt: t, initial: false };
        const node = inp.schedule(p);
        if (node) p.node = node;
        addPod(p);
        log.push({ t, what: `Created pod: ${p.name}${node ? ` on ${node}` : ''}`, rs: rs.name, pod: p.name });
      }
    } else if (diff > 0) {
      const related = pods.filter((p) => p.createdAt <= t && p.deletedAt === undefined);
      for (const p of rankForDeletion(act, related, t, (x) => ready(x, t) ? lives.get(x.name)!.readySince(t) : null, (x) => lives.get(x.name)!.restarts(t)).slice(0, diff)) deletePod(p, t, `ReplicaSet ${rs.name} scaled down`);
    }
  };

  const newRSOf = () => rss.find((r) => r.hash === current.hash);
  const olds = () => rss.filter((r) => r.hash !== current.hash).sort((a, b) => a.order - b.order);
  const total = (l: FleetRS[]) => l.reduce((n, r) => n + spec(r), 0);

  // sync.go scale: proportional scaling across the active ReplicaSets
  const scale = (t: number): boolean => {
    const newRS = newRSOf();
    const all = rss.filter((r) => spec(r) > 0);
    if (all.length <= 1) {
      const target = all[0] ?? newRS ?? rss.slice().sort((a, b) => b.order - a.order)[0];
      return target ? scaleRS(target, replicas, t, 'scaling') : false;
    }
    if (newRS && spec(newRS) === replicas && availableIn(newRS, t) === replicas && newRS.desiredAnn === replicas) {
      let any = false;
      for (const o of olds()) any = scaleRS(o, 0, t, 'new ReplicaSet saturated') || any;
      return any;
    }
    if (inp.strategy.type !== 'RollingUpdate') return false;
    const allowed = replicas > 0 ? replicas + maxSurge(inp.strategy, replicas) : 0;
    const toAdd = allowed - total(all);
    if (toAdd === 0) { for (const r of all) { r.desiredAnn = replicas; r.maxReplicasAnn = allowed; } return false; }
    // ReplicaSetsBySizeNewer (up) / ReplicaSetsBySizeOlder (down): larger first, then newer / older first
    all.sort((a, b) => spec(b) - spec(a) || (toAdd > 0 ? b.order - a.order : a.order - b.order));
    let added = 0;
    const size = new Map<FleetRS, number>();
    for (const r of all) {
      let prop = 0;
      if (spec(r) !== 0 && toAdd !== added) {
        // getReplicaSetFraction
        const frac = replicas === 0 ? -spec(r) : Math.round((spec(r) * allowed) / (r.maxReplicasAnn || allowed)) - spec(r);
        const left = toAdd - added;
        prop = toAdd > 0 ? Math.min(frac, left) : Math.max(frac, left);
      }
      size.set(r, spec(r) + prop);
      added += prop;
    }
    let any = false;
    all.forEach((r, i) => {
      let n = size.get(r)!;
      if (i === 0) n = Math.max(0, n + toAdd - added); // leftovers to the largest
      any = scaleRS(r, n, t, `proportional scaling to ${replicas} replicas`) || any;
    });
    return any;
  };

  const rolling = (t: number): boolean => {
    let newRS = newRSOf();
    if (!newRS) {
      newRS = mkRS(current, `${inp.deployment}-${current.hash}`, t, 0);
      log.push({ t, what: `new ReplicaSet ${newRS.name}`, rs: newRS.name });
      setProgressing(t, 'True', 'NewReplicaSetCreated', `Created new replica set "${newRS.name}"`);
    }
    // reconcileNewReplicaSet
    if (spec(newRS) > replicas) return scaleRS(newRS, replicas, t, 'reconcileNewReplicaSet');
    if (spec(newRS) < replicas) {
      const maxTotal = replicas + maxSurge(inp.strategy, replicas);
      const cur = total(rss);
      if (cur < maxTotal) {
        const up = Math.min(maxTotal - cur, replicas - spec(newRS));
        if (scaleRS(newRS, spec(newRS) + up, t, `maxSurge ${maxSurge(inp.strategy, replicas)}`)) return true;
      }
    }
    // reconcileOldReplicaSets
    const old = olds().filter((r) => spec(r) > 0);
    if (!old.length) return false;
    const minAvailable = replicas - maxUnavailable(inp.strategy, replicas);
    const newUnavailable = spec(newRS) - availableIn(newRS, t);
    const maxScaledDown = total(rss) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    let done = 0;
    // cleanupUnhealthyReplicas: old ReplicaSets' unavailable pods go first, within maxScaledDown
    for (const r of old) {
      if (done >= maxScaledDown) break;
      const unhealthy = spec(r) - availableIn(r, t);
      if (unhealthy <= 0) continue;
      const n = Math.min(maxScaledDown - done, unhealthy);
      scaleRS(r, spec(r) - n, t, 'cleanupUnhealthyReplicas');
      done += n;
    }
    // scaleDownOldReplicaSetsForRollingUpdate
    const availableAll = rss.reduce((n, r) => n + availableIn(r, t), 0);
    if (availableAll > minAvailable) {
      const want = availableAll - minAvailable;
      let down = 0;
      for (const r of old) {
        if (down >= want) break;
        if (spec(r) === 0) continue;
        const n = Math.min(spec(r), want - down);
        scaleRS(r, spec(r) - n, t, `minAvailable ${minAvailable}`);
        down += n;
      }
      done += down;
    }
    return done > 0;
  };

  const recreate = (t: number): boolean => {
    let any = false;
    for (const o of olds()) any = scaleRS(o, 0, t, 'Recreate: old pods first') || any;
    if (any) return true;
    // oldPodsRunning: any pod of an old ReplicaSet still there (terminating ones too)
    const oldNames = new Set(olds().map((r) => r.name));
    if (pods.some((p) => oldNames.has(p.rs) && exists(p, t))) return false;
    let newRS = newRSOf();
    if (!newRS) {
      newRS = mkRS(current, `${inp.deployment}-${current.hash}`, t, 0);
      log.push({ t, what: `new ReplicaSet ${newRS.name}`, rs: newRS.name });
      setProgressing(t, 'True', 'NewReplicaSetCreated', `Created new replica set "${newRS.name}"`);
    }
    return scaleRS(newRS, replicas, t, 'Recreate');
  };

  const setProgressing = (t: number, status: 'True' | 'False', reason: string, message: string) => {
    const p = conds.progressing;
    if (p.status === status && p.reason === reason && p.message === message) return;
    conds.progressing = { type: 'Progressing', status, reason, message, since: p.status === status ? p.since : t };
    if (status === 'True') lastProgress = t;
  };

  const syncStatus = (t: number) => {
    const newRS = newRSOf();
    const all = pods.filter((p) => p.createdAt <= t && p.deletedAt === undefined);
    const avail = all.filter((p) => available(p, t)).length;
    const updated = newRS ? active(newRS, t).length : 0;
    const minAvailable = replicas - maxUnavailable(inp.strategy, replicas);
    const a = avail >= minAvailable
      ? { status: 'True' as const, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
      : { status: 'False' as const, reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' };
    if (conds.available.status !== a.status) conds.available = { type: 'Available', ...a, since: t };
    // DeploymentComplete: every replica updated and available, no old pod left
    const complete = newRS !== undefined && updated === replicas && all.length === replicas && avail >= replicas && all.every((p) => p.rs === newRS.name);
    if (complete) setProgressing(t, 'True', 'NewReplicaSetAvailable', `ReplicaSet "${newRS!.name}" has successfully progressed.`);
    else if (conds.progressing.reason !== 'ProgressDeadlineExceeded' && t - lastProgress > inp.progressDeadlineSeconds * 1000) {
      setProgressing(t, 'False', 'ProgressDeadlineExceeded', `ReplicaSet "${newRS?.name ?? inp.initial.rs}" has timed out progressing.`);
    }
    const c = condLog[condLog.length - 1];
    if (!c || c[1] !== conds.progressing || c[2] !== conds.available) condLog.push([t, conds.progressing, conds.available]);
  };

  const events = inp.events.slice().sort((a, b) => a.at - b.at);
  for (const e of events) wake.add(e.at);
  wake.add(0);
  const done = new Set<number>();
  for (;;) {
    const next = [...wake].filter((x) => !done.has(x) && x <= inp.until).sort((a, b) => a - b)[0];
    if (next === undefined) break;
    done.add(next);
    const t = next;
    for (const e of events) {
      if (e.at !== t) continue;
      if (e.kind === 'rollout') {
        if (e.revision.hash !== current.hash) { current = e.revision; revisionLog.push([t, current.hash]); log.push({ t, what: `rollout: ${e.cause}` }); }
      } else if (e.kind === 'scale') {
        replicas = e.replicas; replicasLog.push([t, replicas]); log.push({ t, what: `scaled to ${replicas} (${e.cause})` });
      } else {
        const p = byName.get(e.pod);
        if (p && exists(p, t) && p.deletedAt === undefined) deletePod(p, t, e.cause);
      }
    }
    // the controllers until nothing changes at this instant (each sync reacts to the last)
    const progressBefore = log.length;
    for (let i = 0; i < 50; i++) {
      let changed = false;
      const scaling = rss.some((r) => spec(r) > 0 && r.desiredAnn !== replicas);
      if (scaling) changed = scale(t) || changed;
      else changed = (inp.strategy.type === 'Recreate' ? recreate(t) : rolling(t)) || changed;
      const before = pods.length + pods.filter((p) => p.deletedAt !== undefined).length;
      for (const r of rss) manage(r, t);
      const after = pods.length + pods.filter((p) => p.deletedAt !== undefined).length;
      if (!changed && before === after) break;
    }
    if (log.length > progressBefore) lastProgress = t;
    syncStatus(t);
    // the progress deadline is checked when it runs out
    if (conds.progressing.status === 'True' && conds.progressing.reason !== 'NewReplicaSetAvailable') wake.add(lastProgress + inp.progressDeadlineSeconds * 1000 + 1);
  }

  const lastAt = <V>(l: [number, V][], t: number): V => { let v = l[0][1]; for (const [x, y] of l) { if (x > t) break; v = y; } return v; };
  return {
    pods, replicaSets: rss, log, lives,
    replicasAt: (t) => lastAt(replicasLog, t),
    revisionAt: (t) => lastAt(revisionLog, t),
    rsReplicasAt: (rs, t) => (t < rs.createdAt ? 0 : lastAt(rs.replicas, t)),
    podsAt: (t) => pods.filter((p) => exists(p, t)),
    available,
    conditionsAt(t) {
      let c: [number, Condition, Condition] | undefined;
      for (const x of condLog) { if (x[0] > t) break; c = x; }
      return c ? [c[2], c[1]] : [conds.available, conds.progressing];
    },
    statusAt(t) {
      const live = pods.filter((p) => p.createdAt <= t && (p.deletedAt === undefined || p.deletedAt > t));
      const rev = lastAt(revisionLog, t);
      const avail = live.filter((p) => available(p, t)).length;
      const want = lastAt(replicasLog, t);
      return { replicas: live.length, updatedReplicas: live.filter((p) => p.hash === rev).length, readyReplicas: live.filter((p) => ready(p, t)).length, availableReplicas: avail, unavailableReplicas: Math.max(0, want - avail) };
    },
  };
}

/**
 * controller_utils ActivePodsWithRanks: the order a ReplicaSet deletes its pods in (first = deleted
 * first). Rank: how many related pods (the controller's, active) share the pod's node
 * (getPodsRankedByRelatedPodsOnSameNode). Pods are all Running here, so the phase step is moot.
 * The LogarithmicScaleDown gate's log2 buckets of ready time and creation time are not applied (exact
 * times are compared), nor its random UID tie-break.
 */
export function rankForDeletion(pods: readonly FleetPod[], related: readonly FleetPod[], _t: number, readySince: (p: FleetPod) => number | null, restarts: (p: FleetPod) => number): FleetPod[] {
  const onNode = new Map<string, number>();
  for (const p of related) if (p.node) onNode.set(p.node, (onNode.get(p.node) ?? 0) + 1);
  const rank = (p: FleetPod) => (p.node ? onNode.get(p.node) ?? 0 : 0);
  return pods.slice().sort((a, b) => {
    if (!a.node !== !b.node) return a.node ? 1 : -1; // unassigned first
    const ra = readySince(a), rb = readySince(b);
    if ((ra === null) !== (rb === null)) return ra === null ? -1 : 1; // not ready first
    if (rank(a) !== rank(b)) return rank(b) - rank(a); // doubled up first
    if (ra !== null && rb !== null && ra !== rb) return rb - ra; // ready for less time first
    if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
    if (a.createdAt !== b.createdAt) return b.createdAt - a.createdAt; // newer first
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}
