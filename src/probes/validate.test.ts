// Probe validation as the API server's (pkg/apis/core/validation validateProbe and friends).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../cluster';
import { InputErrors } from '../model/errors';

const pod = (probes: string, kind = 'Pod') => (kind === 'Pod' ? `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
  - name: app
    image: nginx
${probes}` : `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: nginx
${probes.replace(/^/gm, '    ')}`);

function errorsOf(text: string): string[] {
  try { Cluster.load([{ text, name: 'm.yaml' }]); } catch (e) {
    if (e instanceof InputErrors) return e.errors.map((x) => `${x.pos?.line}:${x.pos?.col} ${x.code}: ${x.message}`);
    throw e;
  }
  return [];
}

const cases: [string, string, RegExp][] = [
  ['liveness successThreshold 2', '    livenessProbe: {exec: {command: [x]}, successThreshold: 2}', /NS-PROBE-SUCCESS-THRESHOLD: .*livenessProbe\.successThreshold: must be 1/],
  ['startup successThreshold 3', '    startupProbe: {tcpSocket: {port: 80}, successThreshold: 3}', /NS-PROBE-SUCCESS-THRESHOLD: .*startupProbe\.successThreshold: must be 1/],
  ['readiness terminationGracePeriodSeconds', '    readinessProbe: {tcpSocket: {port: 80}, terminationGracePeriodSeconds: 5}', /NS-PROBE-GRACE: .*must not be set for readinessProbes/],
  ['liveness terminationGracePeriodSeconds 0', '    livenessProbe: {tcpSocket: {port: 80}, terminationGracePeriodSeconds: 0}', /NS-PROBE-GRACE: .*must be greater than 0/],
  ['two handlers', '    livenessProbe: {tcpSocket: {port: 80}, exec: {command: [x]}}', /NS-PROBE-HANDLER: .*may not specify more than 1 handler type/],
  ['no handler', '    readinessProbe: {periodSeconds: 5}', /NS-PROBE-HANDLER: .*must specify a handler type/],
  ['negative period', '    readinessProbe: {tcpSocket: {port: 80}, periodSeconds: -1}', /NS-PROBE-FIELD: .*periodSeconds: must be a non-negative integer/],
];
for (const [name, probe, want] of cases) {
  test(`a located error: ${name}`, () => {
    const errs = errorsOf(pod(probe));
    assert.equal(errs.length, 1, errs.join('\n'));
    assert.match(errs[0], want);
    assert.match(errs[0], /^8:\d+ /, 'on the probe\'s line');
  });
}

test('in a workload\'s template too, and readiness may have successThreshold 2', () => {
  assert.match(errorsOf(pod('    livenessProbe: {exec: {command: [x]}, successThreshold: 2}', 'Deployment')).join('\n'), /Deployment shop\/web: containers\[0\]\.livenessProbe\.successThreshold: must be 1/);
  assert.deepEqual(errorsOf(pod('    readinessProbe: {exec: {command: [x]}, successThreshold: 2}')), []);
});
