// Small clusters the kube-proxy tests, goldens and features share.
import type { Fixture } from './fixtures';

const ep = (ip: string, node?: string) => ({ ip, node, ports: [{ name: 'p80', port: 80 }] });

/**
 * The cluster of kube-proxy's own TestOverallIPTablesRules (pkg/proxy/iptables/proxier_test.go):
 * clusterCIDR 10.0.0.0/8, node "test-node" at 192.168.0.2, six services covering ClusterIP,
 * LoadBalancer with Local policy, NodePort, external IPs, source ranges with session affinity,
 * and a service without endpoints. Its chain names and rules are kube-proxy's expectations.
 */
export const OVERALL: Fixture = {
  nodes: [{ name: 'test-node', ip: '192.168.0.2' }],
  config: { proxyClusterCIDR: '10.0.0.0/8', podSubnets: ['10.0.0.0/8'] },
  services: [
    { ns: 'ns1', name: 'svc1', clusterIP: '172.30.0.41', ports: [{ name: 'p80', port: 80 }], selector: null, endpoints: [ep('10.180.0.1')] },
    { ns: 'ns2', name: 'svc2', type: 'LoadBalancer', etp: 'Local', clusterIP: '172.30.0.42', ports: [{ name: 'p80', port: 80, nodePort: 3001 }], lbIPs: ['1.2.3.4'], externalIPs: ['192.168.99.22'], healthCheckNodePort: 30000, selector: null, endpoints: [ep('10.180.0.2')] },
    { ns: 'ns3', name: 'svc3', type: 'NodePort', clusterIP: '172.30.0.43', ports: [{ name: 'p80', port: 80, nodePort: 3003 }], selector: null, endpoints: [ep('10.180.0.3')] },
    { ns: 'ns4', name: 'svc4', type: 'NodePort', clusterIP: '172.30.0.44', externalIPs: ['192.168.99.33'], ports: [{ name: 'p80', port: 80, targetPort: 80 }], selector: null, endpoints: [ep('10.180.0.4'), ep('10.180.0.5', 'test-node')] },
    { ns: 'ns5', name: 'svc5', type: 'LoadBalancer', etp: 'Cluster', clusterIP: '172.30.0.45', ports: [{ name: 'p80', port: 80, nodePort: 3002 }], lbIPs: ['5.6.7.8'], healthCheckNodePort: 30000, sourceRanges: [' 203.0.113.0/25'], affinity: true, affinityTimeout: 10800, selector: null, endpoints: [ep('10.180.0.3')] },
    { ns: 'ns6', name: 'svc6', clusterIP: '172.30.0.46', ports: [{ name: 'p80', port: 80, targetPort: 80 }], selector: null },
  ],
};

/** The acceptance cluster: a 3-endpoint ClusterIP service "shop/web" 80 → 8080 on two nodes, plus a client. */
export const SHOP: Fixture = {
  nodes: [{ name: 'node-a', ip: '172.18.0.2' }, { name: 'node-b', ip: '172.18.0.3' }, { name: 'node-c', ip: '172.18.0.4' }],
  pods: [
    { ns: 'shop', name: 'client', node: 'node-a', ip: '10.244.0.5' },
    { ns: 'shop', name: 'web-1', node: 'node-a', ip: '10.244.0.10', labels: { app: 'web' }, ports: [{ port: 8080, name: 'http' }] },
    { ns: 'shop', name: 'web-2', node: 'node-b', ip: '10.244.1.11', labels: { app: 'web' }, ports: [{ port: 8080, name: 'http' }] },
    { ns: 'shop', name: 'web-3', node: 'node-b', ip: '10.244.1.12', labels: { app: 'web' }, ports: [{ port: 8080, name: 'http' }] },
  ],
  services: [
    { ns: 'shop', name: 'web', clusterIP: '10.96.0.20', ports: [{ port: 80, targetPort: 8080 }], selector: { app: 'web' } },
  ],
};
