// `netspec get`: objects after the control plane ran, printed as kubectl prints them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseCIDR, cidrContains } from '../../net/ip';
import { manifestDir, manifestFile, runCli } from '../testkit';

const cluster = manifestDir({
  'nodes.yaml': `apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels:
    node-role.kubernetes.io/control-plane: ""
status:
  addresses:
  - type: InternalIP
    address: 192.168.1.10
  - type: ExternalIP
    address: 203.0.113.10
---
apiVersion: v1
kind: Node
metadata:
  name: node-b
`,
  'shop.yaml': `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {team: web}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web, tier: front}
    spec:
      containers:
      - name: app
        image: nginx
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 8080
    nodePort: 30080
---
apiVersion: v1
kind: Pod
metadata:
  name: client
  namespace: shop
  labels: {app: client}
spec:
  nodeName: node-a
  containers:
  - name: app
    image: busybox
---
apiVersion: v1
kind: Pod
metadata:
  name: db-0
  namespace: shop
  labels: {app: db, tier: back}
spec:
  nodeName: node-b
  containers:
  - name: db
    image: postgres
status:
  podIP: 10.244.1.50
`,
  'other.json': JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'lonely', namespace: 'other' },
    spec: { containers: [{ name: 'app', image: 'busybox' }] },
  }),
});

const get = (...argv: string[]) => runCli('get', ...argv);

/** A kubectl table → header cells and rows of cells (columns are separated by 3+ spaces). */
function table(text: string): { head: string[]; rows: Record<string, string>[] } {
  const lines = text.trimEnd().split('\n');
  const head = lines[0].split(/ {2,}/);
  // column starts from the header, so that cells holding one space ("NOMINATED NODE") stay whole
  const starts: number[] = [];
  for (const h of head) starts.push(lines[0].indexOf(h, starts.length ? starts[starts.length - 1] + 1 : 0));
  const rows = lines.slice(1).map((l) => Object.fromEntries(head.map((h, i) => [h, l.slice(starts[i], starts[i + 1] ?? undefined).trim()])));
  return { head, rows };
}

test('get nodes: name, readiness, roles and the podCIDR the range allocator gave each node, in node order', async () => {
  const r = await get('nodes', '-f', cluster);
  assert.equal(r.code, 0, r.err);
  const t = table(r.out);
  assert.deepEqual(t.head, ['NAME', 'STATUS', 'ROLES', 'POD-CIDR']);
  assert.deepEqual(t.rows, [
    { NAME: 'node-a', STATUS: 'Ready', ROLES: 'control-plane', 'POD-CIDR': '10.244.0.0/24' },
    { NAME: 'node-b', STATUS: 'Ready', ROLES: '<none>', 'POD-CIDR': '10.244.1.0/24' },
  ]);
});

test('get nodes -o wide: the addresses from status.addresses (or assigned) and every podCIDR', async () => {
  const r = await get('nodes', '-f', cluster, '-o', 'wide');
  assert.equal(r.code, 0, r.err);
  const t = table(r.out);
  assert.deepEqual(t.head, ['NAME', 'STATUS', 'ROLES', 'POD-CIDR', 'INTERNAL-IP', 'EXTERNAL-IP', 'POD-CIDRS']);
  assert.equal(t.rows[0]['INTERNAL-IP'], '192.168.1.10');
  assert.equal(t.rows[0]['EXTERNAL-IP'], '203.0.113.10');
  // node-b has no address in its manifest: netspec assigns one from its node subnet (172.18.0.0/16)
  assert.ok(cidrContains(parseCIDR('172.18.0.0/16'), t.rows[1]['INTERNAL-IP']), t.rows[1]['INTERNAL-IP']);
  assert.equal(t.rows[1]['EXTERNAL-IP'], '<none>');
  assert.equal(t.rows[1]['POD-CIDRS'], '10.244.1.0/24');
});

