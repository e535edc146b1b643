// Besides reachability, `netspec diff` compares what the changed objects publish: a Service's DNS
// answer and how it is exposed outside the cluster (NodePorts, LoadBalancer and external IPs), an
// Ingress's routes (host and path → Service and port). Asked only for the objects that changed.
import type { Cluster } from '../cluster';
import type { KObject } from '../model/types';
import type { ObjectChange } from './diff';

export interface FactChange {
  /** e.g. "DNS cart.shop.svc.cluster.local A", "exposure of Service shop/web", "Ingress shop/web route shop.example.com/api" */
  subject: string;
  before: string | null;
  after: string | null;
  cause: ObjectChange;
}

function serviceFacts(c: Cluster, ns: string, name: string): Map<string, string> {
  const m = new Map<string, string>();
  const s = c.realised.serviceByKey.get(`${ns}/${name}`);
  if (!s) return m;
  const fqdn = `${name}.${ns}.svc.${c.realised.config.dnsDomain}`;
  const a = c.dns({ name: `${fqdn}.`, type: 'A' });
  m.set(`DNS ${fqdn} A`, a.rcode === 'NOERROR' ? a.answers.map((x) => x.data).sort().join(', ') || 'no answer' : a.rcode);
  const out: string[] = [];
  for (const p of s.ports) {
    if (p.nodePort) out.push(`NodePort ${p.nodePort}/${p.protocol} → port ${p.port}`);
    for (const ip of s.loadBalancerIPs) out.push(`LoadBalancer ${ip}:${p.port}/${p.protocol}`);
    for (const ip of s.externalIPs) out.push(`externalIP ${ip}:${p.port}/${p.protocol}`);
  }
  m.set(`exposure of Service ${ns}/${name} outside the cluster`, out.length ? out.join('; ') : 'none');
  return m;
}

function ingressFacts(c: Cluster, ns: string, name: string): Map<string, string> {
  const m = new Map<string, string>();
  const ing = c.realised.objects.find((o) => o.kind === 'Ingress' && o.metadata.name === name && (o.metadata.namespace ?? 'default') === ns);
  const spec = (ing?.spec ?? {}) as Record<string, any>;
  const port = (b: any) => b?.service?.port?.number ?? b?.service?.port?.name ?? '?';
  for (const rule of spec.rules ?? []) {
    for (const p of rule?.http?.paths ?? []) m.set(`Ingress ${ns}/${name} route ${rule.host ?? '*'}${p.path ?? '/'} (${p.pathType ?? 'ImplementationSpecific'})`, `Service ${p.backend?.service?.name ?? '?'}:${port(p.backend)}`);
  }
  if (spec.defaultBackend) m.set(`Ingress ${ns}/${name} default backend`, `Service ${spec.defaultBackend.service?.name ?? '?'}:${port(spec.defaultBackend)}`);
  for (const t of spec.tls ?? []) m.set(`Ingress ${ns}/${name} TLS ${(t?.hosts ?? []).join(',')}`, `Secret ${t?.secretName ?? '(none)'}`);
  return m;
}

/** The published facts of each changed Service and Ingress, compared. */
export function factChanges(before: Cluster, after: Cluster, changes: readonly { change: ObjectChange; old?: KObject; now?: KObject }[]): FactChange[] {
  const out: FactChange[] = [];
  for (const { change, old, now } of changes) {
    const o = (now ?? old)!;
    const ns = o.metadata.namespace ?? 'default', name = o.metadata.name;
    const of = change.kind === 'Service' ? serviceFacts : change.kind === 'Ingress' ? ingressFacts : null;
    if (!of) continue;
    const a = of(before, ns, name), b = of(after, ns, name);
    for (const k of [...new Set([...a.keys(), ...b.keys()])].sort()) {
      const x = a.get(k) ?? null, y = b.get(k) ?? null;
      if (x !== y) out.push({ subject: k, before: x, after: y, cause: change });
    }
  }
  return out;
}
