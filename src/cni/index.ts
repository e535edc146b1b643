// Pod networking (the CNI's data plane): the connect query and its netfilter hooks.
export * from './types';
export { connect, isLoopback } from './walk';
export { cniHooks, combineHooks, NO_HOOKS } from './hooks';
export { connectQuery, nearPods, parseSource, resolveTarget, ipLiteral, type ConnectQuery, type NameResolver, type ResolvedTarget } from './target';
export { mulberry32, ephemeralPort } from './rng';
export { netIndex, KUBELET_PORT, type NetIndex, type NodeNet, type Listener } from './netindex';
export { renderConnect, connectJSON, verdictLine, decidingHop } from './render';
