import type { Analysis } from '@posestack/api-contracts';
import { useEffect, useState } from 'react';
import type { ApiClient } from '../api-client/api-client';
import { ApiClientError, isAbortError } from '../api-client/api-client-error';
import { describeApiError, type ErrorDescription } from '../api-client/describe-api-error';
import { computePollDelay, isFinalStatus } from './poll-schedule';

export interface PolledAnalysis {
  readonly analysis: Analysis | undefined;
  /** The last failed check; polling continues (with back-off) unless the analysis is gone. */
  readonly error: ErrorDescription | undefined;
}

/**
 * Loads an analysis and keeps re-reading it until it is done or failed. The timer and the in-flight
 * request both end when the id changes or the component unmounts. `initial` only seeds the first render:
 * callers key the component by id, so a new id starts from a clean state.
 */
export function useAnalysisPolling(client: ApiClient, id: string, initial: Analysis | undefined, reloadKey: number): PolledAnalysis {
  const [state, setState] = useState<PolledAnalysis>({ analysis: initial?.id === id ? initial : undefined, error: undefined });

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;

    async function check() {
      try {
        const analysis = await client.getAnalysis(id, controller.signal);
        setState({ analysis, error: undefined });
        if (isFinalStatus(analysis.status)) return;
      } catch (error) {
        if (isAbortError(error)) return;
        setState((previous) => ({ analysis: previous.analysis, error: describeApiError('Checking the analysis', error) }));
        if (error instanceof ApiClientError && error.details.status === 404) return;
      }
      timer = setTimeout(check, computePollDelay(attempt++));
    }

    void check();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [client, id, reloadKey]);

  return state;
}
