import { readCachedProjectGraph, readProjectsConfigurationFromProjectGraph, type PreTasksExecution } from '@nx/devkit';
import { workspaceDataDirectory } from '@nx/devkit/internal';
import { randomUUID } from 'node:crypto';
import { buildxVersionCachePath, readBuildxVersion } from '../core/docker/buildx-version';
import { listLocalImages } from '../core/docker/docker-cli';
import type { LocalImages } from '../core/docker/parse-docker-output';
import { commandIdEnvName, commandMarksDirectory, removeStaleCommandMarks } from '../core/fs/once-per-command';
import { imageStateEnvName, toImageState } from '../core/image-state/image-state';
import { readImageState } from '../core/image-state/image-state-record';
import { parsePluginOptions, resolveCacheRegistry } from '../core/options/plugin-options';
import { cacheRegistryStateEnvName, toCacheRegistryState } from '../core/registry/cache-registry-state';
import { probeRegistry } from '../core/registry/probe-registry';
import { describeWorkspace } from '../core/workspace/describe-workspace';
import { openWorkspaceCaches } from '../core/workspace/workspace-caches';
import { dockerBuildExecutor, findImageProjectConfigs } from '../core/workspace/image-projects';
import { mayRunTargetsOf } from './requested-targets';

/**
 * The presence probe: once per nx command that may run a docker-build task, it asks the store which
 * images exist (with their ids) and publishes, per image project, an env value that is an input of its
 * docker-build hash (content key + current/absent, see image-state.ts), so a missing image, or a user tag
 * on another image, is never a cache hit. Commands that run no docker-build task skip it.
 */
export const preTasksExecution: PreTasksExecution<unknown> = async (rawOptions, context) => {
  const plugin = parsePluginOptions(rawOptions);
  let projects;
  try {
    projects = readProjectsConfigurationFromProjectGraph(readCachedProjectGraph()).projects;
  } catch {
    return; // No cached graph (nothing was computed yet): no image tasks can be hashed in this run either.
  }
  const configs = findImageProjectConfigs(projects);
  if (configs.length === 0 || !mayRunTargetsOf(context.argv, projects, dockerBuildExecutor)) return;
  const nonce = randomUUID();
  // The same id names this command for the warnings its tasks give once (once-per-command.ts).
  process.env[commandIdEnvName] = nonce;
  removeStaleCommandMarks(commandMarksDirectory(workspaceDataDirectory));
  const caches = openWorkspaceCaches(workspaceDataDirectory);
  const registry = resolveCacheRegistry(plugin, process.env);
  // The registry's answer first: describeWorkspace hashes files synchronously, and on a fresh clone of the stack
  // under load that blocked the event loop past the probe's 2 s timeout, so a registry that had answered 200 was
  // reported unreachable and runner B built all 9 images instead of restoring them (shared-cache benchmark).
  const registryAnswer = registry ? await probeRegistry(registry) : undefined;
  const [workspace, store] = await Promise.all([
    Promise.resolve().then(() => describeWorkspace(context.workspaceRoot, configs, plugin, process.env, caches)),
    Promise.all([readBuildxVersion(process.env, buildxVersionCachePath(workspaceDataDirectory)), listLocalImages(process.env)]).then(
      ([buildx, images]): { buildx: string; images: LocalImages } => ({ buildx, images }),
      () => undefined, // Docker unusable: every image task misses and its executor explains why.
    ),
  ]);
  caches.save();
  if (registry && registryAnswer) {
    process.env[cacheRegistryStateEnvName] = toCacheRegistryState(registry, registryAnswer.isReachable);
    if (!registryAnswer.isReachable) {
      console.warn(
        `nx-docker: the cache registry ${registry.refPrefix} is not reachable (${registryAnswer.reason}): images are built locally, and what it lacks is pushed on a later run.`,
      );
    }
  }
  const sharedTo = registry && registryAnswer?.isReachable ? registry.refPrefix : undefined;
  for (const config of configs) {
    const image = workspace.images.get(config.project);
    process.env[imageStateEnvName(config.root)] = toImageState({
      key: image?.contentKey,
      buildx: store?.buildx,
      contentTagRef: image?.contentTagRef,
      tags: image?.options.load ? image.options.tags : [],
      images: store?.images,
      nonce,
      recorded: image ? readImageState(image.contentTagRef) : undefined,
      // Push builds go to their own registry; only images loaded here are shared through the cache registry.
      sharedTo: image?.options.load ? sharedTo : undefined,
    });
  }
};
