import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSources, configFrom, IP_MASQ_AGENT_DEFAULT_CIDRS } from './index';
import { Diagnostics } from '../model/errors';
import { defaultConfig, type ClusterConfig } from '../model/config';
import type { KObject } from '../model/types';
import { expectError, expectWarning, listed } from './testutil';

function fold(text: string, name = 'cfg.yaml'): { config: ClusterConfig; objects: KObject[]; diag: Diagnostics } {
  const diag = new Diagnostics();
  const loaded = loadSources([{ text, name }], diag);
  const { config, objects } = configFrom(loaded, defaultConfig(), diag);
  return { config, objects, diag };
}

test('no config documents: the kubeadm defaults, untouched, and the base is not mutated', () => {
  const base = defaultConfig();
  const { config, objects } = configFrom([], base, new Diagnostics());
  assert.deepEqual(config, defaultConfig());
  assert.notEqual(config, base);
  assert.deepEqual(objects, []);
});

test('kubeadm ClusterConfiguration: dual-stack podSubnet and serviceSubnet, dnsDomain, controller-manager and API server flags', () => {
  const { config, objects, diag } = fold([
    'apiVersion: kubeadm.k8s.io/v1beta3', //                           1
    'kind: ClusterConfiguration', //                                   2
    'networking:', //                                                  3
    '  podSubnet: 10.10.0.0/16,fd00:10::/56', //                       4
    '  serviceSubnet: "10.20.0.0/16, fd00:20::/112"', //               5
    '  dnsDomain: corp.internal', //                                   6
    'controllerManager:', //                                           7
    '  extraArgs: {node-cidr-mask-size-ipv4: "25"}', //                8
    'apiServer:', //                                                   9
    '  extraArgs: {service-node-port-range: 20000-22767}', //          10
    '---', //                                                          11
    'apiVersion: kubeadm.k8s.io/v1beta3', //                           12
    'kind: InitConfiguration', //                                      13
    'localAPIEndpoint: {advertiseAddress: 172.18.0.2}', //             14
    '---', //                                                          15
    'apiVersion: kubeadm.k8s.io/v1beta4', //                           16
    'kind: JoinConfiguration', //                                      17
  ].join('\n'));
  assert.deepEqual(listed(diag.errors), []);
  assert.deepEqual(config.podSubnets, ['10.10.0.0/16', 'fd00:10::/56']);
  assert.deepEqual(config.serviceSubnets, ['10.20.0.0/16', 'fd00:20::/112']);
  assert.equal(config.dnsDomain, 'corp.internal');
  assert.equal(config.nodeCidrMaskSizeV4, 25);
  assert.deepEqual(config.nodePortRange, [20000, 22767]);
  assert.equal(config.provenance.podSubnets, 'ClusterConfiguration (cfg.yaml:4)');
  assert.equal(config.provenance.dnsDomain, 'ClusterConfiguration (cfg.yaml:6)');
  assert.deepEqual(objects, [], 'kubeadm documents are not API objects');
});

test('kubeadm v1beta4 extraArgs are a list of name/value pairs', () => {
  const { config, diag } = fold('apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\ncontrollerManager:\n  extraArgs:\n  - {name: node-cidr-mask-size, value: "26"}\n');
  assert.deepEqual(listed(diag.errors), []);
  assert.equal(config.nodeCidrMaskSizeV4, 26);
  assert.equal(config.provenance.nodeCidrMaskSizeV4, 'ClusterConfiguration (cfg.yaml:5)');
});

test('NS-CONFIG-CIDR and NS-CONFIG-VALUE: invalid subnets and domains in ClusterConfiguration', () => {
  const { config, diag } = fold([
    'apiVersion: kubeadm.k8s.io/v1beta3', //               1
    'kind: ClusterConfiguration', //                       2
    'networking:', //                                      3
    '  podSubnet: 10.244.0.0/33', //                       4
    '  serviceSubnet: 10.96.0.0/12,10.97.0.0/16', //       5
    '  dnsDomain: "under_score.local"', //                 6
  ].join('\n'));
  expectError(diag, 'NS-CONFIG-CIDR', 'cfg.yaml:4:14');
  const two = expectError(diag, 'NS-CONFIG-CIDR', 'cfg.yaml:5:18');
  assert.match(two.message, /different IP families/);
  expectError(diag, 'NS-CONFIG-VALUE', 'cfg.yaml:6:14');
  assert.deepEqual(config.podSubnets, defaultConfig().podSubnets, 'a bad value leaves the default');
});

