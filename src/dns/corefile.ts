// The Corefile: CoreDNS's configuration (the `coredns` ConfigMap in kube-system, else kubeadm's
// default). Read as CoreDNS's Caddy-based lexer reads it: server blocks `ZONE[:PORT] [ZONE…] {`,
// one directive a line, nested `{ … }` blocks, `#` comments, quoted tokens, snippets `(name)` with
// `import name`. The plugins that decide answers are read into typed configs (kubernetes, forward,
// hosts, rewrite name, cache, loop, loadbalance); plugins that never change an answer (errors,
// health, ready, prometheus, log, reload, …) are accepted; any other plugin is a warning naming it
// with its line, and netspec answers as if that line were absent.
import type { Warning } from '../model/errors';
import type { SourcePos } from '../net/trace';
import { canonicalIP, ipFamily, isIP, parseCIDR, bigIntToIP } from '../net/ip';
import { fqdn } from './names';

/** kubeadm's Corefile (cmd/kubeadm/app/phases/addons/dns/manifests.go, CoreDNSConfigMap). */
export function kubeadmCorefile(dnsDomain: string): string {
  return [
    '.:53 {',
    '    errors',
    '    health {',
    '       lameduck 5s',
    '    }',
    '    ready',
    `    kubernetes ${dnsDomain} in-addr.arpa ip6.arpa {`,
    '       pods insecure',
    '       fallthrough in-addr.arpa ip6.arpa',
    '       ttl 30',
    '    }',
    '    prometheus :9153',
    '    forward . /etc/resolv.conf {',
    '       max_concurrent 1000',
    '    }',
    '    cache 30 {',
    `       disable success ${dnsDomain}`,
    `       disable denial ${dnsDomain}`,
    '    }',
    '    loop',
    '    reload',
    '    loadbalance',
    '}',
    '',
  ].join('\n');
}

// ------------------------------------------------------------------------------------------------
// Lexing and the block structure

interface Token { text: string; line: number; col: number; quoted: boolean }

export interface Directive {
  name: string;
  args: string[];
  /** sub-directives of a `{ … }` block, or null */
  block: Directive[] | null;
  /** 1-based line and column in the Corefile text */
  line: number;
  col: number;
}

export interface ServerKey {
  /** the key as written, e.g. ".:53" or "dns://consul.local:53" */
  raw: string;
  /** fully qualified, lower-cased zone */
  zone: string;
  port: number;
  scheme: string;
}

export interface ServerBlockSyntax {
  keys: ServerKey[];
  directives: Directive[];
  line: number;
}

function lex(text: string): Token[] {
  const toks: Token[] = [];
  let line = 1, col = 1, i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') { i++; line++; col = 1; continue; }
    if (c === ' ' || c === '\t' || c === '\r') { i++; col++; continue; }
    if (c === '#') { while (i < text.length && text[i] !== '\n') i++; continue; }
    const tl = line, tc = col;
    if (c === '"' || c === '`') {
      const q = c;
      let s = '';
      i++; col++;
      while (i < text.length && text[i] !== q) {
        if (q === '"' && text[i] === '\\' && text[i + 1] === '"') { s += '"'; i += 2; col += 2; continue; }
        if (text[i] === '\n') { line++; col = 0; }
        s += text[i]; i++; col++;
      }
      i++; col++;
      toks.push({ text: s, line: tl, col: tc, quoted: true });
      continue;
    }
    let s = '';
    while (i < text.length && !' \t\r\n'.includes(text[i])) { s += text[i]; i++; col++; }
    toks.push({ text: s, line: tl, col: tc, quoted: false });
  }
  return toks;
}

const open = (t: Token | undefined) => !!t && !t.quoted && t.text === '{';
const close = (t: Token | undefined) => !!t && !t.quoted && t.text === '}';

