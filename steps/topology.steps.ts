// Topology: the cluster a scenario talks about — nodes, namespaces, pods, workloads, real
// manifests, and the pod network's settings. Steps only declare API-shaped objects (with the
// step's position as their origin); the loader and the controllers do the rest.
import { Given, Then, When, defineParameterType, type DataTable } from '@cucumber/cucumber';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { formatError } from '../src/model/errors';
import { POD_NETWORKS, type ClusterConfig } from '../src/model/config';
import type { KObject } from '../src/model/types';
import { formatPos } from '../src/net/trace';
import { declared, diagnosticsText, listOf, parseLabels, realPod } from './support';
import type { NetspecWorld } from './world';

// ---- parameter types ---------------------------------------------------------------------------

/** "a", "b" and "c" → ['a', 'b', 'c'] */
defineParameterType({
  name: 'names',
  regexp: /"[^"]*"(?:(?:, | and )"[^"]*")*/,
  transformer: (s: string) => [...s.matchAll(/"([^"]*)"/g)].map((m) => m[1]),
});

interface PodTraits {
  node?: string;
  labels?: Record<string, string>;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  ports: number[];
}

/**
 * What may follow a pod or workload, in this order, each optional:
 * ` on node "node-a"`, ` labelled "app=web,tier=front"`, ` listening on TCP port 8080` / `ports 80 and 443`.
 */
defineParameterType({
  name: 'traits',
  regexp: /(?: on node "[^"]*")?(?: labelled "[^"]*")?(?: listening on (?:TCP|UDP|SCTP) ports? \d+(?:(?:, | and )\d+)*)?/,
  transformer: (s: string): PodTraits => {
    const t: PodTraits = { ports: [] };
    const node = / on node "([^"]*)"/.exec(s ?? '');
    if (node) t.node = node[1];
    const labels = / labelled "([^"]*)"/.exec(s ?? '');
    if (labels) t.labels = parseLabels(labels[1]);
    const listen = / listening on (TCP|UDP|SCTP) ports? (.*)$/.exec(s ?? '');
    if (listen) {
      t.protocol = listen[1] as PodTraits['protocol'];
      t.ports = listen[2].split(/, | and /).map(Number);
    }
    return t;
  },
});

// ---- object builders ---------------------------------------------------------------------------

const IMAGE = 'registry.k8s.io/e2e-test-images/agnhost:2.47';

interface ContainerDecl { name: string; ports: { containerPort: number; protocol: string; hostPort?: number; name?: string }[] }

function containersFrom(t: PodTraits): ContainerDecl[] {
  return [{ name: 'app', ports: t.ports.map((p) => ({ containerPort: p, protocol: t.protocol ?? 'TCP' })) }];
}

/** | container | port | protocol | (hostPort, name optional): one row per port; a row without a port declares a container. */
function containersFromTable(table: DataTable): ContainerDecl[] {
  const byName = new Map<string, ContainerDecl>();
  for (const row of table.hashes()) {
    const name = (row.container ?? '').trim();
    if (!name) throw new Error('every row of the containers table needs a container name (columns: | container | port | protocol |)');
    let c = byName.get(name);
    if (!c) { c = { name, ports: [] }; byName.set(name, c); }
    const port = (row.port ?? '').trim();
    if (port) {
      const entry: ContainerDecl['ports'][number] = { containerPort: Number(port), protocol: (row.protocol ?? '').trim() || 'TCP' };
      if ((row.hostPort ?? '').trim()) entry.hostPort = Number(row.hostPort);
      if ((row.name ?? '').trim()) entry.name = row.name.trim();
      c.ports.push(entry);
    }
  }
  return [...byName.values()];
}

function podSpec(containers: ContainerDecl[], t: PodTraits, hostNetwork: boolean): any {
  const spec: any = {
    containers: containers.map((c) => (c.ports.length ? { name: c.name, image: IMAGE, ports: c.ports } : { name: c.name, image: IMAGE })),
  };
  if (hostNetwork) spec.hostNetwork = true;
  return spec;
}

function addPod(world: NetspecWorld, name: string, ns: string, t: PodTraits, containers: ContainerDecl[], hostNetwork: boolean): void {
  const spec = podSpec(containers, t, hostNetwork);
  if (t.node) spec.nodeName = t.node;
  const metadata: any = { name, namespace: ns };
  if (t.labels) metadata.labels = t.labels;
  world.addObject({ apiVersion: 'v1', kind: 'Pod', metadata, spec });
}

function template(name: string, labels: Record<string, string>, t: PodTraits, hostNetwork: boolean): any {
  const spec = podSpec(containersFrom(t), t, hostNetwork);
  if (t.node) spec.nodeSelector = { 'kubernetes.io/hostname': t.node };
  return { metadata: { labels }, spec };
}

