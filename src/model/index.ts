export * from './types';
export * from './selector';
export * from './errors';
export * from './config';
export * from './realised';