/** Parses the Corefile into server blocks; problems go to `warn` with their line. */
export function parseCorefileSyntax(text: string, warn: (line: number, col: number, code: string, message: string) => void): ServerBlockSyntax[] {
  const toks = lex(text);
  const snippets = new Map<string, Token[]>();
  let i = 0;

  // expands `import SNIPPET` lines; other imports (files, globs) cannot be read offline
  const expand = (list: Token[], depth = 0): Token[] => {
    const out: Token[] = [];
    for (let k = 0; k < list.length; k++) {
      const t = list[k];
      const lineStart = k === 0 || list[k - 1].line !== t.line;
      if (lineStart && !t.quoted && t.text === 'import' && list[k + 1] && list[k + 1].line === t.line) {
        const arg = list[k + 1];
        const snip = snippets.get(arg.text);
        if (snip && depth < 10) out.push(...expand(snip, depth + 1)); // tokens keep the snippet's own lines
        else warn(t.line, t.col, 'NS-COREFILE-IMPORT', `import ${arg.text}: netspec cannot read imported files offline; the imported plugins are not modelled`);
        k++;
        while (list[k + 1] && list[k + 1].line === t.line) k++;
        continue;
      }
      out.push(t);
    }
    return out;
  };

  // the tokens of a balanced `{ … }` starting at toks[i] (which is "{"); returns the inner tokens
  const takeBlock = (from: Token[], start: number): { inner: Token[]; next: number } => {
    let depth = 0;
    let k = start;
    const inner: Token[] = [];
    for (; k < from.length; k++) {
      const t = from[k];
      if (open(t)) { depth++; if (depth === 1) continue; }
      if (close(t)) { depth--; if (depth === 0) return { inner, next: k + 1 }; }
      inner.push(t);
    }
    warn(from[start].line, from[start].col, 'NS-COREFILE-SYNTAX', 'this block is never closed with "}"');
    return { inner, next: k };
  };

  const directives = (list: Token[]): Directive[] => {
    const out: Directive[] = [];
    let k = 0;
    while (k < list.length) {
      const t = list[k];
      if (close(t)) { warn(t.line, t.col, 'NS-COREFILE-SYNTAX', 'unexpected "}"'); k++; continue; }
      const d: Directive = { name: t.text, args: [], block: null, line: t.line, col: t.col };
      k++;
      while (k < list.length && list[k].line === t.line && !open(list[k])) { d.args.push(list[k].text); k++; }
      if (k < list.length && open(list[k]) ) {
        const { inner, next } = takeBlock(list, k);
        d.block = directives(inner);
        k = next;
      }
      out.push(d);
    }
    return out;
  };

  const blocks: ServerBlockSyntax[] = [];
  while (i < toks.length) {
    const t = toks[i];
    // snippet definition: (name) { … }
    if (!t.quoted && /^\(.+\)$/.test(t.text) && open(toks[i + 1])) {
      const { inner, next } = takeBlock(toks, i + 1);
      snippets.set(t.text.slice(1, -1), inner);
      i = next;
      continue;
    }
    if (!t.quoted && t.text === 'import') {
      // a top-level import of server blocks from files
      warn(t.line, t.col, 'NS-COREFILE-IMPORT', `import ${toks[i + 1]?.text ?? ''}: netspec cannot read imported files offline; their server blocks are not modelled`);
      i++;
      while (i < toks.length && toks[i].line === t.line) i++;
      continue;
    }
    // server keys up to "{"
    const keyToks: Token[] = [];
    while (i < toks.length && toks[i].line === t.line && !open(toks[i])) { keyToks.push(toks[i]); i++; }
    const keys: ServerKey[] = [];
    for (const kt of keyToks) {
      for (const part of kt.text.split(',').filter(Boolean)) {
        const k = parseServerKey(part);
        if (typeof k === 'string') warn(kt.line, kt.col, 'NS-COREFILE-SYNTAX', k);
        else keys.push(...k);
      }
    }
    if (i >= toks.length || !open(toks[i])) {
      warn(keyToks[0]?.line ?? 1, keyToks[0]?.col ?? 1, 'NS-COREFILE-SYNTAX', `server block "${keyToks.map((k) => k.text).join(' ')}" has no "{ … }" body`);
      continue;
    }
    const { inner, next } = takeBlock(toks, i);
    i = next;
    blocks.push({ keys, directives: directives(expand(inner)), line: keyToks[0]?.line ?? 1 });
  }
  return blocks;
}

