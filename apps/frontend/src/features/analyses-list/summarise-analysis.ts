import type { Analysis } from '@posestack/api-contracts';

/**
 * Image: people found. Video: the most people seen in one frame (tracks may come and go). Undefined until done.
 * List pages carry only the summary (no result); a full analysis can count from its result.
 */
export function countPeople(analysis: Analysis): number | undefined {
  if (analysis.status !== 'done') return undefined;
  if (analysis.summary) return analysis.summary.peopleCount;
  if (!analysis.result) return undefined;
  if (analysis.kind === 'image') return analysis.result.people.length;
  return analysis.result.frames.reduce((most, frame) => Math.max(most, frame.people.length), 0);
}

export function formatPeopleCount(count: number | undefined): string {
  if (count === undefined) return '–';
  return count === 1 ? '1 person' : `${count} people`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatAnalysisDate(isoDate: string): string {
  const date = new Date(isoDate);
  return Number.isNaN(date.getTime()) ? isoDate : dateFormat.format(date);
}
