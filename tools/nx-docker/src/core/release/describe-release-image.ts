import type { ExecutorContext } from '@nx/devkit';
import { workspaceDataDirectory } from '@nx/devkit/internal';
import { OptionsError } from '../errors';
import { findOwnPluginOptions } from '../options/plugin-options';
import { describeWorkspace, type ImageModel } from '../workspace/describe-workspace';
import { findImageProjectConfigs } from '../workspace/image-projects';
import { openWorkspaceCaches } from '../workspace/workspace-caches';

/**
 * The image model of the project a release target runs for: the same description (and so the same content
 * tag) its docker-build target computes, with that target's options as configured.
 */
export function describeReleaseImage(context: ExecutorContext): ImageModel {
  const project = context.projectName ?? '';
  const plugin = findOwnPluginOptions(context.nxJsonConfiguration.plugins, context.root);
  const caches = openWorkspaceCaches(workspaceDataDirectory);
  const workspace = describeWorkspace(context.root, findImageProjectConfigs(context.projectsConfigurations.projects), plugin, process.env, caches);
  caches.save();
  const image = workspace.images.get(project);
  if (!image) throw new OptionsError(`Cannot release "${project}": ${workspace.errors.get(project) ?? 'it has no docker-build target'}`);
  return image;
}

/** NX_DRY_RUN is how `nx release --dry-run` tells the targets and commands it starts. */
export function isReleaseDryRun(env: Readonly<Record<string, string | undefined>>, option: boolean | undefined): boolean {
  return option === true || (env.NX_DRY_RUN !== undefined && env.NX_DRY_RUN !== 'false');
}
