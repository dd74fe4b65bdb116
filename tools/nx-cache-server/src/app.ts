import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { TokenSets } from './auth/tokens';
import cacheRoutes from './routes/cache-routes';
import type { CacheStore } from './store/cache-store';

export interface AppOptions {
  readonly store: CacheStore;
  readonly tokens: TokenSets;
  readonly maxEntryBytes: number;
  readonly logLevel: string;
}

export async function buildApp(options: AppOptions, server: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: { level: options.logLevel }, ...server });

  // Internals (paths, errno) stay in the log; the client gets a plain message.
  app.setErrorHandler((error, request, reply) => {
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).type('text/plain').send('internal error of the cache server (see its log)');
  });

  app.get('/health', async () => 'ok');
  await app.register(cacheRoutes, { store: options.store, tokens: options.tokens, maxEntryBytes: options.maxEntryBytes });
  return app;
}
