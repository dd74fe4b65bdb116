import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * The server's whole configuration. Required values have no default, so a missing BACKEND_URL stops
 * start-up with a message naming it instead of failing on the first proxied request.
 */
export const ServerEnvSchema = z.object({
  BACKEND_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://backend-api:3001' }),
  PORT: z.coerce.number().int().min(1).max(65_535).default(5173),
  /** Loopback unless a deployment says otherwise (the image sets 0.0.0.0). */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Host names (no port) the page is served under; anything else is refused 421 (DNS rebinding). */
  ALLOWED_HOSTS: z
    .string()
    .default('localhost,127.0.0.1,[::1]')
    .transform((value) => value.split(',').map((host) => host.trim().toLowerCase()).filter(Boolean)),
  /** `true` when a TLS-terminating proxy sits in front: then X-Forwarded-Proto decides the cookie's Secure flag. */
  TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
  /** Built page; by default next to this file in the image and in dist/ (dist/apps/frontend/{server,static}). */
  STATIC_DIR: z.string().min(1).default(resolve(__dirname, '../static')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How long GET /health waits for backend-api before calling it unreachable. */
  BACKEND_HEALTH_TIMEOUT_MS: z.coerce.number().int().positive().default(1500),
});
export type ServerEnv = z.infer<typeof ServerEnvSchema>;

export class InvalidEnvError extends Error {
  override readonly name = 'InvalidEnvError';
}

export function parseServerEnv(env: NodeJS.ProcessEnv): ServerEnv {
  const parsed = ServerEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new InvalidEnvError(`frontend server: invalid environment\n${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  }
  return { ...parsed.data, STATIC_DIR: resolve(parsed.data.STATIC_DIR), BACKEND_URL: parsed.data.BACKEND_URL.replace(/\/+$/, '') };
}
