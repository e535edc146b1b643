// A small meshed cluster for the mesh module's tests: namespace shop with istio-injection=enabled,
// namespace legacy without, frontend / cart / reviews (v1, v2) in shop.
import { Cluster } from '../cluster';
import type { ConnectResult } from '../cni';
import { renderHops } from '../net/trace';

export const BASE = `
apiVersion: v1
kind: Node
metadata: {name: node-a}
---
apiVersion: v1
kind: Node
metadata: {name: node-b}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: legacy}
---
apiVersion: v1
kind: Pod
metadata: {name: frontend, namespace: shop, labels: {app: frontend}}
spec: {nodeName: node-a, serviceAccountName: frontend, containers: [{name: web, image: x, ports: [{containerPort: 8080, name: http}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: cart, namespace: shop, labels: {app: cart}}
spec: {nodeName: node-b, serviceAccountName: cart, containers: [{name: cart, image: x, ports: [{containerPort: 7070, name: grpc}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
spec: {selector: {app: cart}, ports: [{name: tcp-cart, port: 7070, targetPort: 7070}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: reviews-v1, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: reviews, version: v1}}
  template:
    metadata: {labels: {app: reviews, version: v1}}
    spec: {containers: [{name: reviews, image: x, ports: [{containerPort: 9080}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: reviews-v2, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: reviews, version: v2}}
  template:
    metadata: {labels: {app: reviews, version: v2}}
    spec: {containers: [{name: reviews, image: x, ports: [{containerPort: 9080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}
---
apiVersion: v1
kind: Pod
metadata: {name: job, namespace: legacy, labels: {app: job}}
spec: {nodeName: node-a, containers: [{name: job, image: x}]}
`;

export function meshCluster(...extra: string[]): Cluster {
  return Cluster.load([{ text: BASE + extra.map((e) => '---\n' + e).join('\n'), name: 'mesh.yaml' }]);
}

export function trace(res: ConnectResult): string {
  return `${res.verdict}\n${renderHops(res.hops)}`;
}
