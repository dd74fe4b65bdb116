import type { SwaggerTransform } from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { ApiErrorSchema, IMAGE_CONTENT_TYPES, UPLOAD_FIELD, VIDEO_CONTENT_TYPES } from '@posestack/api-contracts';

type TransformInput = Parameters<SwaggerTransform>[0];

/**
 * What any route may answer before or around its handler: validation (400), the auth hook (401/403), the
 * Host check (421), the rate limit (429), the database (503), a hidden internal error (500). Documented on
 * every route so the OpenAPI document (and schemathesis) holds for errors too.
 */
const COMMON_ERRORS = [400, 401, 403, 404, 421, 429, 500, 503] as const;
const UPLOAD = 'POST /api/analyses';
const MEDIA = 'GET /api/analyses/:id/media';

const binary = { type: 'string', format: 'binary' };
const mediaContent = Object.fromEntries([...IMAGE_CONTENT_TYPES, ...VIDEO_CONTENT_TYPES].map((type) => [type, { schema: binary }]));

/**
 * The zod schemas through fastify-type-provider-zod's transform, plus what zod does not type: the multipart
 * upload, the streamed media (with 416 for a bad range), the shared error answers, and `security: []` on the
 * public routes (the document's default is the bearer token).
 */
export const openApiTransform: SwaggerTransform = (input: TransformInput) => {
  const schema = (input.schema ?? {}) as Record<string, unknown>;
  const route = `${String(input.route.method)} ${input.url}`;
  const isPublic = (input.route.config as { auth?: string } | undefined)?.auth === 'public';
  const errors = Object.fromEntries([...COMMON_ERRORS, ...(route === MEDIA ? [416] : [])].map((status) => [status, ApiErrorSchema]));
  const transformed = jsonSchemaTransform({
    ...input,
    schema: { ...schema, response: { ...errors, ...(schema['response'] as object) }, ...(isPublic ? { security: [] } : {}) } as TransformInput['schema'],
  });
  const out = transformed.schema as Record<string, unknown> & { response: Record<string, unknown> };
  if (route === UPLOAD) {
    out['consumes'] = ['multipart/form-data'];
    out['body'] = { type: 'object', required: [UPLOAD_FIELD], properties: { [UPLOAD_FIELD]: { ...binary, description: 'the photo or video' } } };
  }
  if (route === MEDIA) {
    out.response[200] = { description: 'the stored original', content: mediaContent };
    out.response[206] = { description: 'the requested byte range', content: mediaContent };
  }
  return transformed;
};
