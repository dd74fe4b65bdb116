import type { FastifyRequest } from 'fastify';
import type { MultipartFields } from '@fastify/multipart';
import { IMAGE_CONTENT_TYPES, UPLOAD_FIELD, VIDEO_CONTENT_TYPES } from '@posestack/api-contracts';
import type { Env } from '../../config/env';
import { ApiError } from '../../errors/api-error';
import { sniffMedia } from '../../media/sniff-media';
import type { Upload } from '../../analyses/analysis-service';
import { readModelField } from '../models/read-model-field';

const MiB = 1024 * 1024;
const formatMiB = (bytes: number) => `${Math.round((bytes / MiB) * 10) / 10} MiB`;
const accepted = [...IMAGE_CONTENT_TYPES, ...VIDEO_CONTENT_TYPES].join(', ');

/** Room for the multipart framing and part headers around a file at the size limit. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

interface FilePart {
  data: Buffer;
  filename: string;
  mimetype: string;
  /** The text fields, read as the parts went by. */
  fields: MultipartFields;
}

/**
 * Reads the single multipart file into memory and decides its kind by content. In memory because pose-service
 * needs the whole file anyway and uploads are capped (tens of MiB); every rejection names its reason.
 *
 * One rule for several files, shared with pose-service: a second file, in any field, is refused with 400 naming
 * its field (never one of them picked silently).
 */
export async function readUpload(request: FastifyRequest, limits: Pick<Env, 'MAX_IMAGE_BYTES' | 'MAX_VIDEO_BYTES'>): Promise<Upload> {
  if (!request.isMultipart()) {
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `send multipart/form-data with the media in the "${UPLOAD_FIELD}" field`);
  }
  const maxFile = Math.max(limits.MAX_IMAGE_BYTES, limits.MAX_VIDEO_BYTES);
  // Checked before a byte of the body is read: the multipart parser is lazy.
  const declared = Number(request.headers['content-length']);
  if (declared > maxFile + MULTIPART_OVERHEAD_BYTES) {
    throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `the upload exceeds ${formatMiB(maxFile)} (Content-Length ${declared})`);
  }

  const part = await readSingleFile(request, maxFile);
  const data = part.data;
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

async function readSingleFile(request: FastifyRequest, maxFile: number): Promise<FilePart> {
  let file: FilePart | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file') continue;
      if (file) {
        throw new ApiError(
          400,
          'BAD_REQUEST',
          `send exactly one file, in the "${UPLOAD_FIELD}" field; this upload has a second file in field "${part.fieldname}"`,
        );
      }
      if (part.fieldname !== UPLOAD_FIELD) {
        throw new ApiError(400, 'BAD_REQUEST', `unexpected file field "${part.fieldname}"; send the media in the "${UPLOAD_FIELD}" field`);
      }
      file = { data: await part.toBuffer(), filename: part.filename, mimetype: part.mimetype, fields: part.fields };
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `the upload exceeds ${formatMiB(maxFile)}`, { cause: error });
    }
    // Anything else the multipart parser throws (no boundary, a boundary that never comes, a cut-off body) is
    // the client's malformed request, not our failure.
    throw new ApiError(400, 'BAD_REQUEST', `the multipart body is malformed: ${(error as Error).message}`, { cause: error });
  }
  if (!file) {
    throw new ApiError(400, 'BAD_REQUEST', `the multipart body has no file; send the media in the "${UPLOAD_FIELD}" field`);
  }
  return file;
}
