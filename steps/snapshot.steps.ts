// Pods as a snapshot gives them (`kubectl get pods -o yaml`): their addresses and whether the
// EndpointSlice controller lists them at all (ready or not).
import { Then } from '@cucumber/cucumber';
import { realPod } from './support';
import type { NetspecWorld } from './world';

const pod = (world: NetspecWorld, name: string, ns: string) => realPod(world, `${ns}/${name}`);

Then('pod {string} in namespace {string} has no IP', function (this: NetspecWorld, name: string, ns: string) {
  const p = pod(this, name, ns);
  if (p.ips.length) throw new Error(`pod ${p.key}: expected no IP, it has ${p.ips.join(', ')} (phase ${p.phase}${p.obj.status?.podIP ? `, status.podIP ${p.obj.status.podIP}` : ''})`);
});

Then('pod {string} in namespace {string} is no endpoint of service {string}', function (this: NetspecWorld, name: string, ns: string, svc: string) {
  const p = pod(this, name, ns);
  const key = `${ns}/${svc}`;
  if (!this.cluster.realised.serviceByKey.has(key)) throw new Error(`no service ${key}`);
  const slices = this.cluster.realised.slicesByService.get(key) ?? [];
  const hit = slices.flatMap((s) => s.endpoints.filter((e) => e.pod === p || (p.ip && e.addresses.includes(p.ip))).map((e) => `${s.obj.metadata.name}: ${e.addresses.join(',')} (ready ${e.ready})`));
  if (hit.length) throw new Error(`pod ${p.key}: expected no endpoint of service ${key}, but the EndpointSlices list it: ${hit.join('; ')}`);
});
