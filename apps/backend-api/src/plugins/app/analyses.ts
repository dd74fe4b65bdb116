import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import fp from 'fastify-plugin';
import { AnalysesRepository } from '../../analyses/analyses-repository';
import { AnalysisService } from '../../analyses/analysis-service';
import { LeaseSweeper } from '../../jobs/lease-sweeper';
import { MediaStore } from '../../media/media-store';
import { isMongoUnavailable } from '../../errors/to-api-error';

declare module 'fastify' {
  interface FastifyInstance {
    analyses: { instanceId: string; repository: AnalysesRepository; mediaStore: MediaStore; service: AnalysisService };
  }
}

const INDEX_RETRY_MS = 5000;

/**
 * Repositories, the service over them, and the sweep of expired leases (in every instance). Indexes are created at start-up; when the database is unreachable
 * then, the API still starts (health says 503) and tries again until it answers. Any other failure (a conflicting
 * index, a server bug) is logged once as an error and not retried: a loop would hit the server the same way every
 * few seconds, and each dropped connection clears the driver's pool under live requests.
 */
export default fp(
  async (app) => {
    const { JOB_LEASE_MS, JOB_MAX_CLAIMS, LEASE_SWEEP_MS, MONGO_MAX_TIME_MS } = app.config;
    const instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    const repository = new AnalysesRepository(app.mongo.db, { maxTimeMS: MONGO_MAX_TIME_MS });
    const mediaStore = new MediaStore(app.mongo.db);
    const service = new AnalysisService(repository, mediaStore, app.poseService, app.log, { instanceId, leaseMs: JOB_LEASE_MS });
    app.decorate('analyses', { instanceId, repository, mediaStore, service });

    const sweeper = new LeaseSweeper(repository, app.log, { sweepMs: LEASE_SWEEP_MS, leaseMs: JOB_LEASE_MS, maxClaims: JOB_MAX_CLAIMS });
    app.addHook('onReady', async () => sweeper.start());
    app.addHook('preClose', async () => sweeper.stop());

    let retryTimer: NodeJS.Timeout | undefined;
    const ensureIndexes = async (): Promise<void> => {
      try {
        const created = await repository.ensureIndexes();
        app.log.info({ created }, 'analyses indexes are in place');
      } catch (error) {
        if (!isMongoUnavailable(error)) {
          app.log.error({ err: error }, 'could not create the analyses indexes; not retrying (fix the cause and restart)');
          return;
        }
        app.log.warn({ err: error }, `could not create indexes (database unreachable); retrying in ${INDEX_RETRY_MS} ms`);
        retryTimer = setTimeout(() => void ensureIndexes(), INDEX_RETRY_MS);
      }
    };
    app.addHook('onReady', ensureIndexes);
    app.addHook('onClose', async () => clearTimeout(retryTimer));
  },
  { name: 'analyses', dependencies: ['mongo', 'pose-service'] },
);
