import type { Analysis } from '@posestack/api-contracts';
import { useEffect, useId, useState } from 'react';
import { useApiClient } from '../api-client/api-client-context';
import { describeApiError, type ErrorDescription } from '../api-client/describe-api-error';
import { formatStatus } from '../analysis-progress/poll-schedule';
import { ErrorMessage } from '../error-message/error-message';
import { countPeople, formatAnalysisDate, formatPeopleCount } from './summarise-analysis';
import { useAnalysesPage } from './use-analyses-page';

const PAGE_SIZE = 10;

export interface AnalysesListProps {
  readonly selectedId: string | undefined;
  readonly reloadKey: number;
  readonly onOpen: (analysis: Analysis) => void;
  readonly onDeleted: (id: string) => void;
}

export function AnalysesList({ selectedId, reloadKey, onOpen, onDeleted }: AnalysesListProps) {
  const client = useApiClient();
  const headingId = useId();
  const [page, setPage] = useState(1);
  const [localReload, setLocalReload] = useState(0);
  const [deleteError, setDeleteError] = useState<ErrorDescription>();
  const state = useAnalysesPage(client, page, PAGE_SIZE, reloadKey + localReload);

  const shown = state.phase === 'loaded' ? state.page : state.phase === 'loading' ? state.previous : undefined;
  const pageCount = shown ? Math.max(1, Math.ceil(shown.total / shown.pageSize)) : 1;

  // Deleting the last row of the last page would otherwise leave an empty page with a "Previous" button.
  useEffect(() => {
    if (state.phase === 'loaded' && state.page.items.length === 0 && page > 1) setPage(page - 1);
  }, [state, page]);

  async function remove(analysis: Analysis) {
    setDeleteError(undefined);
    try {
      await client.deleteAnalysis(analysis.id);
      onDeleted(analysis.id);
      setLocalReload((n) => n + 1);
    } catch (error) {
      setDeleteError(describeApiError(`Deleting ${analysis.media.filename}`, error));
    }
  }

  return (
    <section className="panel analyses-list" aria-labelledby={headingId} aria-busy={state.phase === 'loading'}>
      <div className="panel__header">
        <h2 id={headingId}>Past analyses</h2>
        <button type="button" className="button button--quiet" onClick={() => setLocalReload((n) => n + 1)}>
          Refresh
        </button>
      </div>
      {state.phase === 'failed' && (
        <ErrorMessage error={state.error}>
          <button type="button" className="button" onClick={() => setLocalReload((n) => n + 1)}>
            Try again
          </button>
        </ErrorMessage>
      )}
      {deleteError && <ErrorMessage error={deleteError} onDismiss={() => setDeleteError(undefined)} />}
      {shown && shown.total === 0 && <p className="empty-state">No analyses yet. Upload a photo or video to start.</p>}
      {shown && shown.items.length > 0 && (
        <ul className="analyses-list__items" data-testid="analyses-list">
          {shown.items.map((analysis) => (
            <AnalysisRow
              key={analysis.id}
              analysis={analysis}
              thumbnailUrl={client.mediaUrl(analysis.id)}
              isSelected={analysis.id === selectedId}
              onOpen={() => onOpen(analysis)}
              onDelete={() => remove(analysis)}
            />
          ))}
        </ul>
      )}
      {pageCount > 1 && (
        <nav className="pager" aria-label="Past analyses pages">
          <button type="button" className="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Previous
          </button>
          <span>
            Page {page} of {pageCount}
          </span>
          <button type="button" className="button" disabled={page >= pageCount} onClick={() => setPage(page + 1)}>
            Next
          </button>
        </nav>
      )}
    </section>
  );
}

interface AnalysisRowProps {
  readonly analysis: Analysis;
  readonly thumbnailUrl: string;
  readonly isSelected: boolean;
  readonly onOpen: () => void;
  readonly onDelete: () => void;
}

function AnalysisRow({ analysis, thumbnailUrl, isSelected, onOpen, onDelete }: AnalysisRowProps) {
  const [isConfirming, setIsConfirming] = useState(false);
  const [hasThumbnailFailed, setHasThumbnailFailed] = useState(false);
  const { filename } = analysis.media;
  return (
    <li className={`analysis-row${isSelected ? ' is-selected' : ''}`} data-analysis-id={analysis.id} data-status={analysis.status}>
      <div className="analysis-row__thumbnail" aria-hidden="true">
        {hasThumbnailFailed ? (
          <span className="thumbnail-placeholder">{analysis.kind}</span>
        ) : analysis.kind === 'image' ? (
          <img src={thumbnailUrl} alt="" loading="lazy" decoding="async" onError={() => setHasThumbnailFailed(true)} />
        ) : (
          // A media fragment past 0 makes browsers paint a real frame rather than a black first one.
          <video src={`${thumbnailUrl}#t=0.5`} preload="metadata" muted tabIndex={-1} onError={() => setHasThumbnailFailed(true)} />
        )}
      </div>
      <div className="analysis-row__details">
        <span className="analysis-row__name" title={filename}>
          {filename}
        </span>
        <span className="analysis-row__meta">
          <time dateTime={analysis.createdAt}>{formatAnalysisDate(analysis.createdAt)}</time> · {formatPeopleCount(countPeople(analysis))}
        </span>
        <span className={`status-badge status-badge--${analysis.status}`}>{formatStatus(analysis.status)}</span>
      </div>
      <div className="analysis-row__actions">
        {isConfirming ? (
          <>
            <button type="button" className="button button--danger" onClick={onDelete} aria-label={`Confirm deleting ${filename}`}>
              Delete
            </button>
            <button type="button" className="button button--quiet" onClick={() => setIsConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <>
            <button type="button" className="button" onClick={onOpen} aria-label={`Open ${filename}`} aria-pressed={isSelected}>
              Open
            </button>
            <button type="button" className="button button--quiet" onClick={() => setIsConfirming(true)} aria-label={`Delete ${filename}`}>
              Delete
            </button>
          </>
        )}
      </div>
    </li>
  );
}
