import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Cluster } from './cluster';
import { clearClusterCache, clusterCacheStats, inputKey, loadShared } from './clustercache';
import { proxyState } from './kubeproxy';
import { setOrigin, type KObject } from './model/types';
import type { ClusterConfig } from './model/config';

// Two "scenarios" that declare the same inputs share one realised cluster; what the first does
// (affinity entries, kube-proxy's clock, IPVS connections and given IPVS state, an added pod, an
// edited declaration)
// must not reach the second: it answers as a freshly loaded cluster does.
const BUNDLE = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: nginx
        ports: [{containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  sessionAffinity: ClientIP
  sessionAffinityConfig: {clientIP: {timeoutSeconds: 600}}
  ports: [{port: 80, targetPort: 8080}]
`;

function bundle(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netspec-clustercache-'));
  fs.writeFileSync(path.join(dir, 'app.yaml'), BUNDLE);
  const old = new Date(Date.now() - 60_000);
  fs.utimesSync(path.join(dir, 'app.yaml'), old, old);
  fs.utimesSync(dir, old, old);
  return dir;
}

/** A pod declared by a step at a feature-file position (as the World's addObject does). */
function client(name = 'client'): KObject {
  return setOrigin({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', labels: { role: 'client' } }, spec: { containers: [{ name: 'c', image: 'curl' }] } } as KObject, { file: 'features/x.feature', line: 7, col: 5 });
}

function web(c: Cluster): string {
  return c.realised.services.find((s) => s.key === 'shop/web')!.clusterIPs[0];
}

/** Where connections with these seeds land, one after another (affinity and the clock count). */
function landings(c: Cluster, seeds: number[], gap = 0): string[] {
  return seeds.map((seed, i) => {
    if (i > 0 && gap) c.advanceKubeProxyClock(gap);
    return c.connect({ from: 'shop/client', to: web(c), port: 80, protocol: 'TCP', seed }).delivered?.pod ?? 'none';
  });
}

const SEEDS = [11, 22, 33, 44, 55, 66];

for (const mode of ['iptables', 'ipvs'] as const) {
  test(`${mode}: a second scenario with the same inputs shares the realised cluster and none of the first one's kube-proxy state`, () => {
    clearClusterCache();
    const dir = bundle();
    const overrides: Partial<ClusterConfig> = mode === 'ipvs' ? { proxyMode: 'ipvs', ipvsScheduler: 'rr' } : {};
    const fresh = Cluster.load([{ path: dir }], { objects: [client()], overrides });
    const expected = landings(fresh, SEEDS);
    assert.equal(new Set(expected).size, 1, 'affinity keeps the client on one pod');

    const first = loadShared([{ path: dir }], { objects: [client()], overrides });
    if (mode === 'ipvs') {
      // the first scenario also gives the node's IPVS table: the pod a fresh cluster picks is quiesced
      const r = first.realised, pod = r.podByKey.get(expected[0])!, node = r.podByKey.get('shop/client')!.node!.name;
      const errs = first.setIpvsState(node, `TCP ${web(first)}:80:\n  ${pod.ip}:8080: {weight: 0}\n`, 'state.yaml');
      assert.deepEqual(errs, []);
      assert.notEqual(landings(first, [SEEDS[0]])[0], expected[0], 'weight 0 drains it');
    }
    // the first scenario: its own seeds pin the client to some pod, then the clock moves on
    landings(first, [7, 8, 9]);
    first.advanceKubeProxyClock(500);
    const pinned = landings(first, [1000])[0];

    const second = loadShared([{ path: dir }], { objects: [client()], overrides });
    assert.equal(clusterCacheStats.hits, 1);
    assert.equal(second.realised, first.realised, 'one realised cluster');
    assert.notEqual(second, first, 'each scenario its own facade');
    assert.equal(proxyState(second.realised).now, 0, "kube-proxy's clock starts at 0");
    assert.deepEqual(landings(second, SEEDS), expected, `as a fresh load (the first scenario's client was pinned to ${pinned})`);
    // and spread again past the timeout, as in a fresh cluster
    const again = loadShared([{ path: dir }], { objects: [client()], overrides });
    const fresh2 = Cluster.load([{ path: dir }], { objects: [client()], overrides });
    assert.deepEqual(landings(again, SEEDS, 601), landings(fresh2, SEEDS, 601));
  });
}

test('an added pod or an edited declaration is another cluster, and does not reach the shared one', () => {
  clearClusterCache();
  const dir = bundle();
  const mine = client();
  const a = loadShared([{ path: dir }], { objects: [mine] });
  const pods = a.realised.pods.length;
  // the first scenario adds a pod: another key, another cluster
  const b = loadShared([{ path: dir }], { objects: [client(), client('extra')] });
  assert.equal(b.realised.pods.length, pods + 1);
  assert.notEqual(b.realised, a.realised);
  // it edits its declared client in place (as editDeclared does) and loads again
  mine.metadata.labels!.role = 'edited';
  const d = loadShared([{ path: dir }], { objects: [mine] });
  assert.notEqual(d.realised, a.realised);
  assert.equal(d.realised.podByKey.get('shop/client')!.labels.role, 'edited');
  // the second scenario declares the client as written: the shared cluster, untouched
  const e = loadShared([{ path: dir }], { objects: [client()] });
  assert.equal(e.realised, a.realised);
  assert.equal(e.realised.podByKey.get('shop/client')!.labels.role, 'client');
  assert.equal(e.realised.objects.find((o) => o.kind === 'Pod' && o.metadata.name === 'client')!.metadata.labels!.role, 'client');
  assert.equal(e.realised.pods.length, pods);
  assert.equal(e.realised.podByKey.get('shop/extra'), undefined);
});

test('the same object declared at another line, another override or a changed file is another key', () => {
  clearClusterCache();
  const dir = bundle();
  const at = (line: number) => setOrigin(client(), { file: 'features/x.feature', line, col: 5 });
  assert.notEqual(inputKey([{ path: dir }], { objects: [at(7)] }), inputKey([{ path: dir }], { objects: [at(8)] }));
  assert.notEqual(inputKey([{ path: dir }], {}), inputKey([{ path: dir }], { overrides: { proxyMode: 'ipvs' } }));
  assert.notEqual(inputKey([{ path: dir }], {}), inputKey([{ path: dir, namespace: 'x' }], {}));
  assert.equal(inputKey([{ path: '-' }], {}), null, 'standard input is never reused');
  assert.equal(inputKey([{ path: dir }], { overrides: { x: new Map() } as any }), null, 'what does not serialise plainly is never reused');
  const a = loadShared([{ path: dir }], { objects: [client()] });
  // the file changes on disk: the next load reads it again
  fs.writeFileSync(path.join(dir, 'app.yaml'), BUNDLE.replace('replicas: 3', 'replicas: 2'));
  const b = loadShared([{ path: dir }], { objects: [client()] });
  assert.notEqual(b.realised, a.realised);
  assert.equal(b.realised.pods.length, a.realised.pods.length - 1);
  // a new file in the directory too
  fs.writeFileSync(path.join(dir, 'more.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: more}\n');
  const c = loadShared([{ path: dir }], { objects: [client()] });
  assert.notEqual(c.realised, b.realised);
  assert.ok(c.realised.objects.some((o) => o.kind === 'Namespace' && o.metadata.name === 'more'));
});
