/**
 * What `nx release publish` does for one image, from facts gathered first (pure: the executor asks Docker,
 * this decides). The version tag is pushed only when it is the very image of the current content tag, and
 * a version tag the registry already holds is never overwritten: the same image is a no-op, another is refused.
 */
export interface PublishFacts {
  /** `<image>:nx-<key>`: the image the build (and the tests) produced for the current sources. */
  contentTagRef: string;
  /** Its id in the local store; undefined when it is not there. */
  contentImageId?: string;
  /** The reference the version step tagged (`<registry>/<repository>:<version>`). */
  releaseRef: string;
  releaseImageId?: string;
  /** Digests the registry holds under releaseRef; undefined when it has no such tag. */
  remoteDigests?: readonly string[];
}

export type PublishPlan =
  | { action: 'push'; ref: string; message: string }
  | { action: 'none'; ref: string; message: string }
  | { action: 'refuse'; ref: string; message: string };

export function planPublish(facts: PublishFacts): PublishPlan {
  const { contentTagRef, contentImageId, releaseRef, releaseImageId, remoteDigests } = facts;
  const ref = releaseRef;
  if (!contentImageId) {
    return { action: 'refuse', ref, message: `${contentTagRef} is not in the local Docker store: build it first (nx run-many -t docker-build), then run nx release version again` };
  }
  if (!releaseImageId) {
    return { action: 'refuse', ref, message: `${releaseRef} is not in the local Docker store: run nx release version first` };
  }
  if (releaseImageId !== contentImageId) {
    return {
      action: 'refuse',
      ref,
      message: `${releaseRef} is image ${releaseImageId}, but the current build ${contentTagRef} is ${contentImageId}: the sources changed since the version step; run nx release version again`,
    };
  }
  if (!remoteDigests) return { action: 'push', ref, message: `${releaseRef} is ${contentTagRef} (${contentImageId})` };
  if (remoteDigests.includes(contentImageId)) {
    return { action: 'none', ref, message: `${releaseRef} is already published with this image (${contentImageId}), nothing to push` };
  }
  return {
    action: 'refuse',
    ref,
    message: `${releaseRef} already exists in the registry with other content (${remoteDigests.join(', ')}, not ${contentImageId}): a version tag is never overwritten; release a new version`,
  };
}
