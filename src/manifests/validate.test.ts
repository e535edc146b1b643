import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loadSources, validateObjects } from './index';
import { Diagnostics } from '../model/errors';
import { setOrigin, type KObject } from '../model/types';
import { expectError, expectWarning, listed } from './testutil';

function load(lines: string[] | string, name = 'v.yaml'): Diagnostics {
  const diag = new Diagnostics();
  loadSources([{ text: Array.isArray(lines) ? lines.join('\n') + '\n' : lines, name }], diag);
  return diag;
}

test('a realistic, valid set of manifests raises no error (no false positives)', () => {
  const diag = load(`
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: web}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, labels: {app.kubernetes.io/name: web}}
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
    matchExpressions: [{key: tier, operator: NotIn, values: [db]}, {key: canary, operator: DoesNotExist}]
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      initContainers:
      - {name: init, image: busybox, ports: [{containerPort: 8080}]}
      containers:
      - name: app
        image: nginx:1.25
        ports: [{containerPort: 8080, name: http}, {containerPort: 8080, protocol: UDP, name: quic}]
        readinessProbe: {httpGet: {path: /, port: http}}
        livenessProbe: {tcpSocket: {port: 8080}}
        resources: {requests: {cpu: 100m, memory: 64Mi}}
      - name: metrics
        image: exporter
        ports: [{containerPort: 9100, name: metrics}]
      dnsPolicy: None
      dnsConfig: {nameservers: [1.1.1.1], searches: [shop.svc.cluster.local]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: LoadBalancer
  selector: {app: web}
  clusterIP: 10.96.0.20
  clusterIPs: [10.96.0.20, "fd00::20"]
  externalIPs: [203.0.113.7]
  loadBalancerSourceRanges: [192.0.2.0/24, 10.0.0.1/8]
  ports:
  - {name: http, port: 80, targetPort: http}
  - {name: dns, port: 53, targetPort: 5353, protocol: UDP, nodePort: 31053}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec: {clusterIP: None, selector: {app: db}}
---
apiVersion: v1
kind: Service
metadata: {name: ext, namespace: shop}
spec: {type: ExternalName, externalName: db.example.com.}
---
apiVersion: v1
kind: Node
metadata: {name: node-a}
spec: {podCIDR: 10.244.1.0/24, podCIDRs: [10.244.1.0/24, "fd00:1::/64"]}
status:
  addresses: [{type: InternalIP, address: 172.18.0.2}, {type: Hostname, address: node-a}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-abc, namespace: shop, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
endpoints: [{addresses: [10.244.1.5]}]
ports: [{name: http, port: 8080, protocol: TCP}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow, namespace: shop}
spec:
  podSelector: {}
  ingress:
  - from:
    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
    - namespaceSelector: {matchExpressions: [{key: team, operator: In, values: [web]}]}
      podSelector: {matchLabels: {app: client}}
    ports: [{port: 8000, endPort: 9000}, {port: http}]
---
apiVersion: v1
kind: Pod
metadata: {name: pinned, namespace: shop}
spec:
  containers: [{name: c, image: i}]
status: {podIP: 10.244.1.9, podIPs: [{ip: 10.244.1.9}], hostIP: 172.18.0.2}
`);
  assert.deepEqual(listed(diag.errors), []);
});

