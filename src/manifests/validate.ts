// Validation of API objects as the API server would validate them, with no cluster state:
// the Kubernetes schema (kubernetes-models) plus the semantic checks of the API server's
// validation code (names, IPs and CIDRs, ports, protocols, selectors, containers sharing a
// network namespace). Checks that need the realised cluster (unknown nodes, IPs outside ranges or
// taken, nodePort conflicts) belong to the controllers.
import { NAMESPACED_KINDS, posOf, ref, type KObject } from '../model/types';
import { compileLabelSelector, SelectorError, type CompiledSelector } from '../model/selector';
import type { Diagnostics } from '../model/errors';
import type { SourcePos } from '../net/trace';
import { formatPos } from '../net/trace';
import { ipFamily, parseCIDR, cidrContains } from '../net/ip';
import { formatPath } from './origin';
import { classify } from './kinds';
import { validIP, validCIDR, cidrFamily } from './addr';
import { dns1035Label, dns1123Label, dns1123Subdomain, qualifiedName, labelValue, portName } from './names';
import { schemaErrors } from './schema';
import { unknownFields } from './fields';
import { ingressProblems } from './ingress';
import { ISTIO_CHECKS } from './istio';

type Path = (string | number)[];

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const PROTOCOL_HINT = 'Kubernetes knows the protocols TCP, UDP and SCTP (upper case)';

function isObj(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function arr(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}
function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** Collects the errors of one object, remembering which paths were reported by hand checks. */
class Check {
  readonly reported: string[] = [];
  constructor(readonly obj: KObject, readonly diag: Diagnostics) {}
  /** a field's position: its value when a scalar, else (or with `key`) its key */
  pos(path: Path, key = false): SourcePos | undefined { return posOf(this.obj, path, key); }
  /** an error about the field at `path`, located at its value, or at its key with `key` */
  err(path: Path, code: string, message: string, hint: string, key = false): void {
    const where = path.length ? `${formatPath(path)}: ` : '';
    this.diag.error(code, `${ref(this.obj)}: ${where}${message}`, this.pos(path, key), hint);
    this.reported.push(formatPath(path));
  }
  /** true when a hand check already spoke about this path or one of its ancestors */
  covers(path: Path): boolean {
    const p = formatPath(path);
    return this.reported.some((r) => p === r || p.startsWith(r + '.') || p.startsWith(r + '['));
  }
}

// ---------------------------------------------------------------------------------------------
// shared field checks

function checkPort(c: Check, path: Path, v: unknown, opts: { what: string; allowZero?: boolean; allowName?: boolean; required?: boolean }): void {
  if (v === undefined || v === null) {
    if (opts.required) c.err(path, 'NS-MISSING-FIELD', `${opts.what} is required`, `give the ${opts.what} as a number from 1 to 65535`);
    return;
  }
  if (typeof v === 'string' && opts.allowName) {
    const why = portName(v);
    if (why) {
      c.err(path, 'NS-PORT-NAME', `${opts.what} "${v}" is not a port number or a valid port name: it ${why}`,
        /^\d+$/.test(v) ? 'write the port number without quotes' : 'a port name is at most 15 lower-case letters, digits and dashes (IANA_SVC_NAME), with at least one letter');
    }
    return;
  }
  if (!isInt(v)) return; // a wrong type is the schema's to report
  if (v === 0 && opts.allowZero) return;
  if (v < 1 || v > 65535) {
    c.err(path, 'NS-PORT-RANGE', `${opts.what} ${v} is out of range (1-65535)`, 'ports are 16-bit numbers from 1 to 65535');
  }
}

function checkProtocol(c: Check, path: Path, v: unknown): void {
  if (typeof v === 'string' && !PROTOCOLS.includes(v)) {
    c.err(path, 'NS-PROTOCOL', `protocol "${v}" is not supported (TCP, UDP, SCTP)`, PROTOCOL_HINT);
  }
}

function checkIP(c: Check, path: Path, v: unknown, what: string, family?: 4 | 6): void {
  if (v === undefined || v === null || v === '') return;
  if (typeof v !== 'string') return; // schema
  if (!validIP(v)) {
    c.err(path, 'NS-INVALID-IP', `${what} "${v}" is not a valid IP address`, 'write an IPv4 address as a.b.c.d (no leading zeros) or an IPv6 address');
    return;
  }
  if (family && ipFamily(v) !== family) {
    c.err(path, 'NS-INVALID-IP', `${what} "${v}" is not an IPv${family} address`, `this field holds IPv${family} addresses only`);
  }
}

function checkCIDR(c: Check, path: Path, v: unknown, what: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'string') return false;
  if (!validCIDR(v)) {
    c.err(path, 'NS-INVALID-CIDR', `${what} "${v}" is not a valid CIDR`, 'write a CIDR as address/prefix, e.g. 10.0.0.0/16 or fd00::/64');
    return false;
  }
  return true;
}

/**
 * Labels as apimachinery's ValidateLabels checks them: each key a qualified name (reported at the
 * key: a "__proto__" key included, read as an own key, never as the prototype), each value a label value.
 */
