// What the sidecars are configured from: Istio's resources in the realised cluster, indexed once per
// cluster, and the mesh config istiod reads (ConfigMap istio in istio-system, key `mesh`):
// outboundTrafficPolicy.mode (ALLOW_ANY by default), rootNamespace (istio-system), trustDomain
// (cluster.local), enableAutoMtls (true). Other mesh config fields are warned about by name.
import { parse } from 'yaml';
import type { Warning } from '../model/errors';
import type { Realised, RPod, RService } from '../model/realised';
import { posOf, ref, type KObject, type Labels } from '../model/types';
import type { Decider } from '../net/trace';
import { hasSidecar } from './injection';

export type OutboundPolicy = 'ALLOW_ANY' | 'REGISTRY_ONLY';

export interface MeshIndex {
  r: Realised;
  rootNamespace: string;
  trustDomain: string;
  autoMtls: boolean;
  outboundPolicy: OutboundPolicy;
  /** the ConfigMap that set the policy, when one did */
  meshConfig?: Decider;
  /** PeerAuthentication by namespace (the root namespace's unselected one is mesh-wide) */
  peerAuth: Map<string, KObject[]>;
  /** AuthorizationPolicy by namespace (the root namespace's apply to every workload) */
  authz: Map<string, KObject[]>;
  /** VirtualServices by the FQDN of each host they name */
  vsByHost: Map<string, KObject[]>;
  /** DestinationRules by FQDN host (the rule in the host's own namespace first, as Istio prefers) */
  drByHost: Map<string, KObject[]>;
  serviceEntries: KObject[];
  /** pod IP → the headless Services it is an endpoint of (Istio builds a listener per endpoint for them) */
  headlessByIP: Map<string, RService[]>;
  /** true when the cluster runs any sidecar */
  meshed: boolean;
  warnings: Warning[];
}

export function decider(o: KObject, path: (string | number)[] = []): Decider {
  return { what: ref(o), pos: posOf(o, path) };
}

/** matchLabels ⊆ labels (Istio's workload selectors are matchLabels only). */
export function selects(sel: Labels | undefined, labels: Labels): boolean {
  if (!sel) return true;
  for (const k in sel) if (labels[k] !== sel[k]) return false;
  return true;
}

/** A host as Istio reads it in a rule of namespace `ns`: a short name is that namespace's Service. */
export function fqdn(host: string, ns: string, domain: string): string {
  return host.includes('.') || host.includes('*') ? host : `${host}.${ns}.svc.${domain}`;
}

export function serviceHost(s: RService, domain: string): string {
  return `${s.name}.${s.ns}.svc.${domain}`;
}

const READ_MESH_FIELDS = new Set(['outboundTrafficPolicy', 'rootNamespace', 'trustDomain', 'enableAutoMtls']);

const cache = new WeakMap<Realised, MeshIndex>();

export function meshIndex(r: Realised): MeshIndex {
  let m = cache.get(r);
  if (!m) { m = build(r); cache.set(r, m); }
  return m;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v); else m.set(k, [v]);
}

function build(r: Realised): MeshIndex {
  const m: MeshIndex = {
    r, rootNamespace: 'istio-system', trustDomain: 'cluster.local', autoMtls: true, outboundPolicy: 'ALLOW_ANY',
    peerAuth: new Map(), authz: new Map(), vsByHost: new Map(), drByHost: new Map(), serviceEntries: [],
    headlessByIP: new Map(), meshed: false, warnings: [],
  };
  const domain = r.config.dnsDomain;
  for (const o of r.objects) {
    const ns = o.metadata.namespace ?? 'default';
    switch (o.kind) {
      case 'ConfigMap':
        if (o.metadata.name === 'istio' && ns === 'istio-system' && typeof o.data?.mesh === 'string') readMeshConfig(m, o);
        break;
      case 'PeerAuthentication': push(m.peerAuth, ns, o); break;
      case 'AuthorizationPolicy': push(m.authz, ns, o); break;
      case 'VirtualService': {
        // a rule bound to gateways applies to the sidecars only when the list names "mesh"
        const gw = o.spec?.gateways;
        if (Array.isArray(gw) && gw.length && !gw.includes('mesh')) break;
        for (const h of o.spec?.hosts ?? []) push(m.vsByHost, fqdn(h, ns, domain), o);
        break;
      }
      case 'DestinationRule': push(m.drByHost, fqdn(o.spec.host, ns, domain), o); break;
      case 'ServiceEntry': m.serviceEntries.push(o); break;
    }
  }
  for (const p of r.pods) if (hasSidecar(p)) { m.meshed = true; break; }
  for (const s of r.services) {
    if (!s.headless) continue;
    for (const sl of r.slicesByService.get(s.key) ?? []) for (const e of sl.endpoints) for (const a of e.addresses) push(m.headlessByIP, a, s);
  }
  return m;
}

