import type { TargetDependencyConfig } from '@nx/devkit';

/**
 * The workspace bases a docker-build target's `dependsOn` does not build first. Overriding the inferred
 * target in project.json replaces its `["^docker-build"]` unless the override keeps it (`"..."`); the build
 * then only works while the bases happen to be in the store, and fails on a fresh machine. Checked on every
 * run so the mistake shows on a warm machine too. Project patterns (globs, tags) count as covering.
 */
export function findUnorderedBases(
  dependsOn: readonly (string | TargetDependencyConfig)[] | undefined,
  targetName: string,
  baseProjects: readonly string[],
): string[] {
  const entries = (dependsOn ?? []).map((entry) => (typeof entry === 'string' ? parseStringEntry(entry) : entry));
  const ownTargetEntries = entries.filter((entry) => entry.target === targetName);
  if (ownTargetEntries.some((entry) => entry.dependencies === true)) return [];
  const named = new Set<string>();
  for (const entry of ownTargetEntries) {
    const projects = typeof entry.projects === 'string' ? [entry.projects] : (entry.projects ?? []);
    if (projects.some((project) => /[*:!{]/.test(project))) return [];
    for (const project of projects) named.add(project);
  }
  return baseProjects.filter((project) => !named.has(project));
}

function parseStringEntry(entry: string): TargetDependencyConfig {
  return entry.startsWith('^') ? { target: entry.slice(1), dependencies: true } : { target: entry };
}