/** `[scheme://]ZONE[:PORT]`, where ZONE may be a CIDR (reverse zones). */
export function parseServerKey(raw: string): ServerKey[] | string {
  let s = raw;
  let scheme = 'dns';
  const m = /^([a-z]+):\/\//.exec(s);
  if (m) { scheme = m[1]; s = s.slice(m[0].length); }
  let port = scheme === 'tls' ? 853 : scheme === 'https' ? 443 : scheme === 'grpc' ? 443 : 53;
  // a port: the last ":N" (IPv6 CIDRs have colons: only take a port after a "]" or when no "/")
  const pm = /:(\d+)$/.exec(s);
  if (pm && !(s.includes('/') && s.indexOf('/') > s.lastIndexOf(':')) && !/::/.test(s.slice(0, pm.index + 1))) {
    port = Number(pm[1]);
    s = s.slice(0, pm.index);
  }
  if (s === '') s = '.';
  if (s.includes('/')) {
    const zones = cidrToReverseZones(s);
    if (!zones) return `"${raw}" is not a valid zone or CIDR`;
    return zones.map((zone) => ({ raw, zone, port, scheme }));
  }
  return [{ raw, zone: fqdn(s), port, scheme }];
}

/** The reverse zones a CIDR stands for (CoreDNS plugin.Host.NormalizeExact: on octet/nibble bounds). */
export function cidrToReverseZones(text: string): string[] | null {
  let c;
  try { c = parseCIDR(text); } catch { return null; }
  if (c.family === 4) {
    const octets = bigIntToIP(c.base, 4).split('.');
    const whole = Math.floor(c.prefix / 8);
    const extra = c.prefix % 8;
    const base = octets.slice(0, whole).reverse().join('.');
    const suffix = (base ? base + '.' : '') + 'in-addr.arpa.';
    if (extra === 0) return [suffix];
    const start = Number(octets[whole]);
    const n = 1 << (8 - extra);
    const out: string[] = [];
    for (let k = 0; k < n; k++) out.push(`${start + k}.${suffix}`);
    return out;
  }
  const hex = bigIntToIP(c.base, 6);
  const full = expand6(hex);
  const nibbles = Math.floor(c.prefix / 4);
  const base = full.slice(0, nibbles).split('').reverse().join('.');
  const suffix = (base ? base + '.' : '') + 'ip6.arpa.';
  const extra = c.prefix % 4;
  if (extra === 0) return [suffix];
  const start = parseInt(full[nibbles], 16);
  const out: string[] = [];
  for (let k = 0; k < 1 << (4 - extra); k++) out.push(`${(start + k).toString(16)}.${suffix}`);
  return out;
}

function expand6(ip: string): string {
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail !== undefined ? 8 - h.length - t.length : 0;
  return [...h, ...Array(fill).fill('0'), ...t].map((g) => g.padStart(4, '0')).join('');
}

// ------------------------------------------------------------------------------------------------
// Plugin configurations

/** Where a directive sits, for traces ("Corefile line 7: kubernetes cluster.local …"). */
export interface LineRef {
  line: number;
  text: string;
  pos?: SourcePos;
}

export interface KubernetesConfig {
  zones: string[];
  /** the zone PTR answers name services in: the first zone that is not a reverse zone */
  primaryZone: string;
  podMode: 'disabled' | 'verified' | 'insecure';
  ttl: number;
  /** null: no fallthrough; []: every name; else only names in these zones */
  fallthrough: string[] | null;
  /** the `namespaces` option: only these are served (null: all) */
  namespaces: ReadonlySet<string> | null;
  endpointPodNames: boolean;
  ignoreEmptyService: boolean;
  noEndpoints: boolean;
  ref: LineRef;
}

