import type { ApiErrorCode } from '@posestack/api-contracts';

/** A failure the client may see: status, stable code from the contracts, and a message naming the problem. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** Sent as Retry-After (seconds) with a 503, so a client knows it is a wait, not a failure. */
  readonly retryAfterS: number | undefined;

  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode,
    message: string,
    options?: { cause?: unknown; retryAfterS?: number },
  ) {
    super(message, options);
    this.retryAfterS = options?.retryAfterS;
  }
}

export const notFound = (id: string) => new ApiError(404, 'NOT_FOUND', `analysis ${id} does not exist`);
