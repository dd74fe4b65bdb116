import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { RoleSchema } from '@posestack/api-contracts';

const MiB = 1024 * 1024;

const bytes = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const millis = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const list = z
  .string()
  .transform((value) => value.split(',').map((entry) => entry.trim().toLowerCase()).filter(Boolean));

/** Secrets that may come from a file instead (NAME_FILE, the convention of the official images and compose secrets). */
const SECRET_VARIABLES = ['MONGO_PASSWORD', 'POSE_SERVICE_TOKEN'] as const;

/**
 * Every setting the API reads, validated once at start-up (house rule 8): a bad value stops the process with a
 * message naming the variable instead of failing on the first request.
 */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  /** Loopback unless a deployment says otherwise (the image sets 0.0.0.0 for the compose network). */
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The database is the URL's path (mongodb://host:27017/posestack); `posestack` when the path is empty. */
  MONGO_URL: z.url({ protocol: /^mongodb(\+srv)?$/, error: 'must be a mongodb:// or mongodb+srv:// URL' }),
  /** Kept out of MONGO_URL so the password never appears in a URL that might be logged; *_FILE works too. */
  MONGO_USERNAME: z.string().min(1).optional(),
  MONGO_PASSWORD: z.string().min(1).optional(),
  /** Fail a request after this long without a reachable server (-> 503), instead of the driver's 30 s. */
  MONGO_SERVER_SELECTION_TIMEOUT_MS: millis(3000),
  /** Pause between attempts while the first connection cannot be made. */
  MONGO_CONNECT_RETRY_MS: millis(2000),
  POSE_SERVICE_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
  /** The shared secret pose-service requires (POSE_SERVICE_TOKEN there); POSE_SERVICE_TOKEN_FILE for a compose secret. */
  POSE_SERVICE_TOKEN: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)'),
  /** Images are analysed inside the request, so this bounds the upload request too. */
  POSE_IMAGE_TIMEOUT_MS: millis(60_000),
  POSE_VIDEO_TIMEOUT_MS: millis(15 * 60_000),
  POSE_HEALTH_TIMEOUT_MS: millis(2000),
  /** pose-service's own limit is POSE_MAX_UPLOAD_BYTES (25 MiB by default); keep these at or below it. */
  MAX_IMAGE_BYTES: bytes(10 * MiB),
  MAX_VIDEO_BYTES: bytes(25 * MiB),
  /**
   * Every running analysis (image or video) is leased by the instance working on it and renewed every third of
   * this; one whose lease ran out (its holder died) is swept: a video back to the queue, an image to failed.
   */
  JOB_LEASE_MS: millis(60_000),
  JOB_POLL_MS: millis(1000),
  /** How often each instance looks for expired leases. */
  LEASE_SWEEP_MS: millis(5000),
  /** Transient pose-service failures (unreachable, timeout, 5xx, busy) a video job retries before it fails. */
  JOB_RETRY_LIMIT: z.coerce.number().int().min(0).default(3),
  /** Backoff between those retries: base * 2^n, capped. */
  JOB_RETRY_BASE_MS: millis(2000),
  JOB_RETRY_MAX_MS: millis(60_000),
  /** Server-side limit on each MongoDB query (maxTimeMS), so a slow database answers 503 instead of piling up. */
  MONGO_MAX_TIME_MS: millis(5000),
  /** A request (headers and body) must arrive within this, or the connection is answered 408 and closed. */
  REQUEST_TIMEOUT_MS: millis(60_000),
  /** Lease takeovers allowed before a job is failed instead of retried (a video that kills the worker). */
  JOB_MAX_CLAIMS: z.coerce.number().int().min(1).default(3),
  /** Set to 0 to run an API-only instance (jobs processed by another instance). */
  JOB_WORKER_ENABLED: z
    .enum(['0', '1', 'true', 'false'])
    .default('1')
    .transform((value) => value === '1' || value === 'true'),

  /**
   * Requests without credentials get this role; `none` (the default) answers them 401. Only for a deployment
   * that is private by other means (a trusted network, an authenticating proxy in front).
   */
  AUTH_ANONYMOUS_ROLE: z.union([z.literal('none'), RoleSchema]).default('none'),
  SESSION_TTL_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(12 * 60),
  /** Host names (no port) this API answers to; anything else is refused 421 (DNS rebinding). */
  ALLOWED_HOSTS: list.default(['localhost', '127.0.0.1', '[::1]']),
  /**
   * Browser origins allowed to make state-changing requests. Empty by default: the page talks to the API
   * through the frontend server, which checks the origin itself and does not forward it.
   */
  ALLOWED_ORIGINS: list.pipe(z.array(z.url())).default([]),
  /**
   * Fastify's trustProxy: `false` (default: X-Forwarded-For is ignored and cannot be forged), `true` (any
   * peer is a proxy: only when nothing but the proxy can reach the API), or a comma-separated list of proxy
   * addresses/CIDRs.
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value): boolean | string[] => {
      if (value === 'false' || value === '0' || value === '') return false;
      if (value === 'true' || value === '1') return true;
      return value.split(',').map((entry) => entry.trim());
    }),
  /** Per client address and minute; the other routes are not limited. */
  RATE_LIMIT_UPLOADS_PER_MINUTE: z.coerce.number().int().positive().default(60),
  RATE_LIMIT_LOGINS_PER_MINUTE: z.coerce.number().int().positive().default(10),
});

