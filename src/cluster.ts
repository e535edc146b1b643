// The facade: load → realise → query. Steps and the CLI use only this (and the modules' index files).
import { defaultConfig, type ClusterConfig } from './model/config';
import { Diagnostics, InputErrors, type InputError, type Warning } from './model/errors';
import type { KObject } from './model/types';
import type { Realised } from './model/realised';
import { readSources, validateObjects, configFrom, warnUnmodelled, type InputSource } from './manifests';
import { realise, patchPods } from './controllers';
import { cniHooks, combineHooks, connectQuery, nearPods, type ConnectQuery, type ConnectResult, type NameResolver, type NetfilterHooks } from './cni';
import { kubeProxyHooks, iptablesSave as kpIptablesSave, ipvsadm as kpIpvsadm, nftListRuleset as kpNft, ruleCounts as kpRuleCounts, proxyState, resetProxyState, kubeProxyHttp, setIpvsRuntime, type RuleCounts } from './kubeproxy';
import { containerEnv, dnsNameResolver, dnsQuery, podResolvConf, type ContainerEnv, type DnsQuery, type DnsResult, type PodResolvConf, type Upstreams } from './dns';
import type { RPod } from './model/realised';
import { checkAdminPolicies, policyAwareResolver, policyCheck, policyWarnings } from './policy';
import { checkDeploymentStrategy } from './controllers/rollout';
import { checkProbes, probeTimeline, type Timeline, type TimelineQuery } from './probes';
import { checkIngresses, ingressRequest, ingressStatus, type IngressStatus, type RequestQuery, type RequestResult } from './ingress';
import { resolveSource, resolveTargetRole } from './roles';
import { meshConnect, meshWarnings, podIptablesSave, type MeshConnectQuery } from './mesh';

export interface ClusterOptions {
  /** settings that win over defaults and over config documents (from Gherkin or CLI flags) */
  overrides?: Partial<ClusterConfig>;
  /** objects made directly (Gherkin topology steps), already carrying their origin */
  objects?: KObject[];
}

export class Cluster {
  /** inputs: the objects as read (config documents taken out), before the control plane ran; `netspec diff` compares them */
  private constructor(readonly realised: Realised, readonly warnings: readonly Warning[], readonly inputs: readonly KObject[] = []) {}

  /** Loads and realises; throws InputErrors carrying every error found. */
  static load(sources: InputSource[], opts: ClusterOptions = {}): Cluster {
    const diag = new Diagnostics();
    // Gherkin-declared objects and manifests are validated together (duplicate names across both)
    const all = [...(opts.objects ?? []), ...readSources(sources, diag)];
    validateObjects(all, diag);
    warnUnmodelled(all, diag);
    checkIngresses(all, diag);
    checkAdminPolicies(all, diag);
    checkProbes(all, diag);
    checkDeploymentStrategy(all, diag);
    const { config, objects } = configFrom(all, defaultConfig(), diag);
    Object.assign(config, opts.overrides ?? {});
    if (!diag.ok) throw new InputErrors(diag.errors, diag.warnings);
    const realised = realise(objects, config, diag);
    diag.throwIfAny();
    return new Cluster(realised, [...diag.warnings, ...realised.warnings.filter((w) => !diag.warnings.includes(w)), ...policyWarnings(realised), ...meshWarnings(realised)], objects);
  }

  /**
   * This realised cluster for another user (the next scenario that declares the same inputs): a
   * new facade (no DNS upstream fixtures set) over the same realised objects, with kube-proxy's
   * runtime state (clock, affinity entries, IPVS positions and connections) back to a fresh
   * build's. Everything else kept with the realised cluster is derived from it and never changes.
   */
  fork(): Cluster {
    resetProxyState(this.realised);
    return new Cluster(this.realised, this.warnings, this.inputs);
  }