test('KubeProxyConfiguration: mode ("" is iptables), ipvs scheduler, clusterCIDR, masqueradeAll', () => {
  const ipvs = fold('apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\nipvs: {scheduler: lc}\nclusterCIDR: 10.244.0.0/16\niptables: {masqueradeAll: true}\n');
  assert.deepEqual(listed(ipvs.diag.errors), []);
  assert.equal(ipvs.config.proxyMode, 'ipvs');
  assert.equal(ipvs.config.ipvsScheduler, 'lc');
  assert.equal(ipvs.config.proxyClusterCIDR, '10.244.0.0/16');
  assert.equal(ipvs.config.masqueradeAll, true);
  assert.equal(ipvs.config.provenance.proxyMode, 'KubeProxyConfiguration (cfg.yaml:3)');
  assert.deepEqual(ipvs.objects, []);
  const empty = fold('apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ""\nipvs: {scheduler: ""}\n');
  assert.equal(empty.config.proxyMode, 'iptables');
  assert.equal(empty.config.ipvsScheduler, 'rr');
});

test('NS-CONFIG-MODE: kube-proxy modes and schedulers netspec does not model or that do not exist', () => {
  const { diag } = fold([
    'apiVersion: kubeproxy.config.k8s.io/v1alpha1', //   1
    'kind: KubeProxyConfiguration', //                   2
    'mode: kernelspace', //                              3
    'ipvs: {scheduler: mh}', //                          4
    'clusterCIDR: 10.0.0.0/40', //                       5
    '---', //                                            6
    'apiVersion: kubeproxy.config.k8s.io/v1alpha1', //   7
    'kind: KubeProxyConfiguration', //                   8
    'mode: userspace-ish', //                            9
  ].join('\n'));
  expectError(diag, 'NS-CONFIG-MODE', 'cfg.yaml:3:7');
  expectError(diag, 'NS-CONFIG-MODE', 'cfg.yaml:4:19');
  expectError(diag, 'NS-CONFIG-CIDR', 'cfg.yaml:5:14');
  expectError(diag, 'NS-CONFIG-MODE', 'cfg.yaml:9:7');
  assert.equal(diag.errors.length, 4);
});

test('KubeletConfiguration: clusterDNS, clusterDomain, and resolvConf read relative to the config file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netspec-kubelet-'));
  fs.mkdirSync(path.join(dir, 'node'));
  fs.writeFileSync(path.join(dir, 'node', 'resolv.conf'), 'nameserver 10.0.0.53\nsearch corp.example\noptions ndots:2\n');
  fs.writeFileSync(path.join(dir, 'kubelet.yaml'), 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nclusterDNS: [10.96.0.53]\nclusterDomain: k8s.local\nresolvConf: node/resolv.conf\n');
  const diag = new Diagnostics();
  const { config, objects } = configFrom(loadSources([{ path: path.join(dir, 'kubelet.yaml') }], diag), defaultConfig(), diag);
  assert.deepEqual(listed(diag.errors), []);
  assert.deepEqual(config.clusterDNS, ['10.96.0.53']);
  assert.equal(config.dnsDomain, 'k8s.local');
  assert.equal(config.nodeResolvConf, 'nameserver 10.0.0.53\nsearch corp.example\noptions ndots:2\n');
  assert.equal(config.nodeResolvConfPath, 'node/resolv.conf');
  assert.equal(config.provenance.nodeResolvConf, `KubeletConfiguration (${path.join(dir, 'kubelet.yaml')}:5)`);
  assert.deepEqual(objects, []);
});

