import { BLAZEPOSE_KEYPOINT_NAMES, COCO_KEYPOINT_NAMES, ImageResultSchema, PoseModelSchema, VideoResultSchema } from '@posestack/api-contracts';
import { RawImagePoseSchema, RawModelListSchema, RawVideoPoseSchema, toImageOutcome, toModelsFromHealthNames, toVideoOutcome } from './adapter';

const rawPerson = (trackId?: number) => ({
  score: 1.00001,
  box: { x_min: 10, y_min: 20, x_max: 110, y_max: 220 },
  keypoints: COCO_KEYPOINT_NAMES.map((name) => ({ name, x: 1, y: 2, score: 0.5 })),
  ...(trackId === undefined ? {} : { track_id: trackId }),
});

describe('pose-service adapter', () => {
  it('turns corner boxes into x/y/width/height and clamps scores', () => {
    const raw = RawImagePoseSchema.parse({ model: 'multipose', width: 640, height: 480, people: [rawPerson()] });
    const outcome = toImageOutcome(raw);
    expect(outcome.result.people[0].box).toEqual({ x: 10, y: 20, width: 100, height: 200 });
    expect(outcome.result.people[0].score).toBe(1);
    expect(outcome.media).toEqual({ width: 640, height: 480 });
    expect(ImageResultSchema.safeParse(outcome.result).success).toBe(true);
  });

  it('maps frames, track ids and derives the duration', () => {
    const raw = RawVideoPoseSchema.parse({
      model: 'multipose',
      width: 256,
      height: 192,
      fps: 8,
      frame_count: 12,
      track_count: 1,
      frames: [{ index: 3, time_s: 0.375, people: [rawPerson(7)] }],
    });
    const outcome = toVideoOutcome(raw);
    expect(outcome.result.frames[0]).toMatchObject({ index: 3, timeS: 0.375, people: [{ trackId: 7 }] });
    expect(outcome.media).toMatchObject({ fps: 8, frameCount: 12, durationS: 1.5 });
    expect(VideoResultSchema.safeParse(outcome.result).success).toBe(true);
  });

  it('keeps BlazePose presence and world landmarks (keypoints_3d -> keypoints3d), and MoveNet people without them', () => {
    const blazepose = {
      ...rawPerson(),
      keypoints: BLAZEPOSE_KEYPOINT_NAMES.map((name) => ({ name, x: 1, y: 2, score: 0.7, presence: 1.00002 })),
      keypoints_3d: BLAZEPOSE_KEYPOINT_NAMES.map((name) => ({ name, x: 0.1, y: -0.2, z: 0.3, score: 0.7 })),
    };
    const raw = RawImagePoseSchema.parse({ model: 'blazepose-lite', width: 640, height: 480, people: [blazepose, { ...rawPerson(), keypoints_3d: null }] });
    const [person3d, person2d] = toImageOutcome(raw).result.people;
    expect(person3d.keypoints[0]).toEqual({ name: 'nose', x: 1, y: 2, score: 0.7, presence: 1 });
    expect(person3d.keypoints3d?.[0]).toEqual({ name: 'nose', x: 0.1, y: -0.2, z: 0.3, score: 0.7 });
    expect(person2d).not.toHaveProperty('keypoints3d');
    expect(person2d.keypoints[0]).not.toHaveProperty('presence');
    expect(ImageResultSchema.safeParse(toImageOutcome(raw).result).success).toBe(true);
  });

  it('reads /v1/models, and describes /health-only names as 2D COCO-17 models', () => {
    const listed = RawModelListSchema.parse([{ name: 'blazepose-lite', kind: '3d', keypoints: [...BLAZEPOSE_KEYPOINT_NAMES] }]);
    expect(PoseModelSchema.parse(listed[0]).kind).toBe('3d');
    expect(toModelsFromHealthNames(['lightning', 'multipose'])).toEqual([
      { name: 'lightning', kind: '2d', keypoints: [...COCO_KEYPOINT_NAMES] },
      { name: 'multipose', kind: '2d', keypoints: [...COCO_KEYPOINT_NAMES] },
    ]);
  });
});
