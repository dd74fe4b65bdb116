import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { accessOf, bearerTokenOf, type Access, type TokenSets } from '../auth/tokens';
import { HASH_PATTERN, SizeMismatchError, type CacheStore } from '../store/cache-store';

export interface CacheRoutesOptions {
  readonly store: CacheStore;
  readonly tokens: TokenSets;
  readonly maxEntryBytes: number;
}

/** The spec's error bodies are text/plain: Nx prints them to the user as they are. */
const sendText = (reply: FastifyReply, status: number, message: string) =>
  reply.code(status).type('text/plain').send(message);

/**
 * Nx's self-hosted remote cache protocol (Nx 20.8+): GET and PUT /v1/cache/{hash}, tar bodies, Bearer tokens.
 * 401 for a missing or unknown token, 403 for a read-only token that writes, 409 when the hash exists.
 */
const cacheRoutes: FastifyPluginAsync<CacheRoutesOptions> = async (app, { store, tokens, maxEntryBytes }) => {
  // Bodies are streamed to disk as they come, never buffered: entries can be hundreds of MiB.
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  const authorize = (request: FastifyRequest, reply: FastifyReply, needed: Access): boolean => {
    const token = bearerTokenOf(request.headers.authorization);
    const access = token === undefined ? undefined : accessOf(token, tokens);
    if (access === undefined) {
      sendText(reply, 401, 'missing or unknown access token: set NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN');
      return false;
    }
    if (needed === 'read-write' && access !== 'read-write') {
      sendText(reply, 403, 'this access token is read-only: uploads need a read-write token');
      return false;
    }
    return true;
  };

  const hashOf = (request: FastifyRequest, reply: FastifyReply): string | undefined => {
    const { hash } = request.params as { hash: string };
    if (HASH_PATTERN.test(hash)) return hash;
    sendText(reply, 400, `not a cache hash: expected 1-128 characters of [A-Za-z0-9_-], got ${JSON.stringify(hash.slice(0, 140))}`);
    return undefined;
  };

  app.get('/v1/cache/:hash', async (request, reply) => {
    if (!authorize(request, reply, 'read')) return reply;
    const hash = hashOf(request, reply);
    if (hash === undefined) return reply;
    const entry = await store.read(hash);
    if (!entry) return sendText(reply, 404, `no cache entry for ${hash}`);
    return reply.type('application/octet-stream').header('content-length', entry.size).send(entry.body);
  });

  app.put('/v1/cache/:hash', async (request, reply) => {
    if (!authorize(request, reply, 'read-write')) return reply;
    const hash = hashOf(request, reply);
    if (hash === undefined) return reply;
    const header = request.headers['content-length'];
    if (header === undefined || !/^\d+$/.test(header)) {
      return sendText(reply, 400, 'the Content-Length header is required (the size of the tar body in bytes)');
    }
    const size = Number(header);
    if (size > maxEntryBytes) {
      return sendText(reply, 413, `the entry is ${size} bytes, more than this server's limit of ${maxEntryBytes} (NX_CACHE_SERVER_MAX_ENTRY_BYTES)`);
    }
    if (await store.has(hash)) return sendText(reply, 409, `cache entry ${hash} already exists and is never overwritten`);
    try {
      const outcome = await store.write(hash, request.body as Readable, size);
      if (outcome === 'exists') return sendText(reply, 409, `cache entry ${hash} already exists and is never overwritten`);
    } catch (error) {
      if (error instanceof SizeMismatchError) return sendText(reply, 400, error.message);
      throw error;
    }
    return sendText(reply, 200, `stored ${hash} (${size} bytes)`);
  });
};

export default cacheRoutes;