function checkLabels(c: Check, path: Path, labels: unknown): void {
  if (!isObj(labels)) return;
  for (const k of Object.keys(labels)) {
    const v = labels[k];
    const kw = qualifiedName(k);
    if (kw) c.err([...path, k], 'NS-LABEL', `label key "${k}" is invalid: ${kw}`, 'a label key is [prefix/]name, the name at most 63 characters of letters, digits, -, _ and .', true);
    else if (typeof v === 'string') {
      const vw = labelValue(v);
      if (vw) c.err([...path, k], 'NS-LABEL', `label value "${v}" is invalid: ${vw}`, 'a label value is at most 63 characters of letters, digits, -, _ and . (quote values like "true" or "1")');
    }
  }
}

/** A metav1.LabelSelector; returns the compiled selector when valid. */
function checkLabelSelector(c: Check, path: Path, sel: unknown): CompiledSelector | undefined {
  if (sel === undefined || sel === null || !isObj(sel)) return undefined;
  if (isObj(sel.matchLabels)) checkLabels(c, [...path, 'matchLabels'], sel.matchLabels);
  const exprs = sel.matchExpressions;
  if (exprs !== undefined && !Array.isArray(exprs)) return undefined;
  for (const e of arr(exprs)) if (!isObj(e) || typeof e.key !== 'string' || (e.values !== undefined && !Array.isArray(e.values))) return undefined; // schema
  try {
    return compileLabelSelector(sel as any);
  } catch (e) {
    if (e instanceof SelectorError) {
      const p = [...path, ...e.path];
      const isOp = e.path[e.path.length - 1] === 'operator';
      c.err(p, isOp ? 'NS-SELECTOR-OPERATOR' : 'NS-SELECTOR', e.message,
        isOp ? 'matchExpressions operators are In, NotIn, Exists and DoesNotExist (case matters)' : 'In and NotIn need values; Exists and DoesNotExist take none');
      return undefined;
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// metadata

function checkMeta(c: Check): void {
  const { kind, metadata } = c.obj;
  const name = metadata.name;
  if (typeof name === 'string') {
    let why: string | undefined, rule: string;
    if (kind === 'Service') { why = dns1035Label(name); rule = 'a Service name is a DNS-1035 label: lower-case letters, digits and -, starting with a letter, at most 63 characters'; }
    else if (kind === 'Namespace') { why = dns1123Label(name); rule = 'a Namespace name is a DNS-1123 label: lower-case letters, digits and -, at most 63 characters'; }
    else { why = dns1123Subdomain(name); rule = `a ${kind} name is a DNS-1123 subdomain: lower-case letters, digits, - and ., at most 253 characters`; }
    if (why) c.err(['metadata', 'name'], 'NS-INVALID-NAME', `name "${name}" is invalid: it ${why}`, rule);
  }
  const ns = metadata.namespace;
  if (typeof ns === 'string' && NAMESPACED_KINDS.has(kind)) {
    const why = dns1123Label(ns);
    if (why) c.err(['metadata', 'namespace'], 'NS-INVALID-NAME', `namespace "${ns}" is invalid: it ${why}`, 'a Namespace name is a DNS-1123 label: lower-case letters, digits and -, at most 63 characters');
  }
  checkLabels(c, ['metadata', 'labels'], metadata.labels);
}

// ---------------------------------------------------------------------------------------------
// pods and pod templates

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];

function checkPodSpec(c: Check, base: Path, spec: unknown): void {
  if (spec === undefined || spec === null) {
    c.err(base, 'NS-MISSING-FIELD', 'a pod needs a spec with at least one container', 'add spec.containers: [{name: app, image: ...}]');
    return;
  }
  if (!isObj(spec)) return;
  if (Array.isArray(spec.containers) && spec.containers.length === 0) {
    c.err([...base, 'containers'], 'NS-MISSING-FIELD', 'a pod needs at least one container', 'add an entry to containers: {name: app, image: ...}');
  }
  // validation.go ValidatePodSpec: nodeSelector is validated as labels (ValidateLabels)
  checkLabels(c, [...base, 'nodeSelector'], spec.nodeSelector);
  checkSchedulingConstraints(c, base, spec);
  const hostNetwork = spec.hostNetwork === true;
  // every container's ports, for the API server's port warnings (pkg/api/pod/warnings.go
  // warningsForPodSpecAndMeta, visiting init containers, then containers: VisitContainersWithPath)
  const allPorts = new Map<string, { path: Path; hostIP: string; hostPort: number }[]>();
  // host ports of the app containers (validation.go checkHostPortConflicts/AccumulateUniqueHostPorts)
  const hostPorts = new Map<string, Path>();
  for (const list of ['initContainers', 'containers'] as const) {
    arr(spec[list]).forEach((ctr: unknown, i: number) => {
      if (!isObj(ctr)) return;
      const cpath: Path = [...base, list, i];
      const cname = typeof ctr.name === 'string' ? ctr.name : `#${i}`;
      const names = new Map<string, number>();
      arr(ctr.ports).forEach((p: unknown, j: number) => {
        if (!isObj(p)) return;
        const ppath: Path = [...cpath, 'ports', j];
        checkPort(c, [...ppath, 'containerPort'], p.containerPort, { what: 'containerPort', required: true });
        checkPort(c, [...ppath, 'hostPort'], p.hostPort, { what: 'hostPort', allowZero: true });
        checkProtocol(c, [...ppath, 'protocol'], p.protocol);
        checkIP(c, [...ppath, 'hostIP'], p.hostIP, 'hostIP');
        if (typeof p.name === 'string') {
          const why = portName(p.name);
          // validation.go validateContainerPorts: names are unique within one container (field.Duplicate)
          if (why) c.err([...ppath, 'name'], 'NS-PORT-NAME', `port name "${p.name}" is invalid: it ${why}`, 'a port name is at most 15 lower-case letters, digits and dashes (IANA_SVC_NAME), with at least one letter');
          else if (names.has(p.name)) {
            const fp = c.pos([...cpath, 'ports', names.get(p.name)!, 'name']);
            c.err([...ppath, 'name'], 'NS-PORT-NAME', `Duplicate value: "${p.name}" (port name used twice in container ${cname})`,
              `give each port of a container its own name; the first "${p.name}" is ports[${names.get(p.name)}]${fp ? ` at ${formatPos(fp)}` : ''}`);
          } else names.set(p.name, j);
        }
        const proto = typeof p.protocol === 'string' ? p.protocol : 'TCP';
        const hostIP = typeof p.hostIP === 'string' ? p.hostIP : '';
        // a hostNetwork pod's ports default hostPort to containerPort (core/v1 defaults.go defaultHostNetworkPorts)
        const hostPort = isInt(p.hostPort) && p.hostPort !== 0 ? p.hostPort : hostNetwork && isInt(p.containerPort) ? p.containerPort : 0;
        if (hostNetwork && isInt(p.hostPort) && p.hostPort !== 0 && isInt(p.containerPort) && p.hostPort !== p.containerPort) {
          c.err([...ppath, 'hostPort'], 'NS-HOSTPORT', `hostPort ${p.hostPort} differs from containerPort ${p.containerPort} in a hostNetwork pod`, 'with hostNetwork: true the container listens on the node itself, so hostPort must equal containerPort (or be left out)');
        }
        if (hostIP !== '' && hostPort === 0) {
          c.diag.warn('NS-CONTAINER-PORT', `${ref(c.obj)}: ${formatPath(ppath)}: hostIP set without hostPort (the API server warns; the hostIP has no effect)`, c.pos([...ppath, 'hostIP']));
        }
        if (isInt(p.containerPort)) {
          // warnings.go: the same containerPort/protocol twice in a pod is a warning, not an error
          const k = `${p.containerPort}/${proto}`;
          const others = allPorts.get(k);
          for (const o of others ?? []) {
            const kind = o.hostIP === hostIP && o.hostPort === hostPort ? 'duplicate'
              : hostPort === 0 || o.hostPort === 0 ? 'overlapping'
                : hostPort === o.hostPort && (hostIP === '') !== (o.hostIP === '') ? 'dangerously ambiguous' : undefined;
            if (!kind) continue;
            const fp = c.pos(o.path);
            c.diag.warn('NS-CONTAINER-PORT', `${ref(c.obj)}: ${formatPath(ppath)}: ${kind} port definition with ${formatPath(o.path)}${fp ? ` (${formatPos(fp)})` : ''}; containers of a pod share one network namespace, so only one can listen on ${proto} ${p.containerPort}`, c.pos([...ppath, 'containerPort']));
          }
          if (others) others.push({ path: ppath, hostIP, hostPort }); else allPorts.set(k, [{ path: ppath, hostIP, hostPort }]);
        }
        // host ports: one binding per protocol, hostIP and port among the app containers
        if (list === 'containers' && hostPort >= 1 && hostPort <= 65535) {
          const hkey = `${proto}/${hostIP}/${hostPort}`;
          const first = hostPorts.get(hkey);
          const hpath: Path = [...ppath, isInt(p.hostPort) && p.hostPort !== 0 ? 'hostPort' : 'containerPort'];
          if (first) {
            const fp = c.pos(first);
            c.err(hpath, 'NS-PORT-CLASH', `Duplicate value: "${hkey}" (${proto} hostPort ${hostPort}${hostIP ? ` on ${hostIP}` : ''} is bound twice in the pod${hostNetwork && hpath[hpath.length - 1] === 'containerPort' ? '; in a hostNetwork pod hostPort defaults to containerPort' : ''})`,
              `a host port can be bound once per node address; the first is ${formatPath(first)}${fp ? ` at ${formatPos(fp)}` : ''}`);
          } else hostPorts.set(hkey, hpath);
        }
      });
      for (const probe of PROBES) {
        const pr = ctr[probe];
        if (!isObj(pr)) continue;
        if (isObj(pr.httpGet)) checkPort(c, [...cpath, probe, 'httpGet', 'port'], pr.httpGet.port, { what: `${probe} port`, allowName: true, required: true });
        if (isObj(pr.tcpSocket)) checkPort(c, [...cpath, probe, 'tcpSocket', 'port'], pr.tcpSocket.port, { what: `${probe} port`, allowName: true, required: true });
        if (isObj(pr.grpc)) checkPort(c, [...cpath, probe, 'grpc', 'port'], pr.grpc.port, { what: `${probe} port`, required: true });
      }
    });
  }
  arr(spec.hostAliases).forEach((h: unknown, i: number) => {
    if (isObj(h)) checkIP(c, [...base, 'hostAliases', i, 'ip'], h.ip, 'hostAliases ip');
  });
  const dnsConfig = spec.dnsConfig;
  if (isObj(dnsConfig)) {
    const ns = arr(dnsConfig.nameservers);
    ns.forEach((ip: unknown, i: number) => checkIP(c, [...base, 'dnsConfig', 'nameservers', i], ip, 'nameserver'));
    if (ns.length > 3) c.err([...base, 'dnsConfig', 'nameservers'], 'NS-DNS-CONFIG', `${ns.length} nameservers given; at most 3 are allowed`, 'the glibc resolver reads at most 3 nameservers (MAXNS), and the API server refuses more');
    const searches = arr(dnsConfig.searches);
    if (searches.length > 32) c.err([...base, 'dnsConfig', 'searches'], 'NS-DNS-CONFIG', `${searches.length} search domains given; at most 32 are allowed`, 'the API server allows at most 32 search domains');
  }
  if (spec.dnsPolicy === 'None' && !(isObj(dnsConfig) && arr(dnsConfig.nameservers).length > 0)) {
    c.err([...base, 'dnsPolicy'], 'NS-DNS-CONFIG', 'dnsPolicy None needs dnsConfig with at least one nameserver', 'add dnsConfig.nameservers, or use dnsPolicy ClusterFirst');
  }
}

function checkPod(c: Check): void {
  checkPodSpec(c, ['spec'], c.obj.spec);
  const st = c.obj.status;
  if (!isObj(st)) return;
  checkIP(c, ['status', 'podIP'], st.podIP, 'podIP');
  checkIP(c, ['status', 'hostIP'], st.hostIP, 'hostIP');
  arr(st.podIPs).forEach((p: unknown, i: number) => { if (isObj(p)) checkIP(c, ['status', 'podIPs', i, 'ip'], p.ip, 'podIPs ip'); });
  arr(st.hostIPs).forEach((p: unknown, i: number) => { if (isObj(p)) checkIP(c, ['status', 'hostIPs', i, 'ip'], p.ip, 'hostIPs ip'); });
  const first = arr(st.podIPs)[0];
  if (validIP(st.podIP) && isObj(first) && validIP(first.ip) && first.ip !== st.podIP) {
    c.err(['status', 'podIPs', 0, 'ip'], 'NS-INVALID-IP', `podIPs[0] ${first.ip} differs from podIP ${st.podIP}`, 'status.podIPs[0] must be the same address as status.podIP');
  }
}

const TEMPLATE_PATH: Record<string, Path> = {
  Deployment: ['spec', 'template'], ReplicaSet: ['spec', 'template'], StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'], Job: ['spec', 'template'], CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

function get(obj: unknown, path: Path): unknown {
  let v: any = obj;
  for (const k of path) { if (v === null || typeof v !== 'object') return undefined; v = v[k]; }
  return v;
}

function checkWorkload(c: Check): void {
  const kind = c.obj.kind;
  const tpath = TEMPLATE_PATH[kind];
  const template = get(c.obj, tpath);
  const tlabels = get(template, ['metadata', 'labels']);
  checkLabels(c, [...tpath, 'metadata', 'labels'], tlabels);
  if (isObj(template)) checkPodSpec(c, [...tpath, 'spec'], get(template, ['spec']));
  const spec = c.obj.spec;
  if (!isObj(spec)) return;
  if (isInt(spec.replicas) && spec.replicas < 0) c.err(['spec', 'replicas'], 'NS-INVALID-VALUE', `replicas ${spec.replicas} is negative`, 'replicas must be 0 or more');
  if (kind === 'CronJob') return;
  const sel = checkLabelSelector(c, ['spec', 'selector'], spec.selector);
  if (!sel || kind === 'Job') return; // a Job's selector is generated unless manualSelector
  if (sel.empty) {
    c.err(['spec', 'selector'], 'NS-SELECTOR', `an empty selector is invalid for a ${kind}`, `give the ${kind} a selector matching its pod template's labels`);
  } else if (isObj(tlabels) || tlabels === undefined) {
    if (!sel.matches(tlabels as Record<string, string> | undefined)) {
      c.err(['spec', 'selector'], 'NS-SELECTOR-MISMATCH', `selector "${sel.text}" does not match the pod template's labels`, `the ${kind}'s pods would not be selected by their own controller; make spec.template.metadata.labels satisfy spec.selector`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// services and endpoints

function checkService(c: Check): void {
  const spec = c.obj.spec;
  if (!isObj(spec)) return;
  const type = typeof spec.type === 'string' ? spec.type : 'ClusterIP';
  const ipOrNone = (path: Path, v: unknown, what: string) => {
    if (v === 'None' || v === '') return;
    checkIP(c, path, v, what);
  };
  ipOrNone(['spec', 'clusterIP'], spec.clusterIP, 'clusterIP');
  arr(spec.clusterIPs).forEach((ip: unknown, i: number) => ipOrNone(['spec', 'clusterIPs', i], ip, 'clusterIPs entry'));
  const ips = arr(spec.clusterIPs);
  if (typeof spec.clusterIP === 'string' && spec.clusterIP !== '' && ips.length && typeof ips[0] === 'string' && ips[0] !== spec.clusterIP) {
    c.err(['spec', 'clusterIPs', 0], 'NS-INVALID-IP', `clusterIPs[0] "${ips[0]}" differs from clusterIP "${spec.clusterIP}"`, 'clusterIPs[0] must be the same as clusterIP');
  }
  if (ips.length > 2) c.err(['spec', 'clusterIPs'], 'NS-INVALID-IP', `${ips.length} clusterIPs given; at most 2 (one per IP family)`, 'a dual-stack Service has one IPv4 and one IPv6 clusterIP');
  else if (ips.length === 2 && validIP(ips[0]) && validIP(ips[1]) && ipFamily(ips[0]) === ipFamily(ips[1])) {
    c.err(['spec', 'clusterIPs', 1], 'NS-INVALID-IP', `clusterIPs "${ips[0]}" and "${ips[1]}" are of the same IP family`, 'a dual-stack Service has one IPv4 and one IPv6 clusterIP');
  }
  arr(spec.externalIPs).forEach((ip: unknown, i: number) => checkIP(c, ['spec', 'externalIPs', i], ip, 'externalIP'));
  checkIP(c, ['spec', 'loadBalancerIP'], spec.loadBalancerIP, 'loadBalancerIP');
  arr(spec.loadBalancerSourceRanges).forEach((r: unknown, i: number) => checkCIDR(c, ['spec', 'loadBalancerSourceRanges', i], typeof r === 'string' ? r.trim() : r, 'loadBalancerSourceRanges entry'));
  if (isObj(spec.selector)) checkLabels(c, ['spec', 'selector'], spec.selector);
  if (type === 'ExternalName') {
    if (typeof spec.externalName !== 'string' || spec.externalName === '') {
      c.err(['spec', 'externalName'], 'NS-MISSING-FIELD', 'an ExternalName Service needs spec.externalName', 'set spec.externalName to the DNS name the Service aliases');
    } else {
      const why = dns1123Subdomain(spec.externalName.replace(/\.$/, ''));
      if (why) c.err(['spec', 'externalName'], 'NS-INVALID-NAME', `externalName "${spec.externalName}" is not a valid DNS name: it ${why}`, 'externalName is a DNS name such as db.example.com');
    }
  }
  const ports = arr(spec.ports);
  if (ports.length === 0 && type !== 'ExternalName' && spec.clusterIP !== 'None' && spec.ports === undefined) {
    c.err(['spec', 'ports'], 'NS-MISSING-FIELD', 'a Service needs at least one port', 'add spec.ports (only headless and ExternalName Services may have none)');
  }
  const names = new Map<string, number>();
  const seen = new Map<string, number>();
  ports.forEach((p: unknown, i: number) => {
    if (!isObj(p)) return;
    const pp: Path = ['spec', 'ports', i];
    checkPort(c, [...pp, 'port'], p.port, { what: 'port', required: true });
    checkPort(c, [...pp, 'targetPort'], p.targetPort, { what: 'targetPort', allowName: true, allowZero: false });
    checkPort(c, [...pp, 'nodePort'], p.nodePort, { what: 'nodePort', allowZero: true });
    checkProtocol(c, [...pp, 'protocol'], p.protocol);
    if (typeof p.name === 'string' && p.name !== '') {
      const why = dns1123Label(p.name);
      if (why) c.err([...pp, 'name'], 'NS-PORT-NAME', `port name "${p.name}" is invalid: it ${why}`, 'a Service port name is a DNS-1123 label');
      else if (names.has(p.name)) c.err([...pp, 'name'], 'NS-PORT-NAME', `port name "${p.name}" is already used by ports[${names.get(p.name)}]`, 'each port of a Service needs its own name');
      else names.set(p.name, i);
    } else if (ports.length > 1) {
      c.err([...pp, 'name'], 'NS-PORT-NAME', 'a Service with more than one port must name every port', 'add a name (e.g. "http") to each entry of spec.ports');
    }
    if (isInt(p.port)) {
      const key = `${p.port}/${typeof p.protocol === 'string' ? p.protocol : 'TCP'}`;
      if (seen.has(key)) c.err([...pp, 'port'], 'NS-DUPLICATE-PORT', `${key} is already declared by ports[${seen.get(key)}]`, 'a Service may expose each port+protocol once');
      else seen.set(key, i);
    }
  });
  if (isObj(spec.sessionAffinityConfig) && isObj(spec.sessionAffinityConfig.clientIP)) {
    const t = spec.sessionAffinityConfig.clientIP.timeoutSeconds;
    if (isInt(t) && (t < 1 || t > 86400)) c.err(['spec', 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds'], 'NS-INVALID-VALUE', `timeoutSeconds ${t} is out of range (1-86400)`, 'the ClientIP affinity timeout is 1 to 86400 seconds (default 10800)');
  }
}

function checkEndpoints(c: Check): void {
  arr((c.obj as any).subsets).forEach((s: unknown, i: number) => {
    if (!isObj(s)) return;
    for (const list of ['addresses', 'notReadyAddresses']) {
      arr(s[list]).forEach((a: unknown, j: number) => { if (isObj(a)) checkIP(c, ['subsets', i, list, j, 'ip'], a.ip, 'endpoint ip'); });
    }
    arr(s.ports).forEach((p: unknown, j: number) => {
      if (!isObj(p)) return;
      checkPort(c, ['subsets', i, 'ports', j, 'port'], p.port, { what: 'port', required: true });
      checkProtocol(c, ['subsets', i, 'ports', j, 'protocol'], p.protocol);
    });
  });
}

function checkEndpointSlice(c: Check): void {
  const o = c.obj as any;
  const fam = o.addressType === 'IPv4' ? 4 : o.addressType === 'IPv6' ? 6 : undefined;
  arr(o.endpoints).forEach((e: unknown, i: number) => {
    if (!isObj(e)) return;
    arr(e.addresses).forEach((a: unknown, j: number) => {
      if (fam) checkIP(c, ['endpoints', i, 'addresses', j], a, 'endpoint address', fam);
    });
  });
  arr(o.ports).forEach((p: unknown, j: number) => {
    if (!isObj(p)) return;
    checkPort(c, ['ports', j, 'port'], p.port, { what: 'port' });
    checkProtocol(c, ['ports', j, 'protocol'], p.protocol);
  });
}

function checkNode(c: Check): void {
  const spec = c.obj.spec;
  if (isObj(spec)) {
    checkCIDR(c, ['spec', 'podCIDR'], spec.podCIDR, 'podCIDR');
    arr(spec.podCIDRs).forEach((x: unknown, i: number) => checkCIDR(c, ['spec', 'podCIDRs', i], x, 'podCIDRs entry'));
    const list = arr(spec.podCIDRs);
    if (validCIDR(spec.podCIDR) && validCIDR(list[0]) && parseCIDR(spec.podCIDR).text !== parseCIDR(list[0]).text) {
      c.err(['spec', 'podCIDRs', 0], 'NS-INVALID-CIDR', `podCIDRs[0] "${list[0]}" differs from podCIDR "${spec.podCIDR}"`, 'spec.podCIDRs[0] must be the same as spec.podCIDR');
    }
    if (list.length === 2 && cidrFamily(list[0]) !== null && cidrFamily(list[0]) === cidrFamily(list[1])) {
      c.err(['spec', 'podCIDRs', 1], 'NS-INVALID-CIDR', 'podCIDRs holds two ranges of the same IP family', 'a dual-stack node has one IPv4 and one IPv6 podCIDR');
    }
  }
  const st = c.obj.status;
  if (isObj(st)) {
    arr(st.addresses).forEach((a: unknown, i: number) => {
      if (isObj(a) && (a.type === 'InternalIP' || a.type === 'ExternalIP')) checkIP(c, ['status', 'addresses', i, 'address'], a.address, `${a.type} address`);
    });
  }
}

function checkPeers(c: Check, path: Path, peers: unknown): void {
  arr(peers).forEach((peer: unknown, j: number) => {
    if (!isObj(peer)) return;
    const pp: Path = [...path, j];
    checkLabelSelector(c, [...pp, 'podSelector'], peer.podSelector);
    checkLabelSelector(c, [...pp, 'namespaceSelector'], peer.namespaceSelector);
    const ib = peer.ipBlock;
    if (isObj(ib)) {
      if ((peer.podSelector ?? peer.namespaceSelector) !== undefined) {
        c.err([...pp, 'ipBlock'], 'NS-NETPOL-PEER', 'a peer may not have both ipBlock and a pod or namespace selector', 'split it into two entries of the list; entries are ORed');
      }
      if (ib.cidr === undefined) { c.err([...pp, 'ipBlock', 'cidr'], 'NS-MISSING-FIELD', 'ipBlock needs a cidr', 'e.g. ipBlock: {cidr: 10.0.0.0/8}'); return; }
      const ok = checkCIDR(c, [...pp, 'ipBlock', 'cidr'], ib.cidr, 'ipBlock cidr');
      arr(ib.except).forEach((x: unknown, k: number) => {
        if (!checkCIDR(c, [...pp, 'ipBlock', 'except', k], x, 'ipBlock except entry') || !ok) return;
        const outer = parseCIDR(ib.cidr as string), inner = parseCIDR(x as string);
        if (outer.family !== inner.family || inner.prefix <= outer.prefix || !cidrContains(outer, (x as string).split('/')[0])) {
          c.err([...pp, 'ipBlock', 'except', k], 'NS-INVALID-CIDR', `except "${x}" is not a strict subset of cidr "${ib.cidr}"`, 'each except range must lie inside the ipBlock cidr and be smaller than it');
        }
      });
    }
  });
}

function checkNetworkPolicy(c: Check): void {
  const spec = c.obj.spec;
  if (!isObj(spec)) return;
  checkLabelSelector(c, ['spec', 'podSelector'], spec.podSelector);
  for (const [dir, peersKey] of [['ingress', 'from'], ['egress', 'to']] as const) {
    arr(spec[dir]).forEach((rule: unknown, i: number) => {
      if (!isObj(rule)) return;
      checkPeers(c, ['spec', dir, i, peersKey], rule[peersKey]);
      arr(rule.ports).forEach((p: unknown, k: number) => {
        if (!isObj(p)) return;
        const pp: Path = ['spec', dir, i, 'ports', k];
        checkPort(c, [...pp, 'port'], p.port, { what: 'port', allowName: true });
        checkProtocol(c, [...pp, 'protocol'], p.protocol);
        if (p.endPort !== undefined) {
          checkPort(c, [...pp, 'endPort'], p.endPort, { what: 'endPort' });
          if (!isInt(p.port)) c.err([...pp, 'endPort'], 'NS-PORT-RANGE', 'endPort needs a numeric port', 'a port range is port..endPort with both numbers');
          else if (isInt(p.endPort) && p.endPort < p.port) c.err([...pp, 'endPort'], 'NS-PORT-RANGE', `endPort ${p.endPort} is below port ${p.port}`, 'endPort must be greater than or equal to port');
        }
      });
    });
  }
}

function checkBackend(c: Check, path: Path, b: unknown): void {
  if (!isObj(b) || !isObj(b.service) || !isObj(b.service.port)) return;
  checkPort(c, [...path, 'service', 'port', 'number'], b.service.port.number, { what: 'backend port' });
}

function checkIngress(c: Check): void {
  for (const e of ingressProblems(c.obj)) if (!c.covers(e.path)) c.err(e.path, e.code, e.message, e.hint);
  const spec = c.obj.spec;
  if (!isObj(spec)) return;
  checkBackend(c, ['spec', 'defaultBackend'], spec.defaultBackend);
  arr(spec.rules).forEach((r: unknown, i: number) => {
    if (!isObj(r) || !isObj(r.http)) return;
    arr(r.http.paths).forEach((p: unknown, j: number) => { if (isObj(p)) checkBackend(c, ['spec', 'rules', i, 'http', 'paths', j, 'backend'], p.backend); });
  });
}

/**
 * Strict field validation (kubectl's default since 1.27): a field the schema does not declare is
 * refused by the API server's decoder with `strict decoding error: unknown field "spec.x"`
 * (k8s.io/apimachinery runtime.NewStrictDecodingError, sigs.k8s.io/json UnmarshalStrict).
 * Reported at the key, the closest declared field as hint.
 */
function checkUnknownFields(c: Check): void {
  const { kind, apiVersion } = c.obj;
  const version = apiVersion.slice(apiVersion.indexOf('/') + 1);
  for (const u of unknownFields(c.obj)) {
    const where = formatPath(u.path);
    const parent = formatPath(u.path.slice(0, -1));
    const name = String(u.path[u.path.length - 1]);
    const hint = u.closest
      ? `did you mean "${u.closest}"? ${parent || kind} has no field "${name}" (kubectl apply: ${kind} in version "${version}" cannot be handled as a ${kind})`
      : `${parent || kind} has no field "${name}"; its fields are ${u.known.join(', ')} (see kubectl explain ${kind.toLowerCase()}${parent ? '.' + parent.replace(/\[\d+\]/g, '') : ''})`;
    c.diag.error('NS-UNKNOWN-FIELD', `${ref(c.obj)}: strict decoding error: unknown field "${where}"`, c.pos(u.path, true), hint);
    c.reported.push(where);
  }
}

const CHECKS: Record<string, (c: Check) => void> = {
  Pod: checkPod, Deployment: checkWorkload, ReplicaSet: checkWorkload, StatefulSet: checkWorkload,
  DaemonSet: checkWorkload, Job: checkWorkload, CronJob: checkWorkload, Service: checkService,
  Endpoints: checkEndpoints, EndpointSlice: checkEndpointSlice, Node: checkNode, NetworkPolicy: checkNetworkPolicy,
  Ingress: checkIngress,
  ...Object.fromEntries(Object.entries(ISTIO_CHECKS).map(([kind, check]) => [kind, (c: Check) => check({
    err: (path, code, message, hint) => c.err(path, code, message, hint),
    warn: (path, message) => c.diag.warn('NS-ISTIO-UNMODELLED', `${ref(c.obj)}: ${formatPath(path)}: ${message}`, c.pos(path)),
  }, c.obj.spec)])),
};

// ---------------------------------------------------------------------------------------------

/**
 * Validates API objects (not config documents): schema, semantic checks, duplicate names.
 * Errors go to `diag`. Objects are not changed.
 */
export function validateObjects(objects: readonly KObject[], diag: Diagnostics): void {
  const names = new Map<string, KObject>();
  for (const obj of objects) {
    if (classify(obj.apiVersion, obj.kind).cls !== 'object') continue;
    const c = new Check(obj, diag);
    if (!isObj(obj.metadata) || typeof obj.metadata.name !== 'string') continue; // the loader reported it
    checkMeta(c);
    CHECKS[obj.kind]?.(c);
    // an object an API server already stored (a snapshot: it carries the uid and resourceVersion
    // only the API server writes) passed its schema there; the semantic checks above still run
    const stored = typeof obj.metadata.uid === 'string' && typeof obj.metadata.resourceVersion === 'string' && obj.metadata.resourceVersion !== '';
    if (!stored) checkUnknownFields(c);
    if (!stored) for (const e of schemaErrors(obj)) {
      if (c.covers(e.path)) continue;
      c.err(e.path, 'NS-SCHEMA', e.message, e.hint);
    }
    const ns = NAMESPACED_KINDS.has(obj.kind) ? (typeof obj.metadata.namespace === 'string' && obj.metadata.namespace !== '' ? obj.metadata.namespace : 'default') : '';
    const key = `${obj.kind}\u0000${ns}\u0000${obj.metadata.name}`;
    const first = names.get(key);
    if (first) {
      const fp = posOf(first, ['metadata', 'name']);
      diag.error('NS-DUPLICATE-NAME', `${obj.kind} ${ns ? ns + '/' : ''}${obj.metadata.name} is defined twice`, posOf(obj, ['metadata', 'name']),
        `the first definition is at ${fp ? formatPos(fp) : 'an earlier input'}; rename one of them or remove the copy`);
    } else names.set(key, obj);
  }
}

const SCHEDULE_ACTIONS = ['DoNotSchedule', 'ScheduleAnyway'];
const NODE_INCLUSION_POLICIES = ['Honor', 'Ignore'];
const SCHEDULING_HINT = 'see `kubectl explain pod.spec.topologySpreadConstraints` and `pod.spec.affinity`';

/**
 * The API server's checks of the fields the scheduler's filters read (pkg/apis/core/validation:
 * validateTopologySpreadConstraints — ValidateMaxSkew, validateMinDomains, ValidateTopologyKey,
 * ValidateWhenUnsatisfiable, ValidateSpreadConstraintNotRepeat, the node inclusion policies — and
 * validatePodAffinityTerm's topologyKey), in its words.
 */
function checkSchedulingConstraints(c: Check, base: Path, spec: Record<string, unknown>): void {
  const seen = new Set<string>();
  arr(spec.topologySpreadConstraints).forEach((t: unknown, i: number) => {
    if (!isObj(t)) return;
    const tp: Path = [...base, 'topologySpreadConstraints', i];
    if (isInt(t.maxSkew) && t.maxSkew <= 0) c.err([...tp, 'maxSkew'], 'NS-SCHEDULING', `Invalid value: ${t.maxSkew}: must be greater than zero`, 'maxSkew is the largest allowed difference in matching pods between two domains: 1 or more');
    if (t.topologyKey === '') c.err([...tp, 'topologyKey'], 'NS-SCHEDULING', 'Required value: can not be empty', 'a node label key, e.g. topology.kubernetes.io/zone or kubernetes.io/hostname');
    const action = t.whenUnsatisfiable;
    if (typeof action === 'string' && !SCHEDULE_ACTIONS.includes(action)) c.err([...tp, 'whenUnsatisfiable'], 'NS-SCHEDULING', `Unsupported value: "${action}": supported values: "DoNotSchedule", "ScheduleAnyway"`, SCHEDULING_HINT);
    if (t.minDomains !== undefined && t.minDomains !== null && isInt(t.minDomains)) {
      if (t.minDomains <= 0) c.err([...tp, 'minDomains'], 'NS-SCHEDULING', `Invalid value: ${t.minDomains}: must be greater than zero`, 'minDomains counts topology domains: 1 or more');
      if (action !== 'DoNotSchedule') c.err([...tp, 'minDomains'], 'NS-SCHEDULING', `Invalid value: ${t.minDomains}: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${String(action)}`, 'drop minDomains or set whenUnsatisfiable: DoNotSchedule');
    }
    for (const f of ['nodeAffinityPolicy', 'nodeTaintsPolicy'] as const) {
      const v = t[f];
      if (typeof v === 'string' && !NODE_INCLUSION_POLICIES.includes(v)) c.err([...tp, f], 'NS-SCHEDULING', `Unsupported value: "${v}": supported values: "Honor", "Ignore"`, SCHEDULING_HINT);
    }
    if (typeof t.topologyKey === 'string' && typeof action === 'string') {
      const pair = `{${t.topologyKey}, ${action}}`;
      if (seen.has(pair)) c.err([...tp, 'topologyKey'], 'NS-SCHEDULING', `Duplicate value: "${pair}"`, 'one constraint per topology key and whenUnsatisfiable; merge the two');
      seen.add(pair);
    }
  });
  const aff = isObj(spec.affinity) ? spec.affinity : undefined;
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const a = aff && isObj(aff[kind]) ? aff[kind] : undefined;
    if (!a) continue;
    arr(a.requiredDuringSchedulingIgnoredDuringExecution).forEach((term: unknown, i: number) => {
      if (isObj(term) && term.topologyKey === '') c.err([...base, 'affinity', kind, 'requiredDuringSchedulingIgnoredDuringExecution', i, 'topologyKey'], 'NS-SCHEDULING', 'Required value: can not be empty', 'a node label key, e.g. kubernetes.io/hostname');
    });
    arr(a.preferredDuringSchedulingIgnoredDuringExecution).forEach((w: unknown, i: number) => {
      if (isObj(w) && isObj(w.podAffinityTerm) && w.podAffinityTerm.topologyKey === '') c.err([...base, 'affinity', kind, 'preferredDuringSchedulingIgnoredDuringExecution', i, 'podAffinityTerm', 'topologyKey'], 'NS-SCHEDULING', 'Required value: can not be empty', 'a node label key, e.g. kubernetes.io/hostname');
    });
  }
}
