import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AnalysisPageSchema,
  AnalysisParamsSchema,
  AnalysisSchema,
  ApiErrorSchema,
  ListAnalysesQuerySchema,
} from '@posestack/api-contracts';
import { toAnalysis } from '../../analyses/analysis-document';
import { readUpload } from './read-upload';
import { requireLoadedModel } from '../models/require-loaded-model';

const errors = { 400: ApiErrorSchema, 404: ApiErrorSchema, 409: ApiErrorSchema, 503: ApiErrorSchema };

const analysesRoutes: FastifyPluginAsyncZod = async (app) => {
  const { service, repository } = app.analyses;

  app.post(
    '/api/analyses',
    {
      schema: {
        response: { 201: AnalysisSchema, 202: AnalysisSchema, 413: ApiErrorSchema, 415: ApiErrorSchema, 422: ApiErrorSchema, ...errors },
      },
    },
    async (request, reply) => {
      const upload = await readUpload(request, app.config);
      await requireLoadedModel(app.poseService, upload.model);
      const doc = await service.create(upload);
      // Images come back finished (done, or failed with the reason); videos are accepted as pending jobs.
      return reply.code(doc.kind === 'image' ? 201 : 202).header('location', `/api/analyses/${doc._id}`).send(toAnalysis(doc));
    },
  );

  app.get(
    '/api/analyses',
    { schema: { querystring: ListAnalysesQuerySchema, response: { 200: AnalysisPageSchema, ...errors } } },
    async (request) => {
      const { items, total } = await repository.list(request.query);
      return { items: items.map(toAnalysis), total, page: request.query.page, pageSize: request.query.pageSize };
    },
  );

  app.get(
    '/api/analyses/:id',
    { schema: { params: AnalysisParamsSchema, response: { 200: AnalysisSchema, ...errors } } },
    async (request) => toAnalysis(await service.get(request.params.id)),
  );

  app.delete(
    '/api/analyses/:id',
    { schema: { params: AnalysisParamsSchema, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      await service.remove(request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/analyses/:id/retry',
    { schema: { params: AnalysisParamsSchema, response: { 200: AnalysisSchema, 202: AnalysisSchema, ...errors } } },
    async (request, reply) => {
      const doc = await service.retry(request.params.id);
      return reply.code(doc.kind === 'video' ? 202 : 200).send(toAnalysis(doc));
    },
  );
};

export default analysesRoutes;
