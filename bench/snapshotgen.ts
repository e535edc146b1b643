// A cluster snapshot as `kubectl get pods,svc,deploy,rs -A -o yaml` prints it: one `kind: List`
// document, block style, keys sorted, strings quoted the way go-yaml quotes them, full pod spec and
// status, optionally with `metadata.managedFields` (`--show-managed-fields`, or what the API,
// Velero and k9s give). Written to a stream piece by piece so a 500 MB dump never sits in memory.
import { closeSync, openSync, writeSync } from 'node:fs';

export interface SnapshotSize {
  pods: number;
  namespaces: number;
  nodes: number;
  services: number;
  managedFields: boolean;
}

export const SNAPSHOT_10K: SnapshotSize = { pods: 10_000, namespaces: 100, nodes: 200, services: 1_000, managedFields: false };

/** A hex string of n digits from a counter (stable, looks like a uid/hash piece). */
function hex(i: number, n: number): string {
  let x = (Math.imul(i + 1, 2654435761) >>> 0).toString(16);
  while (x.length < n) x += (Math.imul(x.length + i, 40503) >>> 0).toString(16);
  return x.slice(0, n);
}

function uid(kind: string, i: number): string {
  const h = hex(i * 7 + kind.length, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const TS = '"2026-11-30T09:12:44Z"';

function managedPod(ind: string, rsUid: string): string {
  const i = ind;
  return `${i}managedFields:
${i}- apiVersion: v1
${i}  fieldsType: FieldsV1
${i}  fieldsV1:
${i}    f:metadata:
${i}      f:generateName: {}
${i}      f:labels:
${i}        .: {}
${i}        f:app: {}
${i}        f:pod-template-hash: {}
${i}      f:ownerReferences:
${i}        .: {}
${i}        k:{"uid":"${rsUid}"}: {}
${i}    f:spec:
${i}      f:containers:
${i}        k:{"name":"main"}:
${i}          .: {}
${i}          f:image: {}
${i}          f:imagePullPolicy: {}
${i}          f:name: {}
${i}          f:ports:
${i}            .: {}
${i}            k:{"containerPort":8080,"protocol":"TCP"}:
${i}              .: {}
${i}              f:containerPort: {}
${i}              f:name: {}
${i}              f:protocol: {}
${i}          f:readinessProbe:
${i}            .: {}
${i}            f:httpGet:
${i}              .: {}
${i}              f:path: {}
${i}              f:port: {}
${i}      f:dnsPolicy: {}
${i}      f:enableServiceLinks: {}
${i}      f:restartPolicy: {}
${i}  manager: kube-controller-manager
${i}  operation: Update
${i}  time: ${TS}
${i}- apiVersion: v1
${i}  fieldsType: FieldsV1
${i}  fieldsV1:
${i}    f:status:
${i}      f:conditions:
${i}        k:{"type":"ContainersReady"}:
${i}          .: {}
${i}          f:lastProbeTime: {}
${i}          f:lastTransitionTime: {}
${i}          f:status: {}
${i}          f:type: {}
${i}        k:{"type":"Ready"}:
${i}          .: {}
${i}          f:lastProbeTime: {}
${i}          f:lastTransitionTime: {}
${i}          f:status: {}
${i}          f:type: {}
${i}      f:containerStatuses: {}
${i}      f:hostIP: {}
${i}      f:hostIPs: {}
${i}      f:phase: {}
${i}      f:podIP: {}
${i}      f:podIPs:
${i}        .: {}
${i}        k:{"ip":"10.244.0.5"}:
${i}          .: {}
${i}          f:ip: {}
${i}      f:startTime: {}
${i}  manager: kubelet
${i}  operation: Update
${i}  subresource: status
${i}  time: ${TS}
`;
}

/** A pod-name suffix of 5 characters of kube's alphabet, distinct for every p (27^5 > 14 million). */
function suffix(p: number): string {
  const abc = 'bcdfghjklmnpqrstvwxz2456789';
  let x = (Math.imul(p, 7919) >>> 0) % 14348907, out = '';
  for (let i = 0; i < 5; i++) { out += abc[x % 27]; x = Math.floor(x / 27); }
  return out;
}

function nodeIP(n: number): string { const v = n + 2; return `172.${18 + (v >> 16)}.${(v >> 8) & 255}.${v & 255}`; }

/** Writes the snapshot to `file`; returns its size in bytes. */
export function writeSnapshot(file: string, size: SnapshotSize): number {
  const fd = openSync(file, 'w');
  let bytes = 0;
  let buf = '';
  const out = (s: string) => {
    buf += s;
    if (buf.length > 1 << 20) { bytes += writeSync(fd, buf); buf = ''; }
  };
  // the pod network: a /16 per node out of 10.0.0.0/8 would not fit 5000 nodes; a /24 per node of a /8 does
  const podCIDR = (n: number) => `10.${64 + (n >> 8)}.${n & 255}.0/24`;
  const podsPerNode = new Int32Array(size.nodes);
  out('apiVersion: v1\nitems:\n');
  const depPerNs = Math.max(1, Math.round(size.services / size.namespaces));
  const podsPerDep = Math.max(1, Math.ceil(size.pods / (size.namespaces * depPerNs)));
  // Services first (kubectl prints kinds in the order they were asked for: pods,svc → pods first;
  // the order does not matter to netspec)
  for (let s = 0; s < size.services; s++) {
    const ns = `team-${String(s % size.namespaces).padStart(3, '0')}`;
    const app = `app-${Math.floor(s / size.namespaces) % depPerNs}`;
    const v = s + 256; // past 10.96.0.x, where the control plane's own Services sit
    const ip = `10.${96 + ((v >> 16) & 15)}.${(v >> 8) & 255}.${v & 255}`;
    out(`- apiVersion: v1
  kind: Service
  metadata:
    annotations:
      kubectl.kubernetes.io/last-applied-configuration: |
        {"apiVersion":"v1","kind":"Service","metadata":{"annotations":{},"name":"${app}","namespace":"${ns}"},"spec":{"ports":[{"name":"http","port":80,"targetPort":"http"}],"selector":{"app":"${app}"}}}
    creationTimestamp: ${TS}
    name: ${app}
    namespace: ${ns}
    resourceVersion: "${1000 + s}"
    uid: ${uid('Service', s)}
  spec:
    clusterIP: ${ip}
    clusterIPs:
    - ${ip}
    internalTrafficPolicy: Cluster
    ipFamilies:
    - IPv4
    ipFamilyPolicy: SingleStack
    ports:
    - name: http
      port: 80
      protocol: TCP
      targetPort: http
    selector:
      app: ${app}
    sessionAffinity: None
    type: ClusterIP
  status:
    loadBalancer: {}
`);
  }
  let p = 0;
  for (let n = 0; n < size.namespaces && p < size.pods; n++) {
    const ns = `team-${String(n).padStart(3, '0')}`;
    for (let d = 0; d < depPerNs && p < size.pods; d++) {
      const app = `app-${d}`;
      const hash = hex(n * 131 + d, 10).replace(/[0-9]/g, (c) => 'bcdfghjklm'[Number(c)]).slice(0, 10);
      const rsName = `${app}-${hash}`;
      const rsUid = uid('ReplicaSet', n * 1000 + d);
      for (let r = 0; r < podsPerDep && p < size.pods; r++, p++) {
        const node = p % size.nodes;
        const host = podsPerNode[node]++;
        const [a, b, c] = podCIDR(node).split('.');
        const podIP = `${a}.${b}.${c}.${host + 2}`;
        const name = `${rsName}-${suffix(p)}`;
        const nodeName = `node-${String(node).padStart(4, '0')}`;
        out(`- apiVersion: v1
  kind: Pod
  metadata:
    creationTimestamp: ${TS}
    generateName: ${rsName}-
    labels:
      app: ${app}
      pod-template-hash: ${hash}
${size.managedFields ? managedPod('    ', rsUid) : ''}    name: ${name}
    namespace: ${ns}
    ownerReferences:
    - apiVersion: apps/v1
      blockOwnerDeletion: true
      controller: true
      kind: ReplicaSet
      name: ${rsName}
      uid: ${rsUid}
    resourceVersion: "${50000 + p}"
    uid: ${uid('Pod', p)}
  spec:
    containers:
    - image: registry.example/team/${app}:1.4.2
      imagePullPolicy: IfNotPresent
      name: main
      ports:
      - containerPort: 8080
        name: http
        protocol: TCP
      readinessProbe:
        failureThreshold: 3
        httpGet:
          path: /healthz
          port: http
          scheme: HTTP
        periodSeconds: 10
        successThreshold: 1
        timeoutSeconds: 1
      resources:
        requests:
          cpu: 100m
          memory: 128Mi
      terminationMessagePath: /dev/termination-log
      terminationMessagePolicy: File
      volumeMounts:
      - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
        name: kube-api-access-${hex(p, 5)}
        readOnly: true
    dnsPolicy: ClusterFirst
    enableServiceLinks: true
    nodeName: ${nodeName}
    preemptionPolicy: PreemptLowerPriority
    priority: 0
    restartPolicy: Always
    schedulerName: default-scheduler
    securityContext: {}
    serviceAccount: default
    serviceAccountName: default
    terminationGracePeriodSeconds: 30
    tolerations:
    - effect: NoExecute
      key: node.kubernetes.io/not-ready
      operator: Exists
      tolerationSeconds: 300
    - effect: NoExecute
      key: node.kubernetes.io/unreachable
      operator: Exists
      tolerationSeconds: 300
    volumes:
    - name: kube-api-access-${hex(p, 5)}
      projected:
        defaultMode: 420
        sources:
        - serviceAccountToken:
            expirationSeconds: 3607
            path: token
        - configMap:
            items:
            - key: ca.crt
              path: ca.crt
            name: kube-root-ca.crt
        - downwardAPI:
            items:
            - fieldRef:
                apiVersion: v1
                fieldPath: metadata.namespace
              path: namespace
  status:
    conditions:
    - lastProbeTime: null
      lastTransitionTime: ${TS}
      status: "True"
      type: PodReadyToStartContainers
    - lastProbeTime: null
      lastTransitionTime: ${TS}
      status: "True"
      type: Initialized
    - lastProbeTime: null
      lastTransitionTime: ${TS}
      status: "True"
      type: Ready
    - lastProbeTime: null
      lastTransitionTime: ${TS}
      status: "True"
      type: ContainersReady
    - lastProbeTime: null
      lastTransitionTime: ${TS}
      status: "True"
      type: PodScheduled
    containerStatuses:
    - containerID: containerd://${hex(p, 64)}
      image: registry.example/team/${app}:1.4.2
      imageID: registry.example/team/${app}@sha256:${hex(d, 64)}
      lastState: {}
      name: main
      ready: true
      restartCount: 0
      started: true
      state:
        running:
          startedAt: ${TS}
      volumeMounts:
      - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
        name: kube-api-access-${hex(p, 5)}
        readOnly: true
        recursiveReadOnly: Disabled
    hostIP: ${nodeIP(node)}
    hostIPs:
    - ip: ${nodeIP(node)}
    phase: Running
    podIP: ${podIP}
    podIPs:
    - ip: ${podIP}
    qosClass: Burstable
    startTime: ${TS}
`);
      }
    }
  }
  out('kind: List\nmetadata:\n  resourceVersion: ""\n');
  bytes += writeSync(fd, buf);
  closeSync(fd);
  return bytes;
}
