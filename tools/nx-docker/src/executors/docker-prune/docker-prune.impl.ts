import type { ExecutorContext } from '@nx/devkit';
import { z } from 'zod';
import { NxDockerError, OptionsError } from '../../core/errors';
import { findOwnPluginOptions, resolveCacheRegistry } from '../../core/options/plugin-options';
import { planPrune, type PrunePlan } from '../../core/prune/plan-prune';
import { parseRegistryLocation, toCacheRepository } from '../../core/registry/registry-location';
import { listLocalTags, tryUntagImage } from '../../core/docker/docker-cli';
import { readReferencedRefs } from './lib/read-referenced-refs';
import { deleteRegistryManifest, listRegistryContentTags } from './lib/registry-api';
import { dockerPruneOptionsSchema, type DockerPruneOptions } from './schema.zod';

/**
 * Checklist: validate options, read what this checkout's image.json files name, plan and untag the stale
 * content tags of the local store, then (when asked) plan and delete those of the cache registry.
 */
export default async function dockerPruneExecutor(rawOptions: DockerPruneOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const parsed = dockerPruneOptionsSchema.safeParse(rawOptions);
  if (!parsed.success) {
    console.error(`Invalid docker-prune options:\n${z.prettifyError(parsed.error)}`);
    return { success: false };
  }
  const options = parsed.data;
  const env = process.env;
  const verb = options.dryRun ? 'would remove' : 'removed';
  try {
    const plugin = findOwnPluginOptions(context.nxJsonConfiguration.plugins, context.root);
    const { imageNamePrefix } = plugin;
    const location = options.registry ? parseRegistryLocation(options.registry) : options.inCacheRegistry ? resolveCacheRegistry(plugin, env) : undefined;
    if (options.inCacheRegistry && !location) {
      throw new OptionsError('"inCacheRegistry" is set but no cache registry is in force: set NX_DOCKER_CACHE_REGISTRY or the plugin option cacheRegistry, or pass "registry"');
    }
    const referenced = readReferencedRefs(context.root);

    const local = await listLocalTags(env);
    const localPlan = planPrune({ scope: imageNamePrefix, keepNewest: options.keepNewest, referenced: referenced.refs, tags: local });
    let failures = 0;
    for (const entry of localPlan.remove) {
      const problem = options.dryRun ? undefined : await tryUntagImage(entry.ref, env);
      if (problem) {
        failures += 1;
        console.warn(`kept ${entry.ref}: ${problem}`);
      } else console.log(`${verb} ${entry.ref}`);
    }
    console.log(summary('local store', localPlan, failures, options.dryRun));

    if (location) {
      const images = new Set([...referenced.images, ...local.map((entry) => entry.repository)].filter((image) => image.startsWith(`${imageNamePrefix}/`)));
      const remote = [];
      for (const image of images) remote.push(...(await listRegistryContentTags(location, image)));
      const registryPlan = planPrune({
        scope: toCacheRepository(location, imageNamePrefix),
        keepNewest: options.keepNewest,
        referenced: new Set([...referenced.refs].map((ref) => toCacheRepository(location, ref))),
        tags: remote,
      });
      for (const entry of registryPlan.remove) {
        const image = entry.ref.slice(location.refPrefix.length + 1, entry.ref.lastIndexOf(':'));
        if (!options.dryRun) await deleteRegistryManifest(location, image, entry.id);
        console.log(`${verb} ${entry.ref} (${entry.id})`);
      }
      console.log(summary(`registry ${location.refPrefix}`, registryPlan, 0, options.dryRun));
    }
    return { success: failures === 0 };
  } catch (error) {
    // Expected failures print their message only: it already says what failed and what to do.
    if (!(error instanceof NxDockerError)) throw error;
    console.error(`docker-prune failed: ${error.message}`);
    return { success: false };
  }
}

function summary(where: string, plan: PrunePlan, failures: number, isDryRun: boolean): string {
  const removed = plan.remove.length - failures;
  return `${where}: ${isDryRun ? 'would remove' : 'removed'} ${removed} stale content tag(s), kept ${plan.keep.length + failures}`;
}
