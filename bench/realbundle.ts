// A bundle of the size and shape of three public installs nobody here wrote, generated (their own
// files are not shipped): Argo CD's HA install.yaml (about 2 MB, nearly all of it the openAPI
// schemas of its CustomResourceDefinitions; namespace-less, applied with -n argocd; required
// podAntiAffinity on the HA Deployments and the redis StatefulSet, eight NetworkPolicies, RBAC,
// ConfigMaps, Secrets), ingress-nginx's cloud deploy.yaml (every object, the admission Jobs and
// the ValidatingWebhookConfiguration included) and Google's Online Boutique (twelve Deployments and
// Services, a LoadBalancer frontend, namespace-less), plus three Nodes and an Ingress for the
// shop. Same kinds, names, labels, ports, probes and args as the originals (manifests of Argo CD
// v3, ingress-nginx controller-v1.15, microservices-demo v0.10); the CRD schemas are generated to
// the originals' sizes (416 kB and 1.4 MB). Deterministic.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

type Obj = Record<string, any>;
const dump = (objs: Obj[]) => objs.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');

// ---- Argo CD HA ------------------------------------------------------------------------------------

/** An openAPIV3Schema of about `bytes` characters of YAML: nested properties with descriptions. */
function schema(bytes: number, seed: string): Obj {
  let n = 0;
  const words = ['source', 'destination', 'sync', 'policy', 'status', 'health', 'resources', 'operation', 'revision', 'helm', 'kustomize', 'directory', 'plugin', 'generators', 'template', 'selector'];
  const prop = (depth: number, budget: number): Obj => {
    const p: Obj = { description: `${seed} field ${n++}: ${'holds the value the controller reads when it reconciles the object. '.repeat(2)}`, type: depth > 3 ? 'string' : 'object' };
    if (depth <= 3 && budget > 400) {
      const props: Obj = {};
      const k = 4;
      for (let i = 0; i < k; i++) props[`${words[(n + i) % words.length]}${i}`] = prop(depth + 1, budget / k - 200);
      p.properties = props;
      p.required = Object.keys(props).slice(0, 1);
    }
    return p;
  };
  const spec: Obj = { type: 'object', properties: {} };
  for (let i = 0; JSON.stringify(spec).length * 1.1 < bytes; i++) spec.properties[`field${i}`] = prop(0, 24000);
  return { type: 'object', properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec, status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }, required: ['metadata', 'spec'] };
}

function crd(plural: string, kind: string, bytes: number): Obj {
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: { labels: { 'app.kubernetes.io/name': `${plural}.argoproj.io`, 'app.kubernetes.io/part-of': 'argocd' }, name: `${plural}.argoproj.io` },
    spec: {
      group: 'argoproj.io', names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() }, scope: 'Namespaced',
      versions: [{ name: 'v1alpha1', served: true, storage: true, schema: { openAPIV3Schema: schema(bytes, kind) }, subresources: { status: {} } }],
    },
  };
}

const argoLabels = (name: string, component: string) => ({ 'app.kubernetes.io/component': component, 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'argocd' });
const hostAnti = (name: string, required: boolean): Obj => {
  const term = { labelSelector: { matchLabels: { 'app.kubernetes.io/name': name } }, topologyKey: 'kubernetes.io/hostname' };
  return required ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } } : { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] } };
};
const envFrom = (names: string[], cm: string) => names.map((n) => ({ name: n.toUpperCase().replace(/[.-]/g, '_'), valueFrom: { configMapKeyRef: { key: n, name: cm, optional: true } } }));

