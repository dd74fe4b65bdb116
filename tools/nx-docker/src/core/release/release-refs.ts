/**
 * The names Nx's docker release (@nx/docker's version step) works with. Its version step tags the image it
 * finds under the project's default reference (the project root as an image name, e.g. `docker-base-node`)
 * with `<registryUrl>/<repositoryName>:<version>` and writes that reference to `tmp/<root>/.docker-version`;
 * `nx-release-publish` then reads it. The default reference is private to @nx/docker, so it is restated here
 * (and the release integration test fails if the two ever differ: the version step would find no image).
 */
export function toNxDefaultImageRef(projectRoot: string): string {
  const normalized = projectRoot
    .replace(/^[\\/]/, '')
    .replace(/[\\/\s]+/g, '-')
    .toLowerCase();
  return normalized.length > 128 ? normalized.slice(-128) : normalized;
}
