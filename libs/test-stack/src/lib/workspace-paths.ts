import { join } from 'node:path';

/** The repository root: this file is libs/test-stack/src/lib/workspace-paths.ts, run from source. */
export const workspaceRoot = join(__dirname, '../../../..');
/** Built by `npx nx run ferretdb-bin:build`. */
export const ferretDbBinary = join(workspaceRoot, 'dist/ferretdb/ferretdb');
export const poseServiceRoot = join(workspaceRoot, 'apps/pose-service');
/** Created by `npx nx run pose-service:setup`. */
export const poseServicePython = join(poseServiceRoot, '.venv/bin/python');
/** Written by `npx nx run pose-service:models`. */
export const poseModelDir = join(workspaceRoot, 'dist/pose-models');
