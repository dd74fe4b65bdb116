import { createHash } from 'node:crypto';
import type { WorkspacePin } from './image-graph';

/**
 * Everything that determines an image's content, computable before Nx hashes the task: it names the
 * content tag that the presence probe (preTasksExecution) looks up, and it is what enters the Nx hash.
 * Tags, cache settings, progress and output mode are left out on purpose: they do not change the image.
 */
export interface KeyMaterial {
  dockerfileHash: string;
  /** [path relative to the context, sha256 of its content] for every file Docker sends, sorted. */
  files: [string, string][];
  buildArgs: Record<string, string>;
  target?: string;
  platforms: string[];
  /** Set only when the options ask for attestations, so images without them keep the keys they had. */
  attestations?: { provenance: string | null; sbom: true | { generator: string } | null };
  labels: Record<string, string>;
  /** Named contexts that are not workspace images: directory file hashes or image references. */
  namedContexts: Record<string, [string, string][] | string>;
}

export interface KeyedImage {
  material: KeyMaterial;
  pins: WorkspacePin[];
}

export const contentTagPrefix = 'nx-';

/** `nx-` + the first 16 hex digits of the key: 64 bits, unique enough for one engine's store. */
export function toContentTag(key: string): string {
  return `${contentTagPrefix}${key.slice(0, 16)}`;
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function sortKeys(record: Record<string, unknown>): [string, unknown][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface ContentKeys {
  keys: Map<string, string>;
  /** Projects whose key cannot be computed, with the reason (a cycle, a base without a docker-build target). */
  errors: Map<string, string>;
}

/** Content keys of all images, each including its bases' keys, so a base change reaches every dependent. */
export function computeContentKeys(images: ReadonlyMap<string, KeyedImage>): ContentKeys {
  const keys = new Map<string, string>();
  const errors = new Map<string, string>();
  for (const project of images.keys()) {
    try {
      keyOf(project, images, keys, []);
    } catch (error) {
      errors.set(project, (error as Error).message);
    }
  }
  return { keys, errors };
}

function keyOf(project: string, images: ReadonlyMap<string, KeyedImage>, keys: Map<string, string>, visiting: string[]): string {
  const known = keys.get(project);
  if (known) return known;
  if (visiting.includes(project)) {
    throw new Error(`image projects depend on each other in a cycle: ${[...visiting, project].join(' -> ')}`);
  }
  const image = images.get(project);
  if (!image) throw new Error(`"${project}" is used as a base image but has no docker-build target (or its Dockerfile is missing).`);
  visiting.push(project);
  const bases = image.pins
    .map((pin) => [pin.contextName, keyOf(pin.project, images, keys, visiting)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  visiting.pop();
  const { material } = image;
  const key = sha256(
    JSON.stringify({
      v: 1,
      dockerfile: material.dockerfileHash,
      files: material.files,
      buildArgs: sortKeys(material.buildArgs),
      target: material.target ?? null,
      platforms: material.platforms,
      ...(material.attestations ? { attestations: material.attestations } : {}),
      labels: sortKeys(material.labels),
      namedContexts: sortKeys(material.namedContexts),
      bases,
    }),
  );
  keys.set(project, key);
  return key;
}
