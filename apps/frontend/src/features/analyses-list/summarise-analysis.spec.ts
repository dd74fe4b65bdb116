import { COCO_KEYPOINT_NAMES, type Analysis, type Person } from '@posestack/api-contracts';
import { countPeople, formatAnalysisDate, formatPeopleCount } from './summarise-analysis';

const person: Person = {
  score: 1,
  box: { x: 0, y: 0, width: 1, height: 1 },
  keypoints: COCO_KEYPOINT_NAMES.map((name) => ({ name, x: 0, y: 0, score: 1 })),
};
const base = {
  id: '0123456789abcdef01234567',
  createdAt: '2026-11-27T04:00:00.000Z',
  updatedAt: '2026-11-27T04:00:00.000Z',
  media: { filename: 'a', contentType: 'video/mp4', size: 1, mediaUrl: '/m' },
  model: null,
  timings: {},
  attempts: 1,
};

describe('countPeople', () => {
  it('counts image people and the busiest video frame', () => {
    const image: Analysis = { ...base, kind: 'image', status: 'done', result: { people: [person, person] } };
    const video: Analysis = {
      ...base,
      kind: 'video',
      status: 'done',
      result: {
        frames: [
          { index: 0, timeS: 0, people: [{ ...person, trackId: 0 }] },
          { index: 1, timeS: 0.1, people: [{ ...person, trackId: 0 }, { ...person, trackId: 1 }, { ...person, trackId: 2 }] },
        ],
      },
    };
    expect(countPeople(image)).toBe(2);
    expect(countPeople(video)).toBe(3);
  });

  it('takes the summary of a list page, which has no result', () => {
    expect(countPeople({ ...base, kind: 'video', status: 'done', result: null, summary: { peopleCount: 4 } })).toBe(4);
  });

  it('has no count for unfinished or failed jobs', () => {
    expect(countPeople({ ...base, kind: 'video', status: 'running', result: null })).toBeUndefined();
    expect(countPeople({ ...base, kind: 'image', status: 'failed', result: null, error: { code: 'X', message: 'y' } })).toBeUndefined();
  });
});

describe('formatting', () => {
  it('words the counts and survives a bad date', () => {
    expect([0, 1, 2, undefined].map(formatPeopleCount)).toEqual(['0 people', '1 person', '2 people', '–']);
    expect(formatAnalysisDate('not a date')).toBe('not a date');
    expect(formatAnalysisDate(base.createdAt)).toMatch(/2026/);
  });
});
