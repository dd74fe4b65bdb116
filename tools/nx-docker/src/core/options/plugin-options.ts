import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { OptionsError } from '../errors';
import { parseRegistryLocation, type RegistryLocation } from '../registry/registry-location';
import { platformSchema, provenanceSchema, sbomSchema } from './build-options.schema';
import type { DefaultAttestations } from './normalize-build-options';

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
  cacheRegistry: z
    .string()
    .regex(/^(https?:\/\/)?[A-Za-z0-9.-]+(:\d+)?(\/[a-z0-9._/-]+)?$/, 'expected host[:port][/path], optionally with http:// or https://, e.g. ghcr.io/acme/posestack-cache')
    .optional()
    .describe(
      'Registry repository prefix that shares content-tagged images (and BuildKit layer caches) across machines: a content tag missing locally is pulled from it instead of built, and every build is pushed. The env variable NX_DOCKER_CACHE_REGISTRY overrides it ("off" turns it off).',
    ),
  layerCache: z
    .boolean()
    .default(true)
    .describe('With cacheRegistry: export and import BuildKit layer caches there (needs a builder that can export caches, e.g. the docker driver on the containerd image store).'),
  platforms: z
    .array(platformSchema)
    .default([])
    .describe(
      'Target platforms of every image whose docker-build options set none, e.g. ["linux/amd64", "linux/arm64"] (needs the containerd image store, and QEMU for foreign ones). The env variable NX_DOCKER_PLATFORMS (comma-separated) overrides it. Empty: the engine platform.',
    ),
  provenance: provenanceSchema
    .optional()
    .describe(
      'Provenance attestation of every image whose docker-build options set none: min, max or off. The env variable NX_DOCKER_PROVENANCE overrides it ("": no default, buildx decides). Secrets are recorded by id only.',
    ),
  sbom: sbomSchema
    .optional()
    .describe(
      'SBOM attestation of every image whose docker-build options set none (an image opts out with "sbom": false): true for BuildKit\'s default scanner, or {"generator": "<scanner image>"}; never applied to that generator\'s own image. The env variable NX_DOCKER_SBOM overrides it: "true", a scanner image, or "off" (or "") for none.',
    ),
});

export type PluginOptions = z.output<typeof pluginOptionsSchema>;

export function parsePluginOptions(raw: unknown): PluginOptions {
  const result = pluginOptionsSchema.safeParse(raw ?? {});
  if (!result.success) {
    throw new OptionsError(
      `Invalid options for the nx-docker plugin (${pluginPackage.name}) in nx.json, under its "plugins" entry's "options":\n${z.prettifyError(result.error)}`,
    );
  }
  return result.data;
}

/** The cache registry in force: NX_DOCKER_CACHE_REGISTRY (CI sets it per runner) over nx.json; "off" or "" turns it off. */
export function resolveCacheRegistry(plugin: PluginOptions, env: Readonly<Record<string, string | undefined>>): RegistryLocation | undefined {
  const fromEnv = env.NX_DOCKER_CACHE_REGISTRY;
  const value = fromEnv === undefined ? plugin.cacheRegistry : fromEnv;
  if (!value || value === 'off') return undefined;
  const checked = pluginOptionsSchema.shape.cacheRegistry.safeParse(value);
  if (!checked.success) {
    throw new OptionsError(`Invalid cache registry "${value}" (${fromEnv === undefined ? 'nx.json plugin option "cacheRegistry"' : 'env NX_DOCKER_CACHE_REGISTRY'}): ${checked.error.issues[0]?.message}`);
  }
  return parseRegistryLocation(value);
}

