import type { NormalizedBuildOptions } from '../../../core/options/normalize-build-options';

/** A named context bound to an exact image, e.g. `posestack/base-node` -> `posestack/base-node:nx-0123...`. */
export interface PinnedContext {
  contextName: string;
  imageRef: string;
}

/** What the argv needs beyond the options: decided by planBuild. */
export interface ArgvInput {
  /** Full reference of the content tag, e.g. `posestack/app:nx-0123456789abcdef`. */
  contentTagRef: string;
  contentKey: string;
  pins: PinnedContext[];
  /** File passed as `--secret id=ca` (the host's CA bundle), if any. */
  caFile?: string;
  metadataFile: string;
  /** BuildKit layer cache in the cache registry: `--cache-from` / `--cache-to` values. */
  layerCache?: { from: string; to: string };
}

export const contentKeyLabel = 'dev.posestack.nx-docker.content-key';

/** Env variables that may name the host's CA bundle, in the order they are tried. */
export const caBundleEnvNames = ['SSL_CERT_FILE', 'NODE_EXTRA_CA_CERTS', 'REQUESTS_CA_BUNDLE', 'PIP_CERT', 'CURL_CA_BUNDLE'] as const;

export function findCaBundle(
  options: Pick<NormalizedBuildOptions, 'caSecret' | 'secrets'>,
  env: Readonly<Record<string, string | undefined>>,
  isFile: (path: string) => boolean,
): string | undefined {
  if (options.caSecret === 'off' || options.secrets.some((secret) => secret.id === 'ca')) return undefined;
  return caBundleEnvNames.map((name) => env[name]).find((path): path is string => !!path && isFile(path));
}

/** `docker buildx build` arguments; paths are workspace-relative because the build runs from the workspace root. */
export function buildBuildxArgv(options: NormalizedBuildOptions, plan: ArgvInput): string[] {
  const argv = ['buildx', 'build', '--file', options.dockerfile, '--progress', options.progress, '--metadata-file', plan.metadataFile];
  for (const tag of [...options.tags, plan.contentTagRef]) argv.push('--tag', tag);
  for (const [name, value] of Object.entries(options.buildArgs)) argv.push('--build-arg', `${name}=${value}`);
  if (options.target) argv.push('--target', options.target);
  if (options.platforms.length > 0) argv.push('--platform', options.platforms.join(','));
  for (const [name, value] of Object.entries(options.buildContexts)) {
    if ('path' in value) argv.push('--build-context', `${name}=${value.path}`);
    else if ('image' in value) argv.push('--build-context', `${name}=docker-image://${value.image}`);
  }
  for (const pin of plan.pins) argv.push('--build-context', `${pin.contextName}=docker-image://${pin.imageRef}`);
  for (const secret of options.secrets) {
    argv.push('--secret', 'src' in secret ? `id=${secret.id},src=${secret.src}` : `id=${secret.id},env=${secret.env}`);
  }
  if (plan.caFile) argv.push('--secret', `id=ca,src=${plan.caFile}`);
  for (const ssh of options.ssh) argv.push('--ssh', ssh);
  if (options.provenance) argv.push(`--provenance=${options.provenance === 'off' ? 'false' : `mode=${options.provenance}`}`);
  if (options.sbom) argv.push(`--sbom=${options.sbom === true ? 'true' : `generator=${options.sbom.generator}`}`);
  for (const [name, value] of Object.entries({ ...options.labels, [contentKeyLabel]: plan.contentKey })) {
    argv.push('--label', `${name}=${value}`);
  }
  for (const cache of options.cacheFrom) argv.push('--cache-from', cache);
  for (const cache of options.cacheTo) argv.push('--cache-to', cache);
  if (plan.layerCache) argv.push('--cache-from', plan.layerCache.from, '--cache-to', plan.layerCache.to);
  if (options.pull) argv.push('--pull');
  if (options.noCache) argv.push('--no-cache');
  if (options.load) argv.push('--load');
  if (options.push) argv.push('--push');
  if (options.builder) argv.push('--builder', options.builder);
  argv.push(options.context);
  return argv;
}