export interface UpstreamAddr {
  /** canonical IP the fixture is looked up by */
  ip: string;
  port: number;
  /** as written ("1.1.1.1", "tls://9.9.9.9", or the nameserver line /etc/resolv.conf gave) */
  raw: string;
  /** came from the node's resolv.conf through `forward . /etc/resolv.conf` */
  fromResolvConf: boolean;
}

export interface ForwardConfig {
  from: string;
  to: UpstreamAddr[];
  except: string[];
  policy: string;
  ref: LineRef;
}

export interface HostsConfig {
  zones: string[];
  /** fqdn → addresses, in file order */
  byName: Map<string, string[]>;
  /** address → names, in file order */
  byIP: Map<string, string[]>;
  ttl: number;
  fallthrough: string[] | null;
  noReverse: boolean;
  file: string | null;
  ref: LineRef;
}

export type AnswerRewrite = { kind: 'auto' } | { kind: 'name'; re: RegExp; repl: string } | { kind: 'value'; re: RegExp; repl: string };

export interface RewriteRule {
  stop: boolean;
  match: 'exact' | 'prefix' | 'suffix' | 'substring' | 'regex';
  from: string;
  to: string;
  re?: RegExp;
  answer: AnswerRewrite[];
  ref: LineRef;
}

export interface CacheConfig {
  zones: string[];
  successMax: number;
  successMin: number;
  denialMax: number;
  denialMin: number;
  ref: LineRef;
}

export interface ServerBlock {
  keys: ServerKey[];
  zones: string[];
  port: number;
  line: number;
  ref: LineRef;
  /** plugins in the order CoreDNS runs them (plugin.cfg), not the order written */
  rewrite: RewriteRule[];
  hosts: HostsConfig | null;
  kubernetes: KubernetesConfig | null;
  forward: ForwardConfig[];
  cache: CacheConfig | null;
  loop: LineRef | null;
  loadbalance: LineRef | null;
  /** every directive as written, for traces */
  directives: Directive[];
}

export interface Corefile {
  text: string;
  /** "ConfigMap kube-system/coredns" or "kubeadm default" */
  source: string;
  blocks: ServerBlock[];
  warnings: Warning[];
}

/** Plugins that never change what is answered. */
const NO_EFFECT = new Set([
  'errors', 'health', 'ready', 'prometheus', 'log', 'debug', 'reload', 'bind', 'bufsize', 'pprof', 'trace',
  'metadata', 'nsid', 'cancel', 'timeouts', 'dnstap', 'tls', 'root', 'multisocket',
]);

const MAX_TTL_KUBERNETES = 3600;

export interface CorefileOptions {
  /** maps a Corefile line (1-based) and column to a position in the input, when known */
  posOf?: (line: number, col: number) => SourcePos | undefined;
  /** the node's resolv.conf nameservers (what `/etc/resolv.conf` means for `forward`) */
  resolvConfNameservers: string[];
  source: string;
}

