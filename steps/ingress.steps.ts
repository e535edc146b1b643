// Ingress: requests arriving at an ingress controller, and where they go.
import { Given, Then, When, type DataTable } from '@cucumber/cucumber';
import { describeRequest, type RequestQuery, type RequestResult } from '../src/ingress';
import { InputErrors } from '../src/model/errors';
import type { KObject } from '../src/model/types';
import { formatDecider, renderHops } from '../src/net/trace';
import { mismatch, podsByRole } from './support';
import type { NetspecWorld } from './world';

interface LastRequest { url: string; cls?: string; result: RequestResult }

function ingressClass(world: NetspecWorld, name: string, isDefault: boolean): void {
  world.addObject({
    apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass',
    metadata: { name, ...(isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}) },
    spec: { controller: 'k8s.io/ingress-nginx' },
  } as KObject);
}

Given('an ingress class {string} served by ingress-nginx', function (this: NetspecWorld, name: string) {
  ingressClass(this, name, false);
});

Given('an ingress class {string} served by ingress-nginx as the default class', function (this: NetspecWorld, name: string) {
  ingressClass(this, name, true);
});

function request(world: NetspecWorld, url: string, cls?: string, more: Omit<RequestQuery, 'url' | 'class'> = {}): LastRequest {
  const result = world.cluster.request({ url, class: cls, ...more });
  const l: LastRequest = { url, cls, result };
  world.last.request = l;
  world.attachTrace(`request ${url}${cls ? ` (class ${cls})` : ''}: ${describeRequest(result)}`, result.hops);
  return l;
}

function last(world: NetspecWorld): LastRequest {
  const l = world.last.request as LastRequest | undefined;
  if (!l) throw new Error('no request was made in this scenario yet (use "When a request for … arrives at the ingress controller" first)');
  return l;
}

function fail(l: LastRequest, expected: string): never {
  throw mismatch(`request ${l.url}${l.cls ? ` (class ${l.cls})` : ''}`, expected, describeRequest(l.result), renderHops(l.result.hops));
}

When('a request for {string} arrives at the ingress controller', function (this: NetspecWorld, url: string) {
  request(this, url);
});

When('a request for {string} arrives at the ingress controller of class {string}', function (this: NetspecWorld, url: string, cls: string) {
  request(this, url, cls);
});

/** Routed to `service` ("NS/NAME" or NAME), on `port` when given (a number or a port name). */
function routedTo(r: RequestResult, service: string, port?: number | string): boolean {
  const b = r.backend;
  return r.outcome === 'routed' && (b?.service === service || b?.service?.split('/')[1] === service) && (port === undefined || String(b?.port) === String(port));
}

When('a {word} request for {string} arrives at the ingress controller', function (this: NetspecWorld, method: string, url: string) {
  request(this, url, undefined, { method });
});

/** Header rows: | X-Canary | always | (a header row "name | value" is skipped). */
function headerRows(table: DataTable): [string, string][] {
  const rows = table.raw().filter((r) => !(r[0].trim().toLowerCase() === 'name' && (r[1] ?? '').trim().toLowerCase() === 'value'));
  if (!rows.length) throw new Error('the table has no header rows: write | Name | value |');
  return rows.map((r) => [r[0].trim(), (r[1] ?? '').trim()]);
}

When('a {word} request for {string} arrives at the ingress controller with these headers:', function (this: NetspecWorld, method: string, url: string, table: DataTable) {
  request(this, url, undefined, { method, headers: headerRows(table) });
});

When('a request for {string} with the header {string} arrives at the ingress controller', function (this: NetspecWorld, url: string, header: string) {
  const c = header.indexOf(':');
  if (c <= 0) throw new Error(`write the header as "Name: value" (got "${header}")`);
  request(this, url, undefined, { headers: [[header.slice(0, c).trim(), header.slice(c + 1).trim()]] });
});

When('a request for {string} without a Host header arrives at the ingress controller', function (this: NetspecWorld, url: string) {
  request(this, url, undefined, { noHost: true, httpVersion: '1.0' });
});

When('a request for {string} with the TLS server name {string} arrives at the ingress controller', function (this: NetspecWorld, url: string, sni: string) {
  request(this, url, undefined, { sni });
});

