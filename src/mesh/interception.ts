// Interception inside a meshed pod's network namespace, as istio-iptables (tools/istio-iptables,
// run by the istio-init container) writes it in REDIRECT mode, read from the pod's own istio-init
// arguments (-p 15001 -z 15006 -u 1337 -i -x -b -d -o, set by the injector from the
// traffic.sidecar.istio.io/* annotations):
//   nat PREROUTING -p tcp -j ISTIO_INBOUND: inbound TCP, except excluded ports (15008, 15090,
//     15021, 15020 and excludeInboundPorts), goes to ISTIO_IN_REDIRECT → REDIRECT 15006;
//   nat OUTPUT -j ISTIO_OUTPUT: the proxy's own traffic (UID/GID 1337) and traffic the pod sends
//     over lo return, except the proxy's to the pod's own address; 127.0.0.6 (Envoy's inbound
//     passthrough source) returns; excluded ports and ranges return; the rest (includeOutboundIPRanges,
//     "*" by default) goes to ISTIO_REDIRECT → REDIRECT 15001.
// Only TCP is redirected (DNS capture is off by default).
import { cidrContains, parseCIDR, type Cidr } from '../net/ip';
import type { RPod } from '../model/realised';
import { PORTS, PROXY_UID } from './injection';

export interface Interception {
  outboundPort: number;
  inboundPort: number;
  uid: number;
  /** "*" or CIDRs */
  includeOut: '*' | Cidr[];
  excludeOut: Cidr[];
  excludeOutPorts: number[];
  /** "*" or ports */
  includeIn: '*' | number[];
  excludeIn: number[];
  rules: string[];
}

const cache = new WeakMap<object, Interception | null>();

function flag(args: string[], f: string, d: string): string {
  const i = args.indexOf(f);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : d;
}

function cidrList(s: string): Cidr[] {
  const out: Cidr[] = [];
  for (const t of s.split(',').map((x) => x.trim()).filter(Boolean)) {
    try { out.push(parseCIDR(t.includes('/') ? t : t + (t.includes(':') ? '/128' : '/32'))); } catch { /* validated by the injector; ignored as istio-iptables does */ }
  }
  return out;
}

function portList(s: string): number[] {
  return s.split(',').map((x) => Number(x.trim())).filter((n) => Number.isInteger(n) && n > 0);
}

/** The pod's interception, from its istio-init container; null when it has none. */
export function interception(pod: RPod): Interception | null {
  const spec = pod.obj.spec;
  if (!spec || typeof spec !== 'object') return null;
  if (cache.has(spec)) return cache.get(spec)!;
  const init = (Array.isArray(spec.initContainers) ? spec.initContainers : []).find((c: any) => c?.name === 'istio-init');
  const args: string[] = Array.isArray(init?.args) ? init.args.map(String) : [];
  let res: Interception | null = null;
  if (init) {
    const inc = flag(args, '-i', '*');
    const incIn = flag(args, '-b', '*');
    res = {
      outboundPort: Number(flag(args, '-p', String(PORTS.outbound))),
      inboundPort: Number(flag(args, '-z', String(PORTS.inbound))),
      uid: Number(flag(args, '-u', String(PROXY_UID))),
      includeOut: inc.trim() === '*' ? '*' : cidrList(inc),
      excludeOut: cidrList(flag(args, '-x', '')),
      excludeOutPorts: portList(flag(args, '-o', '')),
      includeIn: incIn.trim() === '*' ? '*' : portList(incIn),
      excludeIn: [PORTS.hbone, ...portList(flag(args, '-d', ''))],
      rules: [],
    };
    res.rules = renderRules(res);
  }
  cache.set(spec, res);
  return res;
}

function multiport(ports: number[]): string {
  return ports.length === 1 ? `--dport ${ports[0]}` : `-m multiport --dports ${ports.join(',')}`;
}

