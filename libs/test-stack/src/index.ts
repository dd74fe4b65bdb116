export * from './lib/backend-api';
export * from './lib/ferretdb';
export * from './lib/free-port';
export * from './lib/managed-process';
export * from './lib/pose-service';
export * from './lib/readiness';
export * from './lib/workspace-paths';
