import { contentTagPrefix } from '../content-key';
import { NxDockerError } from '../errors';

/** One tag in an image store (the local engine or a registry), with what the plan needs to judge it. */
export interface StoredTag {
  /** e.g. `posestack/base-node` or `127.0.0.1:5000/posestack-cache/posestack/base-node` */
  readonly repository: string;
  readonly tag: string;
  /** Image id locally, manifest digest in a registry: two tags with one id are one image. */
  readonly id: string;
  /** Milliseconds since the epoch; orders the content tags of a repository (newest first). */
  readonly createdAt: number;
}

export interface PrunePlanInput {
  /** Only repositories under this path are touched (`<imageNamePrefix>/`, or the registry's path + it). */
  readonly scope: string;
  /** Content tags kept per repository beyond those in use, newest first. */
  readonly keepNewest: number;
  /** Full references some dist/docker/<project>/image.json names (its content tag and user tags). */
  readonly referenced: ReadonlySet<string>;
  readonly tags: readonly StoredTag[];
}

export type KeepReason = 'named by image.json' | 'newest' | 'same image as a kept tag';

export interface PruneEntry {
  readonly ref: string;
  readonly id: string;
}

export interface PrunePlan {
  readonly remove: readonly PruneEntry[];
  readonly keep: readonly (PruneEntry & { reason: KeepReason })[];
}

const contentTagPattern = new RegExp(`^${contentTagPrefix}[0-9a-f]{16}$`);

export const isContentTag = (tag: string): boolean => contentTagPattern.test(tag);

/**
 * Which stale content tags (`nx-<16 hex>`) to remove. Kept: tags an image.json names, the newest `keepNewest`
 * per repository, and any content tag whose image another kept tag (or a user tag such as `latest`) also
 * points at: in a registry a manifest is deleted by digest, which would take every tag of that image with it.
 * User tags and repositories outside `scope` are never candidates.
 */
export function planPrune(input: PrunePlanInput): PrunePlan {
  const scope = input.scope.endsWith('/') ? input.scope : `${input.scope}/`;
  const inScope = input.tags.filter((entry) => entry.repository.startsWith(scope));
  // Without a creation time "the newest N" cannot be told: refuse rather than guess.
  const undated = inScope.find((entry) => Number.isNaN(entry.createdAt));
  if (undated) throw new NxDockerError(`cannot tell the age of ${undated.repository}:${undated.tag}: its creation time is unreadable`);
  const refOf = (entry: StoredTag) => `${entry.repository}:${entry.tag}`;

  const keep = new Map<string, PruneEntry & { reason: KeepReason }>();
  const candidates: StoredTag[] = [];
  const byRepository = new Map<string, StoredTag[]>();
  for (const entry of inScope.filter((candidate) => isContentTag(candidate.tag))) {
    byRepository.set(entry.repository, [...(byRepository.get(entry.repository) ?? []), entry]);
  }
  for (const entries of byRepository.values()) {
    const newestFirst = [...entries].sort((a, b) => b.createdAt - a.createdAt || a.tag.localeCompare(b.tag));
    let newestKept = 0;
    for (const entry of newestFirst) {
      const ref = refOf(entry);
      if (input.referenced.has(ref)) keep.set(ref, { ref, id: entry.id, reason: 'named by image.json' });
      else if (newestKept < input.keepNewest) {
        newestKept += 1;
        keep.set(ref, { ref, id: entry.id, reason: 'newest' });
      } else candidates.push(entry);
    }
  }

  const idsInUse = new Set([...keep.values()].map((entry) => entry.id));
  for (const entry of inScope) if (!isContentTag(entry.tag)) idsInUse.add(entry.id);
  const remove: PruneEntry[] = [];
  for (const entry of candidates) {
    const ref = refOf(entry);
    if (idsInUse.has(entry.id)) keep.set(ref, { ref, id: entry.id, reason: 'same image as a kept tag' });
    else remove.push({ ref, id: entry.id });
  }
  return { remove, keep: [...keep.values()] };
}
