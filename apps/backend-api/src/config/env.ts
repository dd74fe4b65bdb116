import { z } from 'zod';

const MiB = 1024 * 1024;

const bytes = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const millis = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * Every setting the API reads, validated once at start-up (house rule 8): a bad value stops the process with a
 * message naming the variable instead of failing on the first request.
 */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The database is the URL's path (mongodb://host:27017/posestack); `posestack` when the path is empty. */
  MONGO_URL: z.url({ protocol: /^mongodb(\+srv)?$/, error: 'must be a mongodb:// or mongodb+srv:// URL' }),
  /** Fail a request after this long without a reachable server (-> 503), instead of the driver's 30 s. */
  MONGO_SERVER_SELECTION_TIMEOUT_MS: millis(3000),
  /** Pause between attempts while the first connection cannot be made. */
  MONGO_CONNECT_RETRY_MS: millis(2000),
  POSE_SERVICE_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
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
});

export type Env = z.output<typeof EnvSchema>;

export class InvalidEnvError extends Error {
  override readonly name = 'InvalidEnvError';
}

/** Parses process.env (or a test's object) and throws one message listing every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    throw new InvalidEnvError(`backend-api: invalid environment\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/** Database name from the URL path; the driver ignores the path for anything but auth. */
export function databaseNameOf(mongoUrl: string): string {
  const path = new URL(mongoUrl.replace(/^mongodb(\+srv)?:/, 'http:')).pathname.replace(/^\//, '');
  return decodeURIComponent(path) || 'posestack';
}
