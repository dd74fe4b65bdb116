/**
 * The page's server is what browsers talk to, so it is the edge for the session cookie: a foreign Host (DNS
 * rebinding) is refused, and a state change must come from the page's own origin (CSRF; SameSite=Strict on
 * the cookie is the second line).
 */
export function isAllowedHost(hostname: string | undefined, allowed: readonly string[]): boolean {
  return hostname !== undefined && allowed.includes(hostname.toLowerCase());
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Why the request is refused as cross-origin, or undefined. `ownOrigin` is scheme://host[:port] as requested. */
export function crossOriginRefusal(method: string, headers: { origin?: string; 'sec-fetch-site'?: string }, ownOrigin: string): string | undefined {
  if (SAFE_METHODS.has(method)) return undefined;
  const origin = headers.origin?.toLowerCase();
  if (origin !== undefined && origin !== ownOrigin.toLowerCase()) return `requests from origin ${origin} may not change anything here`;
  const site = headers['sec-fetch-site'];
  if (origin === undefined && (site === 'cross-site' || site === 'same-site')) return `a ${site} browser request may not change anything here`;
  return undefined;
}