/** The platforms of images that set none: NX_DOCKER_PLATFORMS (comma-separated; "" for the engine's) over nx.json. */
export function resolveDefaultPlatforms(plugin: PluginOptions, env: Readonly<Record<string, string | undefined>>): string[] {
  const fromEnv = env.NX_DOCKER_PLATFORMS;
  if (fromEnv === undefined) return plugin.platforms;
  const platforms = fromEnv
    .split(',')
    .map((platform) => platform.trim())
    .filter((platform) => platform !== '');
  const invalid = platforms.filter((platform) => !platformSchema.safeParse(platform).success);
  if (invalid.length > 0) {
    throw new OptionsError(`Invalid env NX_DOCKER_PLATFORMS "${fromEnv}": ${invalid.join(', ')} is not os/arch[/variant]; expected e.g. linux/amd64,linux/arm64`);
  }
  return [...new Set(platforms)];
}

/**
 * The attestations of images that set none: NX_DOCKER_PROVENANCE and NX_DOCKER_SBOM over nx.json's "provenance"
 * and "sbom". An empty NX_DOCKER_PROVENANCE leaves provenance to buildx; NX_DOCKER_SBOM "off" or "" asks for no
 * SBOM, "true" for BuildKit's default scanner, anything else names the scanner image.
 */
export function resolveDefaultAttestations(plugin: PluginOptions, env: Readonly<Record<string, string | undefined>>): DefaultAttestations {
  const attestations: DefaultAttestations = {};
  const provenanceEnv = env.NX_DOCKER_PROVENANCE?.trim();
  if (provenanceEnv === undefined) {
    if (plugin.provenance) attestations.provenance = plugin.provenance;
  } else if (provenanceEnv !== '') {
    const checked = provenanceSchema.safeParse(provenanceEnv);
    if (!checked.success) throw new OptionsError(`Invalid env NX_DOCKER_PROVENANCE "${provenanceEnv}": expected min, max, off or "" (buildx decides)`);
    attestations.provenance = checked.data;
  }
  const sbomEnv = env.NX_DOCKER_SBOM?.trim();
  if (sbomEnv === undefined) {
    if (plugin.sbom) attestations.sbom = plugin.sbom;
  } else if (sbomEnv === 'true') {
    attestations.sbom = true;
  } else if (sbomEnv !== '' && sbomEnv !== 'off') {
    if (/\s|,|=/.test(sbomEnv)) {
      throw new OptionsError(`Invalid env NX_DOCKER_SBOM "${sbomEnv}": expected "true", a scanner image reference such as posestack/sbom-scanner, or "off"`);
    }
    attestations.sbom = { generator: sbomEnv };
  }
  return attestations;
}

/** This plugin's package folder (tools/nx-docker) and name, from the package.json two levels above core/. */
const pluginPackage = (() => {
  const root = resolve(__dirname, '..', '..', '..');
  return { root, name: (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string }).name };
})();

type PluginEntry = string | { plugin: string; options?: unknown };

/**
 * Whether an nx.json plugin entry loads this very plugin: a package specifier (`@posestack/nx-docker`,
 * or a file inside it) or a path that resolves into this package's folder. Exact, so another plugin whose
 * name merely looks alike is never taken for ours.
 */
export function isOwnPluginEntry(entry: PluginEntry, workspaceRoot: string): boolean {
  const specifier = typeof entry === 'string' ? entry : entry.plugin;
  if (specifier === pluginPackage.name || specifier.startsWith(`${pluginPackage.name}/`)) return true;
  if (!specifier.startsWith('.') && !isAbsolute(specifier)) return false;
  const fromPackage = relative(pluginPackage.root, resolve(workspaceRoot, specifier));
  return !fromPackage.startsWith('..') && !isAbsolute(fromPackage);
}

/** The options of this plugin's entry in nx.json, so the executor and generators see what inference saw. */
export function findOwnPluginOptions(plugins: readonly PluginEntry[] | undefined, workspaceRoot: string): PluginOptions {
  const entry = (plugins ?? []).find((candidate) => isOwnPluginEntry(candidate, workspaceRoot));
  return parsePluginOptions(typeof entry === 'object' ? entry.options : undefined);
}
