import type { Tree } from '@nx/devkit';
import { VersionActions } from 'nx/release';

/**
 * Nx release's VersionActions for image projects, so Nx computes a semver version for them (from
 * conventional commits, version plans or an explicit specifier) that a docker version scheme can use as
 * `{versionActionsVersion}`. An image has no manifest to read or write: its current version comes from git
 * tags (`currentVersionResolver: "git-tag"`), and the new one becomes an image tag in Nx's docker step.
 * Use with `release.version.versionActions: "./tools/nx-docker/src/release/version-actions.ts"` and
 * `release.docker.skipVersionActions: false`.
 */
export default class ImageVersionActions extends VersionActions {
  validManifestFilenames = null;

  async readCurrentVersionFromSourceManifest(): Promise<null> {
    return null;
  }

  async readCurrentVersionFromRegistry(): Promise<null> {
    return null;
  }

  async readCurrentVersionOfDependency(): Promise<{ currentVersion: null; dependencyCollection: null }> {
    return { currentVersion: null, dependencyCollection: null };
  }

  async updateProjectVersion(...[, newVersion]: [Tree, string]): Promise<string[]> {
    return [`version ${newVersion}: no manifest to write (an image); the docker version step tags the image`];
  }

  async updateProjectDependencies(): Promise<string[]> {
    return [];
  }
}
