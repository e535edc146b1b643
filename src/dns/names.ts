// Domain names the way DNS software handles them: case-insensitive, fully qualified with a
// trailing dot, compared label by label. Reverse names follow RFC 1035 §3.5 (in-addr.arpa) and
// RFC 3596 §2.5 (ip6.arpa) exactly as CoreDNS's dnsutil.ExtractAddressFromReverse reads them.
import { canonicalIP, ipFamily, ipToBigInt, ipv4ToInt } from '../net/ip';

/** Lower-cased and fully qualified (one trailing dot). "" and "." are the root. Allocates nothing for names already so. */
export function fqdn(name: string): string {
  let n = name;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 65 && c <= 90) { n = name.toLowerCase(); break; }
  }
  if (n === '' || n === '.') return '.';
  return n.charCodeAt(n.length - 1) === 46 ? n : n + '.';
}

/** Fully qualified, case kept (CoreDNS answers with the owner name as the question spelled it). */
export function fqdnKeepCase(name: string): string {
  if (name === '' || name === '.') return '.';
  return name.charCodeAt(name.length - 1) === 46 ? name : name + '.';
}

/** True when `name` is `zone` or below it. Both fully qualified and lower-cased. */
export function isSubdomain(zone: string, name: string): boolean {
  if (zone === '.') return true;
  if (name.length < zone.length) return false;
  if (name.length === zone.length) return name === zone;
  return name.endsWith(zone) && name.charCodeAt(name.length - zone.length - 1) === 46;
}

/** The longest zone `name` falls in (CoreDNS plugin.Zones.Matches), or null. */
export function matchZone(zones: readonly string[], name: string): string | null {
  let best: string | null = null;
  for (const z of zones) {
    if (isSubdomain(z, name) && (best === null || z.length > best.length)) best = z;
  }
  return best;
}

/** The labels of a name, without the root: "a.b.c." → ["a","b","c"]. */
export function labelsOf(name: string): string[] {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  return n === '' ? [] : n.split('.');
}

/** `name` with the zone cut off ("web.shop.svc.cluster.local." in "cluster.local." → "web.shop.svc"). */
export function trimZone(name: string, zone: string): string {
  if (zone === '.') return name.endsWith('.') ? name.slice(0, -1) : name;
  if (name === zone) return '';
  return name.slice(0, name.length - zone.length - 1);
}

/** Why a name cannot be sent in a query, or null when it can (RFC 1035 §2.3.4 limits). */
export function nameProblem(name: string): string | null {
  if (name === '') return 'the name is empty';
  if (name === '.') return null;
  const end = name.charCodeAt(name.length - 1) === 46 ? name.length - 1 : name.length;
  if (end > 253) return `the name is ${end} characters long; DNS names have at most 253`;
  let label = 0;
  for (let i = 0; i < end; i++) {
    const c = name.charCodeAt(i);
    if (c === 46) {
      if (label === 0) return 'the name has an empty label (two dots in a row, or a leading dot)';
      label = 0;
      continue;
    }
    if (c === 32 || c === 9 || c === 10 || c === 13) return 'the name contains white space';
    if (++label > 63) return `a label of the name is over 63 characters long; labels have at most 63`;
  }
  if (label === 0) return 'the name has an empty label (two dots in a row, or a leading dot)';
  return null;
}

const IP4ARPA = '.in-addr.arpa.';
const IP6ARPA = '.ip6.arpa.';

/** True for names under in-addr.arpa. or ip6.arpa. (CoreDNS dnsutil.IsReverse). */
export function isReverse(name: string): boolean {
  return name.endsWith(IP4ARPA) || name === 'in-addr.arpa.' || name.endsWith(IP6ARPA) || name === 'ip6.arpa.';
}

/**
 * The address a complete reverse name stands for, canonical, or "" when the name is not one
 * (too few labels, not numbers, not nibbles).
 */
export function addressFromReverse(name: string): string {
  if (name.endsWith(IP4ARPA)) {
    const parts = name.slice(0, -IP4ARPA.length).split('.');
    if (parts.length !== 4) return '';
    for (const p of parts) if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return '';
    return parts.reverse().join('.');
  }
  if (name.endsWith(IP6ARPA)) {
    const parts = name.slice(0, -IP6ARPA.length).split('.');
    if (parts.length !== 32) return '';
    for (const p of parts) if (!/^[0-9a-f]$/.test(p)) return '';
    const hex = parts.reverse().join('');
    const groups: string[] = [];
    for (let i = 0; i < 32; i += 4) groups.push(hex.slice(i, i + 4));
    try { return canonicalIP(groups.join(':')); } catch { return ''; }
  }
  return '';
}

/** The reverse-lookup name of an address: 10.96.0.10 → 10.0.96.10.in-addr.arpa. */
export function reverseName(ip: string): string {
  const n = ipv4ToInt(ip);
  if (n >= 0) return `${n & 255}.${(n >>> 8) & 255}.${(n >>> 16) & 255}.${n >>> 24}${IP4ARPA}`;
  const fam = ipFamily(ip);
  if (fam === 4) return ip.split('.').reverse().join('.') + IP4ARPA;
  if (fam === 6) {
    const full = ipToBigInt(ip).toString(16).padStart(32, '0');
    return full.split('').reverse().join('.') + IP6ARPA;
  }
  throw new Error(`not an IP address: ${ip}`);
}

/**
 * The endpoint name CoreDNS uses when an endpoint has no hostname: the address with dots (IPv4) or
 * colons (IPv6) turned into dashes (plugin/kubernetes endpointHostname).
 */
export function dashedIP(ip: string): string {
  const n = ipv4ToInt(ip);
  if (n >= 0) return `${n >>> 24}-${(n >>> 16) & 255}-${(n >>> 8) & 255}-${n & 255}`;
  if (ip.includes('.')) return ip.replace(/\./g, '-');
  if (ip.includes(':')) return ip.replace(/:/g, '-');
  return '';
}
