import { z } from 'zod';

const MiB = 1024 * 1024;

const tokenList = z
  .string()
  .default('')
  .transform((value) => value.split(',').map((token) => token.trim()).filter((token) => token.length > 0))
  .pipe(z.array(z.string().min(16, 'each token must be at least 16 characters (e.g. `openssl rand -hex 32`)')));

/**
 * Every setting of the server, validated once at start-up (house rule 8). Tokens are comma-separated lists so
 * one can be rotated without downtime: add the new one, switch the clients, remove the old one.
 */
export const EnvSchema = z
  .object({
    /** Entries live here, one file per task hash; the folder is created when missing. */
    NX_CACHE_SERVER_DIR: z.string().min(1, 'must name the folder that holds the cache entries'),
    NX_CACHE_SERVER_HOST: z.string().min(1).default('127.0.0.1'),
    /** 0 picks a free port; the log line "Server listening at ..." names it. */
    NX_CACHE_SERVER_PORT: z.coerce.number().int().min(0).max(65535).default(3700),
    /** Tokens that may GET and PUT (CI on the main branch). */
    NX_CACHE_SERVER_READ_WRITE_TOKENS: tokenList,
    /** Tokens that may only GET (pull requests, developers' machines). */
    NX_CACHE_SERVER_READ_TOKENS: tokenList,
    /** A larger upload is refused with 413 before its body is read. Nx holds the whole tar in memory. */
    NX_CACHE_SERVER_MAX_ENTRY_BYTES: z.coerce.number().int().positive().default(1024 * MiB),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .refine((env) => env.NX_CACHE_SERVER_READ_WRITE_TOKENS.length + env.NX_CACHE_SERVER_READ_TOKENS.length > 0, {
    message: 'set NX_CACHE_SERVER_READ_WRITE_TOKENS and/or NX_CACHE_SERVER_READ_TOKENS: a cache without tokens would accept anyone',
    path: ['NX_CACHE_SERVER_READ_WRITE_TOKENS'],
  });

export type Env = z.output<typeof EnvSchema>;

export class InvalidEnvError extends Error {
  override readonly name = 'InvalidEnvError';
}

/** Parses process.env (or a test's object) and throws one message listing every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    throw new InvalidEnvError(`nx-cache-server: invalid environment\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}
