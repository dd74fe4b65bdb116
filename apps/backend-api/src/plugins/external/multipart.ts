import fp from 'fastify-plugin';
import multipart from '@fastify/multipart';

/** One file per request; the per-kind limits (MAX_IMAGE_BYTES, MAX_VIDEO_BYTES) are applied after sniffing. */
export default fp(
  async (app) => {
    await app.register(multipart, {
      limits: {
        fileSize: Math.max(app.config.MAX_IMAGE_BYTES, app.config.MAX_VIDEO_BYTES),
        files: 1,
        fields: 10,
        parts: 11,
      },
    });
  },
  { name: 'multipart', dependencies: ['config'] },
);