function readMeshConfig(m: MeshIndex, o: KObject): void {
  let mc: any;
  try {
    mc = parse(o.data!.mesh);
  } catch (e) {
    m.warnings.push({ code: 'NS-ISTIO-MESHCONFIG', message: `${ref(o)}: data.mesh is not YAML (${(e as Error).message.split('\n')[0]}); the mesh config defaults apply`, pos: posOf(o, ['data', 'mesh']) });
    return;
  }
  if (!mc || typeof mc !== 'object') return;
  const mode = mc.outboundTrafficPolicy?.mode;
  if (mode === 'ALLOW_ANY' || mode === 'REGISTRY_ONLY') {
    m.outboundPolicy = mode;
    m.meshConfig = { what: `${ref(o)} mesh.outboundTrafficPolicy.mode: ${mode}`, pos: posOf(o, ['data', 'mesh']) };
  } else if (mode !== undefined) {
    m.warnings.push({ code: 'NS-ISTIO-MESHCONFIG', message: `${ref(o)}: outboundTrafficPolicy.mode "${mode}" is not ALLOW_ANY or REGISTRY_ONLY; ALLOW_ANY applies`, pos: posOf(o, ['data', 'mesh']) });
  }
  if (typeof mc.rootNamespace === 'string') m.rootNamespace = mc.rootNamespace;
  if (typeof mc.trustDomain === 'string') m.trustDomain = mc.trustDomain;
  if (mc.enableAutoMtls === false) m.autoMtls = false;
  const other = Object.keys(mc).filter((k) => !READ_MESH_FIELDS.has(k));
  if (other.length) m.warnings.push({ code: 'NS-ISTIO-UNMODELLED', message: `${ref(o)}: mesh config fields not modelled by netspec, ignored: ${other.join(', ')}`, pos: posOf(o, ['data', 'mesh']) });
}

/** The SPIFFE identity of a pod's workload certificate. */
export function spiffeId(m: MeshIndex, pod: RPod): string {
  const sa = pod.obj.spec?.serviceAccountName || pod.obj.spec?.serviceAccount || 'default';
  return `spiffe://${m.trustDomain}/ns/${pod.ns}/sa/${sa}`;
}

/** Warnings about the mesh configuration (for the loader). */
export function meshWarnings(r: Realised): Warning[] {
  const m = meshIndex(r);
  const out = m.warnings.slice();
  for (const [host, list] of m.vsByHost) {
    if (list.length > 1) out.push({ code: 'NS-ISTIO-UNMODELLED', message: `${list.map((o) => ref(o)).join(', ')} all route ${host}: netspec uses the first (file order) and does not merge them`, pos: posOf(list[1]) });
  }
  const hasIstio = m.peerAuth.size || m.authz.size || m.vsByHost.size || m.drByHost.size || m.serviceEntries.length;
  if (hasIstio && !m.meshed) {
    out.push({ code: 'NS-ISTIO-NO-SIDECARS', message: 'the manifests hold Istio resources but no pod has a sidecar: label a namespace istio-injection=enabled (or a pod sidecar.istio.io/inject=true) for them to apply' });
  }
  return out;
}
