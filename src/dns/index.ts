// Cluster DNS (design §1, issue 4): CoreDNS's kubernetes plugin and Corefile, the pod's resolv.conf
// as the kubelet writes it, the container's stub resolver (glibc or musl), service environment
// variables. One entry point per question: dnsQuery, podResolvConf, containerEnv.
export * from './types';
export { coreDns, dnsQuery, upstreamsFrom, upstreamsOfConfig, defaultUpstreamAddresses, type DnsQuery } from './query';
export { CoreDns, describe, clampTTL, applyRewrite, type Upstreams, type ServeContext } from './server';
export { KubeBackend, parseRequest, DNS_SCHEMA_VERSION, SOA_SERIAL } from './kubernetes';
export { kubeadmCorefile, parseCorefile, type Corefile, type ServerBlock } from './corefile';
export {
  podResolvConf, parseResolvConf, renderResolvConf, clusterDNSAddresses, stubSettings, fitSearch, mergeOptions,
  MAX_DNS_NAMESERVERS, MAX_DNS_SEARCH_PATHS, MAX_DNS_SEARCH_LIST_CHARS, type PodResolvConf,
} from './resolvconf';
export { stubResolve, type Flavor } from './stub';
export { containerEnv, serviceEnv, envName, expand, type ContainerEnv } from './env';
export { UpstreamZone, parseZoneFile, recordFromText } from './zonefile';
export { fqdn, reverseName, addressFromReverse, nameProblem } from './names';
export { dnsNameResolver } from './resolver';