  private netfilterHooks?: NetfilterHooks;
  /**
   * Name resolution for connect targets: the DNS module's resolver; from a pod isolated for egress
   * the lookup is itself a connection that NetworkPolicy may drop (src/policy policyAwareResolver).
   */
  private nameResolver?: NameResolver = policyAwareResolver(dnsNameResolver(() => (this.dnsUpstreams.size ? this.dnsUpstreams : undefined)), () => this.netfilter);

  /** Every node's netfilter: the CNI's rules, then kube-proxy's (add it here: one more argument). */
  get netfilter(): NetfilterHooks {
    if (this.netfilterHooks) return this.netfilterHooks;
    const hooks = combineHooks(cniHooks(this.realised), kubeProxyHooks(this.realised));
    // NetworkPolicy: attached only when the cluster holds one (the walk's no-policy path stays free)
    const policy = policyCheck(this.realised);
    return (this.netfilterHooks = policy ? { dnat: hooks.dnat, snat: hooks.snat, policy } : hooks);
  }

  /**
   * Where a connection goes, hop by hop. from: "NS/POD" | "node/NAME" | "external:IP" | an Endpoint;
   * to: an IP, "NS/POD", "node/NAME", "localhost" (or a DNS name once a resolver is set).
   * Throws InputErrors on misuse (unknown pod or node, bad port); every outcome is a ConnectResult.
   */
  connect(q: (ConnectQuery | MeshConnectQuery) & { namespace?: string }): ConnectResult {
    // by role (src/roles): a workload, selector or Service stands for one representative pod (or a cluster IP);
    // then through the sidecars where pods have them (src/mesh), the plain walk otherwise
    const from = typeof q.from === 'string' ? resolveSource(this.realised, q.from, q.namespace) : null;
    const fromNs = from ? this.realised.podByKey.get(from.text)?.ns : undefined;
    const to = resolveTargetRole(this.realised, q.to, q.namespace ?? fromNs);
    if (!from?.hops.length && !to.hops.length) return meshConnect(this.realised, q, this.netfilter, this.nameResolver);
    const res = meshConnect(this.realised, { ...q, from: from ? from.text : q.from, to: to.text }, this.netfilter, this.nameResolver);
    return { ...res, hops: [...(from?.hops ?? []), ...to.hops, ...res.hops] };
  }

  /** A meshed pod's own nat rules (istio-iptables) as `iptables-save` prints them in its namespace; null without a sidecar. */
  podIptablesSave(pod: RPod | string): string | null {
    return podIptablesSave(typeof pod === 'string' ? this.podOrThrow(pod) : pod);
  }

  /** A node's kube-proxy rules as `iptables-save` prints them. Throws on an unknown node (check nodeByName first). */
  iptablesSave(node: string): string {
    return kpIptablesSave(this.realised, node);
  }

  /** A node's IPVS virtual servers as `ipvsadm -Ln` prints them (what kube-proxy programs in ipvs mode). */
  ipvsadm(node: string): string {
    return kpIpvsadm(this.realised, node);
  }

  /** A node's kube-proxy table as `nft list ruleset` prints it (nftables mode; empty in the other modes). */
  nftListRuleset(node: string): string {
    return kpNft(this.realised, node);
  }

  /** How many iptables rules kube-proxy writes on a node (iptables mode). */
  kubeProxyRuleCounts(node: string): RuleCounts {
    return kpRuleCounts(this.realised, node);
  }

  /**
   * Gives node `node` the runtime state of its IPVS table (ActiveConn, InActConn and weight per
   * real server; YAML keyed as ipvsadm -Ln lists it): ipvs mode's schedulers see it from then on.
   * Returns the located NS-IPVS-STATE errors (empty: applied).
   */
  setIpvsState(node: string, text: string, file: string, lineOffset = 0, colOffset = 0): InputError[] {
    return setIpvsRuntime(this.realised, node, text, file, lineOffset, colOffset);
  }

  /** Moves kube-proxy's virtual clock (seconds): sessionAffinity and IPVS persistence expire with it. */
  advanceKubeProxyClock(seconds: number): void {
    proxyState(this.realised).now += seconds;
  }

