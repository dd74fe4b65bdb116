import { readStackState, StackState } from './stack-state';

/**
 * Test helpers over the recorded state: `itWhen(url, ...)` runs a check only when its service has a URL (a
 * running stack given by env may be partial, e.g. a lone pose-service on a GPU machine) and otherwise registers
 * it as skipped, printing why, so the closing summary counts it as skipped rather than passed.
 */
export const state: StackState = readStackState();

export function itWhen(reason: string | undefined, name: string, fn: () => Promise<void>, timeoutMs?: number): void {
  if (reason === undefined) {
    it(name, fn, timeoutMs);
  } else {
    console.log(`skipped "${name}": ${reason}`);
    it.skip(`${name} [skipped: ${reason}]`, fn);
  }
}

export function missing(urls: Partial<Record<keyof StackState['urls'], string | undefined>>): string | undefined {
  const absent = Object.entries(urls)
    .filter(([, url]) => url === undefined)
    .map(([key]) => key);
  return absent.length > 0 ? `no URL for ${absent.join(', ')} (running stack given by env)` : undefined;
}

export function basicAuth(auth: StackState['mongoExpressAuth']): Record<string, string> {
  return auth ? { authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}` } : {};
}

/** A value the surrounding itWhen guard made sure of; throws (naming it) if a guard was forgotten. */
export function given<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`stack-e2e: ${what} is not set (missing itWhen guard)`);
  return value;
}

/** backend-api's editor token from global setup, as a header (empty when the running stack gave none). */
export function backendAuth(): Record<string, string> {
  return state.backendToken ? { authorization: `Bearer ${state.backendToken}` } : {};
}

/** pose-service's service token as a header. */
export function poseAuth(): Record<string, string> {
  return state.poseServiceToken ? { authorization: `Bearer ${state.poseServiceToken}` } : {};
}
