import type { LocalImages } from '../docker/parse-docker-output';

/**
 * The per-project env value that preTasksExecution publishes and the docker-build target lists as an
 * `{env}` input. A hit is only correct when the store holds the content tag AND every tag the target
 * promises (e.g. `:latest`, which compose runs) points at that same image: another checkout, a branch
 * switch or a `docker tag` can move a user tag while the content tag stays. Anything else carries a fresh
 * nonce, so it can never match a cached entry: Nx runs the executor, which builds, or re-tags in about a
 * second. A current image reuses the exact value its last executor run was hashed with (see
 * image-state-record.ts), provided the record describes the same image id, so the run after a build is a
 * real cache hit. With a reachable cache registry, an image this machine has not yet pushed there (or
 * pulled from there) misses too, so the executor pushes it: a registry that was down gets what it lacks on
 * the next run.
 */
export function imageStateEnvName(projectRoot: string): string {
  return `NX_DOCKER_IMAGE_STATE_${projectRoot.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

/** What the last successful executor run of a content tag was hashed with, the image it left, and where it shared it. */
export interface RecordedImageState {
  state: string;
  imageId: string;
  /**
   * The content key and buildx version that run built or checked (`stateBasis`). The state alone does not
   * always say: on a fresh clone the probe runs before the generated contexts exist, so the first run is hashed
   * `unknown-<nonce>`, and without this the second run could not reuse that hash (it would miss and re-tag).
   */
  basis?: string;
  /** The cache registry (its reference prefix) that holds this content tag, pushed or pulled by that run. */
  sharedTo?: string;
}

export interface ImageStateProbe {
  key?: string;
  buildx?: string;
  /** Full reference of the content tag; undefined when the project has no key. */
  contentTagRef?: string;
  /** The user tags the target promises in the local store (empty for push-only builds). */
  tags: readonly string[];
  /** The local store; undefined when Docker could not be asked. */
  images?: LocalImages;
  nonce: string;
  recorded?: RecordedImageState;
  /** A reachable cache registry the content tag must be in (its reference prefix): until then, a miss that pushes. */
  sharedTo?: string;
}

/** What a state value is valid for: the content key and the buildx version. */
export function stateBasis(key: string, buildx: string): string {
  return `${key} buildx-${buildx} `;
}

export function toImageState(probe: ImageStateProbe): string {
  const { key, buildx, contentTagRef, images, nonce, recorded } = probe;
  if (!key || !buildx || !contentTagRef || !images) return `unknown-${nonce}`;
  const prefix = stateBasis(key, buildx);
  const imageId = images.get(contentTagRef);
  if (!imageId) return `${prefix}absent-${nonce}`;
  if (probe.tags.some((tag) => images.get(tag) !== imageId)) return `${prefix}retag-${nonce}`;
  if (probe.sharedTo && recorded?.sharedTo !== probe.sharedTo) return `${prefix}unshared-${nonce}`;
  if (recorded && recorded.imageId === imageId && (recorded.basis === prefix || recorded.state.startsWith(prefix))) return recorded.state;
  return `${prefix}present-${imageId}`;
}
