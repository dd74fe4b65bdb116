import fp from 'fastify-plugin';
import { VideoJobWorker } from '../../jobs/video-job-worker';

declare module 'fastify' {
  interface FastifyInstance {
    videoJobWorker: VideoJobWorker | undefined;
  }
}

/** Starts the background worker once the app is ready; its onClose runs before the Mongo client closes. */
export default fp(
  async (app) => {
    const { JOB_WORKER_ENABLED, JOB_LEASE_MS, JOB_POLL_MS, JOB_RETRY_LIMIT, JOB_RETRY_BASE_MS, JOB_RETRY_MAX_MS } = app.config;
    if (!JOB_WORKER_ENABLED) {
      app.decorate('videoJobWorker', undefined);
      return;
    }
    const worker = new VideoJobWorker(app.analyses.repository, app.analyses.mediaStore, app.poseService, app.log, {
      instanceId: app.analyses.instanceId,
      leaseMs: JOB_LEASE_MS,
      pollMs: JOB_POLL_MS,
      retryLimit: JOB_RETRY_LIMIT,
      retryBaseMs: JOB_RETRY_BASE_MS,
      retryMaxMs: JOB_RETRY_MAX_MS,
    });
    app.decorate('videoJobWorker', worker);
    app.addHook('onReady', async () => worker.start());
    // preClose: before the server waits for in-flight requests, so a long pose call does not delay shutdown.
    app.addHook('preClose', async () => worker.stop());
  },
  { name: 'video-job-worker', dependencies: ['analyses'] },
);