test('NS-RESOLVCONF-MISSING: a relative resolvConf that is not there is an error; an absolute one a warning', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netspec-kubelet-'));
  const f = path.join(dir, 'kubelet.yaml');
  fs.writeFileSync(f, 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nresolvConf: missing/resolv.conf\n---\napiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nresolvConf: /run/systemd/resolve/resolv.conf\nclusterDNS: [10.96.0.300]\n');
  const diag = new Diagnostics();
  const { config } = configFrom(loadSources([{ path: f }], diag), defaultConfig(), diag);
  const e = expectError(diag, 'NS-RESOLVCONF-MISSING', `${f}:3:13`);
  assert.match(e.message, /missing\/resolv\.conf/);
  expectWarning(diag, 'NS-RESOLVCONF-MISSING', `${f}:7:13`);
  expectError(diag, 'NS-CONFIG-IP', `${f}:8:14`);
  assert.equal(config.nodeResolvConf, defaultConfig().nodeResolvConf);
  // an empty resolvConf: pods with dnsPolicy Default get no nameserver (kubelet)
  const empty = fold('apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nresolvConf: ""\n');
  assert.equal(empty.config.nodeResolvConf, '');
});

test('ServiceCIDR objects add service ranges and stay API objects; invalid CIDRs are errors', () => {
  const { config, objects, diag } = fold([
    'apiVersion: networking.k8s.io/v1', //    1
    'kind: ServiceCIDR', //                   2
    'metadata: {name: extra}', //             3
    'spec:', //                               4
    '  cidrs: [10.100.0.0/16]', //            5
    '---', //                                 6
    'apiVersion: networking.k8s.io/v1', //    7
    'kind: ServiceCIDR', //                   8
    'metadata: {name: broken}', //            9
    'spec:', //                               10
    '  cidrs: [10.101.0.1/16, nope]', //      11
  ].join('\n'));
  assert.deepEqual(config.serviceSubnets, ['10.96.0.0/12', '10.100.0.0/16']);
  assert.equal(config.provenance.serviceSubnets, 'ServiceCIDR extra (cfg.yaml:5)');
  assert.deepEqual(objects.map((o) => o.metadata.name), ['extra', 'broken']);
  expectError(diag, 'NS-CONFIG-CIDR', 'cfg.yaml:11:11');
  expectError(diag, 'NS-CONFIG-CIDR', 'cfg.yaml:11:26');
});

