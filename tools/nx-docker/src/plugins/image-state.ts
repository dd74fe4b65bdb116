/**
 * The per-project env value that preTasksExecution publishes and the docker-build target lists as an
 * `{env}` input. An absent image (or an unknown state) carries a fresh nonce, so it can never match a cached
 * entry: Nx runs the executor, which builds or re-tags. A present image reuses the exact value its last
 * executor run was hashed with (see image-state-record.ts), so the run after a build is a real cache hit;
 * without such a record it is `present`. Whatever the record says, a value other than a fresh nonce is only
 * ever published for an image that is in the store, which is what makes a hit safe.
 */
export function imageStateEnvName(projectRoot: string): string {
  return `NX_DOCKER_IMAGE_STATE_${projectRoot.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

export function toImageState(probe: { key?: string; buildx?: string; isPresent: boolean; nonce: string; recorded?: string }): string {
  if (!probe.key || !probe.buildx) return `unknown-${probe.nonce}`;
  const prefix = `${probe.key} buildx-${probe.buildx} `;
  if (!probe.isPresent) return `${prefix}absent-${probe.nonce}`;
  return probe.recorded?.startsWith(prefix) ? probe.recorded : `${prefix}present`;
}
