import { useCallback, useEffect, useState } from 'react';

const PARAM = 'analysis';

function readFromLocation(): string | undefined {
  return new URLSearchParams(window.location.search).get(PARAM) ?? undefined;
}

/**
 * The open analysis lives in the URL (?analysis=<id>) so it survives a reload, can be shared, and Back
 * returns to the previous one; the server's SPA fallback serves index.html for such URLs.
 */
export function useSelectedAnalysisId(): [string | undefined, (id: string | undefined) => void] {
  const [id, setId] = useState(readFromLocation);
  useEffect(() => {
    const onPopState = () => setId(readFromLocation());
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);
  const select = useCallback((next: string | undefined) => {
    const url = new URL(window.location.href);
    if (next) url.searchParams.set(PARAM, next);
    else url.searchParams.delete(PARAM);
    window.history.pushState(null, '', url);
    setId(next);
  }, []);
  return [id, select];
}
