import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster, InputErrors } from '../cluster';
import { listed } from './testutil';

const BAD = `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: bad, namespace: shop}
spec:
  mtls: {mode: STRIKT}
  portLevelMtls: {"70000": {mode: STRICT}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: shop}
spec:
  hosts: [reviews]
  http:
  - route: [{destination: {subset: v1}, weight: -1}]
    fault: {abort: {httpStatus: 500}}
    retriez: 3
---
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: ap, namespace: shop}
spec:
  action: ALLOWED
  rules: [{from: [{source: {ipBlocks: ["10.0.0.0/33"]}}], to: [{operation: {ports: ["http"]}}]}]
---
apiVersion: networking.istio.io/v1alpha3
kind: DestinationRule
metadata: {name: dr, namespace: shop}
spec: {host: reviews, subsets: [{name: v1}, {name: v1}], trafficPolicy: {tls: {mode: MUTUAL_TLS}}}
`;

test('Istio objects are validated as istiod\'s webhook does: every error located, all at once', () => {
  let err: InputErrors | undefined;
  try { Cluster.load([{ text: BAD, name: 'istio.yaml' }]); } catch (e) { err = e as InputErrors; }
  assert.ok(err instanceof InputErrors);
  assert.deepEqual(listed(err.errors).sort(), [
    'NS-ISTIO-ENUM@istio.yaml:5:16',
    'NS-ISTIO-INVALID@istio.yaml:6:3',
    'NS-ISTIO-PORT@istio.yaml:6:19',
    'NS-ISTIO-MISSING@istio.yaml:14:14',
    'NS-ISTIO-INVALID@istio.yaml:14:49',
    'NS-ISTIO-UNKNOWN-FIELD@istio.yaml:16:14',
    'NS-ISTIO-ENUM@istio.yaml:22:11',
    'NS-ISTIO-CIDR@istio.yaml:23:40',
    'NS-ISTIO-PORT@istio.yaml:23:85',
    'NS-ISTIO-DUPLICATE@istio.yaml:28:52',
    'NS-ISTIO-ENUM@istio.yaml:28:86',
  ].sort());
  assert.ok(err.warnings.some((w) => w.code === 'NS-ISTIO-UNMODELLED' && /fault is not modelled/.test(w.message)), 'unmodelled fields are warned about by name');
});

test('Istio kinds netspec does not model (Gateway, Sidecar, EnvoyFilter) are warned about by name', () => {
  const c = Cluster.load([{ text: 'apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: default, namespace: shop}\nspec: {}\n', name: 's.yaml' }]);
  assert.ok(c.warnings.some((w) => w.code === 'NS-UNKNOWN-KIND' && /Sidecar/.test(w.message)));
});

test('Istio resources with no sidecar anywhere: a warning says they do not apply', () => {
  const c = Cluster.load([{ text: 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: shop}\nspec: {mtls: {mode: STRICT}}\n', name: 'p.yaml' }]);
  assert.ok(c.warnings.some((w) => w.code === 'NS-ISTIO-NO-SIDECARS'));
});
