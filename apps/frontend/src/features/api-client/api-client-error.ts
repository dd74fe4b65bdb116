import type { ApiErrorCode } from '@posestack/api-contracts';

/**
 * network: the request never got an HTTP answer (offline, proxy down, aborted by the server);
 * http: an error status, with the API's error code when the body carried one;
 * invalid-response: a 2xx whose body does not match the contract (client/server version skew).
 */
export type ApiFailureKind = 'network' | 'http' | 'invalid-response';

export class ApiClientError extends Error {
  override readonly name = 'ApiClientError';

  constructor(
    message: string,
    readonly kind: ApiFailureKind,
    readonly details: { readonly status?: number; readonly code?: ApiErrorCode; readonly serverMessage?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** By name, not instanceof: DOMException differs between realms (iframes, test environments). */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}