test('NS-SCHEMA: schema errors from kubernetes-models point at the field', () => {
  const diag = load([
    'apiVersion: apps/v1', //                     1
    'kind: Deployment', //                        2
    'metadata: {name: web}', //                   3
    'spec:', //                                   4
    '  template:', //                             5
    '    metadata: {labels: {app: web}}', //      6
    '    spec:', //                               7
    '      containers:', //                       8
    '      - name: app', //                       9
    '        image: nginx', //                    10
    '        ports: [{containerPort: "80"}]', //  11
    '        resources: {limits: {cpu: lots}}', // 12
    '        imagePullPolicy: Sometimes', //      13
  ]);
  expectError(diag, 'NS-SCHEMA', 'v.yaml:4:1'); // spec.selector is required → at spec
  expectError(diag, 'NS-SCHEMA', 'v.yaml:11:33'); // containerPort must be an integer
  const q = expectError(diag, 'NS-SCHEMA', 'v.yaml:12:35');
  assert.match(q.message, /quantity/);
  const en = expectError(diag, 'NS-SCHEMA', 'v.yaml:13:26');
  assert.match(en.message, /Always, IfNotPresent, Never/);
  assert.equal(diag.errors.length, 4, JSON.stringify(listed(diag.errors)));
});

test('a Pod status with imageID (a dump without uid or resourceVersion, e.g. cleaned by kubectl-neat): the fields netspec drops on reading are not "missing"', () => {
  const pod = (statusExtra: string[]) => [
    'apiVersion: v1', 'kind: Pod', 'metadata: {name: web-1, namespace: shop}',
    'spec: {containers: [{name: web, image: nginx}]}',
    'status:', '  phase: Running', '  podIP: 10.244.0.5', '  containerStatuses:',
    '  - name: web', '    image: nginx', '    ready: true', '    restartCount: 0', ...statusExtra,
  ];
  // imageID is required in ContainerStatus; given, it was read past (UNREAD_IN_POD), so no error
  assert.deepEqual(listed(load(pod(['    imageID: docker-pullable://nginx@sha256:abc', '    containerID: containerd://1'])).errors), []);
  // a field that is truly missing and not one netspec drops is still reported (restartCount here)
  const d = load(pod(['    imageID: x']).filter((l) => !l.includes('restartCount')));
  assert.match(expectError(d, 'NS-SCHEMA', 'v.yaml:9:5').message, /"restartCount" is missing/);
});

