import { z } from 'zod';
import { AnalysisSchema } from './analysis';
import { BLAZEPOSE_KEYPOINT_NAMES, COCO_KEYPOINT_NAMES } from './pose';

const person = {
  score: 0.9,
  box: { x: 10, y: 20, width: 100, height: 200 },
  keypoints: COCO_KEYPOINT_NAMES.map((name, i) => ({ name, x: i, y: i * 2, score: 0.5 })),
};

const base = {
  id: '65f0c0ffee0000000000abcd',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:01.000Z',
  status: 'done',
  media: { filename: 'a.jpg', contentType: 'image/jpeg', size: 10, width: 640, height: 480, mediaUrl: '/api/analyses/x/media' },
  model: 'yolo11n-pose',
  timings: { poseServiceMs: 12, stagesMs: { inference: 8 } },
  attempts: 1,
};

describe('AnalysisSchema', () => {
  it('narrows the result by kind', () => {
    const image = AnalysisSchema.parse({ ...base, kind: 'image', result: { people: [person] } });
    expect(image.kind === 'image' && image.result?.people[0].keypoints).toHaveLength(17);

    const video = AnalysisSchema.parse({
      ...base,
      kind: 'video',
      result: { frames: [{ index: 0, timeS: 0, people: [{ ...person, trackId: 3 }] }] },
    });
    expect(video.kind === 'video' && video.result?.frames[0].people[0].trackId).toBe(3);
  });

  it('rejects a video result without track ids and names the path', () => {
    const parsed = AnalysisSchema.safeParse({
      ...base,
      kind: 'video',
      result: { frames: [{ index: 0, timeS: 0, people: [person] }] },
    });
    if (parsed.success) throw new Error('a person without trackId was accepted');
    expect(z.prettifyError(parsed.error)).toContain('result.frames[0].people[0].trackId');
  });

  it('rejects a person without all 17 COCO keypoints', () => {
    const parsed = AnalysisSchema.safeParse({
      ...base,
      kind: 'image',
      result: { people: [{ ...person, keypoints: person.keypoints.slice(1) }] },
    });
    expect(parsed.success).toBe(false);
  });

  it('accepts BlazePose people with 33 landmarks and their 3D keypoints', () => {
    const blazepose = {
      ...person,
      keypoints: BLAZEPOSE_KEYPOINT_NAMES.map((name, i) => ({ name, x: i, y: i, score: 0.8, presence: 0.9 })),
      keypoints3d: BLAZEPOSE_KEYPOINT_NAMES.map((name, i) => ({ name, x: i / 100, y: -i / 100, z: 0.1, score: 0.8 })),
    };
    const image = AnalysisSchema.parse({ ...base, kind: 'image', result: { people: [blazepose] } });
    expect(image.kind === 'image' && image.result?.people[0].keypoints3d).toHaveLength(33);
  });

  it('rejects keypoints out of their layout order and names the path', () => {
    const shuffled = { ...person, keypoints: [person.keypoints[1], person.keypoints[0], ...person.keypoints.slice(2)] };
    const parsed = AnalysisSchema.safeParse({ ...base, kind: 'image', result: { people: [shuffled] } });
    if (parsed.success) throw new Error('shuffled keypoints were accepted');
    expect(z.prettifyError(parsed.error)).toContain('result.people[0].keypoints');
  });

  it('converts to JSON Schema (the OpenAPI spec is derived from it)', () => {
    expect(() => z.toJSONSchema(AnalysisSchema)).not.toThrow();
  });
});
