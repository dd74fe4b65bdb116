/** Methods that cannot change state; everything else must come from an allowed origin. */
export function isSafeMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}

/** `hostname` as Fastify gives it (no port; IPv6 in brackets). */
export function isAllowedHost(hostname: string | undefined, allowed: readonly string[]): boolean {
  return hostname !== undefined && allowed.includes(hostname.toLowerCase());
}

/**
 * Why a state-changing request is refused as cross-origin, or undefined when it may proceed. A request without
 * Origin and Sec-Fetch-Site is not from a browser page (curl, CI, the frontend server), so it cannot be forged
 * by one; any browser-sent origin must be on the list.
 */
export function crossOriginRefusal(
  headers: { origin?: string; 'sec-fetch-site'?: string },
  allowedOrigins: readonly string[],
): string | undefined {
  const origin = headers.origin?.toLowerCase();
  if (origin !== undefined) {
    return allowedOrigins.includes(origin) ? undefined : `requests from origin ${origin} may not change anything here`;
  }
  const site = headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return `a ${site} browser request may not change anything here`;
  return undefined;
}
