import { z } from 'zod';
import {
  COCO_KEYPOINT_NAMES,
  KeypointNameSchema,
  PoseModelKindSchema,
  type PoseModel,
  type ImageResult,
  type Media,
  type Person,
  type TrackedPerson,
  type VideoResult,
} from '@posestack/api-contracts';

/*
 * The only module that knows pose-service's wire shapes (apps/pose-service/src/pose_service/models.py, snake_case,
 * corner boxes). Everything else in backend-api speaks @posestack/api-contracts. When pose-service changes a
 * field, this file and its spec change, nothing else.
 */

const RawKeypointSchema = z.object({
  name: KeypointNameSchema,
  x: z.number(),
  y: z.number(),
  score: z.number(),
  presence: z.number().nullable().optional(),
});

const RawKeypoint3dSchema = z.object({ name: KeypointNameSchema, x: z.number(), y: z.number(), z: z.number(), score: z.number() });

const RawPersonSchema = z.object({
  score: z.number(),
  box: z.object({ x_min: z.number(), y_min: z.number(), x_max: z.number(), y_max: z.number() }),
  keypoints: z.array(RawKeypointSchema),
  /** BlazePose world landmarks (metres, hip-centred); null or absent for 2D models. */
  keypoints_3d: z.array(RawKeypoint3dSchema).nullable().optional(),
  track_id: z.number().int().nullable().optional(),
});
type RawPerson = z.infer<typeof RawPersonSchema>;

export const RawImagePoseSchema = z.object({
  model: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  people: z.array(RawPersonSchema),
  timings_ms: z.record(z.string(), z.number()).optional(),
});
export type RawImagePose = z.infer<typeof RawImagePoseSchema>;

export const RawVideoPoseSchema = z.object({
  model: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  fps: z.number(),
  frame_count: z.number().int(),
  frames: z.array(z.object({ index: z.number().int(), time_s: z.number(), people: z.array(RawPersonSchema) })),
  timings_ms: z.record(z.string(), z.number()).optional(),
});
export type RawVideoPose = z.infer<typeof RawVideoPoseSchema>;

export const RawHealthSchema = z.object({ status: z.string(), device: z.string(), models: z.array(z.string()).optional() });

/** GET /v1/models: the loaded models. */
export const RawModelListSchema = z.array(
  z.object({ name: z.string().min(1), kind: PoseModelKindSchema, keypoints: z.array(KeypointNameSchema) }),
);

/**
 * A pose-service without /v1/models predates BlazePose: every model it can load is a MoveNet, 2D with the
 * COCO-17 keypoints, so /health's names are enough to describe them.
 */
export function toModelsFromHealthNames(names: readonly string[]): PoseModel[] {
  return names.map((name) => ({ name, kind: '2d', keypoints: [...COCO_KEYPOINT_NAMES] }));
}

/** pose-service's error body (api/errors.py). */
export const RawErrorSchema = z.object({ code: z.string(), detail: z.string() });

/** Scores are clamped: the contract promises [0, 1] and a model may round to 1.00001. */
const clampScore = (score: number) => Math.min(1, Math.max(0, score));

export function toPerson(raw: RawPerson): Person {
  const { x_min, y_min, x_max, y_max } = raw.box;
  return {
    score: clampScore(raw.score),
    box: { x: x_min, y: y_min, width: Math.max(0, x_max - x_min), height: Math.max(0, y_max - y_min) },
    keypoints: raw.keypoints.map((k) => ({
      name: k.name,
      x: k.x,
      y: k.y,
      score: clampScore(k.score),
      ...(typeof k.presence === 'number' ? { presence: clampScore(k.presence) } : {}),
    })),
    ...(raw.keypoints_3d
      ? { keypoints3d: raw.keypoints_3d.map((k) => ({ name: k.name, x: k.x, y: k.y, z: k.z, score: clampScore(k.score) })) }
      : {}),
  };
}

function toTrackedPerson(raw: RawPerson, fallbackId: number): TrackedPerson {
  // pose-service always tracks video people; a missing id would break the contract, so number by position.
  return { ...toPerson(raw), trackId: raw.track_id ?? fallbackId };
}

export interface PoseOutcome<R> {
  model: string;
  result: R;
  media: Partial<Media>;
  stagesMs?: Record<string, number>;
}

export function toImageOutcome(raw: RawImagePose): PoseOutcome<ImageResult> {
  return {
    model: raw.model,
    result: { people: raw.people.map(toPerson) },
    media: { width: raw.width, height: raw.height },
    stagesMs: raw.timings_ms,
  };
}

export function toVideoOutcome(raw: RawVideoPose): PoseOutcome<VideoResult> {
  const result: VideoResult = {
    frames: raw.frames.map((frame) => ({
      index: frame.index,
      timeS: frame.time_s,
      people: frame.people.map((person, i) => toTrackedPerson(person, i)),
    })),
  };
  return {
    model: raw.model,
    result,
    media: {
      width: raw.width,
      height: raw.height,
      fps: raw.fps > 0 ? raw.fps : undefined,
      frameCount: raw.frame_count,
      durationS: raw.fps > 0 ? Math.round((raw.frame_count / raw.fps) * 1000) / 1000 : undefined,
    },
    stagesMs: raw.timings_ms,
  };
}
