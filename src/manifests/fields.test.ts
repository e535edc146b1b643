// Errors located where the problem is (issue 14 item 9): strict field validation, label keys,
// container ports. Each test names the Kubernetes source of the fact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSources } from './index';
import { Diagnostics } from '../model/errors';
import { closest, distance, unknownFields, hasFieldTable } from './fields';
import { KNOWN_KINDS_FIELDS, KNOWN_TYPES } from './known-fields';
import { SERVED, modelModule } from './kinds';
import { expectError, expectWarning, listed } from './testutil';

function load(lines: string[], name = 'f.yaml'): Diagnostics {
  const diag = new Diagnostics();
  loadSources([{ text: lines.join('\n') + '\n', name }], diag);
  return diag;
}

// k8s.io/apimachinery/pkg/runtime/serializer/json (strict decoding with sigs.k8s.io/json) and
// runtime.NewStrictDecodingError: kubectl apply (fieldValidation=Strict, the default since 1.27)
// answers `Service in version "v1" cannot be handled as a Service: strict decoding error:
// unknown field "spec.ports[0].nodeport"`.
test('NS-UNKNOWN-FIELD: a field the schema does not declare is refused, at its key, with the closest declared field as hint', () => {
  const diag = load([
    'apiVersion: apps/v1', //                         1
    'kind: Deployment', //                            2
    'metadata:', //                                   3
    '  name: web', //                                 4
    '  app: web', //                                  5   metadata has no "app"
    'spec:', //                                       6
    '  selector: {matchLabels: {app: web}}', //       7
    '  template:', //                                 8
    '    metadata: {labels: {app: web}}', //          9
    '    spec:', //                                   10
    '      contianers:', //                           11  typo of containers
    '      - name: c', //                             12
    '        image: nginx', //                        13
    '      containers:', //                           14
    '      - name: app', //                           15
    '        image: nginx', //                        16
    '        ports:', //                              17
    '        - containerPort: 80', //                 18
    '          protcol: TCP', //                      19
    '---', //                                         20
    'apiVersion: v1', //                              21
    'kind: Service', //                               22
    'metadata: {name: web}', //                       23
    'spec:', //                                       24
    '  type: NodePort', //                            25
    '  ports: [{port: 80, nodeport: 30080}]', //      26  case: nodePort
    '  selector: {app: web}', //                      27
    '  zzzzzzzz: 1', //                               28  nothing close
  ]);
  const m = expectError(diag, 'NS-UNKNOWN-FIELD', 'f.yaml:5:3');
  assert.equal(m.message, 'Deployment web: strict decoding error: unknown field "metadata.app"');
  const c = expectError(diag, 'NS-UNKNOWN-FIELD', 'f.yaml:11:7');
  assert.match(c.message, /unknown field "spec\.template\.spec\.contianers"/);
  assert.match(c.hint, /did you mean "containers"\?/);
  assert.match(c.hint, /Deployment in version "v1" cannot be handled as a Deployment/);
  assert.match(expectError(diag, 'NS-UNKNOWN-FIELD', 'f.yaml:19:11').hint, /did you mean "protocol"\?/);
  const n = expectError(diag, 'NS-UNKNOWN-FIELD', 'f.yaml:26:22');
  assert.match(n.message, /unknown field "spec\.ports\[0\]\.nodeport"/);
  assert.match(n.hint, /did you mean "nodePort"\?/);
  const z = expectError(diag, 'NS-UNKNOWN-FIELD', 'f.yaml:28:3');
  assert.doesNotMatch(z.hint, /did you mean/);
  assert.match(z.hint, /its fields are .*clusterIP.*kubectl explain service\.spec/);
  assert.equal(diag.errors.length, 5, JSON.stringify(listed(diag.errors)));
});

test('NS-UNKNOWN-FIELD: maps (labels, annotations, data, nodeSelector, resources) take any key; status and metadata are walked; opaque JSON is not', () => {
  const diag = load([
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: p',
    '  labels: {anything: x}',
    '  annotations: {"example.com/whatever": "{}"}',
    '  managedFields: [{manager: kubectl, operation: Apply, fieldsV1: {"f:spec": {"f:anything": {}}}}]',
    'spec:',
    '  nodeSelector: {disk: ssd}',
    '  containers:',
    '  - name: c',
    '    image: i',
    '    resources: {limits: {cpu: "1", example.com/gpu: "1"}}',
    'status:',
    '  podIP: 10.244.0.5',
    '  podIPs: [{ip: 10.244.0.5}]',
    '  phase: Running',
    '  hostIp: 10.0.0.1', // 18: the field is hostIP
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: cm}',
    'data: {any-key: v}',
  ]);
  const e = expectError(diag, 'NS-UNKNOWN-FIELD', 'f.yaml:18:3');
  assert.match(e.hint, /did you mean "hostIP"\?/);
  assert.equal(diag.errors.length, 1, JSON.stringify(listed(diag.errors)));
});