test('NS-DUPLICATE-NAME: same kind, namespace and name across inputs; the second is the error, the hint names the first', () => {
  const diag = new Diagnostics();
  const cm = (ns: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n${ns}`;
  loadSources([
    { text: cm('  namespace: default\n'), name: 'a.yaml' },
    { text: cm(''), name: 'b.yaml' }, // no namespace means default
    { text: cm('  namespace: other\n'), name: 'c.yaml' }, // another namespace: fine
    { text: 'apiVersion: v1\nkind: Secret\nmetadata: {name: settings}\n', name: 'd.yaml' }, // another kind: fine
  ], diag);
  const e = expectError(diag, 'NS-DUPLICATE-NAME', 'b.yaml:4:9');
  assert.match(e.hint, /a\.yaml:4:9/);
  assert.equal(diag.errors.length, 1);
});

test('NS-INVALID-IP: Service, Pod, Node, EndpointSlice, Endpoints addresses', () => {
  const diag = load([
    'apiVersion: v1', //                                         1
    'kind: Service', //                                          2
    'metadata: {name: web}', //                                  3
    'spec:', //                                                  4
    '  clusterIP: 10.96.0.256', //                               5
    '  externalIPs: [1.2.3.4, 010.0.0.1]', //                    6
    '  loadBalancerIP: 1.2.3', //                                7
    '  ports: [{port: 80}]', //                                  8
    '---', //                                                    9
    'apiVersion: v1', //                                         10
    'kind: Pod', //                                              11
    'metadata: {name: p}', //                                    12
    'spec: {containers: [{name: c, image: i}]}', //              13
    'status: {podIP: "10.0.0.x", hostIP: "fe80::1%eth0", podIPs: [{ip: "::1::"}]}', // 14
    '---', //                                                    15
    'apiVersion: v1', //                                         16
    'kind: Node', //                                             17
    'metadata: {name: node1}', //                                18
    'status:', //                                                19
    '  addresses:', //                                           20
    '  - {type: InternalIP, address: node-a}', //                21
    '  - {type: Hostname, address: node-a}', //                  22
    '---', //                                                    23
    'apiVersion: discovery.k8s.io/v1', //                        24
    'kind: EndpointSlice', //                                    25
    'metadata: {name: s}', //                                    26
    'addressType: IPv4', //                                      27
    'endpoints: [{addresses: ["fd00::1"]}]', //                  28
    '---', //                                                    29
    'apiVersion: v1', //                                         30
    'kind: Endpoints', //                                        31
    'metadata: {name: e}', //                                    32
    'subsets: [{addresses: [{ip: 300.1.1.1}], ports: [{port: 80}]}]', // 33
  ]);
  expectError(diag, 'NS-INVALID-IP', 'v.yaml:5:14');
  expectError(diag, 'NS-INVALID-IP', 'v.yaml:6:26');
  expectError(diag, 'NS-INVALID-IP', 'v.yaml:7:19');
  expectError(diag, 'NS-INVALID-IP', 'v.yaml:14:17');
  expectError(diag, 'NS-INVALID-IP', 'v.yaml:14:37');
  expectError(diag, 'NS-INVALID-IP', 'v.yaml:14:67');
  expectError(diag, 'NS-INVALID-IP', 'v.yaml:21:33');
  const fam = expectError(diag, 'NS-INVALID-IP', 'v.yaml:28:26');
  assert.match(fam.message, /not an IPv4 address/);
  expectError(diag, 'NS-INVALID-IP', 'v.yaml:33:29');
  assert.equal(diag.errors.length, 9, JSON.stringify(listed(diag.errors)));
});

test('NS-INVALID-CIDR: Node podCIDR(s), Service loadBalancerSourceRanges, NetworkPolicy ipBlock cidr/except', () => {
  const diag = load([
    'apiVersion: v1', //                                                    1
    'kind: Node', //                                                        2
    'metadata: {name: node1}', //                                           3
    'spec: {podCIDR: 10.244.0.0/33, podCIDRs: [10.244.0.0/33]}', //         4
    '---', //                                                               5
    'apiVersion: v1', //                                                    6
    'kind: Service', //                                                     7
    'metadata: {name: web}', //                                             8
    'spec: {ports: [{port: 80}], loadBalancerSourceRanges: [10.0.0.0]}', // 9
    '---', //                                                               10
    'apiVersion: networking.k8s.io/v1', //                                  11
    'kind: NetworkPolicy', //                                               12
    'metadata: {name: np}', //                                              13
    'spec:', //                                                             14
    '  podSelector: {}', //                                                 15
    '  egress:', //                                                         16
    '  - to:', //                                                           17
    '    - ipBlock: {cidr: 10.0.0.0/8, except: [192.168.0.0/16, bad]}', // 18
    '    - ipBlock: {cidr: 1.2.3.4/40}', //                                 19
  ]);
  expectError(diag, 'NS-INVALID-CIDR', 'v.yaml:4:17');
  expectError(diag, 'NS-INVALID-CIDR', 'v.yaml:4:43');
  expectError(diag, 'NS-INVALID-CIDR', 'v.yaml:9:56');
  const sub = expectError(diag, 'NS-INVALID-CIDR', 'v.yaml:18:44');
  assert.match(sub.message, /strict subset/);
  expectError(diag, 'NS-INVALID-CIDR', 'v.yaml:18:60');
  expectError(diag, 'NS-INVALID-CIDR', 'v.yaml:19:23');
  assert.equal(diag.errors.length, 6, JSON.stringify(listed(diag.errors)));
});

test('NS-PORT-RANGE and NS-PROTOCOL: container, Service, probe, NetworkPolicy and Ingress ports', () => {
  const diag = load([
    'apiVersion: v1', //                                                            1
    'kind: Pod', //                                                                 2
    'metadata: {name: p}', //                                                       3
    'spec:', //                                                                     4
    '  containers:', //                                                             5
    '  - name: c', //                                                               6
    '    image: i', //                                                              7
    '    ports: [{containerPort: 0}, {containerPort: 80, hostPort: 65536}]', //     8
    '    readinessProbe: {httpGet: {port: 70000}}', //                              9
    '---', //                                                                       10
    'apiVersion: v1', //                                                            11
    'kind: Service', //                                                             12
    'metadata: {name: s}', //                                                       13
    'spec:', //                                                                     14
    '  ports:', //                                                                  15
    '  - {name: a, port: 80, targetPort: 0, protocol: ICMP}', //                    16
    '  - {name: b, port: 81, nodePort: 99999}', //                                  17
    '---', //                                                                       18
    'apiVersion: networking.k8s.io/v1', //                                          19
    'kind: NetworkPolicy', //                                                       20
    'metadata: {name: np}', //                                                      21
    'spec:', //                                                                     22
    '  podSelector: {}', //                                                         23
    '  ingress: [{ports: [{port: 9000, endPort: 8000}, {protocol: tcp}]}]', //      24
    '---', //                                                                       25
    'apiVersion: networking.k8s.io/v1', //                                          26
    'kind: Ingress', //                                                             27
    'metadata: {name: ing}', //                                                     28
    'spec: {defaultBackend: {service: {name: s, port: {number: 65536}}}}', //       29
  ]);
  expectError(diag, 'NS-PORT-RANGE', 'v.yaml:8:29');
  expectError(diag, 'NS-PORT-RANGE', 'v.yaml:8:63');
  expectError(diag, 'NS-PORT-RANGE', 'v.yaml:9:38');
  expectError(diag, 'NS-PORT-RANGE', 'v.yaml:16:37');
  expectError(diag, 'NS-PROTOCOL', 'v.yaml:16:50');
  expectError(diag, 'NS-PORT-RANGE', 'v.yaml:17:35');
  expectError(diag, 'NS-PORT-RANGE', 'v.yaml:24:44');
  expectError(diag, 'NS-PROTOCOL', 'v.yaml:24:62');
  expectError(diag, 'NS-PORT-RANGE', 'v.yaml:29:59');
  assert.equal(diag.errors.length, 9, JSON.stringify(listed(diag.errors)));
});

test('NS-PORT-NAME and NS-DUPLICATE-PORT: Service port names and duplicate port+protocol', () => {
  const diag = load([
    'apiVersion: v1', //                                 1
    'kind: Service', //                                  2
    'metadata: {name: s}', //                            3
    'spec:', //                                          4
    '  ports:', //                                       5
    '  - {name: web, port: 80}', //                      6
    '  - {name: web, port: 81}', //                      7
    '  - {port: 80}', //                                 8
    '  - {name: Bad_Name, port: 82}', //                 9
    '---', //                                            10
    'apiVersion: v1', //                                 11
    'kind: Pod', //                                      12
    'metadata: {name: p}', //                            13
    'spec:', //                                          14
    '  containers:', //                                  15
    '  - name: c', //                                    16
    '    image: i', //                                   17
    '    ports: [{containerPort: 80, name: http-web-frontend}]', // 18
  ]);
  expectError(diag, 'NS-PORT-NAME', 'v.yaml:7:12');
  expectError(diag, 'NS-PORT-NAME', 'v.yaml:8:5');
  expectError(diag, 'NS-DUPLICATE-PORT', 'v.yaml:8:12');
  expectError(diag, 'NS-PORT-NAME', 'v.yaml:9:12');
  expectError(diag, 'NS-PORT-NAME', 'v.yaml:18:39');
  assert.equal(diag.errors.length, 5, JSON.stringify(listed(diag.errors)));
});

test('NS-SELECTOR-OPERATOR, NS-SELECTOR, NS-SELECTOR-MISMATCH: label selectors as the API server checks them', () => {
  const diag = load([
    'apiVersion: apps/v1', //                                                              1
    'kind: Deployment', //                                                                 2
    'metadata: {name: a}', //                                                              3
    'spec:', //                                                                            4
    '  selector:', //                                                                      5
    '    matchExpressions: [{key: app, operator: Equals, values: [web]}]', //              6
    '  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: i}]}}', // 7
    '---', //                                                                              8
    'apiVersion: apps/v1', //                                                              9
    'kind: ReplicaSet', //                                                                 10
    'metadata: {name: b}', //                                                              11
    'spec:', //                                                                            12
    '  selector: {matchExpressions: [{key: app, operator: Exists, values: [x]}]}', //      13
    '  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: i}]}}', // 14
    '---', //                                                                              15
    'apiVersion: apps/v1', //                                                              16
    'kind: DaemonSet', //                                                                  17
    'metadata: {name: c}', //                                                              18
    'spec:', //                                                                            19
    '  selector: {matchLabels: {app: agent}}', //                                          20
    '  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: i}]}}', // 21
    '---', //                                                                              22
    'apiVersion: networking.k8s.io/v1', //                                                 23
    'kind: NetworkPolicy', //                                                              24
    'metadata: {name: np}', //                                                             25
    'spec:', //                                                                            26
    '  podSelector: {matchExpressions: [{key: app, operator: in, values: [a]}]}', //       27
  ]);
  expectError(diag, 'NS-SELECTOR-OPERATOR', 'v.yaml:6:45');
  expectError(diag, 'NS-SELECTOR', 'v.yaml:13:62');
  const m = expectError(diag, 'NS-SELECTOR-MISMATCH', 'v.yaml:20:3');
  assert.match(m.message, /app=agent/);
  expectError(diag, 'NS-SELECTOR-OPERATOR', 'v.yaml:27:57');
  assert.equal(diag.errors.length, 4, JSON.stringify(listed(diag.errors)));
});

// pkg/api/pod/warnings.go warningsForPodSpecAndMeta: the same containerPort/protocol twice in a pod
// (init containers, then containers) is a warning at the repeat, naming the first; kubectl apply
// prints "Warning: spec.containers[1].ports[0]: duplicate port definition with spec.containers[0].ports[0]"
test('NS-CONTAINER-PORT: two containers of one pod (or pod template) declaring the same port and protocol is the API server\'s warning, not an error', () => {
  const diag = load([
    'apiVersion: v1', //                                            1
    'kind: Pod', //                                                 2
    'metadata: {name: p}', //                                       3
    'spec:', //                                                     4
    '  containers:', //                                             5
    '  - name: app', //                                             6
    '    image: i', //                                              7
    '    ports: [{containerPort: 8080}]', //                        8
    '  - name: sidecar', //                                         9
    '    image: j', //                                              10
    '    ports: [{containerPort: 8080, protocol: UDP}, {containerPort: 8080}]', // 11
    '---', //                                                       12
    'apiVersion: batch/v1', //                                      13
    'kind: CronJob', //                                             14
    'metadata: {name: cj}', //                                      15
    'spec:', //                                                     16
    '  schedule: "* * * * *"', //                                   17
    '  jobTemplate:', //                                            18
    '    spec:', //                                                 19
    '      template:', //                                           20
    '        spec:', //                                             21
    '          restartPolicy: Never', //                            22
    '          initContainers:', //                                 23
    '          - {name: proxy, image: p, restartPolicy: Always, ports: [{containerPort: 15001}]}', // 24
    '          containers:', //                                     25
    '          - {name: app, image: a, ports: [{containerPort: 15001}]}', // 26
  ]);
  const w = expectWarning(diag, 'NS-CONTAINER-PORT', 'v.yaml:11:67');
  assert.match(w.message, /spec\.containers\[1\]\.ports\[1\]: duplicate port definition with spec\.containers\[0\]\.ports\[0\] \(v\.yaml:8:13\)/);
  assert.match(w.message, /network namespace/);
  const s = expectWarning(diag, 'NS-CONTAINER-PORT', 'v.yaml:26:59');
  assert.match(s.message, /spec\.jobTemplate\.spec\.template\.spec\.containers\[0\]\.ports\[0\]: duplicate port definition with spec\.jobTemplate\.spec\.template\.spec\.initContainers\[0\]\.ports\[0\]/);
  assert.equal(diag.warnings.filter((x) => x.code === 'NS-CONTAINER-PORT').length, 2, JSON.stringify(listed(diag.warnings)));
  assert.equal(diag.errors.length, 0, JSON.stringify(listed(diag.errors)));
});

test('NS-PORT-CLASH for host ports and NS-HOSTPORT for hostNetwork pods', () => {
  const diag = load([
    'apiVersion: v1', //                                                           1
    'kind: Pod', //                                                                2
    'metadata: {name: p}', //                                                      3
    'spec:', //                                                                    4
    '  containers:', //                                                            5
    '  - {name: a, image: i, ports: [{containerPort: 80, hostPort: 8080}]}', //    6
    '  - {name: b, image: i, ports: [{containerPort: 81, hostPort: 8080}]}', //    7
    '---', //                                                                      8
    'apiVersion: v1', //                                                           9
    'kind: Pod', //                                                                10
    'metadata: {name: h}', //                                                      11
    'spec:', //                                                                    12
    '  hostNetwork: true', //                                                      13
    '  containers:', //                                                            14
    '  - {name: a, image: i, ports: [{containerPort: 80, hostPort: 8080}]}', //    15
  ]);
  expectError(diag, 'NS-PORT-CLASH', 'v.yaml:7:63');
  expectError(diag, 'NS-HOSTPORT', 'v.yaml:15:63');
  assert.equal(diag.errors.length, 2, JSON.stringify(listed(diag.errors)));
});

test('NS-INVALID-NAME: Service names are DNS-1035 labels, Namespace names DNS-1123 labels, others subdomains', () => {
  const diag = load([
    'apiVersion: v1', //                           1
    'kind: Service', //                            2
    'metadata: {name: 1web}', //                   3
    'spec: {ports: [{port: 80}]}', //              4
    '---', //                                      5
    'apiVersion: v1', //                           6
    'kind: Namespace', //                          7
    'metadata: {name: my.team}', //                8
    '---', //                                      9
    'apiVersion: v1', //                           10
    'kind: ConfigMap', //                          11
    'metadata: {name: Settings, namespace: Shop}', // 12
    '---', //                                      13
    'apiVersion: v1', //                           14
    'kind: Service', //                            15
    'metadata: {name: ext}', //                    16
    'spec: {type: ExternalName, externalName: "bad_host"}', // 17
    '---', //                                      18
    'apiVersion: v1', //                           19
    'kind: Pod', //                                20
    'metadata: {name: web.v1}', //                 21
    'spec: {containers: [{name: c, image: i}]}', // 22
  ]);
  expectError(diag, 'NS-INVALID-NAME', 'v.yaml:3:18');
  expectError(diag, 'NS-INVALID-NAME', 'v.yaml:8:18');
  expectError(diag, 'NS-INVALID-NAME', 'v.yaml:12:18');
  expectError(diag, 'NS-INVALID-NAME', 'v.yaml:12:39');
  expectError(diag, 'NS-INVALID-NAME', 'v.yaml:17:42');
  assert.equal(diag.errors.length, 5, JSON.stringify(listed(diag.errors)));
});

test('NS-LABEL: invalid label keys and values', () => {
  const diag = load([
    'apiVersion: v1', //                                            1
    'kind: Pod', //                                                 2
    'metadata:', //                                                 3
    '  name: p', //                                                 4
    '  labels:', //                                                 5
    '    "bad key": x', //                                          6
    '    app: "has space"', //                                      7
    '    example.com/ok: fine', //                                  8
    'spec: {containers: [{name: c, image: i}]}', //                 9
  ]);
  expectError(diag, 'NS-LABEL', 'v.yaml:6:5'); // a bad key is reported at the key
  expectError(diag, 'NS-LABEL', 'v.yaml:7:10'); // a bad value at the value
  assert.equal(diag.errors.length, 2, JSON.stringify(listed(diag.errors)));
});

test('NS-DNS-CONFIG, NS-NETPOL-PEER, NS-INVALID-VALUE, NS-MISSING-FIELD in specs', () => {
  const diag = load([
    'apiVersion: v1', //                                                  1
    'kind: Pod', //                                                       2
    'metadata: {name: p}', //                                             3
    'spec:', //                                                           4
    '  dnsPolicy: None', //                                               5
    '  containers: [{name: c, image: i}]', //                             6
    '---', //                                                             7
    'apiVersion: networking.k8s.io/v1', //                                8
    'kind: NetworkPolicy', //                                             9
    'metadata: {name: np}', //                                            10
    'spec:', //                                                           11
    '  podSelector: {}', //                                               12
    '  ingress:', //                                                      13
    '  - from:', //                                                       14
    '    - podSelector: {}', //                                           15
    '      ipBlock: {cidr: 10.0.0.0/8}', //                               16
    '---', //                                                             17
    'apiVersion: apps/v1', //                                             18
    'kind: StatefulSet', //                                               19
    'metadata: {name: db}', //                                            20
    'spec:', //                                                           21
    '  replicas: -1', //                                                  22
    '  serviceName: db', //                                               23
    '  selector: {matchLabels: {app: db}}', //                            24
    '  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: i}]}}', // 25
    '---', //                                                             26
    'apiVersion: v1', //                                                  27
    'kind: Service', //                                                   28
    'metadata: {name: noports}', //                                       29
    'spec: {selector: {app: x}}', //                                      30
    '---', //                                                             31
    'apiVersion: v1', //                                                  32
    'kind: Service', //                                                   33
    'metadata: {name: alias}', //                                         34
    'spec: {type: ExternalName}', //                                      35
    '---', //                                                             36
    'apiVersion: v1', //                                                  37
    'kind: Pod', //                                                       38
    'metadata: {name: empty}', //                                         39
  ]);
  expectError(diag, 'NS-DNS-CONFIG', 'v.yaml:5:14');
  expectError(diag, 'NS-NETPOL-PEER', 'v.yaml:16:7');
  expectError(diag, 'NS-INVALID-VALUE', 'v.yaml:22:13');
  expectError(diag, 'NS-MISSING-FIELD', 'v.yaml:30:1');
  expectError(diag, 'NS-MISSING-FIELD', 'v.yaml:35:1');
  expectError(diag, 'NS-MISSING-FIELD', 'v.yaml:37:1'); // a Pod without a spec
  assert.equal(diag.errors.length, 6, JSON.stringify(listed(diag.errors)));
});

test('validateObjects works on objects made in code (no origin): errors without a position, never a crash', () => {
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 0 }] } } as KObject;
  const diag = new Diagnostics();
  validateObjects([svc], diag);
  assert.equal(diag.errors[0].code, 'NS-PORT-RANGE');
  assert.equal(diag.errors[0].pos, undefined);
  setOrigin(svc, { file: 'steps.feature', line: 7, col: 5 });
  const d2 = new Diagnostics();
  validateObjects([svc], d2);
  assert.deepEqual(d2.errors[0].pos, { file: 'steps.feature', line: 7, col: 5 });
});

test('property: a Service port is accepted exactly when it lies in 1..65535', () => {
  fc.assert(fc.property(fc.integer({ min: -70000, max: 140000 }), (port) => {
    const diag = new Diagnostics();
    validateObjects([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port, targetPort: 8080 }] } } as KObject], diag);
    const bad = diag.errors.some((e) => e.code === 'NS-PORT-RANGE');
    return bad === (port < 1 || port > 65535);
  }), { numRuns: 300, seed: 7 });
});

// Its speed at real sizes is a figure of bench/foundation.ts (load + realise), never a timed test:
// a time bound fails on a busy machine. What a unit test can prove, no false positive on many
// objects of these shapes (each validated on its own), holds at a tenth of the size.
test('schema validation of 500 Nodes and 200 Deployments raises no false positive', () => {
  const objs: KObject[] = [];
  for (let i = 0; i < 500; i++) {
    objs.push({ apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}` } }, spec: { podCIDR: `10.${(i >> 8) + 1}.${i & 255}.0/24` }, status: { addresses: [{ type: 'InternalIP', address: `172.18.${i >> 8}.${i & 255}` }] } });
  }
  for (let i = 0; i < 200; i++) {
    objs.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `web-${i}`, namespace: `ns-${i % 100}` }, spec: { replicas: 3, selector: { matchLabels: { app: `web-${i}` } }, template: { metadata: { labels: { app: `web-${i}` } }, spec: { containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 8080 }], resources: { requests: { cpu: '100m' } } }] } } } });
  }
  const diag = new Diagnostics();
  validateObjects(objs, diag);
  assert.deepEqual(listed(diag.errors), []);
});

