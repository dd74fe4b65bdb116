import { join } from 'node:path';

export const workspaceRoot = join(__dirname, '../../../..');
export const ferretDbBinary = join(workspaceRoot, 'dist/ferretdb/ferretdb');
export const poseServiceRoot = join(workspaceRoot, 'apps/pose-service');
export const poseServicePython = join(poseServiceRoot, '.venv/bin/python');
export const poseModelDir = join(workspaceRoot, 'dist/pose-models');
export const fixturesDir = join(__dirname, '../fixtures');
