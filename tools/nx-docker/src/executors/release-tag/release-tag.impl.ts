import type { ExecutorContext } from '@nx/devkit';
import { z } from 'zod';
import { inspectImageId, tagImage } from '../../core/docker/docker-cli';
import { NxDockerError } from '../../core/errors';
import { describeReleaseImage } from '../../core/release/describe-release-image';
import { toNxDefaultImageRef } from '../../core/release/release-refs';
import { releaseTagOptionsSchema, type ReleaseTagOptions } from './schema.zod';

/**
 * Checklist: find the current content tag of this image (built by the docker-build target this one depends
 * on: a cache hit when nothing changed, so never a rebuild), then point the name Nx's docker version step
 * tags from at exactly that image. Run from `release.docker.preVersionCommand`, before that step.
 */
export default async function releaseTagExecutor(rawOptions: ReleaseTagOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const parsed = releaseTagOptionsSchema.safeParse(rawOptions ?? {});
  if (!parsed.success) {
    console.error(`Invalid release-tag options:\n${z.prettifyError(parsed.error)}`);
    return { success: false };
  }
  const env = process.env;
  try {
    const image = describeReleaseImage(context);
    const versionSource = toNxDefaultImageRef(image.options.root);
    const imageId = await inspectImageId(image.contentTagRef, env);
    if (!imageId) throw new NxDockerError(`${image.contentTagRef} is not in the local Docker store: run nx run ${context.projectName}:docker-build first`);
    // Also under --dry-run: Nx 23.2.1's docker version step reads NX_DRY_RUN, which `nx release version` never
    // sets in its own process, so it runs `docker tag` from this name in dry runs too.
    await tagImage(image.contentTagRef, versionSource, env);
    console.log(`${versionSource} -> ${image.contentTagRef} (${imageId}), the image nx release versions`);
    return { success: true };
  } catch (error) {
    if (!(error instanceof NxDockerError)) throw error;
    console.error(`release-tag failed for "${context.projectName}": ${error.message}`);
    return { success: false };
  }
}
