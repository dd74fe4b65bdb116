import { z } from 'zod';

/** The one source of the image-project generator's options; schema.json is generated from it (schema.spec.ts). */
export const imageProjectSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a kebab-case project name like base-python')
      .describe('Project name; the image becomes <imageNamePrefix>/<name>.'),
    directory: z.string().min(1).optional().describe('Project root, relative to the workspace root. Defaults to docker/<name>.'),
    baseImage: z
      .string()
      .min(1)
      .default('scratch')
      .describe('Image of the FROM line: a workspace image project name (e.g. base-node), an image reference, or scratch.'),
  })
  .describe('Options of @posestack/nx-docker:image-project.');

export type ImageProjectOptions = z.input<typeof imageProjectSchema>;

export function toGeneratorJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(imageProjectSchema, { io: 'input', target: 'draft-7' }) as { properties: Record<string, object> };
  // Nx CLI extensions zod has no words for: `nx g image-project my-image` and a prompt when the name is missing.
  generated.properties.name = { ...generated.properties.name, $default: { $source: 'argv', index: 0 }, 'x-prompt': 'Name of the image project?' };
  return {
    ...generated,
    $schema: 'https://json-schema.org/schema',
    $id: 'ImageProject',
    title: 'Docker image project',
  };
}
