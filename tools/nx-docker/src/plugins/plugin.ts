import {
  DependencyType,
  readCachedProjectGraph,
  readProjectsConfigurationFromProjectGraph,
  type CreateDependencies,
  type CreateNodesV2,
  type PreTasksExecution,
  type RawProjectGraphDependency,
  type TargetConfiguration,
} from '@nx/devkit';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { toContentTag } from '../core/content-key';
import { formatImageRef } from '../core/dockerfile/image-ref';
import { listLocalImages, probeBuildx } from '../core/docker/docker-cli';
import type { LocalImages } from '../core/docker/parse-docker-output';
import { parsePluginOptions, type PluginOptions } from '../core/plugin-options';
import { describeImages, listSentFiles, loadWorkspaceImages } from '../core/workspace-images';
import { normalizeBuildOptions, parseBuildOptions } from '../executors/docker-build/lib/normalize-options';
import { dockerBuildExecutor, findImageProjectConfigs } from './image-projects';
import { imageStateEnvName, toImageState } from './image-state';
import { readImageState } from './image-state-record';

/**
 * createNodesV2: a docker-build target for each Dockerfile that sits beside a project.json or package.json.
 * createDependencies: edges from FROM / COPY --from / RUN --mount=from / named contexts to image projects.
 * preTasksExecution: probes the Docker store once and publishes, per image project, an env value that is
 * an input of its docker-build hash (content key + present/absent), so a missing image is never a cache hit.
 */

export const createNodesV2: CreateNodesV2<unknown> = [
  '**/Dockerfile',
  async (dockerfiles, rawOptions, context) => {
    const plugin = parsePluginOptions(rawOptions);
    return dockerfiles.flatMap((dockerfile) => {
      const root = dirname(dockerfile);
      const hasProjectFile = ['project.json', 'package.json'].some((file) => existsSync(join(context.workspaceRoot, root, file)));
      if (!hasProjectFile) return [];
      const target = inferTarget(context.workspaceRoot, root, plugin);
      return [[dockerfile, { projects: { [root]: { targets: { [plugin.targetName]: target } } } }] as const];
    });
  },
];

interface ProjectJson {
  name?: string;
  targets?: Record<string, TargetConfiguration>;
}

function readProjectJson(workspaceRoot: string, root: string): ProjectJson {
  const path = join(workspaceRoot, root, 'project.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ProjectJson) : {};
}

/**
 * The outputs of the tasks this build depends on: the bases' image.json (their content keys) and any
 * generated context (e.g. a rootfs tarball from a `rootfs` target in dependsOn). It also makes Nx hash the
 * task only after those tasks ran, so a context produced in the same run is hashed as built, not as found.
 */
const dependencyOutputsInput = { dependentTasksOutputFiles: '**/*', transitive: true };

function inferTarget(workspaceRoot: string, root: string, plugin: PluginOptions): TargetConfiguration {
  const defaults = { context: root, dockerfile: join(root, 'Dockerfile') };
  const target: TargetConfiguration = {
    executor: dockerBuildExecutor,
    cache: true,
    dependsOn: ['^' + plugin.targetName],
    outputs: ['{workspaceRoot}/dist/docker/{projectName}'],
    options: defaults,
    metadata: {
      technologies: ['docker'],
      description: 'Build the Docker image with buildx (bases pinned by content tag)',
    },
  };
  // Inputs follow the options the build will really use, so a context overridden in project.json counts.
  const projectJson = readProjectJson(workspaceRoot, root);
  const configured = Object.values(projectJson.targets ?? {}).find((candidate) => candidate.executor === dockerBuildExecutor)?.options;
  try {
    const options = normalizeBuildOptions(
      parseBuildOptions({ ...defaults, ...configured }, projectJson.name ?? root),
      { project: projectJson.name ?? root, root, imageNamePrefix: plugin.imageNamePrefix },
      process.env,
    );
    const namedContextFiles = Object.values(options.buildContexts).flatMap((value) =>
      'path' in value ? listSentFiles(workspaceRoot, { ...options, context: value.path, dockerfile: join(value.path, 'Dockerfile') }) : [],
    );
    const files = new Set([options.dockerfile, ...listSentFiles(workspaceRoot, options), ...namedContextFiles]);
    target.inputs = [
      ...[...files].map((file) => `{workspaceRoot}/${file}`),
      ...options.buildArgEnv.map((env) => ({ env })),
      { env: imageStateEnvName(root) },
      dependencyOutputsInput,
    ];
  } catch {
    // Invalid options or a missing context: the executor reports them; inference must not break the graph.
    target.inputs = ['{projectRoot}/**/*', { env: imageStateEnvName(root) }, dependencyOutputsInput];
  }
  return target;
}

export const createDependencies: CreateDependencies<unknown> = (rawOptions, context) => {
  const plugin = parsePluginOptions(rawOptions);
  const { images } = describeImages(context.workspaceRoot, findImageProjectConfigs(context.projects), plugin, process.env);
  const dependencies: RawProjectGraphDependency[] = [];
  for (const [project, image] of images) {
    const isDockerfileInProject = (context.fileMap.projectFileMap[project] ?? []).some((file) => file.file === image.options.dockerfile);
    for (const pin of image.resolved.pins) {
      if (!context.projects[pin.project] || pin.project === project) continue;
      dependencies.push(
        isDockerfileInProject
          ? { source: project, target: pin.project, type: DependencyType.static, sourceFile: image.options.dockerfile }
          : { source: project, target: pin.project, type: DependencyType.implicit },
      );
    }
  }
  return dependencies;
};

export const preTasksExecution: PreTasksExecution<unknown> = async (rawOptions, context) => {
  const nonce = randomUUID();
  let configs;
  try {
    configs = findImageProjectConfigs(readProjectsConfigurationFromProjectGraph(readCachedProjectGraph()).projects);
  } catch {
    return; // No cached graph (nothing was computed yet): no image tasks can be hashed in this run either.
  }
  if (configs.length === 0) return;
  const plugin = parsePluginOptions(rawOptions);
  const workspace = loadWorkspaceImages(context.workspaceRoot, configs, plugin, process.env);
  let store: { images: LocalImages; buildx: string } | undefined;
  try {
    const [buildx, images] = await Promise.all([probeBuildx(process.env), listLocalImages(process.env)]);
    store = { buildx, images };
  } catch {
    store = undefined; // Docker unusable: every image task misses and its executor explains why.
  }
  for (const config of configs) {
    const key = workspace.keys.get(config.project);
    const image = workspace.images.get(config.project);
    const ref = key && image ? formatImageRef(image.options.imageName, toContentTag(key)) : undefined;
    process.env[imageStateEnvName(config.root)] = toImageState({
      key,
      buildx: store?.buildx,
      contentTagRef: ref,
      tags: image?.options.load ? image.options.tags : [],
      images: store?.images,
      nonce,
      recorded: ref ? readImageState(ref) : undefined,
    });
  }
};
