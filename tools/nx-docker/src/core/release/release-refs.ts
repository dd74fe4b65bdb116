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

/**
 * Whether Docker talks plain HTTP to the registry of `ref` by default: it does so for loopback only (any other
 * plain-HTTP registry must be listed in the daemon's insecure-registries, which the manifest calls cannot see).
 */
export function isLoopbackRegistryRef(ref: string): boolean {
  const [first, ...rest] = ref.split('/');
  if (rest.length === 0) return false;
  const host = first.replace(/:\d+$/, '');
  return host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]';
}
