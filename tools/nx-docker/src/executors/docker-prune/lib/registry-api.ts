import { NxDockerError } from '../../../core/errors';
import { isContentTag, type StoredTag } from '../../../core/prune/plan-prune';
import { toCacheRepository, type RegistryLocation } from '../../../core/registry/registry-location';

/**
 * The distribution (OCI) registry API calls of docker-prune: list tags, read a tag's digest and creation time,
 * delete a manifest by digest. Works with any registry that allows anonymous access or deletion;
 * registries behind token auth (GHCR, ECR) are not covered yet.
 */

const manifestTypes = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** The registry could not be read or refused a deletion; the message names the request and the answer. */
export class RegistryError extends NxDockerError {
  override name = 'RegistryError';
}

/** The repository's name in the registry API: its cache repository without the host. */
const apiName = (location: RegistryLocation, image: string) => toCacheRepository(location, image).split('/').slice(1).join('/');

interface Manifest {
  mediaType?: string;
  config?: { digest: string };
  manifests?: { digest: string; platform?: { os?: string; architecture?: string } }[];
}

async function call(url: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new RegistryError(`the registry did not answer ${init.method ?? 'GET'} ${url}: ${(error as Error).message}`, { cause: error });
  }
}

async function readJson<T>(url: string, init: RequestInit = {}): Promise<{ body: T; response: Response }> {
  const response = await call(url, init);
  if (!response.ok) throw new RegistryError(`${init.method ?? 'GET'} ${url} answered HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return { body: (await response.json()) as T, response };
}

/** The content tags of `<path>/<repository>` with digest and creation time (an image index: its first image's). */
export async function listRegistryContentTags(location: RegistryLocation, image: string): Promise<StoredTag[]> {
  const name = apiName(location, image);
  const listing = await call(`${location.baseUrl}/v2/${name}/tags/list?n=10000`);
  // A repository the workspace never pushed to.
  if (listing.status === 404) return [];
  if (!listing.ok) throw new RegistryError(`GET ${location.baseUrl}/v2/${name}/tags/list answered HTTP ${listing.status}`);
  const tags = ((await listing.json()) as { tags?: string[] | null }).tags ?? [];
  const result: StoredTag[] = [];
  for (const tag of tags.filter(isContentTag)) {
    const { body, response } = await readJson<Manifest>(`${location.baseUrl}/v2/${name}/manifests/${tag}`, { headers: { accept: manifestTypes } });
    const digest = response.headers.get('docker-content-digest');
    if (!digest) throw new RegistryError(`the registry gave no Docker-Content-Digest for ${name}:${tag}`);
    let manifest = body;
    if (manifest.manifests) {
      // Attestation manifests carry platform unknown/unknown; the image is the first real platform.
      const image = manifest.manifests.find((entry) => entry.platform?.os !== 'unknown') ?? manifest.manifests[0];
      manifest = (await readJson<Manifest>(`${location.baseUrl}/v2/${name}/manifests/${image.digest}`, { headers: { accept: manifestTypes } })).body;
    }
    if (!manifest.config) throw new RegistryError(`${name}:${tag} is not an image manifest (no config)`);
    const config = (await readJson<{ created?: string }>(`${location.baseUrl}/v2/${name}/blobs/${manifest.config.digest}`)).body;
    result.push({ repository: toCacheRepository(location, image), tag, id: digest, createdAt: Date.parse(config.created ?? '') });
  }
  return result;
}

/** Deletes the manifest `digest` of `<registry>/<image>` (every tag on it goes with it). */
export async function deleteRegistryManifest(location: RegistryLocation, image: string, digest: string): Promise<void> {
  const name = apiName(location, image);
  const response = await call(`${location.baseUrl}/v2/${name}/manifests/${digest}`, { method: 'DELETE' });
  if (response.status === 405) {
    throw new RegistryError(`the registry refuses deletion (HTTP 405): enable it (distribution: storage.delete.enabled: true; tools/scripts/start-registry.sh does)`);
  }
  if (!response.ok && response.status !== 404) throw new RegistryError(`DELETE ${name}@${digest} answered HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
}