test('NS-SCHEDULING: topology spread and pod affinity fields the scheduler reads, in the API server\'s words (validateTopologySpreadConstraints, validatePodAffinityTerm)', () => {
  const diag = load([
    'apiVersion: v1', //                                                                             1
    'kind: Pod', //                                                                                  2
    'metadata: {name: web, namespace: shop, labels: {app: web}}', //                                 3
    'spec:', //                                                                                      4
    '  containers: [{name: app, image: nginx}]', //                                                  5
    '  topologySpreadConstraints:', //                                                               6
    '  - {maxSkew: 0, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {}}', //   7
    '  - {maxSkew: 1, topologyKey: "", whenUnsatisfiable: Sometimes}', //                             8
    '  - {maxSkew: 1, topologyKey: host, whenUnsatisfiable: ScheduleAnyway, minDomains: 2}', //       9
    '  - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, nodeTaintsPolicy: Maybe}', // 10
    '  affinity:', //                                                                                11
    '    podAntiAffinity:', //                                                                       12
    '      requiredDuringSchedulingIgnoredDuringExecution:', //                                      13
    '      - {topologyKey: "", labelSelector: {matchLabels: {app: web}}}', //                        14
  ]);
  assert.match(expectError(diag, 'NS-SCHEDULING', 'v.yaml:7:15').message, /spec\.topologySpreadConstraints\[0\]\.maxSkew: Invalid value: 0: must be greater than zero/);
  assert.match(expectError(diag, 'NS-SCHEDULING', 'v.yaml:8:31').message, /topologyKey: Required value: can not be empty/);
  assert.match(expectError(diag, 'NS-SCHEDULING', 'v.yaml:8:54').message, /whenUnsatisfiable: Unsupported value: "Sometimes": supported values: "DoNotSchedule", "ScheduleAnyway"/);
  assert.match(expectError(diag, 'NS-SCHEDULING', 'v.yaml:9:84').message, /minDomains: Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway/);
  assert.match(expectError(diag, 'NS-SCHEDULING', 'v.yaml:10:31').message, /topologyKey: Duplicate value: "\{zone, DoNotSchedule\}"/);
  assert.match(expectError(diag, 'NS-SCHEDULING', 'v.yaml:10:89').message, /nodeTaintsPolicy: Unsupported value: "Maybe": supported values: "Honor", "Ignore"/);
  assert.match(expectError(diag, 'NS-SCHEDULING', 'v.yaml:14:23').message, /podAntiAffinity\.requiredDuringSchedulingIgnoredDuringExecution\[0\]\.topologyKey: Required value: can not be empty/);
  assert.equal(diag.errors.length, 7, JSON.stringify(listed(diag.errors)));
});
