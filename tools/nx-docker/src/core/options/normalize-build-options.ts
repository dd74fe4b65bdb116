import { posix } from 'node:path';
import { z } from 'zod';
import { isRegistryQualified, parseImageRef } from '../dockerfile/image-ref';
import { OptionsError } from '../errors';
import { dockerBuildOptionsSchema, type ParsedDockerBuildOptions, type provenanceSchema, type sbomSchema } from './build-options.schema';

export type Provenance = z.output<typeof provenanceSchema>;
export type Sbom = z.output<typeof sbomSchema>;

/** The attestations of images whose options set none (resolveDefaultAttestations). */
export interface DefaultAttestations {
  provenance?: Provenance;
  sbom?: Sbom;
}

/** Where a project sits; the defaults of context, dockerfile and imageName derive from it. */
export interface ImageProjectLocation {
  project: string;
  root: string;
  imageNamePrefix: string;
  /** Platforms for options that set none (resolveDefaultPlatforms); none: the engine platform. */
  defaultPlatforms?: string[];
  /** Attestations for options that set none (resolveDefaultAttestations). */
  defaultAttestations?: DefaultAttestations;
}

export interface NormalizedBuildOptions {
  project: string;
  root: string;
  /** Workspace-relative POSIX paths; resolved against the workspace root, never the caller's cwd. */
  context: string;
  dockerfile: string;
  imageName: string;
  /** Full references of the user's tags (the content tag is added later, once the key is known). */
  tags: string[];
  /** Build args with env-sourced values resolved. */
  buildArgs: Record<string, string>;
  /** Env variables read for build args: they are inputs of the Nx hash. */
  buildArgEnv: string[];
  target?: string;
  /** Empty: the engine platform. */
  platforms: string[];
  buildContexts: ParsedDockerBuildOptions['buildContexts'];
  secrets: ParsedDockerBuildOptions['secrets'];
  caSecret: ParsedDockerBuildOptions['caSecret'];
  ssh: string[];
  provenance?: Provenance;
  /** Never false: `"sbom": false` (no SBOM) normalises to undefined, the same image as no option at all. */
  sbom?: Sbom;
  labels: Record<string, string>;
  cacheFrom: string[];
  cacheTo: string[];
  pull: boolean;
  noCache: boolean;
  load: boolean;
  push: boolean;
  builder?: string;
  progress: ParsedDockerBuildOptions['progress'];
}

/** Validate raw options with the zod schema; the message names each failing option path. */
export function parseBuildOptions(raw: unknown, project: string): ParsedDockerBuildOptions {
  const result = dockerBuildOptionsSchema.safeParse(raw ?? {});
  if (!result.success) {
    throw new OptionsError(`Invalid docker-build options for project "${project}":\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/** The Docker image name a project gets when imageName is not set: `<prefix>/<last segment of its name>`. */
export function defaultImageName(project: string, prefix: string): string {
  const lastSegment = project.split('/').pop() ?? project;
  return `${prefix}/${lastSegment.replace(/^@/, '').toLowerCase().replace(/[^a-z0-9._-]/g, '-')}`;
}

/**
 * The SBOM an image gets: its own option (false: none), else the plugin-wide default, except on the image of the
 * default's own generator: the scanner cannot scan its own build before that build exists.
 */
function effectiveSbom(own: ParsedDockerBuildOptions['sbom'], fallback: Sbom | undefined, imageName: string): Sbom | undefined {
  if (own !== undefined) return own === false ? undefined : own;
  if (fallback !== undefined && fallback !== true && parseImageRef(fallback.generator).repository === parseImageRef(imageName).repository) return undefined;
  return fallback;
}

function toFullTag(imageName: string, tag: string): string {
  return tag.includes('/') || tag.includes(':') ? tag : `${imageName}:${tag}`;
}

export function normalizeBuildOptions(
  options: ParsedDockerBuildOptions,
  location: ImageProjectLocation,
  env: Readonly<Record<string, string | undefined>>,
): NormalizedBuildOptions {
  const imageName = options.imageName ?? defaultImageName(location.project, location.imageNamePrefix);
  const buildArgs: Record<string, string> = {};
  const buildArgEnv: string[] = [];
  for (const [name, value] of Object.entries(options.buildArgs)) {
    if (typeof value === 'string') {
      buildArgs[name] = value;
      continue;
    }
    buildArgEnv.push(value.env);
    const fromEnv = env[value.env] ?? value.default;
    if (fromEnv !== undefined) buildArgs[name] = fromEnv;
  }
  return {
    project: location.project,
    root: location.root,
    context: posix.normalize(options.context ?? location.root),
    dockerfile: posix.normalize(options.dockerfile ?? posix.join(location.root, 'Dockerfile')),
    imageName,
    tags: [...new Set(options.tags.map((tag) => toFullTag(imageName, tag)))],
    buildArgs,
    buildArgEnv: buildArgEnv.sort(),
    target: options.target,
    platforms: options.platforms ?? location.defaultPlatforms ?? [],
    buildContexts: options.buildContexts,
    secrets: options.secrets,
    caSecret: options.caSecret,
    ssh: options.ssh,
    provenance: options.provenance ?? location.defaultAttestations?.provenance,
    sbom: effectiveSbom(options.sbom, location.defaultAttestations?.sbom, imageName),
    labels: options.labels,
    cacheFrom: options.cacheFrom,
    cacheTo: options.cacheTo,
    pull: options.pull,
    noCache: options.noCache,
    load: options.load,
    push: options.push,
    builder: options.builder,
    progress: options.progress,
  };
}

/** Whether judging the options needs the builder's driver (one `docker buildx inspect` less per build if not). */
export function dependsOnDriver(options: NormalizedBuildOptions): boolean {
  return options.platforms.length > 1 || options.cacheTo.length > 0 || options.builder !== undefined;
}

/**
 * Combinations that buildx would reject late (or silently misbehave with). `driver` is the builder's
 * driver when known; the docker driver exports to the engine's image store, which holds several platforms
 * under one tag only when it is the containerd image store (`isContainerdStore`).
 */
export function findOptionConflicts(options: NormalizedBuildOptions, driver?: string, isContainerdStore = false): string[] {
  const conflicts: string[] = [];
  if (options.load && options.push) {
    conflicts.push('"load" and "push" are both true: choose one output (load into the local store, or push to a registry).');
  }
  if (!options.load && !options.push) {
    conflicts.push('"load" and "push" are both false: the image would only stay in the build cache. Set one of them.');
  }
  if (options.push) {
    const unqualified = options.tags.filter((tag) => !isRegistryQualified(tag));
    if (unqualified.length > 0) {
      conflicts.push(
        `"push" needs registry-qualified tags (e.g. registry.example.com/team/app:1), got: ${unqualified.join(', ')}. Set "imageName" to a name with a registry host.`,
      );
    }
  }
  if (driver === 'docker') {
    if (options.load && options.platforms.length > 1 && !isContainerdStore) {
      conflicts.push(
        `"platforms" lists ${options.platforms.length} platforms (${options.platforms.join(', ')}) with "load": the engine's classic image store holds one platform per tag. ` +
          'Turn on the containerd image store (docs/docker-caching.md), build one platform, or push with a docker-container builder.',
      );
    }
    const unsupportedCache = options.cacheTo.filter((cache) => !/(^|,)type=inline(,|$)/.test(cache));
    if (unsupportedCache.length > 0) {
      conflicts.push(
        `"cacheTo" ${unsupportedCache.join(', ')} is not supported by the docker driver (only type=inline). Use a docker-container builder ("builder") or drop "cacheTo".`,
      );
    }
  }
  return conflicts;
}
