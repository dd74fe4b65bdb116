import { logger, type CreateNodes, type CreateNodesResult } from '@nx/devkit';
import { calculateHashesForCreateNodes, hashObject, PluginCache, workspaceDataDirectory } from '@nx/devkit/internal';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parsePluginOptions } from '../core/options/plugin-options';
import { dockerBuildExecutor } from '../core/workspace/image-projects';
import { effectiveOptions, gitIgnoredPaths, inferReleaseTargets, inferTarget, type ImageProjectFile } from './infer-target';

interface ProjectJson {
  name?: string;
  targets?: Record<string, { executor?: string; options?: Record<string, unknown> }>;
}

function readImageProjectFile(workspaceRoot: string, dockerfile: string): ImageProjectFile | undefined {
  const root = dirname(dockerfile);
  const projectJsonPath = join(workspaceRoot, root, 'project.json');
  const hasProjectJson = existsSync(projectJsonPath);
  if (!hasProjectJson && !existsSync(join(workspaceRoot, root, 'package.json'))) return undefined;
  const projectJson: ProjectJson = hasProjectJson ? JSON.parse(readFileSync(projectJsonPath, 'utf8')) : {};
  const configured = Object.values(projectJson.targets ?? {}).find((target) => target.executor === dockerBuildExecutor)?.options;
  return { dockerfile, root, name: projectJson.name ?? root, configured };
}

/** Globs (beside the project root, which Nx always hashes) that cover every context the image sends. */
function contextGlobs(file: ImageProjectFile): string[] {
  const options = effectiveOptions(file);
  const contexts = [options.context, ...Object.values((options.buildContexts ?? {}) as Record<string, { path?: string }>).map((value) => value.path)];
  const outside = contexts.filter((dir): dir is string => typeof dir === 'string' && relative(file.root, dir).startsWith('..'));
  const dockerfile = typeof options.dockerfile === 'string' ? [options.dockerfile] : [];
  return [...outside.map((dir) => (dir === '.' ? '**/*' : join(dir, '**/*'))), ...dockerfile];
}

/**
 * A docker-build target for each Dockerfile that sits beside a project.json or package.json. Cached like Nx's
 * own plugins: by a hash of the files of the project and of every context it sends, and of the options.
 */
export const createNodes: CreateNodes<unknown> = [
  '**/Dockerfile',
  async (dockerfiles, rawOptions, context) => {
    const plugin = parsePluginOptions(rawOptions);
    const files = dockerfiles.flatMap((dockerfile) => readImageProjectFile(context.workspaceRoot, dockerfile) ?? []);
    const hashes = await calculateHashesForCreateNodes(
      files.map((file) => file.root),
      { plugin, configured: files.map((file) => file.configured ?? null) },
      context,
      files.map(contextGlobs),
    );
    const cache = new PluginCache<CreateNodesResult>(join(workspaceDataDirectory, `nx-docker-${hashObject(plugin)}.hash`));
    let isGitIgnored: ReturnType<typeof gitIgnoredPaths> | undefined;
    try {
      return files.map((file, index) => {
        const key = `${hashes[index]}:${file.dockerfile}`;
        const cached = cache.get(key);
        if (cached) return [file.dockerfile, cached] as const;
        isGitIgnored ??= gitIgnoredPaths(context.workspaceRoot);
        const { target, fallbackReason, isProvisional } = inferTarget(context.workspaceRoot, file, plugin, process.env, isGitIgnored);
        const result: CreateNodesResult = { projects: { [file.root]: { targets: { [plugin.targetName]: target, ...inferReleaseTargets(plugin) } } } };
        if (fallbackReason) {
          // Not cached: the warning shows on every graph computation until the cause is fixed.
          logger.warn(
            `nx-docker: cannot list the files "${file.name}" sends to Docker (${fallbackReason}); its ${plugin.targetName} inputs fall back to {projectRoot}/**/*, which may miss files the build reads. Fix the option or path named above.`,
          );
        } else if (!isProvisional) {
          cache.set(key, result);
        }
        return [file.dockerfile, result] as const;
      });
    } finally {
      cache.writeToDisk();
    }
  },
];
