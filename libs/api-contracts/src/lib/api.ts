import { z } from 'zod';
import { AnalysisIdSchema, AnalysisKindSchema, AnalysisSchema, AnalysisStatusSchema } from './analysis';

/** Multipart field that carries the upload in POST /api/analyses. */
export const UPLOAD_FIELD = 'file';

/** What pose-service decodes (Pillow for images, OpenCV/FFmpeg for videos). */
export const IMAGE_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/bmp'] as const;
export const VIDEO_CONTENT_TYPES = ['video/mp4', 'video/webm', 'video/quicktime', 'video/x-msvideo'] as const;

export const AnalysisParamsSchema = z.object({ id: AnalysisIdSchema });
export type AnalysisParams = z.infer<typeof AnalysisParamsSchema>;

export const MAX_PAGE_SIZE = 100;

/** Query strings are text, hence coerce; defaults live here so clients and server agree. */
export const ListAnalysesQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
  kind: AnalysisKindSchema.optional(),
  status: AnalysisStatusSchema.optional(),
});
export type ListAnalysesQuery = z.input<typeof ListAnalysesQuerySchema>;

export const AnalysisPageSchema = z.object({
  /** Summaries: `result` is null (frame data stays out of the list), `summary` counts the people. */
  items: z.array(AnalysisSchema),
  total: z.number().int().nonnegative(),
  page: z.number().int().min(1),
  pageSize: z.number().int().min(1),
});
export type AnalysisPage = z.infer<typeof AnalysisPageSchema>;

export const DependencyStatusSchema = z.enum(['up', 'down']);

/** Same shape for 200 (all up) and 503 (any down), so compose and the UI read one schema. */
export const HealthResponseSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  mongo: DependencyStatusSchema,
  poseService: z.object({
    status: DependencyStatusSchema,
    /** cpu, cuda, ... as reported by pose-service; null when it is unreachable. */
    device: z.string().nullable(),
  }),
});
export type HealthResponse = z.infer<typeof HealthResponseSchema>;

export const API_ERROR_CODES = [
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'INVALID_ID',
  'NOT_FOUND',
  'EMPTY_UPLOAD',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  /** The file has a supported type but pose-service could not decode it (corrupt, too many frames, ...). */
  'UNPROCESSABLE_MEDIA',
  'CONFLICT',
  /** No credentials, or credentials that are unknown, expired or revoked. */
  'UNAUTHENTICATED',
  /** Known credentials without the role the request needs, or a cross-origin state change. */
  'FORBIDDEN',
  /** The Host header names no host this deployment serves (DNS rebinding). */
  'MISDIRECTED_REQUEST',
  'TOO_MANY_REQUESTS',
  'SERVICE_UNAVAILABLE',
  'INTERNAL',
] as const;
export const ApiErrorCodeSchema = z.enum(API_ERROR_CODES);
export type ApiErrorCode = z.infer<typeof ApiErrorCodeSchema>;

export const ApiErrorSchema = z.object({
  error: z.object({ code: ApiErrorCodeSchema, message: z.string() }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;
