// Which pod is an IngressClass's controller: the one whose proxied connections netspec walks.
// 1. a running, ready pod whose container runs with --controller-class=X where X is the class's
//    spec.controller (an ingress-nginx binary without the flag watches k8s.io/ingress-nginx, its
//    default); among several, the ones whose --ingress-class names the class come first;
// 2. else, for ingress-nginx, the documented labels of its Helm chart and static manifests:
//    app.kubernetes.io/name=ingress-nginx and app.kubernetes.io/component=controller;
// 3. else any pod labelled app.kubernetes.io/name=ingress-nginx.
// Job pods never count (the admission Jobs of deploy.yaml carry the same name label). The chosen
// pod is the first ready one in name order (else the first running one, said so); `how` says which
// rule picked it, for the trace.
import type { Realised, RPod } from '../model/realised';

export interface ControllerPod {
  /** "ns/name" */
  pod: string;
  how: string;
}

const INGRESS_NGINX = 'k8s.io/ingress-nginx';
const NGINX_BINARY = /(^|\/)nginx-ingress-controller$/;

/** A container's flag value: "--name=value" or "--name value" in its command and args. */
function flagValue(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === `--${name}` || a === `-${name}`) return argv[i + 1];
    if (a.startsWith(`--${name}=`) || a.startsWith(`-${name}=`)) return a.slice(a.indexOf('=') + 1);
  }
  return undefined;
}

/** The controller class each container of a pod watches (undefined: not an ingress controller). */
function controllerClasses(p: RPod): { controllerClass: string; ingressClass?: string }[] {
  const out: { controllerClass: string; ingressClass?: string }[] = [];
  const containers: any[] = Array.isArray(p.obj.spec?.containers) ? p.obj.spec.containers : [];
  for (const c of containers) {
    const argv = [...(Array.isArray(c?.command) ? c.command : []), ...(Array.isArray(c?.args) ? c.args : [])].map(String);
    const cc = flagValue(argv, 'controller-class') ?? (argv.some((a) => NGINX_BINARY.test(a)) ? INGRESS_NGINX : undefined);
    if (cc !== undefined) out.push({ controllerClass: cc, ingressClass: flagValue(argv, 'ingress-class') });
  }
  return out;
}

const cache = new WeakMap<Realised, Map<string, ControllerPod | null>>();

function byName(a: RPod, b: RPod): number { return a.key < b.key ? -1 : a.key > b.key ? 1 : 0; }

export function controllerPod(r: Realised, className: string, controller: string): ControllerPod | null {
  let m = cache.get(r);
  if (!m) cache.set(r, (m = new Map()));
  const k = `${className}\u0000${controller}`;
  if (m.has(k)) return m.get(k)!;
  const running = r.pods.filter((p) => p.phase === 'Running' && !p.owner?.startsWith('Job '));
  let found = pick(running.filter((p) => p.ready), className, controller);
  if (!found) {
    found = pick(running, className, controller);
    if (found) found.how += '; no such pod is ready, so the first running one stands for it';
  }
  m.set(k, found);
  return found;
}

function pick(live: RPod[], className: string, controller: string): ControllerPod | null {
  let found: ControllerPod | null = null;
  const byArgs = live.filter((p) => controllerClasses(p).some((c) => c.controllerClass === controller)).sort(byName);
  if (byArgs.length) {
    const named = byArgs.filter((p) => controllerClasses(p).some((c) => c.controllerClass === controller && c.ingressClass === className));
    const p = (named.length ? named : byArgs)[0];
    const owner = p.owner ? `, of ${p.owner}` : '';
    found = { pod: p.key, how: `its container runs with --controller-class=${controller}${named.length ? ` --ingress-class=${className}` : ''}, the spec.controller of IngressClass ${className}${owner}` };
  } else if (controller === INGRESS_NGINX) {
    const conv = live.filter((p) => p.labels['app.kubernetes.io/name'] === 'ingress-nginx' && p.labels['app.kubernetes.io/component'] === 'controller').sort(byName);
    const legacy = conv.length ? conv : live.filter((p) => p.labels['app.kubernetes.io/name'] === 'ingress-nginx').sort(byName);
    if (legacy.length) {
      found = {
        pod: legacy[0].key,
        how: conv.length
          ? 'no pod runs with --controller-class: chosen by the chart\'s documented labels app.kubernetes.io/name=ingress-nginx, app.kubernetes.io/component=controller'
          : 'no pod runs with --controller-class or carries app.kubernetes.io/component=controller: chosen by its label app.kubernetes.io/name=ingress-nginx',
      };
    }
  }
  return found;
}
