import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interception, inboundCapture, outboundCapture, podIptablesSave } from './interception';
import { meshCluster } from './testkit';

test('istio-iptables redirects outbound TCP to 15001 and exempts UID 1337 (the proxy itself)', () => {
  const c = meshCluster();
  const text = podIptablesSave(c.realised.podByKey.get('shop/frontend')!)!;
  const lines = text.split('\n');
  // the rules istio-iptables writes in REDIRECT mode (tools/istio-iptables testdata goldens)
  for (const rule of [
    '-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001',
    '-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006',
    '-A PREROUTING -p tcp -j ISTIO_INBOUND',
    '-A ISTIO_INBOUND -p tcp -m multiport --dports 15090,15021,15020 -j RETURN',
    '-A OUTPUT -j ISTIO_OUTPUT',
    '-A ISTIO_OUTPUT -o lo -s 127.0.0.6/32 -j RETURN',
    '-A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN',
    '-A ISTIO_OUTPUT -d 127.0.0.1/32 -j RETURN',
    '-A ISTIO_OUTPUT -j ISTIO_REDIRECT',
  ]) assert.ok(lines.includes(rule), `missing ${rule}\n${text}`);
  // order: the UID exemption comes before the catch-all redirect
  assert.ok(lines.indexOf('-A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN') < lines.indexOf('-A ISTIO_OUTPUT -j ISTIO_REDIRECT'));
  assert.equal(lines[1], '*nat');
  assert.equal(podIptablesSave(c.realised.podByKey.get('legacy/job')!), null);
});

test('traffic.sidecar.istio.io annotations: excluded outbound ports and ranges return, excluded inbound ports are not redirected', () => {
  const c = meshCluster(`apiVersion: v1
kind: Pod
metadata:
  name: tuned
  namespace: shop
  annotations:
    traffic.sidecar.istio.io/excludeOutboundPorts: "5432"
    traffic.sidecar.istio.io/excludeOutboundIPRanges: "169.254.169.254/32"
    traffic.sidecar.istio.io/excludeInboundPorts: "9100"
spec: {nodeName: node-a, containers: [{name: api, image: x}]}`);
  const pod = c.realised.podByKey.get('shop/tuned')!;
  const x = interception(pod)!;
  assert.equal(outboundCapture(x, '10.0.0.5', 5432, 0).captured, false);
  assert.equal(outboundCapture(x, '169.254.169.254', 80, 0).captured, false);
  assert.equal(outboundCapture(x, '10.0.0.5', 80, 0).captured, true);
  assert.equal(outboundCapture(x, '10.0.0.5', 80, 1337).captured, false);
  assert.equal(inboundCapture(x, 9100).captured, false);
  assert.equal(inboundCapture(x, 15021).captured, false);
  assert.equal(inboundCapture(x, 8080).captured, true);
  const text = podIptablesSave(pod)!;
  assert.match(text, /^-A ISTIO_OUTPUT -p tcp --dport 5432 -j RETURN$/m);
  assert.match(text, /^-A ISTIO_OUTPUT -d 169\.254\.169\.254\/32 -j RETURN$/m);
  assert.match(text, /^-A ISTIO_INBOUND -p tcp -m multiport --dports 15090,15021,15020,9100 -j RETURN$/m);
});

test('includeOutboundIPRanges: only those ranges go to ISTIO_REDIRECT, the rest returns', () => {
  const c = meshCluster(`apiVersion: v1
kind: Pod
metadata: {name: narrow, namespace: shop, annotations: {traffic.sidecar.istio.io/includeOutboundIPRanges: "10.96.0.0/12"}}
spec: {nodeName: node-a, containers: [{name: api, image: x}]}`);
  const x = interception(c.realised.podByKey.get('shop/narrow')!)!;
  assert.equal(outboundCapture(x, '10.96.0.20', 80, 0).captured, true);
  assert.equal(outboundCapture(x, '203.0.113.9', 80, 0).captured, false);
});