/** What the CLI needs: the database alone. */
export const MongoEnvSchema = EnvSchema.pick({
  MONGO_URL: true,
  MONGO_USERNAME: true,
  MONGO_PASSWORD: true,
  MONGO_SERVER_SELECTION_TIMEOUT_MS: true,
});
export type MongoEnv = z.output<typeof MongoEnvSchema>;

export type Env = z.output<typeof EnvSchema>;

export class InvalidEnvError extends Error {
  override readonly name = 'InvalidEnvError';
}

/** Parses process.env (or a test's object) and throws one message listing every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  return parseWith(EnvSchema, source);
}

export function parseMongoEnv(source: Record<string, string | undefined>): MongoEnv {
  return parseWith(MongoEnvSchema, source);
}

function parseWith<T extends typeof MongoEnvSchema | typeof EnvSchema>(schema: T, source: Record<string, string | undefined>): z.output<T> {
  const checked = schema.superRefine((env, context) => {
    if ((env.MONGO_USERNAME === undefined) !== (env.MONGO_PASSWORD === undefined)) {
      context.addIssue({ code: 'custom', path: ['MONGO_PASSWORD'], message: 'set MONGO_USERNAME and MONGO_PASSWORD (or MONGO_PASSWORD_FILE) together' });
    }
  });
  const result = checked.safeParse(readSecretFiles(source));
  if (!result.success) {
    throw new InvalidEnvError(`backend-api: invalid environment\n${z.prettifyError(result.error)}`);
  }
  return result.data as z.output<T>;
}

/** NAME_FILE -> NAME (trailing newline dropped); setting both is a mistake worth stopping for. */
function readSecretFiles(source: Record<string, string | undefined>): Record<string, string | undefined> {
  // Empty means unset: a compose override can only blank a variable, not remove it.
  const resolved = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  for (const name of SECRET_VARIABLES) {
    const file = resolved[`${name}_FILE`];
    if (!file) continue;
    if (resolved[name] !== undefined) throw new InvalidEnvError(`backend-api: set ${name} or ${name}_FILE, not both`);
    try {
      resolved[name] = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      throw new InvalidEnvError(`backend-api: ${name}_FILE=${file} cannot be read: ${(error as Error).message}`, { cause: error });
    }
  }
  return resolved;
}

/** Database name from the URL path; the driver ignores the path for anything but auth. */
export function databaseNameOf(mongoUrl: string): string {
  const path = new URL(mongoUrl.replace(/^mongodb(\+srv)?:/, 'http:')).pathname.replace(/^\//, '');
  return decodeURIComponent(path) || 'posestack';
}
