import { existsSync, lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import {
  normalizeBuildOptions,
  parseBuildOptions,
  type NormalizedBuildOptions,
} from '../executors/docker-build/lib/normalize-options';
import { computeContentKeys, sha256, type KeyedImage, type KeyMaterial } from './content-key';
import { listContextFiles } from './context/list-sent-files';
import { parseDockerfile, type ParsedDockerfile } from './dockerfile/parse-dockerfile';
import { buildImageIndex, resolveImageRefs, type ResolvedRefs } from './image-graph';
import type { PluginOptions } from './plugin-options';

/**
 * The disk-reading half of the model: Dockerfiles, context file lists and file hashes. Everything it
 * derives (edges, keys, argv) is computed by the pure modules it calls.
 */

export interface ImageProjectConfig {
  project: string;
  root: string;
  /** The docker-build target's options as configured (inferred defaults merged with project.json). */
  options: unknown;
}

export interface DescribedImage {
  options: NormalizedBuildOptions;
  parsed: ParsedDockerfile;
  dockerfileText: string;
  resolved: ResolvedRefs;
}

export interface WorkspaceImages {
  images: Map<string, DescribedImage>;
  keys: Map<string, string>;
  /** Per project: why it cannot be described or keyed (invalid options, missing Dockerfile, cycle...). */
  errors: Map<string, string>;
}

// File hashes by path, reused while size and mtime are unchanged (the daemon and one nx process hash
// the same contexts several times: graph, presence probe, executor).
const fileHashes = new Map<string, { size: number; mtimeMs: number; hash: string }>();

export function hashFile(path: string): string {
  const stat = lstatSync(path);
  const cached = fileHashes.get(path);
  if (cached && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) return cached.hash;
  // Docker sends symlinks as links, so their target string is their content.
  const hash = stat.isSymbolicLink() ? sha256(`symlink:${readlinkSync(path)}`) : sha256(readFileSync(path));
  fileHashes.set(path, { size: stat.size, mtimeMs: stat.mtimeMs, hash });
  return hash;
}

function hashTree(workspaceRoot: string, dir: string, dockerfile: string): [string, string][] {
  const absolute = join(workspaceRoot, dir);
  return listContextFiles(absolute, join(workspaceRoot, dockerfile)).map((file) => [file, hashFile(join(absolute, file))]);
}

export function describeImages(
  workspaceRoot: string,
  configs: readonly ImageProjectConfig[],
  plugin: PluginOptions,
  env: Readonly<Record<string, string | undefined>>,
): { images: Map<string, DescribedImage>; errors: Map<string, string> } {
  const errors = new Map<string, string>();
  const normalized: NormalizedBuildOptions[] = [];
  for (const config of configs) {
    try {
      const parsed = parseBuildOptions(config.options, config.project);
      normalized.push(normalizeBuildOptions(parsed, { ...config, imageNamePrefix: plugin.imageNamePrefix }, env));
    } catch (error) {
      errors.set(config.project, (error as Error).message);
    }
  }
  const index = buildImageIndex(normalized);
  const images = new Map<string, DescribedImage>();
  for (const options of normalized) {
    const dockerfilePath = join(workspaceRoot, options.dockerfile);
    if (!existsSync(dockerfilePath)) {
      errors.set(options.project, `Dockerfile "${options.dockerfile}" does not exist (option "dockerfile", resolved against the workspace root).`);
      continue;
    }
    if (!existsSync(join(workspaceRoot, options.context))) {
      errors.set(options.project, `build context "${options.context}" does not exist (option "context", resolved against the workspace root).`);
      continue;
    }
    const dockerfileText = readFileSync(dockerfilePath, 'utf8');
    const parsed = parseDockerfile(dockerfileText, options.buildArgs);
    const resolved = resolveImageRefs(parsed.imageRefs, options.buildContexts, index, plugin);
    images.set(options.project, { options, parsed, dockerfileText, resolved });
  }
  return { images, errors };
}

/** The files Docker sends for an image, relative to the workspace root (what the Nx inputs list). */
export function listSentFiles(workspaceRoot: string, options: NormalizedBuildOptions): string[] {
  const contextFiles = listContextFiles(join(workspaceRoot, options.context), join(workspaceRoot, options.dockerfile));
  return contextFiles.map((file) => (options.context === '.' ? file : `${options.context}/${file}`));
}

function readKeyMaterial(workspaceRoot: string, image: DescribedImage): KeyMaterial {
  const { options } = image;
  const namedContexts: KeyMaterial['namedContexts'] = {};
  for (const [name, value] of Object.entries(options.buildContexts)) {
    if ('path' in value) namedContexts[name] = hashTree(workspaceRoot, value.path, join(value.path, 'Dockerfile'));
    else if ('image' in value) namedContexts[name] = value.image;
  }
  return {
    dockerfileHash: sha256(image.dockerfileText),
    files: hashTree(workspaceRoot, options.context, options.dockerfile),
    buildArgs: options.buildArgs,
    target: options.target,
    platforms: options.platforms,
    labels: options.labels,
    namedContexts,
  };
}

/** Describe every image project and compute the content keys (reads every sent file, with a stat cache). */
export function loadWorkspaceImages(
  workspaceRoot: string,
  configs: readonly ImageProjectConfig[],
  plugin: PluginOptions,
  env: Readonly<Record<string, string | undefined>>,
): WorkspaceImages {
  const { images, errors } = describeImages(workspaceRoot, configs, plugin, env);
  const keyed = new Map<string, KeyedImage>();
  for (const [project, image] of images) {
    try {
      keyed.set(project, { material: readKeyMaterial(workspaceRoot, image), pins: image.resolved.pins });
    } catch (error) {
      // Typically a generated named context (e.g. dist/pose-models) that the task's dependencies have not
      // produced yet: the project gets no key now (so no cache hit), and dependents report it by name.
      errors.set(project, `cannot read the build context of "${project}": ${(error as Error).message}`);
    }
  }
  const { keys, errors: keyErrors } = computeContentKeys(keyed);
  for (const [project, message] of keyErrors) errors.set(project, message);
  return { images, keys, errors };
}
