// The kernel side: netspec's model of the cluster built with network namespaces (one per node, per
// pod, one for the node network and one for a client outside the cluster), netspec's rules loaded
// into each node, tiny listeners in the backend pods that answer with their name and the peer
// address they see, and bounded batches of real connections.
//
// Topology (flannel host-gw as netspec models it): each node has eth0 on a shared bridge in the
// "net" namespace and a bridge cni0 holding the first address of its podCIDR (hairpin on every
// port, bridge-nf-call-iptables=1, ip_forward=1); pods have eth0 with a default route via cni0;
// each node routes the other nodes' podCIDRs via their InternalIP; the outside client routes the
// Services' externalIPs to the node the flow names.
import type { Realised } from '../model/realised';
import { nodeAddrs } from '../kubeproxy';
import { Sandbox, SandboxError } from './netns';

export type Backend = 'iptables-nft' | 'iptables-legacy' | 'nftables';

export interface Topology {
  nodes: Map<string, string>;
  pods: Map<string, string>;
  external: string;
  externalIP: string;
}

const LISTENER = `
const [name, tport, uport, ttl] = process.argv.slice(1);
const net = require('net'), dgram = require('dgram');
let up = 0;
const ready = () => { if (++up === 2) console.log('ready'); };
net.createServer((s) => { s.on('error', () => {}); s.end(name + ' ' + s.remoteAddress + '\\n'); }).listen(+tport, '0.0.0.0', ready);
const u = dgram.createSocket('udp4');
u.on('message', (m, r) => u.send(name + ' ' + r.address + '\\n', r.port, r.address));
u.bind(+uport, '0.0.0.0', ready);
setTimeout(() => process.exit(0), +ttl * 1000);
`;

const CLIENT = `
const [host, port, proto, count, tmo] = process.argv.slice(1);
const net = require('net'), dgram = require('dgram');
const one = () => new Promise((done) => {
  let fin = false, buf = '';
  const end = (x) => { if (!fin) { fin = true; clearTimeout(t); try { s.destroy ? s.destroy() : s.close(); } catch {} done(x); } };
  const parse = () => { const [who, peer] = buf.trim().split(' '); return { who, peer }; };
  let s;
  const t = setTimeout(() => end({ err: 'ETIMEDOUT' }), +tmo);
  if (proto === 'TCP') {
    s = net.connect({ host, port: +port });
    s.on('data', (d) => { buf += d; });
    s.on('end', () => end(parse()));
    s.on('error', (e) => end({ err: e.code || String(e) }));
  } else {
    s = dgram.createSocket('udp4');
    s.on('error', (e) => end({ err: e.code || String(e) }));
    s.on('message', (m) => { buf = String(m); end(parse()); });
    s.connect(+port, host, () => s.send('?'));
  }
});
(async () => {
  // bounded: at most 500 connections, and a batch stops after its third timeout
  const out = []; let lost = 0;
  for (let i = 0; i < Math.min(+count, 500) && lost < 3; i++) { const x = await one(); out.push(x); if (x.err === 'ETIMEDOUT') lost++; }
  console.log(JSON.stringify(out));
})();
`;

export const TCP_PORT = 8080;
export const UDP_PORT = 5353;

function short(i: number, p: string): string { return `${p}${i}`; }

