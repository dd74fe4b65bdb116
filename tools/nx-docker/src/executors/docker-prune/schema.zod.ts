import { z } from 'zod';
import { toExecutorJsonSchema } from '../../core/options/executor-json-schema';
import { pluginOptionsSchema } from '../../core/options/plugin-options';

/** The one source of the docker-prune options: the executor's type, its validation and schema.json. */
export const dockerPruneOptionsSchema = z
  .strictObject({
    keepNewest: z
      .number()
      .int()
      .min(0)
      .default(3)
      .describe('Content tags (nx-<key>) kept per image beyond those a dist/docker/*/image.json names, newest first.'),
    registry: pluginOptionsSchema.shape.cacheRegistry.describe(
      'Also prune this cache registry (host[:port][/path]; http:// only where it has no TLS). Its repositories are <registry>/<image>; manifests are deleted by digest, which the registry must allow.',
    ),
    inCacheRegistry: z
      .boolean()
      .default(false)
      .describe('Also prune the cache registry in force: NX_DOCKER_CACHE_REGISTRY, else the plugin option cacheRegistry in nx.json.'),
    dryRun: z.boolean().default(false).describe('Print what would be removed and remove nothing.'),
  })
  .describe('Options of @posestack/nx-docker:docker-prune.');

export type DockerPruneOptions = z.input<typeof dockerPruneOptionsSchema>;
export type ParsedDockerPruneOptions = z.output<typeof dockerPruneOptionsSchema>;

export function toDockerPruneJsonSchema(): Record<string, unknown> {
  return toExecutorJsonSchema(dockerPruneOptionsSchema, 'docker-prune executor');
}
