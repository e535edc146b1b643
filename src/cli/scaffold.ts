// What `netspec init` writes: a team's spec folder that passes from the first run. Paths relative
// to the target folder → file text. Kept beside the command so the compiled build carries them.

const SAMPLE_MANIFESTS = `# A small app as \`kubectl apply -f k8s/\` would create it: replace these with your own manifests
# (files, folders, Helm or kustomize output, \`kubectl get … -o yaml\` dumps).
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: example/api:1.0
        ports:
        - name: http
          containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  selector: {app: api}
  ports:
  - name: http
    port: 80
    targetPort: http
---
apiVersion: v1
kind: Pod
metadata:
  name: frontend
  namespace: shop
  labels: {app: frontend}
spec:
  containers:
  - name: web
    image: nginx:1.27
---
apiVersion: v1
kind: Pod
metadata:
  name: toolbox
  namespace: shop
  labels: {app: toolbox}
spec:
  containers:
  - name: shell
    image: busybox:1.36
---
# Only the frontend may call the api.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api-from-frontend
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: api}
  policyTypes: [Ingress]
  ingress:
  - from:
    - podSelector:
        matchLabels: {app: frontend}
    ports:
    - port: 8080
`;

const SAMPLE_NODES = `# The cluster's nodes, as \`kubectl get nodes -o yaml\` lists them (names and addresses are enough;
# kubeadm's ClusterConfiguration or a KubeProxyConfiguration may sit beside them).
apiVersion: v1
kind: Node
metadata:
  name: worker-1
status:
  addresses:
  - {type: InternalIP, address: 192.168.56.11}
---
apiVersion: v1
kind: Node
metadata:
  name: worker-2
status:
  addresses:
  - {type: InternalIP, address: 192.168.56.12}
`;

const SAMPLE_FEATURE = `Feature: Who may call the api
  The api serves the shop's frontend and nobody else. Its Service gives it a stable name and
  address; a NetworkPolicy keeps other pods out. netspec checks this against the manifests in
  k8s/, offline: \`npx netspec run\` (or by hand: \`npx netspec connect -f k8s --from shop/frontend
  --to api.shop.svc.cluster.local --port 80\`).

  Background:
    Given the manifests in "../k8s"

  Scenario: the frontend reaches the api through its Service
    When pod "frontend" in namespace "shop" connects to "api.shop.svc.cluster.local" on TCP port 80
    Then the connection is delivered to a pod labelled "app=api" on port 8080
    And kube-proxy rewrote the destination from the service IP to the pod IP

  Scenario: no other pod gets in
    Then these connections have these verdicts:
      | from          | to                         | port | verdict   |
      | shop/frontend | api.shop.svc.cluster.local | 80   | delivered |
      | shop/toolbox  | api.shop.svc.cluster.local | 80   | dropped   |

  Scenario: a team's own step (steps/team.steps.ts) sits beside netspec's
    Then namespace "shop" has 1 service
`;

const CUCUMBER_CONFIG = `// Cucumber config: netspec's step library plus the team's own steps (steps/**/*.ts, compiled on
// the fly by ts-node). \`npx netspec run\` and \`npx cucumber-js\` both read it.
const netspecSteps = require.resolve('netspec/steps');

const common = {
  paths: ['features/**/*.feature'],
  require: [netspecSteps, 'steps/**/*.ts'],
  requireModule: ['ts-node/register/transpile-only'],
  strict: true,
};

module.exports = {
  default: { ...common, format: ['summary'] },
  // CI: JUnit for the test report, HTML for people (attachments carry each answer's trace)
  ci: { ...common, format: ['summary', 'junit:reports/netspec.xml', 'html:reports/netspec.html'] },
};
`;

const TEAM_STEPS = `// The team's own vocabulary: steps import netspec's World and helpers and ask the same cluster.
import { Then } from '@cucumber/cucumber';
import { mismatch, type NetspecWorld } from 'netspec/steps';

Then('namespace {string} has {int} service(s)', function (this: NetspecWorld, ns: string, count: number) {
  const names = this.cluster.realised.services.filter((s) => s.ns === ns).map((s) => s.name);
  if (names.length !== count) throw mismatch(\`services in namespace \${ns}\`, String(count), \`\${names.length} (\${names.join(', ') || 'none'})\`);
});
`;

const TSCONFIG = `{
  "compilerOptions": {
    "target": "ES2022",
    "module": "node16",
    "moduleResolution": "node16",
    "strict": true,
    "esModuleInterop": true,
    "skipLibCheck": true,
    "noEmit": true
  },
  "include": ["steps"]
}
`;

const VSCODE_SETTINGS = `{
  "cucumber.features": ["features/**/*.feature"],
  "cucumber.glue": ["steps/**/*.ts", "node_modules/netspec/dist/steps/**/*.js"]
}
`;

const CI_WORKFLOW = `# netspec in CI: the specs run offline against the manifests in the repository; no cluster.
name: netspec
on: [push, pull_request]
jobs:
  netspec:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - run: npx netspec run --profile ci
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: netspec-report
          path: reports/
`;

/** The files of a new spec folder, in the order they are written. */
export const SCAFFOLD: ReadonlyArray<readonly [path: string, text: string]> = [
  ['k8s/nodes.yaml', SAMPLE_NODES],
  ['k8s/app.yaml', SAMPLE_MANIFESTS],
  ['features/api.feature', SAMPLE_FEATURE],
  ['steps/team.steps.ts', TEAM_STEPS],
  ['cucumber.js', CUCUMBER_CONFIG],
  ['tsconfig.json', TSCONFIG],
  ['.vscode/settings.json', VSCODE_SETTINGS],
  ['.github/workflows/netspec.yml', CI_WORKFLOW],
];
