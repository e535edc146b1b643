// The service mesh (Istio sidecars): who has a sidecar, what the pod's interception rules say,
// whether a connection was mutually authenticated, which policy or route decided. Glue only: the
// behaviour lives in src/mesh.
import { When, Then } from '@cucumber/cucumber';
import { decidingHop, type ConnectResult } from '../src/cni';
import { hasSidecar, type MeshConnectQuery } from '../src/mesh';
import { formatDecider } from '../src/net/trace';
import { connectAndRemember, failConnect, lastConnect, mismatch, missingInOrder, parseSelector, realPod } from './support';
import type { NetspecWorld } from './world';

// ---- injection ---------------------------------------------------------------------------------

Then('pod {string} in namespace {string} has a sidecar', function (this: NetspecWorld, pod: string, ns: string) {
  const p = realPod(this, `${ns}/${pod}`);
  if (!hasSidecar(p)) throw mismatch(`pod ${p.key}`, 'an istio-proxy sidecar injected', `containers ${p.containers.join(', ')} (not injected)`);
});

Then('pod {string} in namespace {string} has no sidecar', function (this: NetspecWorld, pod: string, ns: string) {
  const p = realPod(this, `${ns}/${pod}`);
  if (hasSidecar(p)) throw mismatch(`pod ${p.key}`, 'no sidecar', `injected: containers ${p.containers.join(', ')}`);
});

Then('every pod labelled {string} in namespace {string} has a sidecar', function (this: NetspecWorld, sel: string, ns: string) {
  const pods = this.cluster.realised.podIndex(ns).select(parseSelector(sel));
  if (pods.length === 0) throw new Error(`no pod in ${ns} is labelled ${sel}`);
  const bare = pods.filter((p) => !hasSidecar(p)).map((p) => p.key);
  if (bare.length) throw mismatch(`pods labelled ${sel} in ${ns}`, 'every one injected', `without a sidecar: ${bare.join(', ')}`);
});

Then('the interception rules of pod {string} in namespace {string} include, in order:', function (this: NetspecWorld, pod: string, ns: string, doc: string) {
  const p = realPod(this, `${ns}/${pod}`);
  const text = this.cluster.podIptablesSave(p);
  if (text === null) throw mismatch(`pod ${p.key}`, 'istio-iptables rules', 'no sidecar, no rules');
  const want = doc.split('\n').map((l) => l.trim()).filter(Boolean);
  const miss = missingInOrder(text.split('\n'), want);
  if (miss) throw mismatch(`iptables-save in ${p.key}'s network namespace`, miss, 'not there (in this order)', text);
});

// ---- requests through the mesh -------------------------------------------------------------------

When('pod {string} in namespace {string} sends {word} {string} to {string} on port {int}', function (this: NetspecWorld, pod: string, ns: string, method: string, path: string, to: string, port: number) {
  const q: MeshConnectQuery = { from: `${ns}/${pod}`, to, port, http: { method, path } };
  connectAndRemember(this, q);
});

When('pod {string} in namespace {string} sends {word} {string} to {string} on port {int} with header {string}', function (this: NetspecWorld, pod: string, ns: string, method: string, path: string, to: string, port: number, header: string) {
  const i = header.indexOf(':');
  if (i <= 0) throw new Error(`header "${header}" is not NAME: VALUE`);
  const q: MeshConnectQuery = { from: `${ns}/${pod}`, to, port, http: { method, path, headers: { [header.slice(0, i).trim().toLowerCase()]: header.slice(i + 1).trim() } } };
  connectAndRemember(this, q);
});

// ---- what the sidecars did -----------------------------------------------------------------------

function meshOf(r: ConnectResult): string {
  const m = r.mesh;
  if (!m) return 'no sidecar handled it';
  return `sidecars ${m.sidecars.join(' → ') || 'none'}, ${m.mtls ? `mTLS (${m.identity} → ${m.peer})` : 'plaintext'}${m.route ? `, route ${m.route}` : ''}${m.subset ? `, subset ${m.subset}` : ''}${m.status ? `, HTTP ${m.status}` : ''}`;
}

Then('the connection went through the sidecar of pod {string} in namespace {string}', function (this: NetspecWorld, pod: string, ns: string) {
  const l = lastConnect(this);
  if (!l.result.mesh?.sidecars.includes(`${ns}/${pod}`)) failConnect(l, `through ${ns}/${pod}'s sidecar`, meshOf(l.result));
});

