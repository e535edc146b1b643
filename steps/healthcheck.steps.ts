// kube-proxy's HTTP health servers as a cloud load balancer and a node's monitoring ask them: a
// Local LoadBalancer Service's healthCheckNodePort and kube-proxy's own /healthz on 10256, each
// asked with an HTTP request to the node's address (the same path as `netspec request`).
import { Then, When } from '@cucumber/cucumber';
import { describeRequest, type RequestResult } from '../src/ingress';
import { renderHops } from '../src/net/trace';
import { closestList } from '../src/model/suggest';
import { mismatch, realNode } from './support';
import type { NetspecWorld } from './world';

interface LastHealth { what: string; result: RequestResult }

function ask(world: NetspecWorld, what: string, url: string): LastHealth {
  const result = world.cluster.request({ url });
  world.attachTrace(`${what}: ${describeRequest(result)}`, result.hops);
  const l = { what, result };
  world.last.health = l;
  return l;
}

function nodeIP(world: NetspecWorld, node: string): string {
  const n = realNode(world, node);
  return n.ip.includes(':') ? `[${n.ip}]` : n.ip;
}

function healthCheck(world: NetspecWorld, name: string, ns: string, node: string): LastHealth {
  const r = world.cluster.realised;
  const svc = r.serviceByKey.get(`${ns}/${name}`);
  if (!svc) throw new Error(`no service ${ns}/${name} (closest services in ${ns}: ${closestList(name, r.services.filter((x) => x.ns === ns).map((x) => x.name))})`);
  const hc = svc.obj.spec?.healthCheckNodePort;
  if (typeof hc !== 'number') {
    throw mismatch(`service ${ns}/${name}`, 'a healthCheckNodePort', `none (type ${svc.type}, externalTrafficPolicy ${svc.obj.spec?.externalTrafficPolicy ?? 'Cluster'}: the API server allocates one only to a LoadBalancer Service with externalTrafficPolicy Local)`);
  }
  return ask(world, `health check of service ${ns}/${name} on node ${node}`, `http://${nodeIP(world, node)}:${hc}/`);
}

function expectStatus(l: LastHealth, status: number): void {
  if (l.result.status !== status) throw mismatch(l.what, `HTTP ${status}`, describeRequest(l.result), renderHops(l.result.hops));
}

When('the load balancer asks the health check of service {string} in namespace {string} on node {string}', function (this: NetspecWorld, name: string, ns: string, node: string) {
  healthCheck(this, name, ns, node);
});

Then('the health check of service {string} in namespace {string} on node {string} answers {int}', function (this: NetspecWorld, name: string, ns: string, node: string, status: number) {
  expectStatus(healthCheck(this, name, ns, node), status);
});

Then('kube-proxy\'s {string} on node {string} answers {int}', function (this: NetspecWorld, path: string, node: string, status: number) {
  expectStatus(ask(this, `kube-proxy ${path} on node ${node}`, `http://${nodeIP(this, node)}:10256${path}`), status);
});

function lastHealth(world: NetspecWorld): LastHealth {
  const l = world.last.health as LastHealth | undefined;
  if (!l) throw new Error('no health check was asked in this scenario yet (use "When the load balancer asks the health check of service …" first)');
  return l;
}

Then('it answers {int} with {int} local endpoint(s)', function (this: NetspecWorld, status: number, n: number) {
  const l = lastHealth(this);
  const got = l.result.answeredBy ? JSON.parse(l.result.answeredBy.body).localEndpoints : undefined;
  if (l.result.status !== status || got !== n) throw mismatch(l.what, `HTTP ${status} with localEndpoints ${n}`, `HTTP ${l.result.status} with localEndpoints ${got}`, renderHops(l.result.hops));
});

Then('the answer has the header {string} set to {string}', function (this: NetspecWorld, name: string, value: string) {
  const l = lastHealth(this);
  const h = l.result.response?.headers ?? {};
  const k = Object.keys(h).find((x) => x.toLowerCase() === name.toLowerCase());
  if (!k || h[k] !== value) throw mismatch(l.what, `${name}: ${value}`, k ? `${k}: ${h[k]}` : `no ${name} header (${Object.keys(h).join(', ') || 'none'})`);
});
