/**
 * The Nx remote cache this machine uses, as Nx 23 finds it (NX_SELF_HOSTED_REMOTE_CACHE_SERVER and
 * NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN), spoken to with Nx's self-hosted cache protocol only
 * (https://nx.dev/docs/guides/tasks--caching/self-hosted-caching): `GET /v1/cache/{hash}`,
 * `PUT /v1/cache/{hash}` with an application/octet-stream body and Content-Length, a Bearer token. So any
 * server that Nx itself can use holds the image records, not only tools/nx-cache-server.
 */
export interface NxRemoteCache {
  readonly baseUrl: string;
  readonly token?: string;
}

/** Off where Nx's remote cache is off: no server, or NX_SKIP_REMOTE_CACHE / NX_DISABLE_REMOTE_CACHE (as Nx reads them). */
export function resolveNxRemoteCache(env: Readonly<Record<string, string | undefined>>): NxRemoteCache | undefined {
  const server = env.NX_SELF_HOSTED_REMOTE_CACHE_SERVER?.trim();
  if (!server || env.NX_SKIP_REMOTE_CACHE === 'true' || env.NX_DISABLE_REMOTE_CACHE === 'true') return undefined;
  const token = env.NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN?.trim();
  return { baseUrl: server.replace(/\/+$/, ''), ...(token ? { token } : {}) };
}

export interface CacheResponse {
  status: number;
  body: Buffer;
  /** The body as text, for the spec's text/plain error messages. */
  text: string;
}

/** A record is a few hundred bytes: a server that takes longer is treated as not answering (label check only). */
const timeoutMs = 5000;

/** One call of the protocol. Network failures become a reason text: the caller falls back, a cache never fails a build. */
async function request(cache: NxRemoteCache, hash: string, init: { method: 'GET' | 'PUT'; body?: Buffer }): Promise<CacheResponse | { error: string }> {
  const url = `${cache.baseUrl}/v1/cache/${encodeURIComponent(hash)}`;
  const headers: Record<string, string> = cache.token ? { authorization: `Bearer ${cache.token}` } : {};
  if (init.body) headers['content-type'] = 'application/octet-stream';
  try {
    const response = await fetch(url, {
      method: init.method,
      headers,
      // A byte-array body gets its Content-Length from fetch, which the spec requires for PUT.
      ...(init.body ? { body: new Uint8Array(init.body) } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = Buffer.from(await response.arrayBuffer());
    return { status: response.status, body, text: response.status === 200 && init.method === 'GET' ? '' : body.toString('utf8') };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { error: `${init.method} ${cache.baseUrl}/v1/cache/${hash}: ${cause?.code ?? cause?.message ?? (error as Error).message}` };
  }
}

export const getCacheEntry = (cache: NxRemoteCache, hash: string) => request(cache, hash, { method: 'GET' });

export const putCacheEntry = (cache: NxRemoteCache, hash: string, body: Buffer) => request(cache, hash, { method: 'PUT', body });
