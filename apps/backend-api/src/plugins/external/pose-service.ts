import fp from 'fastify-plugin';
import { PoseServiceClient } from '../../pose-service/pose-service-client';

declare module 'fastify' {
  interface FastifyInstance {
    poseService: PoseServiceClient;
  }
}

export default fp(
  async (app) => {
    const { POSE_SERVICE_URL, POSE_SERVICE_TOKEN, POSE_IMAGE_TIMEOUT_MS, POSE_VIDEO_TIMEOUT_MS, POSE_HEALTH_TIMEOUT_MS } = app.config;
    app.decorate(
      'poseService',
      new PoseServiceClient({
        baseUrl: POSE_SERVICE_URL,
        token: POSE_SERVICE_TOKEN,
        imageTimeoutMs: POSE_IMAGE_TIMEOUT_MS,
        videoTimeoutMs: POSE_VIDEO_TIMEOUT_MS,
        healthTimeoutMs: POSE_HEALTH_TIMEOUT_MS,
      }),
    );
  },
  { name: 'pose-service', dependencies: ['config'] },
);
