// Addresses and CIDRs. Parsing goes through ipaddr.js; arithmetic uses numbers for IPv4 (uint32)
// and bigints for IPv6, so hot paths never allocate parser objects.
import ipaddr from 'ipaddr.js';

export type Family = 4 | 6;

export interface Cidr {
  readonly family: Family;
  /** network address as an integer (IPv4: uint32 in a bigint too, for one code path) */
  readonly base: bigint;
  readonly prefix: number;
  /** canonical text, e.g. 10.244.0.0/16 */
  readonly text: string;
  /** number of addresses */
  readonly size: bigint;
}

export function isIP(s: string): boolean {
  // the common case without the parser: a dotted quad with no leading zeros (what
  // ipaddr.IPv4.isValidFourPartDecimal accepts)
  if (ipv4ToInt(s) >= 0) return !/(^|\.)0\d/.test(s);
  return s.includes(':') && ipaddr.IPv6.isValid(s);
}

export function ipFamily(s: string): Family | null {
  if (!isIP(s)) return null;
  return s.includes(':') ? 6 : 4;
}

/** Canonical form: dotted quad, or RFC 5952 for IPv6. Throws on invalid input. */
export function canonicalIP(s: string): string {
  const a = ipaddr.parse(s);
  return a.kind() === 'ipv6' ? (a as ipaddr.IPv6).toRFC5952String() : a.toString();
}

export function ipToBigInt(s: string): bigint {
  const a = ipaddr.parse(s);
  let v = 0n;
  for (const b of a.toByteArray()) v = (v << 8n) | BigInt(b);
  return v;
}

export function bigIntToIP(v: bigint, family: Family): string {
  if (family === 4) {
    const n = Number(v);
    return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  const bytes: number[] = [];
  for (let i = 15; i >= 0; i--) bytes.push(Number((v >> BigInt(i * 8)) & 255n));
  return (ipaddr.fromByteArray(bytes) as ipaddr.IPv6).toRFC5952String();
}

/** Fast IPv4 → uint32 without allocation; returns -1 when the text is not a dotted quad. */
export function ipv4ToInt(s: string): number {
  let n = 0, part = 0, dots = 0, digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || part > 255) return -1;
      n = n * 256 + part; part = 0; digits = 0; dots++;
    } else if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48); digits++;
      if (digits > 3) return -1;
    } else return -1;
  }
  if (dots !== 3 || digits === 0 || part > 255) return -1;
  return n * 256 + part;
}

export function intToIpv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export function isCIDR(s: string): boolean {
  try { parseCIDR(s); return true; } catch { return false; }
}

/** Parses a CIDR; the address part is masked to the network (as Kubernetes' validation expects). */
export function parseCIDR(s: string): Cidr {
  const [addr, pfx] = ipaddr.parseCIDR(s);
  const family: Family = addr.kind() === 'ipv6' ? 6 : 4;
  const bits = family === 4 ? 32 : 128;
  const full = ipToBigInt(addr.toString());
  const hostBits = BigInt(bits - pfx);
  const base = (full >> hostBits) << hostBits;
  const text = `${bigIntToIP(base, family)}/${pfx}`;
  return { family, base, prefix: pfx, text, size: 1n << hostBits };
}

/** True when `s` is a CIDR whose address has no host bits set (what the API server requires of podCIDRs). */
export function isStrictCIDR(s: string): boolean {
  try {
    const c = parseCIDR(s);
    return canonicalIP(s.split('/')[0]) === bigIntToIP(c.base, c.family);
  } catch { return false; }
}

export function cidrContains(c: Cidr, ip: string): boolean {
  if (c.family === 4) {
    const n = ipv4ToInt(ip);
    if (n >= 0 && !/(^|\.)0\d/.test(ip)) return n >= Number(c.base) && n < Number(c.base + c.size);
  }
  const fam = ipFamily(ip);
  if (fam !== c.family) return false;
  const v = ipToBigInt(ip);
  return v >= c.base && v < c.base + c.size;
}

/** The n-th address of a CIDR (0 = network address). */
export function nthAddress(c: Cidr, n: bigint | number): string {
  const k = BigInt(n);
  if (k < 0n || k >= c.size) throw new RangeError(`${c.text} has no address #${k}`);
  return bigIntToIP(c.base + k, c.family);
}

/** Offset of an address inside a CIDR, or -1n when outside. */
export function offsetIn(c: Cidr, ip: string): bigint {
  if (!cidrContains(c, ip)) return -1n;
  return ipToBigInt(ip) - c.base;
}

/** The i-th subnet of size /newPrefix inside c (for per-node podCIDRs). */
export function subnet(c: Cidr, newPrefix: number, i: number): Cidr {
  const bits = c.family === 4 ? 32 : 128;
  if (newPrefix < c.prefix || newPrefix > bits) throw new RangeError(`cannot cut /${newPrefix} out of ${c.text}`);
  const count = 1n << BigInt(newPrefix - c.prefix);
  if (BigInt(i) >= count) throw new RangeError(`${c.text} holds only ${count} /${newPrefix} subnets`);
  const base = c.base + (BigInt(i) << BigInt(bits - newPrefix));
  return { family: c.family, base, prefix: newPrefix, text: `${bigIntToIP(base, c.family)}/${newPrefix}`, size: 1n << BigInt(bits - newPrefix) };
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.base < b.base + b.size && b.base < a.base + a.size;
}

/** "ip:port", with brackets for IPv6 as the tools print it. */
export function hostPort(ip: string, port: number | string): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
