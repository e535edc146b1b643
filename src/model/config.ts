// Cluster configuration. Defaults are kubeadm's (design §3); the real config kinds override them
// (kubeadm ClusterConfiguration, KubeProxyConfiguration, KubeletConfiguration, ServiceCIDR objects,
// ip-masq-agent, the CNI's own config), and Gherkin steps can too.
import type { SourcePos } from '../net/trace';

export type ProxyMode = 'iptables' | 'ipvs' | 'nftables';
/** KubeProxyConfiguration detectLocalMode: how kube-proxy tells pod traffic from the rest. */
export type DetectLocalMode = 'ClusterCIDR' | 'NodeCIDR' | 'BridgeInterface' | 'InterfaceNamePrefix';
/** How pod traffic crosses nodes. */
export type PodNetworkMode = 'vxlan' | 'ipip' | 'geneve' | 'routed';
export type IpvsScheduler = 'rr' | 'wrr' | 'lc' | 'wlc' | 'sh' | 'dh' | 'sed' | 'nq';

export interface ClusterConfig {
  /** kubeadm networking.podSubnet (may be dual-stack: first IPv4 then IPv6) */
  podSubnets: string[];
  /** kube-controller-manager --node-cidr-mask-size (24 for IPv4, 64 for IPv6) */
  nodeCidrMaskSizeV4: number;
  nodeCidrMaskSizeV6: number;
  /** kubeadm networking.serviceSubnet, plus extra ServiceCIDR objects */
  serviceSubnets: string[];
  /** kubeadm networking.dnsDomain / kubelet clusterDomain */
  dnsDomain: string;
  /** kubelet clusterDNS; default: the 10th address of the first service range */
  clusterDNS: string[] | null;
  /** addresses given to nodes that have none in status.addresses */
  nodeSubnet: string;
  proxyMode: ProxyMode;
  ipvsScheduler: IpvsScheduler;
  /** KubeProxyConfiguration clusterCIDR (used to decide masquerade of off-cluster sources) */
  proxyClusterCIDR: string | null;
  /** KubeProxyConfiguration iptables.masqueradeAll */
  masqueradeAll: boolean;
  /** KubeProxyConfiguration iptables.masqueradeBit (0-31; the mark is 1 << bit) */
  masqueradeBit: number;
  /** KubeProxyConfiguration nftables.masqueradeAll / masqueradeBit (nftables mode reads these) */
  nftMasqueradeAll: boolean;
  nftMasqueradeBit: number;
  /** KubeProxyConfiguration iptables.localhostNodePorts (iptables mode; default true) */
  localhostNodePorts: boolean;
  /** KubeProxyConfiguration nodePortAddresses: CIDRs or "primary"; empty = every local address (nftables mode defaults to primary) */
  nodePortAddresses: string[];
  /** KubeProxyConfiguration detectLocalMode and detectLocal.* */
  detectLocalMode: DetectLocalMode;
  detectLocal: { bridgeInterface: string; interfaceNamePrefix: string };
  /** nodePort range, API server --service-node-port-range */
  nodePortRange: [number, number];
  /** pool for LoadBalancer services without status.loadBalancer.ingress */
  loadBalancerPool: string;
  /** how cross-node pod traffic travels */
  podNetwork: { mode: PodNetworkMode; plugin: string; /** VXLAN device name / port, for traces */ device: string; port?: number; decidedBy: string; pos?: SourcePos };
  /**
   * Pod egress masquerade. `cni` is the CNI's own rule (flannel/calico default: masquerade what
   * leaves the pod network); `ip-masq-agent` masquerades everything outside nonMasqueradeCIDRs.
   */
  egressMasquerade: { by: 'cni' | 'ip-masq-agent'; nonMasqueradeCIDRs: string[]; masqLinkLocal: boolean; pos?: SourcePos };
  /** kubelet resolvConf (the node's resolv.conf), text */
  nodeResolvConf: string;
  /** kubelet resolvConf path, for messages */
  nodeResolvConfPath: string;
  /**
   * Upstream DNS servers as fixtures (never the network): zone-file text per server address; a
   * null server means the node's resolv.conf nameservers ("the upstream DNS"). Read by src/dns.
   */
  upstreamDNS?: { server: string | null; text: string; file: string; line: number; col: number }[];
  /** seed for every random choice (iptables statistic, pod-name suffixes) */
  seed: number;
  /** where each setting came from, for traces: setting → "KubeProxyConfiguration (file:line)" */
  provenance: Record<string, string>;
}

/**
 * The pod networks a feature can name ("the pod network is \"vxlan\""), as each CNI sets them up
 * by default: flannel's VXLAN device flannel.1 on the kernel's UDP 8472, host-gw routes over eth0,
 * Calico's tunl0 for IP-in-IP, Cilium's geneve tunnel on UDP 6081.
 */
export const POD_NETWORKS: Readonly<Record<string, { mode: PodNetworkMode; plugin: string; device: string; port?: number; what: string }>> = {
  vxlan: { mode: 'vxlan', plugin: 'flannel', device: 'flannel.1', port: 8472, what: 'flannel, Backend vxlan' },
  'host-gw': { mode: 'routed', plugin: 'flannel', device: 'eth0', what: 'flannel, Backend host-gw' },
  routed: { mode: 'routed', plugin: 'flannel', device: 'eth0', what: 'flannel, Backend host-gw' },
  bgp: { mode: 'routed', plugin: 'calico', device: 'eth0', what: 'Calico, BGP without encapsulation' },
  ipip: { mode: 'ipip', plugin: 'calico', device: 'tunl0', what: 'Calico, ipipMode Always' },
  geneve: { mode: 'geneve', plugin: 'cilium', device: 'cilium_geneve', port: 6081, what: 'Cilium, tunnel-protocol geneve' },
};

export function defaultConfig(): ClusterConfig {
  return {
    podSubnets: ['10.244.0.0/16'],
    nodeCidrMaskSizeV4: 24,
    nodeCidrMaskSizeV6: 64,
    serviceSubnets: ['10.96.0.0/12'],
    dnsDomain: 'cluster.local',
    clusterDNS: null,
    nodeSubnet: '172.18.0.0/16',
    proxyMode: 'iptables',
    ipvsScheduler: 'rr',
    proxyClusterCIDR: null,
    masqueradeAll: false,
    masqueradeBit: 14,
    nftMasqueradeAll: false,
    nftMasqueradeBit: 14,
    localhostNodePorts: true,
    nodePortAddresses: [],
    detectLocalMode: 'ClusterCIDR',
    detectLocal: { bridgeInterface: '', interfaceNamePrefix: '' },
    nodePortRange: [30000, 32767],
    loadBalancerPool: '198.51.100.0/24',
    podNetwork: { mode: 'vxlan', plugin: 'flannel', device: 'flannel.1', port: 8472, decidedBy: 'default (flannel, Backend vxlan)' },
    egressMasquerade: { by: 'cni', nonMasqueradeCIDRs: [], masqLinkLocal: false },
    nodeResolvConf: 'nameserver 192.168.0.1\nsearch example.internal\n',
    nodeResolvConfPath: '/etc/resolv.conf',
    seed: 1,
    provenance: {},
  };
}
