import { z } from 'zod';
import { KeypointNameSchema } from './pose';

/** Multipart field of POST /api/analyses that picks the pose model; it must come before the file field. */
export const MODEL_FIELD = 'model';

/** 2d: keypoints in image pixels only (MoveNet); 3d: also world keypoints in metres (BlazePose). */
export const PoseModelKindSchema = z.enum(['2d', '3d']);
export type PoseModelKind = z.infer<typeof PoseModelKindSchema>;

/** A model pose-service has loaded, with the keypoints each of its people carries, in order. */
export const PoseModelSchema = z.object({
  name: z.string().min(1),
  kind: PoseModelKindSchema,
  keypoints: z.array(KeypointNameSchema),
});
export type PoseModel = z.infer<typeof PoseModelSchema>;

/** GET /api/models */
export const PoseModelListSchema = z.object({ models: z.array(PoseModelSchema) });
export type PoseModelList = z.infer<typeof PoseModelListSchema>;
