import { decideGpu } from './gpu-status';

describe('decideGpu', () => {
  it('runs the GPU checks when pose-service reports CUDA', () => {
    expect(decideGpu({ device: 'cuda:0' }, false, 'http://p')).toEqual({
      isCuda: true,
      isRequired: false,
      reason: 'pose-service reports cuda:0',
    });
  });

  it('skips with the reason on CPU unless a GPU is required', () => {
    const decision = decideGpu({ device: 'cpu' }, false, 'http://p');
    expect(decision.isCuda).toBe(false);
    expect(decision.reason).toContain('reports device cpu, not CUDA');
    expect(decideGpu({ device: 'cpu' }, true, 'http://p').isRequired).toBe(true);
  });

  it('names a missing URL', () => {
    expect(decideGpu(undefined, false, undefined).reason).toContain('POSE_SERVICE_URL unset');
  });
});
