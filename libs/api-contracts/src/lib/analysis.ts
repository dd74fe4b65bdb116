import { z } from 'zod';
import { ImageResultSchema, VideoResultSchema } from './pose';

/** MongoDB ObjectId as 24 lowercase or uppercase hex characters. */
export const AnalysisIdSchema = z.string().regex(/^[0-9a-fA-F]{24}$/, 'must be a 24-character hex id');

export const AnalysisKindSchema = z.enum(['image', 'video']);
export type AnalysisKind = z.infer<typeof AnalysisKindSchema>;

/** Images go straight to done|failed; videos walk pending -> running -> done|failed. */
export const AnalysisStatusSchema = z.enum(['pending', 'running', 'done', 'failed']);
export type AnalysisStatus = z.infer<typeof AnalysisStatusSchema>;

export const MediaSchema = z.object({
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  durationS: z.number().nonnegative().optional(),
  fps: z.number().positive().optional(),
  frameCount: z.number().int().nonnegative().optional(),
  /** Relative URL of the stored original (GET /api/analyses/:id/media). */
  mediaUrl: z.string(),
});
export type Media = z.infer<typeof MediaSchema>;

export const TimingsSchema = z.object({
  /** Time from upload to the start of processing (videos: time spent queued). */
  queuedMs: z.number().nonnegative().optional(),
  /** Round trip to pose-service as seen by the backend. */
  poseServiceMs: z.number().nonnegative().optional(),
  /** Stage timings reported by pose-service itself (decode, inference, ...), passed through. */
  stagesMs: z.record(z.string(), z.number()).optional(),
});
export type Timings = z.infer<typeof TimingsSchema>;

export const AnalysisErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
});
export type AnalysisError = z.infer<typeof AnalysisErrorSchema>;

/** Written with the result; the list carries it instead of the result. */
export const AnalysisSummarySchema = z.object({
  /** People found (videos: the most in any one frame). */
  peopleCount: z.number().int().nonnegative(),
});
export type AnalysisSummary = z.infer<typeof AnalysisSummarySchema>;

const analysisBase = {
  id: AnalysisIdSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  status: AnalysisStatusSchema,
  media: MediaSchema,
  /** The pose model that produced the result; null until pose-service has answered. */
  model: z.string().nullable(),
  timings: TimingsSchema,
  /** Why the last attempt failed; absent unless status is failed. */
  error: AnalysisErrorSchema.optional(),
  /** How many times processing has started (retries and restart recoveries included). */
  attempts: z.number().int().nonnegative(),
  /** Present once done. */
  summary: AnalysisSummarySchema.optional(),
};

export const ImageAnalysisSchema = z.object({
  ...analysisBase,
  kind: z.literal('image'),
  /** Null until done, and always null in list pages (GET /api/analyses/:id has it). */
  result: ImageResultSchema.nullable(),
});
export type ImageAnalysis = z.infer<typeof ImageAnalysisSchema>;

export const VideoAnalysisSchema = z.object({
  ...analysisBase,
  kind: z.literal('video'),
  /** Null until done, and always null in list pages (GET /api/analyses/:id has it). */
  result: VideoResultSchema.nullable(),
});
export type VideoAnalysis = z.infer<typeof VideoAnalysisSchema>;

/** Discriminated by kind, so `analysis.kind === 'video'` narrows `result` to frames. */
export const AnalysisSchema = z.discriminatedUnion('kind', [ImageAnalysisSchema, VideoAnalysisSchema]);
export type Analysis = z.infer<typeof AnalysisSchema>;
