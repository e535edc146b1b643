// netspec as a library: `import { Cluster } from 'netspec'`. Load manifests, realise the cluster,
// ask it questions; every answer carries its trace. The CLI and the step library use the same facade.
export { Cluster, InputErrors, type ClusterOptions } from './cluster';
export type { InputSource } from './manifests';
export type { ClusterConfig } from './model/config';
export { formatError, formatErrors, type InputError, type Warning } from './model/errors';
export type { KObject } from './model/types';
export type { Realised, RPod, RNode } from './model/realised';
export { renderHops, type Hop, type SourcePos } from './net/trace';
export { connectJSON, renderConnect, type ConnectQuery, type ConnectResult } from './cni';
export type { DnsQuery, DnsResult } from './dns';
export { describeRequest, type RequestQuery, type RequestResult } from './ingress';
