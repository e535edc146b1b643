export * from './ip';
export * from './trace';
export * from './packet';
