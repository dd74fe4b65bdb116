import type { ApiErrorCode } from '@posestack/api-contracts';
import { describeAcceptedFormats } from '../upload/accepted-media-types';
import { ApiClientError } from './api-client-error';

/** What a person reads: what failed, then what to do about it. No stack traces, no status-code jargon. */
export interface ErrorDescription {
  readonly title: string;
  readonly advice: string;
}

const ADVICE_BY_CODE: Partial<Record<ApiErrorCode, string>> = {
  EMPTY_UPLOAD: 'The file is empty. Choose a different file.',
  PAYLOAD_TOO_LARGE: 'The file is too large. Try a shorter clip or a smaller image.',
  UNSUPPORTED_MEDIA_TYPE: `This file type is not supported. Use one of: ${describeAcceptedFormats()}.`,
  NOT_FOUND: 'It may have been deleted. Refresh the list of analyses.',
  INVALID_ID: 'The link is malformed. Open the analysis from the list instead.',
  UNPROCESSABLE_MEDIA: 'The file could not be decoded; it may be damaged or use an unusual codec. Re-save it as JPEG, PNG or MP4 (H.264) and try again.',
  CONFLICT: 'It changed in the meantime. Refresh and try again.',
  SERVICE_UNAVAILABLE: 'The backend, the pose service or the database is not reachable right now. Wait a moment and try again.',
};

function adviseByStatus(status: number | undefined): string {
  if (status === 413) return ADVICE_BY_CODE.PAYLOAD_TOO_LARGE as string;
  if (status === 415) return ADVICE_BY_CODE.UNSUPPORTED_MEDIA_TYPE as string;
  if (status === 404) return ADVICE_BY_CODE.NOT_FOUND as string;
  if (status !== undefined && status >= 500) return 'The server ran into a problem. Try again in a moment; if it keeps failing, check that the backend is running.';
  return 'Check the input and try again.';
}

/** `action` names what the person was doing, e.g. "Uploading photo.png". */
export function describeApiError(action: string, error: unknown): ErrorDescription {
  if (!(error instanceof ApiClientError)) {
    return { title: `${action} failed.`, advice: 'Something unexpected went wrong. Reload the page and try again.' };
  }
  switch (error.kind) {
    case 'network':
      return {
        title: `${action} failed: the server did not answer.`,
        advice: 'Check your connection, or whether the backend is running, then try again.',
      };
    case 'invalid-response':
      return {
        title: `${action} failed: the server sent an answer this page does not understand.`,
        advice: 'The page and the server may be different versions. Reload the page.',
      };
    case 'http': {
      const { code, serverMessage, status } = error.details;
      const reason = serverMessage ? `: ${serverMessage}` : '.';
      const advice = (code && ADVICE_BY_CODE[code]) ?? adviseByStatus(status);
      // 5xx messages are generic by the backend's contract; repeating them adds nothing.
      return { title: `${action} failed${status !== undefined && status >= 500 ? '.' : reason}`, advice };
    }
  }
}
