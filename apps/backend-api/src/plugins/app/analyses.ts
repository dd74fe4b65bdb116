import fp from 'fastify-plugin';
import { AnalysesRepository } from '../../analyses/analyses-repository';
import { AnalysisService } from '../../analyses/analysis-service';
import { MediaStore } from '../../media/media-store';

declare module 'fastify' {
  interface FastifyInstance {
    analyses: { repository: AnalysesRepository; mediaStore: MediaStore; service: AnalysisService };
  }
}

const INDEX_RETRY_MS = 5000;

/**
 * Repositories and the service over them. Indexes are created at start-up; when the database is down then, the
 * API still starts (health says 503) and keeps trying in the background until they exist.
 */
export default fp(
  async (app) => {
    const repository = new AnalysesRepository(app.mongo.db);
    const mediaStore = new MediaStore(app.mongo.db);
    const service = new AnalysisService(repository, mediaStore, app.poseService, app.log);
    app.decorate('analyses', { repository, mediaStore, service });

    let retryTimer: NodeJS.Timeout | undefined;
    const ensureIndexes = async (): Promise<void> => {
      try {
        await repository.ensureIndexes();
        app.log.info('analyses indexes are in place');
      } catch (error) {
        app.log.warn({ err: error }, `could not create indexes; retrying in ${INDEX_RETRY_MS} ms`);
        retryTimer = setTimeout(() => void ensureIndexes(), INDEX_RETRY_MS);
      }
    };
    app.addHook('onReady', ensureIndexes);
    app.addHook('onClose', async () => clearTimeout(retryTimer));
  },
  { name: 'analyses', dependencies: ['mongo', 'pose-service'] },
);
