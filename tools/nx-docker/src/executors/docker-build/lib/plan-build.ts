import type { TargetDependencyConfig } from '@nx/devkit';
import type { LocalImages } from '../../../core/docker/parse-docker-output';
import { MissingBaseError, OptionsError } from '../../../core/errors';
import { toContentTag } from '../../../core/content-key';
import { findOptionConflicts } from '../../../core/options/normalize-build-options';
import { layerCacheTag, toCacheRepository, type RegistryLocation } from '../../../core/registry/registry-location';
import type { ImageModel } from '../../../core/workspace/describe-workspace';
import { buildBuildxArgv } from './build-argv';
import { describeSources } from './describe-sources';
import { findPlatformGaps } from './find-platform-gaps';
import { findUnorderedBases } from './find-unordered-bases';

/**
 * What a docker-build run will do, as plain data a reviewer (or a unit test) can read before anything
 * runs: reuse the content tag already in the store and re-tag it; or build with this argv, after trying to
 * restore the content tag from the cache registry (`restoreFrom`). `shareTo`: push the result there.
 */
export type BuildPlan =
  | {
      action: 'build';
      contentTagRef: string;
      contentKey: string;
      tags: string[];
      argv: string[];
      sourceLines: string[];
      hasCaSecret: boolean;
      /** The content tag's place in the cache registry, when it is tried before building. */
      restoreFrom?: RegistryTarget;
      shareTo?: RegistryTarget;
    }
  | { action: 'reuse'; contentTagRef: string; tags: string[]; sourceLines: string[]; shareTo?: RegistryTarget };

/** A content tag's place in the cache registry, and what its digest record (core/registry/image-record.ts) holds. */
export interface RegistryTarget {
  ref: string;
  /** `ref` without its tag: `<repository>@<digest>` pulls the recorded content. */
  repository: string;
  contentKey: string;
  platforms: string[];
  /** The registry's reference prefix, recorded as where the image is shared. */
  registry: string;
  isInsecure: boolean;
}

/** The cache registry as this run sees it (reachable: the presence probe could talk to it). */
export interface SharingInput {
  location: RegistryLocation;
  isShared: boolean;
  /** Layer caches wanted (plugin option layerCache) and possible (the docker driver needs the containerd image store). */
  useLayerCache: boolean;
}

export interface PlanInput {
  project: string;
  targetName: string;
  dependsOn: readonly (string | TargetDependencyConfig)[] | undefined;
  image: ImageModel;
  store: LocalImages;
  /** The builder's driver, when the options need it judged (see dependsOnDriver). */
  driver?: string;
  /** Whether the engine keeps images in the containerd image store (known when the driver is docker). */
  isContainerdStore?: boolean;
  caFile?: string;
  metadataFile: string;
  sharing?: SharingInput;
}

function failOnConflicts(project: string, conflicts: string[]): void {
  if (conflicts.length > 0) {
    throw new OptionsError(`Invalid docker-build options for project "${project}":\n${conflicts.map((line) => `✖ ${line}`).join('\n')}`);
  }
}

/** Throws OptionsError / MissingBaseError with a message that names the option or project to fix. */
export function planBuild(input: PlanInput): BuildPlan {
  const { project, targetName, image, store } = input;
  const { options, pins, contentTagRef, contentKey } = image;
  failOnConflicts(project, findOptionConflicts(options, input.driver, input.isContainerdStore));
  if (image.resolved.problems.length > 0) {
    throw new OptionsError(`Cannot build "${project}" (${options.dockerfile}):\n${image.resolved.problems.join('\n')}`);
  }
  const unordered = findUnorderedBases(input.dependsOn, targetName, [...new Set(pins.map((pin) => pin.project))]);
  if (unordered.length > 0) {
    throw new OptionsError(
      `"${project}:${targetName}" reads ${unordered.map((base) => `"${base}"`).join(', ')} but its dependsOn does not build ${unordered.length > 1 ? 'them' : 'it'} first ` +
        `(a project.json override replaced the inferred ["^${targetName}"]): keep it with "dependsOn": ["...", ...] or add "^${targetName}".`,
    );
  }
  const platformGaps = findPlatformGaps(options.platforms, pins);
  if (platformGaps.length > 0) {
    throw new OptionsError(
      `"${project}" is built for ${options.platforms.join(', ')}, but ${platformGaps.join('; ')}: give ${platformGaps.length > 1 ? 'those bases' : 'that base'} the same "platforms" ` +
        '(or set them once for every image: the plugin option "platforms" in nx.json, or NX_DOCKER_PLATFORMS).',
    );
  }
  const missingBases = pins.filter((pin) => !store.has(pin.imageRef));
  if (missingBases.length > 0) {
    throw new MissingBaseError(
      `Base image(s) of "${project}" are not in the local Docker store: ${missingBases.map((pin) => `${pin.imageRef} (project ${pin.project})`).join(', ')}.\n` +
        `Build them first: npx nx run-many -t ${targetName} -p ${[...new Set(missingBases.map((pin) => pin.project))].join(',')} (the ${targetName} target's dependsOn ^${targetName} does this when run through Nx).`,
    );
  }
  const sourceLines = describeSources(image.parsed.imageRefs, pins, image.resolved.upstream);
  // Only images loaded into the local store are shared: a push build already goes to its own registry.
  const { sharing } = input;
  const cacheRepository = sharing && options.load ? toCacheRepository(sharing.location, options.imageName) : undefined;
  const target: RegistryTarget | undefined =
    sharing && cacheRepository
      ? {
          ref: `${cacheRepository}:${toContentTag(contentKey)}`,
          repository: cacheRepository,
          contentKey,
          platforms: options.platforms,
          registry: sharing.location.refPrefix,
          isInsecure: sharing.location.isInsecure,
        }
      : undefined;
  const shareTo = target && !sharing?.isShared ? target : undefined;
  const isFreshBuildAsked = options.noCache || options.pull;
  // The same content already in the store is the same build: it only needs the user's tags again.
  const canReuse = store.has(contentTagRef) && options.load && !options.push && !isFreshBuildAsked;
  if (canReuse) return { action: 'reuse', contentTagRef, tags: options.tags, sourceLines, ...(shareTo ? { shareTo } : {}) };
  const insecure = sharing?.location.isInsecure ? ',registry.insecure=true' : '';
  const layerCache =
    cacheRepository && sharing?.useLayerCache
      ? {
          from: `type=registry,ref=${cacheRepository}:${layerCacheTag}${insecure}`,
          // ignore-error: a registry that fails mid-export must not fail a build that succeeded.
          to: `type=registry,ref=${cacheRepository}:${layerCacheTag},mode=max,ignore-error=true${insecure}`,
        }
      : undefined;
  const argv = buildBuildxArgv(options, { contentKey, contentTagRef, pins, caFile: input.caFile, metadataFile: input.metadataFile, layerCache });
  return {
    action: 'build',
    contentTagRef,
    contentKey,
    tags: options.tags,
    argv,
    sourceLines,
    hasCaSecret: input.caFile !== undefined,
    ...(target && !isFreshBuildAsked ? { restoreFrom: target } : {}),
    ...(target ? { shareTo: target } : {}),
  };
}