/** Builds the cluster's namespaces; listeners start in every pod that listens on TCP 8080 (the fixture's backends). */
export async function buildTopology(sb: Sandbox, r: Realised, externalIP: string, externalRoutes: { ip: string; via: string }[]): Promise<Topology> {
  const net = sb.addNs('net');
  sb.ip(net, 'link', 'add', 'br0', 'type', 'bridge');
  sb.ip(net, 'link', 'set', 'br0', 'up');
  const prefix = 24;
  const nodes = new Map<string, string>();
  const pods = new Map<string, string>();
  let port = 0;
  const uplink = (ns: string) => {
    const u = short(port++, 'u');
    sb.ip(ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', u, 'netns', net);
    sb.ip(net, 'link', 'set', u, 'master', 'br0', 'up');
  };
  r.nodes.forEach((n, i) => {
    const ns = sb.addNs(`n${i}`);
    nodes.set(n.name, ns);
    uplink(ns);
    sb.ip(ns, 'addr', 'add', `${n.ip}/${prefix}`, 'dev', 'eth0');
    sb.ip(ns, 'link', 'set', 'eth0', 'up');
    const cidr = n.podCIDRs.find((c) => c.family === 4)!;
    const bridge = nodeAddrs(r, n).bridge;
    if (!bridge) throw new SandboxError(`node ${n.name}: netspec gives cni0 no address (not a bridge CNI)`);
    sb.ip(ns, 'link', 'add', 'cni0', 'type', 'bridge');
    sb.ip(ns, 'addr', 'add', `${bridge}/${cidr.prefix}`, 'dev', 'cni0');
    sb.ip(ns, 'link', 'set', 'cni0', 'up');
    sb.mustExec(ns, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1', 'net.bridge.bridge-nf-call-iptables=1']);
    sb.ip(ns, 'route', 'add', 'default', 'dev', 'eth0');
    r.nodes.forEach((o) => {
      if (o === n) return;
      const oc = o.podCIDRs.find((c) => c.family === 4);
      if (oc) sb.ip(ns, 'route', 'add', oc.text, 'via', o.ip, 'dev', 'eth0');
    });
  });
  let vi = 0;
  for (const p of r.pods) {
    if (!p.node || p.hostNetwork || !p.ip) continue;
    const node = nodes.get(p.node.name)!;
    const ns = sb.addNs(`p${pods.size}`);
    pods.set(p.key, ns);
    const v = short(vi++, 'v');
    sb.ip(ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', v, 'netns', node);
    sb.ip(node, 'link', 'set', v, 'master', 'cni0');
    sb.ip(node, 'link', 'set', v, 'type', 'bridge_slave', 'hairpin', 'on');
    sb.ip(node, 'link', 'set', v, 'up');
    const cidr = p.node.podCIDRs.find((c) => c.family === 4)!;
    sb.ip(ns, 'addr', 'add', `${p.ip}/${cidr.prefix}`, 'dev', 'eth0');
    sb.ip(ns, 'link', 'set', 'eth0', 'up');
    sb.ip(ns, 'route', 'add', 'default', 'via', nodeAddrs(r, p.node).bridge!);
  }
  const external = sb.addNs('ext');
  uplink(external);
  sb.ip(external, 'addr', 'add', `${externalIP}/${prefix}`, 'dev', 'eth0');
  sb.ip(external, 'link', 'set', 'eth0', 'up');
  for (const rt of externalRoutes) sb.ip(external, 'route', 'add', `${rt.ip}/32`, 'via', rt.via);
  // listeners in the backends (bounded: each exits by itself after 180 s)
  const waits: Promise<void>[] = [];
  for (const p of r.pods) {
    const ns = pods.get(p.key);
    if (!ns || !p.listening.has(`TCP/${TCP_PORT}`)) continue;
    const child = sb.start(ns, process.execPath, ['-e', LISTENER, p.key, String(TCP_PORT), String(UDP_PORT), '180']);
    waits.push(new Promise((ok, fail) => {
      const t = setTimeout(() => fail(new SandboxError(`listener in ${p.key} not ready after 10 s`)), 10_000);
      let err = '';
      child.stderr!.on('data', (d) => { err += d; });
      child.stdout!.on('data', (d) => { if (String(d).includes('ready')) { clearTimeout(t); ok(); } });
      child.on('exit', (code) => { clearTimeout(t); fail(new SandboxError(`listener in ${p.key} exited (${code}): ${err.trim()}`)); });
    }));
  }
  await Promise.all(waits);
  return { nodes, pods, external, externalIP };
}

/** Tools per backend: restore, the command that zeroes and the one that saves with counters. */
export const TOOLS: Record<Backend, string[]> = {
  'iptables-nft': ['iptables-nft-restore', 'iptables-nft', 'iptables-nft-save'],
  'iptables-legacy': ['iptables-legacy-restore', 'iptables-legacy', 'iptables-legacy-save'],
  nftables: ['nft'],
};

/** Loads one node's ruleset; throws with the tool's message when the kernel refuses it. */
export function loadRules(sb: Sandbox, ns: string, backend: Backend, text: string): void {
  if (backend === 'nftables') sb.mustExec(ns, 'nft', ['-f', '-'], text);
  else sb.mustExec(ns, TOOLS[backend][0], [], text);
}

export function zeroCounters(sb: Sandbox, ns: string, backend: Backend): void {
  if (backend === 'nftables') return;
  for (const t of ['nat', 'filter']) sb.mustExec(ns, TOOLS[backend][1], ['-t', t, '-Z']);
}

export function saveCounters(sb: Sandbox, ns: string, backend: Backend): string {
  return sb.mustExec(ns, TOOLS[backend][2], ['-c']);
}

export interface Attempt { who?: string; peer?: string; err?: string }

/** Sends up to `count` connections one after the other from a namespace; each is bounded by 1 s, the batch stops after its third timeout. */
export function connectFrom(sb: Sandbox, ns: string, ip: string, port: number, proto: 'TCP' | 'UDP', count: number): Attempt[] {
  const n = Math.min(count, 500);
  const r = sb.exec(ns, process.execPath, ['-e', CLIENT, ip, String(port), proto, String(n), '1000'], undefined, 10_000 + n * 1_100);
  if (!r.ok) throw new SandboxError(`client in ${ns} failed: ${r.stderr.trim() || `exit ${r.code}`}`);
  return JSON.parse(r.stdout) as Attempt[];
}
