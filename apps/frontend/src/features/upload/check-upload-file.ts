import type { AnalysisKind } from '@posestack/api-contracts';
import type { ErrorDescription } from '../api-client/describe-api-error';
import { ACCEPTED_MEDIA_TYPES, describeAcceptedFormats } from './accepted-media-types';

export type UploadCheck = { readonly isAccepted: true; readonly kind: AnalysisKind } | { readonly isAccepted: false; readonly error: ErrorDescription };

/**
 * Catches the obvious mistakes before sending megabytes; the server checks again (it is the authority on
 * size limits, so none is enforced here).
 */
export function checkUploadFile(file: { readonly name: string; readonly type: string; readonly size: number }): UploadCheck {
  if (file.size === 0) {
    return { isAccepted: false, error: { title: `${file.name} is empty.`, advice: 'Choose a photo or video that has content.' } };
  }
  if (!ACCEPTED_MEDIA_TYPES.includes(file.type)) {
    return {
      isAccepted: false,
      error: {
        title: `${file.name} is not a supported photo or video${file.type ? ` (${file.type})` : ''}.`,
        advice: `Choose a file in one of these formats: ${describeAcceptedFormats()}.`,
      },
    };
  }
  return { isAccepted: true, kind: file.type.startsWith('video/') ? 'video' : 'image' };
}