/** Parses a Corefile into server blocks with typed plugin configurations and warnings. */
export function parseCorefile(text: string, opts: CorefileOptions): Corefile {
  const warnings: Warning[] = [];
  const lines = text.split('\n');
  const posAt = (line: number, col: number): SourcePos | undefined => opts.posOf?.(line, col);
  const warn = (line: number, col: number, code: string, message: string) =>
    warnings.push({ code, message: `${opts.source}, Corefile line ${line}: ${message}`, pos: posAt(line, col) });
  const refOf = (d: { line: number; col: number }): LineRef => ({ line: d.line, text: (lines[d.line - 1] ?? '').trim(), pos: posAt(d.line, d.col) });

  const syntax = parseCorefileSyntax(text, warn);
  const blocks: ServerBlock[] = [];
  for (const sb of syntax) {
    if (sb.keys.length === 0) continue;
    const zones = sb.keys.map((k) => k.zone);
    const port = sb.keys[0].port;
    const block: ServerBlock = {
      keys: sb.keys, zones, port, line: sb.line, ref: refOf({ line: sb.line, col: 1 }),
      rewrite: [], hosts: null, kubernetes: null, forward: [], cache: null, loop: null, loadbalance: null,
      directives: sb.directives,
    };
    if (sb.keys.some((k) => k.port !== port)) warn(sb.line, 1, 'NS-COREFILE-SYNTAX', 'the keys of one server block listen on different ports; netspec uses the first');
    if (sb.keys.some((k) => k.scheme !== 'dns')) warn(sb.line, 1, 'NS-COREFILE-PROTOCOL', `${sb.keys.filter((k) => k.scheme !== 'dns').map((k) => k.raw).join(', ')}: only plain DNS (dns://) is modelled; pods query plain DNS`);
    const once = (name: string, d: Directive): boolean => {
      warn(d.line, d.col, 'NS-COREFILE-DUPLICATE', `plugin ${name} is used twice in one server block; CoreDNS refuses such a Corefile. netspec uses the first`);
      return false;
    };
    for (const d of sb.directives) {
      const name = d.name.toLowerCase();
      switch (name) {
        case 'kubernetes':
          if (block.kubernetes) { once(name, d); break; }
          block.kubernetes = kubernetesConfig(d, zones, refOf(d), warn);
          break;
        case 'forward': {
          const f = forwardConfig(d, refOf(d), opts.resolvConfNameservers, warn);
          if (f) block.forward.push(f);
          break;
        }
        case 'hosts':
          if (block.hosts) { once(name, d); break; }
          block.hosts = hostsConfig(d, zones, refOf(d), warn);
          break;
        case 'rewrite':
          block.rewrite.push(...rewriteRules(d, refOf(d), warn));
          break;
        case 'cache':
          if (block.cache) { once(name, d); break; }
          block.cache = cacheConfig(d, zones, refOf(d), warn);
          break;
        case 'loop':
          block.loop = refOf(d);
          break;
        case 'loadbalance':
          block.loadbalance = refOf(d);
          break;
        default:
          if (!NO_EFFECT.has(name)) {
            warn(d.line, d.col, 'NS-COREFILE-PLUGIN', `plugin "${d.name}" is not modelled by netspec; answers are computed as if this line were absent`);
          }
      }
    }
    blocks.push(block);
  }
  // two blocks serving one zone on one port: CoreDNS refuses to start
  const seen = new Map<string, ServerBlock>();
  for (const b of blocks) {
    for (const z of b.zones) {
      const k = `${z}:${b.port}`;
      if (seen.has(k) && seen.get(k) !== b) warn(b.line, 1, 'NS-COREFILE-DUPLICATE', `zone ${z} on port ${b.port} is served by two server blocks; CoreDNS refuses such a Corefile. netspec uses the first`);
      else seen.set(k, b);
    }
  }
  return { text, source: opts.source, blocks, warnings };
}

type Warn = (line: number, col: number, code: string, message: string) => void;

function normZones(args: string[], d: Directive, warn: Warn): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (a.includes('/')) {
      const z = cidrToReverseZones(a);
      if (z) out.push(...z); else warn(d.line, d.col, 'NS-COREFILE-ZONE', `"${a}" is not a valid zone or CIDR`);
    } else out.push(fqdn(a));
  }
  return out;
}

