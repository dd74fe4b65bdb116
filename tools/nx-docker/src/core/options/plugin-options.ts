import { z } from 'zod';

/** Options of the plugin entry in nx.json ("plugins": [{"plugin": "./tools/nx-docker", "options": {...}}]). */
export const pluginOptionsSchema = z.strictObject({
  targetName: z.string().min(1).default('docker-build').describe('Name of the inferred target.'),
  imageNamePrefix: z.string().min(1).default('posestack').describe('Images are named <prefix>/<projectName> unless imageName is set.'),
  imageSource: z
    .enum(['upstream', 'airgap'])
    .default('upstream')
    .describe('upstream: FROM of a registry image is left to BuildKit. airgap: it must map to a workspace stand-in project.'),
  airgapImages: z
    .record(z.string().min(1), z.string().min(1))
    .default({})
    .describe('Upstream repository (optionally with :tag) -> workspace project whose image stands in for it in airgap mode.'),
});

export type PluginOptions = z.output<typeof pluginOptionsSchema>;

export function parsePluginOptions(raw: unknown): PluginOptions {
  const result = pluginOptionsSchema.safeParse(raw ?? {});
  if (!result.success) {
    throw new Error(`Invalid options for the @posestack/nx-docker plugin in nx.json:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/** The plugin's own entry in nx.json, so the executor sees the same options as inference. */
export function findPluginOptions(plugins: readonly (string | { plugin: string; options?: unknown })[] | undefined): PluginOptions {
  const entry = (plugins ?? []).find((plugin) => {
    const name = typeof plugin === 'string' ? plugin : plugin.plugin;
    return /(^|\/)nx-docker(\/|$)/.test(name.replace(/\/(src\/)?(index|plugin)(\.[jt]s)?$/, ''));
  });
  return parsePluginOptions(typeof entry === 'object' ? entry.options : undefined);
}
