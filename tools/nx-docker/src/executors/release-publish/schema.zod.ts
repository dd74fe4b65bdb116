import { z } from 'zod';
import { toExecutorJsonSchema } from '../../core/options/executor-json-schema';

/**
 * The one source of the release-publish options. `nx release publish` passes its own overrides (the version
 * data of this run, `firstRelease`, npm-style `registry`/`tag`...), so unknown keys are accepted and ignored.
 */
export const releasePublishOptionsSchema = z
  .object({
    dryRun: z.boolean().optional().describe('Say what would be pushed and push nothing (nx release publish --dry-run sets it).'),
    nxReleaseVersionData: z
      .record(z.string(), z.object({ dockerVersion: z.string().nullable().optional().describe('The docker version nx release resolved (null: none this run).') }))
      .optional()
      .describe('Set by nx release: per project, the versions this run resolved. Do not set it by hand.'),
  })
  .describe('Options of @posestack/nx-docker:release-publish. Run it through nx release publish, not nx run.');

export type ReleasePublishOptions = z.input<typeof releasePublishOptionsSchema>;

export function toReleasePublishJsonSchema(): Record<string, unknown> {
  return toExecutorJsonSchema(releasePublishOptionsSchema, 'release-publish executor');
}