function addWorkload(world: NetspecWorld, kind: 'Deployment' | 'StatefulSet' | 'DaemonSet', name: string, ns: string, replicas: number | null, t: PodTraits, hostNetwork = false): void {
  const labels = t.labels ?? { app: name };
  const spec: any = { selector: { matchLabels: labels }, template: template(name, labels, t, hostNetwork) };
  if (replicas !== null) spec.replicas = replicas;
  if (kind === 'StatefulSet') spec.serviceName = name;
  world.addObject({ apiVersion: 'apps/v1', kind, metadata: { name, namespace: ns }, spec } as KObject);
}

// ---- nodes and namespaces ----------------------------------------------------------------------

function addNode(world: NetspecWorld, name: string, labels: Record<string, string> = {}): void {
  world.addObject({
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...labels } },
  });
}

Given('a cluster with node(s) {names}', function (this: NetspecWorld, names: string[]) {
  for (const n of names) addNode(this, n);
});

Given('a node {string}', function (this: NetspecWorld, name: string) {
  addNode(this, name);
});

Given('a node {string} labelled {string}', function (this: NetspecWorld, name: string, labels: string) {
  addNode(this, name, parseLabels(labels));
});

Given('a namespace {string}', function (this: NetspecWorld, name: string) {
  this.addObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
});

Given('a namespace {string} labelled {string}', function (this: NetspecWorld, name: string, labels: string) {
  this.addObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: parseLabels(labels) } });
});

// ---- pods --------------------------------------------------------------------------------------

Given('a pod {string} in namespace {string}{traits}', function (this: NetspecWorld, name: string, ns: string, t: PodTraits) {
  addPod(this, name, ns, t, containersFrom(t), false);
});

Given('a pod {string} in namespace {string}{traits} with containers:', function (this: NetspecWorld, name: string, ns: string, t: PodTraits, table: DataTable) {
  if (t.ports.length) throw new Error('give the ports in the containers table, not with "listening on"');
  addPod(this, name, ns, t, containersFromTable(table), false);
});

Given('a hostNetwork pod {string} in namespace {string}{traits}', function (this: NetspecWorld, name: string, ns: string, t: PodTraits) {
  addPod(this, name, ns, t, containersFrom(t), true);
});

Given('a hostNetwork pod {string} in namespace {string}{traits} with containers:', function (this: NetspecWorld, name: string, ns: string, t: PodTraits, table: DataTable) {
  if (t.ports.length) throw new Error('give the ports in the containers table, not with "listening on"');
  addPod(this, name, ns, t, containersFromTable(table), true);
});

// ---- workloads ---------------------------------------------------------------------------------

Given('a deployment {string} in namespace {string} with {int} replica(s){traits}', function (this: NetspecWorld, name: string, ns: string, n: number, t: PodTraits) {
  addWorkload(this, 'Deployment', name, ns, n, t);
});

Given('a statefulset {string} in namespace {string} with {int} replica(s){traits}', function (this: NetspecWorld, name: string, ns: string, n: number, t: PodTraits) {
  addWorkload(this, 'StatefulSet', name, ns, n, t);
});

Given('a daemonset {string} in namespace {string}{traits}', function (this: NetspecWorld, name: string, ns: string, t: PodTraits) {
  addWorkload(this, 'DaemonSet', name, ns, null, t);
});

Given('a hostNetwork daemonset {string} in namespace {string}{traits}', function (this: NetspecWorld, name: string, ns: string, t: PodTraits) {
  addWorkload(this, 'DaemonSet', name, ns, null, t, true);
});

// ---- manifests ---------------------------------------------------------------------------------

/** A path relative to the feature file's folder, else to the working directory. */
export function featurePath(world: NetspecWorld, p: string): string {
  if (isAbsolute(p)) return p;
  const beside = resolve(dirname(world.place.pos.file), p);
  if (existsSync(beside)) return beside;
  const fromCwd = resolve(process.cwd(), p);
  if (existsSync(fromCwd)) return fromCwd;
  throw new Error(`no file or folder "${p}" next to ${world.place.pos.file} (${beside}) nor in ${process.cwd()}`);
}

Given('the manifest(s) in {string}', function (this: NetspecWorld, p: string) {
  this.addSource({ path: featurePath(this, p) });
});

Given('the manifest(s) in {string} applied to namespace {string}', function (this: NetspecWorld, p: string, ns: string) {
  this.addSource({ path: featurePath(this, p), namespace: ns });
});

Given('the manifest:', function (this: NetspecWorld, text: string) {
  this.addSource(this.docStringSource(text));
});

// ---- the pod network ---------------------------------------------------------------------------