test('-n does not narrow cluster-scoped kinds (kubectl ignores it for nodes and namespaces)', async () => {
  const a = await get('nodes', '-f', cluster);
  const b = await get('nodes', '-f', cluster, '-n', 'shop');
  assert.equal(b.code, 0, b.err);
  assert.equal(b.out, a.out);
});

test('get namespaces: given, referenced-only and system namespaces, all Active, each labelled with its name', async () => {
  const r = await get('namespaces', '-f', cluster);
  assert.equal(r.code, 0, r.err);
  const t = table(r.out);
  assert.deepEqual(t.head, ['NAME', 'STATUS']);
  // "other" is only referenced by a pod: it exists all the same
  assert.deepEqual(t.rows.map((x) => x.NAME), ['default', 'kube-node-lease', 'kube-public', 'kube-system', 'other', 'shop']);
  assert.ok(t.rows.every((x) => x.STATUS === 'Active'));
  const j = JSON.parse((await get('ns', '-f', cluster, '-o', 'json')).out);
  for (const ns of j.items) assert.equal(ns.metadata.labels['kubernetes.io/metadata.name'], ns.metadata.name);
  assert.equal(j.items.find((n: any) => n.metadata.name === 'shop').metadata.labels.team, 'web', 'own labels are kept');
});

test('get pods -n shop: one row per pod with its IP from its node\'s podCIDR and its node; no NAMESPACE column', async () => {
  const nodes = table((await get('nodes', '-f', cluster)).out).rows;
  const cidrOf = new Map(nodes.map((n) => [n.NAME, parseCIDR(n['POD-CIDR'])]));
  const r = await get('pods', '-n', 'shop', '-f', cluster);
  assert.equal(r.code, 0, r.err);
  const t = table(r.out);
  assert.deepEqual(t.head, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'IP', 'NODE']);
  const names = t.rows.map((x) => x.NAME);
  assert.equal(names.length, 5, r.out);
  assert.deepEqual(names.filter((n) => !n.startsWith('web-')), ['client', 'db-0']);
  const web = t.rows.filter((x) => x.NAME.startsWith('web-'));
  assert.equal(web.length, 3);
  // Deployment → ReplicaSet web-<hash> → pods web-<hash>-<5 chars>
  for (const w of web) assert.match(w.NAME, /^web-[a-z0-9]{6,10}-[a-z0-9]{5}$/);
  assert.equal(new Set(web.map((w) => w.NAME.split('-')[1])).size, 1, 'one ReplicaSet');
  // the scheduler spreads the replicas over both nodes
  assert.deepEqual([...new Set(web.map((w) => w.NODE))].sort(), ['node-a', 'node-b']);
  const client = t.rows.find((x) => x.NAME === 'client')!;
  assert.deepEqual({ ...client, IP: '' }, { NAME: 'client', READY: '1/1', STATUS: 'Running', RESTARTS: '0', IP: '', NODE: 'node-a' });
  assert.equal(t.rows.find((x) => x.NAME === 'db-0')!.IP, '10.244.1.50', 'an explicit status.podIP is honoured');
  const ips = t.rows.map((x) => x.IP);
  assert.equal(new Set(ips).size, ips.length, 'no two pods share an IP');
  for (const x of t.rows) assert.ok(cidrContains(cidrOf.get(x.NODE)!, x.IP), `${x.NAME} ${x.IP} lies in ${x.NODE}'s podCIDR`);
});

