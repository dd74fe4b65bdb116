import { readFileSync } from 'node:fs';
import { inspectImageId, runBuildxBuild, tagImage, type DockerEnv } from '../../../core/docker/docker-cli';
import { parseBuildMetadata } from '../../../core/docker/parse-docker-output';
import type { BuildPlan } from './plan-build';

export interface BuildResult {
  imageId?: string;
  digest?: string;
  /** true when the store already held this content tag and no build ran. */
  reused: boolean;
  buildDurationMs: number;
}

/** Carries out a plan: every Docker call of a docker-build run is here. */
export async function runPlan(
  plan: BuildPlan,
  context: { workspaceRoot: string; metadataFile: string; isLoaded: boolean; env: DockerEnv },
): Promise<BuildResult> {
  const { env } = context;
  for (const line of plan.sourceLines) console.log(line);
  if (plan.action === 'reuse') {
    for (const tag of plan.tags) await tagImage(plan.contentTagRef, tag, env);
    console.log(`${plan.contentTagRef} is already in the local store: reused, no build (tags: ${plan.tags.join(', ')})`);
    return { imageId: await inspectImageId(plan.contentTagRef, env), reused: true, buildDurationMs: 0 };
  }
  // The path itself stays out of logs and labels: only the secret id is mentioned.
  if (plan.hasCaSecret) console.log('corporate CA passed as secret id=ca');
  console.log(`building ${plan.contentTagRef}`);
  const started = Date.now();
  await runBuildxBuild(plan.argv, context.workspaceRoot, env);
  const buildDurationMs = Date.now() - started;
  const metadata = parseBuildMetadata(readFileSync(context.metadataFile, 'utf8'));
  const imageId = context.isLoaded ? await inspectImageId(plan.contentTagRef, env) : metadata.configDigest;
  return { imageId, digest: metadata.digest, reused: false, buildDurationMs };
}