Given('the pod network is {string}', function (this: NetspecWorld, name: string) {
  const n = POD_NETWORKS[name];
  if (!n) throw new Error(`unknown pod network "${name}" (known: ${Object.keys(POD_NETWORKS).join(', ')})`);
  const pos = { ...this.place.pos };
  const podNetwork: ClusterConfig['podNetwork'] = { mode: n.mode, plugin: n.plugin, device: n.device, decidedBy: `step "the pod network is "${name}"" (${n.what})`, pos };
  if (n.port !== undefined) podNetwork.port = n.port;
  this.setConfig({ podNetwork });
});

Given('the ip-masq-agent runs with nonMasqueradeCIDRs {string}', function (this: NetspecWorld, cidrs: string) {
  const list = listOf(cidrs);
  this.setConfig({ egressMasquerade: { by: 'ip-masq-agent', nonMasqueradeCIDRs: list, masqLinkLocal: false, pos: { ...this.place.pos } } });
});

// ---- bad input ---------------------------------------------------------------------------------

Then('loading fails with {string}', function (this: NetspecWorld, code: string) {
  const { errors } = this.tryLoad();
  if (!errors) throw new Error(`expected loading to fail with ${code}, but the cluster loaded without errors`);
  if (!errors.errors.some((e) => e.code === code)) {
    throw new Error(`expected an error ${code}; got:\n${diagnosticsText(errors.errors)}`);
  }
});

Then('loading fails with {string} at line {int}', function (this: NetspecWorld, code: string, line: number) {
  const { errors } = this.tryLoad();
  if (!errors) throw new Error(`expected loading to fail with ${code} at line ${line}, but the cluster loaded without errors`);
  const file = this.place.pos.file;
  const hit = errors.errors.find((e) => e.code === code && e.pos?.line === line && (e.pos.file === file || resolve(e.pos.file) === resolve(file)));
  if (!hit) {
    throw new Error(`expected ${code} at ${file}:${line}; got:\n${errors.errors.map((e) => '  ' + formatError(e) + (e.pos ? '' : ' (no position)')).join('\n')}`);
  }
  this.attachText(diagnosticsText(errors.errors, ''));
});

Then('the cluster loads without errors', function (this: NetspecWorld) {
  const { errors } = this.tryLoad();
  if (errors) throw new Error(`expected no input errors; got:\n${diagnosticsText(errors.errors)}`);
});

// ---- the pause container keeps the pod's network -------------------------------------------------

When('container {string} of pod {string} in namespace {string} restarts', function (this: NetspecWorld, ctr: string, name: string, ns: string) {
  const before = realPod(this, `${ns}/${name}`);
  if (!before.containers.includes(ctr)) throw new Error(`pod ${ns}/${name} has no container ${ctr} (containers: ${before.containers.join(', ')})`);
  const obj = declared(this, 'Pod', ns, name, ', so a step cannot restart its container');
  this.last.podIPBeforeRestart = { key: before.key, ip: before.ip, pos: formatPos(this.place.pos) };
  // the kubelet restarts the container inside the same sandbox: restartCount goes up, the
  // sandbox (pause container) and its network namespace stay
  const images = new Map<string, string>((obj.spec?.containers ?? []).map((c: any) => [c.name, c.image ?? IMAGE]));
  const statuses: any[] = obj.status?.containerStatuses
    ?? before.containers.map((c) => ({ name: c, image: images.get(c) ?? IMAGE, imageID: '', restartCount: 0, ready: true, started: true }));
  obj.status = {
    ...(obj.status ?? {}),
    containerStatuses: statuses.map((s) => (s.name === ctr ? { ...s, restartCount: (s.restartCount ?? 0) + 1, lastState: { terminated: { exitCode: 1, reason: 'Error' } } } : s)),
  };
  this.invalidate();
});

Then('pod {string} in namespace {string} keeps its IP', function (this: NetspecWorld, name: string, ns: string) {
  const before = this.last.podIPBeforeRestart as { key: string; ip: string } | undefined;
  if (!before || before.key !== `${ns}/${name}`) throw new Error(`no restart of a container of ${ns}/${name} happened in this scenario`);
  const after = this.cluster.realised.podByKey.get(`${ns}/${name}`);
  if (!after) throw new Error(`pod ${ns}/${name} is gone`);
  const restarts = (after.obj.status?.containerStatuses ?? []).map((s: any) => `${s.name}: ${s.restartCount}`).join(', ');
  if (after.ip !== before.ip) throw new Error(`expected ${ns}/${name} to keep ${before.ip}; it has ${after.ip || 'no IP'} (restarts: ${restarts})`);
  this.attachText(`${ns}/${name} keeps ${after.ip} (restarts: ${restarts})`);
});