function argoWorkload(kind: 'Deployment' | 'StatefulSet', name: string, component: string, replicas: number, ports: Obj[], opts: { args?: string[]; anti?: 'required' | 'preferred'; probePort?: number | string; env?: number } = {}): Obj {
  const spec: Obj = {
    replicas,
    selector: { matchLabels: { 'app.kubernetes.io/name': name } },
    template: {
      metadata: { labels: { 'app.kubernetes.io/name': name } },
      spec: {
        ...(opts.anti ? { affinity: hostAnti(name, opts.anti === 'required') } : {}),
        containers: [{
          name: component, image: 'quay.io/argoproj/argocd:v3.1.0', imagePullPolicy: 'Always',
          args: opts.args ?? [`/usr/local/bin/${name}`],
          env: envFrom(Array.from({ length: opts.env ?? 40 }, (_, i) => `${component}.setting.${i}`), 'argocd-cmd-params-cm'),
          ports,
          ...(opts.probePort !== undefined ? { readinessProbe: { httpGet: { path: '/healthz', port: opts.probePort }, initialDelaySeconds: 5, periodSeconds: 10 } } : {}),
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          volumeMounts: [{ mountPath: '/app/config/tls', name: 'tls-certs' }, { mountPath: '/tmp', name: 'tmp' }],
        }],
        serviceAccountName: name,
        volumes: [{ name: 'tls-certs', configMap: { name: 'argocd-tls-certs-cm' } }, { name: 'tmp', emptyDir: {} }],
      },
    },
  };
  if (kind === 'StatefulSet') spec.serviceName = name;
  return { apiVersion: 'apps/v1', kind, metadata: { labels: argoLabels(name, component), name }, spec };
}

function svc(name: string, selector: Obj, ports: Obj[], extra: Obj = {}, labels: Obj = {}): Obj {
  return { apiVersion: 'v1', kind: 'Service', metadata: { labels, name }, spec: { ports, selector, ...extra } };
}

function netpol(name: string, target: string, from: string[] | null, ports: number[]): Obj {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name },
    spec: {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': target } }, policyTypes: ['Ingress'],
      ingress: [{ ...(from ? { from: from.map((f) => ({ podSelector: { matchLabels: { 'app.kubernetes.io/name': f } } })) } : {}), ports: ports.map((port) => ({ port, protocol: 'TCP' })) }],
    },
  };
}