Then('the backend receives {word} {string}', function (this: NetspecWorld, method: string, uri: string) {
  const l = last(this);
  const f = l.result.forwarded;
  if (!f || f.method !== method.toUpperCase() || f.uri !== uri) fail(l, `the backend receives ${method.toUpperCase()} ${uri} (got ${f ? `${f.method} ${f.uri}` : 'no forwarded request'})`);
});

Then('the backend receives the header {string} set to {string}', function (this: NetspecWorld, name: string, value: string) {
  const l = last(this);
  const got = l.result.forwarded?.headers[name.toLowerCase()];
  if (got !== value) fail(l, `the backend receives ${name}: ${value} (got ${got === undefined ? 'no such header' : got})`);
});

Then('the backend receives it over {word}', function (this: NetspecWorld, proto: string) {
  const l = last(this);
  if (l.result.forwarded?.protocol !== proto) fail(l, `the backend spoken to over ${proto} (got ${l.result.forwarded?.protocol ?? 'nothing forwarded'})`);
});

Then('it is served by the canary of ingress {string}', function (this: NetspecWorld, name: string) {
  const l = last(this);
  const c = l.result.canary;
  if (!c?.chosen || !(c.ingress === `Ingress ${name}` || c.ingress.endsWith(`/${name}`))) fail(l, `the canary Ingress ${name} serves it (canary: ${c ? `${c.ingress} ${c.chosen ? 'chosen' : 'not chosen'}, ${c.detail}` : 'none'})`);
});

Then('it is served by the main backend, not the canary', function (this: NetspecWorld) {
  const l = last(this);
  if (!l.result.canary || l.result.canary.chosen || l.result.outcome !== 'routed') fail(l, `the main backend, with a canary present but not chosen (canary: ${l.result.canary ? l.result.canary.detail : 'none'})`);
});

Then('the ingress controller answers {int} with the header {string} set to {string}', function (this: NetspecWorld, status: number, name: string, value: string) {
  const l = last(this);
  const got = l.result.response?.headers[name.toLowerCase()];
  if (l.result.status !== status || got !== value) fail(l, `the controller answers ${status} with ${name}: ${value} (got ${l.result.status}, ${name}: ${got ?? 'none'})`);
});

Then('it is routed to service {string} on port {int}', function (this: NetspecWorld, service: string, port: number) {
  const l = last(this);
  if (!routedTo(l.result, service, port)) fail(l, `200 routed to service ${service} port ${port}`);
});

Then('it is routed to service {string} on the port named {string}', function (this: NetspecWorld, service: string, port: string) {
  const l = last(this);
  if (!routedTo(l.result, service, port)) fail(l, `200 routed to service ${service} port ${port}`);
});

Then('it is routed by ingress {string}', function (this: NetspecWorld, name: string) {
  const l = last(this);
  const ing = l.result.backend?.ingress ?? '';
  if (ing !== `Ingress ${name}` && !ing.endsWith(`/${name}`)) fail(l, `a backend of Ingress ${name} (got ${ing || 'none'})`);
});

Then('the ingress controller answers {int}', function (this: NetspecWorld, status: number) {
  const l = last(this);
  if (l.result.status !== status) fail(l, `status ${status}`);
});

Then('the ingress controller redirects to {string}', function (this: NetspecWorld, location: string) {
  const l = last(this);
  if (l.result.outcome !== 'redirect' || l.result.location !== location) fail(l, `a redirect to ${location}`);
});

Then('the ingress controller presents the certificate of secret {string}', function (this: NetspecWorld, secret: string) {
  const l = last(this);
  const s = l.result.tls?.secret;
  if (!s || (s !== secret && s.split('/')[1] !== secret)) fail(l, `TLS with secret ${secret}`);
});

Then('the ingress controller presents its default certificate', function (this: NetspecWorld) {
  const l = last(this);
  if (!l.result.tls?.defaultCert) fail(l, 'TLS with the default (fake) certificate');
});

Then('the ingress trace says {string}', function (this: NetspecWorld, text: string) {
  const l = last(this);
  if (!l.result.hops.some((h) => h.detail.includes(text))) fail(l, `a hop saying "${text}"`);
});

