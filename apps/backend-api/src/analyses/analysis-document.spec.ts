import { ObjectId } from 'mongodb';
import { AnalysisSchema } from '@posestack/api-contracts';
import { summarise, toAnalysis, type AnalysisDocument } from './analysis-document';

describe('toAnalysis', () => {
  const id = new ObjectId('65f0c0ffee0000000000abcd');
  const doc: AnalysisDocument = {
    _id: id,
    kind: 'video',
    status: 'running',
    createdAt: new Date('2026-01-01T00:00:00Z'),
    updatedAt: new Date('2026-01-01T00:00:01Z'),
    media: { filename: 'walk.mp4', contentType: 'video/mp4', size: 13000, fileId: new ObjectId() },
    model: null,
    result: null,
    timings: {},
    attempts: 1,
    leaseOwner: 'worker-1',
    leaseUntil: new Date(),
    claims: 1,
  };

  it('gives the contract shape without job internals', () => {
    const analysis = toAnalysis(doc);
    expect(AnalysisSchema.parse(analysis)).toEqual(analysis);
    expect(analysis.media).toEqual({ filename: 'walk.mp4', contentType: 'video/mp4', size: 13000, mediaUrl: `/api/analyses/${id}/media` });
    expect(analysis).not.toHaveProperty('leaseOwner');
    expect(analysis).not.toHaveProperty('error');
  });
});

describe('summarise', () => {
  const person = { score: 0.9, box: { x: 0, y: 0, width: 1, height: 1 }, keypoints: [] };
  it('counts the people of an image, and the most people in any one frame of a video', () => {
    expect(summarise({ people: [person, person] })).toEqual({ peopleCount: 2 });
    const frame = (people: number) => ({ index: 0, timeS: 0, people: Array.from({ length: people }, (_, trackId) => ({ ...person, trackId })) });
    expect(summarise({ frames: [frame(1), frame(3), frame(0)] })).toEqual({ peopleCount: 3 });
    expect(summarise({ frames: [] })).toEqual({ peopleCount: 0 });
  });
});
