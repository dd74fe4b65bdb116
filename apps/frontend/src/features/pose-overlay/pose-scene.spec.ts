import { COCO_KEYPOINT_NAMES, type Person, type TrackedPerson } from '@posestack/api-contracts';
import { computeContainFit } from './fit-geometry';
import { buildPoseScene, formatKeypointName, formatScore } from './pose-scene';
import { TRACK_COLOURS } from './track-colours';

function makePerson(score: (index: number) => number): Person {
  return {
    score: 0.9,
    box: { x: 0, y: 0, width: 100, height: 200 },
    keypoints: COCO_KEYPOINT_NAMES.map((name, index) => ({ name, x: index * 10, y: index * 5, score: score(index) })),
  };
}

describe('buildPoseScene', () => {
  const fit = computeContainFit({ width: 200, height: 100 }, { width: 400, height: 400 }); // scale 2, offsetY 100

  it('projects all 17 keypoints into CSS pixels of the overlay', () => {
    const [person] = buildPoseScene([makePerson(() => 0.9)], fit, 0.3);
    expect(person.keypoints).toHaveLength(17);
    expect(person.keypoints[3]).toEqual({ name: 'left_ear', score: 0.9, at: { x: 60, y: 130 }, mediaAt: { x: 30, y: 15 }, isConfident: true });
  });

  it('draws limbs only between confident keypoints but still lists the unsure ones', () => {
    const confident = buildPoseScene([makePerson(() => 0.9)], fit, 0.3)[0];
    const unsureAnkles = buildPoseScene([makePerson((i) => (i >= 15 ? 0.1 : 0.9))], fit, 0.3)[0];
    expect(confident.limbs).toHaveLength(19);
    // Ankles take part in [15,13] and [16,14].
    expect(unsureAnkles.limbs).toHaveLength(17);
    expect(unsureAnkles.keypoints.filter((k) => !k.isConfident).map((k) => k.name)).toEqual(['left_ankle', 'right_ankle']);
  });

  it('colours image people by index and video people by track id', () => {
    const image = buildPoseScene([makePerson(() => 1), makePerson(() => 1)], fit, 0.3);
    expect(image.map((p) => [p.label, p.colour])).toEqual([
      ['Person 1', TRACK_COLOURS[0]],
      ['Person 2', TRACK_COLOURS[1]],
    ]);
    const tracked: TrackedPerson = { ...makePerson(() => 1), trackId: 4 };
    const [video] = buildPoseScene([tracked], fit, 0.3);
    expect([video.id, video.label, video.colour]).toEqual([4, 'Person track 5', TRACK_COLOURS[4]]);
  });

  it('gives an empty scene for nobody', () => {
    expect(buildPoseScene([], fit, 0.3)).toEqual([]);
  });
});

describe('formatting', () => {
  it('reads keypoint names and scores as words', () => {
    expect(formatKeypointName('left_shoulder')).toBe('left shoulder');
    expect(formatScore(0.876)).toBe('88%');
  });
});
