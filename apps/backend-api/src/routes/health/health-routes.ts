import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HealthResponseSchema, type HealthResponse } from '@posestack/api-contracts';

/**
 * Same body for 200 and 503, so compose, the e2e project and the page read one shape either way. The one
 * route without credentials: probes (Docker, compose, load balancers) carry none, and checking a token needs
 * the database this route reports on. It says up/down and the device, nothing stored.
 */
const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health',
    { config: { auth: 'public' }, schema: { response: { 200: HealthResponseSchema, 503: HealthResponseSchema } }, logLevel: 'warn' },
    async (_request, reply) => {
      const [mongo, poseService] = await Promise.all([
        app.mongo.db
          .command({ ping: 1 }, { timeoutMS: app.config.MONGO_SERVER_SELECTION_TIMEOUT_MS })
          .then(() => 'up' as const)
          .catch(() => 'down' as const),
        app.poseService.health(),
      ]);
      const isUp = mongo === 'up' && poseService.status === 'up';
      const body: HealthResponse = { status: isUp ? 'ok' : 'unavailable', mongo, poseService };
      return reply.code(isUp ? 200 : 503).send(body);
    },
  );
};

export default healthRoutes;
