import type { AnalysisStatus } from '@posestack/api-contracts';

/** Fast first checks (short clips finish in seconds), then back off so long jobs cost few requests. */
const POLL_DELAYS_MS = [500, 1000, 1000, 2000, 2000, 3000] as const;
export const MAX_POLL_DELAY_MS = 5000;

export function computePollDelay(attempt: number): number {
  return attempt < POLL_DELAYS_MS.length ? POLL_DELAYS_MS[Math.max(0, attempt)] : MAX_POLL_DELAY_MS;
}

export function isFinalStatus(status: AnalysisStatus): boolean {
  return status === 'done' || status === 'failed';
}

const STATUS_LABELS: Readonly<Record<AnalysisStatus, string>> = {
  pending: 'Queued',
  running: 'Analysing',
  done: 'Done',
  failed: 'Failed',
};

export function formatStatus(status: AnalysisStatus): string {
  return STATUS_LABELS[status];
}
