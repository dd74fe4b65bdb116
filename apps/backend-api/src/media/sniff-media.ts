import type { AnalysisKind } from '@posestack/api-contracts';

export interface SniffedMedia {
  kind: AnalysisKind;
  contentType: string;
}

const ascii = (bytes: Buffer, start: number, end: number) => bytes.subarray(start, end).toString('latin1');

/**
 * The media type from the file's first bytes. The multipart Content-Type is whatever the browser guessed from
 * the file name; pose-service decodes by content, so the API decides by content too. Only the types in
 * IMAGE_CONTENT_TYPES / VIDEO_CONTENT_TYPES are recognised; anything else is undefined (-> 415).
 */
export function sniffMedia(head: Buffer): SniffedMedia | undefined {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) {
    return { kind: 'image', contentType: 'image/jpeg' };
  }
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return { kind: 'image', contentType: 'image/png' };
  }
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF') {
    if (ascii(head, 8, 12) === 'WEBP') return { kind: 'image', contentType: 'image/webp' };
    if (ascii(head, 8, 12) === 'AVI ') return { kind: 'video', contentType: 'video/x-msvideo' };
  }
  if (head.length >= 2 && ascii(head, 0, 2) === 'BM') {
    return { kind: 'image', contentType: 'image/bmp' };
  }
  if (head.length >= 12 && ascii(head, 4, 8) === 'ftyp') {
    // ISO base media: QuickTime brands are 'qt  '; every other brand (isom, mp41, mp42, avc1, M4V ...) is MP4.
    return { kind: 'video', contentType: ascii(head, 8, 12) === 'qt  ' ? 'video/quicktime' : 'video/mp4' };
  }
  if (head.length >= 4 && head.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]))) {
    return { kind: 'video', contentType: 'video/webm' };
  }
  return undefined;
}
