import type { TargetConfiguration } from '@nx/devkit';
import { existsSync } from 'node:fs';
import { getIgnoreObject } from 'nx/src/utils/ignore';
import { join } from 'node:path';
import { imageStateEnvName } from '../core/image-state/image-state';
import { normalizeBuildOptions, parseBuildOptions } from '../core/options/normalize-build-options';
import type { PluginOptions } from '../core/options/plugin-options';
import { listSentPaths, sentContextsOf } from '../core/workspace/describe-workspace';
import { dockerBuildExecutor } from '../core/workspace/image-projects';

/** A Dockerfile beside a project file, with what its project.json says about the docker-build target. */
export interface ImageProjectFile {
  dockerfile: string;
  root: string;
  name: string;
  /** Options of a project.json target that uses the docker-build executor, if any. */
  configured?: Record<string, unknown>;
}

/**
 * The outputs of the tasks this build depends on: the bases' image.json (their content keys) and any
 * generated context (e.g. a rootfs tarball from a `rootfs` target in dependsOn). It also makes Nx hash the
 * task only after those tasks ran, so a context produced in the same run is hashed as built, not as found.
 */
const dependencyOutputsInput = { dependentTasksOutputFiles: '**/*', transitive: true };

/** The options the build will really use: inferred defaults under the project.json override. */
export function effectiveOptions(file: ImageProjectFile): Record<string, unknown> {
  return { context: file.root, dockerfile: join(file.root, 'Dockerfile'), ...file.configured };
}

export type InferredTarget = { target: TargetConfiguration; fallbackReason?: string; isProvisional?: boolean };

/** Whether git (and so Nx's file map) ignores a workspace-relative path. */
export type IsGitIgnored = (path: string) => boolean;

/**
 * Nx's own reading of the root .gitignore and .nxignore (the files its workspace walker skips). Internal to nx;
 * a nested .gitignore it does not read only leaves an extra pattern in the inputs, never a wrong hit.
 */
export function gitIgnoredPaths(workspaceRoot: string): IsGitIgnored {
  const matcher = getIgnoreObject(workspaceRoot);
  return (path) => matcher.ignores(path);
}

/**
 * The inferred docker-build target. Its inputs are exactly the files Docker sends (so an ignored file never
 * invalidates the cache), the env variables build args read, the image state the presence probe publishes,
 * and the dependencies' outputs. Sent files that git ignores are left out: Nx's file map does not hold them,
 * they reach the hash as a dependency's outputs (a generated context such as dist/debian-root) and through the
 * content key in the image state; listed, they would make the inputs differ between a fresh clone, where the
 * generated context does not exist yet, and the next run, so that run would miss. When the files cannot be
 * listed, inputs fall back to the project root and the caller warns: the executor reports the cause, and the
 * graph stays usable.
 */
export function inferTarget(
  workspaceRoot: string,
  file: ImageProjectFile,
  plugin: PluginOptions,
  env: Readonly<Record<string, string | undefined>>,
  isGitIgnored: IsGitIgnored = gitIgnoredPaths(workspaceRoot),
): InferredTarget {
  const target: TargetConfiguration = {
    executor: dockerBuildExecutor,
    cache: true,
    dependsOn: ['^' + plugin.targetName],
    outputs: ['{workspaceRoot}/dist/docker/{projectName}'],
    options: { context: file.root, dockerfile: join(file.root, 'Dockerfile') },
    metadata: {
      technologies: ['docker'],
      description: 'Build the Docker image with buildx, its workspace bases pinned by content tag',
      help: {
        command: 'docker buildx build --help',
        example: { options: { tags: ['latest', '1.2.0'], buildArgs: { NODE_VERSION: { env: 'NODE_VERSION', default: '22' } } } },
      },
    },
  };
  const stateInput = { env: imageStateEnvName(file.root) };
  const fallbackInputs = ['{projectRoot}/**/*', stateInput, dependencyOutputsInput];
  try {
    const options = normalizeBuildOptions(
      parseBuildOptions(effectiveOptions(file), file.name),
      { project: file.name, root: file.root, imageNamePrefix: plugin.imageNamePrefix },
      env,
    );
    const { main, named } = sentContextsOf(options);
    // A context that a dependsOn task generates (dist/debian-root, dist/sbom-scanner) is absent until that task
    // runs. Nothing is missed meanwhile: its files reach the hash as that task's outputs. So no warning, and the
    // result is not cached.
    const present = [main, ...named.map(([, sent]) => sent)].filter((sent) => existsSync(join(workspaceRoot, sent.context)));
    const isProvisional = present.length < named.length + 1;
    const sent = present.flatMap((context) => listSentPaths(workspaceRoot, context)).filter((path) => !isGitIgnored(path));
    const files = new Set([options.dockerfile, ...sent]);
    target.inputs = [...[...files].map((path) => `{workspaceRoot}/${path}`), ...options.buildArgEnv.map((name) => ({ env: name })), stateInput, dependencyOutputsInput];
    return isProvisional ? { target, isProvisional } : { target };
  } catch (error) {
    target.inputs = fallbackInputs;
    return { target, fallbackReason: (error as Error).message };
  }
}

/**
 * The targets nx release uses on an image project. `docker-release-tag` runs from release.docker's
 * preVersionCommand (`nx run-many -t docker-release-tag -p <projects>`) and depends on the build, a cache hit
 * when the image is current; `nx-release-publish` is the name `nx release publish` runs.
 */
export function inferReleaseTargets(plugin: PluginOptions): Record<string, TargetConfiguration> {
  return {
    'docker-release-tag': {
      executor: '@posestack/nx-docker:release-tag',
      dependsOn: [plugin.targetName],
      metadata: { technologies: ['docker'], description: "Point the name nx release's docker version step tags from at this image's content tag" },
    },
    'nx-release-publish': {
      executor: '@posestack/nx-docker:release-publish',
      metadata: { technologies: ['docker'], description: 'Push the version tag nx release gave this image (by content tag; never overwrites a version tag)' },
    },
  };
}