export function argocdHA(): string {
  const objs: Obj[] = [crd('applications', 'Application', 312_000), crd('applicationsets', 'ApplicationSet', 1_050_000), crd('appprojects', 'AppProject', 18_000)];
  const sas = ['argocd-application-controller', 'argocd-applicationset-controller', 'argocd-dex-server', 'argocd-notifications-controller', 'argocd-redis-ha', 'argocd-redis-ha-haproxy', 'argocd-repo-server', 'argocd-server'];
  for (const n of sas) objs.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { labels: argoLabels(n, 'x'), name: n } });
  const rule = { apiGroups: ['argoproj.io'], resources: ['applications', 'applicationsets', 'appprojects'], verbs: ['create', 'get', 'list', 'watch', 'update', 'patch', 'delete'] };
  for (const n of sas.slice(0, 7)) {
    objs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: n }, rules: [rule, { apiGroups: [''], resources: ['secrets', 'configmaps', 'events'], verbs: ['get', 'list', 'watch', 'create'] }] });
    objs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: n }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: n }, subjects: [{ kind: 'ServiceAccount', name: n }] });
  }
  for (const n of sas.slice(0, 3)) {
    objs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: n }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] });
    objs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: n }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: n }, subjects: [{ kind: 'ServiceAccount', name: n, namespace: 'argocd' }] });
  }
  const haproxyCfg = Array.from({ length: 300 }, (_, i) => `  # check ${i}\n  server R${i % 3} argocd-redis-ha-announce-${i % 3}:6379 check inter 3s fall 1 rise 1`).join('\n');
  for (const [n, data] of [['argocd-cm', { 'admin.enabled': 'true' }], ['argocd-cmd-params-cm', { 'redis.server': 'argocd-redis-ha-haproxy:6379' }], ['argocd-gpg-keys-cm', {}], ['argocd-notifications-cm', { 'trigger.on-sync-failed': 'x'.repeat(4000) }], ['argocd-rbac-cm', {}], ['argocd-ssh-known-hosts-cm', { ssh_known_hosts: 'github.com ssh-ed25519 AAAA\n'.repeat(200) }], ['argocd-tls-certs-cm', {}], ['argocd-redis-ha-configmap', { 'haproxy.cfg': haproxyCfg, 'redis.conf': 'maxmemory 0\n'.repeat(100) }], ['argocd-redis-ha-health-configmap', { 'redis_liveness.sh': 'redis-cli ping\n'.repeat(100) }]] as const) {
    objs.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { labels: argoLabels(n, 'config'), name: n }, data });
  }
  objs.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'argocd-notifications-secret' }, type: 'Opaque' }, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'argocd-secret' }, type: 'Opaque' });
  const sel = (n: string) => ({ 'app.kubernetes.io/name': n });
  objs.push(
    svc('argocd-applicationset-controller', sel('argocd-applicationset-controller'), [{ name: 'webhook', port: 7000, targetPort: 'webhook' }, { name: 'metrics', port: 8080, targetPort: 'metrics' }]),
    svc('argocd-dex-server', sel('argocd-dex-server'), [{ name: 'http', port: 5556, protocol: 'TCP', targetPort: 5556 }, { name: 'grpc', port: 5557, protocol: 'TCP', targetPort: 5557 }, { name: 'metrics', port: 5558, protocol: 'TCP', targetPort: 5558 }]),
    svc('argocd-metrics', sel('argocd-application-controller'), [{ name: 'metrics', port: 8082, protocol: 'TCP', targetPort: 8082 }]),
    svc('argocd-notifications-controller-metrics', sel('argocd-notifications-controller'), [{ name: 'metrics', port: 9001, protocol: 'TCP', targetPort: 9001 }]),
    svc('argocd-redis-ha', { app: 'redis-ha' }, [{ name: 'tcp-server', port: 6379, protocol: 'TCP', targetPort: 'redis' }, { name: 'tcp-sentinel', port: 26379, protocol: 'TCP', targetPort: 'sentinel' }], { clusterIP: 'None' }),
    ...[0, 1, 2].map((i) => svc(`argocd-redis-ha-announce-${i}`, { app: 'redis-ha', 'statefulset.kubernetes.io/pod-name': `argocd-redis-ha-server-${i}` }, [{ name: 'tcp-server', port: 6379, protocol: 'TCP', targetPort: 'redis' }, { name: 'tcp-sentinel', port: 26379, protocol: 'TCP', targetPort: 'sentinel' }], { publishNotReadyAddresses: true })),
    svc('argocd-redis-ha-haproxy', sel('argocd-redis-ha-haproxy'), [{ name: 'tcp-haproxy', port: 6379, protocol: 'TCP', targetPort: 'redis' }]),
    svc('argocd-repo-server', sel('argocd-repo-server'), [{ name: 'server', port: 8081, protocol: 'TCP', targetPort: 8081 }, { name: 'metrics', port: 8084, protocol: 'TCP', targetPort: 8084 }]),
    svc('argocd-server', sel('argocd-server'), [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }, { name: 'https', port: 443, protocol: 'TCP', targetPort: 8080 }]),
    svc('argocd-server-metrics', sel('argocd-server'), [{ name: 'metrics', port: 8083, protocol: 'TCP', targetPort: 8083 }]),
  );
  objs.push(
    argoWorkload('Deployment', 'argocd-applicationset-controller', 'applicationset-controller', 1, [{ containerPort: 7000, name: 'webhook' }, { containerPort: 8080, name: 'metrics' }], { env: 60 }),
    argoWorkload('Deployment', 'argocd-dex-server', 'dex-server', 1, [{ containerPort: 5556 }, { containerPort: 5557 }, { containerPort: 5558 }], { anti: 'preferred', env: 4 }),
    argoWorkload('Deployment', 'argocd-notifications-controller', 'notifications-controller', 1, [{ containerPort: 9001, name: 'metrics' }], { env: 12 }),
    argoWorkload('Deployment', 'argocd-redis-ha-haproxy', 'redis', 3, [{ containerPort: 6379, name: 'redis' }, { containerPort: 8888, name: 'healthz' }], { anti: 'required', probePort: 'healthz', env: 0 }),
    argoWorkload('Deployment', 'argocd-repo-server', 'repo-server', 2, [{ containerPort: 8081 }, { containerPort: 8084 }], { anti: 'required', probePort: 8084, env: 70 }),
    argoWorkload('Deployment', 'argocd-server', 'server', 2, [{ containerPort: 8080 }, { containerPort: 8083 }], { anti: 'required', probePort: 8080, env: 80 }),
    argoWorkload('StatefulSet', 'argocd-application-controller', 'application-controller', 1, [{ containerPort: 8082 }], { anti: 'preferred', probePort: 8082, env: 80 }),
  );
  const redis = argoWorkload('StatefulSet', 'argocd-redis-ha-server', 'redis', 3, [{ containerPort: 6379, name: 'redis' }, { containerPort: 26379, name: 'sentinel' }], { anti: 'required', env: 0 });
  redis.spec.selector.matchLabels = { app: 'redis-ha' };
  redis.spec.template.metadata.labels = { app: 'redis-ha', 'app.kubernetes.io/name': 'argocd-redis-ha-server' };
  redis.spec.serviceName = 'argocd-redis-ha';
  redis.spec.podManagementPolicy = 'OrderedReady';
  objs.push(redis);
  objs.push(
    netpol('argocd-application-controller-network-policy', 'argocd-application-controller', null, [8082]),
    netpol('argocd-applicationset-controller-network-policy', 'argocd-applicationset-controller', null, [7000, 8080]),
    netpol('argocd-dex-server-network-policy', 'argocd-dex-server', ['argocd-server'], [5556, 5557]),
    netpol('argocd-notifications-controller-network-policy', 'argocd-notifications-controller', null, [9001]),
    netpol('argocd-redis-ha-proxy-network-policy', 'argocd-redis-ha-haproxy', ['argocd-server', 'argocd-repo-server', 'argocd-application-controller'], [6379]),
    netpol('argocd-redis-ha-server-network-policy', 'argocd-redis-ha-server', ['argocd-redis-ha-haproxy', 'argocd-redis-ha-server'], [6379, 26379]),
    netpol('argocd-repo-server-network-policy', 'argocd-repo-server', ['argocd-server', 'argocd-application-controller', 'argocd-notifications-controller', 'argocd-applicationset-controller'], [8081]),
    netpol('argocd-server-network-policy', 'argocd-server', null, [8080]),
  );
  return dump(objs);
}

