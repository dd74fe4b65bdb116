/**
 * The per-project env value that preTasksExecution publishes and the docker-build target lists as an
 * `{env}` input. A present image hashes to a stable value; an absent one (or an unknown state) carries
 * a fresh nonce, so it can never match a cached entry: Nx runs the executor, which builds or re-tags.
 */
export function imageStateEnvName(projectRoot: string): string {
  return `NX_DOCKER_IMAGE_STATE_${projectRoot.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

export function toImageState(probe: { key?: string; buildx?: string; isPresent: boolean; nonce: string }): string {
  if (!probe.key || !probe.buildx) return `unknown-${probe.nonce}`;
  return `${probe.key} buildx-${probe.buildx} ${probe.isPresent ? 'present' : `absent-${probe.nonce}`}`;
}
