import { MongoError, MongoServerError } from 'mongodb';
import type { ApiErrorCode } from '@posestack/api-contracts';
import { ApiError } from './api-error';

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message: string;
  validation?: unknown;
}

/**
 * Server error codes of a database that is stopping or switching over (the MongoDB driver retries reads on the
 * same set): InterruptedAtShutdown, InterruptedDueToReplStateChange, NotWritablePrimary, NotPrimaryNoSecondaryOk,
 * NotPrimaryOrSecondary, PrimarySteppedDown, ShutdownInProgress, HostNotFound, HostUnreachable, NetworkTimeout,
 * SocketException.
 */
const UNAVAILABLE_SERVER_CODES = new Set([11600, 11602, 10107, 13435, 13436, 189, 91, 7, 6, 89, 9001]);

/** Mongo errors that mean "the database is unreachable now", as opposed to a bad query. */
export function isMongoUnavailable(error: unknown): boolean {
  // A write on a socket the database closed while it stopped surfaces from the driver as Node's own EPIPE error
  // ("This socket has been ended by the other party"), not as a MongoError (fault-injection.spec saw it).
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'EPIPE' || code === 'ECONNRESET') return true;
  if (!(error instanceof MongoError)) return false;
  if (error instanceof MongoServerError && typeof error.code === 'number' && UNAVAILABLE_SERVER_CODES.has(error.code)) return true;
  return /MongoServerSelectionError|MongoNetworkError|MongoNetworkTimeoutError|MongoNotConnectedError|MongoTopologyClosedError|MongoPoolClearedError|MongoServerClosedError/.test(
    error.name,
  );
}

const MAX_TIME_MS_EXPIRED = 50;

/**
 * The database is overloaded, not the request wrong: a query stopped by its maxTimeMS, or FerretDB's SQLite
 * backend refusing a write while another holds its lock (InternalError "database is locked ... SQLITE_BUSY").
 */
export function isMongoOverloaded(error: unknown): boolean {
  if (!(error instanceof MongoServerError)) return false;
  return error.code === MAX_TIME_MS_EXPIRED || /SQLITE_BUSY/.test(error.message);
}

/** Seconds a client is asked to wait after a 503 for the database. */
const DATABASE_RETRY_AFTER_S = 2;

const codeByStatus: Record<number, ApiErrorCode> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  406: 'UNSUPPORTED_MEDIA_TYPE',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

/**
 * The one place that turns any thrown value into what the client sees. 4xx keep their message (it names the
 * problem); 5xx become a fixed sentence, their detail stays in the log (house rule 6).
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isMongoUnavailable(error)) {
    return new ApiError(503, 'SERVICE_UNAVAILABLE', 'the database is unavailable; try again shortly', {
      cause: error,
      retryAfterS: DATABASE_RETRY_AFTER_S,
    });
  }
  if (isMongoOverloaded(error)) {
    return new ApiError(503, 'SERVICE_UNAVAILABLE', 'the database is overloaded; try again shortly', {
      cause: error,
      retryAfterS: DATABASE_RETRY_AFTER_S,
    });
  }
  const fastifyError = error as FastifyLikeError;
  if (fastifyError?.validation) {
    return new ApiError(400, 'VALIDATION_FAILED', fastifyError.message, { cause: error });
  }
  const status = fastifyError?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new ApiError(status, codeByStatus[status] ?? 'BAD_REQUEST', fastifyError.message, { cause: error });
  }
  return new ApiError(500, 'INTERNAL', 'internal server error', { cause: error });
}
