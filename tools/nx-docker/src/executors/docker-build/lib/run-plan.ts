import { readFileSync } from 'node:fs';
import {
  hasRemoteImage,
  inspectImageId,
  inspectImageLabels,
  inspectRemoteDigests,
  pullImage,
  pushImage,
  runBuildxBuild,
  tagImage,
  untagImage,
  type DockerEnv,
} from '../../../core/docker/docker-cli';
import { parseBuildMetadata } from '../../../core/docker/parse-docker-output';
import { judgeTag, planRestore } from '../../../core/registry/image-record';
import { contentKeyLabel } from './build-argv';
import { lookUpRecord, recordPush, type RecordStore } from './image-record-store';
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
  /** The digest the cache registry holds it under: what this run pushed, or the recorded digest it pulled. */
  registryDigest?: string;
}

const errorText = (error: unknown) => (error as Error).message.split('\n').slice(-1)[0];

type Shared = { registry: string; registryDigest?: string };

/**
 * Pushes the content tag unless the registry already has it (a tag there is never overwritten with other
 * content), then records the digest the push produced (image-record-store.ts).
 */
async function share(contentTagRef: string, target: RegistryTarget, env: DockerEnv, records: RecordStore): Promise<Shared | undefined> {
  let digest: string | undefined;
  try {
    if (await hasRemoteImage(target.ref, target.isInsecure, env)) {
      console.log(`${target.ref} is already in the cache registry: left as it is`);
      return { registry: target.registry };
    }
    const started = Date.now();
    await tagImage(contentTagRef, target.ref, env);
    try {
      digest = await pushImage(target.ref, env);
    } finally {
      await untagImage(target.ref, env);
    }
    console.log(`pushed ${target.ref} in ${((Date.now() - started) / 1000).toFixed(1)} s${digest ? ` as ${digest}` : ''}`);
  } catch (error) {
    // The cache never fails a build: the next run pushes what is missing.
    console.warn(`warning: could not push ${target.ref} to the cache registry (${errorText(error)}); the image stays local, the next run tries again`);
    return undefined;
  }
  await recordPush(target, digest, records);
  return { registry: target.registry, ...(digest ? { registryDigest: digest } : {}) };
}

type Restored =
  | { outcome: 'restored'; seconds: number; from: string; registryDigest?: string }
  /** absent: no such tag (or recorded digest) in the registry; refused: other content, or an unusable record. */
  | { outcome: 'absent' | 'refused' | 'unreachable' };

async function pull(ref: string, env: DockerEnv): Promise<'pulled' | 'absent' | 'unreachable'> {
  try {
    return (await pullImage(ref, env)) ? 'pulled' : 'absent';
  } catch (error) {
    console.warn(`warning: could not pull ${ref} from the cache registry (${errorText(error)}); building locally`);
    return 'unreachable';
  }
}

/** Where the tag points now, for the tamper check; undefined if unknown (the pull that follows says why). */
async function readTagDigests(ref: string, env: DockerEnv): Promise<{ digests: string[] | undefined } | undefined> {
  try {
    return { digests: await inspectRemoteDigests(ref, env) };
  } catch {
    return undefined;
  }
}

/**
 * Restores the content tag from the cache registry. With a digest record (image-record.ts) it pulls
 * `<repository>@<recorded digest>`, so the content is what was pushed whatever the tag holds now, and a tag that
 * moved is reported as tampered with; without one it pulls the tag and trusts its content-key label. Either way
 * the label must be this key. On success the content tag and the user's tags name it locally.
 */
