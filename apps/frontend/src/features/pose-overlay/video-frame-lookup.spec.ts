import type { VideoFrame } from '@posestack/api-contracts';
import { computeMaxFrameGap, findFrameAtTime } from './video-frame-lookup';

const frames: VideoFrame[] = [0, 0.5, 1, 1.5, 4].map((timeS, index) => ({ index, timeS, people: [] }));

describe('findFrameAtTime', () => {
  it('picks the nearest sampled frame', () => {
    expect(findFrameAtTime(frames, 0.6, 1)?.index).toBe(1);
    expect(findFrameAtTime(frames, 0.9, 1)?.index).toBe(2);
    expect(findFrameAtTime(frames, 0, 1)?.index).toBe(0);
    expect(findFrameAtTime(frames, 4.2, 1)?.index).toBe(4);
  });

  it('draws nothing in a gap wider than the tolerance', () => {
    expect(findFrameAtTime(frames, 2.8, 0.75)).toBeUndefined();
  });

  it('copes with no frames and a NaN time (video not loaded yet)', () => {
    expect(findFrameAtTime([], 1, 1)).toBeUndefined();
    expect(findFrameAtTime(frames, Number.NaN, 1)).toBeUndefined();
  });
});

describe('computeMaxFrameGap', () => {
  it('uses the mean sampling interval', () => {
    expect(computeMaxFrameGap(frames.slice(0, 4), 30)).toBeCloseTo(0.75);
  });

  it('falls back to the frame rate for a single frame', () => {
    expect(computeMaxFrameGap(frames.slice(0, 1), 25)).toBeCloseTo(0.06);
  });
});
