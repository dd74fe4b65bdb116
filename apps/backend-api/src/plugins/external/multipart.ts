import fp from 'fastify-plugin';
import multipart from '@fastify/multipart';

/**
 * The per-kind limits (MAX_IMAGE_BYTES, MAX_VIDEO_BYTES) are applied after sniffing. Two files are let through
 * the parser so that read-upload can refuse the second by name (a third is never read).
 */
export default fp(
  async (app) => {
    await app.register(multipart, {
      limits: {
        fileSize: Math.max(app.config.MAX_IMAGE_BYTES, app.config.MAX_VIDEO_BYTES),
        files: 2,
        fields: 10,
        parts: 11,
      },
    });
  },
  { name: 'multipart', dependencies: ['config'] },
);