function renderRules(x: Interception): string[] {
  const r: string[] = ['-N ISTIO_INBOUND', '-N ISTIO_REDIRECT', '-N ISTIO_IN_REDIRECT', '-N ISTIO_OUTPUT'];
  r.push(`-A ISTIO_INBOUND -p tcp --dport ${PORTS.hbone} -j RETURN`);
  r.push(`-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports ${x.outboundPort}`);
  r.push(`-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports ${x.inboundPort}`);
  if (x.includeIn === '*') {
    r.push('-A PREROUTING -p tcp -j ISTIO_INBOUND');
    const ex = x.excludeIn.filter((p) => p !== PORTS.hbone);
    if (ex.length) r.push(`-A ISTIO_INBOUND -p tcp ${multiport(ex)} -j RETURN`);
    r.push('-A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT');
  } else if (x.includeIn.length) {
    r.push('-A PREROUTING -p tcp -j ISTIO_INBOUND');
    for (const p of x.includeIn) r.push(`-A ISTIO_INBOUND -p tcp --dport ${p} -j ISTIO_IN_REDIRECT`);
  }
  r.push('-A OUTPUT -j ISTIO_OUTPUT');
  if (x.excludeOutPorts.length) r.push(`-A ISTIO_OUTPUT -p tcp ${multiport(x.excludeOutPorts)} -j RETURN`);
  r.push('-A ISTIO_OUTPUT -o lo -s 127.0.0.6/32 -j RETURN');
  for (const o of ['uid', 'gid']) {
    r.push(`-A ISTIO_OUTPUT -o lo ! -d 127.0.0.1/32 -p tcp ! --dport ${PORTS.hbone} -m owner --${o}-owner ${x.uid} -j ISTIO_IN_REDIRECT`);
    r.push(`-A ISTIO_OUTPUT -o lo -m owner ! --${o}-owner ${x.uid} -j RETURN`);
    r.push(`-A ISTIO_OUTPUT -m owner --${o}-owner ${x.uid} -j RETURN`);
  }
  r.push('-A ISTIO_OUTPUT -d 127.0.0.1/32 -j RETURN');
  for (const c of x.excludeOut) r.push(`-A ISTIO_OUTPUT -d ${c.text} -j RETURN`);
  if (x.includeOut === '*') r.push('-A ISTIO_OUTPUT -j ISTIO_REDIRECT');
  else if (x.includeOut.length) {
    for (const c of x.includeOut) r.push(`-A ISTIO_OUTPUT -d ${c.text} -j ISTIO_REDIRECT`);
    r.push('-A ISTIO_OUTPUT -j RETURN');
  }
  return r;
}

/** The pod's nat table as `iptables-save` prints it inside its network namespace. */
export function podIptablesSave(pod: RPod): string | null {
  const x = interception(pod);
  if (!x) return null;
  return [
    `# Generated by netspec (istio-iptables in ${pod.key}'s network namespace)`,
    '*nat',
    ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]',
    ':ISTIO_INBOUND - [0:0]', ':ISTIO_IN_REDIRECT - [0:0]', ':ISTIO_OUTPUT - [0:0]', ':ISTIO_REDIRECT - [0:0]',
    ...x.rules.filter((l) => !l.startsWith('-N ')),
    'COMMIT',
    '# Completed',
  ].join('\n') + '\n';
}

export interface Capture {
  captured: boolean;
  /** the rule that decided, as iptables-save prints it */
  rule: string;
}

/**
 * Whether the app's outbound TCP connection to dst:dport (not over lo: the caller handles
 * loopback and the pod's own address, which ISTIO_OUTPUT returns for UIDs other than 1337) is
 * redirected to Envoy's 15001. The proxy's own connections (UID 1337) never are.
 */
export function outboundCapture(x: Interception, dst: string, dport: number, uid: number): Capture {
  if (x.excludeOutPorts.includes(dport)) return { captured: false, rule: `-A ISTIO_OUTPUT -p tcp ${multiport(x.excludeOutPorts)} -j RETURN` };
  if (uid === x.uid) return { captured: false, rule: `-A ISTIO_OUTPUT -m owner --uid-owner ${x.uid} -j RETURN` };
  if (dst === '127.0.0.1') return { captured: false, rule: '-A ISTIO_OUTPUT -d 127.0.0.1/32 -j RETURN' };
  for (const c of x.excludeOut) if (cidrContains(c, dst)) return { captured: false, rule: `-A ISTIO_OUTPUT -d ${c.text} -j RETURN` };
  if (x.includeOut === '*') return { captured: true, rule: '-A ISTIO_OUTPUT -j ISTIO_REDIRECT' };
  for (const c of x.includeOut) if (cidrContains(c, dst)) return { captured: true, rule: `-A ISTIO_OUTPUT -d ${c.text} -j ISTIO_REDIRECT` };
  return { captured: false, rule: x.includeOut.length ? '-A ISTIO_OUTPUT -j RETURN' : '(includeOutboundIPRanges is empty: no ISTIO_REDIRECT rule)' };
}

/** Whether TCP arriving on the pod's eth0 for dport is redirected to Envoy's 15006. */
export function inboundCapture(x: Interception, dport: number): Capture {
  if (x.includeIn === '*') {
    if (x.excludeIn.includes(dport)) {
      return { captured: false, rule: dport === PORTS.hbone ? `-A ISTIO_INBOUND -p tcp --dport ${PORTS.hbone} -j RETURN` : `-A ISTIO_INBOUND -p tcp ${multiport(x.excludeIn.filter((p) => p !== PORTS.hbone))} -j RETURN` };
    }
    return { captured: true, rule: '-A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT' };
  }
  if (x.includeIn.includes(dport) && !x.excludeIn.includes(dport)) return { captured: true, rule: `-A ISTIO_INBOUND -p tcp --dport ${dport} -j ISTIO_IN_REDIRECT` };
  return { captured: false, rule: x.includeIn.length ? `(no ISTIO_INBOUND rule for port ${dport}: includeInboundPorts ${x.includeIn.join(',')})` : '(includeInboundPorts is empty: no PREROUTING rule)' };
}