  /**
   * Upstream DNS fixtures (zone files by server address) that dns() and connect() to names use;
   * when empty, the configuration's (config.upstreamDNS, from Gherkin) apply.
   */
  dnsUpstreams: Upstreams = new Map();

  /**
   * What DNS answers: from a pod ("NS/POD" or the pod) through its resolv.conf and search list, or
   * straight to the cluster DNS when no pod is given. Outcomes (NXDOMAIN, SERVFAIL…) are results.
   */
  dns(q: Omit<DnsQuery, 'from'> & { from?: RPod | string }): DnsResult {
    const from = typeof q.from === 'string' ? this.podOrThrow(q.from) : q.from;
    return dnsQuery(this.realised, { ...q, from, upstreams: q.upstreams ?? (this.dnsUpstreams.size ? this.dnsUpstreams : undefined) });
  }

  /** A pod's /etc/resolv.conf as the kubelet writes it. */
  resolvConf(pod: RPod | string): PodResolvConf {
    return podResolvConf(this.realised, typeof pod === 'string' ? this.podOrThrow(pod) : pod);
  }

  /** A container's environment as the kubelet sets it (service links included). */
  env(pod: RPod | string, container?: string): ContainerEnv {
    return containerEnv(this.realised, typeof pod === 'string' ? this.podOrThrow(pod) : pod, container);
  }

  /**
   * What an ingress controller does with an HTTP(S) request: class, host and path matching, TLS,
   * the backend Service and its ready endpoints, then the controller pod's connection when one runs.
   * Outcomes (308 redirect, 404, 502, 503, 504) are results; a bad URL or unknown class is an InputError.
   */
  request(q: RequestQuery): RequestResult {
    return ingressRequest(this.realised, q, (from, ip, port) => this.connect({ from, to: ip, port, protocol: 'TCP' }), (ip, port, path) => {
      const a = kubeProxyHttp(this.realised, ip, port, path);
      return a && { at: `node/${this.realised.nodeByIP.get(ip)!.name}/kube-proxy`, node: this.realised.nodeByIP.get(ip)!.name, component: 'kube-proxy', status: a.status, headers: a.headers, body: a.body, service: a.service, detail: a.detail };
    });
  }
  /** The status.loadBalancer address ingress-nginx would publish for Ingress "ns/name" (null: no such Ingress). */
  ingressStatus(key: string): IngressStatus | null {
    const [ns, name] = key.includes('/') ? key.split('/') : ['default', key];
    const ing = this.realised.objects.find((o) => o.kind === 'Ingress' && (o.metadata.namespace ?? 'default') === ns && o.metadata.name === name);
    return ing ? ingressStatus(this.realised, ing) : null;
  }


  /**
   * The kubelet's probes and restarts on the virtual clock (t=0: the containers start), up to
   * q.until ms, with the app's scripted behaviour; at(t) is the cluster as it stands at time t (the
   * simulated pods' Ready conditions and restart counts set, EndpointSlices derived again).
   */
  timeline(q: TimelineQuery): Timeline & { at(t: number): Cluster } {
    const tl = probeTimeline(this.realised, q, () => this.netfilter);
    return {
      ...tl,
      at: (t: number) => {
        const diag = new Diagnostics();
        // incremental: only the simulated pods, their label indexes and their Services' slices anew
        const realised = patchPods(tl.base, tl.podsAt(t), diag, tl.replacedAt(t));
        diag.throwIfAny();
        const c = new Cluster(realised, this.warnings, this.inputs);
        c.dnsUpstreams = this.dnsUpstreams;
        return c;
      },
    };
  }

  private podOrThrow(key: string): RPod {
    const p = this.realised.podByKey.get(key);
    if (!p) throw new InputErrors([{ code: 'NS-UNKNOWN-POD', message: `no pod ${key}`, hint: key.includes('/') ? nearPods(this.realised, key) : 'name it NS/POD, e.g. shop/client' }]);
    return p;
  }
}

export { InputErrors };
