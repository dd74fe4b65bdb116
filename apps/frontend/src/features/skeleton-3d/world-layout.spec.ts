import { BLAZEPOSE_KEYPOINT_NAMES, COCO_KEYPOINT_NAMES, type TrackedPerson } from '@posestack/api-contracts';
import { hasWorldKeypoints, layoutPeopleInWorld, measureWorld } from './world-layout';

function blazePerson(trackId: number, boxX: number, score = 0.9): TrackedPerson {
  return {
    trackId,
    score: 0.9,
    box: { x: boxX, y: 0, width: 100, height: 340 },
    keypoints: BLAZEPOSE_KEYPOINT_NAMES.map((name) => ({ name, x: boxX, y: 0, score })),
    // Nose 0.6 m above the hips and 0.1 m towards the camera; everything else on the hips.
    keypoints3d: BLAZEPOSE_KEYPOINT_NAMES.map((name) => ({ name, x: 0, y: name === 'nose' ? -0.6 : 0, z: name === 'nose' ? -0.1 : 0, score })),
  };
}

describe('layoutPeopleInWorld', () => {
  it('turns MediaPipe axes into three.js axes (y up, z towards the camera)', () => {
    const [person] = layoutPeopleInWorld([blazePerson(4, 0)], 0.3);
    expect(person.joints[0]).toEqual({ x: 0, y: 0.6, z: 0.1 });
    expect(person).toMatchObject({ id: 4, label: 'Person track 5' });
    // Every BlazePose connection has both ends drawn.
    expect(person.bones).toHaveLength(35);
  });

  it('puts people side by side as in the picture, in metres from their box height', () => {
    const [left, right] = layoutPeopleInWorld([blazePerson(0, 0), blazePerson(1, 340)], 0.3);
    // 340 px apart with 340 px tall boxes: one person height (1.7 m) apart, centred on 0.
    expect(left.joints[0]?.x).toBeCloseTo(-0.85);
    expect(right.joints[0]?.x).toBeCloseTo(0.85);
  });

  it('leaves out unsure joints and the bones through them, and 2D-only people altogether', () => {
    const twoD: TrackedPerson = { trackId: 9, score: 0.8, box: { x: 0, y: 0, width: 1, height: 1 }, keypoints: COCO_KEYPOINT_NAMES.map((name) => ({ name, x: 0, y: 0, score: 1 })) };
    const people = layoutPeopleInWorld([blazePerson(0, 0, 0.1), twoD], 0.3);
    expect(people).toHaveLength(1);
    expect(people[0].joints.every((joint) => joint === null)).toBe(true);
    expect(people[0].bones).toEqual([]);
    expect(hasWorldKeypoints([twoD])).toBe(false);
    expect(hasWorldKeypoints([twoD, blazePerson(0, 0)])).toBe(true);
  });
});

describe('measureWorld', () => {
  it('frames every joint and finds the floor', () => {
    const bounds = measureWorld(layoutPeopleInWorld([blazePerson(0, 0), blazePerson(1, 340)], 0.3));
    expect(bounds?.floorY).toBeCloseTo(0);
    expect(bounds?.centre.x).toBeCloseTo(0);
    expect(bounds?.radius).toBeCloseTo(Math.hypot(1.7, 0.6, 0.1) / 2);
    expect(measureWorld([])).toBeUndefined();
  });
});
