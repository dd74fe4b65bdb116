import { DependencyType, type CreateDependencies, type RawProjectGraphDependency } from '@nx/devkit';
import { parsePluginOptions } from '../core/options/plugin-options';
import { workspaceDataDirectory } from '@nx/devkit/internal';
import { describeImages } from '../core/workspace/describe-workspace';
import { openWorkspaceCaches } from '../core/workspace/workspace-caches';
import { findImageProjectConfigs } from '../core/workspace/image-projects';

/** Edges from FROM / COPY --from / RUN --mount=from / named contexts to the image projects they read. */
export const createDependencies: CreateDependencies<unknown> = (rawOptions, context) => {
  const plugin = parsePluginOptions(rawOptions);
  const caches = openWorkspaceCaches(workspaceDataDirectory);
  const { images } = describeImages(context.workspaceRoot, findImageProjectConfigs(context.projects), plugin, process.env, caches.dockerfiles);
  caches.save();
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
