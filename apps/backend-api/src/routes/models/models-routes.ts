import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiErrorSchema, PoseModelListSchema } from '@posestack/api-contracts';
import { ApiError } from '../../errors/api-error';
import { PoseServiceError } from '../../pose-service/pose-service-client';

/** The models pose-service has loaded, for the page's model picker; asked each time, so a restart shows at once. */
const modelsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/models', { schema: { response: { 200: PoseModelListSchema, 503: ApiErrorSchema } } }, async () => {
    try {
      return { models: await app.poseService.listModels() };
    } catch (error) {
      if (!(error instanceof PoseServiceError)) throw error;
      throw new ApiError(503, 'SERVICE_UNAVAILABLE', 'pose-service cannot list its models now; try again shortly', { cause: error });
    }
  });
};

export default modelsRoutes;