function kubernetesConfig(d: Directive, blockZones: string[], ref: LineRef, warn: Warn): KubernetesConfig {
  const zones = d.args.length ? normZones(d.args, d, warn) : blockZones.slice();
  const forward = zones.find((z) => !z.endsWith('in-addr.arpa.') && !z.endsWith('ip6.arpa.') && z !== 'in-addr.arpa.' && z !== 'ip6.arpa.');
  const cfg: KubernetesConfig = {
    zones, primaryZone: forward ?? zones[0] ?? 'cluster.local.', podMode: 'disabled', ttl: 5, fallthrough: null, namespaces: null,
    endpointPodNames: false, ignoreEmptyService: false, noEndpoints: false, ref,
  };
  for (const o of d.block ?? []) {
    switch (o.name) {
      case 'pods':
        if (o.args[0] === 'disabled' || o.args[0] === 'verified' || o.args[0] === 'insecure') cfg.podMode = o.args[0];
        else warn(o.line, o.col, 'NS-COREFILE-OPTION', `pods ${o.args[0] ?? ''}: the mode is one of disabled, verified, insecure; CoreDNS refuses this Corefile. netspec keeps "disabled"`);
        break;
      case 'ttl': {
        const t = Number(o.args[0]);
        if (!/^\d+$/.test(o.args[0] ?? '') || t > MAX_TTL_KUBERNETES) warn(o.line, o.col, 'NS-COREFILE-OPTION', `ttl ${o.args[0] ?? ''}: must be from 0 to 3600 seconds; CoreDNS refuses this Corefile. netspec keeps 5`);
        else cfg.ttl = t;
        break;
      }
      case 'fallthrough':
        cfg.fallthrough = normZones(o.args, o, warn);
        break;
      case 'namespaces':
        cfg.namespaces = new Set(o.args);
        break;
      case 'endpoint_pod_names':
        cfg.endpointPodNames = true;
        break;
      case 'ignore':
        if (o.args[0] === 'empty_service') cfg.ignoreEmptyService = true;
        else warn(o.line, o.col, 'NS-COREFILE-OPTION', `ignore ${o.args.join(' ')}: unknown; the only form is "ignore empty_service"`);
        break;
      case 'noendpoints':
        cfg.noEndpoints = true;
        break;
      // how CoreDNS reaches the API server: no effect on answers
      case 'endpoint': case 'tls': case 'kubeconfig': case 'resyncperiod': case 'startup_timeout':
      case 'apiserver_qps': case 'apiserver_burst': case 'apiserver_max_inflight': case 'upstream':
        break;
      default:
        warn(o.line, o.col, 'NS-COREFILE-OPTION', `kubernetes option "${o.name}" is not modelled by netspec; answers are computed without it`);
    }
  }
  return cfg;
}

