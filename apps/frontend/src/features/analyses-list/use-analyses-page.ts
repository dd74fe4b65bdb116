import type { AnalysisPage } from '@posestack/api-contracts';
import { useEffect, useState } from 'react';
import type { ApiClient } from '../api-client/api-client';
import { isAbortError } from '../api-client/api-client-error';
import { describeApiError, type ErrorDescription } from '../api-client/describe-api-error';

export type AnalysesPageState =
  | { readonly phase: 'loading'; readonly previous: AnalysisPage | undefined }
  | { readonly phase: 'loaded'; readonly page: AnalysisPage }
  | { readonly phase: 'failed'; readonly error: ErrorDescription };

/** `reloadKey` bumps after uploads and deletes; a stale answer is aborted rather than raced. */
export function useAnalysesPage(client: ApiClient, page: number, pageSize: number, reloadKey: number): AnalysesPageState {
  const [state, setState] = useState<AnalysesPageState>({ phase: 'loading', previous: undefined });
  useEffect(() => {
    const controller = new AbortController();
    setState((current) => ({ phase: 'loading', previous: current.phase === 'loaded' ? current.page : current.phase === 'loading' ? current.previous : undefined }));
    client.listAnalyses({ page, pageSize }, controller.signal).then(
      (loaded) => setState({ phase: 'loaded', page: loaded }),
      (error: unknown) => {
        if (!isAbortError(error)) setState({ phase: 'failed', error: describeApiError('Loading past analyses', error) });
      },
    );
    return () => controller.abort();
  }, [client, page, pageSize, reloadKey]);
  return state;
}
