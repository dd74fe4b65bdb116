import { z } from 'zod';

/**
 * COCO-17 keypoint order, as emitted by every COCO-trained pose model (YOLO-pose, RTMPose, Keypoint R-CNN).
 * The order is part of the contract: clients index skeleton edges by it.
 */
export const COCO_KEYPOINT_NAMES = [
  'nose',
  'left_eye',
  'right_eye',
  'left_ear',
  'right_ear',
  'left_shoulder',
  'right_shoulder',
  'left_elbow',
  'right_elbow',
  'left_wrist',
  'right_wrist',
  'left_hip',
  'right_hip',
  'left_knee',
  'right_knee',
  'left_ankle',
  'right_ankle',
] as const;

/** Limb edges as pairs of indices into COCO_KEYPOINT_NAMES (the COCO dataset's own skeleton, 0-based). */
export const COCO_SKELETON: ReadonlyArray<readonly [number, number]> = [
  [15, 13], [13, 11], [16, 14], [14, 12], [11, 12], [5, 11], [6, 12], [5, 6], [5, 7],
  [6, 8], [7, 9], [8, 10], [1, 2], [0, 1], [0, 2], [1, 3], [2, 4], [3, 5], [4, 6],
];

export const KeypointNameSchema = z.enum(COCO_KEYPOINT_NAMES);
export type KeypointName = z.infer<typeof KeypointNameSchema>;

/** Confidence in [0, 1]. */
export const ScoreSchema = z.number().min(0).max(1);

/** A keypoint in original-image pixels (not the model's letterboxed input). */
export const KeypointSchema = z.object({
  name: KeypointNameSchema,
  x: z.number(),
  y: z.number(),
  score: ScoreSchema,
});
export type Keypoint = z.infer<typeof KeypointSchema>;

/** Axis-aligned person box in original-image pixels; (x, y) is the top-left corner. */
export const BoxSchema = z.object({
  x: z.number(),
  y: z.number(),
  width: z.number().nonnegative(),
  height: z.number().nonnegative(),
});
export type Box = z.infer<typeof BoxSchema>;

export const PersonSchema = z.object({
  score: ScoreSchema,
  box: BoxSchema,
  keypoints: z.array(KeypointSchema).length(COCO_KEYPOINT_NAMES.length),
});
export type Person = z.infer<typeof PersonSchema>;

/** A person in a video frame; trackId is stable across the frames of one analysis. */
export const TrackedPersonSchema = PersonSchema.extend({ trackId: z.number().int().nonnegative() });
export type TrackedPerson = z.infer<typeof TrackedPersonSchema>;

export const ImageResultSchema = z.object({ people: z.array(PersonSchema) });
export type ImageResult = z.infer<typeof ImageResultSchema>;

export const VideoFrameSchema = z.object({
  index: z.number().int().nonnegative(),
  timeS: z.number().nonnegative(),
  people: z.array(TrackedPersonSchema),
});
export type VideoFrame = z.infer<typeof VideoFrameSchema>;

export const VideoResultSchema = z.object({ frames: z.array(VideoFrameSchema) });
export type VideoResult = z.infer<typeof VideoResultSchema>;
