import { AnalysisParamsSchema, ListAnalysesQuerySchema } from './api';

describe('ListAnalysesQuerySchema', () => {
  it('coerces query strings and applies the shared defaults', () => {
    expect(ListAnalysesQuerySchema.parse({})).toEqual({ page: 1, pageSize: 20 });
    expect(ListAnalysesQuerySchema.parse({ page: '3', pageSize: '5', kind: 'video' })).toEqual({
      page: 3,
      pageSize: 5,
      kind: 'video',
    });
  });

  it('caps the page size', () => {
    expect(ListAnalysesQuerySchema.safeParse({ pageSize: '1000' }).success).toBe(false);
  });
});

describe('AnalysisParamsSchema', () => {
  it('accepts only ObjectId-shaped ids', () => {
    expect(AnalysisParamsSchema.safeParse({ id: '65f0c0ffee0000000000abcd' }).success).toBe(true);
    expect(AnalysisParamsSchema.safeParse({ id: 'nope' }).success).toBe(false);
  });
});
