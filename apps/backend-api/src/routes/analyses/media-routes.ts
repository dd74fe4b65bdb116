import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AnalysisParamsSchema } from '@posestack/api-contracts';
import { ApiError } from '../../errors/api-error';
import { parseRange } from '../../media/parse-range';

/** The stored original, with single-range support so <video> can seek. */
const mediaRoutes: FastifyPluginAsyncZod = async (app) => {
  const { service, mediaStore } = app.analyses;

  app.get('/api/analyses/:id/media', { schema: { params: AnalysisParamsSchema } }, async (request, reply) => {
    const doc = await service.get(request.params.id);
    const size = await mediaStore.sizeOf(doc.media.fileId);
    if (size === undefined) {
      throw new ApiError(404, 'NOT_FOUND', `the media of analysis ${request.params.id} is missing`);
    }
    reply
      .header('content-type', doc.media.contentType)
      .header('accept-ranges', 'bytes')
      .header('cache-control', 'private, max-age=86400, immutable')
      .header('content-disposition', `inline; filename="${encodeURIComponent(doc.media.filename)}"`);

    const range = parseRange(request.headers.range, size);
    if (range === 'unsatisfiable') {
      reply.header('content-range', `bytes */${size}`);
      throw new ApiError(416, 'BAD_REQUEST', `range ${request.headers.range} is outside the ${size}-byte file`);
    }
    if (!range) {
      return reply.header('content-length', size).send(mediaStore.open(doc.media.fileId));
    }
    return reply
      .code(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
      .header('content-length', range.end - range.start + 1)
      .send(mediaStore.open(doc.media.fileId, { start: range.start, end: range.end + 1 }));
  });
};

export default mediaRoutes;
