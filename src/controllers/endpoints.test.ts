import { test } from 'node:test';
import assert from 'node:assert/strict';
import { located, node, run, service } from './testkit';

function pod(name: string, labels: Record<string, string>, ready = true) {
  return located({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', labels },
    spec: { nodeName: 'a', containers: [{ name: 'c', image: 'c', ports: [{ name: 'http', containerPort: 8080 }] }] },
    ...(ready ? {} : { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } }),
  });
}

test('the Endpoints controller mirrors the slices into v1 Endpoints: ready under addresses, not ready under notReadyAddresses', () => {
  const { r } = run([node('a'), pod('w1', { app: 'web' }), pod('w2', { app: 'web' }, false),
    service('web', 'shop', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] })]);
  const ep = r.objects.find((o) => o.kind === 'Endpoints' && o.metadata.name === 'web')!;
  assert.ok(ep, 'an Endpoints object named after the Service');
  const w1 = r.podByKey.get('shop/w1')!, w2 = r.podByKey.get('shop/w2')!;
  assert.deepEqual(ep.subsets, [{
    addresses: [{ ip: w1.ip, nodeName: 'a', targetRef: { kind: 'Pod', namespace: 'shop', name: 'w1', uid: w1.obj.metadata.uid } }],
    notReadyAddresses: [{ ip: w2.ip, nodeName: 'a', targetRef: { kind: 'Pod', namespace: 'shop', name: 'w2', uid: w2.obj.metadata.uid } }],
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  }]);
});

test('a Service selecting nothing has an Endpoints object with no subsets; one without a selector keeps the hand-made one', () => {
  const handMade = located({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'ext', namespace: 'shop' }, subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 5432 }] }] });
  const { r } = run([node('a'), service('none', 'shop', { selector: { app: 'nobody' }, ports: [{ port: 80 }] }), service('ext', 'shop', { ports: [{ port: 5432 }] }), handMade]);
  const none = r.objects.find((o) => o.kind === 'Endpoints' && o.metadata.name === 'none')!;
  assert.equal(none.subsets, undefined);
  const ext = r.objects.filter((o) => o.kind === 'Endpoints' && o.metadata.name === 'ext');
  assert.equal(ext.length, 1);
  assert.equal((ext[0] as any).subsets[0].addresses[0].ip, '192.0.2.10');
});
