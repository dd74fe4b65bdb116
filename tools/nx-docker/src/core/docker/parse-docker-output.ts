/** Pure readers of Docker CLI output; the processes themselves are started by docker-cli.ts only. */

import { sha256 } from '../content-key';
import type { StoredTag } from '../prune/plan-prune';

export const minimumBuildxVersion: readonly [number, number] = [0, 11];

/** `github.com/docker/buildx v0.13.1 abc` or Debian's `github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3`. */
export function parseBuildxVersion(output: string): [number, number, number] | undefined {
  const match = /buildx\S*\s+v?(\d+)\.(\d+)\.(\d+)/.exec(output);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

export function isBuildxTooOld(version: readonly [number, number, number]): boolean {
  const [major, minor] = version;
  return major < minimumBuildxVersion[0] || (major === minimumBuildxVersion[0] && minor < minimumBuildxVersion[1]);
}

/** The `Driver:` line of `docker buildx inspect`. */
export function parseBuilderDriver(output: string): string | undefined {
  return /^Driver:\s*(\S+)/m.exec(output)?.[1];
}

/** `repository:tag` -> image id, for every tagged image in the local store. */
export type LocalImages = ReadonlyMap<string, string>;

/** Lines of `docker image ls --no-trunc --format {{.Repository}}:{{.Tag}}\t{{.ID}}`, `<none>` entries dropped. */
export function parseImageList(output: string): LocalImages {
  const images = new Map<string, string>();
  for (const line of output.split('\n')) {
    const [ref, id] = line.trim().split('\t');
    if (ref && id && !ref.includes('<none>')) images.set(ref, id);
  }
  return images;
}

export interface BuildMetadata {
  digest?: string;
  configDigest?: string;
}

/** buildx --metadata-file: `containerimage.digest` is the manifest (or, with the docker driver, config) digest. */
export function parseBuildMetadata(json: string): BuildMetadata {
  const data = JSON.parse(json) as Record<string, unknown>;
  const asString = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    digest: asString(data['containerimage.digest']),
    configDigest: asString(data['containerimage.config.digest']),
  };
}

/** `docker image ls` format that parseImageListing reads. */
export const imageListingFormat = '{{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedAt}}';

/** `2026-12-01 21:40:05 +0000 UTC` (Go's time format in `docker image ls`) to milliseconds. */
export function parseCreatedAt(text: string): number {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})/.exec(text.trim());
  return match ? Date.parse(`${match[1]}T${match[2]}${match[3]}:${match[4]}`) : Number.NaN;
}

/** Lines of `docker image ls --format <imageListingFormat>`; untagged (`<none>`) entries are not tags. */
export function parseImageListing(output: string): StoredTag[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('\t'))
    .filter(([repository, tag]) => repository !== '<none>' && tag !== '<none>')
    .map(([repository, tag, id, createdAt]) => ({ repository, tag, id, createdAt: parseCreatedAt(createdAt ?? '') }));
}


/**
 * Every digest that names an image in a registry manifest as the registry serves it (`docker buildx
 * imagetools inspect --raw`): the manifest's own digest (sha256 of those bytes), an index's manifests, a single
 * manifest's config. A local image id is the config digest on the classic store and the manifest or index digest
 * on the containerd store (where a multi-platform build, or any build with an attestation, is an index), so an
 * image is the one in the registry when its id is among these.
 */
export function parseRemoteDigests(raw: string): string[] {
  const parsed = JSON.parse(raw) as { manifests?: { digest?: string }[]; config?: { digest?: string } };
  const inner = parsed.manifests ? parsed.manifests.map((entry) => entry.digest) : [parsed.config?.digest];
  return [`sha256:${sha256(raw)}`, ...inner.filter((digest): digest is string => Boolean(digest))];
}

/**
 * The digest a `docker push` produced: its last `<tag>: digest: sha256:... size: N` line (the manifest's digest on
 * the classic store, the image index's on the containerd store: what the registry now holds for the tag).
 */
export function parsePushedDigest(output: string): string | undefined {
  const matches = [...output.matchAll(/: digest: (sha256:[0-9a-f]{64}) size: \d+/g)];
  return matches.at(-1)?.[1];
}
