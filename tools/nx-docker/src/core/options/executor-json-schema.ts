import { z } from 'zod';

/** An executor's schema.json from its zod schema (form rendering in Nx Console, defaults, additionalProperties). */
export function toExecutorJsonSchema(schema: z.ZodType, title: string): Record<string, unknown> {
  return {
    ...z.toJSONSchema(schema, { io: 'input', target: 'draft-7' }),
    // Nx's own schema dialect marker replaces zod's draft-07 URI.
    $schema: 'https://json-schema.org/schema',
    version: 2,
    title,
  };
}
