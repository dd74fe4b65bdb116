import { workspaceDataDirectory } from '@nx/devkit/internal';
import type { ExecutorContext } from '@nx/devkit';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toContentTag } from '../../core/content-key';
import { buildxVersionCachePath, readBuildxVersion } from '../../core/docker/buildx-version';
import { inspectBuilderDriver, isContainerdImageStore, listLocalImages, probeDaemon } from '../../core/docker/docker-cli';
import { NxDockerError, OptionsError } from '../../core/errors';
import { claimOncePerCommand, commandMarksDirectory } from '../../core/fs/once-per-command';
import { imageStateEnvName, stateBasis } from '../../core/image-state/image-state';
import { readImageState, recordImageState } from '../../core/image-state/image-state-record';
import { reachableCacheRegistry } from '../../core/registry/cache-registry-state';
import { resolveNxRemoteCache } from '../../core/registry/nx-remote-cache';
import type { DockerBuildOptions } from '../../core/options/build-options.schema';
import { dependsOnDriver } from '../../core/options/normalize-build-options';
import { findOwnPluginOptions } from '../../core/options/plugin-options';
import { describeWorkspace } from '../../core/workspace/describe-workspace';
import { openWorkspaceCaches } from '../../core/workspace/workspace-caches';
import { findImageProjectConfigs } from '../../core/workspace/image-projects';
import { findCaBundle } from './lib/build-argv';
import type { RecordStore } from './lib/image-record-store';
import { planBuild, type SharingInput } from './lib/plan-build';
import { runPlan } from './lib/run-plan';
import { writeImageJson } from './lib/write-image-json';

/**
 * Checklist: describe the workspace (this image's options, content key and pinned bases), check Docker,
 * plan (build or reuse; every option conflict is judged there), run the plan (restoring from and sharing to the
 * cache registry, with digest records in the Nx remote cache), write
 * dist/docker/<project>/image.json, record the state this task was hashed with, clean up.
 */
export default async function dockerBuildExecutor(rawOptions: DockerBuildOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  try {
    await buildImage(rawOptions, context);
    return { success: true };
  } catch (error) {
    // Expected failures print their message only: it already says what failed and what to do.
    if (error instanceof NxDockerError) {
      console.error(`docker-build failed for "${context.projectName}": ${error.message}`);
      return { success: false };
    }
    throw error;
  }
}

async function buildImage(rawOptions: DockerBuildOptions, context: ExecutorContext): Promise<void> {
  const project = context.projectName ?? '';
  const env = process.env;
  const workspaceRoot = context.root;
  const projectConfig = context.projectsConfigurations.projects[project];
  const plugin = findOwnPluginOptions(context.nxJsonConfiguration.plugins, workspaceRoot);
  const targetName = context.targetName ?? plugin.targetName;

  // 1. The model: every image's options (this one with this run's options), its content key and the exact
  //    base builds it pins. Options are parsed and normalised here, once.
  const configs = findImageProjectConfigs(context.projectsConfigurations.projects, context.target?.executor);
  const caches = openWorkspaceCaches(workspaceDataDirectory);
  const workspace = describeWorkspace(
    workspaceRoot,
    configs.map((config) => (config.project === project ? { ...config, options: rawOptions } : config)),
    plugin,
    env,
    caches,
  );
  caches.save();
  const image = workspace.images.get(project);
  if (!image) throw new OptionsError(`Cannot build "${project}": ${workspace.errors.get(project) ?? 'it has no content key'}`);

  // 2. Docker: CLI, buildx version, daemon; the builder's driver only when the options or the layer cache
  //    depend on it; the cache registry as the presence probe found it.
  const [buildxVersion] = await Promise.all([readBuildxVersion(env, buildxVersionCachePath(workspaceDataDirectory)), probeDaemon(env)]);
  const registry = await reachableCacheRegistry(plugin, env);
  const needsDriver = dependsOnDriver(image.options) || (registry !== undefined && plugin.layerCache);
  const driver = needsDriver ? await inspectBuilderDriver(image.options.builder, env) : undefined;
  const isContainerdStore = driver === 'docker' ? await isContainerdImageStore(env) : undefined;
  const sharing: SharingInput | undefined = registry && {
    location: registry,
    isShared: readImageState(image.contentTagRef)?.sharedTo === registry.refPrefix,
    useLayerCache: plugin.layerCache && (driver !== 'docker' || isContainerdStore === true),
  };
  if (registry && plugin.layerCache && !sharing?.useLayerCache) {
    console.log('layer cache not exported: the docker driver on the classic image store cannot (see docs/docker-caching.md)');
  }

  // 3. Plan (pure: build or reuse, with which argv), run, record.
  const tempDir = mkdtempSync(join(tmpdir(), 'nx-docker-'));
  try {
    const metadataFile = join(tempDir, 'metadata.json');
    const plan = planBuild({
      project,
      targetName,
      dependsOn: projectConfig.targets?.[targetName]?.dependsOn,
      image,
      store: await listLocalImages(env),
      driver,
      isContainerdStore,
      caFile: findCaBundle(image.options, env, (path) => existsSync(path) && statSync(path).isFile()),
      metadataFile,
      sharing,
    });
    // Digest records of the cache registry's images live in the Nx remote cache this machine already uses.
    const records: RecordStore = {
      cache: resolveNxRemoteCache(env),
      warnOnce: (what, message) => {
        if (claimOncePerCommand(commandMarksDirectory(workspaceDataDirectory), env, what)) console.warn(message);
      },
    };
    const result = await runPlan(plan, { workspaceRoot, metadataFile, isLoaded: image.options.load, env, records });
    writeImageJson(join(workspaceRoot, 'dist', 'docker', project, 'image.json'), {
      project,
      image: image.options.imageName,
      ...result,
      tags: [...image.options.tags, image.contentTagRef],
      contentKey: image.contentKey,
      contentTag: toContentTag(image.contentKey),
      bases: image.pins.map(({ contextName, project: baseProject, imageRef, source }) => ({ contextName, project: baseProject, imageRef, source })),
      upstream: image.resolved.upstream,
      buildxVersion,
    });
    // The state this task was hashed with; the next run reuses it while the image stays (a real cache hit).
    const hashedState = env[imageStateEnvName(projectConfig.root)];
    // An image that was already in the cache registry stays shared there (a reuse does not push it again).
    const sharedTo = result.sharedTo ?? (sharing?.isShared ? sharing.location.refPrefix : undefined);
    if (hashedState && result.imageId) {
      recordImageState(image.contentTagRef, {
        state: hashedState,
        imageId: result.imageId,
        basis: stateBasis(image.contentKey, buildxVersion),
        ...(sharedTo ? { sharedTo } : {}),
      });
    }
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
}