// ---- ingress-nginx cloud deploy.yaml ------------------------------------------------------------------

export function ingressNginx(): string {
  const version = '1.15.1';
  const lab = (component?: string) => ({ ...(component ? { 'app.kubernetes.io/component': component } : {}), 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/part-of': 'ingress-nginx', 'app.kubernetes.io/version': version });
  const sel = (component: string) => ({ 'app.kubernetes.io/component': component, 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/name': 'ingress-nginx' });
  const ns = 'ingress-nginx';
  const rbac = (kind: string, name: string, component: string, rules: Obj[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { labels: lab(component), name, ...(kind.startsWith('Cluster') ? {} : { namespace: ns }) }, rules });
  const bind = (kind: string, name: string, component: string, sa: string) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { labels: lab(component), name, ...(kind.startsWith('Cluster') ? {} : { namespace: ns }) }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: kind.replace('Binding', ''), name }, subjects: [{ kind: 'ServiceAccount', name: sa, namespace: ns }] });
  const readAll = [{ apiGroups: [''], resources: ['configmaps', 'endpoints', 'nodes', 'pods', 'secrets', 'namespaces'], verbs: ['list', 'watch'] }, { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'ingressclasses'], verbs: ['get', 'list', 'watch'] }, { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch', 'get'] }];
  const certgen = (name: string, args: string[]): Obj => ({
    apiVersion: 'batch/v1', kind: 'Job', metadata: { labels: lab('admission-webhook'), name, namespace: ns },
    spec: {
      template: {
        metadata: { labels: lab('admission-webhook'), name },
        spec: {
          containers: [{ args, env: [{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }], image: 'registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.6.9', imagePullPolicy: 'IfNotPresent', name, securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsGroup: 65532, runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } } }],
          nodeSelector: { 'kubernetes.io/os': 'linux' }, restartPolicy: 'OnFailure', serviceAccountName: 'ingress-nginx-admission',
        },
      },
      ttlSecondsAfterFinished: 0,
    },
  });
  const probe = (failureThreshold: number) => ({ failureThreshold, httpGet: { path: '/healthz', port: 10254, scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 1 });
  const objs: Obj[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { labels: { 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/name': 'ingress-nginx' }, name: ns } },
    { apiVersion: 'v1', automountServiceAccountToken: true, kind: 'ServiceAccount', metadata: { labels: lab('controller'), name: 'ingress-nginx', namespace: ns } },
    { apiVersion: 'v1', automountServiceAccountToken: true, kind: 'ServiceAccount', metadata: { labels: lab('admission-webhook'), name: 'ingress-nginx-admission', namespace: ns } },
    rbac('Role', 'ingress-nginx', 'controller', [...readAll, { apiGroups: ['coordination.k8s.io'], resourceNames: ['ingress-nginx-leader'], resources: ['leases'], verbs: ['get', 'update'] }]),
    rbac('Role', 'ingress-nginx-admission', 'admission-webhook', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'create'] }]),
    rbac('ClusterRole', 'ingress-nginx', 'controller', readAll),
    rbac('ClusterRole', 'ingress-nginx-admission', 'admission-webhook', [{ apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingwebhookconfigurations'], verbs: ['get', 'update'] }]),
    bind('RoleBinding', 'ingress-nginx', 'controller', 'ingress-nginx'),
    bind('RoleBinding', 'ingress-nginx-admission', 'admission-webhook', 'ingress-nginx-admission'),
    bind('ClusterRoleBinding', 'ingress-nginx', 'controller', 'ingress-nginx'),
    bind('ClusterRoleBinding', 'ingress-nginx-admission', 'admission-webhook', 'ingress-nginx-admission'),
    { apiVersion: 'v1', data: null, kind: 'ConfigMap', metadata: { labels: lab('controller'), name: 'ingress-nginx-controller', namespace: ns } },
    { apiVersion: 'v1', kind: 'Service', metadata: { labels: lab('controller'), name: 'ingress-nginx-controller', namespace: ns }, spec: { externalTrafficPolicy: 'Local', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports: [{ appProtocol: 'http', name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }, { appProtocol: 'https', name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' }], selector: sel('controller'), type: 'LoadBalancer' } },
    { apiVersion: 'v1', kind: 'Service', metadata: { labels: lab('controller'), name: 'ingress-nginx-controller-admission', namespace: ns }, spec: { ports: [{ appProtocol: 'https', name: 'https-webhook', port: 443, targetPort: 'webhook' }], selector: sel('controller'), type: 'ClusterIP' } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { labels: lab('controller'), name: 'ingress-nginx-controller', namespace: ns },
      spec: {
        minReadySeconds: 0, revisionHistoryLimit: 10, selector: { matchLabels: sel('controller') }, strategy: { rollingUpdate: { maxUnavailable: 1 }, type: 'RollingUpdate' },
        template: {
          metadata: { labels: lab('controller') },
          spec: {
            automountServiceAccountToken: true,
            containers: [{
              args: ['/nginx-ingress-controller', '--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller', '--election-id=ingress-nginx-leader', '--controller-class=k8s.io/ingress-nginx', '--ingress-class=nginx', '--configmap=$(POD_NAMESPACE)/ingress-nginx-controller', '--validating-webhook=:8443', '--validating-webhook-certificate=/usr/local/certificates/cert', '--validating-webhook-key=/usr/local/certificates/key'],
              env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }, { name: 'LD_PRELOAD', value: '/usr/local/lib/libmimalloc.so' }],
              image: `registry.k8s.io/ingress-nginx/controller:v${version}`, imagePullPolicy: 'IfNotPresent',
              lifecycle: { preStop: { exec: { command: ['/wait-shutdown'] } } },
              livenessProbe: probe(5), name: 'controller',
              ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }, { containerPort: 443, name: 'https', protocol: 'TCP' }, { containerPort: 8443, name: 'webhook', protocol: 'TCP' }],
              readinessProbe: probe(3), resources: { requests: { cpu: '100m', memory: '90Mi' } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: false, runAsGroup: 82, runAsNonRoot: true, runAsUser: 101, seccompProfile: { type: 'RuntimeDefault' } },
              volumeMounts: [{ mountPath: '/usr/local/certificates/', name: 'webhook-cert', readOnly: true }],
            }],
            dnsPolicy: 'ClusterFirst', nodeSelector: { 'kubernetes.io/os': 'linux' }, serviceAccountName: 'ingress-nginx', terminationGracePeriodSeconds: 300,
            volumes: [{ name: 'webhook-cert', secret: { secretName: 'ingress-nginx-admission' } }],
          },
        },
      },
    },
    certgen('ingress-nginx-admission-create', ['create', '--host=ingress-nginx-controller-admission,ingress-nginx-controller-admission.$(POD_NAMESPACE).svc', '--namespace=$(POD_NAMESPACE)', '--secret-name=ingress-nginx-admission']),
    certgen('ingress-nginx-admission-patch', ['patch', '--webhook-name=ingress-nginx-admission', '--namespace=$(POD_NAMESPACE)', '--patch-mutating=false', '--secret-name=ingress-nginx-admission', '--patch-failure-policy=Fail']),
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { labels: lab('controller'), name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } },
    { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { labels: lab('admission-webhook'), name: 'ingress-nginx-admission' }, webhooks: [{ admissionReviewVersions: ['v1'], clientConfig: { service: { name: 'ingress-nginx-controller-admission', namespace: ns, path: '/networking/v1/ingresses', port: 443 } }, failurePolicy: 'Fail', matchPolicy: 'Equivalent', name: 'validate.nginx.ingress.kubernetes.io', rules: [{ apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['ingresses'] }], sideEffects: 'None' }] },
  ];
  return dump(objs);
}

// ---- Online Boutique ---------------------------------------------------------------------------------

const BOUTIQUE: [name: string, port: number, svcPort: number, env: [string, string][]][] = [
  ['emailservice', 8080, 5000, [['PORT', '8080'], ['DISABLE_PROFILER', '1']]],
  ['checkoutservice', 5050, 5050, [['PORT', '5050'], ['PRODUCT_CATALOG_SERVICE_ADDR', 'productcatalogservice:3550'], ['SHIPPING_SERVICE_ADDR', 'shippingservice:50051'], ['PAYMENT_SERVICE_ADDR', 'paymentservice:50051'], ['EMAIL_SERVICE_ADDR', 'emailservice:5000'], ['CURRENCY_SERVICE_ADDR', 'currencyservice:7000'], ['CART_SERVICE_ADDR', 'cartservice:7070']]],
  ['recommendationservice', 8080, 8080, [['PORT', '8080'], ['PRODUCT_CATALOG_SERVICE_ADDR', 'productcatalogservice:3550']]],
  ['frontend', 8080, 80, [['PORT', '8080'], ['PRODUCT_CATALOG_SERVICE_ADDR', 'productcatalogservice:3550'], ['CURRENCY_SERVICE_ADDR', 'currencyservice:7000'], ['CART_SERVICE_ADDR', 'cartservice:7070'], ['RECOMMENDATION_SERVICE_ADDR', 'recommendationservice:8080'], ['SHIPPING_SERVICE_ADDR', 'shippingservice:50051'], ['CHECKOUT_SERVICE_ADDR', 'checkoutservice:5050'], ['AD_SERVICE_ADDR', 'adservice:9555']]],
  ['paymentservice', 50051, 50051, [['PORT', '50051']]],
  ['productcatalogservice', 3550, 3550, [['PORT', '3550']]],
  ['cartservice', 7070, 7070, [['REDIS_ADDR', 'redis-cart:6379']]],
  ['loadgenerator', 0, 0, [['FRONTEND_ADDR', 'frontend:80'], ['USERS', '10']]],
  ['currencyservice', 7000, 7000, [['PORT', '7000']]],
  ['shippingservice', 50051, 50051, [['PORT', '50051']]],
  ['redis-cart', 6379, 6379, []],
  ['adservice', 9555, 9555, [['PORT', '9555']]],
];

export function onlineBoutique(): string {
  const objs: Obj[] = [];
  for (const [name, port, svcPort, env] of BOUTIQUE) {
    const probe = port ? (name === 'redis-cart' ? { tcpSocket: { port } } : name === 'frontend' ? { httpGet: { path: '/_healthz', port, httpHeaders: [{ name: 'Cookie', value: 'shop_session-id=x-readiness-probe' }] } } : { grpc: { port } }) : undefined;
    objs.push({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels: { app: name } },
      spec: {
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            serviceAccountName: name, terminationGracePeriodSeconds: 5,
            securityContext: { fsGroup: 1000, runAsGroup: 1000, runAsNonRoot: true, runAsUser: 1000 },
            containers: [{
              name: name === 'redis-cart' ? 'redis' : 'server', image: `us-central1-docker.pkg.dev/google-samples/microservices-demo/${name}:v0.10.3`,
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true },
              ...(port ? { ports: [{ containerPort: port }] } : {}),
              env: env.map(([n, value]) => ({ name: n, value })),
              ...(probe ? { readinessProbe: { periodSeconds: 5, ...probe }, livenessProbe: { periodSeconds: 5, ...probe } } : {}),
              resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
            }],
          },
        },
      },
    });
    if (port) objs.push({ apiVersion: 'v1', kind: 'Service', metadata: { name, labels: { app: name } }, spec: { type: 'ClusterIP', selector: { app: name }, ports: [{ name: name === 'redis-cart' ? 'tcp-redis' : 'grpc', port: svcPort, targetPort: port }] } });
    objs.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
  }
  objs.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'frontend-external', labels: { app: 'frontend' } }, spec: { type: 'LoadBalancer', selector: { app: 'frontend' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
  return dump(objs);
}

/** The shop's Ingress and three Nodes (an HA install needs three for its required anti-affinity). */
export function extras(): string {
  const nodes = ['node-a', 'node-b', 'node-c'].map((n) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: n, labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': n } } }));
  return dump([...nodes,
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argocd' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'boutique' } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'shop', namespace: 'boutique' }, spec: { ingressClassName: 'nginx', rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'frontend', port: { number: 80 } } } }] } }] } },
  ]);
}

/** Writes the bundle under `dir`: argocd/, boutique/ (namespace-less), ingress-nginx/, cluster/. Returns the bytes written. */
export function writeBundle(dir: string): number {
  let bytes = 0;
  for (const [sub, file, text] of [['argocd', 'install.yaml', argocdHA()], ['ingress-nginx', 'deploy.yaml', ingressNginx()], ['boutique', 'kubernetes-manifests.yaml', onlineBoutique()], ['cluster', 'cluster.yaml', extras()]] as const) {
    mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, sub, file), text);
    bytes += Buffer.byteLength(text);
  }
  return bytes;
}
