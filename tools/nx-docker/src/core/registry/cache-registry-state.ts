import { resolveCacheRegistry, type PluginOptions } from '../options/plugin-options';
import { probeRegistry } from './probe-registry';
import type { RegistryLocation } from './registry-location';

/**
 * The presence probe asks the cache registry once per nx command and passes the answer to every
 * docker-build task in this env variable, so a registry that is down costs one warning per run, not one per
 * task, and tasks do not wait for it again.
 */
export const cacheRegistryStateEnvName = 'NX_DOCKER_CACHE_REGISTRY_STATE';

export function toCacheRegistryState(location: RegistryLocation, isReachable: boolean): string {
  return `${isReachable ? 'reachable' : 'unreachable'} ${location.refPrefix}`;
}

/** The cache registry in force if it is reachable (as the presence probe found it, else asked now). */
export async function reachableCacheRegistry(plugin: PluginOptions, env: Readonly<Record<string, string | undefined>>): Promise<RegistryLocation | undefined> {
  const location = resolveCacheRegistry(plugin, env);
  if (!location) return undefined;
  const published = env[cacheRegistryStateEnvName];
  if (published === toCacheRegistryState(location, true)) return location;
  if (published === toCacheRegistryState(location, false)) return undefined;
  return (await probeRegistry(location)).isReachable ? location : undefined;
}
