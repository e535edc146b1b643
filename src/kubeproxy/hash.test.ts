import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base32Prefix, portProtoHash, sepChain, svcChain, extChain, fwChain, svlChain } from './hash';

test('chain hash: "KUBE-SVC-" + 16 chars of base32(sha256(servicePortName + lower-case protocol)), as real clusters show', () => {
  // names every kubeadm cluster has (iptables-save on any node)
  assert.equal(svcChain('default/kubernetes:https', 'tcp'), 'KUBE-SVC-NPX46M4PTMTKRN6Y');
  assert.equal(svcChain('kube-system/kube-dns:dns', 'udp'), 'KUBE-SVC-TCOU7JCQXEZGVUNU');
  assert.equal(svcChain('kube-system/kube-dns:dns-tcp', 'tcp'), 'KUBE-SVC-ERIFXISQEP7F7OF4');
  assert.equal(svcChain('kube-system/kube-dns:metrics', 'tcp'), 'KUBE-SVC-JD5MR3NA4I4DYORP');
});

test('chain hash: names from kube-proxy TestOverallIPTablesRules (proxier_test.go)', () => {
  assert.equal(svcChain('ns1/svc1:p80', 'tcp'), 'KUBE-SVC-XPGD46QRK7WJZT7O');
  assert.equal(extChain('ns2/svc2:p80', 'tcp'), 'KUBE-EXT-GNZBNJ2PO5MGZ6GT');
  assert.equal(fwChain('ns5/svc5:p80', 'tcp'), 'KUBE-FW-NUKIZ6OKUXPJNT4C');
  assert.equal(svlChain('ns2/svc2:p80', 'tcp'), 'KUBE-SVL-GNZBNJ2PO5MGZ6GT');
  // the endpoint chain hashes the endpoint string "ip:port" too
  assert.equal(sepChain('ns1/svc1:p80', 'tcp', '10.180.0.1:80'), 'KUBE-SEP-SXIVWICOYRO3J4NJ');
  assert.equal(sepChain('ns5/svc5:p80', 'tcp', '10.180.0.3:80'), 'KUBE-SEP-I77PXRDZVX7PMWMN');
  assert.equal(sepChain('ns3/svc3:p80', 'tcp', '10.180.0.3:80'), 'KUBE-SEP-OYPFS5VJICHGATKP');
});

test('the protocol is part of the hash: the same port name over UDP gets another chain', () => {
  assert.notEqual(portProtoHash('ns/dns:dns', 'udp'), portProtoHash('ns/dns:dns', 'tcp'));
});

test('base32 matches RFC 4648 test vectors', () => {
  const enc = (s: string, n: number) => base32Prefix(Buffer.from(s), n);
  assert.equal(enc('f', 2), 'MY');
  assert.equal(enc('fo', 4), 'MZXQ');
  assert.equal(enc('foobar', 10), 'MZXW6YTBOI');
});
