import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyHttpProxy from '@fastify/http-proxy';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { registerAuthRoutes, SESSION_COOKIE } from './auth-routes';
import { crossOriginRefusal, isAllowedHost } from './edge-guards';
import type { ServerEnv } from './env';

export type BackendReachability = 'reachable' | 'unreachable';

export interface HealthBody {
  readonly status: 'ok';
  /** Informational only: the page can still be served while backend-api restarts, so it never fails /health. */
  readonly backend: BackendReachability;
}

export type ProbeBackend = () => Promise<BackendReachability>;

/** Any HTTP answer counts: backend-api returns 503 while one of its own dependencies is down, yet it is reachable. */
export function createBackendProbe(backendUrl: string, timeoutMs: number): ProbeBackend {
  return async () => {
    try {
      await fetch(`${backendUrl}/health`, { signal: AbortSignal.timeout(timeoutMs) });
      return 'reachable';
    } catch {
      return 'unreachable';
    }
  };
}

/**
 * Bodies follow ApiErrorSchema from @posestack/api-contracts (checked in the spec; the compiled server
 * cannot import the lib's TypeScript source), so the page words proxy failures like backend errors.
 */
function buildErrorBody(code: 'NOT_FOUND' | 'FORBIDDEN' | 'MISDIRECTED_REQUEST' | 'SERVICE_UNAVAILABLE' | 'INTERNAL', message: string) {
  return { error: { code, message } };
}

/** Vite fingerprints everything under /assets/, so those can be cached forever; index.html never. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

export interface BuildServerOptions {
  readonly env: ServerEnv;
  readonly probeBackend?: ProbeBackend;
  readonly logger?: FastifyServerOptions['logger'];
}

/** Assembles the app only; listening, signals and shutdown belong to main.ts. */
export async function buildServer({ env, probeBackend, logger }: BuildServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // The session cookie and the bearer token it becomes never reach a log line.
    logger: logger ?? { level: env.LOG_LEVEL, redact: ['req.headers.cookie', 'req.headers.authorization'] },
    trustProxy: env.TRUST_PROXY,
  });
  const probe = probeBackend ?? createBackendProbe(env.BACKEND_URL, env.BACKEND_HEALTH_TIMEOUT_MS);

  // One error handler: proxy failures become a 502 the page can explain; nothing internal reaches clients.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (request.url.startsWith('/api') && (error.code?.startsWith('FST_REPLY_FROM') || (error.statusCode ?? 500) >= 500)) {
      request.log.warn({ err: error }, 'frontend server: backend-api request failed');
      return reply.code(502).send(buildErrorBody('SERVICE_UNAVAILABLE', 'backend-api did not answer; it may be starting or down'));
    }
    if (error.statusCode !== undefined && error.statusCode < 500) return reply.code(error.statusCode).send(error);
    request.log.error({ err: error }, 'frontend server: unexpected error');
    return reply.code(500).send(buildErrorBody('INTERNAL', 'Internal server error'));
  });

  app.addHook('onRequest', async (request, reply) => {
    if (!isAllowedHost(request.hostname, env.ALLOWED_HOSTS)) {
      return reply.code(421).send(buildErrorBody('MISDIRECTED_REQUEST', `this server does not answer for host ${request.hostname}`));
    }
    const refusal = crossOriginRefusal(request.method, request.headers as Record<string, string>, `${request.protocol}://${request.host}`);
    if (refusal) return reply.code(403).send(buildErrorBody('FORBIDDEN', refusal));
    return undefined;
  });

  // The page loads only its own files; blob: for the picked file's preview, no inline script, never framed.
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'blob:', 'data:'],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  await app.register(fastifyCookie);
  await registerAuthRoutes(app, { backendUrl: env.BACKEND_URL, isSecure: (request) => request.protocol === 'https', timeoutMs: 10_000 });
  // The session secret must stay in the cookie: the page signs in through /auth/login, never here.
  app.post('/api/auth/sessions', async (_request, reply) =>
    reply.code(404).send(buildErrorBody('NOT_FOUND', 'sign in through POST /auth/login')),
  );

  // Probed every few seconds by Docker and compose: only problems are worth a log line.
  app.get('/health', { logLevel: 'warn' }, async (): Promise<HealthBody> => ({ status: 'ok', backend: await probe() }));

  // Uploads stream through untouched (the proxy registers a pass-through body parser); backend-api owns
  // the size limit and answers 413 itself.
  await app.register(fastifyHttpProxy, {
    upstream: env.BACKEND_URL,
    prefix: '/api',
    rewritePrefix: '/api',
    // Video analyses can take a while to be accepted on a busy backend.
    http: { requestOptions: { timeout: 120_000 } },
    replyOptions: {
      // The cookie becomes the bearer token backend-api reads; the origin was checked above, so it is not
      // forwarded (backend-api refuses browser origins it does not know).
      rewriteRequestHeaders: (request, headers) => {
        const forwarded = { ...headers };
        for (const name of ['cookie', 'origin', 'sec-fetch-site']) delete forwarded[name];
        const session = request.cookies[SESSION_COOKIE];
        return session && !forwarded.authorization ? { ...forwarded, authorization: `Bearer ${session}` } : forwarded;
      },
    },
  });

  await app.register(fastifyStatic, {
    root: env.STATIC_DIR,
    wildcard: false,
    index: false,
    // Our own policy below replaces send's default max-age=0 header.
    cacheControl: false,
    setHeaders(reply, filePath) {
      reply.header('cache-control', /[\\/]assets[\\/]/.test(filePath) ? IMMUTABLE : REVALIDATE);
    },
  });

  app.get('/', (_request, reply) => reply.sendFile('index.html'));

  // SPA fallback: page URLs (e.g. /?analysis=<id> or any client route) get index.html; missing files and
  // API-looking paths keep a real 404 so broken asset links are not masked as HTML.
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const isPageRequest =
      (request.method === 'GET' || request.method === 'HEAD') && !path.startsWith('/api/') && !/\.[a-z0-9]+$/i.test(path);
    if (isPageRequest && request.headers.accept?.includes('text/html')) {
      return reply.sendFile('index.html');
    }
    return reply.code(404).send(buildErrorBody('NOT_FOUND', `${request.method} ${path} does not exist`));
  });

  return app;
}
