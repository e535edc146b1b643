// The service mesh (Istio, sidecar mode): injection, the pod's interception rules, the sidecar
// proxy as a hop, mTLS and authorization, from Istio's own resources.
export { injectionDecision, hasSidecar, injectSidecars, PORTS, PROXY_UID, type InjectDecision } from './injection';
export { interception, podIptablesSave, outboundCapture, inboundCapture, type Interception } from './interception';
export { meshIndex, meshWarnings, spiffeId, type MeshIndex } from './config';
export { peerAuthMode, authorize, type MtlsMode } from './security';
export { routeService, isHttpPort, type HttpRequest } from './routing';
export { meshConnect, type MeshConnectQuery } from './proxy';
