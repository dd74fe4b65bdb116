export * from './lib/pose';
export * from './lib/analysis';
export * from './lib/api';
