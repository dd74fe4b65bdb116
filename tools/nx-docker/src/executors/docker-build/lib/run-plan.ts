import { readFileSync } from 'node:fs';
import {
  hasRemoteImage,
  inspectImageId,
  inspectImageLabels,
  pullImage,
  pushImage,
  runBuildxBuild,
  tagImage,
  untagImage,
  type DockerEnv,
} from '../../../core/docker/docker-cli';
import { parseBuildMetadata } from '../../../core/docker/parse-docker-output';
import { contentKeyLabel } from './build-argv';
import type { BuildPlan, RegistryTarget } from './plan-build';

export interface BuildResult {
  imageId?: string;
  digest?: string;
  /** true when no build ran: the content tag was in the store, or restored from the cache registry. */
  reused: boolean;
  /** Where the image came from: built here, found in the local store, or pulled from the cache registry. */
  source: 'build' | 'store' | 'registry';
  buildDurationMs: number;
  /** The cache registry that holds the content tag after this run (pushed or pulled), if any. */
  sharedTo?: string;
}

const errorText = (error: unknown) => (error as Error).message.split('\n').slice(-1)[0];

/** Pushes the content tag unless the registry already has it: a tag there is never overwritten with other content. */
async function share(contentTagRef: string, target: RegistryTarget, env: DockerEnv): Promise<string | undefined> {
  try {
    if (await hasRemoteImage(target.ref, target.isInsecure, env)) {
      console.log(`${target.ref} is already in the cache registry: left as it is`);
      return target.registry;
    }
    const started = Date.now();
    await tagImage(contentTagRef, target.ref, env);
    try {
      await pushImage(target.ref, env);
    } finally {
      await untagImage(target.ref, env);
    }
    console.log(`pushed ${target.ref} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return target.registry;
  } catch (error) {
    // The cache never fails a build: the next run pushes what is missing.
    console.warn(`warning: could not push ${target.ref} to the cache registry (${errorText(error)}); the image stays local, the next run tries again`);
    return undefined;
  }
}

type Restored = { outcome: 'restored'; seconds: number } | { outcome: 'absent' | 'refused' | 'unreachable' };

/**
 * Pulls the content tag from the cache registry and checks it carries this content key (a tag overwritten with
 * another image is refused). On success the content tag and the user's tags name it locally.
 */
async function restore(plan: Extract<BuildPlan, { action: 'build' }>, ref: string, env: DockerEnv): Promise<Restored> {
  const started = Date.now();
  try {
    if (!(await pullImage(ref, env))) return { outcome: 'absent' };
  } catch (error) {
    console.warn(`warning: could not pull ${ref} from the cache registry (${errorText(error)}); building locally`);
    return { outcome: 'unreachable' };
  }
  try {
    const key = (await inspectImageLabels(ref, env))[contentKeyLabel];
    if (key !== plan.contentKey) {
      console.warn(`warning: refused ${ref} from the cache registry: its ${contentKeyLabel} label is ${key ?? 'missing'}, expected ${plan.contentKey}; building instead`);
      return { outcome: 'refused' };
    }
    await tagImage(ref, plan.contentTagRef, env);
    for (const tag of plan.tags) await tagImage(ref, tag, env);
  } finally {
    await untagImage(ref, env);
  }
  return { outcome: 'restored', seconds: (Date.now() - started) / 1000 };
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
    const sharedTo = plan.shareTo ? await share(plan.contentTagRef, plan.shareTo, env) : undefined;
    return { imageId: await inspectImageId(plan.contentTagRef, env), reused: true, source: 'store', buildDurationMs: 0, ...(sharedTo ? { sharedTo } : {}) };
  }
  let shareTo = plan.shareTo;
  if (plan.restoreFrom) {
    const restored = await restore(plan, plan.restoreFrom, env);
    if (restored.outcome === 'restored') {
      console.log(`${plan.contentTagRef} restored from ${plan.restoreFrom} in ${restored.seconds.toFixed(1)} s, no build`);
      return { imageId: await inspectImageId(plan.contentTagRef, env), reused: true, source: 'registry', buildDurationMs: 0, sharedTo: plan.shareTo?.registry };
    }
    // A registry that holds other content under this tag keeps it; one that failed gets the push next run.
    if (restored.outcome !== 'absent') shareTo = undefined;
  }
  // The path itself stays out of logs and labels: only the secret id is mentioned.
  if (plan.hasCaSecret) console.log('corporate CA passed as secret id=ca');
  console.log(`building ${plan.contentTagRef}`);
  const started = Date.now();
  await runBuildxBuild(plan.argv, context.workspaceRoot, env);
  const buildDurationMs = Date.now() - started;
  const metadata = parseBuildMetadata(readFileSync(context.metadataFile, 'utf8'));
  const imageId = context.isLoaded ? await inspectImageId(plan.contentTagRef, env) : metadata.configDigest;
  const sharedTo = shareTo ? await share(plan.contentTagRef, shareTo, env) : undefined;
  return { imageId, digest: metadata.digest, reused: false, source: 'build', buildDurationMs, ...(sharedTo ? { sharedTo } : {}) };
}
