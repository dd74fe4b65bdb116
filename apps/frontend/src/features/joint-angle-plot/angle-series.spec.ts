import { COCO_KEYPOINT_NAMES, type TrackedPerson, type VideoFrame } from '@posestack/api-contracts';
import { buildAngleSeries, formatAngleName } from './angle-series';

/** A person whose left knee bends to `kneeDeg`, everything else laid out on a vertical line. */
function person(trackId: number, kneeDeg: number): TrackedPerson {
  const radians = (kneeDeg * Math.PI) / 180;
  const at: Record<string, [number, number]> = {
    left_hip: [0, 0],
    left_knee: [0, 100],
    // The shin turns away from the thigh's line by 180 - kneeDeg.
    left_ankle: [100 * Math.sin(Math.PI - radians), 100 + 100 * Math.cos(Math.PI - radians)],
  };
  return {
    trackId,
    score: 0.9,
    box: { x: 0, y: 0, width: 100, height: 300 },
    keypoints: COCO_KEYPOINT_NAMES.map((name, i) => ({ name, x: at[name]?.[0] ?? i, y: at[name]?.[1] ?? -i * 7, score: 0.9 })),
  };
}

describe('buildAngleSeries', () => {
  const frames: VideoFrame[] = [
    { index: 0, timeS: 0, people: [person(2, 170), person(0, 120)] },
    { index: 1, timeS: 0.5, people: [person(2, 150)] },
    { index: 2, timeS: 1, people: [] },
  ];

  it('gives each track all six angles on the frames’ time axis, with gaps where it is absent', () => {
    const series = buildAngleSeries(frames, 0.3);
    expect(series.timesS).toEqual([0, 0.5, 1]);
    expect(series.tracks.map((track) => [track.id, track.label])).toEqual([
      [0, 'Person track 1'],
      [2, 'Person track 3'],
    ]);
    const [first, third] = series.tracks;
    expect(Object.keys(third.angles)).toEqual(['left_knee', 'right_knee', 'left_elbow', 'right_elbow', 'left_hip', 'right_hip']);
    expect(third.angles.left_knee.map((v) => (v === null ? null : Math.round(v)))).toEqual([170, 150, null]);
    expect(first.angles.left_knee.map((v) => (v === null ? null : Math.round(v)))).toEqual([120, null, null]);
    expect(first.isThreeD).toBe(false);
  });

  it('names the angles for people', () => {
    expect(formatAngleName('right_elbow')).toBe('right elbow');
  });
});
