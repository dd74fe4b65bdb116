/**
 * Errors the user should see as they are: the message already says what failed, the offending option or
 * value, and what to do, so adapters print the message alone (no stack trace). Anything else is a bug
 * and keeps its stack.
 */
export class NxDockerError extends Error {
  override name = 'NxDockerError';
}

/** Options of a docker-build target or of the plugin entry in nx.json that cannot work. */
export class OptionsError extends NxDockerError {
  override name = 'OptionsError';
}

/** A workspace base image that should have been built before this one is not in the store. */
export class MissingBaseError extends NxDockerError {
  override name = 'MissingBaseError';
}

export type DockerErrorKind = 'cli-missing' | 'daemon-unreachable' | 'buildx-missing' | 'buildx-too-old' | 'command-failed';

const dockerRemedies: Record<DockerErrorKind, string> = {
  'cli-missing': 'The docker CLI was not found on PATH. Install Docker (on Debian: bash tools/scripts/install-docker.sh).',
  'daemon-unreachable':
    'The Docker daemon is not reachable. Start it (bash tools/scripts/install-docker.sh starts it when none runs) or fix DOCKER_HOST / the docker context.',
  'buildx-missing': 'docker buildx is not installed. Install the buildx plugin (Debian package docker-buildx).',
  'buildx-too-old': 'docker buildx is older than 0.11. Upgrade the buildx plugin.',
  'command-failed': 'A docker command failed.',
};

/** A docker command that could not run or failed; the message starts with the remedy for its kind. */
export class DockerError extends NxDockerError {
  override name = 'DockerError';
  constructor(
    readonly kind: DockerErrorKind,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${dockerRemedies[kind]}\n${detail}`, options);
  }
}
