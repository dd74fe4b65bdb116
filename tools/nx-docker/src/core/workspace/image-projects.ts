import type { ProjectConfiguration } from '@nx/devkit';

/** The executor the inferred targets use; a project.json target with it is an image project too. */
export const dockerBuildExecutor = '@posestack/nx-docker:docker-build';

/** A project with a docker-build target (any target name) and that target's merged options. */
export interface ImageProjectConfig {
  project: string;
  root: string;
  /** The docker-build target's options as configured (inferred defaults merged with project.json). */
  options: unknown;
}

/** Every project with a docker-build target (any target name), with that target's merged options. */
export function findImageProjectConfigs(
  projects: Readonly<Record<string, Pick<ProjectConfiguration, 'root' | 'targets'>>>,
  executor: string = dockerBuildExecutor,
): ImageProjectConfig[] {
  const configs: ImageProjectConfig[] = [];
  for (const [project, config] of Object.entries(projects)) {
    const target = Object.values(config.targets ?? {}).find((candidate) => candidate.executor === executor);
    if (target) configs.push({ project, root: config.root, options: target.options ?? {} });
  }
  return configs.sort((a, b) => (a.project < b.project ? -1 : 1));
}