test('get pods without -n lists every namespace, with a NAMESPACE column (CoreDNS included)', async () => {
  const r = await get('pods', '-f', cluster);
  assert.equal(r.code, 0, r.err);
  const t = table(r.out);
  assert.deepEqual(t.head, ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'IP', 'NODE']);
  const nss = t.rows.map((x) => x.NAMESPACE);
  assert.deepEqual([...new Set(nss)], ['kube-system', 'other', 'shop'], 'sorted by namespace');
  assert.equal(t.rows.filter((x) => x.NAMESPACE === 'kube-system' && x.NAME.startsWith('coredns-')).length, 2);
  // on every node the first pod IP handed out is .2 of its podCIDR (.1 is the bridge cni0)
  for (const [node, first] of [['node-a', '10.244.0.2'], ['node-b', '10.244.1.2']]) {
    assert.ok(t.rows.some((x) => x.NODE === node && x.IP === first), `${first} on ${node}`);
    assert.ok(!t.rows.some((x) => x.NODE === node && /\.(0|1)$/.test(x.IP)), `no pod on ${node} gets .0 or .1`);
  }
  const lonely = t.rows.find((x) => x.NAME === 'lonely')!;
  assert.equal(lonely.NAMESPACE, 'other');
  assert.notEqual(lonely.NODE, '<none>', 'an unpinned pod is scheduled');
  // -A says the same
  assert.equal((await get('pods', '-A', '-f', cluster)).out, r.out);
});

