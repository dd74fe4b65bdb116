import type { ExecutorContext } from '@nx/devkit';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toContentTag } from '../../core/content-key';
import { formatImageRef } from '../../core/dockerfile/image-ref';
import { DockerError, inspectBuilderDriver, listLocalImages, probeBuildx, probeDaemon } from '../../core/docker/docker-cli';
import type { WorkspacePin } from '../../core/image-graph';
import { findPluginOptions } from '../../core/plugin-options';
import { loadWorkspaceImages } from '../../core/workspace-images';
import { findImageProjectConfigs } from '../../plugins/image-projects';
import { imageStateEnvName } from '../../plugins/image-state';
import { recordImageState } from '../../plugins/image-state-record';
import { buildBuildxArgv, findCaBundle, type PinnedContext } from './lib/build-argv';
import { describeSources } from './lib/describe-sources';
import { findUnorderedBases } from './lib/find-unordered-bases';
import { dependsOnDriver, findOptionConflicts, normalizeBuildOptions, OptionsError, parseBuildOptions } from './lib/normalize-options';
import { buildOrReuseImage } from './lib/build-or-reuse-image';
import { writeImageJson } from './lib/write-image-json';
import type { DockerBuildOptions } from './schema.zod';

/**
 * Checklist: validate options, check Docker, compute the content key and the pinned bases, build (or
 * reuse the image already tagged with this key), write dist/docker/<project>/image.json, clean up.
 */
export default async function dockerBuildExecutor(
  rawOptions: DockerBuildOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  try {
    await buildImage(rawOptions, context);
    return { success: true };
  } catch (error) {
    // Expected failures print their message only: it already says what failed and what to do.
    if (error instanceof OptionsError || error instanceof DockerError || error instanceof MissingBaseError) {
      console.error(`docker-build failed for "${context.projectName}": ${error.message}`);
      return { success: false };
    }
    throw error;
  }
}

class MissingBaseError extends Error {
  override name = 'MissingBaseError';
}

async function buildImage(rawOptions: DockerBuildOptions, context: ExecutorContext): Promise<void> {
  const project = context.projectName ?? '';
  const env = process.env;
  const workspaceRoot = context.root;
  const projectConfig = context.projectsConfigurations.projects[project];
  const plugin = findPluginOptions(context.nxJsonConfiguration.plugins);

  // 1. Options: schema, then combinations that need no Docker to judge.
  const options = normalizeBuildOptions(
    parseBuildOptions(rawOptions, project),
    { project, root: projectConfig.root, imageNamePrefix: plugin.imageNamePrefix },
    env,
  );
  failOnConflicts(project, findOptionConflicts(options));
  if (!existsSync(join(workspaceRoot, options.dockerfile))) {
    throw new OptionsError(
      `Dockerfile "${options.dockerfile}" of project "${project}" does not exist (option "dockerfile", resolved against the workspace root ${workspaceRoot}).`,
    );
  }

  // 2. Docker: CLI, buildx version, daemon, then the driver-dependent combinations.
  const [buildxVersion] = await Promise.all([probeBuildx(env), probeDaemon(env)]);
  if (dependsOnDriver(options)) {
    failOnConflicts(project, findOptionConflicts(options, await inspectBuilderDriver(options.builder, env)));
  }

  // 3. Content keys of this image and every workspace image it reads; bases must be in the store.
  const configs = findImageProjectConfigs(context.projectsConfigurations.projects, context.target?.executor);
  const workspace = loadWorkspaceImages(
    workspaceRoot,
    configs.map((config) => (config.project === project ? { ...config, options: rawOptions } : config)),
    plugin,
    env,
  );
  const ownError = workspace.errors.get(project);
  if (ownError) throw new OptionsError(`Cannot build "${project}": ${ownError}`);
  const image = workspace.images.get(project);
  const contentKey = workspace.keys.get(project);
  if (!image || !contentKey) throw new Error(`Internal error: "${project}" was described without a content key.`);
  if (image.resolved.problems.length > 0) {
    throw new OptionsError(`Cannot build "${project}" (${options.dockerfile}):\n${image.resolved.problems.join('\n')}`);
  }
  const pins: (PinnedContext & WorkspacePin)[] = image.resolved.pins.map((pin) => {
    const base = workspace.images.get(pin.project);
    const key = workspace.keys.get(pin.project);
    if (!base || !key) throw new OptionsError(`Cannot build "${project}": base "${pin.project}": ${workspace.errors.get(pin.project)}`);
    return { ...pin, imageRef: formatImageRef(base.options.imageName, toContentTag(key)) };
  });
  const targetName = context.targetName ?? plugin.targetName;
  const unordered = findUnorderedBases(projectConfig.targets?.[targetName]?.dependsOn, targetName, [...new Set(pins.map((pin) => pin.project))]);
  if (unordered.length > 0) {
    throw new OptionsError(
      `"${project}:${targetName}" reads ${unordered.map((base) => `"${base}"`).join(', ')} but its dependsOn does not build ${unordered.length > 1 ? 'them' : 'it'} first ` +
        `(a project.json override replaced the inferred ["^${targetName}"]): keep it with "dependsOn": ["...", ...] or add "^${targetName}".`,
    );
  }
  const localImages = await listLocalImages(env);
  const missingBases = pins.filter((pin) => !localImages.has(pin.imageRef));
  if (missingBases.length > 0) {
    throw new MissingBaseError(
      `Base image(s) of "${project}" are not in the local Docker store: ${missingBases.map((pin) => `${pin.imageRef} (project ${pin.project})`).join(', ')}.\n` +
        `Build them first: npx nx run-many -t docker-build -p ${[...new Set(missingBases.map((pin) => pin.project))].join(',')} (the docker-build target's dependsOn ^docker-build does this when run through Nx).`,
    );
  }
  for (const line of describeSources(image.parsed.imageRefs, pins, image.resolved.upstream)) console.log(line);

  // 4. Build or reuse, then record what was produced.
  const tempDir = mkdtempSync(join(tmpdir(), 'nx-docker-'));
  try {
    const caFile = findCaBundle(options, env, (path) => existsSync(path) && statSync(path).isFile());
    const contentTagRef = formatImageRef(options.imageName, toContentTag(contentKey));
    const metadataFile = join(tempDir, 'metadata.json');
    const argv = buildBuildxArgv(options, { contentKey, contentTagRef, pins, caFile, metadataFile });
    const isPresent = localImages.has(contentTagRef);
    const result = await buildOrReuseImage({ options, argv, metadataFile, contentTagRef, isPresent, workspaceRoot, env });
    writeImageJson(join(workspaceRoot, 'dist', 'docker', project, 'image.json'), {
      project,
      image: options.imageName,
      ...result,
      tags: [...options.tags, contentTagRef],
      contentKey,
      contentTag: toContentTag(contentKey),
      bases: pins.map(({ contextName, project: baseProject, imageRef, source }) => ({ contextName, project: baseProject, imageRef, source })),
      upstream: image.resolved.upstream,
      buildxVersion,
    });
    // The state this task was hashed with; the next run reuses it while the image stays (a real cache hit).
    const hashedState = env[imageStateEnvName(projectConfig.root)];
    if (hashedState && result.imageId) recordImageState(contentTagRef, { state: hashedState, imageId: result.imageId });
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
}

function failOnConflicts(project: string, conflicts: string[]): void {
  if (conflicts.length > 0) {
    throw new OptionsError(`Invalid docker-build options for project "${project}":\n${conflicts.map((line) => `✖ ${line}`).join('\n')}`);
  }
}
