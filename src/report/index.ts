// Reports people read: behaviour diffs, pictures (SVG), CI formatters, the living-docs site.
export { behaviourDiff, objectChanges, type BehaviourDiff, type PairChange, type ObjectChange } from './diff';
export { renderDiffText, renderDiffMarkdown, diffJSON } from './diff-render';
export { ReachIndex, reachPairs, groupIdOf, type Group, type Destination, type ReachAnswer } from './reach';
export { gitSources } from './gitsource';
export { pathPicture, type PathPictureOptions } from './path-picture';
export { topologyPicture, TopologyTooLarge, TOPOLOGY_MAX_PODS } from './topology-picture';
export { renderGraph, type Graph } from './svg';
export { describeConnectQuery } from './names';
export { failureOf, DECIDER_MEDIA_TYPE, type Failure, type AttemptLike } from './failures';
export { githubAnnotations } from './github';
export { quietFailure, quietSummary } from './quiet';
export { renderSite, slugOf, type DocsChapter, type SiteFile } from './docs-site';
export { factChanges, type FactChange } from './facts';
