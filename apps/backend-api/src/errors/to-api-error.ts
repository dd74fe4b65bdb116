import { MongoError } from 'mongodb';
import type { ApiErrorCode } from '@posestack/api-contracts';
import { ApiError } from './api-error';

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message: string;
  validation?: unknown;
}

/** Mongo errors that mean "the database is unreachable now", as opposed to a bad query. */
export function isMongoUnavailable(error: unknown): boolean {
  if (!(error instanceof MongoError)) return false;
  return /MongoServerSelectionError|MongoNetworkError|MongoNetworkTimeoutError|MongoNotConnectedError|MongoTopologyClosedError|MongoPoolClearedError/.test(
    error.name,
  );
}

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
    return new ApiError(503, 'SERVICE_UNAVAILABLE', 'the database is unavailable; try again shortly', { cause: error });
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