Then('the connection went through no sidecar', function (this: NetspecWorld) {
  const l = lastConnect(this);
  if (l.result.mesh?.sidecars.length) failConnect(l, 'no sidecar', meshOf(l.result));
});

Then('the connection was mutually authenticated', function (this: NetspecWorld) {
  const l = lastConnect(this);
  if (!l.result.mesh?.mtls) failConnect(l, 'mutual TLS between the sidecars', meshOf(l.result));
});

Then('the connection was mutually authenticated as {string}', function (this: NetspecWorld, id: string) {
  const l = lastConnect(this);
  if (!l.result.mesh?.mtls || l.result.mesh.identity !== id) failConnect(l, `mutual TLS, client identity ${id}`, meshOf(l.result));
});

Then('the connection was plaintext', function (this: NetspecWorld) {
  const l = lastConnect(this);
  if (l.result.mesh?.mtls) failConnect(l, 'plaintext', meshOf(l.result));
});

/** "refused by PeerAuthentication shop/default", "denied by AuthorizationPolicy shop/x": the deciding hop's object. */
Then('the connection was {verdict} because of {word} {string}', function (this: NetspecWorld, verdict: string, kind: string, name: string) {
  const l = lastConnect(this);
  const h = decidingHop(l.result);
  const what = `${kind} ${name}`;
  if (l.result.verdict !== verdict || h?.source?.what !== what) {
    failConnect(l, `${verdict}, decided by ${what}`, `${l.result.verdict}, decided by ${h ? formatDecider(h.source) || h.at : 'nothing'}`);
  }
});

Then('the connection was denied by AuthorizationPolicy {string}', function (this: NetspecWorld, name: string) {
  const l = lastConnect(this);
  const deny = l.result.hops.find((h) => h.action === 'deny' && h.at.endsWith('/container/istio-proxy'));
  if (!deny || deny.source?.what !== `AuthorizationPolicy ${name}`) failConnect(l, `denied by AuthorizationPolicy ${name}`, deny ? `denied: ${deny.detail}` : `${l.result.verdict}, ${meshOf(l.result)}`);
});

Then('the sidecar answered HTTP {int}', function (this: NetspecWorld, status: number) {
  const l = lastConnect(this);
  if (l.result.mesh?.status !== status) failConnect(l, `HTTP ${status} from a sidecar`, meshOf(l.result));
});

Then('the connection took route {string} to subset {string}', function (this: NetspecWorld, route: string, subset: string) {
  const l = lastConnect(this);
  if (l.result.mesh?.route !== route || l.result.mesh.subset !== subset) failConnect(l, `route ${route}, subset ${subset}`, meshOf(l.result));
});

Then('connections from pod {string} in namespace {string} to {string} on port {int} are split {string} between subsets {string} and {string}', function (this: NetspecWorld, pod: string, ns: string, to: string, port: number, split: string, a: string, b: string) {
  const m = /^(\d+)\/(\d+)$/.exec(split);
  if (!m) throw new Error(`split "${split}" is not A/B, e.g. 90/10`);
  const wantA = Number(m[1]) / (Number(m[1]) + Number(m[2]));
  const n = 400;
  const seen: Record<string, number> = {};
  let route = '';
  for (let seed = 1; seed <= n; seed++) {
    const r = this.cluster.connect({ from: `${ns}/${pod}`, to, port, seed });
    if (r.verdict !== 'delivered' || !r.mesh?.subset) throw mismatch(`connect ${ns}/${pod} → ${to}:${port} (seed ${seed})`, `delivered to subset ${a} or ${b}`, `${r.verdict}, ${meshOf(r)}`);
    seen[r.mesh.subset] = (seen[r.mesh.subset] ?? 0) + 1;
    route = r.mesh.route ?? '';
  }
  const gotA = (seen[a] ?? 0) / n;
  const other = Object.keys(seen).filter((s) => s !== a && s !== b);
  // both reached, the share within 5 points of the weights (400 seeds)
  if (other.length || !seen[a] || !seen[b] || Math.abs(gotA - wantA) > 0.05) {
    throw mismatch(`${n} connections (seeds 1…${n}) by route ${route}`, `${split} between ${a} and ${b}`, Object.entries(seen).map(([s, c]) => `${s}: ${c}`).join(', '));
  }
});
