import type { FastifyRequest } from 'fastify';
import { IMAGE_CONTENT_TYPES, UPLOAD_FIELD, VIDEO_CONTENT_TYPES } from '@posestack/api-contracts';
import type { Env } from '../../config/env';
import { ApiError } from '../../errors/api-error';
import { sniffMedia } from '../../media/sniff-media';
import type { Upload } from '../../analyses/analysis-service';
import { readModelField } from '../models/read-model-field';

const MiB = 1024 * 1024;
const formatMiB = (bytes: number) => `${Math.round((bytes / MiB) * 10) / 10} MiB`;
const accepted = [...IMAGE_CONTENT_TYPES, ...VIDEO_CONTENT_TYPES].join(', ');

/**
 * Reads the single multipart file into memory and decides its kind by content. In memory because pose-service
 * needs the whole file anyway and uploads are capped (tens of MiB); every rejection names its reason.
 */
export async function readUpload(request: FastifyRequest, limits: Pick<Env, 'MAX_IMAGE_BYTES' | 'MAX_VIDEO_BYTES'>): Promise<Upload> {
  if (!request.isMultipart()) {
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `send multipart/form-data with the media in the "${UPLOAD_FIELD}" field`);
  }
  let part;
  try {
    part = await request.file();
  } catch (error) {
    // busboy's own failures (no boundary, a broken header) carry no status and would become a 500.
    if (typeof (error as { statusCode?: unknown }).statusCode === 'number') throw error;
    throw new ApiError(400, 'BAD_REQUEST', `the multipart body cannot be read: ${(error as Error).message}`, { cause: error });
  }
  if (!part) {
    throw new ApiError(400, 'BAD_REQUEST', `the multipart body has no file; send the media in the "${UPLOAD_FIELD}" field`);
  }
  if (part.fieldname !== UPLOAD_FIELD) {
    throw new ApiError(400, 'BAD_REQUEST', `unexpected file field "${part.fieldname}"; send the media in the "${UPLOAD_FIELD}" field`);
  }

  let data: Buffer;
  try {
    data = await part.toBuffer();
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      const max = Math.max(limits.MAX_IMAGE_BYTES, limits.MAX_VIDEO_BYTES);
      throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `the upload exceeds ${formatMiB(max)}`, { cause: error });
    }
    throw error;
  }

  if (data.length === 0) {
    throw new ApiError(400, 'EMPTY_UPLOAD', `the uploaded file "${part.filename}" is empty`);
  }
  const media = sniffMedia(data.subarray(0, 16));
  if (!media) {
    throw new ApiError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `"${part.filename}" (sent as ${part.mimetype}) is not a supported image or video; accepted: ${accepted}`,
    );
  }
  const max = media.kind === 'image' ? limits.MAX_IMAGE_BYTES : limits.MAX_VIDEO_BYTES;
  if (data.length > max) {
    throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `${media.kind}s are limited to ${formatMiB(max)}; "${part.filename}" has ${formatMiB(data.length)}`);
  }
  return { data, filename: part.filename || `upload.${media.contentType.split('/')[1]}`, media, model: readModelField(part.fields) };
}
