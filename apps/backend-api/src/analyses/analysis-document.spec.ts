import { ObjectId } from 'mongodb';
import { AnalysisSchema } from '@posestack/api-contracts';
import { toAnalysis, type AnalysisDocument } from './analysis-document';

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
