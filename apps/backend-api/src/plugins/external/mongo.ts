import fp from 'fastify-plugin';
import { MongoClient, type Db } from 'mongodb';
import { databaseNameOf } from '../../config/env';

declare module 'fastify' {
  interface FastifyInstance {
    mongo: { client: MongoClient; db: Db };
  }
}

/**
 * The one MongoClient. It is not connected here on purpose: the driver connects on first use and reconnects by
 * itself, so the API starts (and answers 503) while the database is down instead of crash-looping.
 */
export default fp(
  async (app) => {
    const { MONGO_URL, MONGO_SERVER_SELECTION_TIMEOUT_MS } = app.config;
    const client = new MongoClient(MONGO_URL, {
      serverSelectionTimeoutMS: MONGO_SERVER_SELECTION_TIMEOUT_MS,
      // FerretDB (the air-gapped stand-in) has no retryable writes; MongoDB does not need them for single-doc ops.
      retryWrites: false,
      appName: 'posestack-backend-api',
    });
    app.decorate('mongo', { client, db: client.db(databaseNameOf(MONGO_URL)) });
    app.addHook('onClose', async () => {
      await client.close();
    });
  },
  { name: 'mongo', dependencies: ['config'] },
);
