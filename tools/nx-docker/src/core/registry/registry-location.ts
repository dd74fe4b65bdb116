/**
 * Where a cache registry lives, from the `cacheRegistry` option: `host[:port][/path]`, optionally with
 * `http://` (plain HTTP, e.g. a registry on loopback) or `https://`. Docker references drop the scheme.
 */
export interface RegistryLocation {
  /** e.g. https://ghcr.io or http://127.0.0.1:5000 */
  readonly baseUrl: string;
  /** The repository prefix as Docker names it, e.g. `ghcr.io/acme/cache` */
  readonly refPrefix: string;
  /** The path part of it, e.g. `acme/cache` ('' for the registry's root) */
  readonly path: string;
  /** Plain HTTP: the docker CLI needs `--insecure` for manifest calls, BuildKit `registry.insecure=true`. */
  readonly isInsecure: boolean;
}

/** Without a scheme: https, as Docker tries first. */
export function parseRegistryLocation(registry: string): RegistryLocation {
  const match = /^(https?):\/\/(.*)$/.exec(registry);
  const scheme = match?.[1] ?? 'https';
  const rest = (match?.[2] ?? registry).replace(/\/+$/, '');
  const slash = rest.indexOf('/');
  const host = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '' : rest.slice(slash + 1);
  return { baseUrl: `${scheme}://${host}`, refPrefix: rest, path, isInsecure: scheme === 'http' };
}

/** Where the cache registry keeps a workspace image: `<registry>/<image>` (the image's own host, if any, dropped). */
export function toCacheRepository(location: RegistryLocation, imageName: string): string {
  const [first, ...rest] = imageName.split('/');
  const isHost = rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  return `${location.refPrefix}/${isHost ? rest.join('/') : imageName}`;
}

/** The tag BuildKit's layer cache of an image lives under, beside its content tags. */
export const layerCacheTag = 'buildcache';
