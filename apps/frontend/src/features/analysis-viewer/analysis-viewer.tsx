import type { Analysis, VideoFrame } from '@posestack/api-contracts';
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { useApiClient } from '../api-client/api-client-context';
import { describeApiError, type ErrorDescription } from '../api-client/describe-api-error';
import { AnalysisProgress } from '../analysis-progress/analysis-progress';
import { formatStatus, isFinalStatus } from '../analysis-progress/poll-schedule';
import { useAnalysisPolling } from '../analysis-progress/use-analysis-polling';
import { countPeople, formatAnalysisDate, formatPeopleCount } from '../analyses-list/summarise-analysis';
import { ErrorMessage } from '../error-message/error-message';
import { ImagePoseView } from '../pose-overlay/image-pose-view';
import { VideoPoseView } from '../pose-overlay/video-pose-view';
import { hasWorldKeypoints } from '../skeleton-3d/world-layout';

// three.js and uPlot are most of the page's code and only needed once a result is open: loaded on demand.
const Skeleton3dView = lazy(() => import('../skeleton-3d/skeleton-3d-view').then((module) => ({ default: module.Skeleton3dView })));
const JointAnglePlots = lazy(() => import('../joint-angle-plot/joint-angle-plots').then((module) => ({ default: module.JointAnglePlots })));

const MEDIA_LOAD_ERROR: ErrorDescription = {
  title: 'The original file could not be shown.',
  advice: 'Your browser may not play this format, or the file was removed. The keypoints are still listed below.',
};

const NO_PEOPLE: VideoFrame['people'] = [];
const NO_FRAMES: readonly VideoFrame[] = [];

/** Render with key={id}: the polling state belongs to one analysis. */
export function AnalysisViewer({ id, initial, onChanged }: { id: string; initial: Analysis | undefined; onChanged: () => void }) {
  const client = useApiClient();
  const [reloadKey, setReloadKey] = useState(0);
  const [actionError, setActionError] = useState<ErrorDescription>();
  const [hasMediaFailed, setHasMediaFailed] = useState(false);
  const { analysis, error } = useAnalysisPolling(client, id, initial, reloadKey);
  const [videoFrame, setVideoFrame] = useState<VideoFrame>();
  const result = analysis?.status === 'done' ? analysis.result : null;
  const isThreeD = useMemo(
    () => (result ? ('frames' in result ? result.frames.some((frame) => hasWorldKeypoints(frame.people)) : hasWorldKeypoints(result.people)) : false),
    [result],
  );

  // The list shows status and people count too: refresh it when a job this viewer watched finishes.
  const lastStatus = useRef(analysis?.status);
  useEffect(() => {
    const status = analysis?.status;
    if (status && lastStatus.current && status !== lastStatus.current && isFinalStatus(status)) onChanged();
    lastStatus.current = status;
  }, [analysis?.status, onChanged]);

  async function retry() {
    setActionError(undefined);
    try {
      await client.retryAnalysis(id);
      setReloadKey((n) => n + 1);
      onChanged();
    } catch (retryError) {
      setActionError(describeApiError('Retrying the analysis', retryError));
    }
  }

  if (!analysis) {
    return (
      <section className="panel viewer" aria-label="Analysis">
        {error ? <ErrorMessage error={error} /> : <p role="status">Loading the analysis…</p>}
      </section>
    );
  }

  const mediaUrl = client.mediaUrl(analysis.id);
  const { filename } = analysis.media;
  return (
    <section className="panel viewer" aria-labelledby="viewer-heading" data-testid="analysis-viewer" data-status={analysis.status}>
      <header className="viewer__header">
        <h2 id="viewer-heading">{filename}</h2>
        <p className="viewer__meta">
          <span className={`status-badge status-badge--${analysis.status}`}>{formatStatus(analysis.status)}</span>{' '}
          {formatAnalysisDate(analysis.createdAt)}
          {analysis.model && ` · model ${analysis.model}`}
          {analysis.status === 'done' && ` · ${formatPeopleCount(countPeople(analysis))}`}
          {analysis.timings.poseServiceMs !== undefined && ` · ${Math.round(analysis.timings.poseServiceMs)} ms`}
        </p>
      </header>
      {error && <ErrorMessage error={error} />}
      {actionError && <ErrorMessage error={actionError} onDismiss={() => setActionError(undefined)} />}
      {!isFinalStatus(analysis.status) && <AnalysisProgress analysis={analysis} />}
      {analysis.status === 'failed' && (
        <ErrorMessage
          error={{
            title: `Analysing ${filename} failed${analysis.error ? `: ${analysis.error.message}` : '.'}`,
            advice: 'Retry it, or upload a different file if the problem is with the file itself.',
          }}
        >
          <button type="button" className="button button--primary" onClick={retry}>
            Retry
          </button>
        </ErrorMessage>
      )}
      {hasMediaFailed && <ErrorMessage error={MEDIA_LOAD_ERROR} />}
      {analysis.kind === 'image' ? (
        <ImagePoseView
          src={mediaUrl}
          alt={`${filename} with detected poses`}
          people={analysis.status === 'done' ? analysis.result?.people : undefined}
          onMediaError={() => setHasMediaFailed(true)}
        />
      ) : (
        <VideoPoseView
          src={mediaUrl}
          label={`${filename} with detected poses`}
          frames={analysis.status === 'done' ? analysis.result?.frames : undefined}
          fps={analysis.media.fps}
          onMediaError={() => setHasMediaFailed(true)}
          onFrameChange={setVideoFrame}
        />
      )}
      {analysis.status === 'done' && (
        <Suspense fallback={<p role="status">Loading the 3D view and plots…</p>}>
          <div className="viewer__extras">
            <Skeleton3dView
              people={(analysis.kind === 'image' ? analysis.result?.people : videoFrame?.people) ?? NO_PEOPLE}
              isThreeD={isThreeD}
              model={analysis.model}
            />
            {analysis.kind === 'video' && <JointAnglePlots frames={analysis.result?.frames ?? NO_FRAMES} currentTimeS={videoFrame?.timeS} />}
          </div>
        </Suspense>
      )}
    </section>
  );
}
