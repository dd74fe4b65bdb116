import type { Analysis } from '@posestack/api-contracts';
import { useId, useRef, useState, type DragEvent } from 'react';
import { isAbortError } from '../api-client/api-client-error';
import { useApiClient } from '../api-client/api-client-context';
import { describeApiError, type ErrorDescription } from '../api-client/describe-api-error';
import { ErrorMessage } from '../error-message/error-message';
import { ACCEPT_ATTRIBUTE } from './accepted-media-types';
import { checkUploadFile } from './check-upload-file';
import { formatModelOption, usePoseModels } from './use-pose-models';

type UploadState = { phase: 'idle' } | { phase: 'uploading'; filename: string } | { phase: 'failed'; error: ErrorDescription };

/**
 * The file input stays in the tab order (visually hidden, not display:none), so Tab + Space/Enter opens
 * the picker and screen readers announce its label; the surrounding zone only adds drag and drop.
 */
export function UploadPanel({ onUploaded }: { onUploaded: (analysis: Analysis) => void }) {
  const client = useApiClient();
  const inputId = useId();
  const modelId = useId();
  const hintId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const [isDragOver, setIsDragOver] = useState(false);
  const [model, setModel] = useState('');
  const models = usePoseModels();
  const modelHintId = useId();

  async function upload(file: File) {
    const check = checkUploadFile(file);
    if (!check.isAccepted) {
      setState({ phase: 'failed', error: check.error });
      return;
    }
    setState({ phase: 'uploading', filename: file.name });
    try {
      const analysis = await client.createAnalysis(file, { model: model || undefined });
      setState({ phase: 'idle' });
      onUploaded(analysis);
    } catch (error) {
      if (isAbortError(error)) return;
      setState({ phase: 'failed', error: describeApiError(`Uploading ${file.name}`, error) });
    } finally {
      // Choosing the same file again must fire `change` again (e.g. retry after starting the backend).
      if (inputRef.current) inputRef.current.value = '';
    }
  }

  function handleDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setIsDragOver(false);
    const [file] = Array.from(event.dataTransfer.files);
    if (file && state.phase !== 'uploading') void upload(file);
  }

  const isUploading = state.phase === 'uploading';
  return (
    <section className="panel upload-panel" aria-labelledby={`${inputId}-heading`}>
      <h2 id={`${inputId}-heading`}>New analysis</h2>
      <div className="field">
        <label htmlFor={modelId}>Pose model</label>
        <select
          id={modelId}
          value={model}
          onChange={(event) => setModel(event.target.value)}
          aria-describedby={modelHintId}
          disabled={isUploading}
          data-models-phase={models.phase}
        >
          <option value="">Server default</option>
          {models.phase === 'ready' &&
            models.models.map((option) => (
              <option key={option.name} value={option.name}>
                {formatModelOption(option)}
              </option>
            ))}
        </select>
        <p id={modelHintId} className="field__hint">
          {models.phase === 'loading' && 'Asking the pose service which models it has loaded…'}
          {models.phase === 'ready' &&
            (models.models.some((option) => option.kind === '3d')
              ? '3D models also place each person in 3D, for the 3D view and truer joint angles.'
              : 'The loaded models are 2D only: the 3D view needs a 3D model (BlazePose) on the pose service.')}
          {models.phase === 'failed' && `${models.error.title} Uploads use the server default model.`}
        </p>
      </div>
      <div
        className={`drop-zone${isDragOver ? ' drop-zone--active' : ''}`}
        data-testid="drop-zone"
        onDragOver={(event) => {
          event.preventDefault();
          event.dataTransfer.dropEffect = isUploading ? 'none' : 'copy';
          setIsDragOver(true);
        }}
        onDragLeave={() => setIsDragOver(false)}
        onDrop={handleDrop}
      >
        <input
          ref={inputRef}
          id={inputId}
          className="visually-hidden"
          type="file"
          accept={ACCEPT_ATTRIBUTE}
          aria-describedby={hintId}
          disabled={isUploading}
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void upload(file);
          }}
        />
        <label htmlFor={inputId} className="button button--primary">
          Choose a photo or video
        </label>
        <p id={hintId} className="drop-zone__hint">
          or drop one here. Photos are analysed at once; videos are queued and take longer.
        </p>
      </div>
      <div aria-live="polite">
        {isUploading && (
          <p className="upload-panel__status">
            <span className="spinner" aria-hidden="true" /> Uploading {state.filename}…
          </p>
        )}
      </div>
      {state.phase === 'failed' && <ErrorMessage error={state.error} onDismiss={() => setState({ phase: 'idle' })} />}
    </section>
  );
}