test('NS-UNKNOWN-FIELD: an object an API server already stored (uid + resourceVersion: a snapshot) is not walked, as its schema is not checked again', () => {
  const diag = load([
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: p, uid: 0b6f3c2e-1111-2222-3333-444455556666, resourceVersion: "123"}',
    'spec: {containers: [{name: c, image: i}], fieldFromANewerRelease: true}',
    'status: {newerStatusField: 1}',
  ]);
  assert.deepEqual(listed(diag.errors), []);
});

test('NS-UNKNOWN-FIELD: kinds without a table (CRDs such as Istio\'s and the Network Policy API\'s) are left to their own checks', () => {
  assert.equal(hasFieldTable('networking.istio.io/v1', 'VirtualService'), false);
  assert.equal(hasFieldTable('policy.networking.k8s.io/v1alpha1', 'AdminNetworkPolicy'), false);
  assert.deepEqual(unknownFields({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', spec: { whatever: 1 } }), []);
  const diag = load([
    'apiVersion: networking.istio.io/v1',
    'kind: VirtualService',
    'metadata: {name: v}',
    'spec: {hosts: [web], http: [{route: [{destination: {host: web}}]}]}',
  ]);
  assert.deepEqual(listed(diag.errors).filter((x) => x.startsWith('NS-UNKNOWN-FIELD')), []);
});

test('the known-field table covers every built-in kind kubernetes-models validates, and reads own keys only ("constructor", "__proto__" are unknown fields)', () => {
  for (const [kind, versions] of Object.entries(SERVED)) {
    for (const v of versions) {
      const mod = modelModule(v, kind);
      if (mod) assert.ok(hasFieldTable(v, kind), `${v}/${kind} has a field table`);
    }
  }
  for (const root of Object.values(KNOWN_KINDS_FIELDS)) assert.ok(KNOWN_TYPES[root], root);
  const obj = JSON.parse('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","__proto__":{"x":1}},"spec":{"constructor":1,"containers":[]}}');
  const u = unknownFields(obj).map((x) => x.path.join('.'));
  assert.deepEqual(u.sort(), ['metadata.__proto__', 'spec.constructor']);
  assert.equal(({} as any).x, undefined);
});

test('closest(): case-insensitive match first, else the least edit distance (a swap counts 1) within a third of the length', () => {
  assert.equal(distance('contianers', 'containers'), 1);
  assert.equal(distance('kitten', 'sitting'), 3);
  assert.equal(closest('nodeport', ['port', 'nodePort', 'name']), 'nodePort');
  assert.equal(closest('contianers', ['initContainers', 'containers']), 'containers');
  assert.equal(closest('selectr', ['selector', 'type']), 'selector');
  assert.equal(closest('zzzzzzzz', ['clusterIP', 'ports']), undefined);
});

// apimachinery validation.ValidateLabels (called by ValidateObjectMeta, and by ValidatePodSpec
// for nodeSelector): keys are qualified names; "__proto__" is a bad key, reported at the key, and
// reading it sets no prototype.
test('NS-LABEL: a bad label key (also "__proto__") is reported at the key; nodeSelector keys are label keys too; no prototype pollution', () => {
  const diag = load([
    'apiVersion: apps/v1', //                                 1
    'kind: Deployment', //                                    2
    'metadata:', //                                           3
    '  name: web', //                                         4
    '  labels:', //                                           5
    '    __proto__: {polluted: yes}', //                      6
    '    app: web', //                                        7
    'spec:', //                                               8
    '  selector: {matchLabels: {app: web}}', //               9
    '  template:', //                                         10
    '    metadata:', //                                       11
    '      labels:', //                                       12
    '        app: web', //                                    13
    '        __proto__: x', //                                14
    '    spec:', //                                           15
    '      nodeSelector:', //                                 16
    '        "disk type": ssd', //                            17
    '        zone: "eu west"', //                             18
    '      containers: [{name: c, image: i}]', //             19
  ]);
  const p = expectError(diag, 'NS-LABEL', 'f.yaml:6:5');
  assert.match(p.message, /metadata\.labels\.__proto__: label key "__proto__" is invalid/);
  expectError(diag, 'NS-LABEL', 'f.yaml:14:9');
  assert.match(expectError(diag, 'NS-LABEL', 'f.yaml:17:9').message, /spec\.template\.spec\.nodeSelector\.disk type: label key "disk type"/);
  assert.match(expectError(diag, 'NS-LABEL', 'f.yaml:18:15').message, /label value "eu west"/);
  assert.equal(({} as any).polluted, undefined);
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
});

// pkg/apis/core/validation validateContainerPorts: a port name repeats within one container →
// field.Duplicate ("Duplicate value"); AccumulateUniqueHostPorts: protocol/hostIP/hostPort once among
// the containers; a hostNetwork pod's hostPort defaults to its containerPort (core/v1 defaults.go),
// so there a repeated containerPort is that error.
test('NS-PORT-NAME and NS-PORT-CLASH: a repeated port name in a container, a repeated host binding, a repeated containerPort in a hostNetwork pod', () => {
  const diag = load([
    'apiVersion: v1', //                                                                                   1
    'kind: Pod', //                                                                                        2
    'metadata: {name: p}', //                                                                              3
    'spec:', //                                                                                            4
    '  containers:', //                                                                                    5
    '  - {name: a, image: i, ports: [{name: http, containerPort: 80}, {name: http, containerPort: 81}]}', // 6
    '  - {name: b, image: i, ports: [{name: http, containerPort: 82, hostPort: 9000}]}', //                7
    '  - {name: c, image: i, ports: [{containerPort: 83, hostPort: 9000, hostIP: 10.0.0.1}, {containerPort: 84, hostPort: 9000}]}', // 8
    '---', //                                                                                              9
    'apiVersion: v1', //                                                                                   10
    'kind: Pod', //                                                                                        11
    'metadata: {name: h}', //                                                                              12
    'spec:', //                                                                                            13
    '  hostNetwork: true', //                                                                              14
    '  containers:', //                                                                                    15
    '  - {name: a, image: i, ports: [{containerPort: 80}]}', //                                            16
    '  - {name: b, image: i, ports: [{containerPort: 80}]}', //                                            17
  ]);
  const n = expectError(diag, 'NS-PORT-NAME', 'f.yaml:6:73');
  assert.match(n.message, /spec\.containers\[0\]\.ports\[1\]\.name: Duplicate value: "http"/);
  assert.match(n.hint, /ports\[0\] at f\.yaml:6:40/);
  const h = expectError(diag, 'NS-PORT-CLASH', 'f.yaml:8:118');
  assert.match(h.message, /spec\.containers\[2\]\.ports\[1\]\.hostPort: Duplicate value: "TCP\/\/9000"/);
  assert.match(h.hint, /spec\.containers\[1\]\.ports\[0\]\.hostPort at f\.yaml:7:75/);
  const hn = expectError(diag, 'NS-PORT-CLASH', 'f.yaml:17:49');
  assert.match(hn.message, /Duplicate value: "TCP\/\/80".*hostPort defaults to containerPort/);
  assert.equal(diag.errors.length, 3, JSON.stringify(listed(diag.errors)));
});

// pkg/api/pod/warnings.go: duplicate (same hostIP and hostPort), overlapping (one hostPort 0),
// dangerously ambiguous (same hostPort, one hostIP empty); "hostIP set without hostPort".
test('NS-CONTAINER-PORT warnings in the API server\'s words, at the repeat', () => {
  const diag = load([
    'apiVersion: v1', //                                                                                                     1
    'kind: Pod', //                                                                                                          2
    'metadata: {name: p}', //                                                                                                3
    'spec:', //                                                                                                              4
    '  containers:', //                                                                                                      5
    '  - {name: a, image: i, ports: [{containerPort: 80}, {containerPort: 80}]}', //                                         6
    '  - {name: b, image: i, ports: [{containerPort: 81, hostPort: 8081}, {containerPort: 81}]}', //                         7
    '  - {name: c, image: i, ports: [{containerPort: 82, hostPort: 8082}, {containerPort: 82, hostPort: 8082, hostIP: 10.0.0.1}]}', // 8
    '  - {name: d, image: i, ports: [{containerPort: 83, hostIP: 10.0.0.1}]}', //                                            9
  ]);
  assert.match(expectWarning(diag, 'NS-CONTAINER-PORT', 'f.yaml:6:70').message, /spec\.containers\[0\]\.ports\[1\]: duplicate port definition with spec\.containers\[0\]\.ports\[0\]/);
  assert.match(expectWarning(diag, 'NS-CONTAINER-PORT', 'f.yaml:7:86').message, /spec\.containers\[1\]\.ports\[1\]: overlapping port definition with spec\.containers\[1\]\.ports\[0\]/);
  assert.match(expectWarning(diag, 'NS-CONTAINER-PORT', 'f.yaml:8:86').message, /spec\.containers\[2\]\.ports\[1\]: dangerously ambiguous port definition with spec\.containers\[2\]\.ports\[0\]/);
  assert.match(expectWarning(diag, 'NS-CONTAINER-PORT', 'f.yaml:9:61').message, /spec\.containers\[3\]\.ports\[0\]: hostIP set without hostPort/);
  assert.equal(diag.errors.length, 0, JSON.stringify(listed(diag.errors)));
});
