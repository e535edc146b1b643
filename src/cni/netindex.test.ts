// The CNI index's shortcuts answer as the plain lookups they stand in for, and its per-pod facts
// name the right pod.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fixture } from './fixture';
import { netIndex } from './netindex';
import { connectQuery } from './target';
import { intToIpv4, ipv4ToInt } from '../net/ip';
import type { Realised, RNode } from '../model/realised';

test('pods of one ReplicaSet share their container ports (one spec), yet each deliver hop names the pod that received', () => {
  const r = fixture({
    nodes: ['node-a', 'node-b'],
    pods: [{ ns: 'shop', name: 'client', node: 'node-a' }, { ns: 'shop', name: 'web-1', node: 'node-a' }, { ns: 'shop', name: 'web-2', node: 'node-b' }],
  });
  // as the control plane builds them (src/controllers/podspec.ts: facts computed once per spec)
  const [, w1, w2] = r.pods;
  (w2 as { ports: unknown }).ports = w1.ports;
  (w2 as { listening: unknown }).listening = w1.listening;
  for (const w of [w1, w2, w1]) {
    const res = connectQuery(r, { from: 'shop/client', to: w.ip, port: 8080 });
    const last = res.hops[res.hops.length - 1];
    assert.equal(res.verdict, 'delivered');
    assert.equal(last.at, `pod/${w.key}/container/app`);
    assert.equal(last.source?.what, `Pod ${w.key} container app port 8080/TCP`);
  }
});

/** Addresses worth asking about: each node's IPs, podCIDR network / cni0 / neighbours, pods, strangers. */
function probes(r: Realised): string[] {
  const out = new Set<string>(['8.8.8.8', '127.0.0.1', '10.96.0.1', '10.244.255.1', '::1', 'fd00::1']);
  for (const n of r.nodes) {
    for (const ip of n.ips) out.add(ip);
    for (const c of n.podCIDRs) {
      if (c.family !== 4) continue;
      const base = Number(c.base);
      for (const k of [-1, 0, 1, 2, 3, 255, 256]) out.add(intToIpv4((base + k) >>> 0));
    }
  }
  for (const p of r.pods) for (const ip of p.ips) out.add(ip);
  return [...out];
}

function plainOwner(r: Realised, ip: string): RNode | undefined {
  const n = ipv4ToInt(ip);
  if (n < 0) return undefined;
  for (const node of r.nodes) {
    for (const c of node.podCIDRs) {
      if (c.family !== 4) continue;
      const shift = 32 - c.prefix;
      if (c.prefix === 0 || (n >>> shift) === (Number(c.base) >>> shift)) return node;
    }
  }
  return undefined;
}

test('property: localOf (answered from the podCIDR owner) and ownerOf (dense array) agree with the plain lookups', () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 6 }), fc.constantFrom('vxlan', 'routed', 'ipip'), fc.boolean(),
    (nodes, mode, nodeIPsInPodNet) => {
      const r = fixture({
        nodes: Array.from({ length: nodes }, (_, i) => `n${i}`),
        pods: [{ ns: 'a', name: 'p', node: 'n0' }],
        // a misconfigured node subnet inside the pod network puts node IPs in node n0's podCIDR
        config: {
          podNetwork: { mode: mode as 'vxlan', plugin: 'flannel', device: '', decidedBy: 'property' },
          ...(nodeIPsInPodNet ? { nodeSubnet: '10.244.0.0/24' } : {}),
        },
      });
      const ix = netIndex(r);
      for (const ip of probes(r)) {
        const owner = ix.ownerOf(ip);
        assert.equal(owner?.node, plainOwner(r, ip), `ownerOf ${ip}`);
        assert.equal(ix.localOf(ip, owner), ix.localAddr.get(ip), `localOf ${ip} (${mode}${nodeIPsInPodNet ? ', node IPs in the pod network' : ''})`);
      }
      // a node the snapshot does not list turns the shortcuts off; answers stay the same
      const extra: RNode = { ...r.nodes[0], name: 'late', ips: ['172.18.9.9'], ip: '172.18.9.9', podCIDRs: [] };
      ix.nodeNet(extra);
      for (const ip of probes(r)) {
        const owner = ix.ownerOf(ip);
        assert.equal(owner?.node, plainOwner(r, ip));
        assert.equal(ix.localOf(ip, owner), ix.localAddr.get(ip));
      }
    }), { numRuns: 40 });
});

test('hostPort shortcut: a port no pod publishes as hostPort is no node\'s CNI-HOSTPORT-DNAT entry', () => {
  const r = fixture({
    nodes: ['node-a', 'node-b'],
    pods: [
      { ns: 'a', name: 'p', node: 'node-a', containers: [{ name: 'app', ports: [{ port: 8080, hostPort: 8088 }] }] },
      { ns: 'a', name: 'q', node: 'node-b', containers: [{ name: 'app', ports: [{ port: 53, protocol: 'UDP', hostPort: 5353 }] }] },
    ],
  });
  const ix = netIndex(r);
  for (const port of [22, 53, 80, 5353, 8080, 8088, 10250]) {
    const anywhere = r.nodes.some((n) => [...ix.hostPorts(ix.nodeNet(n)).keys()].some((k) => k.endsWith(`/${port}`)));
    if (!ix.mayBeHostPort(port)) assert.equal(anywhere, false, `port ${port}`);
    assert.equal(ix.mayBeHostPort(port), anywhere, `port ${port}`);
  }
});
