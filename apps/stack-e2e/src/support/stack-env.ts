import { z } from 'zod';

/**
 * Everything the suite reads from the environment, validated once at start-up (house rule 8).
 * With no *_URL set, the suite brings its own stack up with docker compose; with any of them set, it targets
 * that running stack and skips, with the reason, the checks whose service has no URL (so the GPU subset runs
 * against a pose-service started natively on a GPU machine with POSE_SERVICE_URL alone).
 */
const optionalUrl = z.url().optional();
const flag = z.enum(['0', '1', 'true', 'false', '']).optional().transform((value) => value === '1' || value === 'true');

export const StackEnvSchema = z.object({
  POSE_SERVICE_URL: optionalUrl,
  BACKEND_URL: optionalUrl,
  FRONTEND_URL: optionalUrl,
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URL').optional(),
  MONGO_EXPRESS_URL: optionalUrl,
  MONGO_EXPRESS_USER: z.string().optional(),
  MONGO_EXPRESS_PASSWORD: z.string().optional(),
  /** For a running stack: an editor API token (`node cli/main.js tokens create --role editor --name e2e`). */
  BACKEND_TOKEN: z.string().optional(),
  /** For a running stack: an editor who signs in on the page. */
  E2E_USERNAME: z.string().optional(),
  E2E_PASSWORD: z.string().optional(),
  /** For a running stack: pose-service's service token. */
  POSE_SERVICE_TOKEN: z.string().optional(),
  /** Fail instead of skipping when pose-service does not report CUDA. */
  E2E_REQUIRE_GPU: flag,
  /** Leave the composed stack running after the suite (for debugging); `docker compose -p <name> down -v` ends it. */
  E2E_KEEP_STACK: flag,
  /** Compose files, comma-separated, relative to the workspace root. Default: CPU + air gap (this CI machine). */
  E2E_COMPOSE_FILES: z.string().default('docker-compose.yml,docker-compose.cpu.yml,docker-compose.airgap.yml'),
  /** Image tag the composed stack runs; the e2e target's dependsOn has just built :latest. */
  POSESTACK_TAG: z.string().default('latest'),
  E2E_STARTUP_TIMEOUT_S: z.coerce.number().int().positive().default(600),
  /** A photograph of a person (PNG or JPEG). Default: scikit-image's astronaut, found in the pose-service venv. */
  E2E_IMAGE: z.string().optional(),
  E2E_MONGO_DB: z.string().default('posestack'),
  E2E_ANALYSES_COLLECTION: z.string().default('analyses'),
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
});
export type StackEnv = z.infer<typeof StackEnvSchema>;

export function parseStackEnv(env: NodeJS.ProcessEnv): StackEnv {
  const parsed = StackEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`stack-e2e: invalid environment\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export const SERVICE_URL_VARIABLES = [
  'POSE_SERVICE_URL',
  'BACKEND_URL',
  'FRONTEND_URL',
  'MONGO_URL',
  'MONGO_EXPRESS_URL',
] as const;

export function isExternalStack(env: StackEnv): boolean {
  return SERVICE_URL_VARIABLES.some((name) => env[name] !== undefined);
}
