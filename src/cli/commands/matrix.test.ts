import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manifestDir, manifestFile, runCli } from '../testkit';
import { parsePorts } from './matrix';

// shop: client, db (5432), web (8080); ops: prom. The Admin tier guards db; a NetworkPolicy guards web.
const SHOP = `apiVersion: v1
kind: Node
metadata: {name: node-a}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Namespace
metadata: {name: ops}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: app, image: x, ports: [{containerPort: 8080, name: http}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
spec: {containers: [{name: app, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
spec: {containers: [{name: app, image: x, ports: [{containerPort: 5432}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: prom, namespace: ops, labels: {app: prom}}
spec: {containers: [{name: app, image: x}]}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: protect-db}
spec:
  priority: 10
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: db}}}}
  ingress:
  - {name: from-web, action: Allow, from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}}]}
  - {name: no-one-else, action: Deny, from: [{namespaces: {}}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-client, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{podSelector: {matchLabels: {app: client}}}]}]
`;

// made at load time: the test kit removes its folders when the file ends
const dir = manifestDir({ 'shop.yaml': SHOP });

const GRID = `TCP/8080  (rows: from, columns: to; . allowed, X blocked)
             shop/client  shop/db  shop/web
shop/client  .            X        .
shop/db      .            .        X
shop/web     .            .        .`;

test('netspec matrix -n shop --ports 8080/TCP prints a grid per port, cyclonus-style (. allowed, X blocked)', async () => {
  const r = await runCli('matrix', '-f', dir, '-n', 'shop', '--ports', '8080/TCP');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim(), GRID);
});

test('--expect: the same table holds (exit 0); one cell changed exits 1 naming that cell and the policy that decided it', async () => {
  const same = manifestFile('expected.txt', GRID);
  const ok = await runCli('matrix', '-f', dir, '-n', 'shop', '--ports', '8080/TCP', '--expect', same);
  assert.equal(ok.code, 0, ok.out + ok.err);
  assert.match(ok.out, /all 9 expected cells hold/);
  // expect client → db allowed: the Admin tier's Deny decides it
  const changed = manifestFile('expected.txt', GRID.replace('shop/client  .            X', 'shop/client  .            .'));
  const bad = await runCli('matrix', '-f', dir, '-n', 'shop', '--ports', '8080/TCP', '--expect', changed);
  assert.equal(bad.code, 1);
  const lines = bad.out.trim().split('\n');
  assert.equal(lines[0], '1 of 9 expected cells differs:');
  assert.match(lines[1], /^TCP\/8080 shop\/client → shop\/db: expected allowed, actual blocked — Admin tier: AdminNetworkPolicy protect-db ingress rule 2 \(.*shop\.yaml:41:5\) \[expected at line 3\]$/);
  // and a NetworkPolicy decision names the namespace tier
  const changed2 = manifestFile('expected.txt', GRID.replace('shop/db      .            .        X', 'shop/db      .            .        .'));
  const bad2 = await runCli('matrix', '-f', dir, '-n', 'shop', '--ports', '8080/TCP', '--expect', changed2);
  assert.equal(bad2.code, 1);
  assert.match(bad2.out, /shop\/db → shop\/web: expected allowed, actual blocked — NetworkPolicy tier: NetworkPolicy shop\/web-from-client ingress \(isolated; no rule allows it\)/);
});

test('--expect naming a pod the matrix lacks fails (nothing passes vacuously)', async () => {
  const f = manifestFile('expected.txt', 'TCP/8080\n  shop/nope\nshop/web  .\n');
  const r = await runCli('matrix', '-f', dir, '-n', 'shop', '--ports', '8080/TCP', '--expect', f);
  assert.equal(r.code, 1);
  assert.match(r.err, /names what the matrix does not have: pod shop\/nope/);
});

test('-o csv and -o json: one row a cell with the deciding tier, policy, rule (1-based in csv) and file:line; -o markdown a table', async () => {
  const csv = await runCli('matrix', '-f', dir, '-n', 'shop', '--ports', '8080', '-o', 'csv');
  const rows = csv.out.trim().split('\n');
  assert.equal(rows[0], 'from,to,port,protocol,verdict,direction,tier,policy,rule,source');
  assert.equal(rows.length, 10);
  assert.ok(rows.some((l) => /^shop\/client,shop\/db,8080,TCP,blocked,ingress,Admin,AdminNetworkPolicy protect-db,2,.*shop\.yaml:41:5$/.test(l)), rows.join('\n'));
  assert.ok(rows.includes('shop/client,shop/web,8080,TCP,allowed,ingress,NetworkPolicy,NetworkPolicy shop/web-from-client,1,' + rows.find((l) => l.startsWith('shop/client,shop/web'))!.split(',').pop()));
  const js = await runCli('matrix', '-f', dir, '-n', 'shop', '--ports', '8080', '-o', 'json');
  const j = JSON.parse(js.out);
  assert.deepEqual(j.pods, ['shop/client', 'shop/db', 'shop/web']);
  assert.deepEqual(j.ports, ['TCP/8080']);
  const cell = j.cells.find((c: any) => c.from === 'shop/web' && c.to === 'shop/db');
  assert.deepEqual({ allow: cell.allow, tier: cell.tier, policy: cell.policy, rule: cell.rule }, { allow: true, tier: 'Admin', policy: 'AdminNetworkPolicy protect-db', rule: 0 });
  // a JSON matrix is itself an expected table
  const back = await runCli('matrix', '-f', dir, '-n', 'shop', '--ports', '8080', '--expect', manifestFile('e.json', js.out));
  assert.equal(back.code, 0, back.out + back.err);
  const md = await runCli('matrix', '-f', dir, '-n', 'shop', '--ports', '8080', '-o', 'markdown');
  assert.match(md.out, /^\*\*TCP\/8080\*\*/);
  assert.match(md.out, /\| shop\/client \| \. \| X \| \. \|/);
});

test('without --ports, the ports the pods in scope declare; -l narrows both sides', async () => {
  const r = await runCli('matrix', '-f', dir, '-n', 'shop', '-l', 'app in (web,db)');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^TCP\/5432 /m);
  assert.match(r.out, /^TCP\/8080 /m);
  assert.ok(!r.out.includes('shop/client'));
});

test('usage errors exit 2: a bad --ports item, an unknown namespace, an empty scope', async () => {
  assert.equal((await runCli('matrix', '-f', dir, '--ports', '80/HTTP')).code, 2);
  const ns = await runCli('matrix', '-f', dir, '-n', 'nope');
  assert.equal(ns.code, 2);
  assert.match(ns.err, /-n nope: no such namespace/);
  const empty = await runCli('matrix', '-f', dir, '-n', 'shop', '-l', 'app=nothing');
  assert.equal(empty.code, 2);
  assert.match(empty.err, /no running pod is in scope/);
});

test('parsePorts: a protocol applies to the bare numbers before it; TCP otherwise', () => {
  assert.deepEqual(parsePorts('80,443/TCP,53/UDP,9090'), [
    { port: 80, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }, { port: 9090, protocol: 'TCP' },
  ]);
});
