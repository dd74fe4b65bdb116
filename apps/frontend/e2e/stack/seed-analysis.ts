import { AnalysisSchema, type Analysis } from '@posestack/api-contracts';
import { workspaceRoot } from '@posestack/test-stack';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * A finished video analysis with a given pose-service answer, stored by backend-api's own code
 * (apps/backend-api/scripts/seed-analysis.ts, run as a process: apps do not import each other) in the database
 * the running backend reads, which then serves it like any other.
 */
export function seedVideoAnalysis(mongoUrl: string, mediaPath: string, poseAnswerPath: string): Analysis {
  const stdout = execFileSync(
    process.execPath,
    [
      '--require',
      '@swc-node/register',
      join(workspaceRoot, 'apps/backend-api/scripts/seed-analysis.ts'),
      '--mongo-url',
      mongoUrl,
      '--media',
      mediaPath,
      '--pose-answer',
      poseAnswerPath,
    ],
    { cwd: workspaceRoot, env: { ...process.env, SWC_NODE_PROJECT: join(workspaceRoot, 'apps/frontend/tsconfig.e2e.json') }, encoding: 'utf8' },
  );
  return AnalysisSchema.parse(JSON.parse(stdout));
}
