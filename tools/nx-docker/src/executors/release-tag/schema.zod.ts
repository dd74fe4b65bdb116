import { z } from 'zod';
import { toExecutorJsonSchema } from '../../core/options/executor-json-schema';

/** The one source of the release-tag options: the executor's type, its validation and schema.json. */
export const releaseTagOptionsSchema = z
  .strictObject({})
  .describe('Options of @posestack/nx-docker:release-tag (none: the image, its content tag and the name to point come from the project).');

export type ReleaseTagOptions = z.input<typeof releaseTagOptionsSchema>;

export function toReleaseTagJsonSchema(): Record<string, unknown> {
  return toExecutorJsonSchema(releaseTagOptionsSchema, 'release-tag executor');
}