test('ip-masq-agent ConfigMap: defaults when data.config is absent, fields override one by one, errors with positions', () => {
  const cm = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ip-masq-agent, namespace: kube-system}\n${data}`;
  // ip-masq-agent's NewMasqConfig: RFC 1918 ranges, masqLinkLocal false
  const none = fold(cm(''));
  assert.deepEqual(none.config.egressMasquerade, { by: 'ip-masq-agent', nonMasqueradeCIDRs: IP_MASQ_AGENT_DEFAULT_CIDRS, masqLinkLocal: false, pos: { file: 'cfg.yaml', line: 1, col: 1 } });
  assert.equal(none.objects.length, 1, 'the ConfigMap stays an API object');
  const partial = fold(cm('data:\n  config: |\n    masqLinkLocal: true\n'));
  assert.deepEqual(partial.config.egressMasquerade.nonMasqueradeCIDRs, ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']);
  assert.equal(partial.config.egressMasquerade.masqLinkLocal, true);
  const json = fold(cm('data:\n  config: \'{"nonMasqueradeCIDRs": ["10.244.0.0/16", "192.168.0.0/16"]}\'\n'));
  assert.deepEqual(json.config.egressMasquerade.nonMasqueradeCIDRs, ['10.244.0.0/16', '192.168.0.0/16']);
  assert.equal(json.config.provenance.egressMasquerade, 'ConfigMap kube-system/ip-masq-agent (cfg.yaml:5)');
  const bad = fold(cm('data:\n  config: |\n    nonMasqueradeCIDRs: [10.0.0.1/8]\n'));
  const e = expectError(bad.diag, 'NS-CONFIG-CIDR', 'cfg.yaml:5:11');
  assert.match(e.message, /not aligned/);
  assert.equal(bad.config.egressMasquerade.by, 'cni');
  // another namespace is not the agent's
  assert.equal(fold('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ip-masq-agent}\n').config.egressMasquerade.by, 'cni');
});

test('CNI flannel: kube-flannel-cfg net-conf.json → pod subnet and VXLAN (flannel.<VNI>, port 8472) or host-gw (routed)', () => {
  const flannel = (conf: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kube-flannel-cfg, namespace: kube-flannel}\ndata:\n  net-conf.json: |\n${conf.split('\n').map((l) => '    ' + l).join('\n')}\n`;
  const vx = fold(flannel('{\n  "Network": "10.42.0.0/16",\n  "Backend": {"Type": "vxlan"}\n}'));
  assert.deepEqual(listed(vx.diag.errors), []);
  assert.deepEqual(vx.config.podSubnets, ['10.42.0.0/16']);
  assert.equal(vx.config.podNetwork.mode, 'vxlan');
  assert.equal(vx.config.podNetwork.plugin, 'flannel');
  assert.equal(vx.config.podNetwork.device, 'flannel.1');
  assert.equal(vx.config.podNetwork.port, 8472);
  assert.equal(vx.config.podNetwork.decidedBy, 'ConfigMap kube-flannel/kube-flannel-cfg net-conf.json Backend.Type vxlan (cfg.yaml:5:18)');
  assert.equal(vx.objects.length, 1);
  const vni = fold(flannel('{"Network": "10.42.0.0/16", "Backend": {"Type": "vxlan", "VNI": 4, "Port": 4789}}'));
  assert.equal(vni.config.podNetwork.device, 'flannel.4');
  assert.equal(vni.config.podNetwork.port, 4789);
  const gw = fold(flannel('{"Network": "10.42.0.0/16", "SubnetLen": 25, "Backend": {"Type": "host-gw"}}'));
  assert.equal(gw.config.podNetwork.mode, 'routed');
  assert.equal(gw.config.nodeCidrMaskSizeV4, 25);
  // flannel's parseBackendType: no Backend means the udp backend, which netspec does not model
  const udp = fold(flannel('{"Network": "10.42.0.0/16"}'));
  expectError(udp.diag, 'NS-CONFIG-MODE', 'cfg.yaml:5:18');
  const badNet = fold(flannel('{"Network": "10.42.0.0/99", "Backend": {"Type": "vxlan"}}'));
  expectError(badNet.diag, 'NS-CONFIG-CIDR', 'cfg.yaml:5:18');
  const badJson = fold(flannel('{"Network": "10.42.0.0/16",}'));
  expectError(badJson.diag, 'NS-CONFIG-VALUE', 'cfg.yaml:5:18');
});

test('CNI Calico: IPPool cidr → pod subnet, vxlanMode → vxlan (vxlan.calico, 4789), ipipMode → ipip (tunl0), else routed; IPPools leave the objects', () => {
  const pool = (spec: string, av = 'crd.projectcalico.org/v1') => `apiVersion: ${av}\nkind: IPPool\nmetadata: {name: default-ipv4-ippool}\nspec:\n${spec}`;
  const vx = fold(pool('  cidr: 192.168.0.0/16\n  vxlanMode: CrossSubnet\n  ipipMode: Never\n'));
  assert.deepEqual(listed(vx.diag.errors), []);
  assert.deepEqual(vx.config.podSubnets, ['192.168.0.0/16']);
  assert.deepEqual([vx.config.podNetwork.mode, vx.config.podNetwork.device, vx.config.podNetwork.port, vx.config.podNetwork.plugin], ['vxlan', 'vxlan.calico', 4789, 'calico']);
  assert.equal(vx.config.podNetwork.decidedBy, 'IPPool default-ipv4-ippool vxlanMode CrossSubnet (cfg.yaml:6:14)');
  assert.equal(vx.config.nodeCidrMaskSizeV4, 26, 'calico-ipam blocks are /26 by default');
  assert.deepEqual(vx.objects, []);
  const ipip = fold(pool('  cidr: 192.168.0.0/16\n  ipipMode: Always\n  blockSize: 24\n', 'projectcalico.org/v3'));
  assert.deepEqual([ipip.config.podNetwork.mode, ipip.config.podNetwork.device], ['ipip', 'tunl0']);
  assert.equal(ipip.config.nodeCidrMaskSizeV4, 24);
  const bgp = fold(pool('  cidr: 192.168.0.0/16\n  vxlanMode: Never\n  ipipMode: Never\n'));
  assert.equal(bgp.config.podNetwork.mode, 'routed');
  const both = fold(pool('  cidr: 192.168.0.0/16\n  vxlanMode: Always\n  ipipMode: Always\n'));
  expectError(both.diag, 'NS-CONFIG-MODE', 'cfg.yaml:7:13');
  const bad = fold(pool('  cidr: 192.168.0.0/16\n  vxlanMode: Sometimes\n'));
  expectError(bad.diag, 'NS-CONFIG-MODE', 'cfg.yaml:6:14');
  const badCidr = fold(pool('  cidr: 192.168.0/16\n'));
  expectError(badCidr.diag, 'NS-CONFIG-CIDR', 'cfg.yaml:5:9');
  // another project's IPPool kind is not Calico's
  const other = fold('apiVersion: whereabouts.cni.cncf.io/v1alpha1\nkind: IPPool\nmetadata: {name: w}\nspec: {range: 10.0.0.0/8}\n');
  assert.equal(other.config.podNetwork.plugin, 'flannel');
  expectWarning(other.diag, 'NS-UNKNOWN-KIND', 'cfg.yaml:1:1');
});

