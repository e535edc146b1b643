import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Diagnostics } from '../model/errors';
import { loadSources } from './index';
import { warnUnmodelled } from './unmodelled';

const dep = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: argocd}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - {labelSelector: {matchLabels: {app: ${name}}}, topologyKey: kubernetes.io/hostname}
          preferredDuringSchedulingIgnoredDuringExecution:
          - {weight: 100, podAffinityTerm: {labelSelector: {matchLabels: {app: ${name}}}, topologyKey: topology.kubernetes.io/zone}}
      topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: ${name}}}}
      - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: ${name}}}}
      containers: [{name: c, image: c}]
`;

test('a field netspec reads past is warned once per run, by name, at its first place, with how many more carry it', () => {
  const diag = new Diagnostics();
  const objs = loadSources([{ text: dep('haproxy') + '---\n' + dep('redis') + '---\napiVersion: v1\nkind: Service\nmetadata: {name: s, annotations: {nginx.ingress.kubernetes.io/x: "1", service.beta.kubernetes.io/aws-load-balancer-type: nlb}}\nspec: {ports: [{port: 80}]}\n', name: 'm.yaml' }], diag);
  warnUnmodelled(objs, diag);
  const w = diag.warnings.filter((x) => x.code === 'NS-UNMODELLED-FIELD');
  assert.equal(w.length, 3, w.map((x) => x.message).join('\n'));
  // required anti-affinity and DoNotSchedule spread are modelled (src/controllers/interpod.ts): no warning; preferences score nodes, which is not modelled
  assert.match(w[0].message, /^spec\.template\.spec\.affinity\.podAntiAffinity\.preferredDuringSchedulingIgnoredDuringExecution is read past, not modelled \(Deployment argocd\/haproxy and 1 more\)/);
  assert.deepEqual([w[0].pos?.file, w[0].pos?.line], ['m.yaml', 13]);
  assert.match(w[1].message, /^spec\.template\.spec\.topologySpreadConstraints\[\]\.whenUnsatisfiable: ScheduleAnyway is read past, not modelled \(Deployment argocd\/haproxy and 1 more\)/);
  assert.deepEqual([w[1].pos?.file, w[1].pos?.line], ['m.yaml', 17]);
  assert.match(w[2].message, /annotation service\.beta\.kubernetes\.io\/aws-load-balancer-type/);
  assert.ok(!w.some((x) => x.message.includes('nginx.ingress')), 'ingress-nginx annotations are src/ingress\'s to warn about');
});
