// Strict address checks for input validation: what Go's net.ParseIP / net.ParseCIDR accept.
// (ipaddr.js alone also takes "1.2.3" and octal "010.0.0.1", which the API server refuses.)
import { isIP, ipFamily, type Family } from '../net/ip';

export function validIP(s: unknown): s is string {
  return typeof s === 'string' && !s.includes('%') && isIP(s);
}

/** Family of a valid CIDR, or null. Host bits may be set (the API server's "sloppy" parse allows it). */
export function cidrFamily(s: unknown): Family | null {
  if (typeof s !== 'string') return null;
  const i = s.indexOf('/');
  if (i < 0 || s.indexOf('/', i + 1) >= 0) return null;
  const addr = s.slice(0, i), pfx = s.slice(i + 1);
  if (!validIP(addr) || !/^\d{1,3}$/.test(pfx)) return null;
  const fam = ipFamily(addr);
  const n = Number(pfx);
  if (fam === 4 && n > 32) return null;
  if (fam === 6 && n > 128) return null;
  return fam;
}

export function validCIDR(s: unknown): s is string {
  return cidrFamily(s) !== null;
}

/** A comma-separated list of CIDRs (kubeadm podSubnet / serviceSubnet, kube-proxy clusterCIDR). */
export function splitList(s: string): string[] {
  return s.split(',').map((x) => x.trim()).filter((x) => x !== '');
}
