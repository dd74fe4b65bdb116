import { BLAZEPOSE_KEYPOINT_NAMES, COCO_KEYPOINT_NAMES } from './pose';
import { computeJointAngles, JOINT_ANGLES, measureAngle } from './joint-angles';

/** A person standing with the left arm bent at 90° and everything else straight, in pixels (y down). */
const standing2d: Record<string, [number, number]> = {
  left_shoulder: [100, 100],
  left_elbow: [100, 150],
  left_wrist: [150, 150],
  right_shoulder: [60, 100],
  right_elbow: [60, 150],
  right_wrist: [60, 200],
  left_hip: [95, 200],
  right_hip: [65, 200],
  left_knee: [95, 280],
  right_knee: [65, 280],
  left_ankle: [95, 360],
  right_ankle: [65, 360],
};

const coco = (score = 0.9) => ({
  keypoints: COCO_KEYPOINT_NAMES.map((name) => {
    const [x, y] = standing2d[name] ?? [80, 50];
    return { name, x, y, score };
  }),
});

describe('measureAngle', () => {
  it('gives 180° for a straight line, 90° for a right angle, in 2D and 3D', () => {
    expect(measureAngle({ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 2, y: 0 })).toBeCloseTo(180);
    expect(measureAngle({ x: 0, y: 1 }, { x: 0, y: 0 }, { x: 1, y: 0 })).toBeCloseTo(90);
    expect(measureAngle({ x: 0, y: 0, z: 1 }, { x: 0, y: 0, z: 0 }, { x: 1, y: 0, z: 1 })).toBeCloseTo(45);
  });

  it('is null when two joints coincide', () => {
    expect(measureAngle({ x: 1, y: 1 }, { x: 1, y: 1 }, { x: 2, y: 0 })).toBeNull();
  });
});

describe('computeJointAngles', () => {
  it('measures knees, elbows and hips from 2D keypoints', () => {
    const angles = computeJointAngles(coco());
    expect(Object.keys(angles)).toEqual(JOINT_ANGLES.map((angle) => angle.name));
    expect(angles.left_elbow).toBeCloseTo(90);
    expect(angles.right_elbow).toBeCloseTo(180);
    expect(angles.left_knee).toBeCloseTo(180);
    // Shoulder 5 px outside the hip: the hip angle is a little under straight.
    expect(angles.left_hip).toBeCloseTo(180 - (Math.atan(5 / 100) * 180) / Math.PI);
  });

  it('leaves out joints whose keypoints are too unsure', () => {
    const person = coco();
    person.keypoints[COCO_KEYPOINT_NAMES.indexOf('left_ankle')].score = 0.1;
    const angles = computeJointAngles(person);
    expect(angles.left_knee).toBeNull();
    expect(angles.right_knee).toBeCloseTo(180);
    expect(computeJointAngles(coco(0.5), 0.6).left_elbow).toBeNull();
  });

  it('prefers 3D keypoints: a forearm pointing at the camera is bent, though it looks straight in 2D', () => {
    const keypoints = BLAZEPOSE_KEYPOINT_NAMES.map((name) => ({ name, x: 0, y: 0, score: 0.9 }));
    const keypoints3d = BLAZEPOSE_KEYPOINT_NAMES.map((name) => ({ name, x: 0, y: 0, z: 0, score: 0.9 }));
    const set = (name: string, x: number, y: number, z: number) => {
      const i = BLAZEPOSE_KEYPOINT_NAMES.indexOf(name as never);
      keypoints[i] = { ...keypoints[i], x: x * 100, y: y * 100 };
      keypoints3d[i] = { ...keypoints3d[i], x, y, z };
    };
    set('right_shoulder', 0, -0.5, 0);
    set('right_elbow', 0, -0.2, 0);
    // Straight down in the picture, but towards the camera in depth.
    set('right_wrist', 0, 0.1, -0.3);
    expect(computeJointAngles({ keypoints, keypoints3d }).right_elbow).toBeCloseTo(135);
    expect(computeJointAngles({ keypoints }).right_elbow).toBeCloseTo(180);
  });
});
