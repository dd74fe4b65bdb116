import { MAX_POLL_DELAY_MS, computePollDelay, formatStatus, isFinalStatus } from './poll-schedule';

describe('poll schedule', () => {
  it('starts fast and backs off to a ceiling', () => {
    const delays = Array.from({ length: 10 }, (_, attempt) => computePollDelay(attempt));
    expect(delays[0]).toBe(500);
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
    expect(delays[9]).toBe(MAX_POLL_DELAY_MS);
  });

  it('stops on done and failed only', () => {
    expect(['pending', 'running', 'done', 'failed'].map((s) => isFinalStatus(s as never))).toEqual([false, false, true, true]);
    expect(formatStatus('running')).toBe('Analysing');
  });
});
