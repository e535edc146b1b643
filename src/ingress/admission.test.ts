// The DefaultIngressClass admission plugin (k8s.io/kubernetes plugin/pkg/admission/network/
// defaultingressclass admission.go): it writes the default class into spec.ingressClassName when
// an Ingress is created without a class; several defaults: the newest (creationTimestamp desc,
// then name); an Ingress that already names a class (field or annotation) is left alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../cluster';
import type { KObject } from '../model/types';
import { admitIngresses } from './view';

const cls = (name: string, ts?: string, dflt = true): KObject => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass',
  metadata: { name, ...(ts ? { creationTimestamp: ts } : {}), ...(dflt ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}) },
  spec: { controller: 'k8s.io/ingress-nginx' },
} as KObject);
const ing = (name: string, ts?: string, extra: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
  metadata: { name, namespace: 'shop', ...(ts ? { creationTimestamp: ts } : {}) },
  spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } }, ...extra },
} as KObject);

test('the newest default class is written; an Ingress older than every default stays class-less; a named class stays', () => {
  const objs = [cls('a', '2024-01-01T00:00:00Z'), cls('b', '2025-01-01T00:00:00Z'), cls('plain', undefined, false),
    ing('new'), ing('mid', '2024-06-01T00:00:00Z'), ing('old', '2023-01-01T00:00:00Z'), ing('named', undefined, { ingressClassName: 'plain' })];
  admitIngresses(objs);
  assert.equal(objs[3].spec.ingressClassName, 'b', 'the newest default');
  assert.equal(objs[4].spec.ingressClassName, 'a', 'b did not exist yet when "mid" was created');
  assert.equal(objs[5].spec.ingressClassName, undefined, 'created before any default class');
  assert.equal(objs[6].spec.ingressClassName, 'plain');
  const tie = [cls('y', '2024-01-01T00:00:00Z'), cls('x', '2024-01-01T00:00:00Z'), ing('t')];
  admitIngresses(tie);
  assert.equal(tie[2].spec.ingressClassName, 'x', 'equal timestamps: by name');
});

test('get shows the defaulted spec.ingressClassName; the legacy annotation blocks defaulting', () => {
  const c = Cluster.load([{ name: 'a.yaml', text: `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx, annotations: {ingressclass.kubernetes.io/is-default-class: "true"}}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: plain, namespace: shop}
spec: {defaultBackend: {service: {name: web, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: legacy, namespace: shop, annotations: {kubernetes.io/ingress.class: other}}
spec: {defaultBackend: {service: {name: web, port: {number: 80}}}}
` }]);
  const got = (n: string) => c.realised.objects.find((o) => o.kind === 'Ingress' && o.metadata.name === n)!;
  assert.equal(got('plain').spec.ingressClassName, 'nginx');
  assert.equal(got('legacy').spec.ingressClassName, undefined);
});