/** A forward destination: IP, IP:port, [IPv6]:port, dns://…, tls://… */
function upstreamAddr(raw: string): UpstreamAddr | null {
  let s = raw.replace(/^(dns|tls):\/\//, '');
  let port = raw.startsWith('tls://') ? 853 : 53;
  const b = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (b) { s = b[1]; if (b[2]) port = Number(b[2]); }
  else if (!isIP(s)) {
    const m = /^(.*):(\d+)$/.exec(s);
    if (m && ipFamily(m[1]) === 4) { s = m[1]; port = Number(m[2]); }
  }
  if (!isIP(s)) return null;
  return { ip: canonicalIP(s), port, raw, fromResolvConf: false };
}

function forwardConfig(d: Directive, ref: LineRef, resolvConf: string[], warn: Warn): ForwardConfig | null {
  if (d.args.length < 2) {
    warn(d.line, d.col, 'NS-COREFILE-OPTION', 'forward needs a zone and at least one upstream, e.g. "forward . 1.1.1.1"');
    return null;
  }
  const from = fqdn(d.args[0]);
  const to: UpstreamAddr[] = [];
  for (const a of d.args.slice(1)) {
    if (a.startsWith('/')) {
      if (a !== '/etc/resolv.conf') warn(d.line, d.col, 'NS-COREFILE-FILE', `forward ${a}: netspec reads only /etc/resolv.conf (the node's resolv.conf, as the CoreDNS pod runs with dnsPolicy Default); ${a} gives no upstreams`);
      else for (const ns of resolvConf) {
        const u = upstreamAddr(ns);
        if (u) to.push({ ...u, raw: ns, fromResolvConf: true });
      }
      continue;
    }
    const u = upstreamAddr(a);
    if (u) to.push(u);
    else warn(d.line, d.col, 'NS-COREFILE-OPTION', `forward: "${a}" is not an IP address, IP:port, or /etc/resolv.conf`);
  }
  const cfg: ForwardConfig = { from, to, except: [], policy: 'random', ref };
  for (const o of d.block ?? []) {
    if (o.name === 'except') cfg.except.push(...o.args.map(fqdn));
    else if (o.name === 'policy') cfg.policy = o.args[0] ?? 'random';
    else if (o.name === 'next') warn(o.line, o.col, 'NS-COREFILE-OPTION', 'forward option "next" is not modelled by netspec');
    // max_concurrent, force_tcp, prefer_udp, expire, max_fails, health_check, tls_servername, …: no effect on answers
  }
  return cfg;
}

/** The entries of the pod's own /etc/hosts that CoreDNS's hosts plugin reads when given no file. */
const ETC_HOSTS = '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n';

function hostsConfig(d: Directive, blockZones: string[], ref: LineRef, warn: Warn): HostsConfig {
  const file = d.args[0] ?? null;
  const zones = d.args.length > 1 ? normZones(d.args.slice(1), d, warn) : blockZones.slice();
  const cfg: HostsConfig = { zones, byName: new Map(), byIP: new Map(), ttl: 3600, fallthrough: null, noReverse: false, file: file ?? '/etc/hosts', ref };
  const addLine = (ip: string, names: string[]) => {
    const addr = canonicalIP(ip);
    for (const n0 of names) {
      const n = fqdn(n0);
      const l = cfg.byName.get(n) ?? [];
      if (!l.includes(addr)) l.push(addr);
      cfg.byName.set(n, l);
      const r = cfg.byIP.get(addr) ?? [];
      if (!r.includes(n)) r.push(n);
      cfg.byIP.set(addr, r);
    }
  };
  if (file === null || file === '/etc/hosts') {
    for (const l of ETC_HOSTS.trim().split('\n')) { const [ip, ...names] = l.split(/\s+/); addLine(ip, names); }
  } else {
    warn(d.line, d.col, 'NS-COREFILE-FILE', `hosts ${file}: netspec cannot read files from the CoreDNS pod; only the entries written inline are used`);
  }
  for (const o of d.block ?? []) {
    if (isIP(o.name)) {
      if (o.args.length === 0) warn(o.line, o.col, 'NS-COREFILE-OPTION', `hosts entry ${o.name} has no name`);
      else addLine(o.name, o.args);
      continue;
    }
    switch (o.name) {
      case 'fallthrough': cfg.fallthrough = normZones(o.args, o, warn); break;
      case 'ttl': {
        const t = Number(o.args[0]);
        if (/^\d+$/.test(o.args[0] ?? '') && t >= 0 && t <= 65535) cfg.ttl = t;
        else warn(o.line, o.col, 'NS-COREFILE-OPTION', `hosts ttl ${o.args[0] ?? ''}: not a number of seconds; keeping 3600`);
        break;
      }
      case 'no_reverse': cfg.noReverse = true; break;
      case 'reload': break;
      default: warn(o.line, o.col, 'NS-COREFILE-OPTION', `hosts: "${o.name}" is neither an address line nor an option netspec knows`);
    }
  }
  return cfg;
}

const MATCH_TYPES = new Set(['exact', 'prefix', 'suffix', 'substring', 'regex']);

function goRegex(src: string, d: { line: number; col: number }, warn: Warn): RegExp | null {
  try { return new RegExp(src); } catch (e) {
    warn(d.line, d.col, 'NS-COREFILE-OPTION', `rewrite: "${src}" is not a valid regular expression (${(e as Error).message})`);
    return null;
  }
}

function rewriteRules(d: Directive, ref: LineRef, warn: Warn): RewriteRule[] {
  let args = d.args.slice();
  let stop = true;
  if (args[0] === 'continue' || args[0] === 'stop') { stop = args[0] === 'stop'; args = args.slice(1); }
  // block form: rewrite stop { name regex A B \n answer name C D }
  if (d.block) {
    const nameLine = d.block.find((x) => x.name === 'name');
    const answers = d.block.filter((x) => x.name === 'answer');
    for (const x of d.block) if (x.name !== 'name' && x.name !== 'answer') warn(x.line, x.col, 'NS-COREFILE-OPTION', `rewrite ${x.name} is not modelled by netspec (only name rewrites are)`);
    if (!nameLine) return [];
    args = ['name', ...nameLine.args, ...answers.flatMap((a) => ['answer', ...a.args])];
  }
  const field = args[0];
  if (field !== 'name') {
    warn(d.line, d.col, 'NS-COREFILE-OPTION', `rewrite ${field ?? ''} is not modelled by netspec (only name rewrites are); answers are computed without it`);
    return [];
  }
  let rest = args.slice(1);
  let match: RewriteRule['match'] = 'exact';
  if (MATCH_TYPES.has(rest[0]) && rest.length >= 3) { match = rest[0] as RewriteRule['match']; rest = rest.slice(1); }
  if (rest.length < 2) {
    warn(d.line, d.col, 'NS-COREFILE-OPTION', 'rewrite name needs FROM and TO');
    return [];
  }
  const [from0, to0, ...opts] = rest;
  const rule: RewriteRule = { stop, match, from: from0, to: to0, answer: [], ref };
  if (match === 'exact' || match === 'suffix') { rule.from = fqdn(from0); rule.to = fqdn(to0); }
  else if (match === 'prefix' || match === 'substring') { rule.from = from0.toLowerCase(); rule.to = to0.toLowerCase(); }
  else {
    const re = goRegex(from0, d, warn);
    if (!re) return [];
    rule.re = re;
  }
  for (let k = 0; k < opts.length; k++) {
    if (opts[k] !== 'answer') { warn(d.line, d.col, 'NS-COREFILE-OPTION', `rewrite: unexpected "${opts[k]}"`); break; }
    const kind = opts[k + 1];
    if (kind === 'auto') { rule.answer.push({ kind: 'auto' }); k += 1; continue; }
    if ((kind === 'name' || kind === 'value') && opts[k + 3] !== undefined) {
      const re = goRegex(opts[k + 2], d, warn);
      if (re) rule.answer.push({ kind, re, repl: opts[k + 3] });
      k += 3;
      continue;
    }
    warn(d.line, d.col, 'NS-COREFILE-OPTION', 'rewrite: "answer" takes auto, name FROM TO, or value FROM TO');
    break;
  }
  return [rule];
}

function cacheConfig(d: Directive, blockZones: string[], ref: LineRef, warn: Warn): CacheConfig {
  const cfg: CacheConfig = { zones: blockZones.slice(), successMax: 3600, successMin: 5, denialMax: 1800, denialMin: 5, ref };
  let args = d.args;
  if (args[0] !== undefined && /^\d+$/.test(args[0])) {
    const t = Number(args[0]);
    cfg.successMax = t; cfg.denialMax = t;
    if (t < cfg.successMin) cfg.successMin = t;
    if (t < cfg.denialMin) cfg.denialMin = t;
    args = args.slice(1);
  }
  if (args.length) cfg.zones = normZones(args, d, warn);
  for (const o of d.block ?? []) {
    if (o.name === 'success' || o.name === 'denial') {
      const max = o.args[1] !== undefined ? Number(o.args[1]) : undefined;
      const min = o.args[2] !== undefined ? Number(o.args[2]) : undefined;
      if (max !== undefined && Number.isFinite(max)) { if (o.name === 'success') cfg.successMax = max; else cfg.denialMax = max; }
      if (min !== undefined && Number.isFinite(min)) { if (o.name === 'success') cfg.successMin = min; else cfg.denialMin = min; }
    }
    // disable, prefetch, serve_stale, servfail, keepttl: change what is stored or when, not the reply
  }
  return cfg;
}