test('CNI Cilium: cilium-config routing-mode native → routed; tunnel with vxlan (8472) or geneve (6081); legacy tunnel key; defaults', () => {
  const cilium = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cilium-config, namespace: kube-system}\ndata:\n${data}`;
  const native = fold(cilium('  routing-mode: native\n  cluster-pool-ipv4-cidr: 10.0.0.0/8\n  cluster-pool-ipv4-mask-size: "24"\n'));
  assert.deepEqual(listed(native.diag.errors), []);
  assert.equal(native.config.podNetwork.mode, 'routed');
  assert.equal(native.config.podNetwork.plugin, 'cilium');
  assert.deepEqual(native.config.podSubnets, ['10.0.0.0/8']);
  assert.equal(native.config.podNetwork.decidedBy, 'ConfigMap kube-system/cilium-config routing-mode native (cfg.yaml:5:17)');
  const geneve = fold(cilium('  routing-mode: tunnel\n  tunnel-protocol: geneve\n'));
  assert.deepEqual([geneve.config.podNetwork.mode, geneve.config.podNetwork.device, geneve.config.podNetwork.port], ['geneve', 'cilium_geneve', 6081]);
  const legacy = fold(cilium('  tunnel: vxlan\n'));
  assert.deepEqual([legacy.config.podNetwork.mode, legacy.config.podNetwork.device, legacy.config.podNetwork.port], ['vxlan', 'cilium_vxlan', 8472]);
  const off = fold(cilium('  tunnel: disabled\n'));
  assert.equal(off.config.podNetwork.mode, 'routed');
  const dflt = fold(cilium('  ipam: kubernetes\n'));
  assert.deepEqual([dflt.config.podNetwork.mode, dflt.config.podNetwork.device], ['vxlan', 'cilium_vxlan']);
  assert.deepEqual(dflt.config.podSubnets, defaultConfig().podSubnets, 'ipam kubernetes uses the nodes\' podCIDRs');
  const bad = fold(cilium('  routing-mode: magic\n'));
  expectError(bad.diag, 'NS-CONFIG-MODE', 'cfg.yaml:5:17');
  const badProto = fold(cilium('  routing-mode: tunnel\n  tunnel-protocol: gre\n'));
  expectError(badProto.diag, 'NS-CONFIG-MODE', 'cfg.yaml:5:17');
});

test('NS-CONFIG-CONFLICT: two documents setting one thing differently, and two CNIs, are warnings naming both', () => {
  const { config, diag } = fold([
    'apiVersion: kubeadm.k8s.io/v1beta3', //                                              1
    'kind: ClusterConfiguration', //                                                      2
    'networking: {podSubnet: 10.244.0.0/16, dnsDomain: cluster.local}', //                3
    '---', //                                                                             4
    'apiVersion: kubelet.config.k8s.io/v1beta1', //                                       5
    'kind: KubeletConfiguration', //                                                      6
    'clusterDomain: other.local', //                                                      7
    '---', //                                                                             8
    'apiVersion: v1', //                                                                  9
    'kind: ConfigMap', //                                                                 10
    'metadata: {name: kube-flannel-cfg, namespace: kube-flannel}', //                     11
    'data: {net-conf.json: \'{"Network": "10.42.0.0/16", "Backend": {"Type": "vxlan"}}\'}', // 12
    '---', //                                                                             13
    'apiVersion: v1', //                                                                  14
    'kind: ConfigMap', //                                                                 15
    'metadata: {name: cilium-config, namespace: kube-system}', //                         16
    'data: {routing-mode: native}', //                                                    17
  ].join('\n'));
  assert.deepEqual(listed(diag.errors), []);
  const dom = expectWarning(diag, 'NS-CONFIG-CONFLICT', 'cfg.yaml:7:16');
  assert.match(dom.message, /cfg\.yaml:3.*cfg\.yaml:7/);
  expectWarning(diag, 'NS-CONFIG-CONFLICT', 'cfg.yaml:12:23'); // flannel's Network vs kubeadm's podSubnet
  const cni = expectWarning(diag, 'NS-CONFIG-CONFLICT', 'cfg.yaml:14:1');
  assert.match(cni.message, /flannel, cilium/);
  assert.equal(config.dnsDomain, 'other.local');
  assert.equal(config.podNetwork.plugin, 'flannel');
  assert.deepEqual(config.podSubnets, ['10.42.0.0/16']);
});

test('KubeProxyConfiguration: nftables mode and the settings that change traffic are honoured; what is still not modelled is warned about', () => {
  const { config, diag } = fold([
    'apiVersion: kubeproxy.config.k8s.io/v1alpha1', //     1
    'kind: KubeProxyConfiguration', //                     2
    'mode: nftables', //                                   3
    'nodePortAddresses: [primary]', //                     4
    'detectLocalMode: InterfaceNamePrefix', //             5
    'detectLocal: {interfaceNamePrefix: cali}', //         6
    'iptables:', //                                        7
    '  localhostNodePorts: false', //                      8
    '  masqueradeBit: 15', //                              9
    'nftables: {masqueradeAll: true, masqueradeBit: 12}', // 10
    'ipvs: {excludeCIDRs: [10.0.0.0/8], strictARP: true}', // 11
    'conntrack: {maxPerCore: 65536}', //                   12
  ].join('\n'));
  assert.equal(config.proxyMode, 'nftables');
  assert.deepEqual(config.nodePortAddresses, ['primary']);
  assert.equal(config.detectLocalMode, 'InterfaceNamePrefix');
  assert.equal(config.detectLocal.interfaceNamePrefix, 'cali');
  assert.equal(config.localhostNodePorts, false);
  assert.equal(config.masqueradeBit, 15);
  assert.equal(config.nftMasqueradeAll, true);
  assert.equal(config.nftMasqueradeBit, 12);
  expectWarning(diag, 'NS-CONFIG-UNMODELLED', 'cfg.yaml:11:8');
  expectWarning(diag, 'NS-CONFIG-UNMODELLED', 'cfg.yaml:11:47');
  expectWarning(diag, 'NS-CONFIG-UNMODELLED', 'cfg.yaml:12:1');
  assert.equal(diag.warnings.filter((w) => w.code === 'NS-CONFIG-UNMODELLED').length, 3);
  assert.equal(diag.errors.length, 0);
  // validation.go: "primary" alone; detectLocal.bridgeInterface for BridgeInterface; masqueradeBit 0..31
  const bad = fold('apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nnodePortAddresses: [primary, 10.0.0.0/8]\ndetectLocalMode: BridgeInterface\niptables: {masqueradeBit: 32}\n');
  assert.deepEqual(bad.diag.errors.map((e) => e.code).sort(), ['NS-CONFIG-CIDR', 'NS-CONFIG-VALUE', 'NS-CONFIG-VALUE']);
  // the defaults written out say nothing
  const quiet = fold('apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nnodePortAddresses: []\ndetectLocalMode: ClusterCIDR\niptables: {localhostNodePorts: true}\n');
  assert.equal(quiet.diag.warnings.length, 0, JSON.stringify(listed(quiet.diag.warnings as any)));
});
