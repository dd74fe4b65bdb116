import { IMAGE_CONTENT_TYPES, VIDEO_CONTENT_TYPES } from '@posestack/api-contracts';

export const ACCEPTED_MEDIA_TYPES: readonly string[] = [...IMAGE_CONTENT_TYPES, ...VIDEO_CONTENT_TYPES];

/** For the file input's `accept`: the picker then offers only what pose-service can decode. */
export const ACCEPT_ATTRIBUTE = ACCEPTED_MEDIA_TYPES.join(',');

/** Subtypes whose MIME name is not what people call the file. */
const FORMAT_NAMES: Readonly<Record<string, string>> = { quicktime: 'MOV', 'x-msvideo': 'AVI' };

/** "JPEG, PNG, ..., AVI": the formats as people name them, for error advice. */
export function describeAcceptedFormats(): string {
  return ACCEPTED_MEDIA_TYPES.map((type) => {
    const subtype = type.split('/')[1];
    return FORMAT_NAMES[subtype] ?? subtype.toUpperCase();
  }).join(', ');
}
