import type { PinnedBase } from '../../../core/workspace/describe-workspace';

/**
 * Each workspace base that lacks a platform this image is built for. BuildKit resolves a pinned
 * `docker-image://` context per platform from the base's index in the local store, so a missing platform
 * would fail deep in the build (or, for a single-platform base, run the wrong architecture's layers);
 * an empty list on either side means the engine platform.
 */
export function findPlatformGaps(platforms: readonly string[], pins: readonly Pick<PinnedBase, 'project' | 'platforms'>[]): string[] {
  if (platforms.length === 0) return [];
  const gaps = new Map<string, string[]>();
  for (const pin of pins) {
    const missing = platforms.filter((platform) => !pin.platforms.includes(platform));
    if (missing.length > 0) gaps.set(pin.project, missing);
  }
  return [...gaps].map(([project, missing]) => `base "${project}" is not built for ${missing.join(', ')}`);
}
