import type { RegistryLocation } from './registry-location';

/**
 * Whether the registry answers at all (`GET /v2/`: 200, or 401 from a registry that wants credentials), within
 * `timeoutMs`. Asked once per nx command by the presence probe, so a registry that is down costs one warning and
 * local builds, never a failed build.
 */
export async function probeRegistry(location: RegistryLocation, timeoutMs = 2000): Promise<{ isReachable: true } | { isReachable: false; reason: string }> {
  try {
    const response = await fetch(`${location.baseUrl}/v2/`, { signal: AbortSignal.timeout(timeoutMs) });
    if (response.status === 200 || response.status === 401) return { isReachable: true };
    return { isReachable: false, reason: `GET ${location.baseUrl}/v2/ answered HTTP ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { isReachable: false, reason: `GET ${location.baseUrl}/v2/: ${cause?.code ?? cause?.message ?? (error as Error).message}` };
  }
}
