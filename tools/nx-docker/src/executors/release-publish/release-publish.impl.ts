import type { ExecutorContext } from '@nx/devkit';
import { getDockerVersionPath } from '@nx/docker/release/version-utils';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { inspectImageId, inspectRemoteDigests, pushImage } from '../../core/docker/docker-cli';
import { NxDockerError } from '../../core/errors';
import { describeReleaseImage, isReleaseDryRun } from '../../core/release/describe-release-image';
import { planPublish } from '../../core/release/plan-publish';
import { releasePublishOptionsSchema, type ReleasePublishOptions } from './schema.zod';

/**
 * Checklist: read the reference Nx's docker version step tagged (tmp/<root>/.docker-version), gather what the
 * local store and the registry hold under it and under the current content tag, plan (push, nothing, refuse),
 * then push. Credentials are Docker's own (credential store or helper of `docker login`); none pass through here.
 */
export default async function releasePublishExecutor(rawOptions: ReleasePublishOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const parsed = releasePublishOptionsSchema.safeParse(rawOptions);
  if (!parsed.success) {
    console.error(`Invalid release-publish options:\n${z.prettifyError(parsed.error)}`);
    return { success: false };
  }
  const project = context.projectName ?? '';
  const env = process.env;
  const isDryRun = isReleaseDryRun(env, parsed.data.dryRun);
  const dockerVersion = parsed.data.nxReleaseVersionData?.[project]?.dockerVersion;
  if (dockerVersion === null) {
    console.log(`skipped ${project}: nx release resolved no docker version for it in this run`);
    return { success: true };
  }
  try {
    const image = describeReleaseImage(context);
    const versionFile = getDockerVersionPath(context.root, image.options.root);
    const releaseRef = existsSync(versionFile) ? readFileSync(versionFile, 'utf8').trim() : undefined;
    // A dry-run version step tags nothing and writes no file, so the version of this run is all there is to show.
    if (isDryRun && dockerVersion && !releaseRef?.endsWith(`:${dockerVersion}`)) {
      console.log(`would publish ${image.contentTagRef} as docker version ${dockerVersion} (dry run: nothing was tagged)`);
      return { success: true };
    }
    if (!releaseRef) throw new NxDockerError(`${versionFile} does not exist: run nx release version first (it tags the image and writes that file)`);
    const [contentImageId, releaseImageId, remoteDigests] = await Promise.all([
      inspectImageId(image.contentTagRef, env),
      inspectImageId(releaseRef, env),
      inspectRemoteDigests(releaseRef, env),
    ]);
    const plan = planPublish({ contentTagRef: image.contentTagRef, contentImageId, releaseRef, releaseImageId, remoteDigests });
    if (plan.action === 'refuse') throw new NxDockerError(plan.message);
    if (plan.action === 'none') {
      console.log(plan.message);
    } else if (isDryRun) {
      console.log(`would push ${plan.ref}: ${plan.message}`);
    } else {
      const started = Date.now();
      await pushImage(plan.ref, env);
      console.log(`pushed ${plan.ref} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${plan.message}`);
    }
    return { success: true };
  } catch (error) {
    if (!(error instanceof NxDockerError)) throw error;
    console.error(`release-publish failed for "${project}": ${error.message}`);
    return { success: false };
  }
}
