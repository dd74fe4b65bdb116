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

/**
 * BlazePose GHUM's 33 landmarks in MediaPipe's order (snake_case of its PoseLandmark names). The COCO-17 names
 * are a subset, so one name enum covers both models.
 */
export const BLAZEPOSE_KEYPOINT_NAMES = [
  'nose',
  'left_eye_inner',
  'left_eye',
  'left_eye_outer',
  'right_eye_inner',
  'right_eye',
  'right_eye_outer',
  'left_ear',
  'right_ear',
  'mouth_left',
  'mouth_right',
  'left_shoulder',
  'right_shoulder',
  'left_elbow',
  'right_elbow',
  'left_wrist',
  'right_wrist',
  'left_pinky',
  'right_pinky',
  'left_index',
  'right_index',
  'left_thumb',
  'right_thumb',
  'left_hip',
  'right_hip',
  'left_knee',
  'right_knee',
  'left_ankle',
  'right_ankle',
  'left_heel',
  'right_heel',
  'left_foot_index',
  'right_foot_index',
] as const;

/** MediaPipe's POSE_CONNECTIONS, as pairs of indices into BLAZEPOSE_KEYPOINT_NAMES. */
export const BLAZEPOSE_SKELETON: ReadonlyArray<readonly [number, number]> = [
  [0, 1], [1, 2], [2, 3], [3, 7], [0, 4], [4, 5], [5, 6], [6, 8], [9, 10], [11, 12], [11, 13], [13, 15],
  [15, 17], [15, 19], [15, 21], [17, 19], [12, 14], [14, 16], [16, 18], [16, 20], [16, 22], [18, 20],
  [11, 23], [12, 24], [23, 24], [23, 25], [24, 26], [25, 27], [26, 28], [27, 29], [28, 30], [29, 31],
  [30, 32], [27, 31], [28, 32],
];

export const KeypointNameSchema = z.enum(BLAZEPOSE_KEYPOINT_NAMES);
export type KeypointName = z.infer<typeof KeypointNameSchema>;

export interface KeypointLayout {
  readonly names: readonly KeypointName[];
  readonly skeleton: ReadonlyArray<readonly [number, number]>;
}

/** The keypoint lists a person may carry: MoveNet's COCO-17 or BlazePose's 33, each in its own fixed order. */
export const KEYPOINT_LAYOUTS: readonly KeypointLayout[] = [
  { names: COCO_KEYPOINT_NAMES, skeleton: COCO_SKELETON },
  { names: BLAZEPOSE_KEYPOINT_NAMES, skeleton: BLAZEPOSE_SKELETON },
];

/** The layout whose names are exactly `keypoints`' names in order; undefined for any other list. */
export function findKeypointLayout(keypoints: ReadonlyArray<{ readonly name: string }>): KeypointLayout | undefined {
  return KEYPOINT_LAYOUTS.find(
    (layout) => layout.names.length === keypoints.length && layout.names.every((name, i) => keypoints[i].name === name),
  );
}

const LAYOUT_MESSAGE = `must be the ${COCO_KEYPOINT_NAMES.length} COCO keypoints or the ${BLAZEPOSE_KEYPOINT_NAMES.length} BlazePose landmarks, named and ordered as in COCO_KEYPOINT_NAMES / BLAZEPOSE_KEYPOINT_NAMES`;

/** Confidence in [0, 1]. */
export const ScoreSchema = z.number().min(0).max(1);

/** A keypoint in original-image pixels (not the model's letterboxed input). */
export const KeypointSchema = z.object({
  name: KeypointNameSchema,
  x: z.number(),
  y: z.number(),
  /** MoveNet: keypoint confidence; BlazePose: visibility (in frame and not occluded). */
  score: ScoreSchema,
  /** BlazePose only: how likely the landmark is in the frame at all. */
  presence: ScoreSchema.optional(),
});
export type Keypoint = z.infer<typeof KeypointSchema>;

/**
 * A BlazePose world landmark: metres, origin between the hips, x to the person's left in the picture, y down,
 * z away from the camera (MediaPipe's convention). score = visibility.
 */
export const Keypoint3dSchema = z.object({
  name: KeypointNameSchema,
  x: z.number(),
  y: z.number(),
  z: z.number(),
  score: ScoreSchema,
});
export type Keypoint3d = z.infer<typeof Keypoint3dSchema>;

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
  keypoints: z.array(KeypointSchema).refine((keypoints) => findKeypointLayout(keypoints) !== undefined, LAYOUT_MESSAGE),
  /** 3D models only (BlazePose): the same landmarks in metres; absent for 2D models. */
  keypoints3d: z
    .array(Keypoint3dSchema)
    .refine((keypoints) => findKeypointLayout(keypoints) !== undefined, LAYOUT_MESSAGE)
    .optional(),
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
