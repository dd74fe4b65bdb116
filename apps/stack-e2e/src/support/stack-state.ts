import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

/**
 * What global setup learnt (URLs, credentials, GPU) handed to the test files, which run in other module
 * registries (and possibly other processes), through one JSON file under dist/.
 */
export const WORKSPACE_ROOT = join(__dirname, '..', '..', '..', '..');
export const STATE_FILE = join(WORKSPACE_ROOT, 'dist', 'stack-e2e', 'stack-state.json');

export const StackStateSchema = z.object({
  mode: z.enum(['compose', 'external']),
  composeProject: z.string().optional(),
  composeFiles: z.array(z.string()).optional(),
  /** The variables compose interpolates (throw-away credentials included): `down` needs them too. */
  composeEnv: z.record(z.string(), z.string()).optional(),
  keepStack: z.boolean(),
  urls: z.object({
    poseService: z.string().optional(),
    backend: z.string().optional(),
    frontend: z.string().optional(),
    mongo: z.string().optional(),
    mongoExpress: z.string().optional(),
  }),
  mongoExpressAuth: z.object({ user: z.string(), password: z.string() }).optional(),
  /** An editor API token for backend-api (made with its CLI in the composed stack, or BACKEND_TOKEN). */
  backendToken: z.string().optional(),
  /** A person for the page's sign-in form (made with the CLI in the composed stack, or E2E_USERNAME/E2E_PASSWORD). */
  pageUser: z.object({ username: z.string(), password: z.string() }).optional(),
  /** The service token pose-service requires (the compose secret, or POSE_SERVICE_TOKEN). */
  poseServiceToken: z.string().optional(),
  /** Where the compose secrets were written (removed by teardown). */
  secretsDir: z.string().optional(),
  mongoDb: z.string(),
  analysesCollection: z.string(),
  /** pose-service's /health body, or why it could not be read. */
  poseHealth: z.record(z.string(), z.unknown()).optional(),
  gpu: z.object({ isCuda: z.boolean(), isRequired: z.boolean(), reason: z.string() }),
  imagePath: z.string().optional(),
  chromiumPath: z.string().optional(),
});
export type StackState = z.infer<typeof StackStateSchema>;

export function writeStackState(state: StackState): void {
  mkdirSync(dirname(STATE_FILE), { recursive: true });
  writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
}

export function readStackState(): StackState {
  let text: string;
  try {
    text = readFileSync(STATE_FILE, 'utf8');
  } catch (error) {
    throw new Error(`stack-e2e: ${STATE_FILE} is missing; run the suite through its jest config (global setup)`, {
      cause: error,
    });
  }
  return StackStateSchema.parse(JSON.parse(text));
}