async function restore(plan: Extract<BuildPlan, { action: 'build' }>, target: RegistryTarget, env: DockerEnv, records: RecordStore): Promise<Restored> {
  const started = Date.now();
  const step = planRestore(target, await lookUpRecord(target, records));
  if (step.verify === 'none') {
    console.warn(`warning: ${step.reason}`);
    return { outcome: 'refused' };
  }
  // Read beside the pull, so the tamper check adds no time to a restore.
  const tagRead = step.verify === 'digest' ? readTagDigests(target.ref, env) : undefined;
  const pulled = pull(step.pullRef, env);
  if (step.verify === 'digest') {
    const tag = await tagRead;
    const judgment = tag && judgeTag(target.ref, step.record, tag.digests);
    if (judgment) console.warn(judgment);
  }
  const outcome = await pulled;
  if (outcome === 'absent' && step.verify === 'digest') console.warn(`warning: the recorded digest ${step.pullRef} is not in the cache registry (deleted, or garbage-collected); building`);
  if (outcome !== 'pulled') return { outcome };
  // Only now: a tag that is not there (a first build) is not worth a note.
  if (step.verify === 'label') console.log(step.note);
  try {
    const key = (await inspectImageLabels(step.pullRef, env))[contentKeyLabel];
    if (key !== plan.contentKey) {
      console.warn(`warning: refused ${step.pullRef} from the cache registry: its ${contentKeyLabel} label is ${key ?? 'missing'}, expected ${plan.contentKey}; building instead`);
      return { outcome: 'refused' };
    }
    await tagImage(step.pullRef, plan.contentTagRef, env);
    for (const tag of plan.tags) await tagImage(step.pullRef, tag, env);
  } finally {
    await untagImage(step.pullRef, env);
  }
  const seconds = (Date.now() - started) / 1000;
  return { outcome: 'restored', seconds, from: step.pullRef, ...(step.verify === 'digest' ? { registryDigest: step.record.digest } : {}) };
}

export interface RunContext {
  workspaceRoot: string;
  metadataFile: string;
  isLoaded: boolean;
  env: DockerEnv;
  records: RecordStore;
}

/** Carries out a plan: every Docker call of a docker-build run is here (the record store's HTTP calls beside them). */
export async function runPlan(plan: BuildPlan, context: RunContext): Promise<BuildResult> {
  const { env, records } = context;
  for (const line of plan.sourceLines) console.log(line);
  if (plan.action === 'reuse') {
    for (const tag of plan.tags) await tagImage(plan.contentTagRef, tag, env);
    console.log(`${plan.contentTagRef} is already in the local store: reused, no build (tags: ${plan.tags.join(', ')})`);
    const shared = plan.shareTo ? await share(plan.contentTagRef, plan.shareTo, env, records) : undefined;
    return { imageId: await inspectImageId(plan.contentTagRef, env), reused: true, source: 'store', buildDurationMs: 0, ...toSharedFields(shared) };
  }
  let shareTo = plan.shareTo;
  if (plan.restoreFrom) {
    const restored = await restore(plan, plan.restoreFrom, env, records);
    if (restored.outcome === 'restored') {
      // The line ends as it did before records (the shared-cache benchmark counts restores by it); a restore by
      // digest names `<repository>@<digest>`, one by label was announced by restore()'s note.
      console.log(`${plan.contentTagRef} restored from ${restored.from} in ${restored.seconds.toFixed(1)} s, no build`);
      return {
        imageId: await inspectImageId(plan.contentTagRef, env),
        reused: true,
        source: 'registry',
        buildDurationMs: 0,
        ...toSharedFields(plan.shareTo && { registry: plan.shareTo.registry, registryDigest: restored.registryDigest }),
      };
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
  const shared = shareTo ? await share(plan.contentTagRef, shareTo, env, records) : undefined;
  return { imageId, digest: metadata.digest, reused: false, source: 'build', buildDurationMs, ...toSharedFields(shared) };
}

function toSharedFields(shared: { registry: string; registryDigest?: string } | undefined): Pick<BuildResult, 'sharedTo' | 'registryDigest'> {
  if (!shared) return {};
  return { sharedTo: shared.registry, ...(shared.registryDigest ? { registryDigest: shared.registryDigest } : {}) };
}
