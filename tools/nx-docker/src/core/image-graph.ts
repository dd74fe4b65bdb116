import { parseImageRef } from './dockerfile/image-ref';
import type { ImageRefUse } from './dockerfile/parse-dockerfile';
import type { PluginOptions } from './options/plugin-options';

/** A named context that pins a reference in the Dockerfile to another workspace image project's build. */
export interface WorkspacePin {
  /** The `--build-context` name: the reference as written, or the user's named context. */
  contextName: string;
  project: string;
  source: 'workspace' | 'airgap' | 'named-context';
}

export interface ResolvedRefs {
  pins: WorkspacePin[];
  /** References BuildKit resolves by itself (upstream mode only). */
  upstream: string[];
  /** Why the build must not start (airgap mode: an upstream image without a stand-in). */
  problems: string[];
}

/** Repository (or repository:tag) -> project that produces it. */
export type ImageIndex = ReadonlyMap<string, string>;

export function buildImageIndex(images: readonly { project: string; imageName: string }[]): ImageIndex {
  return new Map(images.map(({ project, imageName }) => [parseImageRef(imageName).repository, project]));
}

function findStandIn(ref: string, airgapImages: PluginOptions['airgapImages']): string | undefined {
  const { repository, tag } = parseImageRef(ref);
  const byKey = new Map(Object.entries(airgapImages).map(([key, project]) => [parseKey(key), project]));
  return byKey.get(tag ? `${repository}:${tag}` : `${repository}:latest`) ?? byKey.get(repository);
}

function parseKey(key: string): string {
  const { repository, tag } = parseImageRef(key);
  return tag ? `${repository}:${tag}` : repository;
}

/**
 * Map every image a Dockerfile reads to a workspace project (edge + pinned named context) or leave it
 * to BuildKit. Named contexts the user declared win over everything: BuildKit resolves them first too.
 */
export function resolveImageRefs(
  refs: readonly ImageRefUse[],
  namedContexts: Readonly<Record<string, { project: string } | { path: string } | { image: string }>>,
  index: ImageIndex,
  plugin: Pick<PluginOptions, 'imageSource' | 'airgapImages'>,
): ResolvedRefs {
  const pins = new Map<string, WorkspacePin>();
  const upstream = new Set<string>();
  const problems: string[] = [];
  for (const [contextName, value] of Object.entries(namedContexts)) {
    if ('project' in value) pins.set(contextName, { contextName, project: value.project, source: 'named-context' });
  }
  for (const use of refs) {
    if (use.ref in namedContexts) continue;
    const workspaceProject = index.get(parseImageRef(use.ref).repository);
    if (workspaceProject) {
      pins.set(use.ref, { contextName: use.ref, project: workspaceProject, source: 'workspace' });
      continue;
    }
    if (plugin.imageSource === 'upstream') {
      upstream.add(use.ref);
      continue;
    }
    const standIn = findStandIn(use.ref, plugin.airgapImages);
    if (standIn) {
      pins.set(use.ref, { contextName: use.ref, project: standIn, source: 'airgap' });
    } else {
      problems.push(
        `line ${use.line}: "${use.ref}" is an upstream image and imageSource is "airgap", but nx.json's airgapImages has no stand-in for "${parseImageRef(use.ref).repository}". Add one (e.g. "${parseImageRef(use.ref).repository}": "<workspace project>") or use a workspace image.`,
      );
    }
  }
  return { pins: [...pins.values()], upstream: [...upstream], problems };
}
