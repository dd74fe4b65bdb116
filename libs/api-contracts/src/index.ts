export * from './lib/pose';
export * from './lib/analysis';
export * from './lib/api';
export * from './lib/auth';
export * from './lib/models';
export * from './lib/joint-angles';
