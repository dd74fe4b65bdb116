import { retryDelayMs } from './video-job-worker';

describe('retryDelayMs', () => {
  const options = { retryBaseMs: 1000, retryMaxMs: 8000 };

  it('doubles from the base and stops at the cap', () => {
    expect([0, 1, 2, 3, 4, 10].map((n) => retryDelayMs(n, options))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it("waits at least as long as pose-service's Retry-After", () => {
    expect(retryDelayMs(0, options, 5)).toBe(5000);
    expect(retryDelayMs(3, options, 1)).toBe(8000);
  });
});
