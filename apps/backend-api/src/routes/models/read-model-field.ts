import type { MultipartFields } from '@fastify/multipart';
import { MODEL_FIELD, UPLOAD_FIELD } from '@posestack/api-contracts';
import { ApiError } from '../../errors/api-error';

/**
 * The optional `model` field of an upload. Only fields sent before the file are parsed by then, so one after it
 * would be lost silently: the client libraries we ship send it first, and the README says so.
 */
export function readModelField(fields: MultipartFields): string | undefined {
  const field = fields[MODEL_FIELD];
  if (field === undefined) return undefined;
  if (Array.isArray(field) || field.type !== 'field' || typeof field.value !== 'string') {
    throw new ApiError(400, 'BAD_REQUEST', `the "${MODEL_FIELD}" field must be one text value (a model name) sent before the "${UPLOAD_FIELD}" field`);
  }
  const name = field.value.trim();
  return name === '' ? undefined : name;
}
