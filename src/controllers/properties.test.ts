// Invariants of the realised cluster over random clusters (fast-check).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cidrContains, offsetIn } from '../net/ip';
import type { KObject } from '../model/types';
import { deployment, node, pod, run, service } from './testkit';

interface Shape {
  nodes: number;
  workloads: { replicas: number; ns: number; selector: boolean }[];
  pinned: { node: number; hostNetwork: boolean }[];
  services: { ns: number; target: number; type: number }[];
  seed: number;
  dual: boolean;
}

const shape: fc.Arbitrary<Shape> = fc.record({
  nodes: fc.integer({ min: 1, max: 6 }),
  workloads: fc.array(fc.record({ replicas: fc.integer({ min: 0, max: 12 }), ns: fc.integer({ min: 0, max: 2 }), selector: fc.boolean() }), { maxLength: 6 }),
  pinned: fc.array(fc.record({ node: fc.integer({ min: 0, max: 5 }), hostNetwork: fc.boolean() }), { maxLength: 5 }),
  services: fc.array(fc.record({ ns: fc.integer({ min: 0, max: 2 }), target: fc.integer({ min: 0, max: 5 }), type: fc.integer({ min: 0, max: 2 }) }), { maxLength: 6 }),
  seed: fc.integer({ min: 0, max: 1000 }),
  dual: fc.boolean(),
});

function build(s: Shape): KObject[] {
  const objs: KObject[] = [];
  for (let i = 0; i < s.nodes; i++) objs.push(node(`n${i}`, i % 2 ? { labels: { ssd: 'yes' } } : {}));
  s.workloads.forEach((w, i) => objs.push(deployment(`w${i}`, `ns${w.ns}`, w.replicas, { app: `w${i}` }, w.selector ? { nodeSelector: { ssd: 'yes' } } : {})));
  s.pinned.forEach((p, i) => objs.push(pod(`pin${i}`, { nodeName: `n${p.node % s.nodes}`, hostNetwork: p.hostNetwork })));
  s.services.forEach((v, i) => objs.push(service(`s${i}`, `ns${v.ns}`, { type: ['ClusterIP', 'NodePort', 'LoadBalancer'][v.type], selector: { app: `w${v.target}` }, ports: [{ port: 80, targetPort: 'http' }] })));
  return objs;
}

const cfgOf = (s: Shape) => ({ seed: s.seed, ...(s.dual ? { podSubnets: ['10.244.0.0/16', 'fd00:10:244::/56'] } : {}) });

test('no two pods share an IP (hostNetwork pods share their node\'s)', () => {
  fc.assert(fc.property(shape, (s) => {
    const { r, diag } = run(build(s), cfgOf(s));
    assert.deepEqual(diag.errors, []);
    const seen = new Map<string, string>();
    for (const p of r.pods) {
      if (p.hostNetwork) continue;
      for (const ip of p.ips) {
        assert.equal(seen.get(ip), undefined, `${ip} held by ${seen.get(ip)} and ${p.key}`);
        seen.set(ip, p.key);
        assert.equal(r.podByIP.get(ip), p);
      }
    }
  }), { numRuns: 60 });
});

test('every pod IP lies in its node\'s podCIDR (one per family), and never at .0 or .1', () => {
  fc.assert(fc.property(shape, (s) => {
    const { r } = run(build(s), cfgOf(s));
    for (const p of r.pods) {
      if (!p.node) continue;
      if (p.hostNetwork) { assert.deepEqual(p.ips, p.node.ips); continue; }
      assert.equal(p.ips.length, p.node.podCIDRs.length);
      p.ips.forEach((ip, i) => {
        assert.ok(cidrContains(p.node!.podCIDRs[i], ip), `${p.key} ${ip} outside ${p.node!.podCIDRs[i].text}`);
        // offset 0 is the network address, 1 the bridge's gateway (host-local hands out from .2)
        assert.ok(offsetIn(p.node!.podCIDRs[i], ip) >= 2n, `${p.key} ${ip} at .0 or .1 of ${p.node!.podCIDRs[i].text}`);
      });
    }
  }), { numRuns: 60 });
});

test('same seed ⇒ identical realised objects (JSON), byte for byte', () => {
  fc.assert(fc.property(shape, (s) => {
    const a = JSON.stringify(run(build(s), cfgOf(s)).r.objects);
    const b = JSON.stringify(run(build(s), cfgOf(s)).r.objects);
    assert.equal(a, b);
  }), { numRuns: 30 });
});

test('input order does not matter: shuffled inputs give the same objects', () => {
  fc.assert(fc.property(shape, fc.integer(), (s, k) => {
    const objs = build(s);
    const shuffled = objs.slice();
    let x = k >>> 0;
    for (let i = shuffled.length - 1; i > 0; i--) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      const j = x % (i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    assert.equal(JSON.stringify(run(shuffled, cfgOf(s)).r.objects), JSON.stringify(run(objs, cfgOf(s)).r.objects));
  }), { numRuns: 30 });
});

test('every endpoint of a managed slice is a selected, scheduled pod with that address; clusterIPs and nodePorts are unique', () => {
  fc.assert(fc.property(shape, (s) => {
    const { r } = run(build(s), cfgOf(s));
    const ips = new Set<string>();
    const nodePorts = new Set<number>();
    for (const svc of r.services) {
      for (const ip of svc.clusterIPs) { assert.ok(!ips.has(ip)); ips.add(ip); }
      for (const p of svc.ports) if (p.nodePort) { assert.ok(!nodePorts.has(p.nodePort)); nodePorts.add(p.nodePort); }
      for (const sl of r.slicesByService.get(svc.key) ?? []) {
        if (!sl.managed) continue;
        assert.ok(sl.endpoints.length <= 100);
        for (const e of sl.endpoints) {
          assert.ok(e.pod && e.pod.ns === svc.ns && svc.selector!.matches(e.pod.labels));
          assert.ok(e.pod.ips.includes(e.addresses[0]));
          assert.equal(e.nodeName, e.pod.node!.name);
        }
      }
    }
  }), { numRuns: 40 });
});

test('realise is pure: the input objects are left exactly as they were', () => {
  fc.assert(fc.property(shape, (s) => {
    const objs = build(s);
    const before = JSON.stringify(objs);
    run(objs, cfgOf(s));
    assert.equal(JSON.stringify(objs), before);
  }), { numRuns: 20 });
});

test('objects without an origin (made in code) realise too, and their errors simply carry no position', () => {
  const bare: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'x' }, spec: { nodeName: 'ghost', containers: [{ name: 'c', image: 'c' }] } };
  const { r, diag } = run([bare, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 2, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'c' }] } } } }]);
  assert.deepEqual(diag.errors.map((e) => [e.code, e.pos]), [['NS-UNKNOWN-NODE', undefined]]);
  assert.equal(r.pods.filter((p) => p.ns === 'default').length, 2);
});
