import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeContentKeys, sha256, toContentTag, type KeyedImage, type KeyMaterial } from '../content-key';
import { listContextFiles } from '../context/list-sent-files';
import { formatImageRef } from '../dockerfile/image-ref';
import type { ParsedDockerfile } from '../dockerfile/parse-dockerfile';
import type { ParsedDockerfiles } from '../dockerfile/parsed-dockerfiles';
import { buildImageIndex, resolveImageRefs, type ResolvedRefs, type WorkspacePin } from '../image-graph';
import { normalizeBuildOptions, parseBuildOptions, type NormalizedBuildOptions } from '../options/normalize-build-options';
import { resolveDefaultAttestations, resolveDefaultPlatforms, type PluginOptions } from '../options/plugin-options';
import type { FileHashes } from './file-hashes';
import type { WorkspaceCaches } from './workspace-caches';
import type { ImageProjectConfig } from './image-projects';

/**
 * The plugin's one model of the workspace's images. `describeImages` reads options and Dockerfiles (cheap:
 * graph edges and inference need no more); `describeWorkspace` adds what needs every sent file: content
 * keys, content-tag references and the exact base each pin names. The executor, the presence probe and
 * inference all read it from here, so options are normalised once and the content tag has one formula.
 */

export interface ImageDescription {
  options: NormalizedBuildOptions;
  parsed: ParsedDockerfile;
  dockerfileHash: string;
  resolved: ResolvedRefs;
}

/** A workspace pin bound to the content tag of its base's current build. */
export interface PinnedBase extends WorkspacePin {
  imageRef: string;
  /** The platforms that build holds (empty: the engine platform only). */
  platforms: string[];
}

export interface ImageModel extends ImageDescription {
  contentKey: string;
  /** `<imageName>:nx-<key>`: the tag the presence probe looks up and dependents pin. */
  contentTagRef: string;
  pins: PinnedBase[];
}

export interface WorkspaceImages<T> {
  images: Map<string, T>;
  /** Per project: why it cannot be described or keyed (invalid options, missing Dockerfile, cycle...). */
  errors: Map<string, string>;
}

export function describeImages(
  workspaceRoot: string,
  configs: readonly ImageProjectConfig[],
  plugin: PluginOptions,
  env: Readonly<Record<string, string | undefined>>,
  dockerfiles: ParsedDockerfiles,
): WorkspaceImages<ImageDescription> {
  const errors = new Map<string, string>();
  const normalized: NormalizedBuildOptions[] = [];
  const defaultPlatforms = resolveDefaultPlatforms(plugin, env);
  const defaultAttestations = resolveDefaultAttestations(plugin, env);
  for (const config of configs) {
    try {
      const parsed = parseBuildOptions(config.options, config.project);
      normalized.push(normalizeBuildOptions(parsed, { ...config, imageNamePrefix: plugin.imageNamePrefix, defaultPlatforms, defaultAttestations }, env));
    } catch (error) {
      errors.set(config.project, (error as Error).message);
    }
  }
  const index = buildImageIndex(normalized);
  const images = new Map<string, ImageDescription>();
  for (const options of normalized) {
    const dockerfilePath = join(workspaceRoot, options.dockerfile);
    if (!existsSync(dockerfilePath)) {
      errors.set(options.project, `Dockerfile "${options.dockerfile}" of project "${options.project}" does not exist (option "dockerfile", resolved against the workspace root).`);
      continue;
    }
    const dockerfileText = readFileSync(dockerfilePath, 'utf8');
    const parsed = dockerfiles.parse(dockerfileText, options.buildArgs);
    const resolved = resolveImageRefs(parsed.imageRefs, options.buildContexts, index, plugin);
    images.set(options.project, { options, parsed, dockerfileHash: sha256(dockerfileText), resolved });
  }
  return { images, errors };
}

/** A context directory with the Dockerfile whose ignore file applies to it (named contexts: their own). */
interface SentContext {
  context: string;
  dockerfile: string;
}

/** Every context an image sends: its main context and each directory named context. */
export function sentContextsOf(options: NormalizedBuildOptions): { main: SentContext; named: [string, SentContext][] } {
  const named = Object.entries(options.buildContexts).flatMap(([name, value]) =>
    'path' in value ? [[name, { context: value.path, dockerfile: join(value.path, 'Dockerfile') }] as [string, SentContext]] : [],
  );
  return { main: { context: options.context, dockerfile: options.dockerfile }, named };
}

