import type { VideoFrame } from '@posestack/api-contracts';

/**
 * The frame whose timestamp is nearest to `timeS`, or undefined when the nearest one is further than
 * `maxGapS` away (pose-service may sample every n-th frame, or the clip has stretches without results:
 * better to draw nothing than a stale skeleton). `frames` must be sorted by timeS, as the API returns them.
 */
export function findFrameAtTime(frames: readonly VideoFrame[], timeS: number, maxGapS: number): VideoFrame | undefined {
  if (frames.length === 0 || !Number.isFinite(timeS)) return undefined;
  let low = 0;
  let high = frames.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (frames[middle].timeS < timeS) low = middle + 1;
    else high = middle;
  }
  const after = frames[low];
  const before = frames[Math.max(0, low - 1)];
  const nearest = Math.abs(before.timeS - timeS) <= Math.abs(after.timeS - timeS) ? before : after;
  return Math.abs(nearest.timeS - timeS) <= maxGapS ? nearest : undefined;
}

/** Tolerance for findFrameAtTime: one and a half sampling intervals, so every sampled frame covers its span. */
export function computeMaxFrameGap(frames: readonly VideoFrame[], fallbackFps: number): number {
  if (frames.length >= 2) {
    const span = frames[frames.length - 1].timeS - frames[0].timeS;
    if (span > 0) return (1.5 * span) / (frames.length - 1);
  }
  return 1.5 / (fallbackFps > 0 ? fallbackFps : 30);
}
