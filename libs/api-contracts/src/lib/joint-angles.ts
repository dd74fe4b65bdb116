import type { KeypointName, Person } from './pose';

/**
 * The joint angles we plot, each the angle at the middle joint between its two neighbours (180 = straight):
 * knee = hip-knee-ankle, elbow = shoulder-elbow-wrist, hip = shoulder-hip-knee. All six exist in both the
 * COCO-17 and the BlazePose-33 layouts.
 */
export const JOINT_ANGLES = [
  { name: 'left_knee', joints: ['left_hip', 'left_knee', 'left_ankle'] },
  { name: 'right_knee', joints: ['right_hip', 'right_knee', 'right_ankle'] },
  { name: 'left_elbow', joints: ['left_shoulder', 'left_elbow', 'left_wrist'] },
  { name: 'right_elbow', joints: ['right_shoulder', 'right_elbow', 'right_wrist'] },
  { name: 'left_hip', joints: ['left_shoulder', 'left_hip', 'left_knee'] },
  { name: 'right_hip', joints: ['right_shoulder', 'right_hip', 'right_knee'] },
] as const satisfies ReadonlyArray<{ name: string; joints: readonly [KeypointName, KeypointName, KeypointName] }>;

export type JointAngleName = (typeof JOINT_ANGLES)[number]['name'];

/** Degrees per joint; null where a joint is missing or too unsure to measure. */
export type JointAngles = Record<JointAngleName, number | null>;

/** Keypoints below this score (MoveNet confidence, BlazePose visibility) are not measured. */
export const DEFAULT_ANGLE_MIN_SCORE = 0.3;

type Point = { readonly name: string; readonly x: number; readonly y: number; readonly z?: number; readonly score: number };

/**
 * Joint angles of one person. 3D keypoints (metres) when the model gave them, since a 2D angle shrinks as a limb
 * turns towards the camera; the image-plane 2D keypoints otherwise.
 */
export function computeJointAngles(
  person: Pick<Person, 'keypoints' | 'keypoints3d'>,
  minScore: number = DEFAULT_ANGLE_MIN_SCORE,
): JointAngles {
  const points: readonly Point[] = person.keypoints3d ?? person.keypoints;
  const byName = new Map(points.map((point) => [point.name, point]));
  const angles = {} as JointAngles;
  for (const { name, joints } of JOINT_ANGLES) {
    const [a, b, c] = joints.map((joint) => byName.get(joint));
    angles[name] = a && b && c && Math.min(a.score, b.score, c.score) >= minScore ? measureAngle(a, b, c) : null;
  }
  return angles;
}

/** The angle at b in degrees, or null when a segment has no length (two joints on one spot). */
export function measureAngle(a: Omit<Point, 'name' | 'score'>, b: Omit<Point, 'name' | 'score'>, c: Omit<Point, 'name' | 'score'>): number | null {
  const u = [a.x - b.x, a.y - b.y, (a.z ?? 0) - (b.z ?? 0)];
  const v = [c.x - b.x, c.y - b.y, (c.z ?? 0) - (b.z ?? 0)];
  const lengths = Math.hypot(...u) * Math.hypot(...v);
  if (lengths === 0) return null;
  const cosine = (u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) / lengths;
  // Rounding can push the cosine a hair past ±1, where acos is NaN.
  return (Math.acos(Math.min(1, Math.max(-1, cosine))) * 180) / Math.PI;
}
