import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { ApiError } from '../../errors/api-error';
import { crossOriginRefusal, isAllowedHost, isSafeMethod } from '../../edge/request-guards';

/**
 * The first things every request meets, before authentication: a Host allow-list (DNS rebinding), the origin
 * check on state changes (CSRF), security headers, and rate limits on the two expensive or guessable routes.
 */
export default fp(
  async (app) => {
    const { ALLOWED_HOSTS, ALLOWED_ORIGINS, RATE_LIMIT_UPLOADS_PER_MINUTE, RATE_LIMIT_LOGINS_PER_MINUTE } = app.config;

    app.addHook('onRequest', async (request) => {
      if (!isAllowedHost(request.hostname, ALLOWED_HOSTS)) {
        throw new ApiError(421, 'MISDIRECTED_REQUEST', `this server does not answer for host ${request.hostname}; allowed: ${ALLOWED_HOSTS.join(', ')}`);
      }
      if (!isSafeMethod(request.method)) {
        const refusal = crossOriginRefusal(request.headers as Record<string, string | undefined>, ALLOWED_ORIGINS);
        if (refusal) throw new ApiError(403, 'FORBIDDEN', refusal);
      }
    });

    // The API answers JSON and stored media only: no document it serves may run script, load anything, or be
    // framed. `sandbox` also covers an upload opened directly in a tab (/media serves it inline).
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"], sandbox: [] },
      },
      crossOriginResourcePolicy: { policy: 'same-origin' },
    });

    // Limits are attached by route here, so the route files stay about their resource. This onRoute hook is
    // added before the rate-limit plugin's own, so the plugin sees the config.
    const limits: Record<string, number> = {
      'POST /api/analyses': RATE_LIMIT_UPLOADS_PER_MINUTE,
      'POST /api/auth/sessions': RATE_LIMIT_LOGINS_PER_MINUTE,
    };
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const max = methods.map((method) => limits[`${method} ${route.url}`]).find((value) => value !== undefined);
      if (max !== undefined) route.config = { ...route.config, rateLimit: { max, timeWindow: '1 minute' } };
    });
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) =>
        new ApiError(429, 'TOO_MANY_REQUESTS', `more than ${context.max} requests per ${context.after}; try again in ${context.after}`),
    });
  },
  { name: 'edge', dependencies: ['config'] },
);
