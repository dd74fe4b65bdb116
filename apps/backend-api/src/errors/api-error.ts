import type { ApiErrorCode } from '@posestack/api-contracts';

/** A failure the client may see: status, stable code from the contracts, and a message naming the problem. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const notFound = (id: string) => new ApiError(404, 'NOT_FOUND', `analysis ${id} does not exist`);
