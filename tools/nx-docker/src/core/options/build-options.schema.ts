import { z } from 'zod';

/**
 * The one source of the docker-build options (named schema.zod.ts because a `./schema` import would
 * resolve to schema.json under CommonJS resolution): the executor's type, its runtime validation and
 * schema.json (generated from this by `toExecutorJsonSchema`, checked by schema.spec.ts) all come from here.
 */

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name like NODE_VERSION');

const buildArgValue = z.union([
  z.string().describe('A literal value.'),
  z
    .strictObject({
      env: envName.describe('Environment variable that supplies the value; it becomes an input of the Nx hash.'),
      default: z.string().optional().describe('Value used when the variable is unset.'),
    })
    .describe('A value read from the environment at build time.'),
]);

const buildContext = z.union([
  z.strictObject({ project: z.string().min(1).describe('Workspace image project whose build (pinned by content tag) is the context.') }),
  z.strictObject({ path: z.string().min(1).describe('Directory, relative to the workspace root.') }),
  z.strictObject({ image: z.string().min(1).describe('Image reference, passed as docker-image://<image>.') }),
]);

const secret = z.union([
  z.strictObject({
    id: z.string().min(1).describe('Secret id used by RUN --mount=type=secret,id=<id>.'),
    src: z.string().min(1).describe('File holding the secret, relative to the workspace root.'),
  }),
  z.strictObject({
    id: z.string().min(1).describe('Secret id used by RUN --mount=type=secret,id=<id>.'),
    env: envName.describe('Environment variable holding the secret.'),
  }),
]);

export const dockerBuildOptionsSchema = z
  .strictObject({
    context: z
      .string()
      .min(1)
      .optional()
      .describe('Build context directory, relative to the workspace root. Defaults to the project root.'),
    dockerfile: z
      .string()
      .min(1)
      .optional()
      .describe('Dockerfile path, relative to the workspace root. Defaults to <projectRoot>/Dockerfile.'),
    imageName: z
      .string()
      .regex(/^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*$/, 'expected a lowercase repository name like posestack/backend-api')
      .optional()
      .describe('Image repository. Defaults to posestack/<projectName>.'),
    tags: z
      .array(z.string().min(1))
      .default(['latest'])
      .describe('Tags for the image: a bare tag (e.g. "1.2") is applied to imageName, a full reference is used as is. The content tag nx-<key> is always added.'),
    buildArgs: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), buildArgValue)
      .default({})
      .describe('Build arguments: literal strings or {"env": "NAME"} to read from the environment.'),
    target: z.string().min(1).optional().describe('Stage to build (--target).'),
    platforms: z
      .array(z.string().regex(/^[a-z0-9]+\/[a-z0-9]+(\/[a-z0-9]+)?$/, 'expected os/arch[/variant], e.g. linux/amd64'))
      .default([])
      .describe('Target platforms (--platform). Empty builds for the engine platform.'),
    buildContexts: z
      .record(z.string().min(1), buildContext)
      .default({})
      .describe('Additional named contexts (--build-context name=...): another workspace image project, a directory, or an image.'),
    secrets: z.array(secret).default([]).describe('Build secrets from a file or an environment variable.'),
    caSecret: z
      .enum(['auto', 'off'])
      .default('auto')
      .describe('auto: pass the host CA bundle (SSL_CERT_FILE, NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE, PIP_CERT or CURL_CA_BUNDLE, the first that exists) as secret id=ca.'),
    ssh: z.array(z.string().min(1)).default([]).describe('SSH agent sockets or keys to expose (--ssh), e.g. "default".'),
    labels: z.record(z.string().min(1), z.string()).default({}).describe('Image labels (--label).'),
    cacheFrom: z.array(z.string().min(1)).default([]).describe('External cache sources (--cache-from), e.g. type=registry,ref=...'),
    cacheTo: z.array(z.string().min(1)).default([]).describe('Cache export destinations (--cache-to); not supported by the docker driver except type=inline.'),
    pull: z.boolean().default(false).describe('Always look for newer versions of upstream base images (--pull).'),
    noCache: z.boolean().default(false).describe('Do not use the BuildKit layer cache (--no-cache).'),
    load: z.boolean().default(true).describe('Load the result into the local image store (--load).'),
    push: z.boolean().default(false).describe('Push the result to its registry (--push); tags must be registry-qualified.'),
    builder: z.string().min(1).optional().describe('buildx builder instance (--builder). Defaults to the current builder.'),
    progress: z.enum(['auto', 'plain', 'tty', 'quiet', 'rawjson']).default('plain').describe('Progress output type (--progress).'),
  })
  .describe('Options of @posestack/nx-docker:docker-build.');

export type DockerBuildOptions = z.input<typeof dockerBuildOptionsSchema>;
export type ParsedDockerBuildOptions = z.output<typeof dockerBuildOptionsSchema>;

/** schema.json for Nx (form rendering in Nx Console, defaults, additionalProperties:false). */
export function toExecutorJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(dockerBuildOptionsSchema, { io: 'input', target: 'draft-7' });
  return {
    ...generated,
    // Nx's own schema dialect marker replaces zod's draft-07 URI.
    $schema: 'https://json-schema.org/schema',
    version: 2,
    title: 'docker-build executor',
  };
}
