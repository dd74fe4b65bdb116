/** What a readiness check may look at while the process starts. */
export interface ReadinessProbe {
  /** The last output (stdout and stderr, interleaved as it arrived). */
  output(): string;
  hasExited(): boolean;
}

/** Resolves once the process is ready; rejects (or never resolves) otherwise; the caller bounds the wait. */
export type ReadinessCheck = (probe: ReadinessProbe) => Promise<void>;

const HTTP_POLL_MS = 250;
const OUTPUT_POLL_MS = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `url` until its status passes `isAccepted` (default: any answer below 500). Rejects once the process
 * has exited, so a crash ends the wait at once instead of at the timeout.
 */
export async function waitForHttp(
  probe: ReadinessProbe,
  url: string,
  isAccepted: (status: number) => boolean = (status) => status < 500,
  headers: Record<string, string> = {},
): Promise<void> {
  let lastAnswer = 'no answer yet';
  while (!probe.hasExited()) {
    try {
      const response = await fetch(url, { headers, signal: AbortSignal.timeout(2000) });
      if (isAccepted(response.status)) return;
      lastAnswer = `HTTP ${response.status}`;
    } catch (error) {
      // Not listening yet.
      lastAnswer = error instanceof Error ? error.message : String(error);
    }
    await sleep(HTTP_POLL_MS);
  }
  throw new Error(`the process exited while waiting for ${url} (last answer: ${lastAnswer})`);
}

/** Resolves with the first match of `pattern` in the output; rejects once the process has exited without one. */
export async function waitForOutput(probe: ReadinessProbe, pattern: RegExp): Promise<RegExpExecArray> {
  for (;;) {
    const match = pattern.exec(probe.output());
    if (match) return match;
    if (probe.hasExited()) throw new Error(`the process exited before its output matched ${pattern}`);
    await sleep(OUTPUT_POLL_MS);
  }
}
