import type { PoseModel } from '@posestack/api-contracts';
import { useEffect, useState } from 'react';
import { isAbortError } from '../api-client/api-client-error';
import { useApiClient } from '../api-client/api-client-context';
import { describeApiError, type ErrorDescription } from '../api-client/describe-api-error';

export type PoseModelsState =
  | { readonly phase: 'loading' }
  | { readonly phase: 'ready'; readonly models: readonly PoseModel[] }
  | { readonly phase: 'failed'; readonly error: ErrorDescription };

/** The models pose-service has loaded, asked once per page load (they change only when the service restarts). */
export function usePoseModels(): PoseModelsState {
  const client = useApiClient();
  const [state, setState] = useState<PoseModelsState>({ phase: 'loading' });
  useEffect(() => {
    const abort = new AbortController();
    client.listModels(abort.signal).then(
      (models) => setState({ phase: 'ready', models }),
      (error: unknown) => {
        if (!isAbortError(error)) setState({ phase: 'failed', error: describeApiError('Listing the pose models', error) });
      },
    );
    return () => abort.abort();
  }, [client]);
  return state;
}

/** "blazepose-lite (3D)": the kind matters to people choosing, since only 3D models fill the 3D view. */
export function formatModelOption(model: PoseModel): string {
  return `${model.name} (${model.kind.toUpperCase()})`;
}
