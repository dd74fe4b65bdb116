import type { Analysis } from '@posestack/api-contracts';
import { formatStatus } from './poll-schedule';

const STEPS = ['pending', 'running', 'done'] as const;

/**
 * The API reports a job's phase, not a percentage, so the bar is indeterminate while running; for videos
 * the frames already analysed (when the backend streams partial results) make the wait concrete.
 */
export function AnalysisProgress({ analysis }: { analysis: Analysis }) {
  const currentStep = STEPS.indexOf(analysis.status as (typeof STEPS)[number]);
  const framesDone = analysis.kind === 'video' ? (analysis.result?.frames.length ?? 0) : 0;
  const frameCount = analysis.kind === 'video' ? analysis.media.frameCount : undefined;
  const hasFraction = framesDone > 0 && frameCount !== undefined && frameCount > 0;
  return (
    <div className="analysis-progress" role="status" aria-live="polite" data-testid="analysis-progress" data-status={analysis.status}>
      <ol className="analysis-progress__steps">
        {STEPS.map((step, index) => (
          <li key={step} className={index < currentStep ? 'is-complete' : index === currentStep ? 'is-current' : undefined} aria-current={index === currentStep ? 'step' : undefined}>
            {formatStatus(step)}
          </li>
        ))}
      </ol>
      <progress
        aria-label={`${formatStatus(analysis.status)} ${analysis.media.filename}`}
        {...(hasFraction ? { max: frameCount, value: Math.min(framesDone, frameCount) } : {})}
      />
      <p>
        {analysis.status === 'pending' ? 'Waiting for the pose service to pick up the job…' : 'Finding people frame by frame…'}
        {hasFraction && ` ${framesDone} of ${frameCount} frames.`}
        {analysis.attempts > 1 && ` Attempt ${analysis.attempts}.`}
      </p>
    </div>
  );
}