/** The files Docker sends from one context, relative to the workspace root (what the Nx inputs list). */
export function listSentPaths(workspaceRoot: string, sent: SentContext): string[] {
  const contextFiles = listContextFiles(join(workspaceRoot, sent.context), join(workspaceRoot, sent.dockerfile));
  return contextFiles.map((file) => (sent.context === '.' ? file : `${sent.context}/${file}`));
}

function readKeyMaterial(workspaceRoot: string, image: ImageDescription, hashes: FileHashes): KeyMaterial {
  const { options } = image;
  const hashTree = ({ context, dockerfile }: SentContext): [string, string][] =>
    listContextFiles(join(workspaceRoot, context), join(workspaceRoot, dockerfile)).map((file) => [file, hashes.hash(join(workspaceRoot, context, file))]);
  const { main, named } = sentContextsOf(options);
  const namedContexts: KeyMaterial['namedContexts'] = Object.fromEntries(named.map(([name, sent]) => [name, hashTree(sent)]));
  for (const [name, value] of Object.entries(options.buildContexts)) {
    if ('image' in value) namedContexts[name] = value.image;
  }
  return {
    dockerfileHash: image.dockerfileHash,
    files: hashTree(main),
    buildArgs: options.buildArgs,
    target: options.target,
    platforms: options.platforms,
    ...(options.provenance || options.sbom ? { attestations: { provenance: options.provenance ?? null, sbom: options.sbom ?? null } } : {}),
    labels: options.labels,
    namedContexts,
  };
}

/** Describe every image project with its content key, content tag and pinned bases (hashes every sent file). */
export function describeWorkspace(
  workspaceRoot: string,
  configs: readonly ImageProjectConfig[],
  plugin: PluginOptions,
  env: Readonly<Record<string, string | undefined>>,
  caches: WorkspaceCaches,
): WorkspaceImages<ImageModel> {
  const { images: described, errors } = describeImages(workspaceRoot, configs, plugin, env, caches.dockerfiles);
  const hashes = caches.fileHashes;
  const keyed = new Map<string, KeyedImage>();
  for (const [project, image] of described) {
    // Checked here, not in describeImages: a context that a dependsOn task generates (dist/debian-root) is absent
    // in a fresh clone while the graph is built, and the project's base edges must not wait for it.
    if (!existsSync(join(workspaceRoot, image.options.context))) {
      errors.set(
        project,
        `build context "${image.options.context}" does not exist (option "context", resolved against the workspace root; if a task generates it, list that task in the target's dependsOn).`,
      );
      continue;
    }
    try {
      keyed.set(project, { material: readKeyMaterial(workspaceRoot, image, hashes), pins: image.resolved.pins });
    } catch (error) {
      // Typically a generated named context (e.g. dist/pose-models) that the task's dependencies have not
      // produced yet: the project gets no key now (so no cache hit), and dependents report it by name.
      errors.set(project, `cannot read the build context of "${project}": ${(error as Error).message}`);
    }
  }
  const { keys, errors: keyErrors } = computeContentKeys(keyed);
  for (const [project, message] of keyErrors) errors.set(project, message);
  const contentTagRefOf = (project: string) => {
    const key = keys.get(project);
    const image = described.get(project);
    return key && image ? formatImageRef(image.options.imageName, toContentTag(key)) : undefined;
  };
  const images = new Map<string, ImageModel>();
  for (const [project, image] of described) {
    const contentKey = keys.get(project);
    const contentTagRef = contentTagRefOf(project);
    if (!contentKey || !contentTagRef) continue;
    const pins: PinnedBase[] = [];
    for (const pin of image.resolved.pins) {
      const imageRef = contentTagRefOf(pin.project);
      if (!imageRef) {
        errors.set(project, `base "${pin.project}": ${errors.get(pin.project) ?? 'it has no docker-build target'}`);
        break;
      }
      pins.push({ ...pin, imageRef, platforms: described.get(pin.project)?.options.platforms ?? [] });
    }
    if (!errors.has(project)) images.set(project, { ...image, contentKey, contentTagRef, pins });
  }
  return { images, errors };
}