test('get pods -o wide adds kubectl\'s NOMINATED NODE and READINESS GATES columns', async () => {
  const r = await get('pods', '-n', 'shop', '-f', cluster, '-o', 'wide');
  assert.equal(r.code, 0, r.err);
  const t = table(r.out);
  assert.deepEqual(t.head, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
  assert.ok(t.rows.every((x) => x['NOMINATED NODE'] === '<none>' && x['READINESS GATES'] === '<none>'));
});

test('-o json prints a v1 List of the objects as the API server would hold them; no netspec bookkeeping leaks', async () => {
  const r = await get('pods', '-n', 'shop', '-f', cluster, '-o', 'json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.apiVersion, 'v1');
  assert.equal(j.kind, 'List');
  assert.equal(j.items.length, 5);
  const client = j.items.find((p: any) => p.metadata.name === 'client');
  assert.equal(client.kind, 'Pod');
  assert.equal(client.spec.nodeName, 'node-a');
  assert.equal(client.status.phase, 'Running');
  assert.equal(client.status.hostIP, '192.168.1.10');
  assert.deepEqual(client.status.podIPs, [{ ip: client.status.podIP }]);
  const web = j.items.find((p: any) => p.metadata.name.startsWith('web-'));
  assert.equal(web.metadata.ownerReferences[0].kind, 'ReplicaSet');
  assert.ok(!r.out.includes(cluster), 'source positions are not part of the objects');
});

test('-o yaml is the same List as -o json, without YAML anchors, keys sorted as kubectl prints them', async () => {
  const y = await get('pods', '-n', 'shop', '-f', cluster, '-o', 'yaml');
  const j = await get('pods', '-n', 'shop', '-f', cluster, '-o', 'json');
  assert.equal(y.code, 0, y.err);
  assert.deepEqual(parseYaml(y.out), JSON.parse(j.out));
  assert.doesNotMatch(y.out, /[&*]a\d+/, 'pods of one template share objects in memory; the YAML must not show it');
  assert.match(y.out, /^apiVersion: v1\nitems:\n- apiVersion: v1\n {2}kind: Pod\n/);
});

test('-o name prints kind[.group]/name, as kubectl does', async () => {
  const r = await get('pods', '-n', 'shop', '-f', cluster, '-o', 'name', '-l', 'app in (client,db)');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'pod/client\npod/db-0\n');
  const d = await get('deploy,svc', '-n', 'shop', '-f', cluster, '-o', 'name');
  assert.equal(d.out, 'deployment.apps/web\nservice/web\n');
});

test('-l selects by label exactly as Kubernetes does; NotIn and !key match pods that lack the label', async () => {
  const names = async (sel: string) => {
    const r = await get('pods', '-n', 'shop', '-f', cluster, '-o', 'name', '-l', sel);
    assert.equal(r.code, 0, r.err);
    return r.out.trim().split('\n').filter(Boolean).map((l) => l.replace(/^pod\//, '').replace(/^(web)-.*$/, '$1'));
  };
  assert.deepEqual(await names('app=web'), ['web', 'web', 'web']);
  assert.deepEqual(await names('tier=front,app=web'), ['web', 'web', 'web']);
  assert.deepEqual(await names('tier notin (front)'), ['client', 'db-0'], 'client has no tier label and still matches');
  assert.deepEqual(await names('!tier'), ['client']);
  assert.deepEqual(await names('tier'), ['db-0', 'web', 'web', 'web']);
  assert.deepEqual(await names('app!=web'), ['client', 'db-0']);
  const bad = await get('pods', '-f', cluster, '-l', 'app=(web');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /label selector/);
});

test('kind names, short names, plurals, any case and group-qualified names all mean the same kind', async () => {
  const canonical = (await get('pods', '-n', 'shop', '-f', cluster)).out;
  for (const k of ['pod', 'po', 'Pods', 'POD']) assert.equal((await get(k, '-n', 'shop', '-f', cluster)).out, canonical, k);
  const deploy = (await get('deployments', '-n', 'shop', '-f', cluster)).out;
  for (const k of ['deploy', 'deployment', 'deployments.apps', 'deployment.apps']) assert.equal((await get(k, '-n', 'shop', '-f', cluster)).out, deploy, k);
  assert.equal((await get('no', '-f', cluster)).out, (await get('nodes', '-f', cluster)).out);
  assert.equal((await get('ns', '-f', cluster)).out, (await get('namespaces', '-f', cluster)).out);
  assert.equal((await get('svc', '-n', 'shop', '-f', cluster)).out, (await get('services', '-n', 'shop', '-f', cluster)).out);
});

test('services: ClusterIP from the service range, NodePort ports, and the API server\'s own services', async () => {
  const r = await get('svc', '-f', cluster, '-o', 'wide');
  assert.equal(r.code, 0, r.err);
  const t = table(r.out);
  assert.deepEqual(t.head, ['NAMESPACE', 'NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'SELECTOR']);
  const by = new Map(t.rows.map((x) => [`${x.NAMESPACE}/${x.NAME}`, x]));
  assert.equal(by.get('default/kubernetes')!['CLUSTER-IP'], '10.96.0.1');
  assert.equal(by.get('kube-system/kube-dns')!['CLUSTER-IP'], '10.96.0.10');
  const web = by.get('shop/web')!;
  assert.equal(web.TYPE, 'NodePort');
  assert.equal(web['PORT(S)'], '80:30080/TCP');
  assert.equal(web.SELECTOR, 'app=web');
  assert.ok(cidrContains(parseCIDR('10.96.0.0/12'), web['CLUSTER-IP']), web['CLUSTER-IP']);
});

test('several kinds at once: one table each, names prefixed with their kind as kubectl does', async () => {
  const r = await get('deploy,rs,endpointslices', '-n', 'shop', '-f', cluster);
  assert.equal(r.code, 0, r.err);
  const blocks = r.out.trimEnd().split('\n\n').map(table);
  assert.equal(blocks.length, 3);
  assert.deepEqual(blocks[0].head, ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE']);
  assert.deepEqual(blocks[0].rows, [{ NAME: 'deployment.apps/web', READY: '3/3', 'UP-TO-DATE': '3', AVAILABLE: '3' }]);
  assert.match(blocks[1].rows[0].NAME, /^replicaset\.apps\/web-[a-z0-9]+$/);
  assert.equal(blocks[1].rows[0].DESIRED, '3');
  const slice = blocks[2].rows[0];
  assert.match(slice.NAME, /^endpointslice\.discovery\.k8s\.io\/web-[a-z0-9]{5}$/);
  assert.equal(slice.ADDRESSTYPE, 'IPv4');
  assert.equal(slice.PORTS, '8080');
  assert.equal(slice.ENDPOINTS.split(',').length, 3);
});

test('get KIND NAME and TYPE/NAME: -o yaml of one object prints the object, not a List', async () => {
  const one = await get('pod', 'client', '-n', 'shop', '-f', cluster, '-o', 'json');
  assert.equal(one.code, 0, one.err);
  const j = JSON.parse(one.out);
  assert.equal(j.kind, 'Pod');
  assert.equal(j.metadata.name, 'client');
  const two = await get('pod/client', 'svc/web', '-n', 'shop', '-f', cluster, '-o', 'name');
  assert.equal(two.out, 'pod/client\nservice/web\n');
});

test('a name that does not exist: kubectl\'s NotFound message and exit 1, the found ones still printed', async () => {
  const r = await get('pods', 'client', 'nope', '-n', 'shop', '-f', cluster, '-o', 'name');
  assert.equal(r.code, 1);
  assert.equal(r.out, 'pod/client\n');
  assert.match(r.err, /pods "nope" not found in namespace shop/);
});

test('nothing found: "No resources found in NS namespace." on stderr, exit 0', async () => {
  const r = await get('statefulsets', '-n', 'shop', '-f', cluster);
  assert.equal(r.code, 0);
  assert.equal(r.out, '');
  assert.equal(r.err.trim(), 'No resources found in shop namespace.');
  const j = await get('statefulsets', '-n', 'shop', '-f', cluster, '-o', 'json');
  assert.deepEqual(JSON.parse(j.out).items, []);
});

test('an unknown kind is a usage error: exit 2, the known kinds listed, nothing loaded', async () => {
  const r = await get('gadgets', '-f', join(manifestDir(), 'does-not-exist'));
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown kind "gadgets"/);
  assert.match(r.err, /Pod, Service/);
  assert.match(r.err, /Usage: netspec get/);
  assert.doesNotMatch(r.err, /NS-PATH-NOT-FOUND/);
});

test('no -f is a usage error (exit 2); so is no KIND', async () => {
  const r = await get('pods');
  assert.equal(r.code, 2);
  assert.match(r.err, /-f\/--filename is required/);
  assert.equal(r.out, '');
  const k = await get('-f', cluster);
  assert.equal(k.code, 2);
  assert.match(k.err, /name a KIND/);
});

test('a path that does not exist is an input error with its code (exit 2)', async () => {
  const r = await get('pods', '-f', join(manifestDir(), 'nowhere'));
  assert.equal(r.code, 2);
  assert.match(r.err, /nowhere:1:1: error NS-PATH-NOT-FOUND: /);
});

test('a malformed manifest: exit 2, bad.yaml:LINE:COL, the code and a one-line hint; nothing on stdout (issue 2 acceptance)', async () => {
  const bad = manifestFile('bad.yaml', [
    'apiVersion: v1', //            1
    'kind: Service', //             2
    'metadata:', //                 3
    '  name: web', //               4
    'spec:', //                     5
    '  selector: {app: web}', //    6
    '  ports:', //                  7
    '  - port: 80', //              8
    '    targetPort: 99999', //     9
  ].join('\n'));
  const r = await get('pods', '-f', bad);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  const lines = r.err.trimEnd().split('\n');
  assert.match(lines[0], /bad\.yaml:9:17: error NS-PORT-RANGE: Service web: spec\.ports\[0\]\.targetPort: targetPort 99999 is out of range/);
  assert.match(lines[1], /^ {4}hint: \S.*$/);
  assert.equal(lines[2], 'netspec get: 1 input error; nothing was run');
  assert.equal(lines.length, 3);
});

test('a YAML syntax error is reported at its line and column, with a hint', async () => {
  const bad = manifestFile('syntax.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n\tlabels: {}\n');
  const r = await get('pods', '-f', bad);
  assert.equal(r.code, 2);
  assert.match(r.err, /syntax\.yaml:5:1: error NS-YAML-SYNTAX: /);
  assert.match(r.err, /hint: /);
});

test('a directory with three broken files reports all three, in file order, each with file:line:col (issue 2 acceptance)', async () => {
  const broken = join(manifestDir({
    'broken/a-syntax.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {app: web\nspec:\n  containers:\n  - name: app\n    image: nginx\n',
    'broken/b-port.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector: {app: web}\n  ports:\n  - port: 70000\n    targetPort: 8080\n',
    'broken/nested/c-selector.yml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  selector:\n    matchExpressions:\n    - key: app\n      operator: Equals\n      values: [api]\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n      - name: app\n        image: api\n',
    'broken/README.md': '# not a manifest: - {',
  }), 'broken');
  const r = await get('pods', '-f', broken);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  const errs = r.err.split('\n').filter((l) => / error NS-/.test(l));
  assert.equal(errs.length, 3, r.err);
  assert.match(errs[0], /broken\/a-syntax\.yaml:6:1: error NS-YAML-SYNTAX: /);
  assert.match(errs[1], /broken\/b-port\.yaml:9:11: error NS-PORT-RANGE: Service shop\/web: spec\.ports\[0\]\.port: port 70000 is out of range/);
  assert.match(errs[2], /broken\/nested\/c-selector\.yml:10:17: error NS-SELECTOR-OPERATOR: .*"Equals"/);
  assert.equal(r.err.split('\n').filter((l) => /^ {4}hint: \S/.test(l)).length, 3, 'a hint under every error');
  assert.match(r.err, /netspec get: 3 input errors; nothing was run/);
});

test('an unknown kind in a manifest is a warning on stderr; the rest loads (exit 0)', async () => {
  const d = manifestDir({ 'x.yaml': 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: tls\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: nginx\n' });
  const r = await get('pods', '-n', 'default', '-f', d, '-o', 'name');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'pod/p\n');
  assert.match(r.err, /x\.yaml:1:1: warning NS-UNKNOWN-KIND: Certificate "tls" \(cert-manager\.io\/v1\)/);
});

test('the same input gives the same output, byte for byte (names, IPs, nodes)', async () => {
  const a = await get('pods,svc,endpointslices', '-f', cluster, '-o', 'yaml');
  const b = await get('pods,svc,endpointslices', '-f', cluster, '-o', 'yaml');
  assert.equal(a.code, 0, a.err);
  assert.equal(a.out, b.out);
});

test('kubectl\'s columns for workloads, config maps and network policies', async () => {
  const d = manifestDir({ 'all.yaml': `apiVersion: v1
kind: Node
metadata: {name: node-a, labels: {disk: ssd}}
---
apiVersion: v1
kind: Node
metadata: {name: node-b}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: redis, namespace: data}
spec:
  serviceName: redis
  replicas: 2
  selector: {matchLabels: {app: redis}}
  template:
    metadata: {labels: {app: redis}}
    spec: {containers: [{name: redis, image: redis:7}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: data}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      nodeSelector: {disk: ssd}
      containers: [{name: agent, image: agent:1}, {name: sidecar, image: envoy:1}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: data}
data: {a: "1", b: "2"}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: data}
spec:
  podSelector:
    matchExpressions: [{key: app, operator: In, values: [redis, agent]}]
  policyTypes: [Ingress]
` });
  const sts = await get('sts', '-n', 'data', '-f', d, '-o', 'wide');
  assert.equal(sts.code, 0, sts.err);
  assert.deepEqual(table(sts.out).rows, [{ NAME: 'redis', READY: '2/2', CONTAINERS: 'redis', IMAGES: 'redis:7' }]);
  const ds = await get('ds', '-n', 'data', '-f', d, '-o', 'wide');
  assert.deepEqual(table(ds.out).rows, [{
    NAME: 'agent', DESIRED: '1', CURRENT: '1', READY: '1', 'UP-TO-DATE': '1', AVAILABLE: '1', 'NODE SELECTOR': 'disk=ssd',
    CONTAINERS: 'agent,sidecar', IMAGES: 'agent:1,envoy:1', SELECTOR: 'app=agent',
  }], 'one pod: only node-a has disk=ssd');
  const cm = await get('cm', '-n', 'data', '-f', d);
  assert.deepEqual(table(cm.out).rows, [{ NAME: 'settings', DATA: '2' }]);
  const np = await get('netpol', '-n', 'data', '-f', d);
  assert.deepEqual(table(np.out).rows, [{ NAME: 'deny', 'POD-SELECTOR': 'app in (agent,redis)' }]);
});