Then('the ingress trace points at line {int}', function (this: NetspecWorld, line: number) {
  const l = last(this);
  if (!l.result.hops.some((h) => h.source?.pos?.line === line)) {
    fail(l, `a hop decided by something at line ${line} (lines: ${l.result.hops.map((h) => h.source?.pos?.line).filter(Boolean).join(', ') || 'none'})`);
  }
});

Then('requests are routed like this:', function (this: NetspecWorld, table: DataTable) {
  const rows = table.hashes();
  if (rows.length === 0) throw new Error('the table has no rows: nothing would be checked');
  if (!('url' in rows[0])) throw new Error('the table needs a | url | column, and | service | port | or | status |');
  const cluster = this.cluster;
  const failures: string[] = [];
  const traces: string[] = [];
  rows.forEach((row, i) => {
    const url = row.url.trim();
    const cls = (row.class ?? '').trim() || undefined;
    const label = `row ${i + 1}: ${url}${cls ? ` (class ${cls})` : ''}`;
    const svc = (row.service ?? '').trim();
    const port = (row.port ?? '').trim();
    const status = (row.status ?? '').trim();
    const expected = [svc && `service ${svc}`, port && `port ${port}`, status && `status ${status}`].filter(Boolean).join(', ');
    if (!expected) throw new Error(`${label}: say what is expected (service and port, or status)`);
    let res: RequestResult;
    try { res = cluster.request({ url, class: cls }); } catch (e) {
      if (!(e instanceof InputErrors)) throw e;
      failures.push(`${label}\n    expected: ${expected}\n    actual:   input error: ${e.errors.map((x) => `${x.code}: ${x.message}`).join('; ')}`);
      return;
    }
    traces.push(`${label}: ${describeRequest(res)}\n${renderHops(res.hops)}`);
    const ok = (!svc || routedTo(res, svc))
      && (!port || String(res.backend?.port) === port)
      && (!status || String(res.status) === status);
    if (!ok) {
      const match = [...res.hops].reverse().find((h) => h.action === 'match');
      const end = res.hops[res.hops.length - 1];
      const decided = [match, end].filter((h, k, a) => h && a.indexOf(h) === k)
        .map((h) => `${h!.action} at ${h!.at}: ${h!.detail}${h!.source ? ` ← ${formatDecider(h!.source)}` : ''}`);
      failures.push(`${label}\n    expected: ${expected}\n    actual:   ${describeRequest(res)}\n    decided:  ${decided.join('\n              ') || 'nothing'}`);
    }
  });
  this.attachText(traces.join('\n\n'));
  if (failures.length) throw new Error(`${failures.length} of ${rows.length} requests did not go where expected:\n\n${failures.join('\n\n')}`);
});

function statusOf(world: NetspecWorld, name: string, ns: string) {
  const s = world.cluster.ingressStatus(`${ns}/${name}`);
  if (!s) throw new Error(`no Ingress ${ns}/${name} in the cluster`);
  world.attachTrace(`Ingress ${ns}/${name} status`, s.hops);
  return s;
}

Then('the ingress {string} in namespace {string} shows the address {string}', function (this: NetspecWorld, name: string, ns: string, address: string) {
  const s = statusOf(this, name, ns);
  if (!s.addresses.includes(address)) throw mismatch(`Ingress ${ns}/${name} status.loadBalancer`, address, s.addresses.join(', ') || 'no address', s.how);
});

Then('the ingress {string} in namespace {string} shows no address', function (this: NetspecWorld, name: string, ns: string) {
  const s = statusOf(this, name, ns);
  if (s.addresses.length) throw mismatch(`Ingress ${ns}/${name} status.loadBalancer`, 'no address', s.addresses.join(', '), s.how);
});

Then('the request was proxied from a pod of {workload} {string} in namespace {string}', function (this: NetspecWorld, kind: string, name: string, ns: string) {
  const l = last(this);
  const rp = podsByRole(this, `${ns}/${kind}/${name}`);
  const from = l.result.upstream?.from;
  if (!from || !rp.pods.some((p) => p.key === from)) fail(l, `proxied from a pod of ${rp.what} (${rp.pods.map((p) => p.key).join(', ')}); actually ${from ? `from ${from}` : 'no controller pod connected'}`);
});
