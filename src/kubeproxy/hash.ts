// kube-proxy's chain names (pkg/proxy/iptables/proxier.go): "KUBE-SVC-" + the first 16 characters of
// base32(sha256(servicePortName + protocol)), protocol lower-case ("tcp"), servicePortName as
// ServicePortName.String() prints it: "ns/name" or "ns/name:port". Endpoint chains hash the
// endpoint string ("ip:port", IPv6 in brackets) too.
import { createHash } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (Go's base32.StdEncoding), first `chars` characters only. */
export function base32Prefix(bytes: Uint8Array, chars: number): string {
  let out = '';
  let buffer = 0, bits = 0;
  for (let i = 0; i < bytes.length && out.length < chars; i++) {
    buffer = ((buffer << 8) | bytes[i]) & 0xffff;
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  // a final partial group is padded with zero bits
  if (bits > 0 && out.length < chars) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** kube-proxy's portProtoHash: 16 base32 characters of sha256(servicePortName + protocol). */
export function portProtoHash(servicePortName: string, protocol: string): string {
  return base32Prefix(createHash('sha256').update(servicePortName + protocol).digest(), 16);
}

export const svcChain = (spn: string, proto: string) => 'KUBE-SVC-' + portProtoHash(spn, proto);
export const svlChain = (spn: string, proto: string) => 'KUBE-SVL-' + portProtoHash(spn, proto);
export const extChain = (spn: string, proto: string) => 'KUBE-EXT-' + portProtoHash(spn, proto);
export const fwChain = (spn: string, proto: string) => 'KUBE-FW-' + portProtoHash(spn, proto);
export function sepChain(spn: string, proto: string, endpoint: string): string {
  return 'KUBE-SEP-' + base32Prefix(createHash('sha256').update(spn + proto + endpoint).digest(), 16);
}
