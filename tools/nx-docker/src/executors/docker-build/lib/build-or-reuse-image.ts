import { readFileSync } from 'node:fs';
import { inspectImageId, runBuildxBuild, tagImage, type DockerEnv } from '../../../core/docker/docker-cli';
import { parseBuildMetadata } from '../../../core/docker/parse-docker-output';
import type { NormalizedBuildOptions } from './normalize-options';

export interface BuildResult {
  imageId?: string;
  digest?: string;
  /** true when the store already held this content tag and no build ran. */
  reused: boolean;
  buildDurationMs: number;
}

/**
 * An image whose content tag is already in the local store is the same build: it only gets the user's
 * tags again. This happens on the first run after a build (the presence probe saw it absent when Nx hashed)
 * and when another branch or worktree built the same content.
 */
export async function buildOrReuseImage(input: {
  options: NormalizedBuildOptions;
  argv: string[];
  metadataFile: string;
  contentTagRef: string;
  isPresent: boolean;
  workspaceRoot: string;
  env: DockerEnv;
}): Promise<BuildResult> {
  const { options, argv, metadataFile, contentTagRef, isPresent, workspaceRoot, env } = input;
  const canReuse = isPresent && options.load && !options.push && !options.noCache && !options.pull;
  if (canReuse) {
    for (const tag of options.tags) await tagImage(contentTagRef, tag, env);
    console.log(`${contentTagRef} is already in the local store: reused, no build (tags: ${options.tags.join(', ')})`);
    return { imageId: await inspectImageId(contentTagRef, env), reused: true, buildDurationMs: 0 };
  }
  // The path itself stays out of logs and labels: only the secret id is mentioned.
  if (argv.some((arg) => arg.startsWith('id=ca,'))) console.log('corporate CA passed as secret id=ca');
  console.log(`building ${contentTagRef}`);
  const started = Date.now();
  await runBuildxBuild(argv, workspaceRoot, env);
  const buildDurationMs = Date.now() - started;
  const metadata = parseBuildMetadata(readFileSync(metadataFile, 'utf8'));
  const imageId = options.load ? await inspectImageId(contentTagRef, env) : metadata.configDigest;
  return { imageId, digest: metadata.digest, reused: false, buildDurationMs };
}
