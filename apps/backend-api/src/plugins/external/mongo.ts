import fp from 'fastify-plugin';
import type { Db, MongoClient } from 'mongodb';
import { databaseNameOf } from '../../config/env';
import { createMongoClient } from '../../mongo/create-mongo-client';

declare module 'fastify' {
  interface FastifyInstance {
    mongo: { client: MongoClient; db: Db };
  }
}

/**
 * The one MongoClient. Start-up does not depend on the database: the API listens (and answers 503) while it is
 * down. Once connected, the driver reconnects by itself; but a *failed first* connect leaves the client closed
 * for good (operations then throw MongoTopologyClosedError), so that first connect is retried here until it
 * succeeds.
 */
export default fp(
  async (app) => {
    const { MONGO_URL, MONGO_CONNECT_RETRY_MS } = app.config;
    const client = createMongoClient(app.config, 'posestack-backend-api');
    app.decorate('mongo', { client, db: client.db(databaseNameOf(MONGO_URL)) });

    let retryTimer: NodeJS.Timeout | undefined;
    let isClosing = false;
    const connect = async (): Promise<void> => {
      try {
        await client.connect();
        app.log.info('connected to MongoDB');
      } catch (error) {
        if (isClosing) return;
        app.log.warn({ err: error }, `MongoDB is unreachable; retrying in ${MONGO_CONNECT_RETRY_MS} ms`);
        retryTimer = setTimeout(() => void connect(), MONGO_CONNECT_RETRY_MS);
      }
    };

    // Awaited once (bounded by the server selection timeout) so a healthy start has its connection ready.
    app.addHook('onReady', connect);
    app.addHook('onClose', async () => {
      isClosing = true;
      clearTimeout(retryTimer);
      await client.close();
    });
  },
  { name: 'mongo', dependencies: ['config'] },
);
