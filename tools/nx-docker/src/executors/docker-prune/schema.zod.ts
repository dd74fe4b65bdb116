import { z } from 'zod';

/** The one source of the docker-prune options: the executor's type, its validation and schema.json. */
export const dockerPruneOptionsSchema = z
  .strictObject({
    keepNewest: z
      .number()
      .int()
      .min(0)
      .default(3)
      .describe('Content tags (nx-<key>) kept per image beyond those a dist/docker/*/image.json names, newest first.'),
    registry: z
      .string()
      .regex(/^(https?:\/\/)?[^/\s]+(\/[a-z0-9._/-]+)?$/, 'expected a registry host with an optional path, e.g. ghcr.io/acme/posestack-cache or http://127.0.0.1:5000/cache')
      .optional()
      .describe(
        'Also prune this cache registry (<host>[/<path>]; http:// only where the registry has no TLS). Its repositories are <registry>/<image>; manifests are deleted by digest, which the registry must allow.',
      ),
    dryRun: z.boolean().default(false).describe('Print what would be removed and remove nothing.'),
  })
  .describe('Options of @posestack/nx-docker:docker-prune.');

export type DockerPruneOptions = z.input<typeof dockerPruneOptionsSchema>;
export type ParsedDockerPruneOptions = z.output<typeof dockerPruneOptionsSchema>;

export function toExecutorJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(dockerPruneOptionsSchema, { io: 'input', target: 'draft-7' }),
    $schema: 'https://json-schema.org/schema',
    version: 2,
    title: 'docker-prune executor',
  };
}
