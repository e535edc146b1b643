// A generated cluster at real size, as manifests text (so loading is measured too):
// N nodes, namespaces each with a few Deployments (pods come from the control plane) and Services.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Size {
  nodes: number;
  namespaces: number;
  deploymentsPerNamespace: number;
  replicas: number;
  servicesPerNamespace: number;
  /**
   * Scheduling rules on every namespace's Deployments: app-0 a required pod anti-affinity on the
   * hostname, app-1 a DoNotSchedule zone spread (maxSkew 1), app-2 a required pod affinity to
   * app-0's zones.
   */
  rules?: boolean;
}

function rulesFor(d: number): string {
  if (d === 0) return `
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: {matchLabels: {app: app-0}}
            topologyKey: kubernetes.io/hostname`;
  if (d === 1) return `
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: topology.kubernetes.io/zone
        whenUnsatisfiable: DoNotSchedule
        labelSelector: {matchLabels: {app: app-1}}`;
  if (d === 2) return `
      affinity:
        podAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector: {matchLabels: {app: app-0}}
            topologyKey: topology.kubernetes.io/zone`;
  return '';
}

/** 5000 nodes, 150 000 pods from 3000 Deployments in 1000 namespaces, 10 000 Services. */
export const REAL: Size = { nodes: 5000, namespaces: 1000, deploymentsPerNamespace: 3, replicas: 50, servicesPerNamespace: 10 };

export function generate(size: Size): { dir: string; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'netspec-bench-'));
  const nodes: string[] = [];
  for (let i = 0; i < size.nodes; i++) {
    nodes.push(`apiVersion: v1
kind: Node
metadata:
  name: node-${String(i).padStart(4, '0')}
  labels:
    kubernetes.io/hostname: node-${String(i).padStart(4, '0')}
    topology.kubernetes.io/zone: zone-${i % 3}
`);
  }
  writeFileSync(join(dir, 'nodes.yaml'), nodes.join('---\n'));
  // 5000 nodes at /24 each need more than kubeadm's default /16 pod range: a /9 holds 32768
  writeFileSync(join(dir, 'cluster.yaml'), `apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  podSubnet: 10.128.0.0/9
  serviceSubnet: 10.96.0.0/12
  dnsDomain: cluster.local
`);
  const files = [join(dir, 'cluster.yaml'), join(dir, 'nodes.yaml')];
  for (let n = 0; n < size.namespaces; n++) {
    const ns = `team-${String(n).padStart(4, '0')}`;
    const docs: string[] = [`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`];
    for (let d = 0; d < size.deploymentsPerNamespace; d++) {
      docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${d}
  namespace: ${ns}
spec:
  replicas: ${size.replicas}
  selector:
    matchLabels:
      app: app-${d}
  template:
    metadata:
      labels:
        app: app-${d}
        tier: t${d % 2}
    spec:${size.rules ? rulesFor(d) : ''}
      containers:
      - name: app
        image: registry.example/app:1.0
        ports:
        - name: http
          containerPort: 8080
          protocol: TCP
`);
    }
    for (let s = 0; s < size.servicesPerNamespace; s++) {
      const headless = s === size.servicesPerNamespace - 1;
      docs.push(`apiVersion: v1
kind: Service
metadata:
  name: svc-${s}
  namespace: ${ns}
spec:${headless ? '\n  clusterIP: None' : ''}
  selector:
    app: app-${s % size.deploymentsPerNamespace}
  ports:
  - name: http
    port: 80
    targetPort: http
`);
    }
    const f = join(dir, `${ns}.yaml`);
    writeFileSync(f, docs.join('---\n'));
    files.push(f);
  }
  return { dir, files };
}
